#!/usr/bin/python3
"""Plot the linear-equivalent cross-spectrum of `covariance -cov_theory linear_equivalent`
(/covariance/linear_equivalent): the eigenvalues of C(omega) at each frequency and, given the
simulation it was measured from (--sim, with C written: -cov_matrix or -cov_units), the predicted
against the simulated coherences Re rho_ij of the same units, with their correlation.

usage: postprocess/plot_linear_equivalent.py theory.h5 [--sim sim.h5 --tmin T] [-o out.png]
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from welch import coherence, correlation, cross_spectrum, offdiag  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("theory")
    ap.add_argument("--sim", help="the simulate output the theory was measured from")
    ap.add_argument("--tmin", type=float, help="skip the samples before (default: the theory's -cov_tmin)")
    ap.add_argument("-o", "--plot", default="linear_equivalent.png")
    a = ap.parse_args()
    with h5py.File(a.theory, "r") as f:
        if "covariance/linear_equivalent" not in f:
            sys.exit(f"{a.theory}: no /covariance/linear_equivalent (run covariance -cov_theory linear_equivalent)")
        g = f["covariance/linear_equivalent"]
        omega, eig = g["omega"][()], g["eigenvalues"][()]
        m = eig.shape[1]
        units = g["units"][()] if "units" in g else np.arange(m)
        C = (g["C_real"][()] + 1j * g["C_imag"][()]).reshape(len(omega), m, m) if "C_real" in g else None
        segment, tmin = g.attrs.get("segment_time"), g.attrs.get("tmin", 0.0)
    scatter = a.sim is not None
    if scatter and (C is None or segment is None):
        sys.exit("--sim needs a theory measured from a simulation (-cov_from) with C written (-cov_matrix or -cov_units)")
    fig, axes = plt.subplots(1, 1 + (len(omega) if scatter else 0), figsize=(4.2 * (1 + scatter * len(omega)), 4),
                             squeeze=False)
    ax = axes[0][0]
    for k, om in enumerate(omega):
        ax.loglog(np.arange(1, m + 1), np.maximum(eig[k], 1e-300), label=f"ω = {om:g}")
    ax.set_xlabel("rank")
    ax.set_ylabel("eigenvalue of C(ω)")
    ax.set_title(f"linear-equivalent C(ω), {m} units", fontsize=9)
    ax.legend(fontsize=8)
    if scatter:
        with h5py.File(a.sim, "r") as f:
            t, X = f["timeseries/t"][()], f["timeseries/x"][()][:, units]
        X = X[t >= (a.tmin if a.tmin is not None else tmin)]
        for k, om in enumerate(omega):
            predicted = offdiag(coherence(C[k]))
            measured = offdiag(coherence(cross_spectrum(X, t[1] - t[0], segment, om)))
            ax = axes[0][k + 1]
            ax.plot(predicted.real, measured.real, ",", alpha=0.4)
            lim = 1.1 * np.max(np.abs(predicted.real))
            ax.plot([-lim, lim], [-lim, lim], "k--", lw=0.8)
            ax.set_title(f"ω = {om:g}: correlation {correlation(predicted, measured):.2f}", fontsize=9)
            ax.set_xlabel("Re ρ_ij, theory")
            ax.set_ylabel("Re ρ_ij, simulation")
    fig.tight_layout()
    fig.savefig(a.plot, dpi=110)
    print(f"wrote {a.plot}")


if __name__ == "__main__":
    main()
