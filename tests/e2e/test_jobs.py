"""jobs/continuation_array.sbatch run as SLURM would run each array task (SLURM_ARRAY_TASK_ID
set, sbatch directives being comments; a real SLURM is exercised by the HPC-operations work),
then postprocess/merge_branches.py: the folds of every run of the J sweep against the analytic
fold formula (docs/models/mpr.md), 1e-8."""
import glob
import os
import subprocess

import h5py
import mpr_theory
from ndtest import ENV, INPUTS, NEURODYN, ROOT, workdir

VALUES = [12.0, 15.0, 18.0]


def test_continuation_array_and_merge():
    outdir = workdir()
    for task in range(len(VALUES)):
        env = dict(ENV, SLURM_ARRAY_TASK_ID=str(task), INPUT=os.path.join(INPUTS, "mpr_bistability.yaml"), PARAM2="J",
                   VALUES=" ".join(map(str, VALUES)), OUTDIR=outdir, NEURODYN=NEURODYN, MPIEXEC="mpiexec -n 2 --oversubscribe",
                   EXTRA_ARGS="-cont_min -12")
        p = subprocess.run(["bash", os.path.join(ROOT, "jobs", "continuation_array.sbatch")], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
    # a task beyond the values is refused
    env["SLURM_ARRAY_TASK_ID"] = "3"
    p = subprocess.run(["bash", os.path.join(ROOT, "jobs", "continuation_array.sbatch")], env=env, cwd=ROOT, capture_output=True, text=True)
    assert p.returncode != 0 and "has no value" in p.stderr
    merged = os.path.join(outdir, "merged.h5")
    runs = sorted(glob.glob(os.path.join(outdir, "run_*.h5")))
    assert len(runs) == 3
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "postprocess", "merge_branches.py")] + runs + ["-o", merged], check=True,
                   capture_output=True)
    with h5py.File(merged) as f:
        assert f.attrs["complete"] == 1 and len(f["run"]) == 3
        for i, J in enumerate(VALUES):
            run = f["run"][str(i)]
            assert run.attrs["J"] == J
            found = []
            for k in run["branch"]:
                g = run["branch"][k]["special"]
                found += [g["eta"][j] for j, lab in enumerate(g.attrs["labels"].split(",")) if lab == "LP"]
            expected = sorted(eta for eta, _ in mpr_theory.folds(J, 1.0) if eta > -12)
            assert len(found) == len(expected) and max(abs(a - b) for a, b in zip(sorted(found), expected)) < 1e-8, (J, found, expected)
