#!/usr/bin/python3
"""neurodyn continue against AUTO-07p on the same MPR problems, side by side.

    /usr/bin/python3 bench/continuation_vs_auto.py [-r REPEATS] [-k]      (or: make bench)

Five problems, each solved by both programs in this invocation:
  fold    MPR (docs/models/mpr.md) equilibria in eta at J = 15, Delta = 1, tau_s = 0: the two
          folds (LP)
  hopf    MPR equilibria in eta at J = -10, Delta = 1, tau_s = 0.5: the Hopf point (HB), omega
  cycles  the MPR periodic orbits from that Hopf point up to eta = 10: the period there
  izh_mf_d02, izh_mf_d04
          the Chen-Campbell mean field (izh_mf, defaults; Delta = 0.02 and 0.04): equilibria in
          eta in [0, 0.3], both Hopf points, the branch of cycles joining them (orthogonal
          collocation, NTST = 100, NCOL = 4), its folds of cycles (LPC: two at 0.02, none at
          0.04) and the period at the user points of bench/auto/c.izh_mf_cycles
neurodyn: bin/neurodyn continue on inputs/mpr_bistability.yaml and inputs/mpr_hopf.yaml; for
izh_mf `continue -sys_type izh_mf -params_Delta D -cont_type cycle -cont_param eta -cont_min 0
-cont_max 0.3 -cont_ntst 100 -cont_ncol 4 -cont_user_points ETAS` (issue 18). Where neurodyn
rejects that command as unknown (a continuation type or option it does not have yet), the
problem is reported 'unsupported' and does not count as a disagreement.
AUTO: bench/auto/mpr.auto (equations bench/auto/mpr.f90, constants bench/auto/c.mpr_*) and
bench/auto/izh_mf.auto (izh_mf.f90, c.izh_mf_*), run in-process through AUTO's Python bindings;
its results are read from the saved b.*, s.* and d.* files.

Both run serially (neurodyn on one rank, AUTO with OMP_NUM_THREADS=1).
Prints the values from both, their differences and the wall-time ratio neurodyn/AUTO (median
of the repetitions, after one untimed warm-up run that also compiles the AUTO equations), both
for the whole run (neurodyn: the process; AUTO: its run() call) and for the computation alone as
each program reports it (neurodyn "continuation done in"; AUTO "Total Time").
Exits 1 when the programs disagree beyond the tolerances (MPR folds 1e-7, Hopf points 1e-6,
MPR period 1e-5; izh_mf LPC 1e-6 and periods 1e-5 relative) or a supported izh_mf run fails, 2
when a program or AUTO itself is missing or fails on the MPR problems.
"""
import argparse
import contextlib
import glob
import io
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEURODYN = os.path.join(ROOT, "bin", "neurodyn")
AUTO_SOURCES = os.path.join(ROOT, "bench", "auto")
AUTO_DIR = os.environ.get("AUTO_DIR", "/usr/lib/auto-07p")

TOL_FOLD, TOL_HOPF, TOL_PERIOD = 1e-7, 1e-6, 1e-5
TOL_LPC, TOL_PERIOD_REL = 1e-6, 1e-5
ETA_CYCLE = 10.0

# AUTO's point types in the b-files (sign only says whether the point is printed)
AUTO_LP, AUTO_HB, AUTO_UZ, AUTO_LPC = 2, 3, 4, 5

NEURODYN_RUNS = {
    "fold": ["inputs/mpr_bistability.yaml"],
    "hopf": ["inputs/mpr_hopf.yaml"],
    "cycles": ["inputs/mpr_hopf.yaml", "-cont_type", "periodic", "-cont_max", str(ETA_CYCLE)],
}


def izh_user_etas():
    """The eta of AUTO's user points (UZR) in bench/auto/c.izh_mf_cycles."""
    with open(os.path.join(AUTO_SOURCES, "c.izh_mf_cycles")) as f:
        for line in f:
            if line.startswith("UZR"):
                return [float(x) for x in line.split("[", 1)[1].split("]")[0].split(",")]
    fail("no UZR line in bench/auto/c.izh_mf_cycles")


IZH_CASES = {"d02": 0.02, "d04": 0.04}  # as in bench/auto/izh_mf.auto
IZH_VARIABLES = ["r", "v", "w", "s"]
IZH_USER_ETA = izh_user_etas()
IZH_RUNS = {"izh_mf_" + tag: ["-sys_type", "izh_mf", "-params_Delta", repr(delta), "-cont_type", "cycle",
                              "-cont_param", "eta", "-cont_min", "0", "-cont_max", "0.3", "-cont_ntst", "100",
                              "-cont_ncol", "4", "-cont_user_points", ",".join(map(repr, IZH_USER_ETA))]
            for tag, delta in IZH_CASES.items()}
# neurodyn's answer to a continuation type or option it does not know (yet)
UNSUPPORTED = re.compile(r"unknown (continuation type|option)|not supported|unsupported", re.I)


def fail(message):
    print("continuation_vs_auto: " + message, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------- neurodyn
def run_neurodyn(workdir, problems, optional=False):
    """One run of each problem; returns {problem: (file, wall seconds, reported seconds)}. With
    optional, a failed run gives the string 'unsupported: MESSAGE' (neurodyn does not know the
    continuation type or an option) or 'failed: MESSAGE' instead of ending the benchmark."""
    runs = {}
    for name, args in problems.items():
        out = os.path.join(workdir, name + ".h5")
        t0 = time.perf_counter()
        proc = subprocess.run([NEURODYN, "continue", *args, "-output", out, "-overwrite"], cwd=ROOT,
                              capture_output=True, text=True)
        wall = time.perf_counter() - t0
        match = re.search(r"continuation done in ([0-9.]+) s", proc.stdout)
        if optional and (proc.returncode != 0 or not match):
            errors = [line for line in (proc.stderr + proc.stdout).splitlines() if "error" in line]
            message = errors[0] if errors else "exit %d, no 'continuation done in' line" % proc.returncode
            runs[name] = ("unsupported: " if UNSUPPORTED.search(message) else "failed: ") + message
            continue
        if proc.returncode != 0:
            fail("neurodyn %s failed:\n%s%s" % (name, proc.stdout, proc.stderr))
        if not match:
            fail("neurodyn %s: no 'continuation done in' line in its output" % name)
        runs[name] = (out, wall, float(match.group(1)))
    return runs


def special_points(h5, label):
    """(parameter, omega) of every special point with this label, over all branches."""
    points = []
    for branch in h5["branch"].values():
        special = branch["special"]
        labels = special.attrs["labels"]
        labels = (labels.decode() if isinstance(labels, bytes) else labels).split(",")
        param = branch.attrs["parameter"]
        param = param.decode() if isinstance(param, bytes) else param
        for i, lab in enumerate(labels):
            if lab == label:
                points.append((float(special[param][i]), float(special["omega"][i])))
    return points


def neurodyn_points(runs):
    """Number of computed points (all branches) per problem."""
    counts = {}
    for name, run in runs.items():
        if isinstance(run, str):
            continue
        with h5py.File(run[0], "r") as h5:
            counts[name] = sum(len(branch["norm"]) for branch in h5["branch"].values())
    return counts


def neurodyn_results(runs):
    with h5py.File(runs["fold"][0], "r") as h5:
        folds = sorted({round(eta, 12) for eta, _ in special_points(h5, "LP")})
    with h5py.File(runs["hopf"][0], "r") as h5:
        hopfs = special_points(h5, "HB")
    with h5py.File(runs["cycles"][0], "r") as h5:
        eta_end = float(h5["branch/0/eta"][-1])
        period = float(h5["branch/0/period"][-1])
    if abs(eta_end - ETA_CYCLE) > 1e-9:
        fail("neurodyn's periodic branch ends at eta = %.12g, not %g" % (eta_end, ETA_CYCLE))
    if len(hopfs) != 1:
        fail("neurodyn found %d Hopf points, expected 1" % len(hopfs))
    return {"folds": folds, "hopf": hopfs[0], "period": period}


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def special_rows(branch, label):
    """Rows (indices into the branch's datasets) of the special points with this label."""
    special = branch["special"]
    labels = text(special.attrs["labels"]).split(",")
    return [int(special["row"][i]) for i, lab in enumerate(labels) if lab == label]


def distinct(values, tol=1e-7):
    """Sorted values with those closer than tol merged (the same point met on two branches)."""
    result = []
    for v in sorted(values):
        if not result or v - result[-1] > tol:
            result.append(v)
    return result


def neurodyn_izh_results(out):
    """Hopf points (equilibrium branches, and the ends of cycle branches), LPC and {user eta: period} (cycle branches) of a
    neurodyn izh_mf cycles output (schema: docs/output.md, branches of type "cycle")."""
    hopf, lpc, periods = [], [], {}
    with h5py.File(out, "r") as h5:
        for branch in h5["branch"].values():
            kind, param = text(branch.attrs["type"]), text(branch.attrs["parameter"])
            eta = branch[param][:]
            if kind == "equilibrium":
                hopf += [float(eta[k]) for k in special_rows(branch, "HB")]
            elif kind == "cycle":  # it starts at a Hopf point and ends at the other (HB)
                hopf += [float(eta[0])] + [float(eta[k]) for k in special_rows(branch, "HB")]
                lpc += [float(eta[k]) for k in special_rows(branch, "LPC")]
                for k in special_rows(branch, "UZ"):
                    periods[float(eta[k])] = float(branch["period"][k])
    return {"hopf": distinct(hopf), "lpc": distinct(lpc), "periods": periods}


# -------------------------------------------------------------------------------------- AUTO
def auto_namespace():
    if not os.path.isdir(os.path.join(AUTO_DIR, "python", "auto")):
        fail("AUTO-07p not found in %s (install the Debian package auto-07p: "
             "scripts/install-deps.sh --bench, or set AUTO_DIR)" % AUTO_DIR)
    if shutil.which("gfortran") is None:
        fail("gfortran not found: AUTO compiles bench/auto/mpr.f90 with it")
    os.environ["AUTO_DIR"] = AUTO_DIR
    sys.path.insert(0, os.path.join(AUTO_DIR, "python"))
    from auto import AUTOclui
    return AUTOclui.exportFunctions()


def run_auto(namespace, workdir, script_name="mpr.auto", variables=None):
    """One run of a script of bench/auto in workdir (variables: extra names it may read); returns
    {run: (wall, reported seconds)} for the runs it times (its dict seconds)."""
    script = os.path.join(workdir, script_name)
    with open(script) as f:
        code = compile(f.read(), script, "exec")
    log = io.StringIO()
    cwd = os.getcwd()
    os.chdir(workdir)
    # AUTO's executable writes gfortran's floating-point exception notes to stderr: keep them
    # (and anything else it says there) in a file, shown only if the run fails.
    stderr_fd = os.dup(2)
    with tempfile.TemporaryFile(mode="w+") as errors:
        os.dup2(errors.fileno(), 2)
        try:
            with contextlib.redirect_stdout(log):
                scope = dict(namespace, **(variables or {}))
                exec(code, scope)
        except Exception:
            errors.seek(0)
            log.write(errors.read())
            raise
        finally:
            os.dup2(stderr_fd, 2)
            os.close(stderr_fd)
            os.chdir(cwd)
    totals = [float(t) for t in re.findall(r"Total Time\s+(\S+)", log.getvalue())]
    names = list(scope["seconds"])
    if len(totals) != len(names):
        fail("AUTO printed %d 'Total Time' lines for %d runs:\n%s" %
             (len(totals), len(names), log.getvalue()))
    return {name: (scope["seconds"][name], total) for name, total in zip(names, totals)}


def auto_points(bfile, types):
    """Rows of an AUTO b-file whose point type is in types, as dicts column -> value."""
    columns, rows = None, []
    with open(bfile) as f:
        for line in f:
            fields = line.split()
            if len(fields) > 3 and fields[0] == "0" and fields[1:4] == ["PT", "TY", "LAB"]:
                columns = re.split(r"\s{2,}", line.strip())[4:]  # names like "MAX r"
            elif fields and fields[0] != "0" and abs(int(fields[2])) in types:
                rows.append(dict(zip(columns, map(float, fields[4:]))))
    return rows


def auto_points_count(workdir):
    """Number of computed points per problem (rows of each b-file)."""
    counts = {}
    for name in NEURODYN_RUNS:
        with open(os.path.join(workdir, "b." + name)) as f:
            counts[name] = sum(1 for line in f if line.split() and line.split()[0] != "0")
    return counts


def auto_solution_parameters(sfile, label):
    """PAR(1..NPAR) of the solution with this label in an AUTO s-file."""
    with open(sfile) as f:
        lines = f.readlines()
    i = 0
    while i < len(lines):
        header = [int(x) for x in lines[i].split()]
        lab, nrows, npar = header[3], header[8], header[11]
        block = lines[i + 1:i + 1 + nrows]
        if lab == label:
            values = [float(x.replace("D", "E")) for row in block for x in row.split()]
            return values[-npar:]
        i += 1 + nrows
    fail("label %d not in %s" % (label, sfile))


def auto_solutions(sfile):
    """Every solution of an AUTO s-file: dicts with label, type (AUTO's point type, unsigned),
    itp (signed: -32 is a GH point, 32 a fold on a Hopf curve), ntst, ncol, t (mesh times in
    [0, 1]), u (rows: the NAR - 1 values at t: the state, then for extended systems such as fold
    curves the other unknowns) and par (PAR(1..NPAR)). A row of NAR values may span several
    lines of the file (more than 7 values)."""
    with open(sfile) as f:
        lines = f.readlines()
    solutions, i = [], 0
    while i < len(lines):
        header = [int(x) for x in lines[i].split()]
        itp, lab, ntpl, nar, nrows, ntst, ncol, npar = (header[2], header[3], header[6], header[7],
                                                         header[8], header[9], header[10], header[11])
        block = lines[i + 1:i + 1 + nrows]
        values = [float(x.replace("D", "E")) for row in block for x in row.split()]
        profile = [values[k * nar:(k + 1) * nar] for k in range(ntpl)]
        solutions.append({"label": lab, "type": abs(itp), "itp": itp, "ntst": ntst, "ncol": ncol,
                          "t": [row[0] for row in profile], "u": [row[1:] for row in profile],
                          "par": values[-npar:]})
        i += 1 + nrows
    return solutions


def collocation_extrema(solution):
    """(max, min) of each variable over AUTO's collocation polynomials (degree NCOL on each of
    the NTST mesh intervals, through the NCOL + 1 stored points), not only at the stored points."""
    import numpy as np
    t, u, ncol = np.array(solution["t"]), np.array(solution["u"]), solution["ncol"]
    fine = np.linspace(0, 1, 64)
    values = []
    for j in range(solution["ntst"]):
        tj, uj = t[j * ncol:(j + 1) * ncol + 1], u[j * ncol:(j + 1) * ncol + 1]
        s = (tj - tj[0]) / (tj[-1] - tj[0])
        basis = np.vander(s, ncol + 1)
        coef = np.linalg.solve(basis, uj)
        values.append(np.vander(fine, ncol + 1) @ coef)
    values = np.concatenate(values)
    return values.max(axis=0).tolist(), values.min(axis=0).tolist()


def auto_multipliers(dfile):
    """{label: [Floquet multipliers (complex)]} of the labelled points of an AUTO d-file (ISP = 2)."""
    result, current = {}, {}
    with open(dfile) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3 and fields[2] == "Multipliers:":  # a new list for this point
                current[int(fields[1])] = []
            elif len(fields) >= 6 and fields[2] == "Multiplier":
                current.setdefault(int(fields[1]), []).append(complex(float(fields[4]),
                                                                      float(fields[5])))
            elif (len(fields) > 4 and fields[2].isalpha() and fields[3].isdigit()
                  and abs(int(fields[1])) in current):
                result[int(fields[3])] = current.pop(abs(int(fields[1])))
    return result


def unstable_multipliers(multipliers):
    """Multipliers outside the unit circle (modulus > 1 + 1e-6), the trivial one (nearest 1)
    excluded."""
    trivial = min(range(len(multipliers)), key=lambda k: abs(multipliers[k] - 1))
    return sum(1 for k, m in enumerate(multipliers) if k != trivial and abs(m) > 1 + 1e-6)


def auto_izh_results(workdir, tag):
    """AUTO's results of bench/auto/izh_mf.auto for one Delta: the Hopf points (eta, omega,
    period 2 pi / omega, equilibrium), the folds of cycles (LPC) and the cycles at the user
    points (eta, period, max and min of each variable over the collocation polynomials, Floquet
    multipliers and how many are unstable). At the upper Hopf point the branch turns back along
    itself, which AUTO also labels as a fold: a fold with (almost) zero amplitude is no LPC."""
    hopf = []
    for sol in auto_solutions(os.path.join(workdir, "s.eq_" + tag)):
        if sol["type"] == AUTO_HB:
            period = sol["par"][10]
            hopf.append({"eta": sol["par"][0], "omega": 2 * math.pi / period, "period": period,
                         "state": dict(zip(IZH_VARIABLES, sol["u"][0]))})
    multipliers = auto_multipliers(os.path.join(workdir, "d.cycles_" + tag))
    lpc, cycles = [], []
    for sol in auto_solutions(os.path.join(workdir, "s.cycles_" + tag)):
        mx, mn = collocation_extrema(sol)
        mult = multipliers.get(sol["label"], [])
        point = {"eta": sol["par"][0], "period": sol["par"][10],
                 "max": dict(zip(IZH_VARIABLES, mx)), "min": dict(zip(IZH_VARIABLES, mn)),
                 "multipliers_re": [m.real for m in mult], "multipliers_im": [m.imag for m in mult],
                 "unstable": unstable_multipliers(mult) if mult else None}
        if sol["type"] == AUTO_LPC and mx[0] - mn[0] > 1e-3:
            lpc.append(point)
        elif sol["type"] == AUTO_UZ and any(abs(sol["par"][0] - e) < 1e-6 for e in IZH_USER_ETA):
            cycles.append(point)
    with open(os.path.join(workdir, "b.cycles_" + tag)) as f:
        npoints = sum(1 for line in f if line.split() and line.split()[0] != "0")
    return {"Delta": IZH_CASES[tag], "hopf": hopf, "lpc": lpc, "cycles": cycles, "cycle_points": npoints}


def auto_results(workdir):
    folds = sorted(p["eta"] for p in auto_points(os.path.join(workdir, "b.fold"), {AUTO_LP}))
    hb = auto_points(os.path.join(workdir, "b.hopf"), {AUTO_HB})
    if len(hb) != 1:
        fail("AUTO found %d Hopf points, expected 1" % len(hb))
    hb_label = None
    with open(os.path.join(workdir, "b.hopf")) as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] != "0" and abs(int(fields[2])) == AUTO_HB:
                hb_label = int(fields[3])
    par = auto_solution_parameters(os.path.join(workdir, "s.hopf"), hb_label)
    omega = 2 * math.pi / par[10]  # PAR(11) at a Hopf point: the period 2 pi / omega
    end = auto_points(os.path.join(workdir, "b.cycles"), {AUTO_UZ})
    if len(end) != 1 or abs(end[0]["eta"] - ETA_CYCLE) > 1e-9:
        fail("AUTO's periodic branch has no user point at eta = %g" % ETA_CYCLE)
    return {"folds": folds, "hopf": (hb[0]["eta"], omega), "period": end[0]["period"]}


# ------------------------------------------------------------------------------------ report
ROW = "%-30s %20.12f %20.12f %10.2e %8.0e %s"
HEAD = "%-30s %20s %20s %10s %8s"


def print_rows(rows):
    """Print (name, neurodyn, AUTO, diff, tol) rows; False if any differs beyond its tolerance."""
    ok = True
    for name, a, b, diff, tol in rows:
        good = diff <= tol
        ok &= good
        print(ROW % (name, a, b, diff, tol, "" if good else "DISAGREE"))
    return ok


def compare(nd, au):
    rows = []
    if len(nd["folds"]) != len(au["folds"]):
        rows.append(("number of folds", len(nd["folds"]), len(au["folds"]), math.inf, 0))
    for k, (a, b) in enumerate(zip(nd["folds"], au["folds"])):
        rows.append(("fold %d eta (J=15)" % (k + 1), a, b, abs(a - b), TOL_FOLD))
    rows.append(("Hopf eta (J=-10, tau_s=0.5)", nd["hopf"][0], au["hopf"][0],
                 abs(nd["hopf"][0] - au["hopf"][0]), TOL_HOPF))
    rows.append(("Hopf omega", nd["hopf"][1], au["hopf"][1],
                 abs(nd["hopf"][1] - au["hopf"][1]), TOL_HOPF))
    rows.append(("period at eta = %g" % ETA_CYCLE, nd["period"], au["period"],
                 abs(nd["period"] - au["period"]), TOL_PERIOD))
    print(HEAD % ("quantity", "neurodyn", "AUTO-07p", "|diff|", "tol"))
    return print_rows(rows)


def compare_izh(name, nd, au):
    """One izh_mf problem: Hopf points, LPC, periods at the user points (relative difference)."""
    print("\n%s (Delta = %g): %d Hopf points, %d LPC, %d cycle points in AUTO" %
          (name, au["Delta"], len(au["hopf"]), len(au["lpc"]), au["cycle_points"]))
    if isinstance(nd, str):
        print("  neurodyn: " + nd)
        return nd.startswith("unsupported")
    print(HEAD % ("quantity", "neurodyn", "AUTO-07p", "|diff|", "tol"))
    rows = []
    for what, values, tol in (("Hopf", [h["eta"] for h in au["hopf"]], TOL_HOPF),
                              ("LPC", [p["eta"] for p in au["lpc"]], TOL_LPC)):
        mine = nd["hopf" if what == "Hopf" else "lpc"]
        if len(mine) != len(values):
            rows.append(("number of %s points" % what, len(mine), len(values), math.inf, 0))
        for k, (a, b) in enumerate(zip(mine, values)):
            rows.append(("%s %d eta" % (what, k + 1), a, b, abs(a - b), tol))
    for point in au["cycles"]:
        match = [t for eta, t in nd["periods"].items() if abs(eta - point["eta"]) < 1e-6]
        a = match[0] if match else math.nan
        rows.append(("period at eta = %g (rel.)" % point["eta"], a, point["period"],
                     abs(a / point["period"] - 1) if match else math.inf, TOL_PERIOD_REL))
    return print_rows(rows)


def report_times(problems, nd_times, au_times, nd_points, au_points):
    print("\nwall time, median of %d runs [s]" % len(next(iter(au_times.values()))))
    print("%-11s %10s %10s %8s   %12s %12s %8s   %s" % ("problem", "neurodyn", "AUTO", "ratio",
                                                        "nd compute", "AUTO compute", "ratio",
                                                        "points nd/AUTO"))
    for name in problems:
        aw = statistics.median(t[0] for t in au_times[name])
        ac = statistics.median(t[1] for t in au_times[name])
        if not nd_times[name]:
            print("%-11s %10s %10.3f %8s   %12s %12.4f %8s   -/%d" %
                  (name, "-", aw, "-", "-", ac, "-", au_points[name]))
            continue
        nw = statistics.median(t[0] for t in nd_times[name])
        nc = statistics.median(t[1] for t in nd_times[name])
        print("%-11s %10.3f %10.3f %8.1f   %12.4f %12.4f %8.1f   %d/%d" %
              (name, nw, aw, nw / aw, nc, ac, nc / max(ac, 1e-4), nd_points[name],
               au_points[name]))
    print("(whole run: neurodyn process incl. MPI/PETSc start and HDF5 output, AUTO run() call "
          "incl. its Python driver; compute: as each program reports it; AUTO's clock has "
          "1e-4 s resolution, neurodyn's 1e-2 s; neurodyn's cycles runs include the "
          "equilibrium continuation that finds the Hopf points, and so do AUTO's izh_mf times "
          "(its equilibrium run plus its cycle run); '-': neurodyn unsupported or failed)")


def run_auto_izh(namespace, workdir):
    """One run of bench/auto/izh_mf.auto; {problem: (wall, Total Time)}, equilibria plus cycles."""
    timing = run_auto(namespace, workdir, "izh_mf.auto")
    return {"izh_mf_" + tag: tuple(timing["eq_" + tag][i] + timing["cycles_" + tag][i] for i in (0, 1))
            for tag in IZH_CASES}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-r", "--repeats", type=int, default=5, help="timed repetitions (5)")
    parser.add_argument("-k", "--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if not os.access(NEURODYN, os.X_OK):
        fail("%s not built (run make)" % NEURODYN)
    # A serial comparison: AUTO's library is built with OpenMP, and on a shared machine its
    # threads make the periodic run up to 100 times slower; neurodyn runs on one rank.
    os.environ["OMP_NUM_THREADS"] = "1"
    namespace = auto_namespace()
    workdir = tempfile.mkdtemp(prefix="neurodyn-bench-")
    for f in glob.glob(os.path.join(AUTO_SOURCES, "*")):
        shutil.copy(f, workdir)
    problems = list(NEURODYN_RUNS) + list(IZH_RUNS)
    nd_times = {name: [] for name in problems}
    au_times = {name: [] for name in problems}
    izh_status = {}  # izh_mf problem -> 'unsupported: ...' or 'failed: ...' (not run again)
    for repeat in range(args.repeats + 1):  # repeat 0: warm-up (and AUTO's compilation)
        nd = run_neurodyn(workdir, NEURODYN_RUNS)
        izh = run_neurodyn(workdir, {k: v for k, v in IZH_RUNS.items() if k not in izh_status}, optional=True)
        izh_status.update({k: v for k, v in izh.items() if isinstance(v, str)})
        nd.update({k: v for k, v in izh.items() if not isinstance(v, str)})
        au = run_auto(namespace, workdir)
        au.update(run_auto_izh(namespace, workdir))
        if repeat > 0:
            for name in problems:
                if name in nd:
                    nd_times[name].append(nd[name][1:])
                au_times[name].append(au[name])
    nd.update(izh_status)
    ok = compare(neurodyn_results(nd), auto_results(workdir))
    for name in IZH_RUNS:
        result = nd[name] if isinstance(nd[name], str) else neurodyn_izh_results(nd[name][0])
        ok &= compare_izh(name, result, auto_izh_results(workdir, name[len("izh_mf_"):]))
    au_points = auto_points_count(workdir)
    au_points.update({name: auto_izh_results(workdir, name[len("izh_mf_"):])["cycle_points"]
                      for name in IZH_RUNS})
    report_times(problems, nd_times, au_times, neurodyn_points(nd), au_points)
    if args.keep:
        print("\nwork directory: " + workdir)
    else:
        shutil.rmtree(workdir)
    if not ok:
        print("continuation_vs_auto: neurodyn and AUTO-07p disagree", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
