"""Power spectrum of the population rate of N all-to-all coupled QIF neurons with Lorentzian
excitabilities (seed 003, docs/models/mpr_shotnoise.md), computed with numpy/scipy
independently of neurodyn's C code (the derivation: docs/models/mpr_shotnoise.md).

Convention: S(omega) = int C(s) exp(-i omega s) ds (two-sided, angular frequency); Welch's
one-sided density in ordinary frequency f is P(f) = 2 S(2 pi f).
"""
import numpy as np

import mpr_theory


def uncoupled(omega, e, Delta, N, harmonics=400):
    """Shot-noise spectrum of N uncoupled neurons with drives Lorentzian(e, Delta), tau = 1: a
    neuron with drive e' > 0 fires periodically at nu = sqrt(e')/pi; harmonic k of the population
    rate is (1/N) p(nu) nu^2 / k at omega = 2 pi k nu, which with p the density of nu is
    4 Delta/(pi^2 N) |omega|^3 / |omega^2 - 4 k^2 (e + i Delta)|^2."""
    w = np.abs(np.asarray(omega, dtype=float))
    z = e + 1j * Delta
    s = np.zeros_like(w)
    for k in range(1, harmonics + 1):
        s += w**3 / np.abs(w**2 - 4 * k * k * z) ** 2
    return 4 * Delta / (np.pi**2 * N) * s


def fixed_point(eta, J, Delta):
    """The stable fixed point (r0, v0) of the MPR equations at tau = 1"""
    stable = [p for p in mpr_theory.fixed_points(eta, J, Delta) if mpr_theory.is_stable(p[0], p[1], J)]
    if len(stable) != 1:
        raise ValueError(f"expected one stable fixed point, found {len(stable)}")
    return stable[0]


def coupling_gain(omega, r0, v0, J):
    """1 + H(omega): the rate R = r + xi responds to the shot noise xi fed back through J; H is the
    MPR linear response of r to an input J xi in the v equation, 2 r0 J / ((i w - 2 v0)^2 - 2 r0 (J - 2 pi^2 r0))."""
    iw = 1j * np.asarray(omega, dtype=float)
    return 1 + 2 * r0 * J / ((iw - 2 * v0) ** 2 - 2 * r0 * (J - 2 * np.pi**2 * r0))


def rate_spectrum(omega, eta, J, Delta, N, tau=1.0):
    """S_R(omega) of the network's rate R = r + xi (units of 1/T, omega in 1/T) and the uncoupled
    part at the same drive: (S_R, S_0). With tau != 1, S(omega) = S^(omega tau)/tau."""
    r0, v0 = fixed_point(eta, J, Delta)
    w = np.asarray(omega, dtype=float) * tau
    s0 = uncoupled(w, eta + J * r0, Delta, N)
    return np.abs(coupling_gain(w, r0, v0, J)) ** 2 * s0 / tau, s0 / tau


def binned_rate(ts):
    """(bin start times, R averaged over each sampling interval) of an mpr_shotnoise /timeseries:
    the trapezoidal mean of the smooth r plus the increment of xi_integral, which is what the
    network's binned rate measures (point samples of R alias the part of xi faster than the
    sampling)"""
    t = ts["t"]
    dt = np.diff(t)
    return t[:-1], 0.5 * (ts["r"][1:] + ts["r"][:-1]) + np.diff(ts["xi_integral"]) / dt


def welch(t, x, segment, t_skip=0.0):
    """One-sided Welch density P(f) of x(t) (uniform samples after t_skip), segments of the given
    duration with 50% overlap, Hann window"""
    from scipy.signal import welch as scipy_welch

    keep = t >= t_skip
    t, x = t[keep], x[keep]
    dt = (t[-1] - t[0]) / (len(t) - 1)
    return scipy_welch(x - x.mean(), fs=1.0 / dt, nperseg=int(round(segment / dt)), detrend="constant")


def peak_frequency(f, P, fmin, fmax, halfwidth, smooth=5):
    """Frequency of the highest peak of P in [fmin, fmax]: the maximum of P averaged over `smooth`
    neighbouring frequencies, refined to the power-weighted mean frequency within halfwidth of it
    (robust against the bin-to-bin scatter of a Welch estimate)"""
    Ps = np.convolve(P, np.ones(smooth) / smooth, mode="same")
    band = (f >= fmin) & (f <= fmax)
    f0 = f[band][np.argmax(Ps[band])]
    near = np.abs(f - f0) <= halfwidth
    return float(np.sum(f[near] * P[near]) / np.sum(P[near]))
