"""The recorded quantities of a network run against each other and against their definitions
(docs/network.md, Output): /rates is the histogram of /spikes on the bins that start at
/rates/t; /observables/<pop>/r is the count of spikes in the sample interval before each
sample; every other observable is its definition applied to the recorded states of all
neurons (/traces); and a trace is the neuron's state (uncoupled QIF neurons against the exact
solution). For every neuron model, at 2 ranks (the traces of a population split between them)."""
import os

import h5py
import numpy as np
from ndtest import run_ok, workdir

N = 40
ALL = ",".join(str(i) for i in range(N))

# delays of 3 steps: the exchange windows do not line up with the rate bins and samples
# per model: options of population E (recurrently coupled, heterogeneous drive, so it fires
# irregularly), the step, the end time and the sample and rate intervals
MODELS = {
    "qif": (["-net_E_tau", 2, "-net_E_tau_s", 0.5, "-net_E_eta", 4, "-net_E_eta_dist", "lorentzian",
             "-net_E_eta_spread", 0.5, "-net_E_E_weight", 0.3], 0.01, 20, 0.02, 0.1),
    "lif": (["-net_E_I_e", 600, "-net_E_I_e_dist", "uniform", "-net_E_I_e_spread", 150, "-net_E_E_weight", 30,
             "-net_E_poisson_rate", 2, "-net_E_poisson_weight", -10], 0.1, 200, 0.2, 1.0),
    "lif_cond": (["-net_E_I_e", 600, "-net_E_I_e_dist", "uniform", "-net_E_I_e_spread", 150, "-net_E_E_weight", 2,
                  "-net_E_poisson_rate", 2, "-net_E_poisson_weight", -2], 0.1, 200, 0.2, 1.0),
    "lif_delta": (["-net_E_I_e", 600, "-net_E_I_e_dist", "uniform", "-net_E_I_e_spread", 150, "-net_E_E_weight", 0.5,
                   "-net_E_poisson_rate", 2, "-net_E_poisson_weight", -0.5], 0.1, 200, 0.2, 1.0),
    "izhikevich": (["-net_E_eta", 0.25, "-net_E_eta_dist", "lorentzian", "-net_E_eta_spread", 0.02,
                    "-net_E_E_weight", 0.05], 0.002, 40, 0.01, 0.5),
    "mif": (["-net_E_E_weight", 1], 0.01, 100, 0.02, 0.5),
    "adex": (["-net_E_I_e", 900, "-net_E_I_e_dist", "uniform", "-net_E_I_e_spread", 200, "-net_E_E_weight", 50,
              "-net_E_poisson_rate", 2, "-net_E_poisson_weight", -20], 0.1, 200, 0.2, 1.0),
}
# the observable that is the population mean of a state variable
MEAN_OF = {"v": ("V", "v"), "refractory": ("R", "refractory")}


def run(model):
    opts, dt, T, sample_dt, rate_dt = MODELS[model]
    out = os.path.join(workdir(), f"{model}.h5")
    run_ok(["simulate", "-net_populations", "E", "-net_E_model", model, "-net_E_size", N, "-net_E_record", ALL,
            "-net_E_E_rule", "fixed_indegree", "-net_E_E_K", 5, "-net_E_E_delay", 3 * dt, "-ts_dt", dt,
            "-ts_max_time", T, "-sample_dt", sample_dt, "-rate_dt", rate_dt] + opts + ["-output", out, "-quiet"], 2)
    return out


def check_model(model):
    _, dt, T, sample_dt, rate_dt = MODELS[model]
    out = run(model)
    with h5py.File(out, "r") as f:
        ts = f["spikes/E/timestamps"][()]
        rt, rate = f["rates/t"][()], f["rates/E"][()]
        # in Hz for the models timed in ms, else per time unit (dimensionless: 1)
        unit = f["rates/E"].attrs["units"]
        assert unit == ("1" if model in ("qif", "izhikevich") else "Hz"), f"{model}: /rates in {unit}"
        rate = rate / (1000.0 if unit == "Hz" else 1.0)
        ot = f["observables/t"][()]
        obs = {k: f["observables/E"][k][()] for k in f["observables/E"]}
        assert list(f["traces/E/node_ids"][()]) == list(range(N))
        tr = {k: f["traces/E"][k][()] for k in f["traces/E"] if k != "node_ids"}
    assert len(ts) > 5 * N, f"{model}: only {len(ts)} spikes"
    # /rates: bins start at 0, rate_dt, ...; a spike's timestamp is the end of the step it fired
    # in, so bin k holds the timestamps in (t_k, t_k + rate_dt]
    nb = int(round(T / rate_dt))
    assert np.allclose(rt, np.arange(nb) * rate_dt, rtol=0, atol=1e-9 * T), f"{model}: /rates/t are not the bin starts"
    idx = np.ceil(ts / rate_dt - 1e-9).astype(int) - 1
    counts = np.bincount(idx, minlength=nb)
    assert len(counts) == nb, f"{model}: spikes after the last bin"
    assert np.allclose(rate * N * rate_dt, counts, rtol=0, atol=1e-9), f"{model}: /rates is not the spike histogram"
    # /observables r: the spikes in (t - sample_dt, t] per neuron and time unit, 0 at t = 0
    ns = int(round(T / sample_dt))
    assert np.allclose(ot, np.arange(ns + 1) * sample_dt, rtol=0, atol=1e-9 * T)
    idx = np.ceil(ts / sample_dt - 1e-9).astype(int)
    counts = np.bincount(idx, minlength=ns + 1)
    assert np.allclose(obs["r"] * N * sample_dt, counts, rtol=0, atol=1e-9), f"{model}: observable r is not the count"
    # the other observables from the traces of all neurons
    if model == "qif":
        V = tr["V"]
        Z = np.mean((1 - V**2) / (1 + V**2) + 2j * V / (1 + V**2), axis=1)  # <exp(i theta)>, theta = 2 atan V
        W = (1 - np.conj(Z)) / (1 + np.conj(Z))  # pi tau r + i v (Montbrio et al. 2015)
        expect = {"v": W.imag, "r_kuramoto": W.real / (np.pi * 2.0), "s": tr["s"].mean(axis=1)}
    else:
        expect = {}
        for name in obs:
            if name == "r":
                continue
            var = next(v for v in MEAN_OF.get(name, (name,)) if v in tr)
            expect[name] = tr[var].mean(axis=1)
    assert set(expect) == set(obs) - {"r"}, f"{model}: observables {sorted(obs)}"
    for name, x in expect.items():
        scale = max(np.max(np.abs(x)), 1e-300)
        err = np.max(np.abs(obs[name] - x))
        assert err <= 1e-10 * scale, f"{model}: observable {name} differs from its definition by {err:.3g}"


def test_records_qif():
    check_model("qif")


def test_records_lif():
    check_model("lif")


def test_records_lif_cond():
    check_model("lif_cond")


def test_records_lif_delta():
    check_model("lif_delta")


def test_records_izhikevich():
    check_model("izhikevich")


def test_records_mif():
    check_model("mif")


def test_records_adex():
    check_model("adex")


def test_traces_are_the_exact_qif_states():
    """Seven uncoupled QIF neurons below threshold (tau = 2, eta_j the Lorentzian quantiles
    -9 + tan(pi/2 (2j - 8)/8), V(0) = -2), neurons 1, 3 and 5 recorded, at 2 ranks: each trace is
    V(t) = -a tanh(a t / tau + artanh(2 / a)), a = sqrt(-eta_j), the exact solution of
    tau dV/dt = V^2 + eta_j (absolute 1e-9)."""
    out = os.path.join(workdir(), "qif_traces.h5")
    run_ok(["simulate", "-net_populations", "U", "-net_U_model", "qif", "-net_U_size", 7, "-net_U_tau", 2,
            "-net_U_eta", -9, "-net_U_eta_dist", "lorentzian", "-net_U_eta_spread", 1, "-net_U_record", "5,1,3",
            "-ts_dt", 0.01, "-ts_max_time", 5, "-sample_dt", 0.1, "-output", out, "-quiet"], 2)
    with h5py.File(out, "r") as f:
        t, V, ids = f["observables/t"][()], f["traces/U/V"][()], f["traces/U/node_ids"][()]
    assert list(ids) == [1, 3, 5], f"node_ids {list(ids)}"
    for col, j in enumerate(ids):
        eta = -9 + np.tan(np.pi / 2 * (2 * (j + 1) - 8) / 8)
        a = np.sqrt(-eta)
        exact = -a * np.tanh(a * t / 2 + np.arctanh(2 / a))
        err = np.max(np.abs(V[:, col] - exact))
        assert err < 1e-9, f"neuron {j}: trace differs from the exact V(t) by {err:.3g}"
