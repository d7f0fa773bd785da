"""izh_mf_slow, the Nicola-Campbell slow-adaptation mean field (docs/models/izh_mf_slow.md):
- its equilibrium at eta = 0.25 (default parameters) equals scipy's fsolve of the formulas of docs/models/izh_mf_slow.md
  (relative 1e-6), at 1 and 2 ranks;
- where adaptation is slow (a and w_jump both 10x smaller than the defaults, so that the equilibrium
  adaptation w_jump R / a is unchanged; b = 0) the exact mean field izh_mf and izh_mf_slow give the
  same adaptation transient w(t) from rest within 1% of max w over 10/a; at the default a they
  differ by more than 3% (the fast-slow separation the slow model relies on is gone)."""
import numpy as np
from scipy.optimize import fsolve
from ndtest import relerr, simulate

A1 = dict(alpha=0.6215, a=0.0077, w_jump=0.0189, g=1.2308, e_r=1.0, s_jump=1.2308, tau_s=2.6, v_peak=200.0, v_reset=-200.0)


def rate(s, w, eta, p=A1):
    c = (p["alpha"] + p["g"] * s) / 2
    H = eta + p["g"] * p["e_r"] * s - w - c * c
    if H <= 0:
        return 0.0
    q = np.sqrt(H)
    return q / (np.arctan((p["v_peak"] - c) / q) - np.arctan((p["v_reset"] - c) / q))


def test_equilibrium_against_scipy():
    eta = 0.25
    s, w = fsolve(lambda x: [-x[0] / A1["tau_s"] + A1["s_jump"] * rate(*x, eta), -A1["a"] * x[1] + A1["w_jump"] * rate(*x, eta)],
                  [0.3, 0.3], xtol=1e-12)
    for ranks in (1, 2):
        data, _, _ = simulate(["-sys_type", "izh_mf_slow", "-params_eta", eta, "-ts_max_time", 4000, "-sample_dt", 100], ranks)
        assert relerr(data["s"][-1], s) < 1e-6 and relerr(data["w"][-1], w) < 1e-6, \
            f"({data['s'][-1]}, {data['w'][-1]}) vs scipy ({s}, {w}) at {ranks} rank(s)"


def adaptation_difference(scale):
    a, wj = A1["a"] * scale, A1["w_jump"] * scale
    T = 10 / a
    common = ["-params_eta", 0.25, "-params_a", a, "-params_w_jump", wj, "-ts_max_time", T, "-sample_dt", T / 200]
    slow, _, _ = simulate(["-sys_type", "izh_mf_slow"] + common, name="slow.h5")
    exact, _, _ = simulate(["-sys_type", "izh_mf", "-params_b", 0] + common, name="exact.h5")
    return np.max(np.abs(slow["w"] - exact["w"])) / np.max(np.abs(exact["w"]))


def test_agrees_with_izh_mf_when_adaptation_is_slow():
    slow = adaptation_difference(0.1)
    assert slow < 0.01, f"slow adaptation: izh_mf and izh_mf_slow differ by {slow:.2%} of max w"
    fast = adaptation_difference(1.0)
    assert fast > 0.03, f"at the default a the two should differ visibly; they differ by {fast:.2%}"


def test_bad_parameters_at_two_ranks():
    from test_bad_input import expect_error
    expect_error(["simulate", "-sys_type", "izh_mf_slow", "-params_v_reset", 300, "-ts_max_time", 1],
                 "izh_mf_slow: -params_v_reset (300.) must be below -params_v_peak (200.)")
    expect_error(["simulate", "-sys_type", "izh_mf_slow", "-params_a", 0, "-ts_max_time", 1],
                 "parameter a = 0. of system 'izh_mf_slow' is out of range: it must be > 0. (set with -params_a)")


def slow_rhs(x, eta):
    R = rate(x[0], x[1], eta)
    return np.array([-x[0] / A1["tau_s"] + A1["s_jump"] * R, -A1["a"] * x[1] + A1["w_jump"] * R])


def slow_equilibrium(eta):
    return fsolve(slow_rhs, [0.3, 0.3], args=(eta,), xtol=1e-12)


def test_hopf_point_in_eta_against_scipy():
    """continue in eta from 0.25 down: the Hopf point where the trace of scipy's (central-difference)
    Jacobian at scipy's equilibrium vanishes, within 1e-7, with frequency sqrt(det) within 1e-5"""
    import h5py
    import os
    from scipy.optimize import brentq
    from ndtest import run_ok, workdir

    def jac(eta, h=1e-7):
        x = slow_equilibrium(eta)
        return np.column_stack([(slow_rhs(x + h * e, eta) - slow_rhs(x - h * e, eta)) / (2 * h) for e in np.eye(2)])

    hopf = brentq(lambda e: np.trace(jac(e)), 0.15, 0.24, xtol=1e-12)
    out = os.path.join(workdir(), "slow_branch.h5")
    run_ok(["continue", "-sys_type", "izh_mf_slow", "-params_eta", 0.25, "-init_s", 0.37, "-init_w", 0.28, "-cont_param", "eta",
            "-cont_min", 0.15, "-cont_max", 0.25, "-cont_direction", "backward", "-output", out, "-quiet"], 2)
    with h5py.File(out) as f:
        sp = f["branch/0/special"]
        hb = [(sp["eta"][i], sp["omega"][i]) for i, lab in enumerate(sp.attrs["labels"].split(",")) if lab == "HB"]
    assert len(hb) == 1, f"expected one Hopf point in [0.15, 0.25], found {hb}"
    assert abs(hb[0][0] - hopf) < 1e-7, f"Hopf at eta = {hb[0][0]}, scipy {hopf}"
    assert relerr(abs(hb[0][1]), np.sqrt(np.linalg.det(jac(hopf)))) < 1e-5, "Hopf frequency"
