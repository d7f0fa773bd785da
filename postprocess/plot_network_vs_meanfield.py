#!/usr/bin/python3
"""A network run beside a mean-field run of the same protocol: the network's population rate
(spike count, binned) and its mean-field observables against the mass model's variables.

usage: plot_network_vs_meanfield.py NETWORK.h5 MEANFIELD.h5 [-o PLOT.png] [--population E]
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndio  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("network")
    ap.add_argument("meanfield")
    ap.add_argument("-o", "--plot", default=None)
    ap.add_argument("--population", default=None)
    a = ap.parse_args(argv)
    net = ndio.network(a.network)
    pop = a.population or next(iter(net))
    t_rate, rates = ndio.rates(a.network, per_time_unit=True)  # the mean field's r is per time unit
    t_obs, obs = ndio.observables(a.network)
    mf, units = ndio.timeseries(a.meanfield)
    shared = [k for k in obs[pop] if k in mf and k != "r"]
    fig, axes = plt.subplots(2 + len(shared), 1, sharex=True, figsize=(9, 2.4 * (2 + len(shared))))
    axes[0].plot(t_rate, rates[pop], color="0.6", lw=0.6, label=f"network {pop}: spike count / (N rate_dt)")
    axes[0].plot(mf["t"], mf["r"], "C3", lw=1.2, label="mean field r")
    axes[0].set_ylabel("r")
    axes[0].legend(loc="upper left", fontsize=8)
    for ax, name in zip(axes[1:], shared):
        ax.plot(t_obs, obs[pop][name], color="0.4", lw=0.8, label=f"network {pop}")
        ax.plot(mf["t"], mf[name], "C3", lw=1.2, label="mean field")
        ax.set_ylabel(name)
        ax.legend(loc="upper left", fontsize=8)
    if "I" in mf:
        axes[-1].plot(mf["t"], mf["I"], "k", lw=1)
        axes[-1].set_ylabel("I(t)")
    axes[-1].set_xlabel(f"t [{net[pop]['time_unit']}]")
    fig.suptitle(f"{net[pop]['model']} network (N = {net[pop]['size']}) and its mean field")
    fig.tight_layout()
    out = a.plot or os.path.splitext(a.network)[0] + "_vs_meanfield.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
