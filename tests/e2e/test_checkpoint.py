"""Checkpoint/restart of simulate (docs/checkpoint.md): a run restarted from its checkpoint gives
the uninterrupted run's /timeseries, bitwise for a fixed-step TS on a chaotic rate network
(g = 1.8, where any perturbation would grow), at 1 and 2 ranks and across rank counts; within
1e-12 for the default adaptive RK5DP with a ramp stimulus (observed: bitwise). SIGTERM during a
run leaves a file not marked complete with a valid checkpoint, from which the run continues
bitwise. Bad -restart input is one error line at 2 ranks and leaves no file."""
import os

import h5py
import numpy as np
from ndtest import expect_error, run_and_sigterm, run_ok, workdir

RATE = ["-sys_type", "rate", "-rate_N", 120, "-rate_J_type", "gaussian", "-params_g", 1.8, "-rate_seed", 5, "-init_x", 0.5,
        "-ts_type", "rk", "-ts_rk_type", "4", "-ts_dt", 0.01, "-sample_dt", 0.25]
MPR = ["-sys_type", "mpr", "-params_eta", -5, "-params_J", 15, "-init_r", 0.05, "-init_v", -3, "-stim_type", "ramp",
       "-stim_low", -1.5, "-stim_high", 2.5, "-stim_t_start", 5, "-stim_t_rise", 40, "-stim_t_hold", 5, "-stim_t_fall", 40,
       "-sample_dt", 0.05]


def series(path):
    with h5py.File(path, "r") as f:
        return {k: f["timeseries"][k][()] for k in f["timeseries"]}, int(f.attrs["complete"])


def simulate(d, name, args, ranks):
    out = os.path.join(d, name)
    run_ok(["simulate"] + args + ["-output", out, "-quiet"], ranks)
    return out


def assert_same(a, b, tol=0.0):
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].shape == b[k].shape, (k, a[k].shape, b[k].shape)
        err = np.max(np.abs(a[k] - b[k])) if a[k].size else 0.0
        assert err <= tol, (k, err)


def test_restart_is_bitwise_for_fixed_step():
    d = workdir()
    args = RATE + ["-ts_max_time", 30]
    for ranks in (1, 2):
        ref, _ = series(simulate(d, f"ref{ranks}.h5", args, ranks))
        ck = simulate(d, f"ck{ranks}.h5", args + ["-checkpoint_interval", 12], ranks)
        with h5py.File(ck, "r") as f:
            assert f["checkpoint"].attrs["kind"] == "system" and abs(f["checkpoint"].attrs["t"] - 24) < 1e-9
            assert f["checkpoint/state"].shape == (120,)
        full, complete = series(ck)
        assert complete == 1
        assert_same(full, ref)  # writing checkpoints does not perturb the run
        restarted, complete = series(simulate(d, f"re{ranks}.h5", args + ["-restart", ck], ranks))
        assert complete == 1
        assert_same(restarted, ref)


def test_restart_on_another_number_of_ranks():
    """The state is read by global index. 1 and 2 ranks sum J x in different orders (1e-16), so
    this uses a contracting network (g = 0.8) and compares with 1e-12; rows before the checkpoint
    are copied bitwise."""
    d = workdir()
    args = RATE + ["-ts_max_time", 30, "-params_g", 0.8]
    for write_ranks, read_ranks in [(2, 1), (1, 2)]:
        ck = simulate(d, f"ck{write_ranks}.h5", args + ["-checkpoint_interval", 12], write_ranks)
        written, _ = series(ck)
        ref, _ = series(simulate(d, f"ref{read_ranks}.h5", args, read_ranks))
        restarted, _ = series(simulate(d, f"re{write_ranks}{read_ranks}.h5", args + ["-restart", ck], read_ranks))
        assert_same(restarted, ref, 1e-12)
        rows = int(24 / 0.25) + 1
        assert_same({k: v[:rows] for k, v in restarted.items()}, {k: v[:rows] for k, v in written.items()})


def test_restart_adaptive_rk5dp_within_1e12():
    d = workdir()
    args = MPR + ["-ts_max_time", 95]
    ref, _ = series(simulate(d, "ref.h5", args, 2))
    ck = simulate(d, "ck.h5", args + ["-checkpoint_interval", 30], 1)
    restarted, _ = series(simulate(d, "re.h5", args + ["-restart", ck], 2))
    assert_same(restarted, ref, 1e-12)


def test_sigterm_leaves_a_checkpoint_and_an_incomplete_file():
    d = workdir()
    out = os.path.join(d, "stopped.h5")
    code, stderr = run_and_sigterm(["simulate"] + RATE + ["-ts_max_time", "1e7", "-output", out, "-quiet"], out, 2, 1.0)
    assert code != 0
    lines = [l for l in stderr.splitlines() if l.startswith("neurodyn: error")]
    assert len(lines) == 1 and "stopped by SIGTERM" in lines[0] and f"-restart {out}" in lines[0], stderr
    with h5py.File(out, "r") as f:
        assert int(f.attrs["complete"]) == 0
        tc = float(f["checkpoint"].attrs["t"])
        rows = int(f["checkpoint"].attrs["timeseries_rows"])
        assert f["timeseries/t"].shape[0] >= rows and tc > 0
    # the continued run equals one run straight to the same end time
    tend = round(tc) + 3
    restarted, complete = series(simulate(d, "continued.h5", RATE + ["-ts_max_time", tend, "-restart", out], 2))
    ref, _ = series(simulate(d, "ref.h5", RATE + ["-ts_max_time", tend], 2))
    assert complete == 1
    assert_same(restarted, ref)


def test_bad_restart_inputs():
    d = workdir()
    plain = simulate(d, "plain.h5", RATE + ["-ts_max_time", 1], 1)
    ck = simulate(d, "ck.h5", RATE + ["-ts_max_time", 2, "-checkpoint_interval", 1], 1)
    cases = [
        (["-restart", plain], "has no checkpoint"),
        (["-restart", os.path.join(d, "missing.h5")], "cannot open"),
        (["-restart", ck, "-rate_N", 100], "holds 120 state values; this system has 100"),
        (["-restart", ck, "-sample_dt", 0.5], "use the same -sample_dt"),
        (["-checkpoint_interval", -1], "-checkpoint_interval must be >= 0"),
    ]
    for extra, phrase in cases:
        out = os.path.join(d, "bad.h5")
        args = RATE + ["-ts_max_time", 2] + extra
        expect_error(["simulate"] + args + ["-quiet"], phrase, 2, out)
    expect_error(["simulate"] + RATE + ["-ts_max_time", 2, "-restart", ck, "-output", ck, "-overwrite", "-quiet"], "is the output file")
    expect_error(["simulate", "-sys_type", "mpr", "-ts_max_time", 6, "-restart", ck, "-quiet"],
                 f"-restart: '{ck}' is a run of system type rate, not mpr", 2, os.path.join(d, "bad.h5"))
    assert series(ck)[1] == 1  # the checkpoint's file is untouched
    # metadata that does not fit its data: more recorded rows than /timeseries holds
    edited = os.path.join(d, "edited.h5")
    with open(ck, "rb") as src, open(edited, "wb") as dst:
        dst.write(src.read())
    with h5py.File(edited, "r+") as f:
        g = f["checkpoint"]
        if "timeseries_rows" in g.attrs:
            g.attrs["timeseries_rows"] = np.int64(10**6)
        else:
            g["timeseries_rows"][()] = 10**6
    out = os.path.join(d, "after_edited.h5")
    expect_error(["simulate"] + RATE + ["-ts_max_time", 3, "-restart", edited, "-output", out, "-quiet"],
                 f"-restart: the checkpoint in '{edited}' counts 1000000 recorded rows, but /timeseries/t has", 2)
    assert not os.path.exists(out) or series(out)[1] == 0  # nothing that looks complete


def test_sde_restart_is_bitwise():
    """mpr_shotnoise: the noise is keyed by the step number, which the checkpoint keeps, and the
    filter states are part of the state: a restart (written at 1 rank, continued at 2) continues
    the same path, observables included."""
    d = workdir()
    args = ["-sys_type", "mpr_shotnoise", "-ts_max_time", 3, "-sample_dt", 0.01, "-sys_seed", 7]
    ref, _ = series(simulate(d, "ref.h5", args, 1))
    ck = simulate(d, "ck.h5", args + ["-checkpoint_interval", 1.3], 1)
    restarted, complete = series(simulate(d, "re.h5", args + ["-restart", ck], 2))
    assert complete == 1 and "xi" in restarted
    assert_same(restarted, ref)
