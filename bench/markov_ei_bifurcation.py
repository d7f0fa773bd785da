#!/usr/bin/python3
"""Where the mif E/I network's dynamics change with the external drive, against the bifurcations
of its Markov-approximation ODEs markov_ei (docs/models/markov_ei.md).

For each drive rate_ext: the network (inputs/mif_ei.yaml, 2 ranks) and the ODEs
(inputs/markov_ei.yaml) are simulated; from the E population rate after a transient: the size of
its fluctuations (standard deviation / mean: ~0 for an asynchronous state, large with
multiple-firing events) and the frequency of its main spectral peak (Welch, 20-200 Hz) with the
peak's prominence (peak / median power in 10-300 Hz). The ODEs' Hopf points in rate_ext come
from `neurodyn continue` (inputs/markov_ei_continuation.yaml). Prints a table and writes a PNG.

usage: bench/markov_ei_bifurcation.py [--drives 2,3,...] [--time 1500] [--ranks 2] [-o PNG]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from scipy.signal import welch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import markov_ei  # noqa: E402
import ndio  # noqa: E402

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
EXE = os.path.join(ROOT, "bin", "neurodyn")
SKIP = 200.0  # ms of transient


def rate_measures(t, rate):
    """(mean in Hz, sd/mean, peak frequency in Hz, peak prominence) of a rate in spikes/ms"""
    keep = t >= SKIP
    t, r = t[keep], rate[keep] * 1000.0
    dt = (t[-1] - t[0]) / (len(t) - 1)
    f, P = welch(r - r.mean(), fs=1000.0 / dt, nperseg=int(round(256 / dt)))
    band = (f >= 20) & (f <= 200)
    i = np.argmax(P[band])
    base = np.median(P[(f >= 10) & (f <= 300)])
    return r.mean(), r.std() / r.mean(), f[band][i], P[band][i] / base


def network(drive, time, ranks, tmp):
    out = os.path.join(tmp, "net.h5")
    subprocess.run(["mpiexec", "-n", str(ranks), "--oversubscribe", EXE, "simulate", os.path.join(ROOT, "inputs", "mif_ei.yaml"),
                    "-net_E_rate_ext", str(drive), "-net_I_rate_ext", str(drive), "-ts_max_time", str(time), "-output", out,
                    "-overwrite", "-quiet"], check=True, env=ENV)
    t, rates = ndio.rates(out, per_time_unit=True)
    return rate_measures(t, rates["E"])


def odes(drive, time, tmp):
    out = os.path.join(tmp, "ode.h5")
    subprocess.run([EXE, "simulate", os.path.join(ROOT, "inputs", "markov_ei.yaml"), "-params_rate_ext", str(drive),
                    "-ts_max_time", str(time), "-output", out, "-overwrite", "-quiet"], check=True, env=ENV)
    data, _ = ndio.timeseries(out)
    _, p, _ = ndio.system(out)
    return rate_measures(data["t"], markov_ei.rates(data, p)["E"])


def hopf_points(ranks, tmp):
    """[(rate_ext, frequency in Hz)] of the Hopf points of the ODEs' equilibrium"""
    out = os.path.join(tmp, "cont.h5")
    subprocess.run(["mpiexec", "-n", "1", EXE, "continue", os.path.join(ROOT, "inputs", "markov_ei_continuation.yaml"),
                    "-output", out, "-quiet"], check=True, env=ENV)
    points = []
    with h5py.File(out, "r") as f:
        for g in f["branch"].values():
            s = g["special"]
            points += [(s["rate_ext"][i], s["omega"][i] * 1000 / (2 * np.pi))
                       for i, lab in enumerate(s.attrs["labels"].split(",")) if lab == "HB"]
    return sorted(points)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--drives", default="2,3,4,4.5,5,6,7,8,9,9.5,10,11,12")
    ap.add_argument("--time", type=float, default=1500.0)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("-o", "--plot", default=os.path.join(ROOT, "out", "markov_ei_bifurcation.png"))
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    hopf = hopf_points(a.ranks, tmp)
    print("ODE Hopf points: " + ", ".join(f"rate_ext = {d:.5f}/ms ({fr:.1f} Hz)" for d, fr in hopf))
    print(f"{'rate_ext':>8} | {'network: rate':>13} {'sd/mean':>8} {'peak Hz':>8} {'prom.':>6} | "
          f"{'ODEs: rate':>10} {'sd/mean':>8} {'peak Hz':>8} {'prom.':>6}")
    rows = []
    for drive in (float(d) for d in a.drives.split(",")):
        n, o = network(drive, a.time, a.ranks, tmp), odes(drive, a.time, tmp)
        rows.append((drive, n, o))
        print(f"{drive:8.2f} | {n[0]:13.1f} {n[1]:8.2f} {n[2]:8.1f} {n[3]:6.0f} | {o[0]:10.1f} {o[1]:8.2f} {o[2]:8.1f} {o[3]:6.0f}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = np.array([r[0] for r in rows])
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(7.5, 6))
    ax1.plot(d, [r[1][1] for r in rows], "o-", color="C0", label="mif network (300 E + 100 I)")
    ax1.plot(d, [r[2][1] for r in rows], "s-", color="C3", label="markov_ei ODEs")
    ax1.set_ylabel("sd / mean of the E rate")
    osc = [r for r in rows if r[2][1] > 0.05]
    ax2.plot(d, [r[1][2] for r in rows], "o-", color="C0", label="network: spectral peak")
    ax2.plot([r[0] for r in osc], [r[2][2] for r in osc], "s-", color="C3", label="ODEs: limit cycle")
    ax2.plot([h[0] for h in hopf], [h[1] for h in hopf], "k*", ms=11, label="ODEs: Hopf points (continue)")
    for h in hopf:
        for ax in (ax1, ax2):
            ax.axvline(h[0], color="0.6", ls=":", lw=1)
    ax2.set_ylabel("frequency (Hz)")
    ax2.set_xlabel("external drive rate_ext (kicks per ms)")
    ax1.legend(fontsize=8)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(a.plot), exist_ok=True)
    fig.savefig(a.plot, dpi=120)
    print(f"wrote {a.plot}")


if __name__ == "__main__":
    main()
