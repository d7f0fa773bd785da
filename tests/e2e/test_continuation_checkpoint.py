"""Checkpoint/restart of `neurodyn continue` (docs/checkpoint.md): the MPR branch in eta through
its two folds (J = 15, Delta = 1), in both directions.
- checkpoints every 7 points do not change the run; a restart at 2 ranks from the last one (in
  the second branch: the first is copied, the second resumed) gives the uninterrupted run's
  branches and special points (identical: 1e-12 allowed), with the folds at the analytic
  values (1e-8);
- SIGTERM during a long run (step 0.002) leaves an incomplete file with a checkpoint and one
  error line; the restart at 1 rank completes it, equal to the uninterrupted run;
- bad restarts: a simulate checkpoint, another continuation parameter, a system of another
  size, a file without a checkpoint, the restart file as output: one error line at 2 ranks and
  no output."""
import os
import subprocess

import h5py
import numpy as np
import mpr_theory
from ndtest import ROOT, expect_error, run_and_sigterm, run_ok, workdir

BASE = ["-sys_type", "mpr", "-params_J", 15, "-params_Delta", 1, "-params_eta", -5, "-init_r", 0.08, "-init_v", -2,
        "-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-quiet"]
SLOW = BASE + ["-cont_ds", 0.002, "-cont_ds_max", 0.002, "-cont_max_steps", 100000]


def cont(d, name, args, ranks=1):
    out = os.path.join(d, name)
    run_ok(["continue"] + args + ["-output", out], ranks)
    return out


def branches(path):
    """{dataset path: array} of /branch, the special-point labels per branch, and complete"""
    data = {}
    with h5py.File(path, "r") as f:
        f["branch"].visititems(lambda n, o: data.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
        labels = {k: f["branch"][k]["special"].attrs["labels"] for k in f["branch"]}
        return data, labels, int(f.attrs["complete"])


def assert_same_branches(a, b, tol=1e-12):
    (da, la, _), (db, lb, _) = a, b
    assert la == lb, (la, lb)
    assert da.keys() == db.keys(), set(da) ^ set(db)
    for k in da:
        assert da[k].shape == db[k].shape, (k, da[k].shape, db[k].shape)
        nan = np.isnan(da[k])  # undefined values (l1 away from Hopf points) must be undefined in both
        assert np.array_equal(nan, np.isnan(db[k])), (k, "NaN in one run only")
        x, y = da[k][~nan], db[k][~nan]
        err = np.max(np.abs(x - y)) if x.size else 0.0
        assert err <= tol * max(1.0, np.max(np.abs(x)) if x.size else 1.0), (k, err)


def test_restart_from_a_checkpoint_equals_the_uninterrupted_run():
    d = workdir()
    ref = branches(cont(d, "ref.h5", BASE))
    ck = cont(d, "ck.h5", BASE + ["-checkpoint_interval", 7])
    assert_same_branches(branches(ck), ref, 0.0)  # writing checkpoints does not change the run
    with h5py.File(ck, "r") as f:
        a = f["checkpoint"].attrs
        assert a["kind"] == "continuation (equilibrium, eta)" and a["branch"] == 1 and a["rows"] % 7 == 1
    restarted = branches(cont(d, "re.h5", BASE + ["-restart", ck], 2))
    assert restarted[2] == 1
    assert_same_branches(restarted, ref)
    with h5py.File(os.path.join(d, "re.h5"), "r") as f:
        g = f["branch/0/special"]
        lps = sorted(g["eta"][i] for i, lab in enumerate(g.attrs["labels"].split(",")) if lab == "LP")
    (eta_low, _), (eta_high, _) = mpr_theory.folds(15.0, 1.0)
    assert abs(lps[0] - eta_low) < 1e-8 and abs(lps[1] - eta_high) < 1e-8


def test_sigterm_leaves_a_checkpoint_and_the_restart_completes_the_run():
    d = workdir()
    out = os.path.join(d, "stopped.h5")
    code, stderr = run_and_sigterm(["continue"] + SLOW + ["-output", out], out, 2, 1.0)
    assert code != 0
    lines = [l for l in stderr.splitlines() if l.startswith("neurodyn: error")]
    assert len(lines) == 1 and "stopped by SIGTERM" in lines[0] and f"-restart {out}" in lines[0], stderr
    with h5py.File(out, "r") as f:
        assert int(f.attrs["complete"]) == 0 and "checkpoint" in f
        stopped_at = (int(f["checkpoint"].attrs["branch"]), int(f["checkpoint"].attrs["rows"]))
    print("stopped at branch %d, row %d" % stopped_at)
    restarted = branches(cont(d, "continued.h5", SLOW + ["-restart", out], 1))
    assert restarted[2] == 1
    assert_same_branches(restarted, branches(cont(d, "ref.h5", SLOW, 1)))


def test_bad_continuation_restarts():
    d = workdir()
    ck = cont(d, "ck.h5", BASE + ["-checkpoint_interval", 20])
    plain = cont(d, "plain.h5", BASE)
    sim = os.path.join(d, "sim.h5")
    run_ok(["simulate", "-sys_type", "mpr", "-ts_max_time", 2, "-checkpoint_interval", 1, "-output", sim, "-quiet"])
    cases = [
        (BASE + ["-restart", sim], "holds a checkpoint of a system run, not of a continuation (equilibrium, eta) run"),
        ([a if a != "eta" else "J" for a in BASE[:-7]] + ["-cont_param", "J", "-cont_min", 5, "-cont_max", 20, "-quiet",
                                                          "-restart", ck],
         "holds a checkpoint of a continuation (equilibrium, eta) run, not of a continuation (equilibrium, J) run"),
        (BASE + ["-params_tau_s", 0.5, "-restart", ck], "is of a system with 2 unknowns; this one has 3"),
        (BASE + ["-restart", plain], "has no checkpoint"),
        (BASE + ["-checkpoint_interval", -2], "-checkpoint_interval must be >= 0"),
    ]
    for args, phrase in cases:
        out = os.path.join(d, "bad.h5")
        expect_error(["continue"] + args, phrase, 2, out)
    expect_error(["continue"] + BASE + ["-restart", ck, "-output", ck, "-overwrite"], "is the output file")


def test_continuation_array_task_resumes_a_stopped_run():
    """jobs/continuation_array.sbatch run as its array task 0 outside SLURM (MPIEXEC=""): given the
    incomplete output of a task stopped by SIGTERM, it continues from the checkpoint and the
    result equals an uninterrupted run (the SLURM test runs the script under a real SLURM)."""
    d = workdir()
    yaml = os.path.join(d, "slow.yaml")
    with open(yaml, "w") as f:
        f.write("sys: {type: mpr}\nparams: {Delta: 1, eta: -5}\ninit: {r: 0.08, v: -2}\n"
                "cont: {param: eta, min: -10, max: 0, ds: 0.002, ds_max: 0.002, max_steps: 100000}\n")
    out = os.path.join(d, "run_0000.h5")
    args = ["continue", yaml, "-params_J", 15, "-output", out, "-quiet", "-checkpoint_interval", 100]
    code, _ = run_and_sigterm(args, out, 1, 1.0)
    assert code != 0
    with h5py.File(out, "r") as f:
        assert int(f.attrs["complete"]) == 0
    env = dict(os.environ, INPUT=yaml, PARAM2="J", VALUES="15", OUTDIR=d, MPIEXEC="", SLURM_ARRAY_TASK_ID="0",
               NEURODYN=os.path.join(ROOT, "bin", "neurodyn"), CHECKPOINT="100")
    p = subprocess.run(["bash", os.path.join(ROOT, "jobs", "continuation_array.sbatch")], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and "resumes from the checkpoint" in p.stdout, p.stdout + p.stderr
    assert not os.path.exists(os.path.join(d, "run_0000.stopped.h5"))
    resumed = branches(out)
    assert resumed[2] == 1
    assert_same_branches(resumed, branches(cont(d, "ref.h5", SLOW, 1)))
