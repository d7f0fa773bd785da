"""jobs/continuation_array.sbatch as a real job array (3 tasks of 2 ranks, launched with srun),
then postprocess/merge_branches.py: every run's folds against the analytic fold formula
(docs/models/mpr.md), 1e-8."""
import glob
import os
import subprocess

import h5py
import mpr_theory
from ndtest import INPUTS, ROOT, workdir
from slurm import assert_completed, sbatch, wait

VALUES = [12.0, 15.0, 18.0]


def test_continuation_array_and_merge():
    outdir = workdir()
    job = sbatch(["--array=0-2", "--ntasks=2", f"--output={outdir}/task-%a.out", "--export=ALL",
                  os.path.join(ROOT, "jobs", "continuation_array.sbatch")],
                 env=dict(INPUT=os.path.join(INPUTS, "mpr_bistability.yaml"), PARAM2="J", VALUES=" ".join(map(str, VALUES)),
                          OUTDIR=outdir, EXTRA_ARGS="-cont_min -12"))
    states = wait([job], timeout=240)
    assert len(states) == 3, states
    assert_completed(states, [f"{outdir}/task-{i}.out" for i in range(3)])
    runs = sorted(glob.glob(os.path.join(outdir, "run_*.h5")))
    assert len(runs) == 3, runs
    merged = os.path.join(outdir, "merged.h5")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "postprocess", "merge_branches.py")] + runs + ["-o", merged],
                   check=True, capture_output=True)
    with h5py.File(merged) as f:
        assert f.attrs["complete"] == 1 and len(f["run"]) == 3
        for i, J in enumerate(VALUES):
            run = f["run"][str(i)]
            assert run.attrs["J"] == J and run["provenance"].attrs["ranks"] == 2
            found = []
            for k in run["branch"]:
                g = run["branch"][k]["special"]
                found += [g["eta"][j] for j, lab in enumerate(g.attrs["labels"].split(",")) if lab == "LP"]
            expected = sorted(eta for eta, _ in mpr_theory.folds(J, 1.0) if eta > -12)
            assert len(found) == len(expected) and max(abs(a - b) for a, b in zip(sorted(found), expected)) < 1e-8, (J, found, expected)
