#!/usr/bin/python3
"""Plot the branches of a `neurodyn continue` output.

Equilibrium branches: a state variable (default: the first; --var NAME, or --norm) against the
continuation parameter, stable parts solid, unstable dashed, special points labelled (LP fold,
HB Hopf, BP branch point, EP end). Periodic orbits: the peak-to-peak amplitude of the first
variable (stability from the Floquet multipliers; LP fold of cycles, PD period doubling, NS
torus). Fold and Hopf curves: the two-parameter diagram (second parameter
against the first) with cusps (CP) marked.

A file merged by merge_branches.py (/run/<i>/branch) draws every run, labelled by --label
PARAM (default: the parameters that differ between runs).

usage: plot_branch.py OUTPUT.h5 [-o PLOT.png] [--var NAME | --norm] [--label PARAM]
"""
import argparse
import os
import sys
import textwrap

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndio  # noqa: E402

MARKERS = {"LP": ("o", "C3"), "HB": ("s", "C2"), "CP": ("D", "C4"), "BP": ("^", "C1"), "EP": ("x", "k")}


def segments(x, y, stable):
    """consecutive runs of equal stability"""
    start = 0
    for i in range(1, len(x) + 1):
        if i == len(x) or stable[i] != stable[start]:
            yield x[start:i + (i < len(x))], y[start:i + (i < len(x))], stable[start]
            start = i


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("-o", "--output")
    ap.add_argument("--var", help="state variable to plot (default: the first)")
    ap.add_argument("--norm", action="store_true", help="plot the state norm")
    ap.add_argument("--label", help="merged files: the parameter that tells the runs apart")
    args = ap.parse_args()
    with ndio.open_output(args.file) as f:
        runs = [f["run"][i] for i in sorted(f["run"], key=int)] if "run" in f else [f]
        system = runs[0]["system"]
        systype = system.attrs["type"]
        variables = str(system.attrs["variables"]).split(",")
        params = {k: float(system["parameters"][k][()]) for k in system["parameters"]}
        varying = [k for k in params if len({float(r["system/parameters"][k][()]) for r in runs}) > 1]
        label_by = [args.label] if args.label else varying
        fig, ax = plt.subplots(figsize=(7, 5))
        labelled = set()
        branches = [(r, r["branch"][k]) for r in runs for k in sorted(r["branch"], key=int)]
        for run, g in branches:
            if label_by and run is not f and len(runs) > 1 and g.name.endswith("/branch/0"):
                tag = ", ".join(f"{k} = {float(run['system/parameters'][k][()]):g}" for k in label_by)
                x0 = g[g.attrs["parameter"]][-1]
                y0 = g["state"][-1, 0] if "state" in g and g.attrs["type"] == "equilibrium" else g["norm"][-1]
                ax.annotate(tag, (x0, y0), textcoords="offset points", xytext=(4, 0), fontsize=7, color="0.3")
            kind, lam = g.attrs["type"], g.attrs["parameter"]
            if kind in ("fold", "hopf"):
                p1 = g.attrs["first_parameter"]
                x, y = g[p1][:], g[lam][:]
                ax.plot(x, y, "-", color="C0" if kind == "fold" else "C2", lw=1.5, label=f"{kind} curve" if kind not in labelled else None)
                labelled.add(kind)
                ax.set_xlabel(p1)
                ax.set_ylabel(lam)
                sx, sy = g["special"][p1][:], g["special"][lam][:]
            else:
                x = g[lam][:]
                if kind == "periodic":
                    y, ylabel = g["amplitude"][:], f"amplitude of {variables[0]} (peak to peak)"
                elif args.norm or "state" not in g:
                    y, ylabel = g["norm"][:], "|x|"
                else:
                    name = args.var or variables[0]
                    y, ylabel = g["state"][:, variables.index(name)], name
                stable = g["unstable"][:] == 0 if "unstable" in g else np.ones(len(x), bool)
                for xs, ys, st in segments(x, y, stable):
                    key = "stable" if st else "unstable"
                    ax.plot(xs, ys, "-" if st else "--", color="C0", lw=1.5, label=key if key not in labelled else None)
                    labelled.add(key)
                ax.set_xlabel(lam)
                ax.set_ylabel(ylabel)
                rows = g["special/row"][:].astype(int)
                sx, sy = x[rows], y[rows]
            for lab, px, py in zip(g["special"].attrs["labels"].split(","), sx, sy):
                marker, color = MARKERS.get(lab, ("*", "k"))
                ax.plot([px], [py], marker, color=color, ms=7, mfc="none" if lab != "EP" else color,
                        label=lab if lab not in labelled else None)
                labelled.add(lab)
                if lab != "EP":
                    ax.annotate(lab, (px, py), textcoords="offset points", xytext=(6, 4), fontsize=8)
        title = f"{systype}: " + ", ".join(f"{k} = {v:g}" for k, v in params.items() if k not in varying)
        ax.set_title(textwrap.fill(title, 90), fontsize=8)
        ax.legend(fontsize=8)
        fig.tight_layout()
        out = args.output or os.path.splitext(args.file)[0] + ".png"
        fig.savefig(out, dpi=110)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
