#!/usr/bin/python3
"""make test-slurm: the batch scripts of jobs/ submitted with sbatch to a real single-node SLURM
(scripts/slurm-local.sh), waited for (with a timeout: a stuck job fails the test, never hangs
CI), and their outputs checked.

Starts the cluster when none is running and stops it at the end if it started it. Runs the
test_* functions of tests/slurm/test_*.py; prints one line per test and 'N passed, N failed'.

usage: tests/slurm/run.py [substring ...]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import ndtest  # noqa: E402
import slurm  # noqa: E402


def main(filters):
    started = slurm.start()

    def stop():
        if started:
            subprocess.run([slurm.SCRIPT, "stop"], check=False)

    return ndtest.run_tests(list(ndtest.module_tests(os.path.join(HERE, "test_*.py"), "slurm")), filters, stop)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
