"""Curves of bifurcations of cycles in two parameters.

Folds of cycles (continue -cont_type lpc) of izh_mf in (eta, Delta), all other parameters at
their defaults, against two independent computations:
- AUTO-07p's fold-of-cycles continuation (tests/e2e/data/izh_mf_lpc_auto.json, written by
  bench/izh_mf_lpc_auto_reference.py; NTST = 100, NCOL = 4 as here), and its one-parameter fold at
  Delta = 0.02 (tests/e2e/data/izh_mf_cycles_auto.json);
- scipy single shooting (tests/e2e/data/izh_mf_lpc_scipy.json, written by tests/e2e/lpc_reference.py):
  the fold of the orbits in eta at fixed Delta, by the sign change of the shooting Jacobian's
  determinant, with neither collocation nor the minimally augmented system;
and the generalised Hopf point where the curve meets the upper Hopf curve (AUTO). Period doublings
(-cont_type pd) of the 3-unit rate network of inputs/rate3_period_doubling.yaml in (g, I) against
scipy shooting (tests/e2e/pd_curve_reference.py). At 1 and 2 ranks."""
import json
import os

import h5py
from ndtest import INPUTS, expect_error, relerr, run_ok, workdir

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
INPUT = os.path.join(INPUTS, "rate3_period_doubling.yaml")
LPC = ["continue", "-sys_type", "izh_mf", "-cont_type", "lpc", "-cont_param", "eta", "-cont_min", 0, "-cont_max", 0.3,
       "-cont_param2", "Delta", "-quiet"]


def load(name):
    with open(os.path.join(DATA, name)) as fh:
        return json.load(fh)


def labelled(g, label):
    """rows of branch group g labelled label"""
    labels = g["special"].attrs["labels"].split(",")
    rows = g["special/row"][:].astype(int)
    return [r for r, lab in zip(rows, labels) if lab == label]


def run_curve(ranks, extra, name):
    out = os.path.join(workdir(), name)
    run_ok(LPC + extra + ["-output", out], ranks, timeout=300)
    return out


def test_upper_fold_of_cycles_against_auto_and_scipy():
    """From the upper LPC at Delta = 0.02 (eta = 0.19357079, AUTO to 1e-6), the curve in both
    directions: at Delta = 0.025, 0.03, 0.035 (user points) eta agrees with AUTO's curve and
    with scipy's fold at that Delta to 1e-6, the period to 1e-5 relative; towards larger Delta
    the folds shrink to the equilibrium and the curve ends (terminal) within 5e-4 in eta and
    Delta before the generalised Hopf point AUTO finds on the upper Hopf curve (measured 2.7e-4:
    the collocated folds of small orbits turn back onto constant orbits there); towards smaller Delta
    it reaches the bound 0.015 where AUTO's curve has eta = 0.19545070 (1e-6)."""
    auto, scipy = load("izh_mf_lpc_auto.json"), load("izh_mf_lpc_scipy.json")
    upper = next(c for c in auto["curves"] if c["from"].startswith("upper"))
    gh = next(g for g in auto["gh"] if "upper" in g["on"])
    start = max(load("izh_mf_cycles_auto.json")["cases"][0]["lpc"], key=lambda p: p["eta"])
    user = [0.025, 0.03, 0.035]
    out = run_curve(1, ["-cont_ntst", 100, "-cont_min2", 0.015, "-cont_max2", 0.045, "-cont_user_points", ",".join(map(str, user))],
                    "lpc1.h5")
    with h5py.File(out) as f:
        up, down = f["branch/0"], f["branch/1"]
        assert up.attrs["type"] == "lpc" and up.attrs["parameter"] == "Delta" and up.attrs["first_parameter"] == "eta"
        assert abs(up["Delta"][0] - 0.02) < 1e-12 and abs(up["eta"][0] - start["eta"]) < 1e-6, \
            f"start eta {up['eta'][0]} vs AUTO's LPC {start['eta']}"
        for delta in user:
            rows = [r for r in labelled(up, "UZ") if abs(up["Delta"][r] - delta) < 1e-12]
            assert len(rows) == 1, f"no user point at Delta = {delta}"
            r = rows[0]
            a = min(upper["user_points"], key=lambda p: abs(p["Delta"] - delta))
            s = next(p for p in scipy["folds"] if abs(p["Delta"] - delta) < 1e-12)
            for name, ref in (("AUTO", a), ("scipy", s)):
                assert abs(up["eta"][r] - ref["eta"]) < 1e-6, f"Delta {delta}: eta {up['eta'][r]} vs {name} {ref['eta']}"
                assert relerr(up["period"][r], ref["period"]) < 1e-5, \
                    f"Delta {delta}: period {up['period'][r]} vs {name} {ref['period']}"
        last = len(up["Delta"]) - 1
        assert up.attrs["end_reason"] == "terminal", up.attrs["end_reason"]
        assert labelled(up, "EP")[-1] == last
        assert 0 < gh["Delta"] - up["Delta"][last] < 5e-4 and abs(up["eta"][last] - gh["eta"]) < 5e-4, \
            f"the curve ends at Delta {up['Delta'][last]}, eta {up['eta'][last]}; AUTO's GH {gh['Delta']}, {gh['eta']}"
        a = min(upper["user_points"], key=lambda p: abs(p["Delta"] - 0.015))
        assert down.attrs["end_reason"] == "bound" and abs(down["Delta"][-1] - 0.015) < 1e-12
        assert abs(down["eta"][-1] - a["eta"]) < 1e-6, f"eta at Delta = 0.015: {down['eta'][-1]} vs AUTO {a['eta']}"


def test_two_ranks_agree_with_one():
    """The curve from Delta = 0.02 to 0.022 on a coarser mesh (NTST = 30) at 2 ranks: the same user
    point at Delta = 0.021 as at 1 rank to 1e-9 (eta) and 1e-8 (period, relative)"""
    extra = ["-cont_ntst", 30, "-cont_min2", 0.015, "-cont_max2", 0.022, "-cont_direction", "forward",
             "-cont_user_points", 0.021]
    got = []
    for ranks in (1, 2):
        with h5py.File(run_curve(ranks, extra, f"lpc_n{ranks}.h5")) as f:
            g = f["branch/0"]
            r = labelled(g, "UZ")[0]
            got.append((g["eta"][r], g["period"][r]))
    assert abs(got[0][0] - got[1][0]) < 1e-9 and relerr(got[0][1], got[1][1]) < 1e-8, got


def test_bad_input():
    """no second parameter; no fold of cycles within the bounds of the first (the branch from the
    upper Hopf point reaches eta = 0.1935 before its fold at 0.19357)"""
    expect_error(["continue", "-sys_type", "izh_mf", "-cont_type", "lpc", "-cont_param", "eta", "-cont_min", 0,
                  "-cont_max", 0.3], "-cont_param2")
    expect_error(["continue", "-sys_type", "izh_mf", "-cont_type", "lpc", "-cont_param", "eta", "-cont_min", 0.15,
                  "-cont_max", 0.1935, "-params_eta", 0.17, "-cont_param2", "Delta", "-cont_min2", 0.015,
                  "-cont_max2", 0.03, "-cont_ntst", 30], "no LPC point number 0", timeout=120)


def test_period_doubling_curve_against_scipy():
    """continue -cont_type pd: the curve of period doublings of the 3-unit rate network of
    inputs/rate3_period_doubling.yaml in (g, I), from the flip at I = 0 (g = 0.8821190108, scipy)
    started on the orbit of a simulation: at I = -0.02, 0.02, 0.04 (user points; 0.04 lies in the
    step that leaves the bound 0.05) g agrees with scipy shooting (tests/e2e/pd_curve_reference.py
    -> data/rate3_pd_curve_scipy.json) to 1e-8 and the period to 1e-7 relative (measured 3e-11);
    both directions end at their bounds; 1 and 2 ranks agree to 1e-9"""
    ref = load("rate3_pd_curve_scipy.json")["flips"]
    start = load("rate3_pd_reference.json")["pd"]
    orbit = os.path.join(workdir(), "orbit.h5")
    run_ok(["simulate", INPUT, "-ts_max_time", 400, "-output", orbit, "-quiet"], 1)
    got = {}
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"pd{ranks}.h5")
        run_ok(["continue", INPUT, "-cont_start", orbit, "-cont_type", "pd", "-cont_param2", "I", "-cont_min2", -0.03,
                "-cont_max2", 0.05, "-cont_user_points", ",".join(str(f["I"]) for f in ref), "-output", out, "-quiet"],
               ranks, timeout=300)
        with h5py.File(out) as f:
            up, down = f["branch/0"], f["branch/1"]
            assert up.attrs["type"] == "pd" and abs(up["g"][0] - start["g"]) < 1e-8, (up["g"][0], start["g"])
            assert up.attrs["end_reason"] == "bound" and down.attrs["end_reason"] == "bound"
            assert abs(up["I"][-1] - 0.05) < 1e-12 and abs(down["I"][-1] + 0.03) < 1e-12
            for flip in ref:
                rows = [r for g in (up, down) for r in labelled(g, "UZ") if abs(g["I"][r] - flip["I"]) < 1e-12]
                g = up if flip["I"] > 0 else down
                assert len(rows) == 1, f"{ranks} ranks: no user point at I = {flip['I']}"
                r = rows[0]
                assert abs(g["g"][r] - flip["g"]) < 1e-8, f"I = {flip['I']}: g {g['g'][r]} vs scipy {flip['g']}"
                assert relerr(g["period"][r], flip["period"]) < 1e-7, (g["period"][r], flip["period"])
                got.setdefault(flip["I"], []).append(g["g"][r])
    for I, (one, two) in got.items():
        assert abs(one - two) < 1e-9, f"I = {I}: 1 rank {one}, 2 ranks {two}"
