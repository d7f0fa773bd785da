"""jobs/restart_chain.sh under SLURM: a 2-rank simulate of a chaotic rate network (g = 1.8) as a
chain of 4 segments linked by --dependency=afterok. The test stops segments 0 and 1 while they
run with `scancel --signal=USR1` (what --signal=USR1@120 makes SLURM do before the time limit);
each writes a checkpoint and the next continues from it; segment 2 completes and segment 3 has
nothing to do. The chain's final /timeseries equals one uninterrupted 2-rank run bitwise. (With
a step of 0.01 an idle machine finished segment 1 before the test could signal it.)"""
import os
import subprocess
import time

import h5py
import numpy as np
from ndtest import ROOT, run_ok, workdir
from slurm import SENV, assert_completed, job_states, wait

INPUT = """sys:
  type: rate
rate:
  N: 120
  J_type: gaussian
  seed: 5
params:
  g: 1.8
init:
  x: 0.5
ts:
  type: rk
  rk_type: 4
  dt: 0.002             # slow enough that no segment ends before the test signals it
  max_time: 600
sample_dt: 0.25
"""
SEGMENTS = 4


def stop_while_running(job, h5, timeout=120):
    """Once the segment writes its output (integrating), send SIGUSR1 to its tasks."""
    t0 = time.time()
    while not os.path.exists(h5):
        assert time.time() - t0 < timeout, f"segment {job} wrote no {h5}: {job_states(job)}"
        time.sleep(0.2)
    time.sleep(0.5)  # past the installation of the signal handler
    subprocess.run(["scancel", "--signal=USR1", job], env=SENV, check=True, timeout=30)


def test_restart_chain_equals_one_run():
    d = workdir()
    inp = os.path.join(d, "chain.yaml")
    with open(inp, "w") as f:
        f.write(INPUT)
    outdir = os.path.join(d, "chain")
    p = subprocess.run([os.path.join(ROOT, "jobs", "restart_chain.sh"), "--ntasks=2"], cwd=ROOT, capture_output=True, text=True,
                       timeout=60, env=dict(SENV, INPUT=inp, OUTDIR=outdir, SEGMENTS=str(SEGMENTS)))
    assert p.returncode == 0, p.stderr
    jobs = p.stdout.split()
    assert len(jobs) == SEGMENTS, p.stdout
    logs = [os.path.join(outdir, f"segment_{k}.out") for k in range(SEGMENTS)]
    try:
        for k in (0, 1):
            stop_while_running(jobs[k], os.path.join(outdir, f"segment_{k}.h5"))
    finally:
        states = wait(jobs, timeout=900)
    assert_completed(states, logs)
    assert os.readlink(os.path.join(outdir, "final.h5")) == "segment_2.h5", [open(l).read() for l in logs if os.path.exists(l)]
    for k in (0, 1):
        with h5py.File(os.path.join(outdir, f"segment_{k}.h5"), "r") as f:
            assert int(f.attrs["complete"]) == 0 and 0 < f["checkpoint"].attrs["t"] < 600
    assert "nothing to do" in open(logs[3]).read()
    ref = os.path.join(d, "ref.h5")
    run_ok(["simulate", inp, "-output", ref, "-quiet"], 2, timeout=300)
    with h5py.File(os.path.join(outdir, "final.h5"), "r") as a, h5py.File(ref, "r") as b:
        assert int(a.attrs["complete"]) == 1 and a["provenance"].attrs["ranks"] == 2
        for k in b["timeseries"]:
            x, y = a["timeseries"][k][()], b["timeseries"][k][()]
            assert x.shape == y.shape and np.array_equal(x, y), (k, x.shape, y.shape)
