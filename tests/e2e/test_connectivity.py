"""The generated connectivity read back and checked in numpy: every synapse the simulation uses
(-net_write_synapses, /network/synapses) against the rules of docs/network.md. Exact properties
(degrees, no autapses, no repeated pairs, populations, weights from J, channels) are asserted
exactly; random properties (Bernoulli counts, degree distributions, weight and delay
distributions) by chi-square and Kolmogorov-Smirnov tests at the fixed seed, with p > 1e-3.
The same synapses at 1, 2 and 3 ranks."""
import os

import h5py
import numpy as np
from ndtest import run_ok, workdir
from scipy import stats

SIZES = {"E": 300, "I": 200, "G": 50}
START = {"E": 0, "I": 300, "G": 500}
DT = 0.1

# one projection per (source, target); each has weights in its own range, so a synapse's
# projection is known from its weight alone and its populations can be checked
PROJ = {
    ("E", "E"): dict(rule="fixed_indegree", K=40, multapses="false", weight=1.0, weight_dist="gaussian",
                     weight_spread=0.1, delay=1.5, delay_dist="uniform", delay_spread=1.0),
    ("E", "I"): dict(rule="fixed_outdegree", K=30, J=6.0, delay=0.3),  # multapses allowed (default)
    ("I", "E"): dict(rule="bernoulli", p=0.1, weight=-2.5, weight_dist="uniform", weight_spread=0.5, delay=0.2),
    ("I", "I"): dict(rule="bernoulli", p=0.15, autapses="true", J=-3.0),
    ("E", "G"): dict(rule="fixed_indegree", K=400, weight=5.0),  # K > 300 sources: multapses certain
    ("G", "G"): dict(rule="fixed_outdegree", K=20, multapses="false", weight=7.0),
    ("G", "E"): dict(rule="fixed_outdegree", K=100, multapses="false", weight=9.0, delay=0.4),
}
WEIGHT_RANGE = {("E", "E"): (0.3, 1.7), ("E", "I"): (0.13, 0.14), ("I", "E"): (-3.0, -2.0), ("I", "I"): (-0.11, -0.09),
                ("E", "G"): (4.9, 5.1), ("G", "G"): (6.9, 7.1), ("G", "E"): (8.9, 9.1)}


def args():
    a = ["-net_populations", "E,I,G", "-net_seed", 7, "-ts_dt", DT, "-ts_max_time", 2 * DT, "-sample_dt", DT,
         "-rate_dt", DT, "-net_write_synapses"]
    for pop, n in SIZES.items():
        a += [f"-net_{pop}_model", "lif", f"-net_{pop}_size", n]
    for (s, t), opts in PROJ.items():
        for k, v in opts.items():
            a += [f"-net_{s}_{t}_{k}", v]
    return a


def synapses(ranks):
    out = os.path.join(workdir(), f"conn{ranks}.h5")
    run_ok(["simulate"] + args() + ["-output", out, "-quiet"], ranks)
    with h5py.File(out, "r") as f:
        g = f["network/synapses"]
        return {k: g[k][()] for k in ("source", "target", "weight", "delay", "channel")}


def by_projection(syn):
    """{(source pop, target pop): (source index, target index, weight, delay, channel)} by weight range;
    every synapse belongs to exactly one range"""
    out, claimed = {}, np.zeros(len(syn["weight"]), int)
    for key, (lo, hi) in WEIGHT_RANGE.items():
        m = (syn["weight"] > lo) & (syn["weight"] < hi)
        claimed += m
        s, t = key
        out[key] = (syn["source"][m] - START[s], syn["target"][m] - START[t], syn["weight"][m], syn["delay"][m],
                    syn["channel"][m])
    assert np.all(claimed == 1), "synapses with a weight of no projection (or of two)"
    return out


def chi2_counts(observed, expected, what):
    """chi-square of counts against expected counts, bins with expected < 5 merged from the tails"""
    observed, expected = np.asarray(observed, float), np.asarray(expected, float)
    o, e, acc_o, acc_e = [], [], 0.0, 0.0
    for k in range(len(expected)):
        acc_o += observed[k]
        acc_e += expected[k]
        if acc_e >= 5:
            o.append(acc_o)
            e.append(acc_e)
            acc_o = acc_e = 0.0
    o[-1] += acc_o
    e[-1] += acc_e
    o, e = np.array(o), np.array(e)
    chi2 = np.sum((o - e) ** 2 / e)
    p = stats.chi2.sf(chi2, len(o) - 1)
    assert p > 1e-3, f"{what}: chi-square {chi2:.1f} on {len(o) - 1} degrees of freedom, p = {p:.2g}"


def chi2_binomial(degrees, n, p, what):
    """the histogram of degrees against Binomial(n, p)"""
    k = np.arange(n + 1)
    observed = np.bincount(degrees, minlength=n + 1)[: n + 1]
    assert np.sum(degrees > n) == 0, f"{what}: a degree above {n}"
    chi2_counts(observed, len(degrees) * stats.binom.pmf(k, n, p), what)


def ks(values, cdf, what):
    d, p = stats.kstest(values, cdf)
    assert p > 1e-3, f"{what}: Kolmogorov-Smirnov D = {d:.3g}, p = {p:.2g}"


def test_connectivity_rules_against_numpy():
    """Per rule: sources and targets inside their populations; exact degrees of the fixed rules
    (each repeated pair counted); no autapses unless allowed (and some when allowed); no repeated
    pair without multapses, repeated pairs with K above the partners; Bernoulli counts within 4
    SD and in-/out-degree histograms against the binomial; the free degrees of the fixed rules
    against their binomials; the draws of a multapse rule uniform over the sources; Gaussian and
    uniform weights (KS), the weight J / mean in-degree, delays rounded to the step (chi-square of
    the steps against the uniform delay's exact step probabilities); the channel by the sign of
    the weight. The same synapses, sorted, at 1, 2 and 3 ranks (bitwise)."""
    runs = [synapses(r) for r in (1, 2, 3)]
    order = [np.lexsort((s["channel"], s["delay"], s["weight"], s["target"], s["source"])) for s in runs]
    for s, o in zip(runs[1:], order[1:]):
        for k in runs[0]:
            assert np.array_equal(runs[0][k][order[0]], s[k][o]), f"/network/synapses/{k} differs between ranks"
    P = by_projection(runs[0])
    for (s, t), (src, tgt, w, d, ch) in P.items():
        name = f"{s} -> {t}"
        assert len(src) > 0, name
        assert src.min() >= 0 and src.max() < SIZES[s], f"{name}: a source outside {s}"
        assert tgt.min() >= 0 and tgt.max() < SIZES[t], f"{name}: a target outside {t}"
        opts = PROJ[(s, t)]
        if s == t and opts.get("autapses") != "true":
            assert not np.any(src == tgt), f"{name}: autapses although excluded"
        pairs = src.astype(np.int64) * SIZES[t] + tgt
        if opts.get("multapses") == "false":
            assert len(np.unique(pairs)) == len(pairs), f"{name}: a repeated pair although multapses are excluded"
        assert np.all(ch == (1 if opts.get("weight", opts.get("J", 0)) < 0 else 0)), f"{name}: channel"
        delay = opts.get("delay", DT)
        if opts.get("delay_dist") != "uniform":
            assert np.all(np.abs(d - delay) < 1e-12), f"{name}: delay"
        indeg = np.bincount(tgt, minlength=SIZES[t])
        outdeg = np.bincount(src, minlength=SIZES[s])
        others_s = SIZES[s] - (1 if s == t and opts.get("autapses") != "true" else 0)
        others_t = SIZES[t] - (1 if s == t and opts.get("autapses") != "true" else 0)
        if opts["rule"] == "fixed_indegree":
            assert np.all(indeg == opts["K"]), f"{name}: in-degrees {indeg.min()}..{indeg.max()}, not {opts['K']}"
            if opts.get("multapses") == "false":  # each target a uniform K-subset of its partners
                chi2_binomial(outdeg, others_t, opts["K"] / others_s, f"{name} out-degrees")
            else:
                chi2_binomial(outdeg, SIZES[t] * opts["K"], 1 / others_s, f"{name} out-degrees")
        elif opts["rule"] == "fixed_outdegree":
            assert np.all(outdeg == opts["K"]), f"{name}: out-degrees {outdeg.min()}..{outdeg.max()}, not {opts['K']}"
            if opts.get("multapses") == "false":
                chi2_binomial(indeg, others_s, opts["K"] / others_t, f"{name} in-degrees")
            else:
                chi2_binomial(indeg, SIZES[s] * opts["K"], 1 / others_t, f"{name} in-degrees")
        else:  # bernoulli
            p = opts["p"]
            n = SIZES[t] * others_s
            assert abs(len(src) - n * p) < 4 * np.sqrt(n * p * (1 - p)), f"{name}: {len(src)} synapses, expected {n * p}"
            chi2_binomial(indeg, others_s, p, f"{name} in-degrees")
            chi2_binomial(outdeg, others_t, p, f"{name} out-degrees")
            if opts.get("autapses") == "true":
                selfs = np.sum(src == tgt)
                assert abs(selfs - SIZES[s] * p) < 4 * np.sqrt(SIZES[s] * p * (1 - p)), f"{name}: {selfs} autapses"
    # multapses: E -> G draws 400 sources of 300 independently, so pairs repeat, and uniformly
    src, tgt = P[("E", "G")][:2]
    pairs = src.astype(np.int64) * SIZES["G"] + tgt
    assert len(np.unique(pairs)) < len(pairs), "E -> G: no repeated pair with K = 400 > 300 sources"
    chi2_counts(np.bincount(src, minlength=300), np.full(300, len(src) / 300), "E -> G sources")
    # weights: J / mean in-degree for the fixed ones (stored in single precision)
    w_EI = 6.0 / (30 * 300 / 200)
    assert np.all(P[("E", "I")][2] == np.float32(w_EI)), "E -> I: weight J / (K N_E / N_I)"
    assert np.all(P[("I", "I")][2] == np.float32(-3.0 / (0.15 * 200))), "I -> I: weight J / (p N_I) (autapses)"
    ks(P[("E", "E")][2], stats.norm(1.0, 0.1).cdf, "E -> E Gaussian weights")
    ks(P[("I", "E")][2], stats.uniform(-3.0, 1.0).cdf, "I -> E uniform weights")
    # delays: 1.5 +- 1.0 uniform, rounded to the nearest step of 0.1: steps 5 and 25 have half the
    # probability of the steps between
    steps = np.rint(P[("E", "E")][3] / DT).astype(int)
    assert np.allclose(P[("E", "E")][3], steps * DT, rtol=0, atol=1e-12), "E -> E delays not whole steps"
    assert steps.min() >= 5 and steps.max() <= 25, f"E -> E delay steps {steps.min()}..{steps.max()}, not 5..25"
    prob = np.full(21, 1 / 20)
    prob[[0, -1]] = 1 / 40
    chi2_counts(np.bincount(steps - 5, minlength=21), len(steps) * prob, "E -> E delay steps")
