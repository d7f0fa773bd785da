"""Helpers for end-to-end tests: run bin/neurodyn at n ranks, read its output."""
import glob
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import ndio

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# make asan runs the tests with another build (ND_NEURODYN) and fails any run whose output holds
# a sanitizer's report (ND_SANITIZED)
NEURODYN = os.path.join(ROOT, os.environ.get("ND_NEURODYN", os.path.join("bin", "neurodyn")))
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
TIMEOUT_SCALE = 5 if os.environ.get("ND_SANITIZED") else 1  # a sanitized run is several times slower


def check_sanitizers(output):
    """under make asan: no sanitizer report in a run's output"""
    if os.environ.get("ND_SANITIZED"):
        for phrase in SANITIZER_REPORTS:
            assert phrase not in output, f"sanitizer report:\n{output[max(0, output.index(phrase) - 200):][:6000]}"


INPUTS = os.path.join(ROOT, "inputs")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
# When a rank exits non-zero, mpiexec waits odls_base_sigkill_timeout (1 s) before it kills the
# others. Runs meant to fail need not wait: neurodyn's ranks print and exit together (MPI_Finalize
# synchronises them, or MPI_Abort ends all). Not for runs stopped by a signal, whose ranks use
# that time to finish their checkpoints.
FAILING_ENV = dict(ENV, OMPI_MCA_odls_base_sigkill_timeout="0")


WORKDIRS = []  # made by the test running now; tests/run.py removes them when it passes


def workdir():
    base = os.path.join(ROOT, "build", "test-output")
    os.makedirs(base, exist_ok=True)
    WORKDIRS.append(tempfile.mkdtemp(dir=base))
    return WORKDIRS[-1]


def module_tests(pattern, prefix):
    """(name, function) of every test_* function in the files matching pattern, in order."""
    for path in sorted(glob.glob(pattern)):
        modname = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for fname in sorted(n for n in dir(module) if n.startswith("test_")):
            yield f"{prefix}/{modname}.{fname}", getattr(module, fname)


def run_tests(tests, filters, finish=lambda: None):
    """Run the tests whose name contains one of filters (all when none): one line each, then
    finish(), then 'N passed, N failed' as the last line. A passing test's work directories are
    removed; a failing test's stay in build/test-output for a look. Returns the exit status: 1 if
    any test failed."""
    start, counts = time.time(), [0, 0]
    try:
        _run_each(tests, filters, counts)
    finally:
        finish()
    passed, failed = counts
    print(f"# {time.time() - start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    sys.stdout.flush()
    return 1 if failed else 0


def _run_each(tests, filters, counts):
    for name, fn in tests:
        if filters and not any(f in name for f in filters):
            continue
        t0 = time.time()
        try:
            fn()
        except Exception as e:  # a failed assertion or an unexpected error: both fail the test
            counts[1] += 1
            detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
            print(f"FAIL {name} ({time.time() - t0:.1f} s)\n     " + detail.strip().replace("\n", "\n     "), flush=True)
            WORKDIRS.clear()
        else:
            counts[0] += 1
            print(f"ok   {name} ({time.time() - t0:.1f} s)", flush=True)
            while WORKDIRS:
                shutil.rmtree(WORKDIRS.pop(), ignore_errors=True)


def run(args, ranks=1, timeout=120, cwd=None, failing=False):
    """Run neurodyn under mpiexec; return the CompletedProcess (a hang fails the test). failing:
    the run is expected to exit non-zero."""
    cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe", NEURODYN] + [str(a) for a in args]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout * TIMEOUT_SCALE,
                           env=FAILING_ENV if failing else ENV, cwd=cwd or ROOT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"timed out after {timeout * TIMEOUT_SCALE} s (hang?): {' '.join(cmd)}")
    check_sanitizers(p.stderr)
    return p


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


WRITING_COMMANDS = ("simulate", "continue", "spectrum", "response", "covariance", "binary")


def expect_error(args, phrase, ranks=2, output=None, timeout=60):
    """neurodyn ARGS [-output OUTPUT] must exit non-zero with one error line that contains PHRASE
    (printed once, by rank 0) and must not leave OUTPUT behind; returns the CompletedProcess.
    Without OUTPUT (and no -output in ARGS) a command that writes a file gets one in a scratch
    directory instead of its default under out/: an error found after the file was opened leaves
    it with complete = 0 (the error classes of docs/testing.md), which must not be complete = 1
    and must not refuse the default output of later runs."""
    args = [str(a) for a in args]
    scratch = None
    if not output and "-output" not in args and args and args[0] in WRITING_COMMANDS:
        scratch = os.path.join(workdir(), "error_case.h5")
    p = run(args + (["-output", output or scratch] if (output or scratch) else []), ranks, timeout, failing=True)
    lines = error_lines(p)
    assert p.returncode != 0, f"exit 0 for {args}"
    assert len(lines) == 1, f"expected one error line for {args}, got {len(lines)}:\n{p.stderr[-2000:]}"
    assert phrase in lines[0], f"'{phrase}' not in: {lines[0]}"
    assert not (output and os.path.exists(output)), f"an output file was left behind for {args}"
    if scratch and os.path.exists(scratch):
        import h5py
        with h5py.File(scratch, "r") as f:
            assert f.attrs.get("complete", 0) != 1, f"an output marked complete = 1 after an error for {args}"
    return p


def expect_errors(cases, ranks=2, workers=4):
    """expect_error for each case (args, phrase) or (args, phrase, output), four at a time (each is
    mostly the start-up of mpiexec and PETSc); fails listing every case that failed"""
    import concurrent.futures

    def one(case):
        try:
            expect_error(case[0], case[1], ranks, case[2] if len(case) > 2 else None)
        except AssertionError as e:
            return str(e)
        return None

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        failures = [f for f in pool.map(one, cases) if f]
    assert not failures, f"{len(failures)} of {len(cases)} bad inputs failed:\n" + "\n".join(failures)


def write_petsc_binary(path, rows, cols, row_lengths, indices, values, classid=1211216):
    """A matrix in PETSc's binary format (MatLoad's manual page), written with numpy alone:
    big-endian int32 class id, rows, cols, nonzeros, the row lengths, the column indices, then
    big-endian float64 values (Debian's PETSc: 32-bit indices, real double scalars)."""
    import numpy as np
    with open(path, "wb") as f:
        np.array([classid, rows, cols, len(indices)], ">i4").tofile(f)
        np.asarray(row_lengths, ">i4").tofile(f)
        np.asarray(indices, ">i4").tofile(f)
        np.asarray(values, ">f8").tofile(f)


def write_petsc_binary_csr(path, A):
    """a scipy.sparse matrix A as a PETSc binary file"""
    A = A.tocsr()
    write_petsc_binary(path, A.shape[0], A.shape[1], A.indptr[1:] - A.indptr[:-1], A.indices, A.data)


def relerr(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def run_and_signal(args, ready, ranks=2, signals=(signal.SIGTERM,), gap=0.02, timeout=120):
    """Start neurodyn ARGS at n ranks; once READY (a file path that must exist, or a phrase its
    standard output must print) send each of SIGNALS to every rank, GAP seconds apart; return
    (exit code, stdout, stderr)."""
    import threading
    cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe", NEURODYN] + [str(a) for a in args]
    p = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_lines, err, seen = [], [], threading.Event()

    def read_stdout():
        for line in p.stdout:
            out_lines.append(line)
            if os.path.sep not in ready and ready in line:
                seen.set()

    readers = [threading.Thread(target=read_stdout), threading.Thread(target=lambda: err.append(p.stderr.read()))]
    for t in readers:
        t.start()
    try:
        t0 = time.time()
        while not (seen.is_set() or (os.path.sep in ready and os.path.exists(ready))):
            assert p.poll() is None, f"ended before it was ready ({ready}): {' '.join(cmd)}"
            assert time.time() - t0 < 60 * TIMEOUT_SCALE, f"not ready ({ready}) after {60 * TIMEOUT_SCALE} s: {' '.join(cmd)}"
            time.sleep(0.05)
        pids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        assert len(pids) == ranks, pids
        for k, sig in enumerate(signals):
            if k:
                time.sleep(gap)
            for pid in pids:
                os.kill(int(pid), sig)
        p.wait(timeout=timeout * TIMEOUT_SCALE)
    finally:
        if p.poll() is None:
            p.kill()
        for t in readers:
            t.join()
    check_sanitizers("".join(err))
    return p.returncode, "".join(out_lines), "".join(err)


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
        _, stderr = p.communicate(timeout=60 * TIMEOUT_SCALE)
    finally:
        if p.poll() is None:
            p.kill()
    check_sanitizers(stderr)
    return p.returncode, stderr
