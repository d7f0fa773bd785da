"""Analytic results for the Montbrio-Pazo-Roxin mean field (docs/models/mpr.md),
computed with numpy/scipy independently of neurodyn's C code.

    tau dr/dt = Delta/(pi tau) + 2 r v
    tau dv/dt = v^2 + eta + J tau r - (pi tau r)^2 + I
"""
import numpy as np
from scipy.optimize import brentq


def fixed_points(eta, J, Delta, tau=1.0, I=0.0):
    """All fixed points (r, v), sorted by r. With rho = tau r, rho solves
    eta + I = pi^2 rho^2 - J rho - Delta^2 / (4 pi^2 rho^2), and v = -Delta / (2 pi rho)."""
    e = eta + I
    g = lambda rho: np.pi**2 * rho**2 - J * rho - Delta**2 / (4 * np.pi**2 * rho**2) - e
    roots = np.roots([np.pi**2, -J, -e, 0.0, -Delta**2 / (4 * np.pi**2)])
    points = []
    for z in roots:
        if abs(z.imag) > 1e-7 * max(1.0, abs(z)) or z.real <= 0:
            continue
        rho = z.real
        lo, hi = rho * (1 - 1e-6), rho * (1 + 1e-6)
        if g(lo) * g(hi) < 0:  # polish to machine precision
            rho = brentq(g, lo, hi, xtol=1e-15, rtol=1e-15)
        points.append((rho / tau, -Delta / (2 * np.pi * rho)))
    return sorted(points)


def jacobian(r, v, J, tau=1.0):
    return np.array([[2 * v, 2 * r], [J * tau - 2 * np.pi**2 * tau**2 * r, 2 * v]]) / tau


def is_stable(r, v, J, tau=1.0):
    return bool(np.all(np.linalg.eigvals(jacobian(r, v, J, tau)).real < 0))


def folds(J, Delta):
    """Fold (saddle-node) points at tau = 1: list of (eta, r) where d eta / d r = 0, from
    J = 2 pi^2 r + Delta^2 / (2 pi^2 r^3) and eta = -pi^2 r^2 - 3 Delta^2 / (4 pi^2 r^2)."""
    h = lambda r: 2 * np.pi**2 * r + Delta**2 / (2 * np.pi**2 * r**3) - J
    grid = np.logspace(-4, 2, 20001)
    s = np.sign(h(grid))
    out = []
    for i in np.where(s[:-1] != s[1:])[0]:
        r = brentq(h, grid[i], grid[i + 1], xtol=1e-15)
        out.append((-np.pi**2 * r**2 - 3 * Delta**2 / (4 * np.pi**2 * r**2), r))
    return sorted(out)


def branch(J, Delta, eta_values, tau=1.0):
    """Steady states along eta (for plotting): arrays eta, r, stable."""
    etas, rs, stable = [], [], []
    for e in eta_values:
        for r, v in fixed_points(e, J, Delta, tau):
            etas.append(e)
            rs.append(r)
            stable.append(is_stable(r, v, J, tau))
    return np.array(etas), np.array(rs), np.array(stable)


def uncoupled_solution(t, r0, v0, eta, Delta, I=0.0):
    """Exact solution for J = 0, tau = 1: w = v + i pi r obeys w' = w^2 + c, c = eta + I + i Delta,
    so w(t) = s tan(s t + arctan(w0 / s)) with s^2 = c."""
    c = complex(eta + I, Delta)
    s = np.sqrt(c)
    w = s * np.tan(s * np.asarray(t) + np.arctan(complex(v0, np.pi * r0) / s))
    return w.imag / np.pi, w.real
