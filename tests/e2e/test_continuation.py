"""neurodyn continue on the MPR mean field, against analytic results (docs/models/mpr.md) and independent numpy/scipy computations:
- the two folds in eta at J = 15, Delta = 1 to 1e-8, at 1 and 2 ranks (agreeing to 1e-10);
- the eigenvalues stored along the branch against numpy's eigenvalues of the analytic Jacobian
  at the stored states (1e-9), and the stability of the three branches;
- the fold curve in (eta, J) against the parametric fold formula (1e-8) and its cusp (1e-8);
- a Hopf point (first-order synapses, inhibitory J) against a scipy root of the real part of
  the critical eigenvalue (1e-8), with its frequency;
- the start point taken from a simulate run; bad input."""
import os

import h5py
import mpr_theory
import numpy as np
from scipy.optimize import brentq
import ndtest
from ndtest import relerr, run_ok, simulate, workdir

BASE = ["-sys_type", "mpr", "-params_J", 15, "-params_Delta", 1, "-params_eta", -5, "-init_r", 0.08, "-init_v", -2]


def continue_run(args, ranks=1):
    out = os.path.join(workdir(), "branch.h5")
    run_ok(["continue"] + list(args) + ["-output", out, "-quiet"], ranks)
    return out


def special(f, label):
    pts = []
    for k in f["branch"]:
        g = f["branch"][k]
        labels = g["special"].attrs["labels"].split(",")
        for i, lab in enumerate(labels):
            if lab == label:
                pts.append({name: g["special"][name][i] for name in g["special"]})
    return pts


def test_folds_in_eta_at_1_and_2_ranks():
    (eta_low, _), (eta_high, _) = mpr_theory.folds(15.0, 1.0)
    found = {}
    for ranks in (1, 2):
        with h5py.File(continue_run(BASE + ["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0], ranks)) as f:
            assert f.attrs["complete"] == 1
            lps = sorted(p["eta"] for p in special(f, "LP"))
            assert len(lps) == 2, f"expected two folds, found {lps}"
            assert abs(lps[0] - eta_low) < 1e-8 and abs(lps[1] - eta_high) < 1e-8, f"folds {lps} vs analytic {eta_low}, {eta_high}"
            ends = sorted(p["eta"] for p in special(f, "EP"))
            assert abs(ends[0] + 10) < 1e-10 and abs(ends[-1]) < 1e-10, f"branch ends {ends} are not on the bounds"
            found[ranks] = lps
    assert np.max(np.abs(np.array(found[1]) - np.array(found[2]))) < 1e-10


def test_spectrum_and_stability_along_the_branch():
    with h5py.File(continue_run(BASE + ["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-cont_direction", "forward"])) as f:
        g = f["branch/0"]
        eta, state, er, ei, unstable = g["eta"][:], g["state"][:], g["eig_re"][:], g["eig_im"][:], g["unstable"][:]
    (eta_low, _), (eta_high, _) = mpr_theory.folds(15.0, 1.0)
    for k in range(0, len(eta), 5):
        r, v = state[k]
        ev = np.linalg.eigvals(mpr_theory.jacobian(r, v, 15.0))
        ev = ev[np.argsort(-ev.real)]
        got = er[k] + 1j * ei[k]
        got = got[np.argsort(-got.real)]
        assert np.max(np.abs(got - ev)) < 1e-9 * max(1, np.max(np.abs(ev))), f"row {k}: eigenvalues {got} vs numpy {ev}"
    # the middle branch (between the folds, r between the fold rates) is a saddle: one unstable eigenvalue
    r = state[:, 0]
    middle = (r > 0.1626 + 0.01) & (r < 0.7539 - 0.01)
    assert middle.any() and np.all(unstable[middle] == 1), "the middle branch must have one unstable eigenvalue"
    assert np.all(unstable[r < 0.1626 - 0.01] == 0) and np.all(unstable[r > 0.7539 + 0.01] == 0)


def test_eps_nev_sets_the_eigenvalues_per_point():
    """-eps_nev 1 gave 6 eigenvalues at the first point (-cont_nev) and 1 plus 5 NaN at the others;
    now every row holds the rightmost one, which numpy confirms at the stored states"""
    with h5py.File(continue_run(BASE + ["-cont_param", "eta", "-cont_min", -10, "-cont_max", -4, "-cont_direction",
                                        "forward", "-eps_nev", 1])) as f:
        g = f["branch/0"]
        state, er = g["state"][:], g["eig_re"][:]
    assert er.shape[1] == 1 and not np.isnan(er).any(), er.shape
    for k in range(len(er)):
        ev = np.linalg.eigvals(mpr_theory.jacobian(state[k][0], state[k][1], 15.0))
        assert abs(er[k, 0] - ev.real.max()) < 1e-9 * max(1, abs(ev).max()), (k, er[k], ev)


def test_fold_curve_and_cusp():
    args = BASE + ["-cont_type", "fold", "-cont_param", "eta", "-cont_min", -10, "-cont_max", 0,
                   "-cont_param2", "J", "-cont_min2", 5, "-cont_max2", 20]
    with h5py.File(continue_run(args)) as f:
        for k in f["branch"]:
            g = f["branch"][k]
            J, eta, r = g["J"][:], g["eta"][:], g["state"][:, 0]
            # the parametric fold curve of docs/models/mpr.md#fixed-points-folds-and-the-cusp, evaluated at the rate of each point
            J_r = 2 * np.pi**2 * r + 1 / (2 * np.pi**2 * r**3)
            eta_r = -np.pi**2 * r**2 - 3 / (4 * np.pi**2 * r**2)
            assert np.max(np.abs(J - J_r) / J) < 1e-8, f"branch {k}: J off the fold curve by {np.max(np.abs(J - J_r))}"
            assert np.max(np.abs(eta - eta_r)) < 1e-8, f"branch {k}: eta off the fold curve by {np.max(np.abs(eta - eta_r))}"
        cusps = special(f, "CP")
    assert len(cusps) == 1, f"expected one cusp, found {len(cusps)}"
    J_c, eta_c = 2 * np.pi * (4 / 3) ** 0.75, -np.sqrt(3)
    assert abs(cusps[0]["J"] - J_c) < 1e-8 and abs(cusps[0]["eta"] - eta_c) < 1e-8, f"cusp {cusps[0]} vs ({eta_c}, {J_c})"


def hopf_reference(J=-10.0, tau_s=0.5):
    """eta where the rightmost eigenvalue of the 3x3 Jacobian (r, v, s) crosses zero, by brentq"""
    def jac(r, v):
        return np.array([[2 * v, 2 * r, 0], [-2 * np.pi**2 * r, 2 * v, J], [1 / tau_s, 0, -1 / tau_s]])

    def rightmost(eta):
        (r, v), = mpr_theory.fixed_points(eta, J, 1.0)
        ev = np.linalg.eigvals(jac(r, v))
        return ev[np.argmax(ev.real)]

    eta = brentq(lambda e: rightmost(e).real, 6.0, 10.0, xtol=1e-14)
    return eta, abs(rightmost(eta).imag)


def test_hopf_point_with_synaptic_kinetics():
    eta_h, omega_h = hopf_reference()
    args = ["-sys_type", "mpr", "-params_tau_s", 0.5, "-params_J", -10, "-params_eta", 0, "-init_r", 0.3, "-init_v", -0.5,
            "-init_s", 0.3, "-cont_param", "eta", "-cont_min", -5, "-cont_max", 20]
    for ranks in (1, 2):
        with h5py.File(continue_run(args, ranks)) as f:
            hb = special(f, "HB")
        assert len(hb) == 1, f"expected one Hopf point, found {len(hb)}"
        assert abs(hb[0]["eta"] - eta_h) < 1e-8, f"Hopf at eta = {hb[0]['eta']!r}, scipy {eta_h!r}"
        assert abs(hb[0]["omega"] - omega_h) < 1e-7, f"Hopf frequency {hb[0]['omega']}, scipy {omega_h}"
    # located by its test function (the real part of the critical pair changes sign), not only by
    # the bisection on the count of unstable eigenvalues that catches what a test function misses
    p = run_ok(["continue"] + args + ["-output", os.path.join(workdir(), "hb.h5")], 1)
    assert " HB " in p.stdout and "did not change sign" not in p.stdout, p.stdout


def test_start_from_a_simulate_run():
    _, _, sim = simulate(BASE + ["-ts_max_time", 50, "-sample_dt", 1])
    with h5py.File(continue_run(BASE[:-4] + ["-cont_start", sim, "-cont_param", "eta", "-cont_min", -6, "-cont_max", -4, "-cont_direction", "forward"])) as f:
        r0, v0 = f["branch/0/state"][0]
    (r, v), _, _ = mpr_theory.fixed_points(-5, 15, 1)
    assert relerr(r0, r) < 1e-10 and relerr(v0, v) < 1e-10, "the start point from the simulate run is not the low-rate node"


def expect_error(args, phrase):
    ndtest.expect_error(["continue"] + BASE + list(args), phrase, 2, os.path.join(workdir(), "x.h5"))


def test_bad_input():
    expect_error(["-cont_param", "etaa", "-cont_min", -10, "-cont_max", 0], "system 'mpr' has no parameter 'etaa'")
    expect_error(["-cont_param", "eta", "-cont_min", 0, "-cont_max", -10], "-cont_min (0.) must be less than -cont_max (-10.)")
    expect_error(["-cont_param", "eta", "-cont_min", -10], "set the bounds of eta with -cont_min and -cont_max")
    expect_error(["-cont_param", "Delta", "-cont_min", -1, "-cont_max", 2], "leave its valid range")
    expect_error(["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-snes_max_it", 1], "the start point did not converge")
    # far from any equilibrium Newton meets its relative tolerance with a residual of about 500:
    # the absolute residual test refuses the point (issue 19: it was accepted, a spurious HB followed)
    expect_error(["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-init_r", "1e6", "-init_v", "1e6"],
                 "found no equilibrium at eta = -5. from the initial state (Newton stopped (CONVERGED_FNORM_RELATIVE) at a largest residual 5")
    expect_error(["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-cont_start", "no/such.h5"], "-cont_start: cannot open 'no/such.h5'")
    expect_error(["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-cont_user_points", "-5,3"],
                 "-cont_user_points: 3. lies outside [-cont_min, -cont_max]")
    expect_error(["-cont_param", "eta", "-cont_min", -10, "-cont_max", 0, "-cont_type", "cycle", "-cont_ntst", 3],
                 "-cont_ntst 3 is too few mesh intervals")


def test_failed_corrector_ends_the_branch_at_the_minimum_step():
    """Steps far too long for the low-rate branch of the bistable MPR (-cont_ds 4 from eta = -5;
    its fold lies at eta = -3.14, mpr_theory.folds): every forward corrector fails or turns the tangent, the step is
    halved down to -cont_ds_min = 2, and the branch ends there (MX, end_reason min_step) without
    accepting a point; the backward branch reaches its bound. Every stored point solves the MPR
    equilibrium equations (numpy, 1e-8). 1 and 2 ranks."""
    bistable = os.path.join(ndtest.INPUTS, "mpr_bistability.yaml")
    for ranks in (1, 2):
        out = os.path.join(workdir(), "mx.h5")
        p = run_ok(["continue", bistable, "-cont_ds", 4, "-cont_ds_max", 4, "-cont_ds_min", 2, "-output", out], ranks)
        assert "ended (MX): Newton failed or the tangent turned at every step down to -cont_ds_min = 2" in p.stdout, p.stdout
        with h5py.File(out) as f:
            fwd, bwd = f["branch/0"], f["branch/1"]
            assert fwd.attrs["end_reason"] == "min_step" and fwd["special"].attrs["labels"].split(",")[-1] == "MX"
            assert np.all(fwd["eta"][:] == -5), fwd["eta"][:]
            assert bwd.attrs["end_reason"] == "bound" and abs(bwd["eta"][-1] + 10) < 1e-12
            for g in (fwd, bwd):
                for eta, (r, v) in zip(g["eta"][:], g["state"][:]):
                    res = [1 / np.pi + 2 * r * v, v * v + eta + 15 * r - np.pi**2 * r * r]
                    assert max(abs(x) for x in res) < 1e-8, (eta, r, v, res)


def limit_cycle_reference(eta, J=-10.0, tau_s=0.5):
    """period and peak-to-peak amplitude of r on the attracting cycle, by scipy's DOP853"""
    from scipy.integrate import solve_ivp

    def f(t, y):
        r, v, s = y
        return [1 / np.pi + 2 * r * v, v * v + eta + J * s - np.pi**2 * r * r, (r - s) / tau_s]

    (r0, v0), = mpr_theory.fixed_points(eta, J, 1.0)
    warm = solve_ivp(f, [0, 400], [r0 + 0.05, v0, r0], rtol=1e-12, atol=1e-12)
    sol = solve_ivp(f, [0, 40], warm.y[:, -1], rtol=1e-12, atol=1e-12, dense_output=True)
    t = np.linspace(0, 40, 400001)
    r = sol.sol(t)[0]
    up = np.where((r[:-1] < r.mean()) & (r[1:] >= r.mean()))[0]
    crossings = [brentq(lambda s: sol.sol(s)[0] - r.mean(), t[i], t[i + 1], xtol=1e-14) for i in up]
    return np.mean(np.diff(crossings)), r.max() - r.min(), r.max(), r.min()


def test_periodic_orbits_from_the_hopf_point():
    """collocation (the default, -cont_type periodic) at 1 and 2 ranks; period, max/min, multipliers vs scipy"""
    check_orbits_from_the_hopf_point("periodic")


def test_shooting_orbits_from_the_hopf_point():
    """shooting at 1 rank; period, multipliers vs scipy"""
    check_orbits_from_the_hopf_point("shooting")


def check_orbits_from_the_hopf_point(kind):
    eta_target, eta_user = 10.0, 9.0
    period_ref, amp_ref, rmax_ref, rmin_ref = limit_cycle_reference(eta_target)
    period_user = limit_cycle_reference(eta_user)[0]
    args = ["-sys_type", "mpr", "-params_tau_s", 0.5, "-params_J", -10, "-params_eta", 0, "-init_r", 0.3, "-init_v", -0.5,
            "-init_s", 0.3, "-cont_type", kind, "-cont_param", "eta", "-cont_min", -5, "-cont_max", eta_target,
            "-cont_user_points", eta_user]
    results = {}
    for ranks in (1, 2) if kind == "periodic" else (1,):  # shooting: 1 rank (its 2n flows per Jacobian are slow)
        with h5py.File(continue_run(args, ranks)) as f:
            g = f["branch/0"]
            eta, period, amp, mre, mim = g["eta"][:], g["period"][:], g["amplitude"][:], g["eig_re"][:], g["eig_im"][:]
            assert g.attrs["end_reason"] == "bound"
            sp = g["special"]
            uz = [int(sp["row"][i]) for i, lab in enumerate(sp.attrs["labels"].split(",")) if lab == "UZ"]
            assert len(uz) == 1 and abs(g["eta"][uz[0]] - eta_user) < 1e-10, "one user point UZ at eta = 9"
            assert relerr(g["period"][uz[0]], period_user) < 1e-6, f"period at the user point {g['period'][uz[0]]} vs {period_user}"
            if kind == "periodic":
                assert g.attrs["type"] == "periodic"
                assert g["trivial_multiplier_error"][:].max() < 1e-8, "the trivial multiplier must be 1"
                rmax, rmin = g["max"][-1, 0], g["min"][-1, 0]
                assert abs(rmax - rmax_ref) < 1e-3 and abs(rmin - rmin_ref) < 1e-3, f"max/min of r {rmax}, {rmin} vs {rmax_ref}, {rmin_ref}"
                assert np.all(g["max"][:] >= g["min"][:])
                check_orbit_profile(g, -1, eta_target)
                profiles = g["orbit"][-1], g["orbit_t"][-1]
        eta_h, omega_h = hopf_reference()
        assert abs(eta[0] - eta_h) < 1e-8 and abs(period[0] - 2 * np.pi / omega_h) < 1e-7, "the branch must start at the Hopf point"
        assert abs(eta[-1] - eta_target) < 1e-10, f"the branch ends at eta = {eta[-1]}, not on the bound"
        results[ranks] = (period[-1], amp[-1]) + ((profiles,) if kind == "periodic" else ())
        mu = mre[-1] + 1j * mim[-1]
        trivial = np.argmin(np.abs(mu - 1))
        assert abs(mu[trivial] - 1) < 1e-6, f"no trivial Floquet multiplier 1 among {mu}"
        assert np.all(np.abs(np.delete(mu, trivial)) < 1), f"the cycle of a supercritical Hopf is stable: {mu}"
    assert relerr(results[1][0], period_ref) < 1e-6, f"{kind}: period {results[1][0]!r} vs scipy {period_ref!r}"
    assert relerr(results[1][1], amp_ref) < 1e-3, f"{kind}: amplitude {results[1][1]!r} vs scipy {amp_ref!r}"
    if kind == "periodic":
        assert abs(results[1][0] - results[2][0]) < 1e-10 and abs(results[1][1] - results[2][1]) < 1e-10
        (u1, t1), (u2, t2) = results[1][2], results[2][2]
        assert np.max(np.abs(u1 - u2)) < 1e-9 and np.max(np.abs(t1 - t2)) < 1e-10, \
            f"the orbits at 1 and 2 ranks: {np.max(np.abs(u1 - u2)):.2e}, mesh {np.max(np.abs(t1 - t2)):.2e}"


def check_orbit_profile(g, row, eta, J=-10.0, tau_s=0.5):
    """/branch/<k>/orbit and orbit_t (the orbit at its mesh points, times as fractions of the period)
    are the MPR orbit: scipy's DOP853 from the stored u(0) over the stored period passes through the
    stored points (1e-6 of the orbit's range) and closes"""
    from scipy.integrate import solve_ivp

    def f(t, y):
        r, v, s = y
        return [1 / np.pi + 2 * r * v, v * v + eta + J * s - np.pi**2 * r * r, (r - s) / tau_s]

    t, T = g["orbit_t"][row], g["period"][row]
    u = g["orbit"][row].reshape(3, len(t))  # variable-major: r, v, s at the mesh points
    assert t[0] == 0 and abs(t[-1] - 1) < 1e-14 and np.all(np.diff(t) > 0), t
    assert np.allclose(u[:, 0], g["state"][row], rtol=0, atol=1e-14), "u(0) is /state"
    sol = solve_ivp(f, [0, T], u[:, 0], t_eval=t * T, rtol=1e-12, atol=1e-12, method="DOP853")
    scale = u.max(axis=1) - u.min(axis=1)
    err = np.max(np.abs(sol.y - u) / scale[:, None])
    assert err < 1e-6, f"the stored orbit and scipy's from its u(0) differ by {err:.2e} of the range"


def test_cycles_from_a_simulated_orbit():
    """-cont_type cycle -cont_start: the period and profile from a simulate run that ends on the
    attracting cycle (eta = 9.5); the corrected orbit's period vs scipy; forward to the bound, backward
    to the Hopf point where the orbits shrink (HB, end_reason terminal); 1 and 2 ranks; a recording
    that ends on an equilibrium is refused"""
    mpr = ["-sys_type", "mpr", "-params_tau_s", 0.5, "-params_J", -10, "-params_eta", 9.5]
    run = os.path.join(workdir(), "orbit.h5")
    run_ok(["simulate"] + mpr + ["-init_r", 0.3, "-init_v", -0.5, "-init_s", 0.3, "-ts_max_time", 60, "-sample_dt", 0.01,
                                 "-output", run, "-quiet"], 1)
    period_ref = limit_cycle_reference(9.5)[0]
    eta_h, omega_h = hopf_reference()
    args = mpr + ["-cont_type", "cycle", "-cont_start", run, "-cont_param", "eta", "-cont_min", 8, "-cont_max", 10]
    periods = {}
    for ranks in (1, 2):
        with h5py.File(continue_run(args, ranks)) as f:
            fwd, bwd = f["branch/0"], f["branch/1"]
            assert relerr(fwd["period"][0], period_ref) < 1e-6, f"corrected period {fwd['period'][0]} vs scipy {period_ref}"
            assert fwd.attrs["end_reason"] == "bound" and abs(fwd["eta"][-1] - 10) < 1e-10
            assert bwd.attrs["end_reason"] == "terminal" and bwd["special"].attrs["labels"].split(",")[-1] == "HB"
            assert abs(bwd["eta"][-1] - eta_h) < 1e-6 and relerr(bwd["period"][-1], 2 * np.pi / omega_h) < 1e-6
            periods[ranks] = fwd["period"][:]
    assert np.max(np.abs(periods[1] - periods[2])) < 1e-10
    still = os.path.join(workdir(), "still.h5")
    run_ok(["simulate", "-sys_type", "mpr", "-params_J", 15, "-params_eta", -5, "-ts_max_time", 50, "-output", still, "-quiet"], 1)
    expect_error(["-params_J", 15, "-params_eta", -5, "-cont_type", "cycle", "-cont_start", still, "-cont_param", "eta",
                  "-cont_min", -6, "-cont_max", -4], "not a periodic orbit")


def test_hopf_curve_in_two_parameters():
    args = ["-sys_type", "mpr", "-params_tau_s", 0.5, "-params_J", -10, "-params_eta", 0, "-init_r", 0.3, "-init_v", -0.5,
            "-init_s", 0.3, "-cont_type", "hopf", "-cont_param", "eta", "-cont_min", -5, "-cont_max", 20,
            "-cont_param2", "J", "-cont_min2", -30, "-cont_max2", -2]
    for ranks in (1, 2):
        with h5py.File(continue_run(args, ranks)) as f:
            npts = 0
            for k in f["branch"]:
                g = f["branch"][k]
                J, eta, omega, state = g["J"][:], g["eta"][:], g["omega"][:], g["state"][:]
                for i in range(0, len(J), 7):
                    r, v, s = state[i]
                    (r_ref, v_ref), = mpr_theory.fixed_points(eta[i], J[i], 1.0)
                    assert relerr(r, r_ref) < 1e-9 and relerr(v, v_ref) < 1e-9 and relerr(s, r_ref) < 1e-9, "not an equilibrium"
                    jac = np.array([[2 * v, 2 * r, 0], [-2 * np.pi**2 * r, 2 * v, J[i]], [2.0, 0, -2.0]])
                    ev = np.linalg.eigvals(jac)
                    pair = ev[np.argmax(ev.imag)]
                    assert abs(pair.real) < 1e-8 and relerr(pair.imag, omega[i]) < 1e-8, f"J = {J[i]}: eigenvalues {ev}, omega {omega[i]}"
                    npts += 1
            assert npts > 20
            # the curve passes through the Hopf point of the one-parameter run at J = -10
            eta_h, _ = hopf_reference()
            g = f["branch/0"]
            assert abs(g["J"][0] + 10) < 1e-12 and abs(g["eta"][0] - eta_h) < 1e-8
