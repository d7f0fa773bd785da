#!/usr/bin/python3
"""Plot the result of `neurodyn binary`:
- bifurcations: the partition of stimulus space (1-D: the number of stationary states against
  the stimulus, and the number of cycles; 2-D: maps over the two population stimuli of the
  number of stationary states and of the number of cycles);
- stationary: mean activities, the correlation matrix and the membrane-potential densities;
- patterns: stationarity margin and basin fraction of each pattern.

usage: plot_binary.py OUTPUT.h5 [-o PLOT.png]
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndio  # noqa: E402


def plot_bifurcations(net, res):
    P = int(res["dimension"])
    nstat = res["cell_num_stationary"]
    ncyc = res.get("cell_num_cycles")
    if P == 1:
        e = res["edges_0"]
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.stairs(nstat, e, color="k", label="stationary states")
        if ncyc is not None:
            ax.stairs(ncyc, e, color="tab:red", label="cycles (oscillations)")
        for x in e[1:-1]:
            ax.axvline(x, color="0.8", lw=0.5, zorder=0)
        ax.set_xlabel("extra stimulus s (added to I)")
        ax.set_ylabel("number")
        ax.legend()
    else:  # the numbers of stationary states and of cycles over the plane, one panel each
        e0, e1 = res["edges_0"], res["edges_1"]
        shape = (len(e0) - 1, len(e1) - 1)
        panels = [(nstat, "number of stationary states")] + ([(ncyc, "number of cycles")] if ncyc is not None else [])
        fig, axs = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 5.5), squeeze=False)
        for ax, (count, label) in zip(axs[0], panels):
            grid = count.reshape(shape)
            vmax = max(int(grid.max()), 1)
            cmap = plt.get_cmap("viridis", vmax + 1)
            m = ax.pcolormesh(e0, e1, grid.T, cmap=cmap, vmin=-0.5, vmax=vmax + 0.5, shading="flat", rasterized=True)
            fig.colorbar(m, ax=ax, label=label, ticks=range(0, vmax + 1, max(1, (vmax + 1) // 10)))
            ax.set_xlabel("extra stimulus of population 0")
            ax.set_ylabel("extra stimulus of population 1")
        if ncyc is not None:  # where no state is stationary the network must oscillate: outline it
            axs[0][0].contour(0.5 * (e0[1:] + e0[:-1]), 0.5 * (e1[1:] + e1[:-1]), (nstat.reshape(shape) == 0).T,
                              levels=[0.5], colors="w", linewidths=0.8)
        ax = axs[0][0]
    return fig


def plot_stationary(net, res):
    fig, axs = plt.subplots(1, 3, figsize=(14, 4))
    N = int(net["N"])
    axs[0].bar(range(N), res["mean_activity"], color="k")
    axs[0].set_xlabel("neuron")
    axs[0].set_ylabel("mean activity")
    m = axs[1].imshow(res["correlation"], cmap="RdBu_r", vmin=-1, vmax=1)
    fig.colorbar(m, ax=axs[1], label="correlation")
    axs[1].set_title("pairwise correlations")
    for i in range(N):
        axs[2].plot(res["potential_grid"], res["potential_density"][i], lw=1)
    axs[2].set_xlabel("membrane potential V")
    axs[2].set_ylabel("density")
    fig.suptitle(f"stationary distribution: N = {N}, {net['update']} update, {net['noise']} noise")
    return fig


def plot_patterns(net, res):
    fig, axs = plt.subplots(1, 2, figsize=(10, 4))
    k = np.arange(len(res["margin"]))
    axs[0].bar(k, res["margin"], color=np.where(res["stationary"] > 0, "k", "tab:red"))
    axs[0].set_xlabel("pattern")
    axs[0].set_ylabel("margin (red: not stationary)")
    axs[1].bar(k, res["basin_fraction"], color="k")
    axs[1].set_xlabel("pattern")
    axs[1].set_ylabel("basin fraction of all states")
    return fig


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output")
    ap.add_argument("-o", dest="png")
    a = ap.parse_args()
    net, res = ndio.binary(a.output)
    plot = {"bifurcations": plot_bifurcations, "stationary": plot_stationary, "patterns": plot_patterns}
    fig = plot[str(net["analysis"])](net, res)
    png = a.png or os.path.splitext(a.output)[0] + ".png"
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
