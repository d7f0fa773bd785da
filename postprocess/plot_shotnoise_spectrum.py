#!/usr/bin/python3
"""Power spectra of the population rate of a finite QIF network and of its stochastic mean field
mpr_shotnoise (seed 003 Fig. 1): Welch estimates of the SDE's R = r + xi and of the network's
rate, both averaged over each sampling interval, beside the theory (docs/models/mpr_shotnoise.md): the rate R, the shot noise of the
uncoupled network at the same drive, and the coupling-induced fluctuations (the mean field's r).

usage: plot_shotnoise_spectrum.py SDE.h5 [NETWORK.h5] [-o PLOT.png] [--segment 40.96] [--t-skip 20]
       [--fmax 3] [--population E]
Prints the main peak's frequency of each spectrum (power-weighted within 0.1/tau of the smoothed maximum).
"""
import argparse
import os
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndio  # noqa: E402
import shotnoise_theory as theory  # noqa: E402


def spectra(sde, network=None, population=None, segment=40.96, t_skip=20.0):
    """{label: (f, P)} of the SDE's R and r and (if given) the network's rate, the parameters of
    the SDE run, and the theory (f, P_R, P_0, P_r) on the SDE's frequency grid"""
    _, p, _ = ndio.system(sde)
    ts, _ = ndio.timeseries(sde)
    out = {"SDE R = r + xi": theory.welch(*theory.binned_rate(ts), segment, t_skip),
           "SDE r (mean field)": theory.welch(ts["t"], ts["r"], segment, t_skip)}
    if network:
        t, rates = ndio.rates(network)
        pop = population or next(iter(rates))
        out[f"network ({pop})"] = theory.welch(t, rates[pop], segment, t_skip)
    f = out["SDE R = r + xi"][0]
    r0, v0 = theory.fixed_point(p["eta"], p["J"], p["Delta"])
    S_R, S_0 = theory.rate_spectrum(2 * np.pi * f, p["eta"], p["J"], p["Delta"], p["N"], p["tau"])
    H = theory.coupling_gain(2 * np.pi * f * p["tau"], r0, v0, p["J"]) - 1
    return out, p, (f, 2 * S_R, 2 * S_0, 2 * np.abs(H) ** 2 * S_0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sde")
    ap.add_argument("network", nargs="?")
    ap.add_argument("-o", "--plot", default=None)
    ap.add_argument("--segment", type=float, default=40.96, help="Welch segment duration")
    ap.add_argument("--t-skip", type=float, default=20.0, help="transient left out")
    ap.add_argument("--fmax", type=float, default=3.0)
    ap.add_argument("--population", default=None)
    a = ap.parse_args(argv)
    est, p, (f, P_R, P_0, P_r) = spectra(a.sde, a.network, a.population, a.segment, a.t_skip)
    lo, hi = 0.3 / p["tau"], 1.5 / p["tau"]
    print(f"main peak: theory {theory.peak_frequency(f, P_R, lo, hi, 0.1 / p['tau']):.4f}", end="")
    for label, (fe, Pe) in est.items():
        if not label.startswith("SDE r"):
            print(f", {label} {theory.peak_frequency(fe, Pe, lo, hi, 0.1 / p['tau']):.4f}", end="")
    print(" (cycles per time unit)")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colors = {"network": "C0", "SDE R": "C2", "SDE r": "0.5"}
    for label, (fe, Pe) in est.items():
        c = next(v for k, v in colors.items() if label.startswith(k))
        ax.semilogy(fe, Pe, color=c, lw=0.9 if label.startswith("SDE r") else 1.2, label=label)
    ax.semilogy(f, P_R, "C3--", lw=1.5, label="theory: rate R")
    ax.semilogy(f, P_0, color="#c8a000", ls=":", lw=1.5, label="theory: uncoupled shot noise")
    ax.semilogy(f, P_r, "k", lw=0.8, label="theory: coupling-induced (r)")
    ax.set_xlim(0, a.fmax)
    band = (f > 0.05) & (f < a.fmax)
    ax.set_ylim(P_R[band].min() / 3, 3 * max(P_R[band].max(), P_0[band].max()))
    ax.set_xlabel(f"frequency (1/{p['tau']:g} time units)" if p["tau"] != 1 else "frequency (cycles per time unit)")
    ax.set_ylabel("power spectral density (one-sided)")
    ax.set_title(f"shot noise, N = {p['N']:g}, J = {p['J']:g}, eta = {p['eta']:g}, Delta = {p['Delta']:g}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = a.plot or os.path.splitext(a.sde)[0] + "_spectrum.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
