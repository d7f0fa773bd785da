#!/usr/bin/python3
"""Mutation testing (make mutate): do the tests fail when the code is wrong?

Each mutant in tests/mutants/*.yaml is one small, realistic bug: a text 'find' in a file that
occurs there exactly once, replaced by 'replace' (a mutant whose text no longer occurs once is
reported as stale and not run). For each mutant the script copies the working
tree once into a scratch directory (build/mutate, with the current build so only the mutated file
recompiles), applies the mutant, rebuilds, runs the tests named in its 'tests' list (substrings,
as for tests/run.py; one after the other, stopping at the first that fails) and restores the file. A mutant is killed when a test fails
by an assertion or an error; it survives when they all pass. A test that fails only because a
run hit its time limit (ndtest's 'timed out after', a run not ready in time, a subprocess
TimeoutExpired, or this script's TIMEOUT) is no evidence either way: on a loaded machine a
correct program can be that slow. Such a mutant is 'timeout' unless a later test of its list
kills it; timeouts are counted apart from kills (they stay in M, the mutants that count, so an
unconfirmed mutant lowers the score until it is rerun on an idle machine). A mutant that does
not compile is reported apart and not counted. Mutants marked 'equivalent: <reason>' are run all
the same and reported, but not counted in the score. Prints one line per mutant and ends with
'killed K of M (P%)', the survivors and the timed-out mutants.

usage: tests/mutate.py [--list] [substring ...]   (only mutants whose id contains a substring)
"""
import glob
import os
import shutil
import subprocess
import sys
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = os.path.join(ROOT, "build", "mutate")
TIMEOUT = 900


def load():
    mutants = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "mutants", "*.yaml"))):
        with open(path) as f:
            for m in yaml.safe_load(f):
                for key in ("id", "file", "find", "replace", "tests"):
                    assert key in m, f"{path}: mutant {m.get('id', '?')} has no '{key}'"
                text = open(os.path.join(ROOT, m["file"])).read() if os.path.exists(os.path.join(ROOT, m["file"])) else ""
                n = text.count(m["find"])
                if n != 1:  # the code moved on: the mutant needs updating, it is not run
                    print(f"stale    {m['id']}: 'find' occurs {n} times in {m['file']} (must be once)")
                    continue
                mutants.append(m)
    ids = [m["id"] for m in mutants]
    assert len(ids) == len(set(ids)), "mutant ids repeat"
    return mutants


def copy_tree():
    """the tracked files and the current build into SCRATCH, timestamps kept"""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    shutil.rmtree(SCRATCH, ignore_errors=True)
    for f in files:
        if not os.path.isfile(os.path.join(ROOT, f)):
            continue
        os.makedirs(os.path.dirname(os.path.join(SCRATCH, f)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, f), os.path.join(SCRATCH, f))
    for d in ("build/src", "build/tests", "lib", "bin"):
        if os.path.isdir(os.path.join(ROOT, d)):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(SCRATCH, d), symlinks=True)
    if os.path.exists(os.path.join(ROOT, ".git-commit")):
        shutil.copy2(os.path.join(ROOT, ".git-commit"), os.path.join(SCRATCH, ".git-commit"))


def make(targets):
    return subprocess.run(["make", "-j2", "--no-print-directory", "GIT_COMMIT=mutate"] + targets, cwd=SCRATCH,
                          capture_output=True, text=True)


def unit_targets(tests):
    return [f"build/tests/{t.split('/')[-1]}" for t in tests if t.startswith("unit/")]


# what a test's failure says when a run hit its time limit rather than a check (tests/e2e/ndtest.py,
# the table test's cases, subprocess.run(timeout=...))
TIMEOUT_MARKS = ("timed out after", "TimeoutExpired", "not ready (")


def failures(output):
    """the FAIL lines of tests/run.py's output, split into (killed, timed out): a failure whose
    message (the FAIL line and its indented lines) shows a time limit was hit is a timeout"""
    killed, timed_out, block = [], [], None
    for line in output.splitlines() + [""]:
        if block is not None and line.startswith("     "):
            block.append(line)
            continue
        if block is not None:
            text = "\n".join(block)
            (timed_out if any(mark in text for mark in TIMEOUT_MARKS) else killed).append(block[0])
            block = None
        if line.startswith("FAIL"):
            block = [line]
    return killed, timed_out


def run_mutant(m):
    path = os.path.join(SCRATCH, m["file"])
    original = open(path).read()
    try:
        with open(path, "w") as f:
            f.write(original.replace(m["find"], m["replace"], 1))
        b = make(["all"] + unit_targets(m["tests"]))
        if b.returncode != 0:
            return "invalid", b.stderr.strip().splitlines()[-1:] or [""]
        timeouts = []
        for test in m["tests"]:  # in the order listed (the quick ones first); stop at the first kill
            try:
                p = subprocess.run([sys.executable, "tests/run.py", test], cwd=SCRATCH, capture_output=True, text=True,
                                   timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                timeouts.append(f"{test}: no result within {TIMEOUT} s")
                continue
            ran = [l for l in p.stdout.splitlines() if l.startswith(("ok ", "FAIL"))]
            assert ran, f"mutant {m['id']}: '{test}' matches no test"
            killed, timed_out = failures(p.stdout)
            if killed:
                return "killed", killed[:1]
            if p.returncode and not timed_out:  # failed, but no test's failure was printed: count it
                return "killed", [f"{test}: exit {p.returncode}"]
            timeouts += timed_out
        return ("timeout", timeouts) if timeouts else ("survived", [])
    finally:
        with open(path, "w") as f:
            f.write(original)


def main(args):
    mutants = load()
    if args[:1] == ["--list"]:
        for m in mutants:
            print(f"{m['id']:40s} {m['file']}  -> {' '.join(m['tests'])}")
        return 0
    if args:
        mutants = [m for m in mutants if any(a in m["id"] for a in args)]
    copy_tree()
    b = make(["all"] + sorted({u for m in mutants for u in unit_targets(m["tests"])}))
    assert b.returncode == 0, f"the unmutated copy does not build:\n{b.stderr[-2000:]}"
    start, survivors, timed_out = time.time(), [], []
    counts = {"killed": 0, "survived": 0, "timeout": 0, "invalid": 0}
    eq_counts = dict(counts)
    for m in mutants:
        t0 = time.time()
        result, detail = run_mutant(m)
        eq = "equivalent" in m
        (eq_counts if eq else counts)[result] += 1
        if result == "survived" and not eq:
            survivors.append(m["id"])
        if result == "timeout" and not eq:
            timed_out.append(m["id"])
        note = f"  (equivalent: {m['equivalent']})" if eq else ""
        print(f"{result:8s} {m['id']} ({time.time() - t0:.0f} s){note}" + (f"\n         {detail[0][:200]}" if detail and
                                                                             result != "survived" else ""), flush=True)
    make(["all"])  # leave the scratch build unmutated
    total = counts["killed"] + counts["survived"] + counts["timeout"]
    print(f"# {time.time() - start:.0f} s; {counts['invalid']} did not compile; equivalent mutants (not counted): "
          f"{eq_counts['killed']} killed, {eq_counts['survived']} survived, {eq_counts['timeout']} timed out")
    print(f"survivors: {' '.join(survivors) if survivors else 'none'}")
    print(f"timed out (not killed; rerun on an idle machine): {' '.join(timed_out) if timed_out else 'none'}")
    print(f"killed {counts['killed']} of {total} ({100.0 * counts['killed'] / max(total, 1):.1f}%), "
          f"{counts['survived']} survived, {counts['timeout']} timed out")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
