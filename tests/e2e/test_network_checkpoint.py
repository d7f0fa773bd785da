"""Checkpoint and restart of spiking-network runs (issue 9): a run continued from a checkpoint
gives bitwise the same spikes, rates and traced states as one uninterrupted run, at 1 and 2 ranks
and on another number of ranks than the one that wrote the checkpoint (the population
observables, sums over the ranks, bitwise at the same number of ranks, else to 1e-12) (the
network of test_network's MIXED: every connection rule, random delays up to 2 ms, Poisson input,
all-to-all coupling, spikes in flight in the ring and all-to-all buffers at the checkpoint, which
lies inside a rate bin and a sample interval: asserted). SIGTERM leaves a
valid checkpoint and an output not marked complete, from which the run is continued."""
import os

import h5py
import numpy as np
from ndtest import run_and_sigterm, run_ok, workdir
from test_network import MIXED

# the I neurons get different drives and their all-to-all coupling a 1 ms delay, so that I input is
# in flight in the all-to-all buffer at the checkpoint (t = 74.7, in a volley of I spikes; between
# rate bins and samples); test_network_restart_is_bitwise asserts that every buffer holds data there
ARGS = MIXED + ["-net_E_record", "1,5,700", "-net_I_record", "3", "-sample_dt", 1, "-rate_dt", 0.5,
                "-net_I_I_e_dist", "uniform", "-net_I_I_e_spread", 50, "-net_I_I_delay", 1.0]
CHECKPOINT = 74.65


def assert_buffers_hold_data(path):
    """every buffer a checkpoint must carry is non-zero in it: the ring (synaptic input to come),
    the all-to-all buffer of I, the spike counts of the unfinished rate bin and sample interval"""
    with h5py.File(path, "r") as f:
        cp = f["checkpoint"]
        assert cp.attrs["kind"] == "network"
        step = int(cp.attrs["step"])
        assert step % int(cp.attrs["rate_steps"]) and step % int(cp.attrs["sample_steps"]), f"step {step} on a bin edge"
        for name in ("ring", "bcast.I"):
            assert np.count_nonzero(cp[name][()]) > 0, f"the checkpoint's {name} is all zero"
        for name in ("rate_count.E", "rate_count.I", "since_sample.E", "since_sample.I"):
            assert int(cp.attrs[name]) > 0, f"the checkpoint's {name} is zero"


def records(path):
    with h5py.File(path, "r") as f:
        assert int(f.attrs["complete"]) == 1
        out = {}
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) and
                     name.split("/")[0] in ("spikes", "rates", "observables", "traces") else None)
        return out


def run(d, name, args, ranks):
    out = os.path.join(d, name)
    run_ok(["simulate"] + [str(a) for a in args] + ["-output", out, "-quiet"], ranks)
    return out


def assert_same(a, b, same_ranks=True):
    """Spikes, rates and traces bitwise; the observables (sums over the ranks) bitwise at the same
    number of ranks, else to rounding (1e-12 relative to their scale)"""
    assert sorted(a) == sorted(b), (sorted(a), sorted(b))
    for k in a:
        if same_ranks or not k.startswith("observables"):
            assert np.array_equal(a[k], b[k]), f"{k} differs"
        else:
            assert np.allclose(a[k], b[k], rtol=1e-12, atol=1e-12 * np.max(np.abs(b[k]))), f"{k} differs"


def test_network_restart_is_bitwise():
    d = workdir()
    ref = records(run(d, "ref.h5", ARGS, 2))
    assert len(ref["spikes/E/timestamps"]) > 1000
    for first, second in ((2, 2), (1, 2), (2, 1)):
        # a run to t = 120 with a checkpoint at 74.7 ms (rounded up to whole exchange windows)
        part = run(d, f"part{first}{second}.h5", ARGS + ["-ts_max_time", 120, "-checkpoint_interval", CHECKPOINT], first)
        assert_buffers_hold_data(part)
        rest = run(d, f"rest{first}{second}.h5", ARGS + ["-restart", part], second)
        assert_same(records(rest), ref, same_ranks=first == second == 2)


def test_network_sigterm_then_restart():
    d = workdir()
    out = os.path.join(d, "stopped.h5")
    long_run = ARGS + ["-ts_max_time", 1e6]
    code, stderr = run_and_sigterm(["simulate"] + long_run + ["-output", out, "-quiet"], out, 2, 1.5)
    assert code != 0
    lines = [l for l in stderr.splitlines() if l.startswith("neurodyn: error")]
    assert len(lines) == 1 and "stopped by SIGTERM" in lines[0] and f"-restart {out}" in lines[0], stderr
    with h5py.File(out, "r") as f:
        assert int(f.attrs["complete"]) == 0
        step, dt = int(f["checkpoint"].attrs["step"]), float(f["checkpoint"].attrs["dt"])
        assert step > 0
    tend = round(step * dt) + 20
    rest = run(d, "continued.h5", ARGS + ["-ts_max_time", tend, "-restart", out], 2)
    ref = run(d, "ref.h5", ARGS + ["-ts_max_time", tend], 2)
    assert_same(records(rest), records(ref))
