#!/usr/bin/python3
"""Plot the E and I firing rates of a markov_ei run (the spike fluxes computed from the stored
occupations and pending kicks), optionally beside the population rates /rates/E, /rates/I of the
mif network simulated directly, and the E voltage distribution over time.

usage: plot_markov_ei.py MARKOV.h5 [--network MIF.h5] [--tmin T] [--tmax T] [-o PLOT.png]
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import markov_ei  # noqa: E402
import ndio  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("markov")
    ap.add_argument("--network", help="output of the mif network (inputs/mif_ei.yaml)")
    ap.add_argument("--tmin", type=float, default=0.0)
    ap.add_argument("--tmax", type=float, default=np.inf)
    ap.add_argument("-o", "--output", default="out/markov_ei.png")
    args = ap.parse_args()
    data, _ = ndio.timeseries(args.markov)
    _, p, _ = ndio.system(args.markov)
    t = data["t"]
    keep = (t >= args.tmin) & (t <= args.tmax)
    rates = markov_ei.rates(data, p)
    M, Mr = int(p["M"]), int(p["M_r"])
    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True)
    colours = {"E": "tab:red", "I": "tab:blue"}
    for k, pop in enumerate(markov_ei.POPS):
        ax = axes[k]
        ax.plot(t[keep], 1000 * rates[pop][keep], color=colours[pop], lw=1.3,
                label=f"markov_ei (mean {1000 * rates[pop][keep].mean():.1f} Hz)")
        if args.network:
            tn, rn = ndio.rates(args.network, per_time_unit=True)
            rn = rn[pop]
            dt = tn[1] - tn[0]
            kn = (tn >= args.tmin) & (tn <= args.tmax)
            ax.plot(tn[kn] + dt / 2, 1000 * rn[kn], color="k", lw=0.7, alpha=0.7,
                    label=f"mif network (mean {1000 * rn[kn].mean():.1f} Hz)")
        ax.set_ylabel(f"{pop} rate [Hz]")
        ax.legend(loc="upper right", fontsize=8)
    P = np.array([data[n] for n in markov_ei.state_names("E", M, Mr)[:-1]])[:, keep]
    axes[2].imshow(P, aspect="auto", origin="lower", cmap="viridis",
                   extent=[t[keep][0], t[keep][-1], -Mr - 0.5, M - 0.5], vmax=np.percentile(P, 99))
    axes[2].set_ylabel("E voltage V")
    axes[2].set_xlabel("t [ms]")
    axes[0].set_title(f"markov_ei, rate_ext = {p['rate_ext']:g} /ms")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
