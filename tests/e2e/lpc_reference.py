#!/usr/bin/python3
"""Write the independent scipy reference for the curve of folds of cycles (LPC) of izh_mf in
(eta, Delta), for tests/e2e/test_lpc.py:

    /usr/bin/python3 tests/e2e/lpc_reference.py [-o tests/e2e/data/izh_mf_lpc_scipy.json]

At each Delta of DELTAS (all other parameters at neurodyn's defaults) the stable bursting orbit
just below the upper fold of cycles is found by simulation and single shooting, and the fold is
then located by tests/e2e/cycle_reference.py's fold_of_cycles: pseudo-arclength continuation of
the shooting problem in eta and Brent's method on the sign of det A (the Jacobian of the
shooting problem in the orbit's own unknowns, singular exactly at the fold). Neither the
collocation nor the minimally augmented system of neurodyn's lpc curves is used. The JSON file
holds, per Delta, eta and the period at the fold and the moduli of the Floquet multipliers there
(two at 1 at a fold); the time each took.
"""
import argparse
import datetime
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cycle_reference as cr  # noqa: E402

# Delta and a value of eta a little below the upper fold there (where the bursting orbit is stable)
DELTAS = [(0.025, 0.1909), (0.03, 0.1876), (0.035, 0.1840)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default=os.path.join(HERE, "data", "izh_mf_lpc_scipy.json"))
    args = parser.parse_args()
    folds = []
    for delta, eta in DELTAS:
        t0 = time.time()
        s = cr.izh_mf(eta=eta, Delta=delta)
        x0, T = cr.orbit_guess(s, [0.05, 0.3, 0.1, 0.1], 3000, span=1500)
        orbit = cr.periodic_orbit(s, x0, T)
        fold = cr.fold_of_cycles(s, "eta", orbit["x0"], orbit["period"])
        moduli = sorted(abs(m) for m in fold["multipliers"])[::-1]
        folds.append({"Delta": delta, "eta": fold["eta"], "period": fold["period"],
                      "multiplier_moduli": [float(m) for m in moduli], "seconds": time.time() - t0})
        print("Delta = %g: LPC at eta = %.12f, period %.8f, |multipliers| %s (%.0f s)" %
              (delta, fold["eta"], fold["period"], ", ".join("%.3g" % m for m in moduli), time.time() - t0))
    reference = {
        "description": "folds of cycles (the upper LPC) of izh_mf at several Delta, all other parameters at "
                       "neurodyn's defaults, by single shooting in scipy",
        "produced_by": "tests/e2e/lpc_reference.py (tests/e2e/cycle_reference.py: DOP853 rtol 1e-12, "
                       "Newton to 1e-11, Brent's method on det A to 1e-12 in the arclength)",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "folds": folds,
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print("wrote " + args.output)


if __name__ == "__main__":
    main()
