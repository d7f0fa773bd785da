#!/usr/bin/python3
"""Plot /spectrum of `neurodyn spectrum` in the complex plane, with the circular-law bulk (centre
-1, radius ||A + 1||_F / sqrt(N), docs/models/rate.md) and the stability line Re = 0; or
/response of `neurodyn response` (gain and phase against omega).

usage: plot_spectrum.py OUTPUT.h5 [-o PLOT.png]
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


def plot_spectrum(f, ax):
    g = f["spectrum"]
    re, im = g["eigenvalues_real"][()], g["eigenvalues_imag"][()]
    if "bulk_radius" in g.attrs:  # rate networks only
        r, c = g.attrs["bulk_radius"], g.attrs["bulk_center"]
        t = np.linspace(0, 2 * np.pi, 400)
        ax.plot(c + r * np.cos(t), r * np.sin(t), "C1-", lw=1.5, label=f"circular law, radius {r:.3g}")
    ax.plot(re, im, "C0.", ms=3, label=f"{len(re)} eigenvalues of A")
    ax.axvline(0, color="k", lw=0.8, ls="--", label="Re = 0")
    if "bulk_radius" in g.attrs:  # a disk is a disk (a mass model's few eigenvalues may all be real)
        ax.set_aspect("equal")
    elif len(re) and np.max(np.abs(im)) <= 1e-9 * np.max(np.abs(re + 1j * im)):  # real up to rounding
        span = max(np.ptp(re), 1e-3 * np.max(np.abs(re)), 1e-12)
        ax.set_ylim(-0.5 * span, 0.5 * span)
    ax.set_xlabel("Re λ")
    ax.set_ylabel("Im λ")
    what = "A = -1 + J D" if "bulk_radius" in g.attrs else "the Jacobian A"
    ax.set_title(f"spectrum of {what} at the fixed point (N = {g.attrs['N']})")
    ax.legend(loc="upper left", fontsize=8)


def plot_response(f, axes):
    g = f["response"]
    w = g["omega"][()]
    if "gain" in g:  # absent with -resp_exact false
        axes[0].plot(w, g["gain"][()], "C0o-", ms=3, label="χ at the fixed point")
        axes[1].plot(w, g["phase"][()], "C0o-", ms=3)
    if "theory_gain" in g:
        label = f"effective-gain theory, a = {g.attrs['effective_gain']:.3g}"
        axes[0].plot(w, g["theory_gain"][()], "C3s--", ms=3, label=label)
        axes[1].plot(w, g["theory_phase"][()], "C3s--", ms=3)
    axes[0].set_ylabel("gain |w·χ(ω)u|")
    axes[0].legend(fontsize=8)
    axes[1].set_ylabel("phase [rad]")
    axes[1].set_xlabel("ω [rad / time unit]")
    if len(w) > 1 and w.min() > 0 and w.max() / w.min() > 20:
        for a in axes:
            a.set_xscale("log")
        axes[0].set_yscale("log")
    axes[0].set_title("linear response χ(ω) = (iω - A)⁻¹ u, read out by w")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output")
    ap.add_argument("-o", "--plot", default=None)
    a = ap.parse_args()
    png = a.plot or os.path.splitext(a.output)[0] + ".png"
    with ndio.open_output(a.output) as f:
        if "spectrum" in f:
            fig, ax = plt.subplots(figsize=(6, 6))
            plot_spectrum(f, ax)
        elif "response" in f:
            fig, axes = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
            plot_response(f, axes)
        else:
            sys.exit(f"{a.output}: no /spectrum or /response group")
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
