#!/usr/bin/python3
"""neurodyn test runner.

Runs the unit tests (C programs build/tests/test_*, each exits 0 when all its checks pass) and
the end-to-end tests (functions test_* in tests/e2e/test_*.py), prints one line per test and
ends with 'N passed, N failed'. Exit status 1 if any test failed.

usage: tests/run.py [substring ...]     run only the tests whose name contains a substring
"""
import glob
import importlib.util
import os
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))


def unit_tests():
    for exe in sorted(glob.glob(os.path.join(ROOT, "build", "tests", "test_*"))):
        name = "unit/" + os.path.basename(exe)

        def run(exe=exe):
            p = subprocess.run([exe], cwd=os.path.join(ROOT, "build", "tests"), capture_output=True, text=True, timeout=300)
            assert p.returncode == 0, f"exit {p.returncode}\n{p.stdout}{p.stderr}"

        yield name, run


def e2e_tests():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "e2e", "test_*.py"))):
        modname = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for fname in sorted(n for n in dir(module) if n.startswith("test_")):
            yield f"e2e/{modname}.{fname}", getattr(module, fname)


def main(filters):
    passed = failed = 0
    start = time.time()
    for name, fn in list(unit_tests()) + list(e2e_tests()):
        if filters and not any(f in name for f in filters):
            continue
        t0 = time.time()
        try:
            fn()
        except Exception as e:  # a failed assertion or an unexpected error: both fail the test
            failed += 1
            detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
            print(f"FAIL {name} ({time.time() - t0:.1f} s)\n     " + detail.strip().replace("\n", "\n     "), flush=True)
        else:
            passed += 1
            print(f"ok   {name} ({time.time() - t0:.1f} s)", flush=True)
    print(f"# {time.time() - start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
