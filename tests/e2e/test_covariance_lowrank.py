"""neurodyn covariance with noise on a few units (-cov_noise_units): SLEPc's low-rank Lyapunov
solver against scipy's dense solve_continuous_lyapunov on the same network (N = 500, Gaussian J
written by numpy), at 1 and 2 ranks: the covariance C = L L^T (relative 1e-6), its nonzero
eigenvalues, the participation ratio and the correlation statistics (1e-6)."""
import os

import h5py
import numpy as np
import scipy.linalg as sl
from ndtest import error_lines, run, run_ok, workdir
from test_rate import I0, fixed_point, jacobian, write_dense

N, G, SIGMA, UNITS = 500, 0.6, 0.5, [0, 7, 100, 333]


def test_low_rank_covariance_against_scipy():
    d = workdir()
    J = np.random.default_rng(11).normal(0, 1 / np.sqrt(N), (N, N))
    write_dense(os.path.join(d, "J.h5"), J)
    A = jacobian(J, G, fixed_point(J, G, I0))
    B = np.zeros((N, len(UNITS)))
    B[UNITS, range(len(UNITS))] = SIGMA
    C = sl.solve_continuous_lyapunov(A, -B @ B.T)
    lam = np.linalg.eigvalsh(C)[::-1]
    var = np.diag(C)
    R = C / np.sqrt(np.outer(var, var))
    r = R[np.triu_indices(N, 1)]
    for ranks in (1, 2):
        out = os.path.join(d, f"cov{ranks}.h5")
        run_ok(["covariance", "-sys_type", "rate", "-rate_J_file", os.path.join(d, "J.h5") + ":/J", "-params_g", G,
                "-params_I", I0, "-cov_sigma", SIGMA, "-cov_noise_units", ",".join(map(str, UNITS)), "-output", out,
                "-quiet"], ranks)
        with h5py.File(out) as f:
            L = f["covariance/factor"][()]
            got = L @ L.T
            assert np.linalg.norm(got - C) < 1e-6 * np.linalg.norm(C), "covariance differs from scipy"
            ev = f["covariance/eigenvalues"][()]
            k = min(len(ev), 10)
            assert np.max(np.abs(ev[:k] - lam[:k])) < 1e-6 * lam[0]
            assert np.max(np.abs(f["covariance/variance"][()] - var)) < 1e-6 * var.max()
            pr = lam.sum() ** 2 / (lam ** 2).sum()
            assert abs(f["covariance/participation_ratio"][()] - pr) < 1e-6 * pr
            assert abs(f["covariance/mean_correlation"][()] - r.mean()) < 1e-6
            assert abs(f["covariance/std_correlation"][()] - r.std()) < 1e-6 * r.std()
            assert f["covariance"].attrs["method"] == "lme"


def test_low_rank_covariance_bad_input():
    p = run(["covariance", "-sys_type", "rate", "-rate_N", 50, "-cov_noise_units", "3,60", "-output",
             os.path.join(workdir(), "x.h5")], 2)
    lines = error_lines(p)
    assert p.returncode != 0 and len(lines) == 1 and "-cov_noise_units: unit 60 is not in 0 .. N - 1 = 49" in lines[0], p.stderr
