#!/usr/bin/python3
"""Check tests/e2e/cycle_reference.py (scipy shooting) against the AUTO-07p collocation numbers
of tests/e2e/data/izh_mf_cycles_auto.json (bench/izh_mf_auto_reference.py):

    /usr/bin/python3 tests/e2e/cycle_reference_selftest.py [--quick]

For Delta = 0.02 and 0.04: the Hopf points (and the sign of the first Lyapunov coefficient,
which must agree with whether AUTO found folds of cycles next to them); at each of AUTO's user
points the orbit (found from a simulation, refined by shooting at AUTO's eta) with its period,
max and min of each variable, the number of unstable multipliers and the largest nontrivial
multiplier; the upper fold of cycles at Delta = 0.02; MPR with synapses: the Hopf point and the period at eta = 10 (AUTO's numbers in
docs/bench.md). --quick: only the orbit at eta = 0.12,
Delta = 0.02. About 6 minutes in full on a loaded 2-core machine. Prints one line per check;
exits 1 if any fails.
"""
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cycle_reference as cr  # noqa: E402

TOL_HOPF = 1e-9        # AUTO writes 11 digits
TOL_PERIOD_REL = 1e-7  # AUTO's collocation error is ~1e-8 (NTST = 300 check)
TOL_EXTREMA = 5e-6     # AUTO's extrema between mesh points: ~1e-6 (NTST = 300 check)
TOL_LPC = 1e-9         # AUTO NTST = 100 vs 300: 1e-11
failures = []


def check(name, ok, detail):
    print("%-4s %-46s %s" % ("ok" if ok else "FAIL", name, detail))
    if not ok:
        failures.append(name)


def main(quick):
    with open(os.path.join(HERE, "data", "izh_mf_cycles_auto.json")) as f:
        ref = json.load(f)
    variables = ref["variables"]
    t_start = time.time()
    for case in ref["cases"]:
        delta = case["Delta"]
        sys_ = cr.izh_mf(Delta=delta)
        if quick and delta != 0.02:
            continue
        if not quick:
            hopf = cr.hopf_points(sys_, "eta", 0.0, 0.3, [0.02, 0.0, 0.0, 0.0], steps=300)
            check("Delta %g: number of Hopf points" % delta, len(hopf) == len(case["hopf"]),
                  "%d (AUTO %d)" % (len(hopf), len(case["hopf"])))
            for h, a in zip(hopf, case["hopf"]):
                check("Delta %g: Hopf eta %.6f" % (delta, a["eta"]), abs(h["eta"] - a["eta"]) < TOL_HOPF,
                      "scipy %.13f AUTO %.12f omega %.9f/%.9f l1 %+.4g" %
                      (h["eta"], a["eta"], h["omega"], a["omega"], h["l1"]))
            # subcritical Hopf points (l1 > 0) at Delta = 0.02, each with a fold of cycles nearby
            subcritical = sum(h["l1"] > 0 for h in hopf)
            check("Delta %g: subcritical Hopf points = LPC" % delta, subcritical == len(case["lpc"]),
                  "%d subcritical, AUTO %d LPC" % (subcritical, len(case["lpc"])))
        for point in case["cycles"]:
            if quick and abs(point["eta"] - 0.12) > 1e-6:
                continue
            s = sys_.with_params(eta=point["eta"])
            x0, T = cr.orbit_guess(s, [0.05, 0.3, 0.1, 0.1], 1500, span=1000)
            orbit = cr.periodic_orbit(s, x0, T)
            rel = abs(orbit["period"] / point["period"] - 1)
            check("Delta %g eta %.4f: period" % (delta, point["eta"]), rel < TOL_PERIOD_REL,
                  "scipy %.9f AUTO %.9f rel %.1e (trivial multiplier off by %.1e)" %
                  (orbit["period"], point["period"], rel, orbit["trivial_error"]))
            err = max(max(abs(orbit["max"][j] - point["max"][v]), abs(orbit["min"][j] - point["min"][v]))
                      for j, v in enumerate(variables))
            check("Delta %g eta %.4f: max/min of r, v, w, s" % (delta, point["eta"]), err < TOL_EXTREMA,
                  "largest difference %.1e" % err)
            check("Delta %g eta %.4f: unstable multipliers" % (delta, point["eta"]),
                  orbit["unstable"] == point["unstable"], "%d (AUTO %d); scipy %s" %
                  (orbit["unstable"], point["unstable"], np.array2string(np.abs(orbit["multipliers"]),
                                                                        precision=3)))
    if not quick:
        # the upper fold of cycles at Delta = 0.02 (the end of the bursting branch), followed from
        # the stable bursting orbit at eta = 0.1935 in the direction of increasing eta
        lpc = ref["cases"][0]["lpc"][-1]
        s = cr.izh_mf(Delta=0.02, eta=0.1935)
        x0, T = cr.orbit_guess(s, [0.05, 0.3, 0.1, 0.1], 3000, span=1500)
        orbit = cr.periodic_orbit(s, x0, T)
        fold = cr.fold_of_cycles(s, "eta", orbit["x0"], orbit["period"])
        check("Delta 0.02: upper LPC eta", abs(fold["eta"] - lpc["eta"]) < TOL_LPC,
              "scipy %.12f AUTO %.11f (period %.6f / %.6f; |multipliers| %s)" %
              (fold["eta"], lpc["eta"], fold["period"], lpc["period"],
               np.array2string(np.abs(fold["multipliers"]), precision=6)))
        # MPR with synapses (J = -10, tau_s = 0.5): AUTO-07p's numbers of bench/continuation_vs_auto.py
        # as printed in docs/bench.md (11 digits)
        s = cr.mpr(J=-10.0, tau_s=0.5)
        hopf = cr.hopf_points(s, "eta", -5.0, 20.0, [0.3, -0.5, 0.3], steps=200)
        check("mpr: Hopf eta and omega", len(hopf) == 1 and abs(hopf[0]["eta"] - 8.1200800028) < TOL_HOPF
              and abs(hopf[0]["omega"] - 3.753987890644) < TOL_HOPF,
              "scipy %.12f %.12f AUTO 8.120080002800 3.753987890644" % (hopf[0]["eta"], hopf[0]["omega"]))
        s = s.with_params(eta=10.0)
        x0, T = cr.orbit_guess(s, [0.3, -0.5, 0.3], 50, span=20)
        orbit = cr.periodic_orbit(s, x0, T)
        rel = abs(orbit["period"] / 1.4780010118 - 1)
        check("mpr eta 10: period", rel < TOL_PERIOD_REL, "scipy %.12f AUTO 1.478001011800 rel %.1e"
              % (orbit["period"], rel))
    print("%d checks failed; %.0f s" % (len(failures), time.time() - t_start))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv[1:]))
