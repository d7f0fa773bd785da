"""Interruption of the commands without checkpoints (binary, spectrum, response, covariance) at
2 ranks: SIGTERM (what SLURM sends before the time limit), SIGUSR1, and two SIGTERMs 20 ms apart
all give exit 1, one 'neurodyn: error: stopped by ...' line that says what was stopped, and an
output file readable with complete = 0 (never an unreadable file, never complete = 1): each
command opens its file once the fixed point is found (binary: at the start), before its long
phase; a signal before that leaves no file and says so. Each run is long enough (tens of seconds or more uninterrupted) that the signal
arrives in the phase named; the signal is sent once the run is in it (its output file exists, or
a solver's monitor has printed)."""
import os
import signal

import h5py
import numpy as np

from ndtest import run_and_signal, workdir

RATE = ["-sys_type", "rate", "-rate_N", 20000, "-rate_J_type", "sparse", "-rate_K", 100, "-params_g", 0.8, "-quiet"]
TWO_SIGTERMS = (signal.SIGTERM, signal.SIGTERM)


def check_stopped(args, ready, phrase, signals=(signal.SIGTERM,), file_expected=True, out=None):
    """READY: a phrase of a monitor's output, or None: the output file exists; OUT: the output
    file (default: stopped.h5 in a fresh directory)"""
    out = out or os.path.join(workdir(), "stopped.h5")
    code, _, stderr = run_and_signal(args + ["-output", out], ready or out, 2, signals)
    lines = [l for l in stderr.splitlines() if l.startswith("neurodyn: error")]
    assert code == 1, f"exit {code}:\n{stderr[-2000:]}"
    assert len(lines) == 1 and phrase in lines[0], stderr[-2000:]
    name = signals[0].name
    assert f"stopped by {name}" in lines[0], lines[0]
    if os.path.exists(out):
        with h5py.File(out, "r") as f:  # readable, marked incomplete
            assert int(f.attrs["complete"]) == 0
            assert "provenance" in f
        assert f"{out} is not complete (complete = 0)" in lines[0], lines[0]
    else:
        assert not file_expected, f"no output file: {lines[0]}"
        assert "no output written" in lines[0], lines[0]
    for bad in ("Traceback", "Segmentation", "MPI_Abort", "PETSc ERROR"):
        assert bad not in stderr, stderr[-2000:]
    return lines[0]


BINARY = ["binary", "-bin_analysis", "bifurcations", "-bin_N", 26, "-bin_J_generate", "random", "-bin_J_std", 1,
          "-quiet"]


def test_binary_sigterm_leaves_an_incomplete_file():
    check_stopped(BINARY, None, "in the enumeration of the states")


def test_binary_two_sigterms_20ms_apart_exit_1():
    check_stopped(BINARY, None, "in the enumeration of the states", TWO_SIGTERMS)


def test_binary_sigusr1():
    check_stopped(BINARY, None, "in the enumeration of the states", (signal.SIGUSR1,))


def test_spectrum_sigterm_in_the_eigensolver():
    # 10 rightmost of N = 20000 to a tolerance it never reaches: restarts until stopped. The file
    # (with the fixed point) is opened before the solve: the signal is sent once it exists
    args = ["spectrum"] + RATE + ["-eps_nev", 10, "-eps_ncv", 30, "-eps_tol", 1e-16, "-eps_max_it", 10**7]
    out = os.path.join(workdir(), "stopped.h5")
    check_stopped(args, None, "in the eigenvalue solve", TWO_SIGTERMS, out=out)
    with h5py.File(out, "r") as f:
        assert f["spectrum/fixed_point"].shape == (1, 20000) and "eigenvalues_real" not in f["spectrum"]


def test_response_sigterm_between_frequencies():
    # single-frequency GMRES at 2000 frequencies of N = 20000: minutes uninterrupted; the file is
    # opened after the fixed point, before the first frequency
    args = ["response"] + RATE + ["-resp_n", 2000, "-resp_shifted", "false"]
    line = check_stopped(args, None, "before frequency", TWO_SIGTERMS)
    assert "of 2000" in line, line


def test_response_sigterm_keeps_the_solved_frequencies():
    # g = 0: A = -1, so chi(omega) u = u / (1 + i omega) and the population-mean readout of u = 1
    # has gain 1/sqrt(1 + omega^2) and phase -atan(omega) (analytic). 200000 frequencies at about
    # 3 ms each: minutes uninterrupted; the signal is sent once the first has been solved (its
    # converged-reason line), so at least one frequency is in the file
    n = 200000
    out = os.path.join(workdir(), "stopped.h5")
    args = (["response", "-sys_type", "rate", "-rate_N", 20000, "-rate_J_type", "sparse", "-rate_K", 100,
             "-params_g", 0, "-quiet", "-resp_n", n, "-resp_omega_max", 100, "-resp_shifted", "false",
             "-resp_ksp_rtol", 1e-10, "-resp_ksp_converged_reason"])
    line = check_stopped(args, "converged due to", "before frequency", TWO_SIGTERMS, out=out)
    with h5py.File(out, "r") as f:
        assert int(f.attrs["complete"]) == 0
        done = int(f["response"].attrs["frequencies_solved"])
        omega = f["response/omega"][:]
        gain, phase, its = (f["response/" + k][:] for k in ("gain", "phase", "iterations"))
    assert 1 <= done < n, done
    assert f"before frequency {done + 1} of {n}" in line and f"the first {done} written" in line, line
    assert len(omega) == n and np.allclose(omega, np.linspace(0, 100, n), rtol=0, atol=1e-12)
    assert gain.shape == phase.shape == its.shape == (done,)
    w = omega[:done]
    assert np.max(np.abs(gain - 1 / np.sqrt(1 + w**2))) < 1e-8
    assert np.max(np.abs(phase + np.arctan(w))) < 1e-8
    assert np.all(its >= 1)


def test_covariance_sigterm_during_the_dense_solve():
    # the file (with the fixed point) is opened before the dense Bartels-Stewart solve of N = 600
    # (seconds): the signal, sent once it exists, is acted on after the solve
    args = ["covariance", "-sys_type", "rate", "-rate_N", 600, "-rate_J_type", "gaussian", "-params_g", 0.5, "-quiet"]
    out = os.path.join(workdir(), "stopped.h5")
    check_stopped(args, None, "after the covariance solve", TWO_SIGTERMS, out=out)
    with h5py.File(out, "r") as f:
        assert f["covariance/fixed_point"].shape == (1, 600) and "C" not in f["covariance"]
