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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cycle_reference as cr  # noqa: E402
import pd_reference as pr  # noqa: E402

INPUTS = [-0.02, 0.02, 0.04]


def flip(I):
    """g, period and flip multiplier's distance from -1 of the period doubling at input I"""
    _, g, (_, T, mu) = pr.locate_flip(I, g_end=0.95)
    return g, T, float(np.min(np.abs(mu + 1)))


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
