#!/usr/bin/python3
"""Compare izh_mf (Chen-Campbell exact mean field) with izh_mf_slow (Nicola-Campbell slow-
adaptation mean field): the population rate r(t) and the adaptation w(t), one column per value
of eta. For izh_mf_slow the rate is R(s, w) of docs/models/izh_mf_slow.md, computed from the stored
s and w.

usage: plot_izh_mf_slow.py OUTPUT.h5 [OUTPUT.h5 ...] [-o PLOT.png]
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

MS_PER_UNIT = 1.538  # C / (k |V_R|) for the default parameters (docs/models/izh_mf.md)


def slow_rate(s, w, p):
    c = (p["alpha"] + p["g"] * s) / 2
    H = p["eta"] + p["g"] * p["e_r"] * s - w - c * c
    q = np.sqrt(np.maximum(H, 1e-300))
    R = q / (np.arctan((p["v_peak"] - c) / q) - np.arctan((p["v_reset"] - c) / q))
    return np.where(H > 0, R, 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outputs", nargs="+")
    ap.add_argument("-o", "--output", default="out/izh_mf_bursting.png")
    args = ap.parse_args()
    runs = []
    for path in args.outputs:
        kind, params, _ = ndio.system(path)
        data, _ = ndio.timeseries(path)
        r = data["r"] if kind == "izh_mf" else slow_rate(data["s"], data["w"], params)
        runs.append((params["eta"], kind, data["t"] * MS_PER_UNIT, r, data["w"]))
    etas = sorted({run[0] for run in runs})
    fig, axes = plt.subplots(2, len(etas), figsize=(5.5 * len(etas), 5.5), sharex=True, squeeze=False)
    style = {"izh_mf": dict(color="k", lw=1.2, label="izh_mf (Chen-Campbell, exact)"),
             "izh_mf_slow": dict(color="tab:red", lw=1.0, ls="--", label="izh_mf_slow (Nicola-Campbell, slow w)")}
    for eta, kind, t, r, w in runs:
        col = etas.index(eta)
        axes[0, col].plot(t, r / MS_PER_UNIT * 1000, **style[kind])
        axes[1, col].plot(t, w, **style[kind])
        axes[0, col].set_title(f"eta = {eta:g}")
    for col in range(len(etas)):
        axes[0, col].set_ylabel("rate [Hz]")
        axes[1, col].set_ylabel("adaptation w")
        axes[1, col].set_xlabel("t [ms]")
    axes[0, 0].legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
