#!/usr/bin/python3
"""Independent scipy reference for the curve of period doublings (flips) of the 3-unit rate
network of inputs/rate3_period_doubling.yaml in (g, I), for tests/e2e/test_lpc.py:

    /usr/bin/python3 tests/e2e/pd_curve_reference.py [-o tests/e2e/data/rate3_pd_curve_scipy.json]

At each input I of INPUTS the flip of the period-1 orbit in g is located exactly as
tests/e2e/pd_reference.py does at I = 0 (whose functions it uses): the orbit by Newton shooting on
the section {x0 = 0} with DOP853 at rtol 1e-12 and its variational equations, followed in g from a
simulated attractor at g = 0.85, and the root of det(M + I) in g by Brent's method to 1e-13.
Nothing from neurodyn is used. The JSON file holds, per I, g and the period at the flip and the
flip multiplier's distance from -1.
"""
import argparse
import datetime
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import brentq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cycle_reference as cr  # noqa: E402
import pd_reference as pr  # noqa: E402

INPUTS = [-0.02, 0.02, 0.04]


def flip(I):
    """g, period and flip multiplier of the period doubling of the period-1 orbit at input I"""
    def orbit(g, x, T):
        o = cr.periodic_orbit(pr.rate(g, I), x, T, section="x0", tol=1e-12)
        return o["x0"], o["period"], o["multipliers"]

    def test(g, memo):
        memo["x"], memo["T"], _ = orbit(g, memo["x"], memo["T"])
        _, M = cr.flow(pr.rate(g, I), memo["x"], memo["T"], variational=True)
        return np.linalg.det(M + np.eye(3))

    x, T = pr.attractor(pr.rate(pr.G_START, I), pr.X_INIT, 400.0)
    x, T, _ = orbit(pr.G_START, x, T)
    memo = {"x": x, "T": T}
    grid = np.arange(pr.G_START, 0.95, 0.0025)
    values = []
    for g in grid:
        values.append(test(g, memo))
        if len(values) > 1 and values[-2] * values[-1] < 0:
            break
    k = len(values) - 2
    memo.update(x=x, T=T)
    for g in grid[:k + 1]:  # back to the orbit at the left end of the bracket
        test(g, memo)
    g_pd = brentq(lambda g: test(g, memo), grid[k], grid[k + 1], xtol=1e-13, rtol=1e-15)
    _, T1, mu = orbit(g_pd, memo["x"], memo["T"])
    return g_pd, T1, float(np.min(np.abs(mu + 1)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default=os.path.join(HERE, "data", "rate3_pd_curve_scipy.json"))
    args = parser.parse_args()
    flips = []
    for I in INPUTS:
        t0 = time.time()
        g, T, err = flip(I)
        flips.append({"I": I, "g": g, "period": T, "flip_multiplier_error": err, "seconds": time.time() - t0})
        print("I = %g: PD at g = %.12f, period %.10f (multiplier %.1e off -1; %.0f s)" % (I, g, T, err, time.time() - t0))
    reference = {
        "description": "period doublings of the 3-unit rate network dx/dt = -x + g J0 tanh(x) + I "
                       "(inputs/rate3_period_doubling.yaml) in g at several I, by scipy shooting",
        "produced_by": "tests/e2e/pd_curve_reference.py (tests/e2e/pd_reference.py's method at each I)",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "flips": flips,
    }
    with open(args.output, "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print("wrote " + args.output)


if __name__ == "__main__":
    main()
