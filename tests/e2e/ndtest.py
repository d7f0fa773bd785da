"""Helpers for end-to-end tests: run bin/neurodyn at n ranks, read its output."""
import os
import signal
import subprocess
import tempfile
import time

import ndio

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NEURODYN = os.path.join(ROOT, "bin", "neurodyn")
INPUTS = os.path.join(ROOT, "inputs")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")


def workdir():
    base = os.path.join(ROOT, "build", "test-output")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(dir=base)


def run(args, ranks=1, timeout=120, cwd=None):
    """Run neurodyn under mpiexec; return the CompletedProcess (a hang fails the test)."""
    cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe", NEURODYN] + [str(a) for a in args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=ENV, cwd=cwd or ROOT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"timed out after {timeout} s (hang?): {' '.join(cmd)}")


def run_ok(args, ranks=1, timeout=120, cwd=None):
    p = run(args, ranks, timeout, cwd)
    assert p.returncode == 0, f"neurodyn {' '.join(map(str, args))} failed at {ranks} rank(s), exit {p.returncode}:\n{p.stderr[-2000:]}"
    return p


def simulate(args, ranks=1, name="run.h5"):
    """neurodyn simulate ARGS -output <tmp>/NAME -quiet; return (timeseries, units, path)."""
    out = os.path.join(workdir(), name)
    run_ok(["simulate"] + list(args) + ["-output", out, "-quiet"], ranks)
    data, units = ndio.timeseries(out)
    return data, units, out


def error_lines(p):
    """neurodyn's own error lines (mpiexec adds its own banner on a non-zero exit)."""
    return [l for l in p.stderr.splitlines() if l.startswith("neurodyn: error")]


def relerr(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def run_and_sigterm(args, out, ranks=2, wait=1.0):
    """Start neurodyn ARGS at n ranks, wait until OUT exists and WAIT seconds more, then send
    SIGTERM to every rank, as SLURM does before the time limit; return (exit code, stderr)."""
    cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe", NEURODYN] + [str(a) for a in args]
    p = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.time()
        while not os.path.exists(out) and time.time() - t0 < 30:
            time.sleep(0.1)
        time.sleep(wait)
        pids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        assert len(pids) == ranks, pids
        for pid in pids:
            os.kill(int(pid), signal.SIGTERM)
        _, stderr = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    return p.returncode, stderr
