#!/usr/bin/python3
"""The effective-gain theory of the response (docs/models/rate.md#theory-at-fixed-j) against simulations of a chaotic rate
network (tanh, Gaussian J, g > 1): for each frequency, `simulate` drives every unit with a weak
sine and the population's response is measured by lock-in (postprocess/lockin.py); `response
-resp_theory effective_gain -resp_exact false` gives (i omega + 1 - a J)^{-1} u on a grid, with a
= <tanh'(x)> averaged over the units and samples of the first simulation. Prints the table and
plots gain and phase (theory line, simulated points).

usage: bench/rate_chaos_response.py [--N 1000] [--g 2] [--omegas 0.1,0.3,1,3] [--ranks 2]
                                    [--time 1500] [-o rate_chaos_response.png]
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
from lockin import lockin  # noqa: E402

AMPLITUDE, TMIN, SAMPLE_DT = 0.1, 300.0, 0.25


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--N", type=int, default=1000)
    ap.add_argument("--g", type=float, default=2.0)
    ap.add_argument("--omegas", default="0.1,0.3,1,3")
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--time", type=float, default=1500.0)
    ap.add_argument("-o", "--plot", default="rate_chaos_response.png")
    a = ap.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    mpi = ["mpiexec", "-n", str(a.ranks), "--oversubscribe", os.path.join(ROOT, "bin", "neurodyn")]
    net = ["-sys_type", "rate", "-rate_N", str(a.N), "-params_g", str(a.g), "-quiet"]
    tmp = tempfile.mkdtemp()
    omegas = [float(w) for w in a.omegas.split(",")]
    measured = []
    for k, om in enumerate(omegas):
        sim = os.path.join(tmp, f"sim{k}.h5")
        subprocess.run(mpi + ["simulate"] + net + ["-stim_type", "sine", "-stim_amplitude", str(AMPLITUDE),
                                                   "-stim_frequency", str(om / (2 * np.pi)), "-ts_max_time",
                                                   str(a.time), "-sample_dt", str(SAMPLE_DT), "-output", sim],
                       check=True, env=env)
        measured.append(lockin(sim, om, TMIN)[0])
        if k:
            os.remove(sim)
    theory = os.path.join(tmp, "theory.h5")
    subprocess.run(mpi + ["response"] + net + ["-resp_theory", "effective_gain", "-resp_exact", "false",
                                               "-resp_gain_from", os.path.join(tmp, "sim0.h5"), "-resp_gain_tmin",
                                               str(TMIN), "-resp_log", "-resp_omega_min", str(min(omegas) / 3),
                                               "-resp_omega_max", str(3 * max(omegas)), "-resp_n", "60", "-output",
                                               theory], check=True, env=env)
    at = os.path.join(tmp, "theory_at.h5")
    subprocess.run(mpi + ["response"] + net + ["-resp_theory", "effective_gain", "-resp_exact", "false",
                                               "-resp_gain_from", os.path.join(tmp, "sim0.h5"), "-resp_gain_tmin",
                                               str(TMIN), "-resp_omega", a.omegas, "-output", at], check=True, env=env)
    with h5py.File(at, "r") as f:
        predicted = f["response/theory_gain"][()] * np.exp(1j * f["response/theory_phase"][()])
        gain_a = f["response"].attrs["effective_gain"]
    print(f"N = {a.N}, g = {a.g}, effective gain a = {gain_a:.4f}")
    print(f"{'omega':>6} {'sim gain':>9} {'theory':>9} {'ratio':>7} {'sim phase':>10} {'theory':>8}")
    for om, m, p in zip(omegas, measured, predicted):
        print(f"{om:6g} {abs(m):9.4f} {abs(p):9.4f} {abs(p) / abs(m):7.3f} {np.angle(m):10.3f} {np.angle(p):8.3f}")
    with h5py.File(theory, "r") as f:
        w, tg, tp = f["response/omega"][()], f["response/theory_gain"][()], f["response/theory_phase"][()]
    fig, axes = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    axes[0].loglog(w, tg, "C3-", label=f"effective-gain theory, a = {gain_a:.3f}")
    axes[0].loglog(omegas, np.abs(measured), "ko", label="simulation (lock-in)")
    axes[1].semilogx(w, tp, "C3-")
    axes[1].semilogx(omegas, np.angle(measured), "ko")
    axes[0].set_ylabel("gain of the population mean")
    axes[1].set_ylabel("phase [rad]")
    axes[1].set_xlabel("ω [rad / time unit]")
    axes[0].legend(fontsize=8)
    axes[0].set_title(f"chaotic rate network, tanh, Gaussian J, N = {a.N}, g = {a.g}")
    fig.tight_layout()
    fig.savefig(a.plot, dpi=120)
    print(f"wrote {a.plot}")


if __name__ == "__main__":
    main()
