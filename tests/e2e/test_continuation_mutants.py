"""Checks of the continuation's step control that the mutants of tests/mutants/continuation.yaml
asked for (docs/testing.md, mutation testing): the MPR equilibria of inputs/mpr_bistability.yaml
(J = 15, Delta = 1, eta in [-10, 0]) continued at 1 and 2 ranks."""
import os

import h5py
import numpy as np

from ndtest import INPUTS, run_ok, workdir


def test_steps_grow_to_ds_max_and_no_further():
    """-cont_ds_max bounds the step: the parameter moves by at most ds_max between rows (the
    pseudo-arclength step is ds_max long, the parameter one of its components; 5% for the
    corrector), and the easy flanks of the branch do reach that step (above ds_max / 2)"""
    ds_max = 0.05
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"steps{ranks}.h5")
        run_ok(["continue", os.path.join(INPUTS, "mpr_bistability.yaml"), "-cont_ds_max", ds_max, "-output", out,
                "-quiet"], ranks)
        with h5py.File(out) as f:
            steps = np.concatenate([np.abs(np.diff(g["eta"][()])) for g in f["branch"].values()])
        assert steps.max() <= 1.05 * ds_max, f"a step of {steps.max():.4g} in eta with -cont_ds_max {ds_max}"
        assert steps.max() > 0.5 * ds_max, f"the largest step {steps.max():.4g} never approached ds_max"
