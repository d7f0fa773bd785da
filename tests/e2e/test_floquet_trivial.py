"""The trivial Floquet multiplier is the one whose eigenvector is the flow, not merely the one
nearest 1: two copies of the three-unit rate network of inputs/rate3_period_doubling.yaml
(dx/dt = -x + g J tanh(x), J = diag(J0, J0) plus a weak symmetric coupling eps between unit 0 of
one copy and unit 0 of the other) oscillate in phase at g = 0.85. Their relative phase is almost
neutral: a multiplier 1 - 6.6e-4 (scipy shooting with the variational equations, below). On a
coarse mesh (-cont_ntst 10) the trivial multiplier's discretisation error (8e-4) exceeds that
distance, and the relative-phase multiplier comes out nearer 1 than the trivial one; taking it
for the trivial one counted the trivial multiplier as unstable and labelled spurious BP points.
Checked at 1 and 2 ranks against scipy: no label but EP, no unstable multiplier, the
multipliers to the mesh's accuracy, and the tolerance of the count (10 times the trivial
multiplier's error) keeps the relative-phase multiplier inside."""
import os

import h5py
import numpy as np

import cycle_reference as cr
from ndtest import INPUTS, run_ok, workdir

G, EPS = 0.85, 1e-4


def coupled_J():
    with h5py.File(os.path.join(INPUTS, "rate3_hopfield_J.h5")) as f:
        J0 = f["J"][()]
    J = np.zeros((6, 6))
    J[:3, :3] = J0
    J[3:, 3:] = J0
    J[0, 3] = J[3, 0] = EPS
    return J


def scipy_orbit(J, x0, T):
    def rhs(x, p):
        return -x + p["g"] * (J @ np.tanh(x))

    def jac(x, p):
        return -np.eye(6) + p["g"] * J * (1.0 / np.cosh(x) ** 2)[None, :]

    sys = cr.System("rate6", [f"x{i}" for i in range(6)], dict(g=G), rhs, jac, "x0")
    return cr.periodic_orbit(sys, x0, T)


def test_trivial_multiplier_is_the_flow_direction_on_a_coarse_mesh():
    J = coupled_J()
    jfile = os.path.join(workdir(), "J6.h5")
    with h5py.File(jfile, "w") as f:
        f["J"] = J
    base = ["-sys_type", "rate", "-rate_J_file", jfile + ":/J", "-params_g", G, "-init_x", 0.1]
    orbit = os.path.join(workdir(), "orbit.h5")
    run_ok(["simulate"] + base + ["-ts_max_time", 400, "-sample_dt", 0.01, "-output", orbit, "-quiet"])
    # the reference: the orbit through the recorded end state, refined by shooting
    with h5py.File(orbit) as f:
        x = f["timeseries/x"][()] if "timeseries/x" in f else None
        t = f["timeseries/t"][()]
    assert x is not None, "the simulate run recorded no /timeseries/x"
    up = np.nonzero((x[:-1, 0] < 0) & (x[1:, 0] >= 0))[0]
    ref = scipy_orbit(J, x[up[-1]], t[up[-1]] - t[up[-2]])
    mu = ref["multipliers"]
    phase = mu[np.argsort(np.abs(mu - 1))[1]]  # the relative phase: the second nearest 1
    assert ref["trivial_error"] < 1e-8 and ref["unstable"] == 0
    assert abs(phase.imag) < 1e-12 and 5e-4 < 1 - phase.real < 8e-4, f"scipy's relative-phase multiplier {phase}"
    fine = None
    for ntst, tol in ((10, 2e-3), (50, 2e-5)):
        rows = {}
        for ranks in (1, 2):
            out = os.path.join(workdir(), f"cycles{ntst}_{ranks}.h5")
            run_ok(["continue"] + base + ["-cont_type", "cycle", "-cont_start", orbit, "-cont_param", "g", "-cont_min",
                                          0.84, "-cont_max", 0.87, "-cont_ntst", ntst, "-output", out, "-quiet"], ranks)
            with h5py.File(out) as f:
                assert f.attrs["complete"] == 1
                for g in f["branch"].values():
                    labels = g["special"].attrs["labels"].split(",")
                    assert set(labels) == {"EP"}, f"NTST {ntst}, {ranks} rank(s): labels {labels} (only EP expected)"
                    assert not g["unstable"][()].any(), f"NTST {ntst}: unstable multipliers counted {g['unstable'][()]}"
                b = f["branch/0"]
                assert abs(b["g"][0] - G) < 1e-12
                m = b["eig_re"][0] + 1j * b["eig_im"][0]
                rows[ranks] = (m, b["trivial_multiplier_error"][0])
        m, trivial_error = rows[1]
        assert np.max(np.abs(rows[2][0] - m)) < 1e-9, "1 and 2 ranks disagree"
        m = m[np.argsort(-np.abs(m))]
        assert np.max(np.abs(m - mu)) < tol, f"NTST {ntst}: multipliers {m} vs scipy {mu}"
        if ntst == 10:
            # the case this test is about: the relative-phase multiplier nearer 1 than the trivial one
            near = np.sort(np.abs(m - 1))
            assert near[0] < trivial_error and abs(near[1] - trivial_error) < 1e-12, \
                f"NTST 10 no longer shows the case: |mu - 1| {near[:2]}, trivial error {trivial_error}"
            assert trivial_error > 1e-4
        else:
            fine = trivial_error
    assert fine < 1e-5


def test_a_failed_location_ends_the_branch_not_the_run():
    """Uncoupled copies (eps = 0): every relative phase gives an orbit, so the in-phase orbits are
    not isolated and Newton, on a singular system, fails to locate the lower bound g = 0.84 (as
    built on Debian bookworm's PETSc; the failure is a property of the degenerate problem, its
    exact place of rounding). That ended the whole run with an error before; now that branch
    ends at its last point, end_reason locate_failed, with one line saying where and why, no
    label or row beyond it, and the other branch and the file complete"""
    J = coupled_J()
    J[0, 3] = J[3, 0] = 0.0
    jfile = os.path.join(workdir(), "J6.h5")
    with h5py.File(jfile, "w") as f:
        f["J"] = J
    base = ["-sys_type", "rate", "-rate_J_file", jfile + ":/J", "-params_g", G, "-init_x", 0.1]
    orbit = os.path.join(workdir(), "orbit.h5")
    run_ok(["simulate"] + base + ["-ts_max_time", 400, "-output", orbit, "-quiet"])
    out = os.path.join(workdir(), "cycles.h5")
    p = run_ok(["continue"] + base + ["-cont_type", "cycle", "-cont_start", orbit, "-cont_param", "g", "-cont_min", 0.84,
                                      "-cont_max", 0.87, "-output", out])
    with h5py.File(out) as f:
        assert f.attrs["complete"] == 1
        fwd, bwd = f["branch/0"], f["branch/1"]
        assert fwd.attrs["end_reason"] == "bound" and abs(fwd["g"][-1] - 0.87) < 1e-12
        assert bwd.attrs["end_reason"] == "locate_failed", bwd.attrs["end_reason"]
        labels, rows = bwd["special"].attrs["labels"].split(","), bwd["special/row"][()]
        assert labels == ["EP", "EP"] and rows[-1] == len(bwd["g"]) - 1, (labels, rows, len(bwd["g"]))
        assert 0.84 < bwd["g"][-1] < G
    assert "ended at its last point: Newton failed while locating a special point near g = 0.8" in p.stdout, p.stdout[-800:]
