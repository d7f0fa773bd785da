#!/usr/bin/python3
"""Plot the branches of a `neurodyn continue` output, AUTO-style.

Equilibrium branches: a state variable (default: the first; --var NAME, or --norm) against the
continuation parameter. Branches of periodic orbits (type cycle): the max and the min of the same
variable over each orbit (--norm: the orbit's norm), so that equilibria and cycles share one
axis. Stable parts solid, unstable dashed (equilibria: eigenvalues; cycles: Floquet
multipliers); special points labelled (LP fold, HB Hopf, BP branch point, LPC fold of cycles, PD
period doubling, NS torus, UZ user point, MX failure, EP end). --period adds a second panel with
the period of the cycles against the parameter. Branches of type periodic (single shooting) that
store only the peak-to-peak amplitude of the first variable are drawn on a second y axis of
their own. Fold, Hopf, LPC (fold of cycles) and PD (period doubling) curves: the two-parameter diagram (second
parameter against the first) with cusps (CP, CPC), generalised Hopf (GH) and Bogdanov-Takens
points (BT) marked.

A file merged by merge_branches.py (/run/<i>/branch) draws every run, labelled by --label
PARAM (default: the parameters that differ between runs).

--var NAME picks a variable by its name in /system `variables`; in a system of several nodes
NAME is node 0's and NAME[i] node i's.

usage: plot_branch.py OUTPUT.h5 [-o PLOT.png] [--var NAME | --norm] [--period] [--label PARAM]
"""
import argparse
import os
import re
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndio  # noqa: E402

MARKERS = {"LP": ("o", "C3"), "HB": ("s", "C2"), "CP": ("D", "C4"), "BT": ("D", "C5"), "BP": ("^", "C1"),
           "LPC": ("o", "C6"), "CPC": ("D", "C6"), "GH": ("*", "C1"), "PD": ("v", "C8"), "NS": ("p", "C9"), "UZ": ("P", "0.4"), "MX": ("X", "C3"),
           "EP": ("x", "k")}
EQUILIBRIUM_COLOR, CYCLE_COLOR = "C0", "C1"


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def segments(x, y, stable):
    """consecutive runs of equal stability (each run shares its last point with the next)"""
    start = 0
    for i in range(1, len(x) + 1):
        if i == len(x) or stable[i] != stable[start]:
            yield x[start:i + (i < len(x))], y[start:i + (i < len(x))], stable[start]
            start = i


def column(name, variables, ncols):
    """Column of variable NAME (node 0) or NAME[i] (node i) in a table of ncols columns."""
    match = re.fullmatch(r"(.+?)(?:\[(\d+)\])?", name)
    base, node = match.group(1), int(match.group(2) or 0)
    nodes = ncols // max(len(variables), 1)
    if base not in variables or node >= nodes:
        names = ", ".join(variables) + (f" (nodes 0 to {nodes - 1}: NAME[i])" if nodes > 1 else "")
        raise ValueError(f"unknown variable '{name}' (the system's variables: {names})")
    return node * len(variables) + variables.index(base)


def stability(g, n):
    return g["unstable"][:] == 0 if "unstable" in g else np.ones(n, bool)


def draw(ax, x, y, stable, color, kind, labelled):
    for xs, ys, st in segments(x, y, stable):
        key = f"{kind} {'stable' if st else 'unstable'}"
        ax.plot(xs, ys, "-" if st else "--", color=color, lw=1.5, label=key if key not in labelled else None)
        labelled.add(key)


def mark(ax, labels, px, py, labelled):
    for lab, x, y in zip(labels, px, py):
        marker, color = MARKERS.get(lab, ("*", "k"))
        ax.plot([x], [y], marker, color=color, ms=7, mfc="none" if lab != "EP" else color,
                label=lab if lab not in labelled else None)
        labelled.add(lab)
        if lab != "EP":
            ax.annotate(lab, (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("-o", "--output")
    ap.add_argument("--var", help="state variable to plot (default: the first)")
    ap.add_argument("--norm", action="store_true", help="plot the norm of the state or orbit")
    ap.add_argument("--period", action="store_true", help="second panel: the period of the cycles")
    ap.add_argument("--label", help="merged files: the parameter that tells the runs apart")
    args = ap.parse_args()
    if args.var and args.norm:
        ap.error("--var and --norm exclude each other")
    try:
        f = ndio.open_output(args.file)
    except (OSError, ndio.IncompleteOutput) as e:
        sys.exit(f"plot_branch: {e}")
    with f:
        runs = [f["run"][i] for i in sorted(f["run"], key=int)] if "run" in f else [f]
        system = runs[0]["system"]
        systype = text(system.attrs["type"])
        variables = text(system.attrs["variables"]).split(",")
        params = {k: float(system["parameters"][k][()]) for k in system["parameters"]}
        varying = [k for k in params if len({float(r["system/parameters"][k][()]) for r in runs}) > 1]
        label_by = [args.label] if args.label else varying
        branches = [(r, r["branch"][k]) for r in runs for k in sorted(r["branch"], key=int)]
        # the variable, checked once against the widest table of the file
        name = args.var or variables[0]
        widths = [g[d].shape[1] for _, g in branches for d in ("state", "max") if d in g and g[d].ndim == 2]
        if args.var:
            try:
                column(args.var, variables, max(widths, default=len(variables)))
            except ValueError as e:
                sys.exit(f"plot_branch: {e}")
        # one quantity on the y axis for equilibria and cycles: the norm where a branch lacks the
        # state (large systems) or the max/min tables
        incomplete = [g.name for _, g in branches if (text(g.attrs["type"]) == "equilibrium" and "state" not in g)
                      or (text(g.attrs["type"]) == "cycle" and not ("max" in g and "min" in g))]
        use_norm = args.norm or bool(incomplete)
        if incomplete and not args.norm:
            if args.var:
                sys.exit(f"plot_branch: --var {args.var}: {', '.join(incomplete)} store no state (only its norm); "
                         "use --norm")
            print(f"plot_branch: {', '.join(incomplete)} store no state: plotting the norm", file=sys.stderr)
        cycles = [g for _, g in branches if "period" in g and text(g.attrs["type"]) in ("cycle", "periodic")]
        if args.period and not cycles:
            sys.exit(f"plot_branch: --period: {args.file} has no branch of periodic orbits")
        if args.period:
            fig, (ax, axp) = plt.subplots(2, 1, figsize=(7, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
        else:
            fig, ax = plt.subplots(figsize=(7, 5))
            axp = None
        ylabel = "|x|" if use_norm else name
        amp_ax = None
        labelled, labelled_p = set(), set()  # legend entries already made (main axes, period panel)
        for run, g in branches:
            kind, lam = text(g.attrs["type"]), text(g.attrs["parameter"])
            labels = [s for s in text(g["special"].attrs["labels"]).split(",") if s]
            last_y = None
            if kind in ("fold", "hopf", "lpc", "pd"):
                p1 = text(g.attrs["first_parameter"])
                x, y = g[p1][:], g[lam][:]
                ax.plot(x, y, "-", color={"fold": "C0", "hopf": "C2", "lpc": "C6", "pd": "C8"}[kind], lw=1.5,
                        label={"lpc": "fold of cycles curve", "pd": "period doubling curve"}.get(kind, f"{kind} curve")
                        if kind not in labelled else None)
                labelled.add(kind)
                ax.set_xlabel(p1)
                ylabel = lam
                mark(ax, labels, g["special"][p1][:], g["special"][lam][:], labelled)
                last_y = y[-1]
            elif kind in ("cycle", "periodic"):
                x = g[lam][:]
                stable = stability(g, len(x))
                rows = g["special/row"][:].astype(int)
                if kind == "cycle":
                    if use_norm:
                        curves = [g["norm"][:]]
                    else:
                        j = column(name, variables, g["max"].shape[1])
                        curves = [g["max"][:, j], g["min"][:, j]]
                    for y in curves:
                        draw(ax, x, y, stable, CYCLE_COLOR, "cycles", labelled)
                    mark(ax, labels, x[rows], curves[0][rows], labelled)
                    last_y = curves[0][-1]
                else:  # shooting branches: only the peak-to-peak amplitude of the first variable
                    if amp_ax is None:
                        amp_ax = ax.twinx()
                        amp_ax.set_ylabel(f"cycles: amplitude of {variables[0]} (peak to peak)", color=CYCLE_COLOR)
                    if args.var not in (None, variables[0]) or use_norm:
                        print(f"plot_branch: branch {g.name} (type periodic) stores only the amplitude of "
                              f"{variables[0]}: drawn on the right-hand axis", file=sys.stderr)
                    y = g["amplitude"][:]
                    draw(amp_ax, x, y, stable, CYCLE_COLOR, "cycles (amplitude)", labelled)
                    mark(amp_ax, labels, x[rows], y[rows], labelled)
                if axp is not None and "period" in g:
                    period = g["period"][:]
                    draw(axp, x, period, stable, CYCLE_COLOR, "cycles", labelled_p)
                    mark(axp, [s for s in labels if s != "EP"], x[rows][[s != "EP" for s in labels]],
                         period[rows][[s != "EP" for s in labels]], labelled_p)
                ax.set_xlabel(lam)
            else:
                x = g[lam][:]
                if use_norm:
                    y = g["norm"][:]
                else:
                    y = g["state"][:, column(name, variables, g["state"].shape[1])]
                draw(ax, x, y, stability(g, len(x)), EQUILIBRIUM_COLOR, "equilibria", labelled)
                rows = g["special/row"][:].astype(int)
                mark(ax, labels, x[rows], y[rows], labelled)
                ax.set_xlabel(lam)
                last_y = y[-1]
            if label_by and len(runs) > 1 and g.name.endswith("/branch/0") and last_y is not None:
                tag = ", ".join(f"{k} = {float(run['system/parameters'][k][()]):g}" for k in label_by)
                x_end = g[text(g.attrs.get("first_parameter", lam)) if kind in ("fold", "hopf", "lpc", "pd") else lam][-1]
                ax.annotate(tag, (x_end, last_y), textcoords="offset points", xytext=(4, 0), fontsize=7, color="0.3")
        ax.set_ylabel(ylabel)
        if axp is not None:
            axp.set_ylabel("period")
            axp.set_xlabel(ax.get_xlabel())
            axp.legend(fontsize=8)
        handles, names = ax.get_legend_handles_labels()
        if amp_ax is not None:
            h2, n2 = amp_ax.get_legend_handles_labels()
            handles, names = handles + h2, names + n2
        ax.legend(handles, names, fontsize=8)
        title = f"{systype}: " + ", ".join(f"{k} = {v:g}" for k, v in params.items() if k not in varying)
        ax.set_title(textwrap.fill(title, 90), fontsize=8)
        fig.tight_layout()
        out = args.output or os.path.splitext(args.file)[0] + ".png"
        fig.savefig(out, dpi=110)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
