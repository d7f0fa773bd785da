"""Continuation of a large sparse rate network through its first instability (issue 6): a
connectivity J0 built here with scipy (K = 100 random inputs per unit, weights +-1/sqrt(K) plus a
mean 2/K, so an outlier eigenvalue near 2 stands out of the unit disk of the bulk), read from an
HDF5 CSR file. At I = 0 the state x* = 0 loses stability in a pitchfork (branch point, BP) where
g times the outlier equals 1: checked against scipy's outlier eigenvalue (ARPACK) to 1e-8, with the
rightmost eigenvalue along the branch against -1 + g lambda_out (1e-8), at 1 and 2 ranks (1e-10).
The 10^5-unknown run and its seconds per step are in bench/continuation_large.sh."""
import os

import h5py
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigs
from ndtest import run_ok, workdir

N, K, MEAN = 2000, 100, 2.0


def connectivity(path):
    rng = np.random.default_rng(7)
    rows = np.repeat(np.arange(N), K)
    cols = np.concatenate([rng.choice(np.delete(np.arange(N), i), K, replace=False) for i in range(N)])
    vals = rng.choice([-1.0, 1.0], N * K) / np.sqrt(K) + MEAN / K
    J = sp.csr_matrix((vals, (rows, cols)), shape=(N, N))
    with h5py.File(path, "w") as f:
        g = f.create_group("J")
        g["indptr"], g["indices"], g["data"] = J.indptr, J.indices, J.data
        g.attrs["shape"] = J.shape
    return J


def test_large_sparse_rate_network_through_its_first_instability():
    d = workdir()
    J = connectivity(os.path.join(d, "J.h5"))
    outlier = eigs(J, k=1, which="LR", return_eigenvectors=False, tol=1e-14)[0]
    assert abs(outlier.imag) < 1e-10 and abs(outlier.real - MEAN) < 0.2
    g_c = 1 / outlier.real
    found = {}
    for ranks in (1, 2):
        out = os.path.join(d, f"branch{ranks}.h5")
        run_ok(["continue", "-sys_type", "rate", "-rate_J_file", os.path.join(d, "J.h5") + ":/J", "-params_g", 0.3,
                "-params_I", 0, "-cont_param", "g", "-cont_min", 0.3, "-cont_max", 0.8, "-cont_nev", 1,
                "-cont_direction", "forward", "-cont_ds", 0.05, "-cont_ds_max", 0.05, "-output", out, "-quiet"], ranks)
        with h5py.File(out) as f:
            b = f["branch/0"]
            labels = b["special"].attrs["labels"].split(",")
            bp = [b["special"]["g"][i] for i, lab in enumerate(labels) if lab == "BP"]
            assert len(bp) == 1, f"labels {labels}"
            assert abs(bp[0] - g_c) < 1e-8, f"branch point at g = {bp[0]}, 1/outlier = {g_c}"
            g, er = b["g"][:], b["eig_re"][:, 0]
            assert np.max(np.abs(er - (-1 + g * outlier.real))) < 1e-8, np.abs(er - (-1 + g * outlier.real))
            assert np.all(b["unstable"][:][g < g_c - 1e-6] == 0) and np.all(b["unstable"][:][g > g_c + 1e-6] == 1)
            found[ranks] = (bp[0], er)
    assert abs(found[1][0] - found[2][0]) < 1e-10 and np.max(np.abs(found[1][1] - found[2][1])) < 1e-10
