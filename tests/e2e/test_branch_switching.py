"""Switching onto other branches (issue 18): the other branch through a branch point of
equilibria (-cont_switch_bp), checked against the equations evaluated with numpy; the branch of
period-doubled cycles from a PD point (-cont_switch_pd), checked against scipy's shooting
reference and a simulation's Poincare map."""
import os

import h5py
import numpy as np
from ndtest import ROOT, run_ok, simulate, workdir

N, MEAN = 30, 2.0


def test_pitchfork_of_a_rate_network_switched_onto():
    """A dense rate network dx/dt = -x + g J tanh(x) (J: Gaussian / sqrt(N) plus a mean 2/N, so a
    real outlier eigenvalue near 2) loses x* = 0 in a pitchfork at g = 1 / outlier. -cont_switch_bp
    follows the other branch from the BP in both directions: every stored state solves the
    equations (numpy, 1e-8), the two branches are each other's mirror image (x -> -x, the
    symmetry of tanh, 1e-8), they leave along the outlier's eigenvector (its angle with the
    first state below 1e-2 rad), and 1 and 2 ranks agree (1e-10)"""
    rng = np.random.default_rng(18)
    J = rng.standard_normal((N, N)) / np.sqrt(N) + MEAN / N
    ev, vecs = np.linalg.eig(J)
    k = np.argmax(ev.real)
    assert abs(ev[k].imag) < 1e-12 and ev[k].real > 1.5
    g_c, phi = 1 / ev[k].real, np.real(vecs[:, k])
    path = os.path.join(workdir(), "J.h5")
    with h5py.File(path, "w") as f:
        f["J"] = J
    states = {}
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"bp{ranks}.h5")
        run_ok(["continue", "-sys_type", "rate", "-rate_J_file", path + ":/J", "-params_g", 0.3, "-params_I", 0,
                "-cont_param", "g", "-cont_min", 0.3, "-cont_max", 0.8, "-cont_direction", "forward",
                "-cont_switch_bp", "-output", out, "-quiet"], ranks)
        with h5py.File(out) as f:
            labels = f["branch/0/special"].attrs["labels"].split(",")
            bp = [f["branch/0/special/g"][i] for i, lab in enumerate(labels) if lab == "BP"]
            assert len(bp) == 1 and abs(bp[0] - g_c) < 1e-8, f"branch point {bp} vs 1/outlier {g_c}"
            assert len(f["branch"]) == 3, f"the other branch in two directions expected: {list(f['branch'])}"
            up, down = f["branch/1"], f["branch/2"]
            for b in (up, down):
                g, x = b["g"][:], b["state"][:]
                assert abs(g[0] - bp[0]) < 1e-12 and np.all(g[1:] > bp[0]), "a supercritical pitchfork: g > g_c on it"
                res = -x + g[:, None] * np.tanh(x) @ J.T
                assert np.max(np.abs(res)) < 1e-8, f"not equilibria: residual {np.max(np.abs(res))}"
                assert np.all(np.linalg.norm(x[1:], axis=1) > 0), "the switched branch stayed on x = 0"
                first = x[1] / np.linalg.norm(x[1])
                assert np.arccos(min(1.0, abs(first @ phi) / np.linalg.norm(phi))) < 1e-2
            n = min(len(up["g"]), len(down["g"]))
            assert np.max(np.abs(up["g"][:n] - down["g"][:n])) < 1e-8
            assert np.max(np.abs(up["state"][:n] + down["state"][:n])) < 1e-8, "the two sides are not mirror images"
            states[ranks] = up["state"][:]
    assert states[1].shape == states[2].shape and np.max(np.abs(states[1] - states[2])) < 1e-10


def test_period_doubling_located_and_switched_onto():
    """A period doubling of cycles in a shipped system (the 3-unit rate network of
    inputs/rate3_period_doubling.yaml; reference tests/e2e/data/rate3_pd_reference.json from
    scipy shooting, tests/e2e/pd_reference.py): from a simulated orbit at g = 0.85 the cycles are
    continued in g; the PD is located where scipy's Floquet multiplier is -1 (1e-8 in g, its
    period 1e-8 relative), -cont_switch_pd 1 follows the doubled branch: at g = 0.89 (UZ) its
    period and multipliers against scipy's stable period-2 orbit (1e-8, 1e-6), the period-1 orbit
    there unstable with scipy's multiplier -1.239 (1e-6); a neurodyn simulation at g = 0.89 ends on
    that orbit: its Poincare map x0 = 0 (upward) alternates between scipy's two crossings (1e-4;
    linear interpolation between samples) and returns every T2 (1e-6). 1 and 2 ranks agree (1e-9)."""
    import json
    with open(os.path.join(ROOT, "tests", "e2e", "data", "rate3_pd_reference.json")) as fh:
        ref = json.load(fh)
    base = ["-sys_type", "rate", "-rate_phi", "tanh", "-rate_J_file", os.path.join(ROOT, "inputs", "rate3_hopfield_J.h5") + ":/J",
            "-params_I", 0]
    orbit = os.path.join(workdir(), "orbit.h5")
    run_ok(["simulate"] + base + ["-params_g", 0.85, "-init_x", 0.1, "-ts_max_time", 200, "-sample_dt", 0.01, "-output", orbit,
                                  "-quiet"], 1)
    g_beyond, p2 = ref["beyond"]["g"], ref["beyond"]["period2"]
    found = {}
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"pd{ranks}.h5")
        run_ok(["continue"] + base + ["-params_g", 0.85, "-cont_type", "cycle", "-cont_start", orbit, "-cont_param", "g",
                                      "-cont_min", 0.8, "-cont_max", 0.9, "-cont_direction", "forward", "-cont_switch_pd", 1,
                                      "-cont_user_points", g_beyond, "-output", out, "-quiet"], ranks)
        with h5py.File(out) as f:
            assert len(f["branch"]) == 2, f"the cycles and the doubled branch expected: {list(f['branch'])}"
            one, two = f["branch/0"], f["branch/1"]

            def special(b, label):
                labels = b["special"].attrs["labels"].split(",")
                return [int(b["special/row"][i]) for i, lab in enumerate(labels) if lab == label]
            pd = special(one, "PD")
            assert len(pd) == 1, one["special"].attrs["labels"]
            k = pd[0]
            assert abs(one["g"][k] - ref["pd"]["g"]) < 1e-8, f"PD at g = {one['g'][k]}, scipy {ref['pd']['g']}"
            assert abs(one["period"][k] / ref["pd"]["period"] - 1) < 1e-8
            u1 = special(one, "UZ")[0]
            assert abs(one["period"][u1] / ref["beyond"]["period1_unstable"]["period"] - 1) < 1e-8
            mu = one["eig_re"][u1]
            assert one["unstable"][u1] == 1 and abs(mu[np.argmin(mu)] - ref["beyond"]["period1_unstable"]["multipliers"][0][0]) < 1e-6
            assert abs(two["g"][0] - one["g"][k]) < 1e-12 and abs(two["period"][0] - 2 * one["period"][k]) < 1e-9, \
                "the doubled branch starts at the PD point with twice its period"
            u2 = special(two, "UZ")[0]
            assert abs(two["period"][u2] / p2["period"] - 1) < 1e-8, f"T2 {two['period'][u2]} vs scipy {p2['period']}"
            assert two["unstable"][u2] == 0
            mine = np.sort(two["eig_re"][u2])[::-1]
            want = np.sort([m[0] for m in p2["multipliers"]])[::-1]
            assert np.max(np.abs(mine - want)) < 1e-6, f"multipliers {mine} vs scipy {want}"
            found[ranks] = (one["g"][k], two["period"][u2])
    assert abs(found[1][0] - found[2][0]) < 1e-9 and abs(found[1][1] - found[2][1]) < 1e-9
    # the Poincare map of a simulation at g = 0.89 (from the period-1 orbit's neighbourhood)
    data, _, _ = simulate(base + ["-params_g", g_beyond, "-init_x", 0.1, "-ts_max_time", 450, "-sample_dt", 0.005,
                                  "-ts_rtol", 1e-10, "-ts_atol", 1e-12])
    t, x = data["t"], data["x"]
    x0 = x[:, 0]
    idx = np.nonzero((x0[:-1] < 0) & (x0[1:] >= 0) & (t[:-1] > 300))[0]
    s = -x0[idx] / (x0[idx + 1] - x0[idx])
    times = t[idx] + s * (t[idx + 1] - t[idx])
    points = x[idx] + s[:, None] * (x[idx + 1] - x[idx])
    assert len(points) > 10
    crossings = np.array(p2["crossings"])
    dist = np.array([np.min(np.linalg.norm(crossings - p, axis=1)) for p in points])
    assert np.max(dist) < 1e-4, f"the simulation's Poincare points are not scipy's period-2 crossings: {np.max(dist)}"
    which = [np.argmin(np.linalg.norm(crossings - p, axis=1)) for p in points]
    assert all(a != b for a, b in zip(which, which[1:])), "the Poincare map does not alternate: not a period-2 orbit"
    assert np.max(np.abs(np.diff(times[::2]) / p2["period"] - 1)) < 1e-6
