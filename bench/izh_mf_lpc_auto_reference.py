#!/usr/bin/python3
"""Write the AUTO-07p reference for the curves of folds of cycles (LPC) of izh_mf in (eta, Delta):

    /usr/bin/python3 bench/izh_mf_lpc_auto_reference.py [-o tests/e2e/data/izh_mf_lpc_auto.json]

Runs bench/auto/izh_mf_lpc.auto (equations bench/auto/izh_mf.f90, constants bench/auto/c.izh_mf_*),
serially (OMP_NUM_THREADS=1), all parameters other than eta and Delta at neurodyn's defaults:
equilibria and the branch of cycles in eta at Delta = 0.02 (as bench/izh_mf_auto_reference.py),
then from each of its two folds of cycles AUTO's two-parameter fold continuation (ISW = 2,
ICP = [eta, Delta, period], NTST = 100, NCOL = 4, adaptive mesh, EPSL = EPSU = 1e-10,
EPSS = 1e-8) in both directions within Delta in [0.005, 0.06] and eta in [0, 0.3], with user
points at Delta = 0.0075, 0.01, 0.015, 0.025, 0.03, 0.035; the curves of Hopf points through
both Hopf points (ISW = 2, ICP = [eta, Delta]) with their generalised Hopf (GH) points; and, as a
cross-check, the branch of cycles in eta at Delta = 0.01, 0.015, 0.025 and 0.03, whose folds must
lie on the fold curves. It then repeats the cycles at 0.02 (NTST = 300, EPSL = EPSU = 1e-12,
EPSS = 1e-10) and the fold curves (NTST = 300; with the tighter tolerances AUTO does not converge
at the start of the lower curve) and records the differences at the user points.

The JSON file:
  description, produced_by, auto_version, date, collocation, notes: as in izh_mf_cycles_auto.json
  curves: one per fold of the branch at Delta = 0.02:
    from: "upper LPC at Delta=0.02" or "lower LPC at Delta=0.02"
    start: {eta, Delta, period, eta_ntst300, period_ntst300}
    user_points: [{Delta, eta, period, r_max, r_min, eta_ntst300, period_ntst300}] by increasing
      Delta (r_max, r_min: r's extrema over the collocation polynomials; *_ntst300: the same
      user point of the NTST = 300 curve; the bound Delta = 0.005 counts as a user point)
    ends: [{direction ("Delta decreasing" or "Delta increasing": where the curve goes from the
      start), type (AUTO's label of the last point: MX = no convergence at the minimum step
      size, UZ = a bound of the box), eta, Delta, period, r_max, r_min, points (computed points
      in that direction), nearest_gh (MX ends: {on, eta_diff, Delta_diff}, end minus the nearest
      GH point)}]
    Delta_min, Delta_max: {Delta, eta, period} where Delta is smallest / largest on the curve
    special_points: [{type, eta, Delta, period}] other labels AUTO put on the curve
    ends_ntst300: [{direction, type, eta, Delta, period}]: the ends of the NTST = 300 curve
    auto_seconds: {wall, total_time}: the starting data run and both directions (NTST = 100)
  gh: [{on ("Hopf curve through HB1 (lower)" or "... HB2 (upper)"), eta, Delta, omega, period
    (2 pi / omega), state {r, v, w, s}}]
  hopf_curve_special_points: [{on, type, eta, Delta}]: the other labels AUTO put on those curves
  cross_check: {by_Delta: {"0.01", "0.015", "0.025", "0.03": {hopf_eta: [..], lpc: [{eta, period}]
    (the folds of the branch of cycles in eta at that Delta, NTST = 100), matches: [{curve,
    eta_curve, eta_one_parameter, eta_diff, period_curve, period_one_parameter, period_rel_diff}]
    (each curve's user point at that Delta against the nearest fold of the branch; eta_one_parameter
    null where the branch has none)}}, max_eta_diff, max_period_rel_diff
  ntst300_differences: {upper, lower: {eta_abs, period_rel}}: largest differences at the user points
  auto_seconds: {ntst100, ntst300: {wall, total_time}}: all runs of izh_mf_lpc.auto
"""
import argparse
import datetime
import glob
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import continuation_vs_auto as cva  # noqa: E402

ROOT = cva.ROOT
VARIABLES = cva.IZH_VARIABLES
CURVES = {"upper": "upper LPC at Delta=0.02", "lower": "lower LPC at Delta=0.02"}  # izh_mf_lpc.auto's FOLDS
START_DELTA = 0.02
CHECK_DELTAS = [0.01, 0.015, 0.025, 0.03]
HOPF_CURVES = {"HB1": "Hopf curve through HB1 (lower)", "HB2": "Hopf curve through HB2 (upper)"}
STRICT_CYCLES = {"NTST": 300, "EPSL": 1e-12, "EPSU": 1e-12, "EPSS": 1e-10}  # as izh_mf_auto_reference.py
STRICT_LPC = {"NTST": 300}  # tighter tolerances: no convergence at the start of the lower curve
AUTO_NAMES = {4: "UZ", 5: "LP", 9: "EP", -9: "MX", -32: "GH", 32: "LP", -31: "BT", -33: "ZH", 1: "BP",
              6: "BP", 7: "PD", 8: "TR"}


def type_name(ty):
    """AUTO's short name of a b-file point type (the tens digit says which curve: 3 Hopf, 5 LPC)."""
    if ty in AUTO_NAMES:
        return AUTO_NAMES[ty]
    unit = -(-ty % 10) if ty < 0 else ty % 10
    return AUTO_NAMES.get(unit if unit != -4 else 4, "type %d" % ty)


def branch_rows(bfile):
    """Every row of an AUTO b-file: dicts column -> value with PT, TY (signed type) and LAB."""
    columns, rows = None, []
    with open(bfile) as f:
        for line in f:
            fields = line.split()
            if len(fields) > 3 and fields[0] == "0" and fields[1:4] == ["PT", "TY", "LAB"]:
                columns = re.split(r"\s{2,}", line.strip())[4:]
            elif fields and fields[0] != "0":
                row = dict(zip(columns, map(float, fields[4:])))
                row.update(PT=abs(int(fields[1])), TY=int(fields[2]), LAB=int(fields[3]))
                rows.append(row)
    return rows


def r_extrema(workdir, name):
    """{label: (max r, min r)} over the collocation polynomials of the labelled solutions."""
    result = {}
    for sol in cva.auto_solutions(os.path.join(workdir, "s." + name)):
        sol = dict(sol, u=[row[:len(VARIABLES)] for row in sol["u"]])  # fold curves: state, then null vector
        mx, mn = cva.collocation_extrema(sol)
        result[sol["label"]] = (mx[0], mn[0])
    return result


def point(row, extrema=None):
    p = {"Delta": row["Delta"], "eta": row["eta"], "period": row["period"]}
    if extrema is not None:
        p["r_max"], p["r_min"] = extrema[row["LAB"]]
    return p


def lpc_curve(workdir, which, timing):
    """One fold curve (runs lpc_<which>_start, _fwd, _bwd of izh_mf_lpc.auto)."""
    start = branch_rows(os.path.join(workdir, "b.lpc_%s_start" % which))[-1]
    user, ends, special, every = [], [], [], []
    for direction in ("fwd", "bwd"):
        name = "lpc_%s_%s" % (which, direction)
        rows = branch_rows(os.path.join(workdir, "b." + name))
        extrema = r_extrema(workdir, name)
        every += rows
        for row in rows:  # the last row is the end (recorded below), a user point if a bound stopped the run
            if row["LAB"] and type_name(row["TY"]) == "UZ":
                user.append(point(row, extrema))
            elif row["LAB"] and row is not rows[-1]:
                special.append(dict(point(row), type=type_name(row["TY"])))
        last = rows[-1]
        ends.append(dict(point(last, extrema), type=type_name(last["TY"]), points=len(rows),
                         direction="Delta decreasing" if last["Delta"] < START_DELTA else "Delta increasing"))
    return {"from": CURVES[which], "start": point(start),
            "user_points": sorted(user, key=lambda p: p["Delta"]),
            "ends": sorted(ends, key=lambda e: e["Delta"]),
            "Delta_min": point(min(every, key=lambda r: r["Delta"])),
            "Delta_max": point(max(every, key=lambda r: r["Delta"])),
            "special_points": special,
            "auto_seconds": {key: sum(timing["lpc_%s_%s" % (which, d)][k] for d in ("start", "fwd", "bwd"))
                             for k, key in enumerate(("wall", "total_time"))}}


def hopf_curves(workdir):
    """GH points and the other special points on the curves of Hopf points."""
    gh, other = [], []
    for hb, on in HOPF_CURVES.items():
        for direction in ("fwd", "bwd"):
            name = "hopf_%s_%s" % (hb, direction)
            solutions = {s["label"]: s for s in cva.auto_solutions(os.path.join(workdir, "s." + name))}
            for row in branch_rows(os.path.join(workdir, "b." + name)):
                if not row["LAB"] or type_name(row["TY"]) in ("UZ", "EP", "MX"):
                    continue
                if type_name(row["TY"]) == "GH":
                    sol = solutions[row["LAB"]]
                    period = sol["par"][10]  # PAR(11) on a Hopf curve: 2 pi / omega
                    gh.append({"on": on, "eta": row["eta"], "Delta": row["Delta"],
                               "omega": 2 * math.pi / period, "period": period,
                               "state": dict(zip(VARIABLES, sol["u"][0][:len(VARIABLES)]))})
                else:
                    other.append({"on": on, "type": type_name(row["TY"]), "eta": row["eta"],
                                  "Delta": row["Delta"]})
    return gh, other


def one_parameter(workdir, suffix):
    """Hopf eta and folds of cycles (eta, period) of the runs eq<suffix>, cycles<suffix>; a fold
    with (almost) zero amplitude is the turn of the branch at HB2, no fold of cycles."""
    hopf = [row["eta"] for row in branch_rows(os.path.join(workdir, "b.eq" + suffix))
            if row["LAB"] and abs(row["TY"]) == cva.AUTO_HB]
    extrema = r_extrema(workdir, "cycles" + suffix)
    lpc = [{"eta": row["eta"], "period": row["period"]}
           for row in branch_rows(os.path.join(workdir, "b.cycles" + suffix))
           if row["LAB"] and abs(row["TY"]) == cva.AUTO_LPC
           and extrema[row["LAB"]][0] - extrema[row["LAB"]][1] > 1e-3]
    return {"hopf_eta": hopf, "lpc": lpc}


def nearest(points, eta, tol=1e-3):
    close = [p for p in points if abs(p["eta"] - eta) < tol]
    return min(close, key=lambda p: abs(p["eta"] - eta)) if close else None


def run(namespace, variables=None):
    """bench/auto/izh_mf_lpc.auto once; the fold curves, Hopf curves and cross-check runs."""
    workdir = tempfile.mkdtemp(prefix="neurodyn-izh-lpc-auto-")
    for f in glob.glob(os.path.join(cva.AUTO_SOURCES, "*izh_mf*")):
        shutil.copy(f, workdir)
    timing = cva.run_auto(namespace, workdir, "izh_mf_lpc.auto", variables)
    base = one_parameter(workdir, "")
    if len(base["lpc"]) != 2:
        cva.fail("AUTO found %d folds of cycles at Delta = 0.02, expected 2" % len(base["lpc"]))
    curves = {which: lpc_curve(workdir, which, timing) for which in CURVES}
    for which, lpc in (("lower", base["lpc"][0]), ("upper", base["lpc"][1])):
        if abs(curves[which]["start"]["eta"] - lpc["eta"]) > 1e-8:
            cva.fail("the %s fold curve does not start at the %s fold" % (which, which))
    gh, other = hopf_curves(workdir)
    checks = {}
    for delta in (CHECK_DELTAS if variables is None else []):
        checks[delta] = one_parameter(workdir, "_%g" % delta)
    seconds = {"wall": sum(t[0] for t in timing.values()), "total_time": sum(t[1] for t in timing.values())}
    shutil.rmtree(workdir)
    return {"curves": curves, "gh": gh, "hopf_other": other, "checks": checks, "seconds": seconds}


def cross_check(results):
    out, max_eta, max_period = {}, 0.0, 0.0
    for delta, check in results["checks"].items():
        matches = []
        for which, curve in results["curves"].items():
            for p in curve["user_points"]:
                if abs(p["Delta"] - delta) > 1e-8:
                    continue
                q = nearest(check["lpc"], p["eta"])
                if q is None:
                    matches.append({"curve": which, "eta_curve": p["eta"], "eta_one_parameter": None})
                    continue
                m = {"curve": which, "eta_curve": p["eta"], "eta_one_parameter": q["eta"],
                     "eta_diff": p["eta"] - q["eta"], "period_curve": p["period"],
                     "period_one_parameter": q["period"], "period_rel_diff": p["period"] / q["period"] - 1}
                max_eta = max(max_eta, abs(m["eta_diff"]))
                max_period = max(max_period, abs(m["period_rel_diff"]))
                matches.append(m)
        out["%g" % delta] = dict(check, matches=matches)
    return {"by_Delta": out, "max_eta_diff": max_eta, "max_period_rel_diff": max_period}


def strict_differences(results, strict):
    """Add the NTST = 300 values to each curve's start, user points and ends; the largest
    differences at the user points per curve."""
    diffs = {}
    for which, curve in results["curves"].items():
        other = strict["curves"][which]
        for key in ("eta", "period"):
            curve["start"][key + "_ntst300"] = other["start"][key]
        eta = period = 0.0
        for p in curve["user_points"]:
            q = [q for q in other["user_points"] if abs(q["Delta"] - p["Delta"]) < 1e-8]
            if not q:
                cva.fail("the NTST = 300 %s curve has no user point at Delta = %g" % (which, p["Delta"]))
            p["eta_ntst300"], p["period_ntst300"] = q[0]["eta"], q[0]["period"]
            eta = max(eta, abs(p["eta"] - q[0]["eta"]))
            period = max(period, abs(p["period"] / q[0]["period"] - 1))
        curve["ends_ntst300"] = [{k: e[k] for k in ("direction", "type", "eta", "Delta", "period")}
                                 for e in other["ends"]]
        diffs[which] = {"eta_abs": eta, "period_rel": period}
    return diffs


def add_nearest_gh(results):
    for curve in results["curves"].values():
        for end in (e for e in curve["ends"] if e["type"] == "MX"):
            g = min(results["gh"], key=lambda g: math.hypot(g["eta"] - end["eta"], g["Delta"] - end["Delta"]))
            end["nearest_gh"] = {"on": g["on"], "eta_diff": end["eta"] - g["eta"],
                                 "Delta_diff": end["Delta"] - g["Delta"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default=os.path.join(ROOT, "tests", "e2e", "data",
                                                               "izh_mf_lpc_auto.json"))
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = "1"
    namespace = cva.auto_namespace()
    results = run(namespace)
    strict = run(namespace, {"CYCLE_CONSTANTS": STRICT_CYCLES, "LPC_CONSTANTS": STRICT_LPC,
                               "CHECK_DELTAS": []})
    add_nearest_gh(results)
    ntst300 = strict_differences(results, strict)
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "auto-07p"],
                             capture_output=True, text=True).stdout.strip() or "unknown"
    reference = {
        "description": "AUTO-07p reference for the curves of folds of cycles (LPC) of izh_mf in (eta, Delta) "
                       "from the two folds of the branch of cycles in eta at Delta = 0.02, and the "
                       "generalised Hopf points of its curves of Hopf points (all other parameters at "
                       "neurodyn's defaults)",
        "produced_by": "bench/izh_mf_lpc_auto_reference.py running bench/auto/izh_mf_lpc.auto "
                       "(equations bench/auto/izh_mf.f90, constants bench/auto/c.izh_mf_eq, c.izh_mf_cycles, "
                       "c.izh_mf_lpc, c.izh_mf_hopf)",
        "auto_version": "AUTO-07p " + version,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "collocation": {"NTST": 100, "NCOL": 4, "IAD": 3, "EPSL": 1e-10, "EPSU": 1e-10, "EPSS": 1e-8},
        "notes": NOTES,
        "curves": [results["curves"][which] for which in CURVES],
        "gh": results["gh"],
        "hopf_curve_special_points": results["hopf_other"],
        "cross_check": cross_check(results),
        "ntst300_differences": ntst300,
        "auto_seconds": {"ntst100": results["seconds"], "ntst300": strict["seconds"]},
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print("wrote " + args.output)
    report(reference)


def report(reference):
    for curve in reference["curves"]:
        s = curve["start"]
        print("\n%s (eta %.11f, period %.6f); AUTO %.2f s (Total Time %.2f s)" %
              (curve["from"], s["eta"], s["period"], curve["auto_seconds"]["wall"],
               curve["auto_seconds"]["total_time"]))
        print("   %-8s %16s %14s %10s %10s %9s %9s" % ("Delta", "eta", "period", "max r", "min r",
                                                      "d eta 300", "d T/T 300"))
        for p in curve["user_points"]:
            print("   %-8g %16.11f %14.6f %10.6f %10.6f %9.1e %9.1e" %
                  (p["Delta"], p["eta"], p["period"], p["r_max"], p["r_min"], p["eta"] - p["eta_ntst300"],
                   p["period"] / p["period_ntst300"] - 1))
        for e in curve["ends"]:
            g = e.get("nearest_gh")
            print("   end (%s, %s after %d points): Delta %.9f eta %.9f period %.4f, r in [%.6f, %.6f]%s" %
                  (e["direction"], e["type"], e["points"], e["Delta"], e["eta"], e["period"], e["r_min"],
                   e["r_max"],
                   "; minus nearest GH: eta %.1e Delta %.1e" % (g["eta_diff"], g["Delta_diff"]) if g else ""))
        for e in curve["ends_ntst300"]:
            print("   NTST = 300 end (%s, %s): Delta %.9f eta %.9f period %.4f" %
                  (e["direction"], e["type"], e["Delta"], e["eta"], e["period"]))
    print("\nHopf curves: GH points, then the other labels")
    for g in reference["gh"]:
        print("   %-32s eta %.10f Delta %.10f period %.6f" % (g["on"], g["eta"], g["Delta"], g["period"]))
    for p in reference["hopf_curve_special_points"]:
        print("   %-32s %s eta %.10f Delta %.4g" % (p["on"], p["type"], p["eta"], p["Delta"]))
    check = reference["cross_check"]
    print("\ncross-check against the folds of the branches in eta:")
    for delta in map("%g".__mod__, CHECK_DELTAS):
        for m in check["by_Delta"][delta]["matches"]:
            if m["eta_one_parameter"] is None:
                print("   Delta %-6s %s: no fold of the branch near eta %.9f" %
                      (delta, m["curve"], m["eta_curve"]))
            else:
                print("   Delta %-6s %s: eta %.11f vs %.11f (%.1e), period rel. %.1e" %
                      (delta, m["curve"], m["eta_curve"], m["eta_one_parameter"], m["eta_diff"],
                       m["period_rel_diff"]))
        folds = check["by_Delta"][delta]["lpc"]
        print("   Delta %-6s folds of the branch: %s" %
              (delta, ", ".join("%.10f (period %.3f)" % (p["eta"], p["period"]) for p in folds)))
    print("   largest: eta %.1e, period %.1e relative" %
          (check["max_eta_diff"], check["max_period_rel_diff"]))
    print("NTST = 300 differences at the user points:", reference["ntst300_differences"])
    print("AUTO seconds:", reference["auto_seconds"])


NOTES = [
    "fold curves: AUTO's first run from the fold (ISW = 2 at an LP of the branch of cycles) only "
    "generates the starting data (Delta fixed, 5 steps, ending at an EP label); both directions "
    "restart from that label with eta, Delta and the period free",
    "user points: where AUTO located Delta (within ~1e-9 of the requested value); r_max and r_min: "
    "over the collocation polynomials of the cycle (the fold system's other unknowns, a null "
    "vector, are not used)",
    "upper curve: toward smaller Delta it reaches the bound Delta = 0.005 with Delta and eta "
    "monotone (no cusp of cycles in [0.005, 0.02]); toward larger Delta it ends where AUTO no "
    "longer converges (MX) within ~2e-6 of the GH point of the upper Hopf curve, the amplitude of "
    "r going to zero: the fold curve ends at that GH point (tangent to the Hopf curve there), so "
    "its Delta_max is a lower bound of the GH point's Delta, not a turn",
    "periods at the folds of the upper curve are ill-conditioned at small Delta (eta is stationary "
    "at a fold, and the fold flattens as the cycles become relaxation oscillations): NTST = 100 and "
    "300 differ by 1.6e-4 relative at Delta = 0.005, 8e-6 at 0.0075, 1.3e-6 at 0.01, 1.5e-7 at "
    "0.015 and < 1e-9 from 0.025 on, eta by 2e-9 at most; *_ntst300 are the more accurate values",
    "the LP labels AUTO puts on the upper curve near the GH end are no folds of the curve: eta "
    "and Delta are monotone through them (ill-conditioning as the cycle shrinks to the Hopf point)",
    "upper curve near Delta = 0.0093: AUTO takes many small steps with little change in eta, "
    "Delta and the period; the user points beyond (0.0075, 0.005) agree with NTST = 300 "
    "(ntst300_differences)",
    "lower curve: toward larger Delta it ends (MX) within ~1e-6 of the GH point of the lower "
    "Hopf curve, through the user point at Delta = 0.025 (which agrees with the fold of the "
    "branch of cycles there). Toward smaller Delta AUTO fails: no convergence at the minimum "
    "step size at Delta ~0.0191 (NTST = 100) or ~0.0194 (NTST = 300) after the period has grown "
    "from 449 to ~480. This fold lies in the canard-like explosion of the period (along the "
    "branch in eta at Delta = 0.02, eta stays within 1e-9 of the fold while the period goes from "
    "~440 to ~570), so the fold system is ill-conditioned; the failure point depends on the "
    "mesh, so it is no end of the curve. The curve exists below: the branch in eta at "
    "Delta = 0.01 has a fold at eta 0.0797 with period 821 (cross_check); at 0.015 the branch's "
    "eta has a minimum near 0.07665 on the plateau that AUTO does not label. Only the part with "
    "Delta >= 0.02 is a reference, and the periods on it near Delta = 0.02 only to ~1e-3",
    "GH points: AUTO's differ from brentq on numpy's first Lyapunov coefficient along the Hopf "
    "curves (the formula of tests/e2e/test_izh_mf.py; Delta 0.0385001569, eta 0.1814656437 upper; "
    "Delta 0.0258448858, eta 0.0738172265 lower) by 3e-8 and 7e-8 in Delta, 2e-8 and 6e-9 in eta: "
    "take them as good to ~1e-7",
    "GH, BT, LP on the Hopf curves: AUTO's Hopf continuation (IPS = 1, ISW = 2, EPSL = EPSU = "
    "1e-12, EPSS = 1e-10) within Delta in [0, 0.06], eta in [-0.1, 0.3]; the LP there are folds "
    "in eta of a Hopf curve, not folds of cycles",
]

if __name__ == "__main__":
    main()
