"""neurodyn covariance -cov_theory linear_equivalent: the large-N cross-spectral matrix of a rate
network at fixed J, C(omega) = R (S_r J J^T + sigma^2) R^H, R = ((1 + i omega) - a J)^{-1}
(docs/models/rate.md#theory-at-fixed-j, the Shen-Hu ansatz proved in seed 004).

- The formula and its statistics against numpy at 1 and 2 ranks (given a, S_r, sigma; 1e-8).
- -cov_units (matrix-free, any N): the block of five units of a sparse N = 2000 network against
  scipy's sparse LU (1e-8), 1 and 2 ranks.
- The measured a and residual spectrum S_r = S_phi - a^2 S_x (-cov_from: Welch, Hann segments
  overlapping by half) against the same estimator in numpy (1e-10), 1 and 2 ranks agreeing.
- Science, linear units with noise (phi = identity: a = 1, S_r = 0, the formula is exact): the
  simulated cross-spectra match sigma^2 R R^H (mean power within 8 %, off-diagonal entries
  correlated > 0.5 at every frequency).
- Science (long), a chaotic tanh network (N = 300, g = 2, no noise, no stable fixed point): the theory's
  coherences C_ij / sqrt(C_ii C_jj) (O(1/sqrt N), set by this J) are correlated > 0.55 with those
  of the simulation at omega = 0.5, 1, 2 (measured 0.67-0.74); the same formula with another J of
  the same statistics is uncorrelated (|r| < 0.1): the prediction is about this network's J;
  postprocess/plot_linear_equivalent.py plots the two files.
- The mean-field theory (-cov_dmft) against scipy and Parseval; with noise: exact for linear
  units.
- Long (tests/long/test_linear_equivalent_long.py, make test-long): the chaotic network's
  simulation against the theory at fixed J and the mean-field a and variance (3 %, 5 %); a noisy
  tanh network's simulation against the mean-field theory with noise.
- Bad input: clear errors."""
import functools
import os
import subprocess
import sys

import h5py
import numpy as np
import scipy.sparse as sp
from numpy.polynomial.hermite_e import hermegauss
from scipy.integrate import quad, simpson, solve_ivp
from scipy.optimize import brentq
import scipy.sparse.linalg as spl
import ndtest
from ndtest import ROOT, expect_errors, run_ok, workdir
from test_rate import sparse_network, write_dense
from welch import coherence, correlation, cross_spectrum, offdiag, segment_sums


def theory(J, a, Sr, sigma, omega):
    N = J.shape[0]
    R = np.linalg.inv((1 + 1j * omega) * np.eye(N) - a * J)
    return R @ (Sr * J @ J.T + sigma ** 2 * np.eye(N)) @ R.conj().T


def read_theory(path):
    with h5py.File(path) as f:
        g = f["covariance/linear_equivalent"]
        out = {k: g[k][()] for k in g}
        out.update(g.attrs)
        out["groups"] = list(f["covariance"])
    N = out["power"].shape[1]
    if "C_real" in out:
        out["C"] = (out["C_real"] + 1j * out["C_imag"]).reshape(len(out["omega"]), N, N)
    return out


def offdiag_correlation(A, B):
    return correlation(offdiag(A), offdiag(B))


def test_formula_against_numpy():
    N, a, sigma = 60, 0.7, 0.4
    omega, Sr = np.array([0.0, 0.7, 2.0]), np.array([0.3, 0.2, 0.05])
    J = np.random.default_rng(7).standard_normal((N, N)) * 0.9 / np.sqrt(N)
    path = os.path.join(workdir(), "J.h5")
    write_dense(path, J)
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"le{ranks}.h5")
        run_ok(["covariance", "-sys_type", "rate", "-rate_J_file", path + ":/J", "-params_g", 1, "-cov_theory",
                "linear_equivalent", "-cov_exact", "false", "-cov_gain", a, "-cov_sigma", sigma, "-cov_omega",
                ",".join(map(str, omega)), "-cov_residual_psd", ",".join(map(str, Sr)), "-cov_matrix",
                "-output", out, "-quiet"], ranks)
        got = read_theory(out)
        assert got["groups"] == ["linear_equivalent"], "-cov_exact false writes the theory alone"
        assert got["gain"] == a and got["sigma"] == sigma
        for k, w in enumerate(omega):
            C = theory(J, a, Sr[k], sigma, w)
            assert np.linalg.norm(got["C"][k] - C) < 1e-8 * np.linalg.norm(C), (ranks, w)
            lam = np.sort(np.linalg.eigvalsh(C))[::-1]
            assert np.max(np.abs(got["eigenvalues"][k] - lam)) < 1e-8 * lam[0]
            assert np.max(np.abs(got["power"][k] - np.real(np.diag(C)))) < 1e-8 * lam[0]
            pr = np.real(np.trace(C)) ** 2 / np.sum(np.abs(C) ** 2)
            rho = coherence(C)[np.triu_indices(N, 1)]
            assert abs(got["participation_ratio"][k] - pr) < 1e-8 * pr
            assert abs(got["mean_coherence"][k] - np.mean(rho.real)) < 1e-10
            assert abs(got["std_coherence"][k] - np.std(rho.real)) < 1e-8 * np.std(rho.real)
            assert abs(got["rms_coherence"][k] - np.sqrt(np.mean(np.abs(rho) ** 2))) < 1e-10


def test_units_matrix_free_against_scipy():
    """-cov_units: the block of a few units by one multi-shift Krylov solve per unit, on the sparse
    N = 2000 network (K = 50): against scipy's sparse LU of ((1 - i omega) - a J^T), 1e-8"""
    J, spec = sparse_network()
    units, a, sigma = [0, 13, 999, 1000, 1999], 0.6, 0.2
    omega, Sr = np.array([0.0, 1.0, 3.0]), np.array([0.5, 0.2, 0.01])
    N = J.shape[0]
    E = np.zeros((N, len(units)))
    E[units, range(len(units))] = 1
    want = []
    for w, S in zip(omega, Sr):
        X = spl.splu(sp.csc_matrix((1 - 1j * w) * sp.identity(N) - a * J.T)).solve(E.astype(complex))  # R^H E_S
        Y = J.T @ X
        want.append(S * Y.conj().T @ Y + sigma ** 2 * X.conj().T @ X)
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"units{ranks}.h5")
        run_ok(["covariance", "-sys_type", "rate", "-rate_J_file", spec, "-params_g", 1, "-cov_theory",
                "linear_equivalent", "-cov_exact", "false", "-cov_gain", a, "-cov_sigma", sigma, "-cov_omega",
                ",".join(map(str, omega)), "-cov_residual_psd", ",".join(map(str, Sr)), "-cov_units",
                ",".join(map(str, units)), "-output", out, "-quiet"], ranks)
        got = read_theory(out)
        assert list(got["units"]) == units and np.all(got["iterations"] > 0)
        for k in range(len(omega)):
            assert np.linalg.norm(got["C"][k] - want[k]) < 1e-8 * np.linalg.norm(want[k]), (ranks, omega[k])
            lam = np.sort(np.linalg.eigvalsh(want[k]))[::-1]
            assert np.max(np.abs(got["eigenvalues"][k] - lam)) < 1e-8 * lam[0]


def simulate(name, net, tend, dt_args):
    """the rate network simulated at 2 ranks to tend: (path, t, x)"""
    data, _, path = ndtest.simulate(["-sys_type", "rate", "-ts_max_time", tend] + net + dt_args, 2, name)
    return path, data["t"], data["x"]


def measured_theory(sim, net, omega, seg, tmin, ranks):
    out = os.path.join(workdir(), f"th{ranks}.h5")
    run_ok(["covariance", "-sys_type", "rate", "-cov_theory", "linear_equivalent", "-cov_from", sim, "-cov_tmin", tmin,
            "-cov_segment", seg, "-cov_omega", ",".join(map(str, omega)), "-cov_matrix", "-cov_exact", "false",
            "-output", out, "-quiet"] + net, ranks)
    return read_theory(out), out


def test_linear_units_with_noise():
    """phi = identity: the formula is the exact cross-spectrum sigma^2 R R^H of the linear SDE"""
    N, g, sigma, seg, tmin = 100, 0.6, 0.5, 20.0, 20.0
    omega = [0.0, 0.5, 1.0, 2.0]
    net = ["-rate_N", N, "-params_g", g, "-rate_seed", 5, "-rate_phi", "linear", "-rate_sigma", sigma]
    sim, t, X = simulate("lin.h5", net, 3000, ["-ts_dt", 0.02, "-sample_dt", 0.2])
    assert np.allclose(np.diff(t), 0.2), "samples are uniform (the end is recorded once)"
    got, _ = measured_theory(sim, net, omega, seg, tmin, 2)
    one, _ = measured_theory(sim, net, omega, seg, tmin, 1)
    assert got["gain"] == 1.0 and np.all(np.abs(got["residual_psd"]) < 1e-12 * got["measured_psd_x"])
    assert got["sigma"] == sigma
    X = X[t >= tmin]
    for k, w in enumerate(omega):
        # the measured spectrum is the Welch estimator (Hann segments overlapping by half) of
        # postprocess/welch.py, to rounding, at 1 and 2 ranks
        Fx, norm = segment_sums(X, 0.2, seg, w)
        Sx = norm * np.mean(np.abs(Fx) ** 2)
        for r in (one, got):
            assert abs(r["measured_psd_x"][k] / Sx - 1) < 1e-10 and r["segments"] == len(Fx), (w, r["measured_psd_x"][k], Sx)
        assert np.linalg.norm(got["C"][k] - one["C"][k]) < 1e-10 * np.linalg.norm(one["C"][k])
        Cm = cross_spectrum(X, 0.2, seg, w)
        power = np.mean(got["power"][k])
        assert abs(power / np.mean(np.real(np.diag(Cm))) - 1) < 0.08, (w, power, np.mean(np.real(np.diag(Cm))))
        assert offdiag_correlation(got["C"][k], Cm) > 0.5, w


def chaotic_network_against_simulation():
    """(run by tests/long/test_linear_equivalent_long.py)"""
    N, g, seg, tmin = 300, 2.0, 25.0, 100.0
    omega = [0.5, 1.0, 2.0]
    net = ["-rate_N", N, "-params_g", g, "-rate_seed", 3]
    sim, t, X = simulate("chaos.h5", net, 4000, ["-sample_dt", 0.25, "-init_x", 0.5])
    keep = t >= tmin
    X, P = X[keep], np.tanh(X[keep])
    a = np.mean(1 - P ** 2)
    assert X.std(axis=0).min() > 0.3, "the network is chaotic, not at a fixed point"
    runs = {r: measured_theory(sim, net, omega, seg, tmin, r) for r in (1, 2)}
    got = {r: runs[r][0] for r in runs}
    for r in (1, 2):
        assert abs(got[r]["gain"] - a) < 1e-12 and got[r]["samples"] == len(X)
    D0, a_dmft, _ = dmft_reference(g, [])  # the mean-field theory (tested against neurodyn's below)
    assert abs(a / a_dmft - 1) < 0.03 and abs(X.var(axis=0).mean() / D0 - 1) < 0.05, (a, a_dmft, D0)
    rng = np.random.default_rng(11)
    J_other = rng.standard_normal((N, N)) * g / np.sqrt(N)
    for k, w in enumerate(omega):
        Fx, norm = segment_sums(X, 0.25, seg, w)
        Fp, _ = segment_sums(P, 0.25, seg, w)
        Sx, Sp = norm * np.mean(np.abs(Fx) ** 2), norm * np.mean(np.abs(Fp) ** 2)
        for r in (1, 2):
            assert abs(got[r]["measured_psd_x"][k] / Sx - 1) < 1e-10 and abs(got[r]["measured_psd_phi"][k] / Sp - 1) < 1e-10
            assert abs(got[r]["residual_psd"][k] - (Sp - a * a * Sx)) < 1e-10 * Sp
            assert got[r]["segments"] == len(Fx)
        assert np.linalg.norm(got[2]["C"][k] - got[1]["C"][k]) < 1e-10 * np.linalg.norm(got[1]["C"][k])
        measured = coherence(norm * Fx.T @ Fx.conj() / len(Fx))
        r_this = offdiag_correlation(coherence(got[1]["C"][k]), measured)
        r_other = offdiag_correlation(coherence(theory(J_other, a, got[1]["residual_psd"][k], 0, w)), measured)
        print(f"omega {w}: coherence correlation {r_this:.3f} (another J: {r_other:.3f})")
        assert r_this > 0.55 and abs(r_other) < 0.1, (w, r_this, r_other)
    png = os.path.join(workdir(), "le.png")  # the plot script reads both files
    p = subprocess.run([sys.executable, os.path.join(ROOT, "postprocess", "plot_linear_equivalent.py"), runs[2][1],
                        "--sim", sim, "-o", png], capture_output=True, text=True)
    assert p.returncode == 0 and os.path.getsize(png) > 10000, p.stderr


def dmft_reference(g, omegas):
    """The mean-field theory in scipy, independently of neurodyn's dmft.c: the energy balance
    (brentq, 300 Gauss-Hermite nodes) brackets Delta0, which shooting with solve_ivp (DOP853; C by
    64 x 64 nodes, as neurodyn: the rule's own error, ~1e-7, is not what is compared) refines until the orbit ends on the saddle at 0; S_x by adaptive quadrature of
    the cosine transform of Delta(tau) plus the exponential tail"""
    D0, a, lam, sol = dmft_orbit(g)
    T, A = sol.t[-1], sol.y[0, -1]
    S = [quad(lambda t: 2 * sol.sol(t)[0] * np.cos(w0 * t), 0, T, limit=2000)[0]
         + 2 * A * (lam * np.cos(w0 * T) - w0 * np.sin(w0 * T)) / (lam ** 2 + w0 ** 2) for w0 in omegas]
    return D0, a, np.array(S)


@functools.lru_cache
def dmft_orbit(g):
    """Delta0, a, the decay rate of the tail and the orbit Delta(tau) of dmft_reference (the
    shooting costs seconds: computed once per g for the tests that use it)"""
    def rule(n):
        z, w = hermegauss(n)
        return z, w / w.sum()

    z1, w1 = rule(300)
    z, w = rule(64)
    log_cosh = lambda x: np.logaddexp(x, -x) - np.log(2)  # noqa: E731

    def gap(D):
        p = log_cosh(np.sqrt(D) * z1)
        return -0.5 * D * D + g * g * (w1 @ p ** 2 - (w1 @ p) ** 2)

    def orbit(D0, stop):
        def C(D):
            s, c = np.sqrt(max(D0 - D, 0)), np.sqrt(max(D, 0))
            return w @ (np.tanh(s * z[None, :] + c * z[:, None]) @ w) ** 2
        crossed = lambda t, y: y[0] - stop  # noqa: E731
        turned = lambda t, y: y[1]  # noqa: E731
        crossed.terminal = turned.terminal = True
        turned.direction = 1
        return solve_ivp(lambda t, y: [y[1], y[0] - g * g * C(min(y[0], D0))], [0, 1e4], [D0, 0], method="DOP853",
                         rtol=1e-12, atol=1e-15, events=(crossed, turned), dense_output=True)

    est = brentq(gap, 1e-2, 50, xtol=1e-15)
    lo, hi = est * (1 - 1e-4), est * (1 + 1e-4)
    assert len(orbit(lo, 0).t_events[0]) and len(orbit(hi, 0).t_events[1]), "the bracket holds the decaying orbit"
    while hi - lo > 1e-13 * hi:
        mid = (lo + hi) / 2
        if len(orbit(mid, 0).t_events[0]):
            lo = mid
        else:
            hi = mid
    D0 = (lo + hi) / 2
    a = w @ (1 - np.tanh(np.sqrt(D0) * z) ** 2)  # with the rule of C, as neurodyn
    lam = np.sqrt(1 - a * a * g * g)
    sol = orbit(D0, 1e-4 * D0)
    assert abs(-sol.y[1, -1] / sol.y[0, -1] / lam - 1) < 1e-2, "the reference reaches the exponential tail"
    return D0, a, lam, sol


def test_mean_field_theory():
    """-cov_dmft: a and S_r from the mean-field theory (Gaussian J, tanh, g = 2): Delta0, a (1e-8) and
    S_x (1e-5, at omega = 0, 0.5, 1, 2) against scipy, Parseval (int S_x domega / 2 pi = Delta0
    within 1e-3, on a grid to omega = 12 that holds those four), and S_r = S_x ((1 + omega^2) /
    g^2 - a^2) as written, from one run at 2 ranks (a and the variance against the simulation:
    tests/long/test_linear_equivalent_long.py)"""
    g, omega = 2.0, np.array([0.0, 0.5, 1.0, 2.0])
    D0, a, S = dmft_reference(g, omega)
    out = os.path.join(workdir(), "dmft.h5")
    net = ["-rate_N", 100, "-params_g", g, "-rate_seed", 3]
    grid = np.linspace(0, 12, 241)  # S_x(12) / S_x(0) < 1e-9
    at = [int(np.argmin(np.abs(grid - w))) for w in omega]
    assert np.allclose(grid[at], omega, rtol=0, atol=1e-14)
    run_ok(["covariance", "-sys_type", "rate", "-cov_theory", "linear_equivalent", "-cov_exact", "false", "-cov_dmft",
            "-cov_units", 0, "-cov_omega", ",".join(map(str, grid)), "-output", out, "-quiet"] + net, 2)
    got = read_theory(out)
    Sg = got["dmft_psd_x"]
    assert abs(got["dmft_variance"] / D0 - 1) < 1e-8 and abs(got["gain"] / a - 1) < 1e-8, (got["dmft_variance"], D0)
    assert np.max(np.abs(Sg[at] / S - 1)) < 1e-5, (Sg[at], S)
    assert np.allclose(got["residual_psd"], Sg * ((1 + grid ** 2) / g ** 2 - a * a), rtol=1e-6)
    variance = simpson(Sg, x=grid) / np.pi  # one-sided: int_{-inf}^{inf} S domega / 2 pi
    assert abs(variance / D0 - 1) < 1e-3, (variance, D0)


def test_mean_field_theory_with_noise():
    """-cov_dmft with white noise (the velocity -sigma^2/2 at tau = 0): for linear units the theory is
    exact, Delta0 = sigma^2 / (2 sqrt(1 - g^2)), S_x = sigma^2 / (1 - g^2 + omega^2), S_r = 0 (1e-8).
    (tests/long/test_linear_equivalent_long.py: tanh units against a simulation)"""
    omega = np.array([0.0, 0.5, 1.0, 2.0])
    out = os.path.join(workdir(), "lin.h5")
    g, sigma = 0.6, 0.5
    run_ok(["covariance", "-sys_type", "rate", "-rate_N", 50, "-params_g", g, "-rate_phi", "linear", "-rate_sigma",
            sigma, "-cov_theory", "linear_equivalent", "-cov_exact", "false", "-cov_dmft", "-cov_omega",
            ",".join(map(str, omega)), "-output", out, "-quiet"], 2)
    got, lam2 = read_theory(out), 1 - g * g
    assert abs(got["dmft_variance"] / (sigma ** 2 / (2 * np.sqrt(lam2))) - 1) < 1e-8 and abs(got["gain"] - 1) < 1e-12
    assert np.max(np.abs(got["dmft_psd_x"] / (sigma ** 2 / (lam2 + omega ** 2)) - 1)) < 1e-8
    assert np.max(np.abs(got["residual_psd"])) < 1e-8 * sigma ** 2


def mean_field_theory_with_noise_tanh():
    """-cov_dmft for tanh at g = 0.8, sigma = 0.8 (no chaos: noise-driven) against a simulation of
    N = 300 (variance 3 %, a 1 %, S_x 10 %; measured 0.4 %, 0.1 %, < 4 %)"""
    omega = np.array([0.0, 0.5, 1.0, 2.0])
    g, sigma = 0.8, 0.8
    net = ["-rate_N", 300, "-params_g", g, "-rate_sigma", sigma]
    out = os.path.join(workdir(), "tanh.h5")
    run_ok(["covariance", "-sys_type", "rate", "-cov_theory", "linear_equivalent", "-cov_exact", "false", "-cov_dmft",
            "-cov_omega", ",".join(map(str, omega)), "-output", out, "-quiet"] + net, 2)
    got = read_theory(out)
    sim, t, X = simulate("noisy.h5", net, 2000, ["-ts_dt", 0.02, "-sample_dt", 0.25])
    X = X[t >= 20]
    assert abs(X.var(axis=0).mean() / got["dmft_variance"] - 1) < 0.03
    assert abs(np.mean(1 - np.tanh(X) ** 2) / got["gain"] - 1) < 0.01
    for k, w in enumerate(omega):
        F, norm = segment_sums(X, 0.25, 20.0, w)
        Sx = norm * np.mean(np.abs(F) ** 2)
        assert abs(Sx / got["dmft_psd_x"][k] - 1) < 0.1, (w, Sx, got["dmft_psd_x"][k])


def test_bad_input():
    rate = ["covariance", "-sys_type", "rate", "-rate_N", 20]
    le = rate + ["-cov_theory", "linear_equivalent"]
    dmft = le + ["-cov_dmft", "-cov_exact", "false"]
    sim = os.path.join(workdir(), "short.h5")
    run_ok(["simulate", "-sys_type", "rate", "-rate_N", 20, "-params_g", 2, "-init_x", 0.5, "-ts_max_time", 10,
            "-sample_dt", 0.5, "-output", sim, "-quiet"])
    from_sim = le + ["-params_g", 2, "-cov_exact", "false", "-cov_from", sim]
    eye = os.path.join(workdir(), "eye.h5")
    write_dense(eye, np.eye(20))  # a J = 1 at omega = 0: R does not exist
    expect_errors([
        (rate + ["-cov_theory", "dmft"], "-cov_theory: unknown value 'dmft'"),
        (rate + ["-cov_omega", "1"], "need -cov_theory linear_equivalent"),
        (rate + ["-cov_exact", "false"], "leaves nothing to compute"),
        (le, "needs the residual spectrum"),
        (le + ["-cov_residual_psd", "1,2", "-cov_omega", "1,2,3"], "has 2 values for 3 frequencies"),
        (le + ["-cov_residual_psd", "-1"], "a power spectral density is >= 0"),
        (le + ["-cov_residual_psd", "1", "-cov_omega", "-1"], "angular frequencies must be >= 0"),
        (le + ["-cov_residual_psd", "1", "-cov_gain", "-0.5"], "-cov_gain must be >= 0"),
        (le + ["-cov_residual_psd", "1", "-cov_tmin", "5"], "-cov_tmin and -cov_segment need -cov_from"),
        (le + ["-cov_from", "nothere.h5"], "cannot open 'nothere.h5'"),
        (le + ["-cov_residual_psd", "1", "-cov_units", "3,5,3"], "unit 3 is listed twice"),
        (le + ["-cov_residual_psd", "1", "-cov_units", "3,20"], "unit 20 is not in 0 .. N - 1 = 19"),
        (le + ["-cov_residual_psd", "1", "-cov_omega", ",".join(["1"] * 4097)], "-cov_omega: at most 4096 values"),
        (le + ["-cov_from", "x.h5", "-cov_gain", "0.5"], "not with -cov_gain"),
        (dmft + ["-cov_residual_psd", "1"], "-cov_dmft computes a and S_r"),
        (dmft + ["-params_g", 0.8], "needs fluctuations: g > 1 (chaos) or noise sigma > 0"),
        (dmft + ["-params_g", 2, "-rate_phi", "sigmoid"], "needs an odd phi"),
        (dmft + ["-params_g", 2, "-params_I", 0.3], "without input"),
        (dmft + ["-params_g", 1.2, "-rate_phi", "linear", "-rate_sigma", 1], "no stationary state for g >= 1"),
        (["covariance", "-sys_type", "mpr", "-cov_theory", "linear_equivalent", "-cov_residual_psd", "1"],
         "needs -sys_type rate"),
        (from_sim + ["-cov_segment", 1], "holds 2 samples at the recorded interval 0.5: at least 4 needed"),
        (from_sim + ["-cov_segment", 4, "-cov_omega", 7], "above the Nyquist frequency"),
        (from_sim + ["-cov_segment", 40], "shorter than one segment"),
        (["covariance", "-sys_type", "rate", "-rate_J_file", eye + ":/J", "-params_g", 1, "-cov_theory",
          "linear_equivalent", "-cov_residual_psd", "1", "-cov_gain", 1, "-cov_exact", "false", "-cov_omega", "1,0"],
         "is singular at omega = 0"),
    ])
