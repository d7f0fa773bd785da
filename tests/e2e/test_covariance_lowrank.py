"""neurodyn covariance with noise on a few units (-cov_noise_units): SLEPc's low-rank Lyapunov
solver at 1 and 2 ranks against independent solutions of A C + C A^T + B B^T = 0 — scipy's dense
solve_continuous_lyapunov (N = 500, Gaussian J written by numpy) and, for the sparse N = 2000
network (K = 50), Smith's iteration in numpy (below): the covariance C = L L^T (relative 1e-6),
its leading eigenvalues, the variances, the participation ratio and the correlation statistics
(1e-6)."""
import os

import h5py
import numpy as np
import scipy.linalg as sl
import scipy.sparse as sp
import scipy.sparse.linalg as spl
from ndtest import expect_error, run_ok, workdir
from test_rate import I0, fixed_point, jacobian, sparse_network, write_dense

G, SIGMA = 0.6, 0.5


def smith_lyapunov(A, B, p=1.0, rtol=1e-15):
    """C with A C + C A^T + B B^T = 0 for a stable sparse A, by Smith's iteration on the Cayley
    transform: C = sum_k T^k Z Z^T (T^k)^T, T = (A - pI)^{-1} (A + pI), Z = sqrt(2p) (A - pI)^{-1} B
    (A C + C A^T = -B B^T is equivalent to C = T C T^T + Z Z^T; T's eigenvalues lie in the unit
    disk); one sparse LU of A - pI."""
    N = A.shape[0]
    lu = spl.splu(sp.csc_matrix(A - p * sp.identity(N)))
    Z = np.sqrt(2 * p) * lu.solve(B)
    C = np.zeros((N, N))
    while True:
        C += Z @ Z.T
        Z = lu.solve(A @ Z + p * Z)
        if np.sum(Z * Z) < rtol * np.trace(C):
            return C


def check_low_rank(spec, units, C, ranks):
    lam = np.linalg.eigvalsh(C)[::-1]
    var = np.diag(C)
    R = C / np.sqrt(np.outer(var, var))
    r = R[np.triu_indices(len(var), 1)]
    out = os.path.join(workdir(), f"cov{ranks}.h5")
    run_ok(["covariance", "-sys_type", "rate", "-rate_J_file", spec, "-params_g", G, "-params_I", I0, "-cov_sigma",
            SIGMA, "-cov_noise_units", ",".join(map(str, units)), "-output", out, "-quiet"], ranks)
    with h5py.File(out) as f:
        L = f["covariance/factor"][()]
        got = L @ L.T
        assert np.linalg.norm(got - C) < 1e-6 * np.linalg.norm(C), "covariance differs from the independent solution"
        ev = f["covariance/eigenvalues"][()]
        k = min(len(ev), 10)
        assert np.max(np.abs(ev[:k] - lam[:k])) < 1e-6 * lam[0]
        assert np.max(np.abs(f["covariance/variance"][()] - var)) < 1e-6 * var.max()
        pr = lam.sum() ** 2 / (lam ** 2).sum()
        assert abs(f["covariance/participation_ratio"][()] - pr) < 1e-6 * pr
        assert abs(f["covariance/mean_correlation"][()] - r.mean()) < 1e-6
        assert abs(f["covariance/std_correlation"][()] - r.std()) < 1e-6 * r.std()
        assert f["covariance"].attrs["method"] == "lme"


def noise_matrix(N, units):
    B = np.zeros((N, len(units)))
    B[units, range(len(units))] = SIGMA
    return B


def test_low_rank_covariance_against_scipy():
    N, units = 500, [0, 7, 100, 333]
    J = np.random.default_rng(11).normal(0, 1 / np.sqrt(N), (N, N))
    spec = os.path.join(workdir(), "J.h5")
    write_dense(spec, J)
    A = jacobian(J, G, fixed_point(J, G, I0))
    B = noise_matrix(N, units)
    C = sl.solve_continuous_lyapunov(A, -B @ B.T)
    for ranks in (1, 2):
        check_low_rank(spec + ":/J", units, C, ranks)


def test_low_rank_covariance_sparse_2000_against_smith_iteration():
    J, spec = sparse_network()
    N, units = J.shape[0], [0, 7, 1000, 1999]
    A = sp.csr_matrix(jacobian(J, G, fixed_point(J, G, I0)))
    B = noise_matrix(N, units)
    C = smith_lyapunov(A, B)
    residual = A @ C + (A @ C).T + B @ B.T
    assert np.linalg.norm(residual) < 1e-10 * np.linalg.norm(B @ B.T), "the reference itself is not converged"
    for ranks in (1, 2):
        check_low_rank(spec, units, C, ranks)


def test_low_rank_covariance_bad_input():
    expect_error(["covariance", "-sys_type", "rate", "-rate_N", 50, "-cov_noise_units", "3,60"],
                 "-cov_noise_units: unit 60 is not in 0 .. N - 1 = 49", 2, os.path.join(workdir(), "x.h5"))
