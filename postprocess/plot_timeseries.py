#!/usr/bin/python3
"""Plot /timeseries of a neurodyn output file: each variable and the input I against t.
For a spiking network's output it plots /observables instead: each population's mean-field
observables against t (plot_raster.py draws its spikes and rates). For the mpr system with a time-varying input, a last panel draws the rate against the total
drive eta + I over the analytic steady states (stable solid, unstable dashed, folds marked),
which shows a hysteresis loop as the trajectory jumps between branches.

usage: plot_timeseries.py OUTPUT.h5 [-o PLOT.png]
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpr_theory  # noqa: E402
import ndio  # noqa: E402


def label(name, unit):
    return f"{name} [{unit}]" if unit and unit != "1" else name


def plot_mpr_branches(ax, data, params):
    eta, J, Delta, tau = params["eta"], params["J"], params["Delta"], params["tau"]
    drive = eta + data["I"]
    grid = np.linspace(drive.min() - 0.5, drive.max() + 0.5, 600)
    for stable, style in ((True, "-"), (False, "--")):
        pts = [(e, r) for e in grid for (r, v) in mpr_theory.fixed_points(e, J, Delta, tau)
               if mpr_theory.is_stable(r, v, J, tau) == stable]
        if pts:
            e, r = np.array(pts).T
            order = np.lexsort((e, r))  # draw as points: branches may fold back
            ax.plot(e[order], r[order], style if not stable else ".", ms=1.5, color="0.6",
                    label="steady states, " + ("stable" if stable else "unstable"))
    if tau == 1.0:
        for k, (e, r) in enumerate(mpr_theory.folds(J, Delta)):
            ax.plot([e], [r], "kx", ms=8, label="folds" if k == 0 else None)
    ax.plot(drive, data["r"], color="C0", lw=1.2, label="simulation")
    ax.set_xlabel("eta + I")
    ax.set_ylabel("r")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("rate against drive: the hysteresis loop", fontsize=10)


def plot_network_observables(path):
    """One panel per observable of a network run, a line per population"""
    t, obs = ndio.observables(path)
    names = sorted({k for p in obs.values() for k in p})
    fig, axes = plt.subplots(len(names), 1, figsize=(8, 2.2 * len(names) + 0.6), sharex=True, squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        for i, (pop, series) in enumerate(sorted(obs.items())):
            if name in series:
                ax.plot(t, series[name], lw=1, color=f"C{i}", label=pop)
        ax.set_ylabel(name)
        ax.legend(fontsize=8, loc="upper right")
    axes[0, 0].set_title("spiking network: population observables (/observables)", fontsize=10)
    axes[-1, 0].set_xlabel("t")
    return fig


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("-o", "--output", help="PNG file (default: next to the input, .png)")
    args = ap.parse_args()
    out = args.output or os.path.splitext(args.file)[0] + ".png"
    with ndio.open_output(args.file, require_complete=False) as f:
        kind = "timeseries" if "timeseries" in f else "observables" if "observables" in f else None
    if kind is None:
        sys.exit(f"plot_timeseries.py: {args.file} has neither /timeseries (simulate of a system) nor /observables "
                 "(simulate of a spiking network)")
    if kind == "observables":
        fig = plot_network_observables(args.file)
        fig.tight_layout()
        fig.savefig(out, dpi=110)
        print(f"wrote {out}")
        return
    data, units = ndio.timeseries(args.file)
    systype, params, sysattrs = ndio.system(args.file)
    variables = [v for v in str(sysattrs["variables"]).split(",") if v in data]
    has_input = np.ptp(data["I"]) > 0
    mpr_loop = systype == "mpr" and has_input and data["r"].ndim == 1
    panels = variables + ["I"]
    fig = plt.figure(figsize=(11 if mpr_loop else 8, 2.2 * len(panels) + 0.6))
    grid = fig.add_gridspec(len(panels), 2 if mpr_loop else 1, width_ratios=[1.3, 1] if mpr_loop else [1])
    t = data["t"]
    ax0 = None
    for i, name in enumerate(panels):
        ax = fig.add_subplot(grid[i, 0], sharex=ax0)
        ax0 = ax0 or ax
        ax.plot(t, data[name], lw=1, color="C3" if name == "I" else f"C{i}")
        ax.set_ylabel(label(name, units.get(name)))
        if i < len(panels) - 1:
            ax.tick_params(labelbottom=False)
    ax0.set_title(f"{systype}: " + ", ".join(f"{k} = {v:g}" for k, v in params.items()), fontsize=10)
    fig.axes[-1].set_xlabel(label("t", units.get("t")))
    if mpr_loop:
        plot_mpr_branches(fig.add_subplot(grid[:, 1]), data, params)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
