#!/usr/bin/python3
"""Write the AUTO-07p reference for the periodic orbits of izh_mf (the Chen-Campbell mean field):

    /usr/bin/python3 bench/izh_mf_auto_reference.py [-o tests/e2e/data/izh_mf_cycles_auto.json]

Runs bench/auto/izh_mf.auto (equations bench/auto/izh_mf.f90, constants bench/auto/c.izh_mf_*),
serially (OMP_NUM_THREADS=1), for Delta = 0.02 (the default: two folds of cycles) and 0.04 (both
Hopf points supercritical, no fold of cycles), all other parameters at neurodyn's defaults:
equilibria in eta from eta = 0, both Hopf points, and the branch of cycles from the lower Hopf
point to the upper one by orthogonal collocation (NTST = 100, NCOL = 4, AUTO's adaptive mesh,
EPSL = EPSU = 1e-10, EPSS = 1e-8), with its folds of cycles (LPC) and user points at several eta.
It then repeats the cycle runs with NTST = 300, EPSL = EPSU = 1e-12, EPSS = 1e-10 and
DSMAX = 0.02 and records the largest differences, which bound the error of the reference.

The JSON file holds, per Delta: the Hopf points (eta, omega, 2 pi / omega, the equilibrium
there); the LPC (eta, period, Floquet multipliers); at each user point eta the period, the
max and min of every variable over the collocation polynomials, the Floquet multipliers and
the number outside the unit circle (trivial one excluded); AUTO's wall and "Total Time" seconds.
"""
import argparse
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import continuation_vs_auto as cva  # noqa: E402

ROOT = cva.ROOT
VARIABLES = cva.IZH_VARIABLES
CASES = cva.IZH_CASES
STRICT = {"NTST": 300, "EPSL": 1e-12, "EPSU": 1e-12, "EPSS": 1e-10, "DSMAX": 0.02}


def run(namespace, variables=None):
    """bench/auto/izh_mf.auto once; {tag: results of cva.auto_izh_results with AUTO's seconds}."""
    workdir = tempfile.mkdtemp(prefix="neurodyn-izh-auto-")
    for f in glob.glob(os.path.join(cva.AUTO_SOURCES, "*izh_mf*")):
        shutil.copy(f, workdir)
    timing = cva.run_auto(namespace, workdir, "izh_mf.auto", variables)
    results = {}
    for tag in CASES:
        results[tag] = cva.auto_izh_results(workdir, tag)
        results[tag]["auto_seconds"] = {"equilibria_wall": timing["eq_" + tag][0],
                                        "equilibria_total_time": timing["eq_" + tag][1],
                                        "cycles_wall": timing["cycles_" + tag][0],
                                        "cycles_total_time": timing["cycles_" + tag][1]}
    shutil.rmtree(workdir)
    return results


def differences(a, b):
    """Largest |difference| of the LPC eta values, largest relative one of the periods and largest
    absolute one of the extrema at the user points between two runs."""
    lpc = period = extrema = 0.0
    for tag in CASES:
        x, y = a[tag], b[tag]
        if len(x["lpc"]) != len(y["lpc"]) or len(x["cycles"]) != len(y["cycles"]):
            cva.fail("the NTST = 300 run found other points than the NTST = 100 run (%s)" % tag)
        for p, q in zip(x["lpc"], y["lpc"]):
            lpc = max(lpc, abs(p["eta"] - q["eta"]))
        for p, q in zip(x["cycles"], y["cycles"]):
            period = max(period, abs(p["period"] / q["period"] - 1))
            for key in ("max", "min"):
                for v in VARIABLES:
                    extrema = max(extrema, abs(p[key][v] - q[key][v]))
    return {"lpc_eta_abs": lpc, "period_rel": period, "extrema_abs": extrema}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default=os.path.join(ROOT, "tests", "e2e", "data",
                                                               "izh_mf_cycles_auto.json"))
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = "1"
    namespace = cva.auto_namespace()
    results = run(namespace)
    strict = run(namespace, {"CYCLE_CONSTANTS": STRICT})
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "auto-07p"],
                             capture_output=True, text=True).stdout.strip() or "unknown"
    reference = {
        "description": "AUTO-07p reference for the periodic orbits of izh_mf (all parameters at "
                       "neurodyn's defaults except Delta): Hopf points, folds of cycles (LPC), "
                       "period, max/min of each variable and Floquet multipliers at several eta",
        "produced_by": "bench/izh_mf_auto_reference.py running bench/auto/izh_mf.auto "
                       "(equations bench/auto/izh_mf.f90, constants bench/auto/c.izh_mf_eq, "
                       "c.izh_mf_cycles)",
        "auto_version": "AUTO-07p " + version,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "collocation": {"NTST": 100, "NCOL": 4, "IAD": 3, "EPSL": 1e-10, "EPSU": 1e-10, "EPSS": 1e-8},
        "variables": VARIABLES,
        "notes": [
            "max and min: over AUTO's collocation polynomials (degree 4 on each mesh interval), "
            "not only the stored mesh points; between mesh points collocation is less accurate "
            "than at them, so the extrema are good to about 1e-6 (error_bound_vs_ntst300), the "
            "periods to about 1e-8 relative",
            "eta of a user point: where AUTO located it (within ~2e-9 of the requested value)",
            "unstable: Floquet multipliers with modulus > 1 + 1e-6, the trivial one excluded; "
            "AUTO prints multipliers to 6 digits and the tiny ones (below ~1e-10) are rounding",
            "the period at the LPC near the lower Hopf point (Delta = 0.02) is ill-conditioned: "
            "along the branch eta stays within 1e-9 of the fold from period ~440 to ~570 (a "
            "canard-like explosion), so only its eta is a reference (the NTST = 300 run puts the "
            "fold at period 551)",
            "the branch from the lower Hopf point ends where the period comes within 1 % of "
            "2 pi / omega at the upper Hopf point: the branch joins the two Hopf points",
        ],
        "error_bound_vs_ntst300": differences(results, strict),
        "cases": [results[tag] for tag in CASES],
    }
    for tag, case in zip(CASES, reference["cases"]):  # LPC periods are not compared by differences()
        case["lpc_period_ntst300"] = [p["period"] for p in strict[tag]["lpc"]]
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print("wrote " + args.output)
    for case in reference["cases"]:
        print("Delta = %g: Hopf eta %s; LPC eta %s; AUTO cycles %.3f s (Total Time %.3f s)" %
              (case["Delta"], ", ".join("%.12f" % h["eta"] for h in case["hopf"]),
               ", ".join("%.11f" % p["eta"] for p in case["lpc"]) or "none",
               case["auto_seconds"]["cycles_wall"], case["auto_seconds"]["cycles_total_time"]))
        for c in case["cycles"]:
            print("   eta = %.4f  period %.8f  max r %.8f  min r %.8f  unstable %s" %
                  (c["eta"], c["period"], c["max"]["r"], c["min"]["r"], c["unstable"]))
    print("differences from NTST = 300:", reference["error_bound_vs_ntst300"])


if __name__ == "__main__":
    main()
