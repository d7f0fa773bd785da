"""The same run at 1 and 2 ranks gives the same numbers (relative 1e-12), both files complete,
and the provenance records the number of ranks."""
import os

import ndio
import numpy as np
from ndtest import INPUTS, simulate


def test_hysteresis_same_at_1_and_2_ranks():
    args = [os.path.join(INPUTS, "mpr_hysteresis.yaml"), "-ts_max_time", 250]
    one, _, f1 = simulate(args, ranks=1)
    two, _, f2 = simulate(args, ranks=2)
    assert set(one) == set(two) == {"t", "r", "v", "I"}
    for k in one:
        assert one[k].shape == two[k].shape, f"{k}: shapes {one[k].shape} vs {two[k].shape}"
        diff = np.max(np.abs(one[k] - two[k]) / np.maximum(np.abs(one[k]), 1e-300))
        assert diff < 1e-12, f"{k}: 1 and 2 ranks differ by {diff:.2e} (relative)"
    assert int(ndio.provenance(f1)["ranks"]) == 1 and int(ndio.provenance(f2)["ranks"]) == 2
