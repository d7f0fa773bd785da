#!/usr/bin/python3
"""neurodyn test runner.

Runs the unit tests (C programs build/tests/test_*, each exits 0 when all its checks pass; under
mpiexec, at 1 rank or at the ranks of a line 'run at ranks: 1 2' in the test's source) and
the end-to-end tests (functions test_* in tests/e2e/test_*.py), prints one line per test and
ends with 'N passed, N failed'. Exit status 1 if any test failed. A test that passes leaves
nothing in build/test-output; a failing test's files stay there.

usage: tests/run.py [--long] [substring ...]
  substring   run only the tests whose name contains a substring
  --long      run the long end-to-end tests of tests/long/ (make test-long) instead: checks too slow
              for the 10-minute budget of make test (bigger networks, longer runs, mutation-style
              sweeps); same format, names prefixed long/
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import ndtest  # noqa: E402  (after the path is set)


def unit_ranks(exe):
    """the rank counts a unit test runs at: those of a line 'run at ranks: 1 2' in its source, else 1"""
    src = os.path.join(ROOT, "tests", "unit", os.path.basename(exe) + ".c")
    m = re.search(r"run at ranks:([ 0-9]+)", open(src).read()) if os.path.exists(src) else None
    return [int(r) for r in m.group(1).split()] if m else [1]


def unit_tests():
    """each unit test under mpiexec, at each of its rank counts"""
    for exe in sorted(glob.glob(os.path.join(ROOT, "build", "tests", "test_*"))):
        name = "unit/" + os.path.basename(exe)

        def run(exe=exe):
            for ranks in unit_ranks(exe):
                cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe", exe]
                p = subprocess.run(cmd, cwd=os.path.join(ROOT, "build", "tests"), capture_output=True, text=True,
                                   timeout=300, env=ndtest.ENV)
                assert p.returncode == 0, f"exit {p.returncode} at {ranks} rank(s)\n{p.stdout}{p.stderr}"

        yield name, run


def main(args):
    if args[:1] == ["--long"]:
        tests = list(ndtest.module_tests(os.path.join(ROOT, "tests", "long", "test_*.py"), "long"))
        return ndtest.run_tests(tests, args[1:])
    tests = list(unit_tests()) + list(ndtest.module_tests(os.path.join(ROOT, "tests", "e2e", "test_*.py"), "e2e"))
    return ndtest.run_tests(tests, args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
