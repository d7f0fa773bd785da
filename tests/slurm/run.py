#!/usr/bin/python3
"""make test-slurm: the batch scripts of jobs/ submitted with sbatch to a real single-node SLURM
(scripts/slurm-local.sh), waited for (with a timeout: a stuck job fails the test, never hangs
CI), and their outputs checked.

Starts the cluster when none is running and stops it at the end if it started it. Runs the
test_* functions of tests/slurm/test_*.py; prints one line per test and 'N passed, N failed'.

usage: tests/slurm/run.py [substring ...]
"""
import glob
import importlib.util
import os
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import slurm  # noqa: E402


def tests():
    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        modname = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for fname in sorted(n for n in dir(module) if n.startswith("test_")):
            yield f"slurm/{modname}.{fname}", getattr(module, fname)


def main(filters):
    started = slurm.start()
    passed = failed = 0
    t_start = time.time()
    try:
        for name, fn in list(tests()):
            if filters and not any(f in name for f in filters):
                continue
            t0 = time.time()
            try:
                fn()
            except Exception as e:
                failed += 1
                detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
                print(f"FAIL {name} ({time.time() - t0:.1f} s)\n     " + detail.strip().replace("\n", "\n     "), flush=True)
            else:
                passed += 1
                print(f"ok   {name} ({time.time() - t0:.1f} s)", flush=True)
    finally:
        if started:
            subprocess.run([slurm.SCRIPT, "stop"], check=False)
    print(f"# {time.time() - t_start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
