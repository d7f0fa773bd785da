"""node_network (issue 5): MPR nodes coupled through a connectome W, G sum_j W_ij r_j entering
the v equation, against independent scipy/numpy computations:
- two nodes with an asymmetric W from HDF5 (CSR) against scipy's solve_ivp (relative 1e-8),
  at 1 and 2 ranks (one node per rank), the two runs agreeing to 1e-10;
- the equilibrium of 30 nodes with a heterogeneous W (dense HDF5) against a scipy root (1e-8);
- a generated random connectome with spread weights: 1 and 2 ranks agree (1e-10), izh_mf nodes;
- 10^5 identical MPR nodes on a random connectome with row sums 1, 2 ranks: each node follows
  one MPR node with J + coupling (solve_ivp, relative 1e-7);
- continuation in G of a random network with row sums 1: its folds are those of one MPR node
  with J + G (analytic, 1e-8), the stored eigenvalues against numpy's of the full Jacobian;
- cycles of 10 nodes with synapses continued from the Hopf point by collocation: period at the
  Hopf point against numpy's 2 pi / omega, the last orbit against scipy shooting (1e-8), 1 and 2
  ranks;
- conduction delays (per connection, from HDF5) against a method-of-steps solution with
  solve_ivp: error below 1e-7 at dt = 0.01 and second order in dt, 1 and 2 ranks identical;
- bad input: a connectome of the wrong shape, an unknown node type, a network as node type,
  an unknown coupled variable, delays with an adaptive step or off the step grid, delays in
  continuation."""
import os

import h5py
import mpr_theory
import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.optimize import root

import ndtest
from ndtest import run_ok, simulate, workdir

ETA, J, DELTA = -5.0, 10.0, 1.0
MPR = ["-sys_type", "node_network", "-node_type", "mpr", "-params_eta", ETA, "-params_J", J, "-params_Delta", DELTA]


def write_csr(path, W, name="W"):
    W = sp.csr_matrix(W)
    with h5py.File(path, "a") as f:
        g = f.create_group(name)
        g["indptr"], g["indices"], g["data"] = W.indptr, W.indices, W.data
        g.attrs["shape"] = np.array(W.shape)


def network_rhs(W, G, eta=ETA, Jn=J, Delta=DELTA):
    """tau = 1: dr/dt = Delta/pi + 2 r v, dv/dt = v^2 + eta + J r - pi^2 r^2 + G (W r)"""
    def f(t, y):
        r, v = y[0::2], y[1::2]
        out = np.empty_like(y)
        out[0::2] = Delta / np.pi + 2 * r * v
        out[1::2] = v * v + eta + Jn * r - np.pi**2 * r * r + G * (W @ r)
        return out
    return f


def network_jacobian(W, G, y, Jn=J):
    n = W.shape[0]
    r, v = y[0::2], y[1::2]
    A = np.zeros((2 * n, 2 * n))
    for i in range(n):
        A[2 * i:2 * i + 2, 2 * i:2 * i + 2] = mpr_theory.jacobian(r[i], v[i], Jn)
    A[1::2, 0::2] += G * np.asarray(W.todense() if sp.issparse(W) else W)
    return A


def test_two_nodes_against_solve_ivp():
    W = np.array([[0.2, 1.0], [0.5, 0.0]])
    G = 3.0
    path = os.path.join(workdir(), "w2.h5")
    write_csr(path, W)
    args = MPR + ["-node_connectome_file", path + ":/W", "-params_coupling", G, "-init_r", 0.1, "-init_v", -2,
                  "-ts_max_time", 20, "-sample_dt", 0.5, "-ts_rtol", 1e-11, "-ts_atol", 1e-11]
    y0 = np.array([0.1, -2.0, 0.1, -2.0])
    ref = None
    runs = {}
    for ranks in (1, 2):
        data, _, _ = simulate(args, ranks)
        t = data["t"]
        if ref is None:
            sol = solve_ivp(network_rhs(W, G), (0, t[-1]), y0, method="DOP853", t_eval=t, rtol=1e-12, atol=1e-12)
            ref = sol.y
        assert data["r"].shape == (len(t), 2)
        for k, name in ((0, "r"), (1, "v")):
            err = np.max(np.abs(data[name] - ref[k::2].T) / (1e-3 + np.abs(ref[k::2].T)))
            assert err < 1e-8, f"{name} at {ranks} rank(s): relative error {err} against solve_ivp"
        runs[ranks] = np.concatenate([data["r"].ravel(), data["v"].ravel()])
    assert np.max(np.abs(runs[1] - runs[2])) < 1e-10, "1 and 2 ranks disagree"
    # the asymmetric W makes the nodes differ: the test would not see a wrong column index otherwise
    assert abs(ref[0, -1] - ref[2, -1]) > 1e-3


def test_equilibrium_of_a_heterogeneous_network():
    rng = np.random.default_rng(5)
    n, G = 30, 2.0
    W = (rng.random((n, n)) < 0.2) * rng.uniform(0.0, 1.0, (n, n)) / 3
    np.fill_diagonal(W, 0.0)
    path = os.path.join(workdir(), "w30.h5")
    with h5py.File(path, "w") as f:
        f["W"] = W  # dense, read without its zeros
    f = network_rhs(W, G)
    single = mpr_theory.fixed_points(ETA, J, DELTA)[0]  # the low-rate node of one uncoupled MPR
    y0 = np.tile(single, n)
    sol = root(lambda y: f(0, y), y0, tol=1e-14)
    assert sol.success and np.max(np.abs(f(0, sol.x))) < 1e-12
    assert np.all(np.linalg.eigvals(network_jacobian(W, G, sol.x)).real < 0), "the reference must be stable"
    assert np.ptp(sol.x[0::2]) > 1e-3, "the nodes' rates must differ"
    for ranks in (1, 2):
        data, _, _ = simulate(MPR + ["-node_connectome_file", path + ":/W", "-params_coupling", G, "-init_r", single[0],
                                     "-init_v", single[1], "-ts_max_time", 200, "-sample_dt", 200], ranks)
        r, v = data["r"][-1], data["v"][-1]
        assert np.max(np.abs(r - sol.x[0::2])) < 1e-8 and np.max(np.abs(v - sol.x[1::2])) < 1e-8, \
            f"{ranks} rank(s): equilibrium differs from scipy's root by {np.max(np.abs(r - sol.x[0::2]))}"


def test_generated_connectome_one_and_two_ranks_agree():
    args = ["-sys_type", "node_network", "-node_type", "izh_mf", "-node_N", 300, "-node_K", 12, "-node_weight_spread",
            0.8, "-params_coupling", 0.5, "-ts_max_time", 30, "-sample_dt", 1]
    runs = {}
    for ranks in (1, 2):
        data, _, _ = simulate(args, ranks)
        runs[ranks] = data
    for name in ("r", "v", "w", "s"):
        assert runs[1][name].shape == (31, 300)
        assert np.max(np.abs(runs[1][name] - runs[2][name])) < 1e-10, f"{name}: 1 and 2 ranks disagree"
    assert np.ptp(runs[1]["r"][-1]) > 1e-4, "spread weights must make the nodes differ"


def dde_reference(W, D, G, y0, t_eval):
    """Method of steps: segments as long as the shortest delay, each integrated by solve_ivp with
    the dense output of the earlier segments as the history (constant y0 before t = 0)."""
    n = W.shape[0]
    edges = [(i, j, W[i, j], D[i, j]) for i in range(n) for j in range(n) if W[i, j] != 0]
    seg_len, segs = min(e[3] for e in edges), []

    def r_at(j, t):
        if t <= 0:
            return y0[2 * j]
        for a, b, sol in segs:
            if a - 1e-9 <= t <= b + 1e-9:
                return sol.sol(t)[2 * j]
        raise ValueError(f"no history at t = {t}")

    def f(t, y):
        c = np.zeros(n)
        for i, j, w, d in edges:
            c[i] += w * r_at(j, t - d)
        r, v = y[0::2], y[1::2]
        out = np.empty_like(y)
        out[0::2] = DELTA / np.pi + 2 * r * v
        out[1::2] = v * v + ETA + J * r - np.pi**2 * r * r + G * c
        return out

    t, y = 0.0, np.array(y0, float)
    while t < t_eval[-1] - 1e-12:
        b = min(t + seg_len, t_eval[-1])
        sol = solve_ivp(f, (t, b), y, method="DOP853", rtol=1e-11, atol=1e-11, dense_output=True, first_step=1e-4)
        segs.append((t, b, sol))
        t, y = b, sol.y[:, -1]
    return np.array([[r_at(j, s) for j in range(n)] for s in t_eval])


def test_conduction_delays_against_the_method_of_steps():
    W, D, G = np.array([[0.2, 1.0], [0.5, 0.0]]), np.array([[0.4, 0.3], [0.7, 0.0]]), 3.0
    path = os.path.join(workdir(), "wd.h5")
    write_csr(path, W, "W")
    write_csr(path, D, "D")
    base = MPR + ["-node_connectome_file", path + ":/W", "-node_delay_file", path + ":/D", "-params_coupling", G,
                  "-init_r", 0.1, "-init_v", -2, "-ts_max_time", 20, "-sample_dt", 0.5, "-ts_type", "rk", "-ts_rk_type",
                  4, "-ts_adapt_type", "none"]
    ref, err, runs = None, {}, {}
    for dt, ranks in ((0.01, 1), (0.01, 2), (0.005, 1)):
        data, _, _ = simulate(base + ["-ts_dt", dt], ranks)
        if ref is None:
            ref = dde_reference(W, D, G, [0.1, -2.0, 0.1, -2.0], data["t"])
        err[dt] = np.max(np.abs(data["r"] - ref))
        runs[(dt, ranks)] = data["r"]
    assert err[0.01] < 1e-7, f"delayed network differs from the method of steps by {err[0.01]}"
    assert 3 < err[0.01] / err[0.005] < 5, f"not second order in dt: errors {err}"
    assert np.max(np.abs(runs[(0.01, 1)] - runs[(0.01, 2)])) < 1e-12, "1 and 2 ranks disagree"
    undelayed, _, _ = simulate([a for a in base if a not in ("-node_delay_file", path + ":/D")] + ["-ts_dt", 0.01])
    assert np.max(np.abs(undelayed["r"] - ref)) > 1e3 * err[0.01], "the delays must matter in this test"


def test_uniform_conduction_delay_against_the_method_of_steps():
    """-node_delay 0.45: every edge of W delayed by the same time, against the method of steps
    with that delay on every edge (1e-7 at dt = 0.01, 2 ranks)."""
    W, G = np.array([[0.2, 1.0], [0.5, 0.0]]), 3.0
    path = os.path.join(workdir(), "w.h5")
    write_csr(path, W, "W")
    data, _, _ = simulate(MPR + ["-node_connectome_file", path + ":/W", "-node_delay", 0.45, "-params_coupling", G,
                                 "-init_r", 0.1, "-init_v", -2, "-ts_max_time", 10, "-sample_dt", 0.5, "-ts_type", "rk",
                                 "-ts_rk_type", 4, "-ts_adapt_type", "none", "-ts_dt", 0.01], 2)
    ref = dde_reference(W, np.where(W != 0, 0.45, 0.0), G, [0.1, -2.0, 0.1, -2.0], data["t"])
    err = np.max(np.abs(data["r"] - ref))
    assert err < 1e-7, f"uniformly delayed network differs from the method of steps by {err}"


def continue_run(args, ranks=1):
    out = os.path.join(workdir(), "branch.h5")
    run_ok(["continue"] + list(args) + ["-output", out, "-quiet"], ranks)
    return out


def special(f, label):
    pts = []
    for k in f["branch"]:
        g = f["branch"][k]
        for i, lab in enumerate(g["special"].attrs["labels"].split(",")):
            if lab == label:
                pts.append({name: g["special"][name][i] for name in g["special"]})
    return pts


def test_continuation_in_G_through_the_folds():
    """Row sums 1: the homogeneous state is one MPR node with J + G, whose folds in J at eta = -5
    are J(r) = 2 pi^2 r + Delta^2/(2 pi^2 r^3) where eta(r) = -pi^2 r^2 - 3 Delta^2/(4 pi^2 r^2) = eta."""
    u = np.roots([np.pi**2, ETA, 3 * DELTA**2 / (4 * np.pi**2)]).real  # u = r^2
    G_folds = sorted(2 * np.pi**2 * np.sqrt(x) + DELTA**2 / (2 * np.pi**2 * x**1.5) - J for x in u)
    n, K = 60, 6
    rng = np.random.default_rng(11)
    W = np.zeros((n, n))
    for i in range(n):
        W[i, rng.choice([j for j in range(n) if j != i], K, replace=False)] = 1.0 / K
    path = os.path.join(workdir(), "w60.h5")
    write_csr(path, W)
    args = MPR + ["-node_connectome_file", path + ":/W", "-init_r", 0.1, "-init_v", -2, "-cont_param", "coupling",
                  "-cont_min", 0, "-cont_max", 25, "-cont_ds", 0.1, "-cont_ds_max", 1, "-cont_direction", "forward"]
    found = {}
    for ranks in (1, 2):
        with h5py.File(continue_run(args, ranks)) as f:
            lps = sorted(p["coupling"] for p in special(f, "LP"))
            assert len(lps) == 2 and np.max(np.abs(np.array(lps) - G_folds)) < 1e-8, f"folds {lps} vs {G_folds}"
            found[ranks] = lps
            if ranks == 1:
                g = f["branch/0"]
                G, state, er, ei = g["coupling"][:], g["state"][:], g["eig_re"][:], g["eig_im"][:]
    assert np.max(np.abs(np.array(found[1]) - found[2])) < 1e-10
    # the rightmost eigenvalues stored along the branch against numpy's of the full Jacobian
    for k in range(0, len(G), max(1, len(G) // 6)):
        y = state[k].ravel()
        ev = np.linalg.eigvals(network_jacobian(W, G[k], y))
        ev = ev[np.argsort(-ev.real)][:len(er[k])]
        got = er[k] + 1j * ei[k]
        assert np.max(np.abs(np.sort(got.real) - np.sort(ev.real))) < 1e-8 * max(1, np.abs(ev).max()), \
            f"point {k} (G = {G[k]}): eigenvalues {got} vs numpy {ev}"


def simulate_error(args, phrase):
    """a case of ndtest.expect_errors: neurodyn simulate ARGS to t = 1, its own output file"""
    return ["simulate"] + list(args) + ["-ts_max_time", 1], phrase, os.path.join(workdir(), "x.h5")


def test_bad_input():
    d = workdir()
    rect = os.path.join(d, "rect.h5")
    write_csr(rect, np.ones((4, 5)))
    sq = os.path.join(d, "sq.h5")
    write_csr(sq, np.ones((4, 4)))
    with h5py.File(sq, "a") as f:  # row 0 gives column 1 twice: two delays for one connection
        g = f.create_group("D")
        g["indptr"], g["indices"], g["data"] = [0, 5, 9, 13, 17], [0, 1, 2, 3, 1] + [0, 1, 2, 3] * 3, [0.5] * 17
        g.attrs["shape"] = np.array([4, 4])
    nn = ["-sys_type", "node_network"]
    delayed = nn + ["-node_connectome", "ring", "-node_K", 2, "-node_N", 6, "-node_delay", 0.25]
    fixed = ["-ts_adapt_type", "none", "-ts_dt"]
    ndtest.expect_errors([
        simulate_error(nn + ["-node_connectome_file", rect + ":/W"], "is 4 x 5; it must be square"),
        simulate_error(nn + ["-node_connectome_file", rect + ":/X"], "has no object /X"),
        simulate_error(nn + ["-node_connectome_file", sq + ":/W", "-node_N", 7], "is 4 x 4 but -node_N is 7"),
        simulate_error(nn + ["-node_type", "mprr"], "-node_type: unknown node type 'mprr'"),
        simulate_error(nn + ["-node_type", "rate"], "a node must be a single-population model"),
        simulate_error(nn + ["-node_couple_from", "x"], "node type mpr has no variable 'x'"),
        simulate_error(nn + ["-node_connectome", "ring", "-node_K", 3], "-node_K must be even"),
        simulate_error(nn + ["-node_N", 10, "-node_K", 10],
                       "-node_K (inputs per node, default 10) must be in [1, N - 1] = [1, 9] (got 10)"),
        simulate_error(delayed, "needs a fixed time step: use -ts_adapt_type none"),
        simulate_error(delayed + fixed + [0.1, "-sample_dt", 0.5], "must be a positive multiple of the time step"),
        simulate_error(delayed + fixed + [0.05, "-sample_dt", 0.125], "-sample_dt (0.125) must be a multiple"),
        simulate_error(delayed + ["-node_delay_file", sq + ":/W"], "either -node_delay or -node_delay_file"),
        simulate_error(nn + ["-node_connectome_file", sq + ":/W", "-node_delay_file", sq + ":/D"] + fixed + [0.05],
                       f"-node_delay_file {sq}:/D gives a connection twice (a column repeated in a row)"),
        (["continue"] + delayed + ["-cont_param", "coupling", "-cont_min", 0, "-cont_max", 1], "conduction delays",
         os.path.join(d, "c.h5")),
    ])


def test_ten_to_the_fifth_nodes_on_two_ranks():
    """The issue's size: 10^5 MPR nodes on a random connectome (K = 20 inputs each, weights 1/K:
    row sums 1) on 2 ranks. Identical nodes started alike stay alike, each feeling coupling * r
    of its own state, so every node follows one MPR node with J + coupling: against scipy's
    solve_ivp of those two equations (relative 1e-7)."""
    G = 2.0
    args = MPR + ["-node_N", 100000, "-node_K", 20, "-node_connectome", "random", "-params_coupling", G,
                  "-init_r", 0.3, "-init_v", -1.0, "-ts_max_time", 5, "-sample_dt", 1]
    data, _, _ = simulate(args, 2)

    def f(t, y):
        r, v = y
        return [DELTA / np.pi + 2 * r * v, v * v + ETA + (J + G) * r - np.pi**2 * r * r]

    ref = solve_ivp(f, (0, 5), [0.3, -1.0], method="DOP853", rtol=1e-12, atol=1e-12, t_eval=np.arange(6.0)).y
    assert data["r"].shape == (6, 100000)
    for name, k in (("r", 0), ("v", 1)):
        err = np.max(np.abs(data[name] - ref[k][:, None])) / np.max(np.abs(ref[k]))
        assert err < 1e-7, f"{name}: the 10^5 nodes differ from one MPR node with J + G by {err:.1e}"


def test_two_hopf_points_within_one_step_are_both_labelled():
    """Two MPR nodes with synapses (tau_s = 0.5, J = -10) coupled weakly through W = [[0, 1], [1, 0]]
    (G = 0.01): the symmetric equilibrium loses stability twice, in the in-phase mode (Jacobian
    A + G e_v e_r^T of one node) and in the anti-phase one (A - G e_v e_r^T), 0.015 apart in eta,
    within one step of the default -cont_ds_max; the second was not labelled. Both HB against
    brentq on numpy's eigenvalues (1e-8) with their frequencies (1e-7), at 1 and 2 ranks"""
    from scipy.optimize import brentq
    G, Jn, tau_s = 0.01, -10.0, 0.5
    path = os.path.join(workdir(), "W2.h5")
    with h5py.File(path, "w") as f:
        f["W"] = np.array([[0.0, 1.0], [1.0, 0.0]])

    def node(eta):  # the symmetric equilibrium: one node with the input G r of its partner (v = -1/(2 pi r),
        # and the v equation, decreasing in r for J + G < 0, has one root)
        r = brentq(lambda r: 1 / (4 * np.pi**2 * r * r) + eta + (Jn + G) * r - np.pi**2 * r * r, 1e-4, 10, xtol=1e-15)
        v = -1 / (2 * np.pi * r)
        return np.array([[2 * v, 2 * r, 0], [-2 * np.pi**2 * r, 2 * v, Jn], [1 / tau_s, 0, -1 / tau_s]])

    def critical(eta, sign):
        A = node(eta)
        A[1, 0] += sign * G
        ev = np.linalg.eigvals(A)
        return ev[np.argmax(ev.real)]

    ref = sorted((brentq(lambda e: critical(e, s).real, 7.0, 9.0, xtol=1e-14), s) for s in (1, -1))
    ref = [(eta, abs(critical(eta, s).imag)) for eta, s in ref]
    assert 0 < ref[1][0] - ref[0][0] < 0.05
    args = ["-sys_type", "node_network", "-node_N", 2, "-node_connectome", "file", "-node_connectome_file", path + ":/W",
            "-params_tau_s", tau_s, "-params_J", Jn, "-params_coupling", G, "-params_eta", 7, "-init_r", 0.3, "-init_v", -0.5,
            "-init_s", 0.3, "-cont_param", "eta", "-cont_min", 6, "-cont_max", 9, "-cont_direction", "forward"]
    for ranks in (1, 2):
        with h5py.File(continue_run(args, ranks)) as f:
            hb = sorted(special(f, "HB"), key=lambda p: p["eta"])
            unstable = f["branch/0/unstable"][()]
        assert len(hb) == 2, f"{ranks} rank(s): {len(hb)} Hopf points, expected 2 at {ref}"
        for p, (eta, omega) in zip(hb, ref):
            assert abs(p["eta"] - eta) < 1e-8 and abs(p["omega"] - omega) < 1e-7, f"HB {p['eta']}, {p['omega']} vs {eta}, {omega}"
        assert unstable[-1] == 4


def test_cycles_of_a_network_against_scipy_shooting():
    """Cycles of a network (issue 18 item 9, at a size for make test): 10 MPR nodes with synapses
    (tau_s = 0.5, J = -10) on a random connectome from HDF5 (3 inputs each, weights uniform in
    [0.5, 1.5] / 3), coupling -1, continued in eta from the first Hopf point by collocation
    (NTST = 20) at 1 and 2 ranks. The period at the Hopf point is numpy's 2 pi / omega of the full
    Jacobian at the stored equilibrium (1e-10); the last orbit (at the bound eta = 7.7) is refined
    by scipy's DOP853 shooting with the variational equations (cycle_reference.periodic_orbit)
    from the stored u(0) and period: periods agree to 1e-8, u(0) to 1e-7, and the number of
    unstable multipliers agrees; 1 and 2 ranks agree to 1e-10."""
    import cycle_reference as cr
    N, K, G = 10, 3, -1.0
    rng = np.random.default_rng(5)
    W = np.zeros((N, N))
    for i in range(N):
        W[i, rng.choice([j for j in range(N) if j != i], K, replace=False)] = rng.uniform(0.5, 1.5, K) / K
    path = os.path.join(workdir(), "W.h5")
    write_csr(path, W)
    node = cr.mpr(tau_s=0.5, J=-10.0)

    def network(eta):
        p = dict(node.params, eta=eta)

        def rhs(x, _p):
            X = x.reshape(N, 3)
            F = np.array([node._rhs(X[i], p) for i in range(N)])
            F[:, 1] += G * W @ X[:, 0]
            return F.ravel()

        def jac(x, _p):
            X = x.reshape(N, 3)
            A = np.zeros((3 * N, 3 * N))
            for i in range(N):
                A[3 * i:3 * i + 3, 3 * i:3 * i + 3] = node._jac(X[i], p)
            A[1::3, 0::3] += G * W
            return A

        return cr.System("network", [f"{v}{i}" for i in range(N) for v in "rvs"], p, rhs, jac, "r0")

    args = ["-sys_type", "node_network", "-node_N", N, "-node_connectome_file", path + ":/W", "-params_tau_s", 0.5,
            "-params_J", -10, "-params_coupling", G, "-params_eta", 7.5, "-init_r", 0.3, "-init_v", -0.5, "-init_s",
            0.3, "-cont_param", "eta", "-cont_min", 5, "-cont_max", 7.7, "-cont_type", "cycle", "-cont_ntst", 20,
            "-cont_direction", "forward"]
    runs = {}
    for ranks in (1, 2):
        with h5py.File(continue_run(args, ranks)) as f:
            b = f["branch/0"]
            runs[ranks] = eta, T, X, unstable = b["eta"][:], b["period"][:], b["state"][:], b["unstable"][:]
    assert abs(eta[-1] - 7.7) < 1e-12 and len(eta) >= 3, f"the branch ended at eta = {eta[-1]} ({len(eta)} orbits)"
    ev = np.linalg.eigvals(network(eta[0]).jac(X[0].ravel()))
    crit = ev[np.argmin(np.abs(ev.real))]
    assert abs(crit.real) < 1e-8 and abs(T[0] - 2 * np.pi / abs(crit.imag)) < 1e-10, \
        f"Hopf point: period {T[0]} vs numpy 2 pi / omega {2 * np.pi / abs(crit.imag)} (Re {crit.real:.1e})"
    ref = cr.periodic_orbit(network(eta[-1]), X[-1].ravel(), T[-1])
    assert abs(ref["period"] - T[-1]) < 1e-8, f"eta = 7.7: period {T[-1]} vs scipy shooting {ref['period']}"
    assert np.max(np.abs(ref["x0"] - X[-1].ravel())) < 1e-7, "u(0) differs from scipy's orbit"
    assert unstable[-1] == ref["unstable"], f"unstable multipliers {unstable[-1]} vs scipy {ref['unstable']}"
    for k in range(3):
        assert np.max(np.abs(runs[1][k] - runs[2][k])) < 1e-10, "1 and 2 ranks disagree"
