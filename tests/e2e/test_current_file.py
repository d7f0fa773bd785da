"""Per-neuron currents from files, with the shared stimulus on top: constant ones (NEST: I_e per
neuron, a dc_generator per neuron) with -net_<pop>_I_e_file file.h5:/dataset, and step currents
(NEST: a step_current_generator per neuron) with -net_<pop>_current_file file.h5:/group. Checked
against the analytic LIF solutions."""
import os

import h5py
import ndio
import numpy as np
from ndtest import expect_errors, run_ok, workdir

C_M, TAU, E_L, V_TH, T_REF, DT = 250.0, 10.0, -70.0, -55.0, 2.0, 0.1  # lif (iaf_psc_exp) defaults
R = TAU / C_M  # mV per pA
N_REF = int(round(T_REF / DT))


def test_per_neuron_dc_from_a_file_at_1_and_2_ranks():
    """20 lif neurons with I_e from an HDF5 dataset: the 10 below rheobase (50 to 350 pA) relax to
    V = E_L + R I_e (analytic; 1e-9 mV after 300 ms = 30 tau_m), the 10 above (400 to 1300 pA) fire
    at the analytic LIF times on the grid: first spike after ceil(T0/dt) steps and then every
    t_ref + ceil(T0/dt) steps, T0 = tau_m ln(R I / (R I - (V_th - E_L))) (exact integration: 1e-9 ms);
    their rates are the continuous f-I formula 1/(t_ref + T0) to within the grid's dt/ISI. With a
    shared stimulus of 100 pA (-stim_type constant) the subthreshold ones move by R * 100 pA.
    Bitwise the same spikes at 1 and 2 ranks."""
    d = workdir()
    below = np.linspace(50, 350, 10)
    above = np.linspace(400, 1300, 10) + 0.37  # keeps T0/dt away from whole numbers
    I = np.concatenate([below, above])
    path = os.path.join(d, "ie.h5")
    with h5py.File(path, "w") as f:
        f["drive/I_e"] = I
    args = ["simulate", "-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 20, "-net_E_I_e_file",
            f"{path}:/drive/I_e", "-net_E_record", ",".join(map(str, range(20))), "-ts_dt", DT, "-ts_max_time", 300,
            "-sample_dt", 1, "-quiet"]
    outs = []
    for r in (1, 2):
        out = os.path.join(d, f"dc{r}.h5")
        run_ok(args + ["-output", out], r)
        outs.append(out)
    a, b = ndio.spikes(outs[0], "E"), ndio.spikes(outs[1], "E")
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    ts, ids = a
    with ndio.open_output(outs[1]) as f:
        V = f["traces/E/V"][:]
    assert np.max(np.abs(V[-1, :10] - (E_L + R * below))) < 1e-9
    assert not np.any(ids < 10)
    T0 = TAU * np.log(R * above / (R * above - (V_TH - E_L)))
    k = np.ceil(T0 / DT)
    assert np.min(np.abs(T0 / DT - np.round(T0 / DT))) > 1e-6
    for j in range(10):
        t = ts[ids == 10 + j]
        n = np.arange(len(t))
        want = k[j] * DT + n * (N_REF + k[j]) * DT
        assert len(t) == int((300 - k[j] * DT) // ((N_REF + k[j]) * DT)) + 1, j
        assert np.max(np.abs(t - want)) < 1e-9, j
        isi = np.mean(np.diff(t))
        f_formula = 1 / (T_REF + T0[j])
        assert abs(1 / isi - f_formula) / f_formula <= DT / isi + 1e-12, j
    out = os.path.join(d, "dc_stim.h5")
    run_ok(args + ["-stim_type", "constant", "-stim_value", 100, "-net_E_record", "0,1,2", "-output", out], 2)
    with ndio.open_output(out) as f:
        V = f["traces/E/V"][:]
    assert np.max(np.abs(V[-1] - (E_L + R * (below[:3] + 100)))) < 1e-9


def test_per_neuron_step_currents_against_the_analytic_membrane():
    """-net_<pop>_current_file (NEST's step_current_generator per neuron): 4 neurons each of lif,
    lif_delta and lif_cond, every neuron its own currents from t = 0, 40 and 90.05 ms (rounded up to
    the step that starts at 90.1), some negative, all below rheobase, on top of a shared stimulus of
    20 pA: V follows E_L + R I_k + (V(t_k) - E_L - R I_k) e^{-(t - t_k)/tau} piecewise (analytic;
    R = tau_m/C_m, for lif_cond 1/g_L and tau = C_m/g_L), 1e-9 mV at every sample; bitwise the same
    traces at 1 and 2 ranks."""
    d = workdir()
    times = np.array([0.0, 40.0, 90.05])
    models = {"A": ("lif", TAU, R), "B": ("lif_delta", TAU, R), "C": ("lif_cond", 250 / 16.6667, 1 / 16.6667)}
    rng = np.random.default_rng(2)
    amps = {p: rng.uniform(-200, 200, (3, 4)) for p in models}
    path = os.path.join(d, "steps.h5")
    with h5py.File(path, "w") as f:
        for p in models:
            f[f"{p}/times"] = times
            f[f"{p}/amplitudes"] = amps[p]
    args = ["simulate", "-net_populations", ",".join(models), "-ts_dt", DT, "-ts_max_time", 150, "-sample_dt", 0.5,
            "-stim_type", "constant", "-stim_value", 20, "-net_C_g_L", 16.6667, "-quiet"]
    for p, (model, _, _) in models.items():
        args += [f"-net_{p}_model", model, f"-net_{p}_size", 4, f"-net_{p}_current_file", f"{path}:/{p}",
                 f"-net_{p}_record", "0,1,2,3"]
    traces = []
    for r in (1, 2):
        out = os.path.join(d, f"steps{r}.h5")
        run_ok(args + ["-output", out], r)
        with ndio.open_output(out) as f:
            t = f["observables/t"][:]
            traces.append({p: f[f"traces/{p}/V"][:] for p in models})
    on = [0.0, 40.0, 90.1]
    for p, (model, tau, res) in models.items():
        assert np.array_equal(traces[0][p], traces[1][p]), p
        v0 = np.full(4, E_L)
        want = np.empty((len(t), 4))
        for k in range(3):
            end = on[k + 1] if k < 2 else np.inf
            vinf = E_L + res * (amps[p][k] + 20)
            sel = (t >= on[k] - 1e-9) & (t < end - 1e-9)
            want[sel] = vinf + (v0 - vinf) * np.exp(-(t[sel, None] - on[k]) / tau)
            if k < 2:
                v0 = vinf + (v0 - vinf) * np.exp(-(on[k + 1] - on[k]) / tau)
        assert np.max(np.abs(traces[1][p] - want)) < 1e-9, (model, np.max(np.abs(traces[1][p] - want)))


def test_current_file_bad_input():
    """A file of the wrong length, a missing dataset, a value out of range, both a value and a file:
    one error line at 2 ranks."""
    d = workdir()
    path = os.path.join(d, "bad_ie.h5")
    with h5py.File(path, "w") as f:
        f["short"] = np.zeros(3)
        f["nan"] = np.array([0, np.nan, 0, 0])
        f["wide/times"] = [0.0, 1.0]
        f["wide/amplitudes"] = np.zeros((2, 5))
        f["unsorted/times"] = [0.51, 0.55]
        f["unsorted/amplitudes"] = np.zeros((2, 4))
        f["early/times"] = [-1.0]
        f["early/amplitudes"] = np.zeros((1, 4))
        f["inf/times"] = [0.0]
        f["inf/amplitudes"] = np.array([[0, np.inf, 0, 0]])
    base = ["simulate", "-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 4, "-ts_dt", DT,
            "-ts_max_time", 1]
    out = None
    expect_errors([(args, phrase, os.path.join(d, f"bad{i}.h5")) for i, (args, phrase, _) in enumerate([
        (base + ["-net_E_I_e_file", f"{path}:/short"], "-net_E_I_e_file", out),
        (base + ["-net_E_I_e_file", f"{path}:/missing"], "-net_E_I_e_file", out),
        (base + ["-net_E_I_e_file", f"{path}:/nan"], "-net_E_I_e_file", out),
        (base + ["-net_E_I_e_file", f"{path}:/short", "-net_E_I_e", 3], "-net_E_I_e", out),
        (base + ["-net_E_current_file", f"{path}:/none"], "has no 1-D dataset /none/times", out),
        (base + ["-net_E_current_file", f"{path}:/wide"], "must be a 2-D dataset of 2 x 4", out),
        (base + ["-net_E_current_file", f"{path}:/unsorted"], "are not increasing or fall in one step", out),
        (base + ["-net_E_current_file", f"{path}:/early"], "is before the start", out),
        (base + ["-net_E_current_file", f"{path}:/inf"], "not a finite number", out),
        (base + ["-net_E_current_file", path], "name the group", out),
        (base + ["-net_E_model", "qif", "-net_E_current_file", f"{path}:/wide"], "takes no per-neuron current", out),
    ])])


def test_step_currents_continue_from_a_checkpoint_bitwise():
    """A run with per-neuron step currents (changes before, at and after the checkpoint at t = 5.5,
    neurons firing) stopped at t = 8 and continued from its checkpoint at 2 and 1 ranks: spikes and
    traces bitwise those of one uninterrupted run (the value in force is found from the step count)."""
    from test_network_checkpoint import assert_same, records
    d = workdir()
    path = os.path.join(d, "ckpt_steps.h5")
    with h5py.File(path, "w") as f:
        f["s/times"] = [0.0, 3.0, 5.5, 7.0, 12.0]
        f["s/amplitudes"] = np.random.default_rng(1).uniform(300, 1500, (5, 6))
    args = ["-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 6, "-net_E_current_file", f"{path}:/s",
            "-net_E_record", "0,1,2,3,4,5", "-ts_dt", DT, "-ts_max_time", 20, "-sample_dt", 0.5, "-rate_dt", 1]

    def run(extra, ranks, name):
        out = os.path.join(d, name)
        run_ok(["simulate"] + [str(a) for a in args + extra] + ["-output", out, "-quiet"], ranks)
        return out
    ref = records(run([], 2, "ck_ref.h5"))
    assert len(ref["spikes/E/timestamps"]) > 10
    part = run(["-ts_max_time", 8, "-checkpoint_interval", 5.5], 2, "ck_part.h5")
    for ranks in (2, 1):
        rest = run(["-restart", part], ranks, f"ck_rest{ranks}.h5")
        assert_same(records(rest), ref, same_ranks=ranks == 2)
