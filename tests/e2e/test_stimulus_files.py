"""I(t) from a table file, text and HDF5: the recorded input equals the linear interpolation
of the table (absolute 1e-12) at 1 and 2 ranks, and the response follows."""
import os

import h5py
import numpy as np
from ndtest import simulate, workdir

TABLE = np.array([[0.0, -1.0], [2.0, 1.0], [3.0, 0.5], [5.0, 0.5]])


def check(path, ranks):
    data, _, _ = simulate(["-sys_type", "mpr", "-stim_type", "table", "-stim_file", path, "-ts_max_time", 6, "-sample_dt", 0.25], ranks)
    expected = np.interp(data["t"], TABLE[:, 0], TABLE[:, 1])
    assert np.max(np.abs(data["I"] - expected)) < 1e-12, f"I(t) from {path} differs from the table"
    assert len(data["t"]) == 25


def test_text_table():
    path = os.path.join(workdir(), "drive.txt")
    with open(path, "w") as fp:
        fp.write("# t I\n" + "\n".join(f"{a} {b}" for a, b in TABLE) + "\n")
    check(path, 1)
    check(path, 2)


def test_hdf5_table():
    path = os.path.join(workdir(), "drive.h5")
    with h5py.File(path, "w") as f:
        f["/inputs/I"] = TABLE
    check(path + ":/inputs/I", 1)
    check(path + ":/inputs/I", 2)
