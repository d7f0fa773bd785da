#!/usr/bin/python3
"""neurodyn continue against AUTO-07p on the same MPR problems, side by side.

    /usr/bin/python3 bench/continuation_vs_auto.py [-r REPEATS] [-k]      (or: make bench)

Three problems (MODELS.md section 1), each solved by both programs in this invocation:
  fold    equilibria in eta at J = 15, Delta = 1, tau_s = 0: the two folds (LP)
  hopf    equilibria in eta at J = -10, Delta = 1, tau_s = 0.5: the Hopf point (HB), omega
  cycles  the periodic orbits from that Hopf point up to eta = 10: the period there
neurodyn: bin/neurodyn continue on inputs/mpr_bistability.yaml and inputs/mpr_hopf.yaml.
AUTO: bench/auto/mpr.auto (equations bench/auto/mpr.f90, constants bench/auto/c.mpr_*), run
in-process through AUTO's Python bindings; its results are read from the saved b.* and s.* files.

Both run serially (neurodyn on one rank, AUTO with OMP_NUM_THREADS=1).
Prints the values from both, their differences and the wall-time ratio neurodyn/AUTO (median
of the repetitions, after one untimed warm-up run that also compiles the AUTO equations), both
for the whole run (neurodyn: the process; AUTO: its run() call) and for the computation alone as
each program reports it (neurodyn "continuation done in"; AUTO "Total Time").
Exits 1 when the programs disagree beyond the tolerances (folds 1e-7, Hopf point 1e-6, period
1e-5), 2 when a program or AUTO itself is missing or fails.
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
ETA_CYCLE = 10.0

# AUTO's point types in the b-files (sign only says whether the point is printed)
AUTO_LP, AUTO_HB, AUTO_UZ = 2, 3, 4

NEURODYN_RUNS = {
    "fold": ["inputs/mpr_bistability.yaml"],
    "hopf": ["inputs/mpr_hopf.yaml"],
    "cycles": ["inputs/mpr_hopf.yaml", "-cont_type", "periodic", "-cont_max", str(ETA_CYCLE)],
}


def fail(message):
    print("continuation_vs_auto: " + message, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------- neurodyn
def run_neurodyn(workdir):
    """One run of each problem; returns {problem: (file, wall seconds, reported seconds)}."""
    runs = {}
    for name, args in NEURODYN_RUNS.items():
        out = os.path.join(workdir, name + ".h5")
        t0 = time.perf_counter()
        proc = subprocess.run([NEURODYN, "continue", *args, "-output", out], cwd=ROOT,
                              capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            fail("neurodyn %s failed:\n%s%s" % (name, proc.stdout, proc.stderr))
        match = re.search(r"continuation done in ([0-9.]+) s", proc.stdout)
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
    for name, (out, _, _) in runs.items():
        with h5py.File(out, "r") as h5:
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
    """Every solution of an AUTO s-file: dicts with label, type (AUTO's point type), ntst, ncol,
    t (mesh times in [0, 1]), u (rows: the state at t) and par (PAR(1..NPAR))."""
    with open(sfile) as f:
        lines = f.readlines()
    solutions, i = [], 0
    while i < len(lines):
        header = [int(x) for x in lines[i].split()]
        itp, lab, ntpl, nrows, ntst, ncol, npar = (header[2], header[3], header[6], header[8],
                                                    header[9], header[10], header[11])
        block = lines[i + 1:i + 1 + nrows]
        profile = [[float(x.replace("D", "E")) for x in row.split()] for row in block[:ntpl]]
        values = [float(x.replace("D", "E")) for row in block for x in row.split()]
        solutions.append({"label": lab, "type": abs(itp), "ntst": ntst, "ncol": ncol,
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
    print("%-28s %20s %20s %10s %8s" % ("quantity", "neurodyn", "AUTO-07p", "|diff|", "tol"))
    ok = True
    for name, a, b, diff, tol in rows:
        good = diff <= tol
        ok &= good
        print("%-28s %20.12f %20.12f %10.2e %8.0e %s" % (name, a, b, diff, tol,
                                                           "" if good else "DISAGREE"))
    return ok


def report_times(nd_times, au_times, nd_points, au_points):
    print("\nwall time, median of %d runs [s]" % len(next(iter(nd_times.values()))))
    print("%-8s %10s %10s %8s   %12s %12s %8s   %s" % ("problem", "neurodyn", "AUTO", "ratio",
                                                       "nd compute", "AUTO compute", "ratio",
                                                       "points nd/AUTO"))
    for name in NEURODYN_RUNS:
        nw = statistics.median(t[0] for t in nd_times[name])
        nc = statistics.median(t[1] for t in nd_times[name])
        aw = statistics.median(t[0] for t in au_times[name])
        ac = statistics.median(t[1] for t in au_times[name])
        print("%-8s %10.3f %10.3f %8.1f   %12.4f %12.4f %8.1f   %d/%d" %
              (name, nw, aw, nw / aw, nc, ac, nc / max(ac, 1e-4), nd_points[name],
               au_points[name]))
    print("(whole run: neurodyn process incl. MPI/PETSc start and HDF5 output, AUTO run() call "
          "incl. its Python driver; compute: as each program reports it; AUTO's clock has "
          "1e-4 s resolution, neurodyn's 1e-2 s; neurodyn's cycles run includes the "
          "equilibrium continuation that finds the Hopf point)")


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
    nd_times = {name: [] for name in NEURODYN_RUNS}
    au_times = {name: [] for name in NEURODYN_RUNS}
    for repeat in range(args.repeats + 1):  # repeat 0: warm-up (and AUTO's compilation)
        nd = run_neurodyn(workdir)
        au = run_auto(namespace, workdir)
        if repeat > 0:
            for name in NEURODYN_RUNS:
                nd_times[name].append(nd[name][1:])
                au_times[name].append(au[name])
    ok = compare(neurodyn_results(nd), auto_results(workdir))
    report_times(nd_times, au_times, neurodyn_points(nd), auto_points_count(workdir))
    if args.keep:
        print("\nwork directory: " + workdir)
    else:
        shutil.rmtree(workdir)
    if not ok:
        print("continuation_vs_auto: neurodyn and AUTO-07p disagree", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
