"""jobs/scaling.sbatch under SLURM, strong and weak, at 1 and 2 ranks on a small sparse rate
network (inputs/rate_scaling.yaml with a smaller N and end time) and weak on the spiking benchmark
(inputs/network_scaling.yaml, 2000 neurons per rank), then postprocess/plot_scaling.py:
every run complete at its size, and the table's speed-up and efficiency recomputed from the
-log_view files' 'Time (sec)' lines."""
import csv
import os
import re
import subprocess

import h5py
from ndtest import INPUTS, ROOT, workdir
from slurm import assert_completed, sbatch, wait

SMALL = "-rate_N 2000 -ts_max_time 2"


def log_time(path):
    with open(path) as f:
        return float(re.search(r"^Time \(sec\):\s+(\S+)", f.read(), re.M).group(1))


def run_study(mode, extra_env, input_file="rate_scaling.yaml"):
    outdir = os.path.join(workdir(), mode)
    job = sbatch(["--ntasks=2", f"--output={outdir}.out", os.path.join(ROOT, "jobs", "scaling.sbatch")],
                 env=dict(INPUT=os.path.join(INPUTS, input_file), RANKS="1 2", OUTDIR=outdir, MODE=mode, **extra_env))
    assert_completed(wait([job], timeout=300), [f"{outdir}.out"])
    p = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "postprocess", "plot_scaling.py"), outdir], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert os.path.getsize(os.path.join(outdir, "scaling.png")) > 10000
    with open(os.path.join(outdir, "scaling.csv")) as f:
        rows = {int(r["ranks"]): r for r in csv.DictReader(f)}
    assert sorted(rows) == [1, 2]
    t1, t2 = log_time(os.path.join(outdir, "ranks_1.log")), log_time(os.path.join(outdir, "ranks_2.log"))
    return outdir, rows, t1, t2


def test_strong_scaling():
    outdir, rows, t1, t2 = run_study("strong", dict(EXTRA_ARGS=SMALL))
    assert abs(float(rows[2]["speedup"]) - t1 / t2) < 1e-4 * t1 / t2
    assert abs(float(rows[2]["efficiency"]) - t1 / t2 / 2) < 1e-4
    assert float(rows[1]["NdIntegrate_s"]) > 0 and float(rows[2]["NdIntegrate_s"]) > 0
    for p in (1, 2):
        with h5py.File(os.path.join(outdir, f"ranks_{p}.h5"), "r") as f:
            assert int(f.attrs["complete"]) == 1 and f["timeseries/x"].shape[1] == 2000 and f["provenance"].attrs["ranks"] == p


def test_weak_scaling():
    outdir, rows, t1, t2 = run_study("weak", dict(EXTRA_ARGS="-ts_max_time 2", SIZE_OPTION="-rate_N", SIZE_PER_RANK="1000"))
    assert abs(float(rows[2]["efficiency"]) - t1 / t2) < 1e-4
    assert int(rows[2]["size"]) == 2000
    for p in (1, 2):
        with h5py.File(os.path.join(outdir, f"ranks_{p}.h5"), "r") as f:
            assert int(f.attrs["complete"]) == 1 and f["timeseries/x"].shape[1] == 1000 * p


def test_network_weak_scaling():
    """The spiking benchmark (inputs/network_scaling.yaml) with 2000 neurons per rank: complete runs
    of 2000 and 4000 neurons, and the network's phases (update, exchange, deliver) in the table."""
    outdir, rows, t1, t2 = run_study("weak", dict(EXTRA_ARGS="-ts_max_time 50", SIZE_OPTION="-net_E_size",
                                                  SIZE_PER_RANK="2000"), "network_scaling.yaml")
    assert abs(float(rows[2]["efficiency"]) - t1 / t2) < 1e-4
    for event in ("NdUpdate", "NdExchange", "NdDeliver"):
        assert float(rows[2][f"{event}_s"]) > 0, f"{event} missing from the scaling table"
    for p in (1, 2):
        with h5py.File(os.path.join(outdir, f"ranks_{p}.h5"), "r") as f:
            assert int(f.attrs["complete"]) == 1 and int(f["network/E"].attrs["size"]) == 2000 * p
            assert len(f["spikes/E/timestamps"]) > 0
