"""izh_mf, the Chen-Campbell mean field (docs/models/izh_mf.md), against
an independent scipy implementation of the same equations:
- eta = 0.25: simulate converges to the equilibrium found by scipy's fsolve (relative 1e-6);
- eta = 0.12: collective bursting, a large oscillation of r (as in Chen and Campbell 2022);
- continue in eta finds the two Hopf points bounding the bursting range, each where scipy's
  rightmost eigenvalue crosses zero (1e-8), with its frequency (1e-6), at 1 and 2 ranks."""
import os

import h5py
import numpy as np
from scipy.optimize import brentq, fsolve
from ndtest import INPUTS, relerr, run_ok, simulate, workdir

P = dict(alpha=0.6215, a=0.0077, b=-0.0062, w_jump=0.0189, g=1.2308, e_r=1.0, s_jump=1.2308, tau_s=2.6, Delta=0.02)


def rhs(x, eta, p=P):
    r, v, w, s = x
    return np.array([p["Delta"] / np.pi + 2 * r * v - (p["alpha"] + p["g"] * s) * r,
                     v * v - p["alpha"] * v - w + eta + p["g"] * s * (p["e_r"] - v) - np.pi**2 * r * r,
                     p["a"] * (p["b"] * v - w) + p["w_jump"] * r,
                     -s / p["tau_s"] + p["s_jump"] * r])


def equilibrium(eta, guess=(0.05, 0.1, 0.0, 0.1), p=P):
    x = fsolve(rhs, guess, args=(eta, p))
    for _ in range(3):  # Newton polish to rounding
        x = x - np.linalg.solve(jacobian(x, eta, p), rhs(x, eta, p))
    assert np.max(np.abs(rhs(x, eta, p))) < 1e-13
    return x


def jacobian(x, eta, p=P, h=1e-6):
    return np.column_stack([(rhs(x + h * e, eta, p) - rhs(x - h * e, eta, p)) / (2 * h) for e in np.eye(4)])


def rightmost(eta):
    ev = np.linalg.eigvals(jacobian(equilibrium(eta), eta))
    return ev[np.argmax(ev.real)]


def test_equilibrium_at_eta_025():
    """The default parameters (docs/models/izh_mf.md), and a set where g != s_jump (a g/s_jump swap leaves r, v, w alone but not
    s = s_jump tau_s r), tau_s and e_r away from the defaults"""
    data, _, _ = simulate(["-sys_type", "izh_mf", "-params_eta", 0.25, "-ts_max_time", 3000, "-sample_dt", 10])
    x = equilibrium(0.25)
    for i, name in enumerate("rvws"):
        assert relerr(data[name][-1], x[i]) < 1e-6, f"{name}: {data[name][-1]} vs scipy {x[i]}"
    p2 = dict(P, g=1.6, s_jump=0.9, tau_s=2.0, e_r=0.8)
    data, _, _ = simulate(["-sys_type", "izh_mf", "-params_eta", 0.25, "-ts_max_time", 3000, "-sample_dt", 10] +
                          [a for k in ("g", "s_jump", "tau_s", "e_r") for a in (f"-params_{k}", p2[k])])
    x = fsolve(rhs, (0.05, 0.1, 0.0, 0.1), args=(0.25, p2), xtol=1e-14)
    assert np.max(np.abs(rhs(x, 0.25, p2))) < 1e-13
    for i, name in enumerate("rvws"):
        assert relerr(data[name][-1], x[i]) < 1e-6, f"g != s_jump: {name}: {data[name][-1]} vs scipy {x[i]}"


def test_bursting_at_eta_012():
    data, _, _ = simulate(["-sys_type", "izh_mf", "-params_eta", 0.12, "-ts_max_time", 1500, "-sample_dt", 0.5])
    r = data["r"][data["t"] > 500]
    assert r.max() - r.min() > 0.05 and r.min() < 0.5 * equilibrium(0.12)[0], "no bursting at eta = 0.12"


def test_hopf_points_bound_the_bursting_range():
    upper = brentq(lambda e: rightmost(e).real, 0.15, 0.25, xtol=1e-14)
    lower = brentq(lambda e: rightmost(e).real, 0.03, 0.1, xtol=1e-14)
    for ranks in (1, 2):
        out = os.path.join(workdir(), "izh.h5")
        run_ok(["continue", "-sys_type", "izh_mf", "-params_eta", 0.25, "-cont_param", "eta", "-cont_min", 0, "-cont_max", 0.4,
                "-init_r", 0.05, "-init_v", 0.1, "-cont_ds_max", 0.02, "-cont_direction", "backward", "-output", out, "-quiet"], ranks)
        with h5py.File(out) as f:
            sp = f["branch/0/special"]
            hb = sorted((sp["eta"][i], sp["omega"][i]) for i, lab in enumerate(sp.attrs["labels"].split(",")) if lab == "HB")
        assert len(hb) == 2, f"expected two Hopf points, found {hb}"
        assert abs(hb[0][0] - lower) < 1e-8 and abs(hb[1][0] - upper) < 1e-8, f"Hopf at {hb}, scipy {lower}, {upper}"
        assert relerr(hb[1][1], abs(rightmost(upper).imag)) < 1e-6, "Hopf frequency"


def test_bursting_boundary_hopf_curves():
    """both Hopf curves in (eta, w_jump): at every point scipy's Jacobian at the stored equilibrium
    has a purely imaginary pair (real part < 1e-7) with the stored frequency (1e-6; the defining
    system is symmetric under q -> conj(q), so omega may be stored with either sign)"""
    for k in (0, 1):
        out = os.path.join(workdir(), f"burst_{k}.h5")
        run_ok(["continue", os.path.join(INPUTS, "izh_mf_bursting_boundary.yaml"), "-cont_start_index", k, "-output", out, "-quiet"], 2)
        with h5py.File(out) as f:
            for b in f["branch"]:
                g = f["branch"][b]
                for i in range(0, len(g["eta"]), 5):
                    p = dict(P, w_jump=g["w_jump"][i])
                    x, eta = g["state"][i], g["eta"][i]
                    assert np.max(np.abs(rhs(x, eta, p))) < 1e-9, "not an equilibrium"
                    ev = np.linalg.eigvals(jacobian(x, eta, p))
                    ev = ev[ev.imag > 0]
                    pair = ev[np.argmin(np.abs(ev.real))]  # the critical pair
                    assert abs(pair.real) < 1e-7 and relerr(pair.imag, abs(g["omega"][i])) < 1e-6, (k, i, ev, g["omega"][i])


def test_default_run_finds_both_hopf_points():
    """issue 18: from the default start (eta = 0.12) with default steps the lower Hopf point lies in
    a step where the critical pair is real on one side; the change of the number of unstable
    eigenvalues must still be located and labelled HB (to 1e-8 of scipy's root), and each branch
    must say it ended on its bound"""
    upper = brentq(lambda e: rightmost(e).real, 0.15, 0.25, xtol=1e-14)
    lower = brentq(lambda e: rightmost(e).real, 0.03, 0.1, xtol=1e-14)
    out = os.path.join(workdir(), "izh_default.h5")
    run_ok(["continue", "-sys_type", "izh_mf", "-cont_param", "eta", "-cont_min", 0, "-cont_max", 0.3, "-output", out, "-quiet"], 1)
    with h5py.File(out) as f:
        hb = []
        for b in f["branch"]:
            sp = f["branch"][b]["special"]
            hb += [sp["eta"][i] for i, lab in enumerate(sp.attrs["labels"].split(",")) if lab == "HB"]
            assert f["branch"][b].attrs["end_reason"] == "bound"
    hb.sort()
    assert len(hb) == 2 and abs(hb[0] - lower) < 1e-8 and abs(hb[1] - upper) < 1e-8, f"Hopf at {hb}, scipy {lower}, {upper}"


def lyapunov_reference(eta, p=P):
    """first Lyapunov coefficient by Kuznetsov's formula in numpy (izh_mf is quadratic: B exact, C = 0)"""
    x = equilibrium(eta, p=p)
    A = jacobian(x, eta, p)
    ev, V = np.linalg.eig(A)
    k = np.argmax(ev.imag - 1e3 * np.abs(ev.real))
    omega, q = ev[k].imag, V[:, k] / np.linalg.norm(V[:, k])
    evt, W = np.linalg.eig(A.T)
    left = W[:, np.argmin(np.abs(evt + 1j * omega))]
    left = left / np.conj(np.vdot(left, q))  # <left, q> = conj(left).q = 1

    def B(u, v):
        return rhs(x + u + v, eta, p) - rhs(x + u, eta, p) - rhs(x + v, eta, p) + rhs(x, eta, p)

    s = np.linalg.solve(A, B(q, np.conj(q)))
    w = np.linalg.solve(2j * omega * np.eye(4) - A, B(q, q))
    return (np.vdot(left, -2 * B(q, s) + B(np.conj(q), w))).real / (2 * omega)


def test_first_lyapunov_coefficient_at_both_hopf_points():
    """l1 printed and stored at each HB (/branch/<k>/special/l1) against numpy's Kuznetsov formula;
    both Hopf points of the default izh_mf are subcritical"""
    out = os.path.join(workdir(), "izh_l1.h5")
    run_ok(["continue", "-sys_type", "izh_mf", "-cont_param", "eta", "-cont_min", 0, "-cont_max", 0.3, "-output", out, "-quiet"], 2)
    found = []
    with h5py.File(out) as f:
        for b in f["branch"]:
            sp = f["branch"][b]["special"]
            found += [(sp["eta"][i], sp["l1"][i]) for i, lab in enumerate(sp.attrs["labels"].split(",")) if lab == "HB"]
    assert len(found) == 2
    for eta, l1 in found:
        ref = lyapunov_reference(eta)
        assert ref > 0 and relerr(l1, ref) < 1e-4, f"l1 at eta = {eta}: {l1} vs numpy {ref}"


def test_generalised_hopf_point_on_the_upper_hopf_curve():
    """The upper Hopf curve in (eta, Delta): l1 along it (/branch/<k>/l1) against numpy's
    Kuznetsov formula (1e-4 relative where |l1| > 0.1), and the generalised Hopf point (GH) where
    l1 changes sign (subcritical at Delta = 0.02, supercritical at 0.04: the fold of cycles of the
    bursting branch is born there) against brentq on numpy's l1 along the curve (1e-6 in Delta)"""
    def upper_hopf(delta):
        p = dict(P, Delta=delta)
        def rm(eta):
            ev = np.linalg.eigvals(jacobian(equilibrium(eta, p=p), eta, p))
            return ev[np.argmax(ev.real)].real
        return brentq(rm, 0.14, 0.3, xtol=1e-14), p

    def l1_on_curve(delta):
        eta, p = upper_hopf(delta)
        return lyapunov_reference(eta, p)

    gh = brentq(l1_on_curve, 0.035, 0.04, xtol=1e-12)
    out = os.path.join(workdir(), "izh_gh.h5")
    run_ok(["continue", "-sys_type", "izh_mf", "-cont_type", "hopf", "-cont_param", "eta", "-cont_min", 0, "-cont_max", 0.3,
            "-cont_param2", "Delta", "-cont_min2", 0.01, "-cont_max2", 0.05, "-output", out, "-quiet"], 1)
    with h5py.File(out) as f:
        found = []
        for b in f["branch"]:
            g = f["branch"][b]
            labels = g["special"].attrs["labels"].split(",")
            found += [(g["special/Delta"][i], g["special/eta"][i], g["special/l1"][i]) for i, lab in enumerate(labels) if lab == "GH"]
            for i in range(len(g["Delta"])):
                ref = lyapunov_reference(g["eta"][i], dict(P, Delta=g["Delta"][i]))
                if abs(ref) > 0.1:
                    assert relerr(g["l1"][i], ref) < 1e-4, f"l1 at Delta = {g['Delta'][i]}: {g['l1'][i]} vs numpy {ref}"
    assert len(found) == 1, f"one GH point expected on the upper Hopf curve, found {found}"
    assert abs(found[0][0] - gh) < 1e-6, f"GH at Delta = {found[0][0]}, numpy {gh}"
    assert abs(found[0][1] - upper_hopf(gh)[0]) < 1e-6 and abs(found[0][2]) < 1e-6


def test_bursting_cycles_against_auto():
    """issue 18 acceptance: the cycles from the upper Hopf point at the defaults (Delta = 0.02) by
    collocation (NTST = 100, NCOL = 4) pass both folds of cycles and end at the lower Hopf point;
    the LPC agree with AUTO-07p to 1e-6 in eta, the periods at user points to 1e-5 relative, the
    max and min of r there to 1e-5, the Hopf point where the branch ends to 1e-8 (its period to
    1e-7). The same at Delta = 0.04, where the branch has no fold of cycles
    (reference: tests/e2e/data/izh_mf_cycles_auto.json, written by bench/izh_mf_auto_reference.py)"""
    import json
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "izh_mf_cycles_auto.json")) as fh:
        cases = json.load(fh)["cases"]
    for ref in cases:
        user = [round(c["eta"], 6) for c in ref["cycles"]]
        out = os.path.join(workdir(), f"izh_cycles_{ref['Delta']}.h5")
        run_ok(["continue", "-sys_type", "izh_mf", "-params_Delta", ref["Delta"], "-cont_type", "cycle", "-cont_param", "eta",
                "-cont_min", 0, "-cont_max", 0.3, "-cont_ntst", 100, "-cont_user_points", ",".join(map(str, user)),
                "-output", out, "-quiet"], 1)
        with h5py.File(out) as f:
            g = f["branch/0"]
            labels = g["special"].attrs["labels"].split(",")
            rows = g["special/row"][:].astype(int)
            lpc = sorted(g["eta"][rows[i]] for i, lab in enumerate(labels) if lab == "LPC")
            assert labels[-1] == "HB" and g.attrs["end_reason"] == "terminal", f"the branch must end at the other Hopf point: {labels}"
            hopf = min(ref["hopf"], key=lambda h: h["eta"])
            assert abs(g["eta"][rows[-1]] - hopf["eta"]) < 1e-8, f"Delta {ref['Delta']}: end HB at {g['eta'][rows[-1]]}, AUTO {hopf['eta']}"
            assert relerr(g["period"][rows[-1]], hopf["period"]) < 1e-7, f"Hopf period {g['period'][rows[-1]]} vs AUTO {hopf['period']}"
            assert len(lpc) == len(ref["lpc"]), f"Delta {ref['Delta']}: {len(ref['lpc'])} folds of cycles expected, found {lpc}"
            # AUTO finds no other bifurcation of these cycles: no BP, PD or NS (a multiplier near the
            # trivial one, inexact where the orbits are slow-fast, must not count as unstable)
            assert set(labels) <= {"EP", "UZ", "LPC", "HB"}, f"Delta {ref['Delta']}: labels {labels}"
            for mine, auto in zip(lpc, sorted(c["eta"] for c in ref["lpc"])):
                assert abs(mine - auto) < 1e-6, f"LPC at {mine}, AUTO {auto}"
            for c in ref["cycles"]:
                uz = [rows[i] for i, lab in enumerate(labels) if lab == "UZ" and abs(g["eta"][rows[i]] - round(c["eta"], 6)) < 1e-9]
                assert uz, f"no user point at {c['eta']}"
                match = [k for k in uz if relerr(g["period"][k], c["period"]) < 1e-5]
                assert match, f"Delta {ref['Delta']}: period at eta = {c['eta']}: {[g['period'][k] for k in uz]} vs AUTO {c['period']}"
                k = match[0]
                assert g["unstable"][k] == c["unstable"], \
                    f"eta = {c['eta']}: {g['unstable'][k]} unstable multipliers, AUTO {c['unstable']}"
                assert abs(g["max"][k][0] - c["max"]["r"]) < 1e-5 and abs(g["min"][k][0] - c["min"]["r"]) < 1e-5, \
                    f"max/min of r at eta = {c['eta']}: {g['max'][k][0]}, {g['min'][k][0]} vs AUTO {c['max']['r']}, {c['min']['r']}"


def test_long_steps_do_not_pass_the_hopf_point():
    """-cont_ds_max 0.5 (NTST = 100): a step passed the lower Hopf point, where the
    cycles meet the constant solutions of any period, and the branch went on along those (a BP
    labelled at amplitude 5e-6, periods down to 1e-9, ended MX). Orbits that shrank to the
    equilibrium end the branch at the Hopf point, turning or not: HB where AUTO-07p has it (1e-8)"""
    import json
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "izh_mf_cycles_auto.json")) as fh:
        ref = [c for c in json.load(fh)["cases"] if abs(c["Delta"] - 0.02) < 1e-12][0]
    hopf = min(ref["hopf"], key=lambda h: h["eta"])
    out = os.path.join(workdir(), "izh_long_steps.h5")
    run_ok(["continue", "-sys_type", "izh_mf", "-cont_type", "cycle", "-cont_param", "eta", "-cont_min", 0, "-cont_max", 0.3,
            "-cont_ntst", 100, "-cont_ds_max", 0.5, "-output", out, "-quiet"], 1)
    with h5py.File(out) as f:
        g = f["branch/0"]
        labels = g["special"].attrs["labels"].split(",")
        assert labels[-1] == "HB" and g.attrs["end_reason"] == "terminal", f"labels {labels}, end {g.attrs['end_reason']}"
        assert set(labels) <= {"EP", "LPC", "HB"}, f"labels {labels}"
        assert g["period"][:].min() > 100, f"orbits of period {g['period'][:].min()} followed"
        assert abs(g["eta"][-1] - hopf["eta"]) < 1e-8, f"end HB at {g['eta'][-1]}, AUTO {hopf['eta']}"


def test_coarse_mesh_multipliers_are_not_trusted():
    """NTST = 40 is too coarse for the long-period orbits near the lower Hopf point: there no
    multiplier lies near 1 (the trivial one is off by up to 1), and the changes of the count of
    unstable multipliers were labelled PD where AUTO finds none. Such orbits (trivial multiplier
    off by more than 0.25) get no stability labels, and a warning names how many there are (the
    number checked against the stored trivial_multiplier_error) and what to do"""
    import re
    out = os.path.join(workdir(), "izh_coarse.h5")
    p = run_ok(["continue", "-sys_type", "izh_mf", "-cont_type", "cycle", "-cont_param", "eta", "-cont_min", 0,
                "-cont_max", 0.3, "-cont_ntst", 40, "-output", out, "-quiet"], 1)
    with h5py.File(out) as f:
        g = f["branch/0"]
        labels = g["special"].attrs["labels"].split(",")
        bad = int(np.sum(g["trivial_multiplier_error"][:] > 0.25))
    assert not {"PD", "NS"} & set(labels), f"labels {labels}"
    m = re.search(r"neurodyn: warning: branch 0: (\d+) orbits .* no Floquet multiplier within 0.25 of 1 .*\(raise -cont_ntst\)",
                  p.stderr)
    assert m and bad > 0 and int(m.group(1)) == bad, f"{bad} orbits off by > 0.25 stored; stderr: {p.stderr[-600:]}"
