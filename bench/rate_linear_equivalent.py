#!/usr/bin/python3
"""The linear-equivalent cross-spectrum (docs/models/rate.md#theory-at-fixed-j; `covariance -cov_theory linear_equivalent`)
against simulations of chaotic rate networks (tanh, Gaussian J, no noise) of growing N.

For each N: `simulate` runs the network; `covariance -cov_exact false -cov_from` measures a and
S_r from that run and predicts C(omega) = R (S_r J J^T) R^H for this J. The simulation's own
cross-spectral matrix (Welch, the estimator neurodyn uses) gives the measured coherences
rho_ij = C_ij / sqrt(C_ii C_jj), which are O(1/sqrt N). Reported per frequency:

- r: the correlation over the pairs i != j between predicted and measured rho (complex inner
  product, real part);
- reliability: how much of the measured rho is signal rather than estimation noise, from the
  correlation r12 of the two halves of the run (Spearman-Brown: 2 r12 / (1 + r12));
- r / sqrt(reliability): the correlation with the noise-free coherences (disattenuated); 1 if
  the theory is exact for this J;
- the mean power C_ii(omega), predicted and measured.

Plots the predicted against the measured Re rho at omega = 1 for each N.

usage: bench/rate_linear_equivalent.py [--N 250,500,1000] [--g 2] [--omegas 0.5,1,2] [--time 6000]
                                       [--ranks 2] [-o rate_linear_equivalent.png]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
from welch import coherence, correlation, cross_spectrum, offdiag  # noqa: E402

TMIN, SEGMENT, SAMPLE_DT = 100.0, 25.0, 0.25


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--N", default="250,500,1000")
    ap.add_argument("--g", type=float, default=2.0)
    ap.add_argument("--omegas", default="0.5,1,2")
    ap.add_argument("--time", type=float, default=6000.0)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("-o", "--plot", default="rate_linear_equivalent.png")
    a = ap.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    mpi = ["mpiexec", "-n", str(a.ranks), "--oversubscribe", os.path.join(ROOT, "bin", "neurodyn")]
    omegas = [float(w) for w in a.omegas.split(",")]
    sizes = [int(n) for n in a.N.split(",")]
    tmp = tempfile.mkdtemp()
    fig, axes = plt.subplots(1, len(sizes), figsize=(4 * len(sizes), 4), squeeze=False)
    print(f"chaotic tanh network, Gaussian J, g = {a.g}, {a.time:g} time units, Welch segments of {SEGMENT:g}")
    print(f"{'N':>5} {'a':>6} {'omega':>6} {'r':>6} {'reliab.':>8} {'r/sqrt':>7} {'power th.':>10} {'measured':>10}")
    for col, N in enumerate(sizes):
        net = ["-sys_type", "rate", "-rate_N", str(N), "-params_g", str(a.g), "-rate_seed", "3", "-quiet"]
        sim, th = os.path.join(tmp, f"sim{N}.h5"), os.path.join(tmp, f"th{N}.h5")
        subprocess.run(mpi + ["simulate"] + net + ["-init_x", "0.5", "-ts_max_time", str(a.time), "-sample_dt",
                                                   str(SAMPLE_DT), "-output", sim], check=True, env=env)
        subprocess.run(mpi + ["covariance"] + net + ["-cov_theory", "linear_equivalent", "-cov_exact", "false",
                                                     "-cov_from", sim, "-cov_tmin", str(TMIN), "-cov_segment",
                                                     str(SEGMENT), "-cov_omega", a.omegas, "-cov_matrix", "-output",
                                                     th], check=True, env=env)
        with h5py.File(sim, "r") as f:
            t, X = f["timeseries/t"][()], f["timeseries/x"][()]
        X = X[t >= TMIN]
        half = len(X) // 2
        with h5py.File(th, "r") as f:
            g = f["covariance/linear_equivalent"]
            C = (g["C_real"][()] + 1j * g["C_imag"][()]).reshape(len(omegas), N, N)
            gain = g.attrs["gain"]
        for k, om in enumerate(omegas):
            measured = cross_spectrum(X, SAMPLE_DT, SEGMENT, om)
            predicted = offdiag(coherence(C[k]))
            rho = offdiag(coherence(measured))
            r = correlation(predicted, rho)
            r12 = correlation(offdiag(coherence(cross_spectrum(X[:half], SAMPLE_DT, SEGMENT, om))),
                              offdiag(coherence(cross_spectrum(X[half:], SAMPLE_DT, SEGMENT, om))))
            reliability = 2 * r12 / (1 + r12)
            print(f"{N:5d} {gain:6.3f} {om:6g} {r:6.3f} {reliability:8.3f} {r / np.sqrt(reliability):7.3f} "
                  f"{np.mean(np.real(np.diag(C[k]))):10.4g} {np.mean(np.real(np.diag(measured))):10.4g}", flush=True)
            if om == 1.0:
                ax = axes[0][col]
                ax.plot(predicted.real, rho.real, ",", alpha=0.3)
                lim = np.max(np.abs(predicted.real)) * 1.1
                ax.plot([-lim, lim], [-lim, lim], "k--", lw=0.8)
                ax.set_title(f"N = {N}, ω = 1: r = {r:.2f}, noise-free {r / np.sqrt(reliability):.2f}", fontsize=9)
                ax.set_xlabel("Re ρ_ij, linear-equivalent theory")
                ax.set_ylabel("Re ρ_ij, simulation")
        os.remove(sim)
    fig.tight_layout()
    fig.savefig(a.plot, dpi=110)
    print(f"wrote {a.plot}")


if __name__ == "__main__":
    main()
