#!/usr/bin/python3
"""Independent scipy reference for a period doubling (flip) of limit cycles in a system neurodyn
ships: the `rate` network dx/dt = -x + g J0 tanh(x) + I with N = 3 units, I = 0 and the
connectivity J0 of the three-neuron Hopfield network below (known for its period-doubling route
to chaos; J0 is read from a file with -rate_J_file, not normalised). In g the orbit of period
~8 that is stable at g = 0.85 flips near g = 0.882: a Floquet multiplier passes through -1 and a
stable orbit of twice the period takes over (supercritical); simulations show irregular returns
at g = 0.92 and chaos at g = 1 (the further bifurcations are not located here).

Method (all scipy, nothing from neurodyn): orbits by Newton shooting on the Poincare section
{x0 = 0, x0 increasing} with DOP853 at rtol 1e-12 together with the variational equations
(tests/e2e/cycle_reference.py); the period-1 orbit is followed in g from a simulated attractor
at g = 0.85, and the flip is the root of det(M + I) = 0 (M: the monodromy matrix; the trivial
multiplier contributes the factor 2), located by Brent's method to 1e-12 in g. Beyond it, at
g = 0.89, the doubled orbit is taken from a simulation, refined by Newton shooting on twice the
period, and its two section crossings are reported; a long simulation at that g confirms that
the Poincare map of the attractor alternates between them.

    /usr/bin/python3 tests/e2e/pd_reference.py [out.json]
(default output tests/e2e/data/rate3_pd_reference.json; about 30 s of CPU time, 80 s wall clock
on the shared 2-core machine under load). inputs/rate3_hopfield_J.h5 holds the same J0 (dataset
/J) for neurodyn; inputs/rate3_period_doubling.yaml continues the orbits through the flip.
"""
import json
import os
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cycle_reference as cr  # noqa: E402

J0 = np.array([[2.0, -1.2, 0.0], [1.9995, 1.71, 1.15], [-4.75, 0.0, 1.1]])
G_START, G_BEYOND = 0.85, 0.89
X_INIT = [0.1, 0.1, 0.1]


def rate(g, I=0.0):
    """neurodyn's rate system with phi = tanh and connectivity J0, in numpy."""
    def rhs(x, p):
        return -x + p["g"] * (J0 @ np.tanh(x)) + p["I"]

    def jac(x, p):
        return -np.eye(len(x)) + p["g"] * J0 * (1.0 / np.cosh(x) ** 2)[None, :]

    return cr.System("rate", ["x0", "x1", "x2"], dict(g=g, I=I), rhs, jac, "x0")


def section_crossings(sys_, x, t_span, rtol=1e-12):
    """The states where the orbit from x crosses {x0 = 0} upwards within t_span: (times, states)."""
    def event(t, y):
        return y[0]
    event.direction = 1
    sol = solve_ivp(lambda t, y: sys_.f(y), (0, t_span), x, method="DOP853", rtol=rtol, atol=1e-14,
                    events=event)
    return sol.t_events[0], sol.y_events[0]


def attractor(sys_, x, transient):
    """A state on the section after a transient, and the time to its next crossing."""
    x = cr.settle(sys_, np.asarray(x, float), transient)
    t, y = section_crossings(sys_, x, 40.0)
    y0 = y[1].copy()
    y0[0] = 0.0
    return y0, t[2] - t[1]


def orbit(g, x, T, I=0.0):
    o = cr.periodic_orbit(rate(g, I), x, T, section="x0", tol=1e-12)
    return o["x0"], o["period"], o["multipliers"]


def flip_test(g, memo, I=0.0):
    """det(M + I) of the period-1 orbit at g (continued from the last orbit in memo)."""
    memo["x"], memo["T"], _ = orbit(g, memo["x"], memo["T"], I)
    _, M = cr.flow(rate(g, I), memo["x"], memo["T"], variational=True)
    return np.linalg.det(M + np.eye(3))


def locate_flip(I=0.0, g_end=G_BEYOND):
    """The flip of the period-1 orbit at input I: the orbit of the attractor at G_START, followed in
    g on a grid of 0.0025 up to g_end until det(M + I) changes sign, then Brent's method on g.
    Returns the start orbit (x, T, multipliers), g at the flip and the orbit there (x, T, multipliers)."""
    x, T = attractor(rate(G_START, I), X_INIT, 400.0)
    x, T, mu_start = orbit(G_START, x, T, I)
    memo = {"x": x, "T": T}
    grid = np.arange(G_START, g_end + 1e-12, 0.0025)
    values = []
    for g in grid:
        values.append(flip_test(g, memo, I))
        if len(values) > 1 and values[-2] * values[-1] < 0:
            break
    k = len(values) - 2
    memo.update(x=x, T=T)
    for g in grid[:k + 1]:  # back to the orbit at the left end of the bracket
        flip_test(g, memo, I)
    g_pd = brentq(lambda g: flip_test(g, memo, I), grid[k], grid[k + 1], xtol=1e-13, rtol=1e-15)
    return (x, T, mu_start), g_pd, orbit(g_pd, memo["x"], memo["T"], I)


def main(out):
    start = time.time()
    (x, T, mu_start), g_pd, (x_pd, T1, mu_pd) = locate_flip()
    flip = mu_pd[np.argmin(np.abs(mu_pd + 1))]

    # the unstable period-1 orbit at g beyond (continued from the flip)
    x1b, T1b, mu1b = orbit(G_BEYOND, x_pd, T1)
    # the doubled orbit: from a simulation started near the period-1 orbit, refined on 2 T
    xs, _ = attractor(rate(G_BEYOND), x1b + 1e-3, 600.0)
    t, y = section_crossings(rate(G_BEYOND), xs, 3 * T1b)
    # xs sits on the section; its second return closes the doubled orbit
    T2_guess = t[2] if t[0] < 1e-9 else t[1]
    o2 = cr.periodic_orbit(rate(G_BEYOND), xs, T2_guess, section="x0", tol=1e-12)
    T2 = o2["period"]
    tc, yc = section_crossings(rate(G_BEYOND), o2["x0"], T2 * 1.0000001)
    crossings = [o2["x0"]] + [yc[i] for i in range(len(tc)) if 1e-6 * T2 < tc[i] < T2 * (1 - 1e-9)]
    if len(crossings) != 2:
        raise RuntimeError("the doubled orbit crosses the section %d times, expected 2" % len(crossings))
    crossings = sorted(crossings, key=lambda c: c[1])

    # check: the Poincare map of a long simulation at G_BEYOND alternates between the crossings
    tsim, ysim = section_crossings(rate(G_BEYOND), cr.settle(rate(G_BEYOND), np.asarray(X_INIT, float), 1000.0),
                                   50 * T2, rtol=1e-11)
    last = ysim[-20:]
    sim_gap = max(min(np.max(np.abs(p - c)) for c in crossings) for p in last)
    elapsed = time.time() - start

    ref = {
        "description": "period doubling of limit cycles of the rate network dx/dt = -x + g J0 tanh(x) + I "
                       "(N = 3, I = 0, J0 below, read as is from -rate_J_file) in g; scipy reference from "
                       "tests/e2e/pd_reference.py",
        "system": "rate",
        "options": ["-sys_type", "rate", "-rate_phi", "tanh", "-rate_J_file", "inputs/rate3_hopfield_J.h5:/J", "-params_I", 0],
        "J0": J0.tolist(),
        "param": "g",
        "start": {"g": G_START, "x_init": X_INIT, "period": T, "multipliers": [m.real for m in mu_start]},
        "section": {"variable": "x0", "value": 0.0, "direction": "increasing"},
        "pd": {"g": g_pd, "period": T1, "x_section": x_pd.tolist(),
               "multipliers": [[m.real, m.imag] for m in mu_pd], "flip_multiplier_error": abs(flip + 1)},
        "beyond": {"g": G_BEYOND,
                   "period1_unstable": {"period": T1b, "x_section": x1b.tolist(),
                                        "multipliers": [[m.real, m.imag] for m in mu1b]},
                   "period2": {"period": T2, "crossings": [c.tolist() for c in crossings],
                               "multipliers": [[m.real, m.imag] for m in o2["multipliers"]],
                               "trivial_error": o2["trivial_error"], "unstable": o2["unstable"]},
                   "simulation_check": {"returns": len(last), "max_distance_to_crossings": sim_gap}},
        "tolerances": "g_pd to 1e-10 (brentq 1e-13 on a shooting orbit at rtol 1e-12); periods ~1e-10",
        "runtime_s": round(elapsed, 1),
    }
    with open(out, "w") as f:
        json.dump(ref, f, indent=1)
    print("PD at g = %.12f, T1 = %.10f (multiplier %.3g off -1); at g = %g: T2 = %.10f (2 T1 = %.6f at the "
          "unstable period-1 orbit: %.10f), crossings %s; P2 multipliers %s; simulation within %.1e; %.1f s"
          % (g_pd, T1, abs(flip + 1), G_BEYOND, T2, 2 * T1b, T1b, [np.round(c, 8).tolist() for c in crossings],
             np.round(o2["multipliers"], 6), sim_gap, elapsed))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "data", "rate3_pd_reference.json"))
