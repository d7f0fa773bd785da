"""Helpers for the SLURM tests: the local cluster, sbatch, waiting for jobs with a timeout."""
import os
import re
import subprocess
import time

from ndtest import ENV, ROOT

SCRIPT = os.path.join(ROOT, "scripts", "slurm-local.sh")
CONF = os.path.join(os.environ.get("ND_SLURM_DIR", "/tmp/neurodyn-slurm"), "slurm.conf")
SENV = dict(ENV, SLURM_CONF=CONF)


def start():
    """Start the local cluster unless one runs; True if this call started it."""
    p = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, f"scripts/slurm-local.sh start failed:\n{p.stdout}{p.stderr}"
    return "already running" not in p.stdout


def sbatch(args, env=None, cwd=ROOT):
    """Submit; return the job id."""
    p = subprocess.run(["sbatch", "--parsable"] + args, env=dict(SENV, **(env or {})), cwd=cwd, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, f"sbatch {' '.join(args)} failed:\n{p.stderr}"
    return p.stdout.strip().split(";")[0]


def job_states(jobid):
    """{job id (array tasks as id_i): (state, exit code)} from scontrol (no accounting needed)."""
    p = subprocess.run(["scontrol", "-o", "show", "job", jobid], env=SENV, capture_output=True, text=True, timeout=60)
    states = {}
    for line in p.stdout.splitlines():
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        key = fields["JobId"] + (f"_{fields['ArrayTaskId']}" if "ArrayTaskId" in fields else "")
        states[key] = (fields.get("JobState"), fields.get("ExitCode"))
    return states


def wait(jobids, timeout):
    """Wait until none of the jobs is pending or running; cancel them and fail after timeout s.
    Returns {job: (state, exit code)}."""
    t0 = time.time()
    while True:
        states = {}
        for j in jobids:
            states.update(job_states(j))
        if states and all(s not in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING") for s, _ in states.values()):
            return states
        if time.time() - t0 > timeout:
            subprocess.run(["scancel"] + list(jobids), env=SENV, check=False)
            raise AssertionError(f"jobs {jobids} not done after {timeout} s: {states}")
        time.sleep(1)


def assert_completed(states, logs=()):
    bad = {j: s for j, s in states.items() if s != ("COMPLETED", "0:0")}
    detail = ""
    for log in logs:
        if os.path.exists(log):
            with open(log) as f:
                detail += f"\n--- {log}\n" + f.read()[-2000:]
    assert not bad, f"jobs did not complete: {bad}{detail}"
