"""markov_ei, the Markov approximation of the MIF E/I network (docs/models/markov_ei.md,
docs/models/markov_ei.md), against independent numpy computations (postprocess/markov_ei.py builds
the generator of one neuron's chain by its own loops):
- the occupations of each population sum to 1 within 1e-12 along a run with partial synchrony;
- uncoupled neurons (P = 0): the stationary rate equals rate_ext times the occupation of V = M-1
  in the null vector of the generator (relative 1e-8; both equal the renewal rate
  1/(M/rate_ext + 1/refractory_rate)), at 1 and 2 ranks, identical to 1e-12;
- continuation in rate_ext finds the Hopf point where the asynchronous state loses stability; at
  the stored point numpy's right-hand side vanishes and its finite-difference Jacobian has a
  complex pair on the imaginary axis with the reported frequency."""
import os

import h5py
import numpy as np
import markov_ei
from ndtest import relerr, run_ok, simulate, workdir

DEFAULTS = dict(M=100, M_r=66, rate_ext=7.0, refractory_rate=0.4, N_E=300, N_I=100, P_EE=0.15, P_IE=0.5, P_EI=0.5,
                P_II=0.4, S_EE=5.0, S_IE=2.0, S_EI=-4.91, S_II=-4.91, tau_EE=1.3, tau_IE=0.95, tau_I=4.5)


def test_probability_is_conserved():
    data, _, _ = simulate(["-sys_type", "markov_ei", "-ts_max_time", 200, "-sample_dt", 1])
    for pop in "EI":
        total = sum(data[n] for n in markov_ei.state_names(pop, 100, 66))
        assert np.max(np.abs(total - 1)) < 1e-12, f"{pop}: occupations sum to 1 +- {np.max(np.abs(total - 1)):.1e}"
    rates = markov_ei.rates(data, DEFAULTS)
    assert rates["E"][100:].max() > 3 * rates["E"][100:].mean(), "expected multiple-firing events at the defaults"


def test_uncoupled_stationary_rate_from_the_null_vector():
    G, f = markov_ei.generator(100, 66, 7.0, 0.0, 5.0, 0.0, -4.91, 0.4)
    w, V = np.linalg.eig(G)
    p = np.real(V[:, np.argmin(np.abs(w))])
    p /= p.sum()
    expected = f @ p
    assert relerr(expected, 1 / (100 / 7.0 + 1 / 0.4)) < 1e-10, "renewal: M kicks at rate_ext, then the refractory state"
    args = ["-sys_type", "markov_ei", "-ts_max_time", 1000, "-sample_dt", 100, "-ts_rtol", 1e-10,
            "-ts_atol", 1e-12] + sum((["-params_" + k, 0] for k in ("P_EE", "P_IE", "P_EI", "P_II")), [])
    finals = []
    for ranks in (1, 2):
        data, _, _ = simulate(args, ranks)
        F = markov_ei.rates(data, DEFAULTS)["E"][-1]
        assert relerr(F, expected) < 1e-8, f"rate {F} vs null vector {expected} at {ranks} rank(s)"
        assert relerr(F, 7.0 * data["pE_99"][-1]) < 1e-12, "only external kicks cross threshold"
        finals.append(np.array([data[k][-1] for k in sorted(data)]))
    assert np.max(np.abs(finals[0] - finals[1])) < 1e-12, "1 and 2 ranks differ"


def test_continuation_in_rate_ext_finds_the_hopf_point():
    start = os.path.join(workdir(), "start.h5")
    run_ok(["simulate", "-sys_type", "markov_ei", "-params_rate_ext", 4, "-ts_max_time", 300, "-sample_dt", 50,
            "-output", start, "-quiet"])
    out = os.path.join(workdir(), "branch.h5")
    run_ok(["continue", "-sys_type", "markov_ei", "-params_rate_ext", 4, "-cont_start", start, "-cont_param", "rate_ext",
            "-cont_min", 4, "-cont_max", 5, "-cont_direction", "forward", "-output", out, "-quiet"], 1, timeout=300)
    with h5py.File(out) as f:
        g = f["branch/0"]
        sp = g["special"]
        labels = sp.attrs["labels"].split(",")
        hb = [i for i, lab in enumerate(labels) if lab == "HB"]
        assert len(hb) == 1, f"expected one Hopf point in rate_ext in [4, 5], found {labels}"
        i = hb[0]
        rate, omega, x = sp["rate_ext"][i], sp["omega"][i], g["state"][int(sp["row"][i])]
    assert 4.3 < rate < 4.7, f"Hopf at rate_ext = {rate}"
    p = dict(DEFAULTS, rate_ext=rate)
    assert np.max(np.abs(markov_ei.rhs(x, p))) < 1e-9, "the stored Hopf point is not an equilibrium of numpy's equations"
    h = 1e-7
    J = np.column_stack([(markov_ei.rhs(x + h * e, p) - markov_ei.rhs(x - h * e, p)) / (2 * h) for e in np.eye(len(x))])
    ev = np.linalg.eigvals(J)
    ev = ev[np.abs(ev.imag) > 1e-6]
    top = ev[np.argmax(ev.real)]
    assert abs(top.real) < 1e-5, f"rightmost complex pair {top} not on the imaginary axis"
    assert relerr(abs(top.imag), abs(omega)) < 1e-5, f"frequency {omega} vs numpy {top.imag}"


def test_bad_parameters_at_two_ranks():
    from test_bad_input import expect_error
    expect_error(["simulate", "-sys_type", "markov_ei", "-params_M", 99.5, "-ts_max_time", 1], "-params_M must be an integer")
    expect_error(["simulate", "-sys_type", "markov_ei", "-params_P_EE", 1.5, "-ts_max_time", 1],
                 "parameter P_EE = 1.5 of system 'markov_ei' is out of range: it must be [0., 1.] (set with -params_P_EE)")
    expect_error(["simulate", "-sys_type", "markov_ei", "-params_tau_I", 0, "-ts_max_time", 1],
                 "parameter tau_I = 0. of system 'markov_ei' is out of range: it must be > 0. (set with -params_tau_I)")
