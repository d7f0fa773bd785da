"""neurodyn binary against an independent brute-force numpy implementation (binary_reference.py,
docs/models/binary.md): stationary states, their boxes and the bifurcation points (1e-12), every cycle in
stimulus space (the map at one point of every cell of the grid of all 2^N N thresholds), the
stationary sets and cycles of the cells, stationary distributions (1e-10), covariances and third-order cumulants (1e-8), pattern
basins; at 1 and 2 ranks. A Monte Carlo run of the Glauber chain cross-checks the exact means."""
import os

import binary_reference as ref
import h5py
import ndio
import numpy as np
import ndtest
from ndtest import run_ok, workdir


def binary(args, ranks):
    out = os.path.join(workdir(), "bin.h5")
    run_ok(["binary"] + [str(a) for a in args] + ["-output", out, "-quiet"], ranks)
    return ndio.binary(out)


def check_bifurcations(net, res, all_cycles=False, sweep=None):
    """Where cycles were searched: their boxes, the cells' cycles and the regions; with
    all_cycles also that every cycle in the sweep box (sweep = (smin, smax), default all of
    stimulus space) was found, against the map in every cell of the full threshold grid."""
    J, theta, I, pop = net["J"], net["theta"], net["I"], net["population"].astype(int)
    states, lower, upper = ref.boxes(J, theta, I, pop)
    assert np.array_equal(res["stationary_states"], states), "stationary states differ"
    for got, want in ((res["stationary_lower"], lower), (res["stationary_upper"], upper)):
        assert np.array_equal(np.isinf(got), np.isinf(want))
        fin = np.isfinite(want)
        assert np.max(np.abs(got[fin] - want[fin]), initial=0) < 1e-12
    P = lower.shape[1]
    offs, cstates = res.get("cycle_offsets"), res.get("cycle_states")
    cycles_in_cells = bool(res["cycles_searched"])
    assert cycles_in_cells or not all_cycles
    if cycles_in_cells:
        found = [tuple(cstates[offs[k]:offs[k + 1]].tolist()) for k in range(len(offs) - 1)]
        smin, smax = sweep or ([-np.inf] * P, [np.inf] * P)
        if all_cycles:
            assert set(found) == ref.all_cycles(J, theta, I, pop, smin, smax), "the cycles differ"
        for k, c in enumerate(found):  # each cycle's exact box of existence
            lo, hi = ref.cycle_box(J, theta, I, pop, c)
            assert np.array_equal(np.isinf(res["cycle_lower"][k]), np.isinf(lo))
            assert np.array_equal(np.isinf(res["cycle_upper"][k]), np.isinf(hi))
            f, g = np.isfinite(lo), np.isfinite(hi)
            assert np.max(np.abs(res["cycle_lower"][k][f] - lo[f]), initial=0) < 1e-12
            assert np.max(np.abs(res["cycle_upper"][k][g] - hi[g]), initial=0) < 1e-12
        lower = np.concatenate([lower, res["cycle_lower"].reshape(-1, P)])
        upper = np.concatenate([upper, res["cycle_upper"].reshape(-1, P)])
    edges = [res[f"edges_{d}"] for d in range(P)]
    for d in range(P):  # bifurcation points: every finite box edge inside the sweep box
        pts = np.unique(np.concatenate([lower[:, d], upper[:, d]]))
        pts = pts[np.isfinite(pts) & (pts > edges[d][0]) & (pts < edges[d][-1])]
        pts = pts[np.concatenate([[True], np.diff(pts) > 1e-12])]  # equal up to rounding: one point
        assert len(pts) == len(edges[d]) - 2 and np.max(np.abs(pts - edges[d][1:-1]), initial=0) < 1e-12
    shape = [len(e) - 1 for e in edges]
    members = res["region_stationary"][res["cell_region"]]
    pairs = res.get("cell_cycles", np.zeros((0, 2), int))
    rng = np.random.default_rng(0)
    cells = range(np.prod(shape)) if np.prod(shape) <= 60 else rng.choice(np.prod(shape), 60, replace=False)
    for c in cells:  # the cell's stationary set and cycles, from the map at its midpoint
        idx = np.unravel_index(c, shape)
        mid = np.array([0.5 * (edges[d][idx[d]] + edges[d][idx[d] + 1]) for d in range(P)])
        F = ref.synchronous_map(J, theta, I + mid[pop])
        assert set(states[members[c] == 1].tolist()) == ref.fixed_points(F), f"cell {c}: stationary sets differ"
        assert res["cell_num_stationary"][c] == len(ref.fixed_points(F))
        if cycles_in_cells:
            mine = pairs[pairs[:, 0] == c, 1]
            got = {tuple(cstates[offs[k]:offs[k + 1]].tolist()) for k in mine}
            assert got == ref.cycles(F), f"cell {c}: cycles differ"
            assert set(np.nonzero(res["region_cycles"][res["cell_region"][c]])[0]) == set(mine.tolist())
            assert res["cell_num_cycles"][c] == len(mine)
    if cycles_in_cells:  # regions: the distinct pairs (stationary set, cycle set)
        sets = {(tuple(a), tuple(b)) for a, b in zip(res["region_stationary"], res["region_cycles"])}
        assert len(sets) == res["num_regions"] == len(res["region_stationary"])


def same_results(one, two):
    """the network and the results of a run at 1 rank (checked against the reference) equal those
    at 2 ranks"""
    for a, b in zip(one, two):
        assert set(a) == set(b)
        for k in a:
            assert np.array_equal(np.asarray(a[k]), np.asarray(b[k])) or k == "enumeration_seconds", k


def test_bifurcations_1d_random_networks():
    """N = 8, 10 (every cycle) and 12 (stationary states only) against the reference at 1 rank, the
    same results at 2 ranks; N = 10 in a given sweep box (2 ranks) against the reference"""
    for N, seed in ((8, 1), (10, 2), (12, 3)):
        args = ["-bin_analysis", "bifurcations", "-bin_N", N, "-bin_J_generate", "random", "-bin_J_std", 1,
                "-bin_seed", seed, "-bin_theta", 0.3, "-bin_cycles", "true" if N <= 10 else "false"]
        one = binary(args, 1)
        check_bifurcations(*one, all_cycles=N <= 10)
        same_results(one, binary(args, 2))
    # a given sweep box: the cycles that exist somewhere in it
    net, res = binary(["-bin_analysis", "bifurcations", "-bin_N", 10, "-bin_J_generate", "random", "-bin_J_std", 1,
                       "-bin_seed", 2, "-bin_theta", 0.3, "-bin_sweep_min", -1, "-bin_sweep_max", 0.5], 2)
    assert len(res["cycle_offsets"]) > 10, "cycles in the sweep box"
    check_bifurcations(net, res, all_cycles=True, sweep=([-1], [0.5]))


def test_bifurcations_2d_every_cycle_against_the_full_threshold_grid():
    """Cycles that live inside one cell of the stationary states' partition are found too: the
    reference evaluates the map in all (2^N N_E) x (2^N N_I) cells of the threshold grid."""
    args = ["-bin_analysis", "bifurcations", "-bin_N", 8, "-bin_population_sizes", "5,3", "-bin_J_generate", "ei",
            "-bin_J_mean", "1,-2,1.5,-1", "-bin_J_std", 0.5, "-bin_seed", 7, "-bin_theta", 1, "-bin_I", "0.1,-0.2"]
    one = binary(args, 1)
    check_bifurcations(*one, all_cycles=True)
    assert one[1]["num_cycles"] > 20
    same_results(one, binary(args, 2))


def test_bifurcations_2d_ei_network_same_at_1_and_2_ranks():
    args = ["-bin_analysis", "bifurcations", "-bin_N", 10, "-bin_population_sizes", "6,4", "-bin_J_generate", "ei",
            "-bin_J_mean", "1,-2,1.5,-1", "-bin_J_std", 0.5, "-bin_seed", 7, "-bin_theta", 1, "-bin_I", "0.1,-0.2"]
    one = binary(args, 1)
    check_bifurcations(*one)  # every cycle against the full grid: the test above (N = 8)
    assert one[1]["num_cycles"] > 0, "expected oscillations in this E/I network"
    same_results(one, binary(args, 2))


def test_stationary_asynchronous_glauber():
    args = ["-bin_analysis", "stationary", "-bin_N", 8, "-bin_J_generate", "random", "-bin_J_std", 1.5, "-bin_seed", 4,
            "-bin_I", 0.2, "-bin_theta", 0.5, "-bin_noise", "logistic", "-bin_temperature", 0.4, "-bin_update",
            "asynchronous", "-eps_ncv", 12]  # SLEPc's own options reach the eigensolver
    for ranks in (1, 2):
        net, res = binary(args, ranks)
        check_stationary(net, res, "logistic", 0.4, "asynchronous")
    # docs/models/binary.md: each neuron its own noise (here a temperature per neuron)
    T = np.array([0.3, 0.4, 0.5, 0.6, 0.35, 0.45, 0.55, 0.65])
    net, res = binary(args[:-6] + ["-bin_temperature", ",".join(map(str, T))] + args[-4:], 2)
    assert np.array_equal(net["noise_scale"], T)
    check_stationary(net, res, "logistic", T, "asynchronous")


def test_stationary_synchronous_gaussian():
    args = ["-bin_analysis", "stationary", "-bin_N", 7, "-bin_population_sizes", "4,3", "-bin_J_generate", "ei",
            "-bin_J_mean", "1,-1.5,1,-1", "-bin_seed", 5, "-bin_I", "0.3,-0.1", "-bin_noise", "gaussian", "-bin_sigma", 0.7]
    for ranks in (1, 2):
        net, res = binary(args, ranks)
        check_stationary(net, res, "gaussian", 0.7, "synchronous")
    net, res = binary(args[:-1] + ["0.5,0.9"], 2)  # one sigma per population
    check_stationary(net, res, "gaussian", np.array([0.5] * 4 + [0.9] * 3), "synchronous")


def check_stationary(net, res, noise, scale, update):
    J, theta, I = net["J"], net["theta"], net["I"]
    pi = ref.stationary_distribution(ref.transition_matrix(J, theta, I, noise, scale, update))
    err = np.max(np.abs(res["distribution"] - pi))
    assert err < 1e-10, f"stationary distribution differs by {err:.2e}"
    m, cov, vmean, vvar = ref.moments(pi, J, I)
    var_noise = scale**2 if noise == "gaussian" else np.pi**2 * scale**2 / 3
    assert np.max(np.abs(res["mean_activity"] - m)) < 1e-8
    assert np.max(np.abs(res["covariance"] - cov)) < 1e-8
    d = np.sqrt(np.diag(cov))
    assert np.max(np.abs(res["correlation"] - cov / np.outer(d, d))) < 1e-8
    assert np.max(np.abs(res["mean_potential"] - vmean)) < 1e-8
    assert np.max(np.abs(res["potential_variance"] - (vvar + var_noise))) < 1e-8
    d3 = ref.activities(len(I)) - m  # third-order joint cumulants
    T = np.einsum("s,si,sj,sk->ijk", pi, d3, d3, d3)
    assert np.max(np.abs(res["third_order"].reshape(T.shape) - T)) < 1e-8
    dv = res["potential_grid"][1] - res["potential_grid"][0]
    assert np.max(np.abs(res["potential_density"].sum(axis=1) * dv - 1)) < 1e-3  # densities integrate to 1


def test_stationary_monte_carlo_cross_check():
    """A long Glauber simulation (numpy) gives the exact means within 5 standard errors."""
    net, res = binary(["-bin_analysis", "stationary", "-bin_N", 5, "-bin_J_generate", "random", "-bin_seed", 9,
                       "-bin_noise", "logistic", "-bin_temperature", 0.5, "-bin_update", "asynchronous"], 2)
    J, theta, I = net["J"], net["theta"], net["I"]
    rng = np.random.default_rng(1)
    steps, N = 200000, 5
    nu = np.zeros(N)
    picks, coins = rng.integers(0, N, steps), rng.random(steps)
    total = np.zeros(N)
    for k in range(steps):
        i = picks[k]
        nu[i] = coins[k] < ref.activation(J[i] @ nu + I[i] - theta[i], "logistic", 0.5)
        total += nu
    mc = total / steps
    exact = res["mean_activity"]
    se = np.sqrt(exact * (1 - exact) / steps * 200)  # generous autocorrelation allowance
    assert np.all(np.abs(mc - exact) < 5 * se + 1e-3), f"Monte Carlo {mc} vs exact {exact}"


def test_patterns_hopfield():
    pats = np.array([[1, 0, 1, 0, 1, 0, 1, 0, 1], [1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 1, 1, 0, 1]])
    args = ["-bin_analysis", "patterns", "-bin_N", 9, "-bin_J_generate", "hopfield", "-bin_patterns",
            ",".join(map(str, pats.ravel()))]
    for ranks in (1, 2):
        net, res = binary(args, ranks)
        J, theta, I = net["J"], net["theta"], net["I"]
        xi = 2 * pats - 1
        assert np.max(np.abs(J - (xi.T @ xi - 3 * np.eye(9)) / 9)) < 1e-15  # Hebb's rule
        F = ref.synchronous_map(J, theta, I)
        x = np.arange(len(F))
        for _ in range(len(F)):
            x = F[x]
        for p, pat in enumerate(pats):
            s = int(pat @ (1 << np.arange(9)))
            assert res["stationary"][p] == (F[s] == s)
            v = J @ pat + I - theta
            assert abs(res["margin"][p] - np.min(np.where(pat == 1, v, -v))) < 1e-12
            if F[s] == s:
                assert res["basin_fraction"][p] == np.mean(x == s)
                assert res["neighbours_returning"][p] == np.mean([x[s ^ (1 << i)] == s for i in range(9)])


def test_connectivity_inline_and_hdf5_file_agree():
    J = np.array([[0, 1.5, -2], [0.5, 0, 1], [-1, 2, 0]])
    path = os.path.join(workdir(), "J.h5")
    with h5py.File(path, "w") as f:
        f["J"] = J
    base = ["-bin_analysis", "bifurcations", "-bin_theta", 0.25]
    a = binary(base + ["-bin_J", ",".join(map(str, J.ravel()))], 1)
    b = binary(base + ["-bin_J_file", path + ":/J"], 2)
    assert np.array_equal(a[0]["J"], J) and np.array_equal(b[0]["J"], J)
    assert np.array_equal(a[1]["stationary_states"], b[1]["stationary_states"])
    check_bifurcations(*b, all_cycles=True)
    # the same J as a CSR group and as a PETSc binary matrix (any matrix file, as for the other commands)
    import scipy.sparse as sp
    W = sp.csr_matrix(J)
    with h5py.File(path, "a") as f:
        g = f.create_group("csr")
        g["indptr"], g["indices"], g["data"] = W.indptr, W.indices, W.data
        g.attrs["shape"] = W.shape
    petsc = os.path.join(workdir(), "J.petsc")
    ndtest.write_petsc_binary_csr(petsc, W)
    for spec in (path + ":/csr", petsc):
        c = binary(base + ["-bin_J_file", spec], 2)
        assert np.array_equal(c[0]["J"], J), spec


def test_bifurcations_with_exact_ties():
    """Integer couplings (inline, N = 7, entries -1, 0, 1) and integer thresholds: many states
    have Lambda of an active and an inactive neuron exactly equal, where the box condition
    max_on Lambda <= s < min_off Lambda is empty; such states are not stationary, and cycle boxes
    and cells follow the brute-force reference exactly (1-D at 1 and 2 ranks, 2-D at 2 ranks)."""
    rng = np.random.default_rng(22)
    J = rng.integers(-1, 2, size=(7, 7)).astype(float)
    np.fill_diagonal(J, 0)
    base = ["-bin_analysis", "bifurcations", "-bin_J", ",".join(str(int(x)) for x in J.ravel()), "-bin_theta", 1,
            "-bin_cycles", "true"]
    for extra in ([], ["-bin_population_sizes", "4,3", "-bin_I", "0,1"]):  # 16 and 59 ties
        for ranks in ((1, 2) if not extra else (2,)):
            net, res = binary(base + extra, ranks)
            assert np.array_equal(net["J"], J)
            check_bifurcations(net, res, all_cycles=True)
        pop, I = net["population"].astype(int), net["I"]
        nu = ref.activities(7)
        lam = net["theta"] - I - nu @ J.T
        ties = 0
        for a in range(int(pop.max()) + 1):
            m = pop == a
            on = np.where(nu[:, m] == 1, lam[:, m], -np.inf).max(axis=1)
            off = np.where(nu[:, m] == 0, lam[:, m], np.inf).min(axis=1)
            ties += np.sum(on == off)
        assert ties > 10, f"only {ties} exact ties: the test would not see <= for <"


def test_tiny_networks_and_empty_results_at_3_ranks():
    """More ranks than blocks of states, and no cycles at all (empty datasets): complete files."""
    net, res = binary(["-bin_analysis", "bifurcations", "-bin_J", "0,1,1,1,0,1,1,1,0"], 3)
    check_bifurcations(net, res, all_cycles=True)
    assert res["num_cycles"] == 0 and res["cycle_states"].shape == (0,)
    net, res = binary(["-bin_analysis", "stationary", "-bin_N", 1, "-bin_J", 0, "-bin_I", 0.3, "-bin_noise", "logistic",
                       "-bin_update", "asynchronous"], 3)
    p1 = 1 / (1 + np.exp(-0.3))  # one neuron: P(active) = logistic(I - theta)
    assert np.max(np.abs(res["distribution"] - [1 - p1, p1])) < 1e-12


def test_plot_binary_writes_pngs():
    import subprocess
    import sys

    from ndtest import ROOT
    d = workdir()
    for args in (["-bin_analysis", "bifurcations", "-bin_N", 6, "-bin_population_sizes", "3,3", "-bin_J_generate", "random"],
                 ["-bin_analysis", "stationary", "-bin_N", 5, "-bin_J_generate", "random", "-bin_noise", "gaussian"],
                 ["-bin_analysis", "patterns", "-bin_N", 6, "-bin_J_generate", "hopfield", "-bin_npatterns", 2]):
        out = os.path.join(d, args[1] + ".h5")
        run_ok(["binary"] + [str(a) for a in args] + ["-output", out, "-quiet"], 1)
        p = subprocess.run([sys.executable, os.path.join(ROOT, "postprocess", "plot_binary.py"), out], capture_output=True, text=True)
        assert p.returncode == 0 and os.path.getsize(out[:-3] + ".png") > 10000, p.stderr


def expect_error(args, phrase):
    ndtest.expect_error(["binary"] + list(args), phrase, 2, os.path.join(workdir(), "never.h5"))


def test_bad_binary_input():
    expect_error(["-bin_analysis", "bifurcations", "-bin_N", 3, "-bin_J", "1,2,3,4"], "J is not N x N: -bin_J has 4 values, N = 3")
    path = os.path.join(workdir(), "J.h5")
    with h5py.File(path, "w") as f:
        f["J"] = np.zeros((3, 4))
    expect_error(["-bin_analysis", "bifurcations", "-bin_J_file", path + ":/J"], "J is not N x N")
    expect_error(["-bin_analysis", "stationary", "-bin_N", 4, "-bin_J_generate", "random", "-bin_noise", "cauchy"],
                 "unknown noise 'cauchy' for -bin_noise (known: deterministic, logistic, gaussian)")
    expect_error(["-bin_analysis", "stationary", "-bin_N", 28, "-bin_J_generate", "random", "-bin_noise", "logistic",
                  "-bin_update", "asynchronous", "-bin_memory_limit", 4000], "needs 54 GB per rank (108 GB on 2 ranks)")
    expect_error(["-bin_N", 4, "-bin_J_generate", "random"], "no analysis: set -bin_analysis")
    expect_error(["-bin_analysis", "stationary", "-bin_N", 4, "-bin_J_generate", "random", "-bin_update", "async"],
                 "unknown value 'async' for -bin_update (choices: synchronous, asynchronous)")
    expect_error(["-bin_analysis", "bifurcations", "-bin_N", 4, "-bin_J_generate", "random", "-bin_noise", "logistic"],
                 "bifurcations analyses the deterministic network")
