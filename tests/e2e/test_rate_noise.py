"""The rate network with white noise (-rate_sigma, an SDE integrated by nd_heun): a linear network
(-rate_phi linear, N = 40, Gaussian J written by numpy, g = 0.6, sigma = 0.5) simulated for 2000
time units (correlation time 1/(1 - g) = 2.5, so about 800 independent samples), its sample
covariance against scipy's solve_continuous_lyapunov(A, -sigma^2 I), A = -1 + g J (docs/models/rate.md#linearisation-response-and-covariance:
exact for the linear network):
- the mean variance within 3% (its sampling error is about 0.8%; measured 1.4%);
- the off-diagonal covariances correlated with the exact ones, coefficient > 0.9 (measured 0.964;
  a wrong J, sign or transpose gives about 0);
- the largest covariance eigenvalue within 15% (measured 4.5%);
- the same samples at 1 and 2 ranks within 1e-10 (the noise is keyed by global unit index; the
  distributed MatMult sums in another order, and the stable network keeps that at round-off);
- `neurodyn covariance` takes sigma from -rate_sigma (matches scipy to 1e-8)."""
import os

import h5py
import numpy as np
import scipy.linalg as sl
from ndtest import run_ok, workdir
from test_rate import write_dense

N, G, SIGMA = 40, 0.6, 0.5


def test_noisy_linear_network_covariance():
    d = workdir()
    J = np.random.default_rng(5).normal(0, 1 / np.sqrt(N), (N, N))
    write_dense(os.path.join(d, "J.h5"), J)
    net = ["-sys_type", "rate", "-rate_J_file", os.path.join(d, "J.h5") + ":/J", "-rate_phi", "linear", "-params_g", G,
           "-rate_sigma", SIGMA]
    C = sl.solve_continuous_lyapunov(-np.eye(N) + G * J, -SIGMA**2 * np.eye(N))
    samples = []
    for ranks in (1, 2):
        out = os.path.join(d, f"sim{ranks}.h5")
        run_ok(["simulate"] + net + ["-init_x", 0, "-ts_dt", 0.01, "-ts_max_time", 2020, "-sample_dt", 0.1,
                                     "-output", out, "-quiet"], ranks)
        with h5py.File(out) as f:
            t, x = f["timeseries/t"][()], f["timeseries/x"][()]
        samples.append(x)
    err = np.max(np.abs(samples[0] - samples[1]))
    assert err < 1e-10, f"the noisy run differs between 1 and 2 ranks by {err:.1e}"
    Cs = np.cov(samples[0][t >= 20].T)
    off = ~np.eye(N, dtype=bool)
    diag = np.mean(np.diag(Cs)) / np.mean(np.diag(C))
    corr = np.corrcoef(Cs[off], C[off])[0, 1]
    top = np.linalg.eigvalsh(Cs)[-1] / np.linalg.eigvalsh(C)[-1]
    print(f"mean variance ratio {diag:.4f}, off-diagonal correlation {corr:.3f}, top eigenvalue ratio {top:.3f}")
    assert abs(diag - 1) < 0.03
    assert corr > 0.9
    assert abs(top - 1) < 0.15

    out = os.path.join(d, "cov.h5")
    run_ok(["covariance"] + net + ["-cov_matrix", "-output", out, "-quiet"], 2)
    with h5py.File(out) as f:
        assert f["covariance"].attrs["sigma"] == SIGMA
        assert np.linalg.norm(f["covariance/C"][()] - C) < 1e-8 * np.linalg.norm(C)
