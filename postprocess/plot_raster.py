#!/usr/bin/python3
"""Raster plot of a neurodyn network run with the population rates below it.

usage: plot_raster.py OUTPUT.h5 [-o PLOT.png] [--tmin T] [--tmax T] [--max-neurons N]
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output")
    ap.add_argument("-o", "--plot", default=None)
    ap.add_argument("--tmin", type=float, default=None)
    ap.add_argument("--tmax", type=float, default=None)
    ap.add_argument("--max-neurons", type=int, default=200, help="neurons shown per population")
    a = ap.parse_args(argv)
    net = ndio.network(a.output)
    t_rate, rates = ndio.rates(a.output)
    unit = next(iter(net.values()))["time_unit"]
    tmin = a.tmin if a.tmin is not None else (t_rate[0] if len(t_rate) else 0)
    tmax = a.tmax if a.tmax is not None else (t_rate[-1] if len(t_rate) else 1)
    fig, (ax, axr) = plt.subplots(2, 1, sharex=True, figsize=(9, 6), gridspec_kw={"height_ratios": [3, 1]})
    offset = 0
    for k, (pop, desc) in enumerate(net.items()):
        ts, ids = ndio.spikes(a.output, pop)
        stride = max(1, desc["size"] // a.max_neurons)  # an even sample across the population
        keep = (ids % stride == 0) & (ids // stride < a.max_neurons) & (ts >= tmin) & (ts <= tmax)
        ax.plot(ts[keep], ids[keep] // stride + offset, ".", ms=1.5, color=f"C{k}", label=f"{pop} ({desc['model']})")
        offset += min(desc["size"], a.max_neurons)
        sel = (t_rate >= tmin) & (t_rate <= tmax)
        axr.plot(t_rate[sel], rates[pop][sel], color=f"C{k}", lw=0.8, label=pop)
    ax.set_ylabel(f"neuron (every k-th, {a.max_neurons} per population)")
    ax.legend(loc="upper right", markerscale=6)
    axr.set_xlabel(f"t [{unit}]" if unit != "1" else "t")
    axr.set_ylabel(f"rate [{ndio.rate_unit(a.output)}]" if unit != "1" else "rate")
    axr.set_xlim(tmin, tmax)
    fig.tight_layout()
    out = a.plot or os.path.splitext(a.output)[0] + "_raster.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
