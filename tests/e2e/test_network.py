"""Spiking networks (neurodyn simulate -net_*): exact single-neuron results for lif, synaptic
delivery with delays across ranks, bitwise-identical spikes at 1, 2 and 3 ranks, synapse counts of
the connection rules, and the QIF network against the exact MPR mean field (docs/models/mpr.md)."""
import math
import os
import re

import mpr_theory
import ndio
import numpy as np
import ndtest
from ndtest import INPUTS, expect_error, run_ok, workdir
from scipy.integrate import solve_ivp

LIF = dict(C=250.0, tau_m=10.0, E_L=-70.0, V_th=-55.0, V_reset=-70.0, t_ref=2.0, tau_s=2.0)


def net_run(args, ranks=1, name="net.h5", quiet=True):
    out = os.path.join(workdir(), name)
    p = run_ok(["simulate"] + [str(a) for a in args] + ["-output", out] + (["-quiet"] if quiet else []), ranks)
    return out, p


def test_lif_subthreshold_trajectory_is_exact():
    """One lif neuron below threshold: V(t) = E_L + I_e tau_m / C (1 - exp(-t/tau_m)) (absolute 1e-10 mV)."""
    out, _ = net_run(["-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 1, "-net_E_I_e", 200,
                      "-ts_dt", 0.1, "-ts_max_time", 50, "-sample_dt", 0.5])
    t, obs = ndio.observables(out)
    v = LIF["E_L"] + 200 * LIF["tau_m"] / LIF["C"] * (1 - np.exp(-t / LIF["tau_m"]))
    assert np.max(np.abs(obs["E"]["v"] - v)) < 1e-10
    assert len(ndio.spikes(out, "E")[0]) == 0


def lif_period(I, dt):
    """Continuous and on-grid firing period of a deterministic lif neuron with constant current I."""
    v_inf = LIF["E_L"] + I * LIF["tau_m"] / LIF["C"]
    t_c = LIF["tau_m"] * math.log((v_inf - LIF["V_reset"]) / (v_inf - LIF["V_th"]))
    return LIF["t_ref"] + t_c, dt * (round(LIF["t_ref"] / dt) + math.ceil(t_c / dt - 1e-9))


def test_lif_f_I_curve():
    """Eight lif neurons with I_e at deterministic quantiles of [400, 800] pA: every interspike
    interval equals the on-grid period (1e-9 ms), and the rate matches the analytic f-I curve
    1/(t_ref + tau_m ln((V_inf - V_reset)/(V_inf - V_th))) within the grid error dt/period; the
    same spikes at 1 and 2 ranks."""
    n, dt = 8, 0.1
    args = ["-net_populations", "E", "-net_E_model", "lif", "-net_E_size", n, "-net_E_I_e", 600, "-net_E_I_e_dist",
            "uniform", "-net_E_I_e_spread", 200, "-ts_dt", dt, "-ts_max_time", 500]
    spikes = []
    for ranks in (1, 2):
        out, _ = net_run(args, ranks, name=f"fi{ranks}.h5")
        spikes.append(ndio.spikes(out, "E"))
    assert np.array_equal(spikes[0][0], spikes[1][0]) and np.array_equal(spikes[0][1], spikes[1][1])
    ts, ids = spikes[0]
    for j in range(n):
        I = 600 + 200 * (2 * (j + 1) / (n + 1) - 1)
        period, grid = lif_period(I, dt)
        isi = np.diff(ts[ids == j])
        assert len(isi) >= 5, f"neuron {j} (I = {I}) fired {len(isi) + 1} times"
        assert np.max(np.abs(isi - grid)) < 1e-9, f"neuron {j}: ISIs {isi[:3]} vs on-grid period {grid}"
        assert abs(1 / isi.mean() - 1 / period) * period < dt / period + 1e-12


def test_lif_postsynaptic_potential_with_delay_across_ranks():
    """Neuron A (one rank) drives neuron B (the other) through one synapse of 100 pA, delay 2 ms:
    B's V(t) (its observable, and its /traces record) is the sum of exact PSPs (1/C) e^{-h/tau_m} (e^{h (1/tau_m - 1/tau_s)} - 1)/(1/tau_m - 1/tau_s)
    at h = t - (spike time + delay) (absolute 1e-9 mV)."""
    w, delay = 100.0, 2.0
    out, _ = net_run(["-net_populations", "A,B", "-net_A_model", "lif", "-net_A_size", 1, "-net_A_I_e", 400,
                      "-net_B_model", "lif", "-net_B_size", 1, "-net_A_B_rule", "fixed_indegree", "-net_A_B_K", 1,
                      "-net_A_B_weight", w, "-net_A_B_delay", delay, "-ts_dt", 0.1, "-ts_max_time", 120,
                      "-sample_dt", 0.1, "-net_B_record", 0, "-net_A_record", 0], ranks=2)
    t, obs = ndio.observables(out)
    ts, _ = ndio.spikes(out, "A")
    assert len(ts) >= 3
    a = 1 / LIF["tau_m"] - 1 / LIF["tau_s"]
    v = np.full_like(t, LIF["E_L"])
    for s in ts:
        h = t - (s + delay)
        h = np.where(h > 1e-9, h, 0)
        v += w / LIF["C"] * np.exp(-h / LIF["tau_m"]) * np.expm1(a * h) / a
    assert np.max(np.abs(obs["B"]["v"] - v)) < 1e-9
    with ndio.open_output(out) as f:  # the recorded state of B (on the other rank than A) is the same
        assert np.max(np.abs(f["traces/B/V"][:, 0] - v)) < 1e-9
        assert list(f["traces/B/node_ids"][:]) == [0] and f["traces/A/V"].shape == (len(t), 1)


MIXED = ["-net_populations", "E,I", "-net_E_model", "lif", "-net_E_size", 800, "-net_I_model", "lif",
         "-net_I_size", 200, "-net_E_I_e", 300, "-net_E_I_e_dist", "uniform", "-net_E_I_e_spread", 100,
         "-net_I_I_e", 350, "-net_E_E_rule", "bernoulli", "-net_E_E_p", 0.1, "-net_E_E_weight", 40,
         "-net_E_E_delay", 1.5, "-net_E_E_delay_dist", "uniform", "-net_E_E_delay_spread", 0.5,
         "-net_E_I_rule", "fixed_indegree", "-net_E_I_K", 50, "-net_E_I_weight", 30,
         "-net_I_E_rule", "fixed_outdegree", "-net_I_E_K", 80, "-net_I_E_weight", -100,
         "-net_I_E_weight_dist", "gaussian", "-net_I_E_weight_spread", 10, "-net_I_I_rule", "all_to_all",
         "-net_I_I_J", -5000, "-net_E_poisson_rate", 2, "-net_E_poisson_weight", 50, "-ts_dt", 0.1,
         "-ts_max_time", 200]


def test_units_rates_in_hz_poisson_and_all_to_all_counts():
    """What a neuroscientist reads: /rates in Hz (units attribute) when the time unit is ms, equal to
    1000 x the spikes of /spikes per neuron and bin over rate_dt (1e-9 relative); the summary's mean
    rates in Hz; the Poisson input with its units; the all-to-all projection I -> I with its
    200 x 200 implicit synapses, counted in the totals. A dimensionless model's rates are in 1."""
    out, p = net_run(MIXED + ["-net_view", "-rate_dt", 2], 2, quiet=False)
    T, width = 200.0, 2.0
    with ndio.open_output(out) as f:
        assert f["rates/E"].attrs["units"] == "Hz" and f["rates/t"].attrs["units"] == "ms"
    t, rates = ndio.rates(out)
    _, per_ms = ndio.rates(out, per_time_unit=True)
    for pop, n in (("E", 800), ("I", 200)):
        ts, _ = ndio.spikes(out, pop)
        counts = np.histogram(ts - 1e-9, bins=np.append(t, t[-1] + width))[0]  # a spike at t_k + dt is in bin k
        assert np.allclose(rates[pop], 1000 * counts / (n * width), rtol=1e-9, atol=0), pop
        assert np.allclose(per_ms[pop], counts / (n * width), rtol=1e-9, atol=0), pop
        line = re.search(rf"^  {pop} +lif +{n} neurons +(\d+) spikes  mean rate (\S+) Hz$", p.stdout, re.M)
        assert line and int(line.group(1)) == len(ts), p.stdout
        assert abs(float(line.group(2)) - 1000 * len(ts) / (n * T)) < 1e-3 * float(line.group(2)) + 1e-9, line.group(0)
    assert "Poisson input to each neuron: 2. events per ms (2000. Hz), weight 50. pA" in p.stdout, p.stdout
    assert re.search(r"projection I -> I: all_to_all, weight -25\.? pA .*, 40000 synapses \(implicit", p.stdout), p.stdout
    total, tables = map(int, re.search(r"(\d+) synapses \((\d+) in the delivery tables", p.stdout).groups())
    assert total == tables + 40000
    qif, _ = net_run(["-net_populations", "Q", "-net_Q_model", "qif", "-net_Q_size", 10, "-net_Q_eta", 1,
                      "-ts_dt", 0.01, "-ts_max_time", 1], name="qif.h5")
    with ndio.open_output(qif) as f:
        assert f["rates/Q"].attrs["units"] == "1"


def test_per_neuron_values_from_files():
    """-net_E_I_e_file (an HDF5 dataset) and -net_E_init_V_file (a PETSc binary vector) give each of
    seven uncoupled lif neurons its own current and start: every ISI is the on-grid period of its
    current (1e-9 ms), the first spike comes when the exact V(t) from its start first reaches
    threshold on the grid, at 1 and 2 ranks; a value out of range (C_m <= 0) is named"""
    import h5py
    n, dt = 7, 0.1
    I = np.array([420.0, 800.0, 510.0, 650.0, 700.0, 455.0, 590.0])
    V0 = np.array([-70.0, -60.0, -52.0, -65.0, -55.1, -69.0, -51.0])
    d = workdir()
    with h5py.File(os.path.join(d, "drive.h5"), "w") as f:
        f["I_e"] = I
    init = os.path.join(d, "V0.petsc")
    with open(init, "wb") as f:  # PETSc binary vector: class id 1211214, length, big-endian doubles
        np.array([1211214, n], ">i4").tofile(f)
        V0.astype(">f8").tofile(f)
    args = ["-net_populations", "E", "-net_E_model", "lif", "-net_E_size", n, "-net_E_I_e_file",
            os.path.join(d, "drive.h5") + ":/I_e", "-net_E_init_V_file", init, "-ts_dt", dt, "-ts_max_time", 300]
    for ranks in (1, 2):
        out, _ = net_run(args, ranks, name=f"files{ranks}.h5")
        ts, ids = ndio.spikes(out, "E")
        for j in range(n):
            v_inf = LIF["E_L"] + I[j] * LIF["tau_m"] / LIF["C"]
            steps = np.arange(1, 400)
            v = v_inf + (V0[j] - v_inf) * np.exp(-steps * dt / LIF["tau_m"])  # exact on the grid
            first = steps[np.argmax(v >= LIF["V_th"])] * dt
            mine = ts[ids == j]
            assert abs(mine[0] - first) < 1e-9, f"neuron {j}: first spike {mine[0]}, expected {first}"
            assert np.max(np.abs(np.diff(mine) - lif_period(I[j], dt)[1])) < 1e-9, f"neuron {j} at {ranks} rank(s)"
    with h5py.File(os.path.join(d, "drive.h5"), "a") as f:
        f["C_m"] = np.array([250.0, 250, -1, 250, 250, 250, 250])
    expect_error(["simulate"] + args + ["-net_E_C_m_file", os.path.join(d, "drive.h5") + ":/C_m"],
                 "parameter C_m = -1. of lif is out of range")


def test_spikes_bitwise_identical_at_1_2_3_ranks():
    """Every rule, random weights and delays, Poisson input and all-to-all coupling: the same
    spikes (times and ids, bitwise) at 1, 2 and 3 ranks (at 3 written in pieces), sorted by time; the synapse count is
    fixed_indegree 200 x 50 + fixed_outdegree 200 x 80 + Bernoulli(0.1) over 800 x 799 pairs
    (within 5 standard deviations)."""
    runs = []
    for ranks in (1, 2, 3):
        # at 3 ranks the spikes are also written in pieces during the run (-net_spike_buffer)
        extra = ["-net_spike_buffer", 50] if ranks == 3 else []
        out, p = net_run(MIXED + extra, ranks, name=f"mixed{ranks}.h5", quiet=False)
        runs.append({pop: ndio.spikes(out, pop) for pop in ("E", "I")})
        nsyn = int(re.search(r"(\d+) in the delivery tables", p.stdout).group(1))
        bern = nsyn - 200 * 50 - 200 * 80
        mean, sd = 800 * 799 * 0.1, math.sqrt(800 * 799 * 0.1 * 0.9)
        assert abs(bern - mean) < 5 * sd, f"{bern} Bernoulli synapses, expected {mean:.0f} +- {sd:.0f}"
    for pop in ("E", "I"):
        ts, ids = runs[0][pop]
        assert len(ts) > 100 and np.all(np.diff(ts) >= 0)
        for other in runs[1:]:
            assert np.array_equal(ts, other[pop][0]) and np.array_equal(ids, other[pop][1]), f"{pop} spikes differ"


def qif_args(n, init):
    return ["-net_populations", "E", "-net_E_model", "qif", "-net_E_size", n, "-net_E_eta", -5, "-net_E_eta_dist",
            "lorentzian", "-net_E_eta_spread", 1, "-net_E_E_rule", "all_to_all", "-net_E_E_J", 15,
            "-net_E_E_delay", 0.01, "-ts_dt", 0.01, "-ts_max_time", 20, "-sample_dt", 0.1, "-rate_dt", 0.1] + init


def test_qif_network_rests_on_both_mpr_fixed_points():
    """N = 10^4 QIF neurons, J = 15, Delta = 1, eta_bar = -5 (bistable): started near the low and
    the high stable state, the time-averaged rate (t > 5) is within 5% of the MPR fixed point r*,
    the Lorentzian width from the Kuramoto order parameter within 3%, and v within 0.1."""
    (r_lo, v_lo), _, (r_hi, v_hi) = mpr_theory.fixed_points(-5.0, 15.0, 1.0)
    starts = {"low": (r_lo, v_lo, ["-net_E_init_V", -2]),
              "high": (r_hi, v_hi, ["-net_E_init_V", v_hi, "-net_E_init_V_dist", "lorentzian",
                                    "-net_E_init_V_spread", math.pi * r_hi, "-net_E_init_V_sampling", "random"])}
    for name, (r_star, v_star, init) in starts.items():
        out, _ = net_run(qif_args(10000, init), ranks=2, name=f"qif_{name}.h5")
        t, obs = ndio.observables(out)
        late = t > 5
        r = obs["E"]["r"][late].mean()
        assert abs(r - r_star) < 0.05 * r_star, f"{name}: network rate {r:.4f}, MPR {r_star:.4f}"
        rk = obs["E"]["r_kuramoto"][late].mean()
        assert abs(rk - r_star) < 0.03 * r_star, f"{name}: Kuramoto width rate {rk:.4f}, MPR {r_star:.4f}"
        v = obs["E"]["v"][late].mean()
        assert abs(v - v_star) < 0.1, f"{name}: network v {v:.4f}, MPR {v_star:.4f}"


def test_qif_ramp_jumps_where_the_mean_field_does():
    """inputs/qif_vs_mpr.yaml at 2 ranks: the network jumps up and down at currents within 0.15 of
    where the MPR mean field (integrated here with scipy, same ramp) jumps."""
    out, _ = net_run([os.path.join(INPUTS, "qif_vs_mpr.yaml")], ranks=2, name="ramp.h5")
    t, obs = ndio.observables(out)

    def ramp(s):
        if s <= 20:
            return -1.5
        if s < 220:
            return -1.5 + 4 * (s - 20) / 200
        if s <= 240:
            return 2.5
        if s < 440:
            return 2.5 - 4 * (s - 240) / 200
        return -1.5

    def mpr(s, y):
        r, v = y
        return [1 / math.pi + 2 * r * v, v * v - 5 + 15 * r - (math.pi * r) ** 2 + ramp(s)]

    sol = solve_ivp(mpr, (0, 460), [0.05, -3], max_step=0.05, rtol=1e-8, atol=1e-10, dense_output=True)
    I = np.array([ramp(s) for s in t])

    def jumps(r):
        high = r > 0.4
        up, down = np.where(~high[:-1] & high[1:])[0], np.where(high[:-1] & ~high[1:])[0]
        assert len(up) == 1 and len(down) == 1
        return I[up[0]], I[down[0]]

    (net_up, net_down), (mf_up, mf_down) = jumps(obs["E"]["r_kuramoto"]), jumps(sol.sol(t)[0])
    assert abs(net_up - mf_up) < 0.15, f"jump up: network I = {net_up:.3f}, mean field {mf_up:.3f}"
    assert abs(net_down - mf_down) < 0.15, f"jump down: network I = {net_down:.3f}, mean field {mf_down:.3f}"


def izh_mf_rhs(eta):
    """Chen-Campbell mean field (docs/models/izh_mf.md) with its default parameters."""
    alpha, a, b, wj, g, er, sj, taus, Delta = 0.6215, 0.0077, -0.0062, 0.0189, 1.2308, 1.0, 1.2308, 2.6, 0.02

    def f(_, y):
        r, v, w, s = y
        return [Delta / math.pi + 2 * r * v - (alpha + g * s) * r,
                v * v - alpha * v - w + eta + g * s * (er - v) - (math.pi * r) ** 2,
                a * (b * v - w) + wj * r, -s / taus + sj * r]
    return f


def test_izhikevich_network_bursts_with_its_mean_field():
    """N = 10^4 Izhikevich neurons (default parameters, docs/models/izh_mf.md; 2 ranks) against the Chen-Campbell mean field
    (scipy): at eta_bar = 0.12 (collective bursting) the time-averaged rate within 5% and the
    bursting period (between onsets of s rising through 0.25 after falling below 0.1) within 10%;
    at eta_bar = 0.25 (tonic firing) the late time-averaged rate within 5%."""
    for eta, tend in ((0.12, 500), (0.25, 150)):
        args = [os.path.join(INPUTS, "izhikevich_bursting.yaml"), "-net_E_eta", eta, "-ts_max_time", tend]
        out, _ = net_run(args, ranks=2, name=f"izh{eta}.h5")
        t, obs = ndio.observables(out)
        sol = solve_ivp(izh_mf_rhs(eta), (0, tend), [0.01, 0, 0, 0], max_step=0.1, rtol=1e-8, atol=1e-10,
                        dense_output=True)
        r_mf, r_net = sol.sol(t)[0], obs["E"]["r"]
        if eta == 0.12:
            assert abs(r_net.mean() - r_mf.mean()) < 0.05 * r_mf.mean(), f"mean rate {r_net.mean()} vs {r_mf.mean()}"

            def onsets(s):  # the synaptic gating s: the rate smoothed over tau_s
                times, armed = [], True
                for k in range(1, len(s)):
                    if armed and s[k - 1] < 0.25 <= s[k]:
                        times.append(t[k])
                        armed = False
                    elif s[k] < 0.1:
                        armed = True
                return np.array(times)
            on_net, on_mf = onsets(obs["E"]["s"]), onsets(sol.sol(t)[3])
            assert len(on_net) >= 3 and len(on_mf) >= 3, f"bursts at {on_net} (network), {on_mf} (mean field)"
            p_net, p_mf = np.diff(on_net).mean(), np.diff(on_mf).mean()
            assert abs(p_net - p_mf) < 0.1 * p_mf, f"bursting period {p_net} (network), {p_mf} (mean field)"
        else:
            late = t > 100
            assert abs(r_net[late].mean() - r_mf[late].mean()) < 0.05 * r_mf[late].mean()


def test_izhikevich_reset_rules_against_euler():
    """One uncoupled Izhikevich neuron (default parameters, docs/models/izh_mf.md; eta = 0.3: tonic firing) against numpy's
    forward Euler on the same step, with either reset: to v_reset, or v -> -v as the authors' code
    does (docs/models/izh_mf.md#the-network-and-its-parameters), at 1 and 2 ranks (1e-9 on v, the spike times exactly)"""
    alpha, a, b, wjump, vpeak, vreset, eta, dt, tend = 0.6215, 0.0077, -0.0062, 0.0189, 200.0, -200.0, 0.3, 0.002, 40
    for rule in ("fixed", "reflect"):
        v, w, vs, spikes = 0.0, 0.0, [0.0], []
        for k in range(int(round(tend / dt))):
            vn, wn = v + dt * (v * (v - alpha) - w + eta), w + dt * a * (b * v - w)
            if vn >= vpeak:
                spikes.append((k + 1) * dt)
                vn, wn = (-vn if rule == "reflect" else vreset), wn + wjump
            v, w = vn, wn
            vs.append(v)
        for ranks in (1, 2):
            out, _ = net_run(["-net_populations", "E", "-net_E_model", "izhikevich", "-net_E_size", 1, "-net_E_eta", eta,
                              "-net_E_record", 0, "-net_E_reset", rule, "-ts_dt", dt, "-ts_max_time", tend,
                              "-sample_dt", dt], ranks, name=f"izh_{rule}{ranks}.h5")
            ts, _ = ndio.spikes(out, "E")
            with ndio.open_output(out) as f:
                V = f["traces/E/v"][()][:, 0]
            assert len(spikes) >= 4 and np.allclose(ts, spikes, rtol=0, atol=1e-9), (rule, ts, spikes)
            assert np.max(np.abs(V - vs)) < 1e-9 * vpeak, (rule, ranks)
        if rule == "reflect":
            assert min(vs) < vreset - 1, "the reflection keeps the overshoot past v_peak"


def test_mif_uncoupled_interspike_interval():
    """Uncoupled mif neurons: a cycle is M Poisson kicks (mean M/rate_ext) plus the refractory
    state (mean 1/refractory_rate), so the mean interspike interval is 100/7 + 2.5 ms (0.5%; the
    step adds about dt per cycle, 0.06%)."""
    out, _ = net_run(["-net_populations", "E", "-net_E_model", "mif", "-net_E_size", 300, "-ts_dt", 0.01,
                      "-ts_max_time", 500])
    ts, ids = ndio.spikes(out, "E")
    isi = np.concatenate([np.diff(ts[ids == j]) for j in range(300)])
    expected = 100 / 7 + 1 / 0.4
    assert abs(isi.mean() - expected) < 0.005 * expected, f"mean ISI {isi.mean():.4f} ms, expected {expected:.4f}"
    # the cycle is a sum of 100 exponentials and a geometric wait: its variance is M/rate^2 + 1/rr^2
    sd = math.sqrt(100 / 49 + 1 / 0.16)
    assert abs(isi.std() - sd) < 0.05 * sd, f"ISI standard deviation {isi.std():.4f}, expected {sd:.4f}"


def test_mif_ei_network_same_spikes_at_1_and_2_ranks():
    """inputs/mif_ei.yaml (pending kicks, random per-spike targets) for 200 ms: identical spikes at
    1 and 2 ranks, and both populations fire."""
    runs = []
    for ranks in (1, 2):
        out, _ = net_run([os.path.join(INPUTS, "mif_ei.yaml"), "-ts_max_time", 200], ranks, name=f"mif{ranks}.h5")
        runs.append([ndio.spikes(out, p) for p in ("E", "I")])
    for (a, b) in zip(*runs):
        assert len(a[0]) > 100
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_connectivity_from_a_file_with_weights_and_delays():
    """A -> B read from an HDF5 CSR group (scipy csr_matrix arrays, rows = targets) with a 'delays'
    array: B's recorded V(t) is the sum of exact PSPs with the file's weights and delays, negative
    weights through the inhibitory current (tau_syn_in = 5 ms), at 1 and 2 ranks (1e-9 mV)."""
    import h5py
    import scipy.sparse as sp

    W = sp.csr_matrix(np.array([[80.0, 0.0, -60.0], [50.0, 120.0, 0.0]]))
    D = sp.csr_matrix((np.array([1.0, 3.5, 2.0, 0.5]), W.indices, W.indptr), shape=W.shape)
    path = os.path.join(workdir(), "conn.h5")
    with h5py.File(path, "w") as f:
        g = f.create_group("A_to_B")
        g["indptr"], g["indices"], g["data"], g["delays"] = W.indptr, W.indices, W.data, D.data
        g.attrs["shape"] = W.shape
    args = ["-net_populations", "A,B", "-net_A_model", "lif", "-net_A_size", 3, "-net_A_I_e", 600, "-net_A_I_e_dist",
            "uniform", "-net_A_I_e_spread", 100, "-net_B_model", "lif", "-net_B_size", 2, "-net_B_tau_syn_in", 5,
            "-net_B_record", "0,1", "-net_A_B_rule", "file", "-net_A_B_file", path + ":/A_to_B", "-ts_dt", 0.1,
            "-ts_max_time", 100, "-sample_dt", 0.1]
    for ranks in (1, 2):
        out, _ = net_run(args, ranks, name=f"file{ranks}.h5")
        t, _ = ndio.observables(out)
        ts, ids = ndio.spikes(out, "A")
        with ndio.open_output(out) as f:
            V = f["traces/B/V"][()]
        assert all(np.sum(ids == a) >= 2 for a in range(3)), "every A neuron should fire"
        for b in range(2):
            v = np.full_like(t, LIF["E_L"])
            for k in range(W.indptr[b], W.indptr[b + 1]):
                a, w, d = W.indices[k], W.data[k], D.data[k]
                tau_s = 2.0 if w >= 0 else 5.0
                rate = 1 / LIF["tau_m"] - 1 / tau_s
                for s in ts[ids == a]:
                    h = np.where(t - (s + d) > 1e-9, t - (s + d), 0)
                    v += w / LIF["C"] * np.exp(-h / LIF["tau_m"]) * np.expm1(rate * h) / rate
            assert np.max(np.abs(V[:, b] - v)) < 1e-9, f"neuron B{b} at {ranks} rank(s)"
    # the weights alone as a PETSc binary matrix give the same traces as the same CSR arrays in HDF5
    binary = os.path.join(workdir(), "conn.petsc")
    ndtest.write_petsc_binary_csr(binary, W)
    with h5py.File(path, "a") as f:
        g = f.create_group("weights")
        g["indptr"], g["indices"], g["data"] = W.indptr, W.indices, W.data
        g.attrs["shape"] = W.shape
    traces = []
    for spec in (path + ":/weights", binary):
        with_file = [spec if a == path + ":/A_to_B" else a for a in args] + ["-net_A_B_delay", 1.5]
        out, _ = net_run(with_file, 2, name="weights.h5")
        with ndio.open_output(out) as f:
            traces.append(f["traces/B/V"][()])
    assert np.array_equal(traces[0], traces[1]) and np.ptp(traces[0]) > 1, "PETSc binary vs HDF5"


def test_lif_cond_conductance_psps_against_an_ode_solver():
    """lif_cond (NEST iaf_cond_exp): neuron A drives B through an excitatory (8 nS) and A2 through
    an inhibitory (-15 nS, to g_in) synapse with delays. B's recorded V(t) against scipy's
    solution of the conductance equations with the same spike arrivals (rtol 1e-10): the
    exponential-Euler step with step-averaged conductances is second order: the error falls
    about fourfold from dt = 0.1 to 0.05 ms, and is below 3e-4 mV at 0.05 ms."""
    C, gL, EL, Eex, Ein, tex, tin = 250.0, 16.6667, -70.0, 0.0, -85.0, 0.2, 2.0
    errors = []
    for dt in (0.1, 0.05):
        out, _ = net_run(["-net_populations", "A,P,B", "-net_A_model", "lif_cond", "-net_A_size", 1, "-net_A_I_e", 600,
                          "-net_P_model", "lif_cond", "-net_P_size", 1, "-net_P_I_e", 450,
                          "-net_B_model", "lif_cond", "-net_B_size", 1, "-net_B_record", 0,
                          "-net_A_B_rule", "fixed_indegree", "-net_A_B_K", 1, "-net_A_B_weight", 8, "-net_A_B_delay", 1.0,
                          "-net_P_B_rule", "fixed_indegree", "-net_P_B_K", 1, "-net_P_B_weight", -15, "-net_P_B_delay", 2.0,
                          "-ts_dt", dt, "-ts_max_time", 150, "-sample_dt", 0.1], ranks=2, name=f"cond{dt}.h5")
        t, _ = ndio.observables(out)
        arrivals = [(s + 1.0, 8.0, "ex") for s in ndio.spikes(out, "A")[0]] + \
                   [(s + 2.0, 15.0, "in") for s in ndio.spikes(out, "P")[0]]
        assert sum(1 for a in arrivals if a[2] == "ex") >= 3 and sum(1 for a in arrivals if a[2] == "in") >= 3

        def g(tt, kind, tau):
            return sum(w * np.exp(-(tt - a) / tau) for a, w, k in arrivals if k == kind and tt >= a)

        def rhs(tt, v):
            return [(-gL * (v[0] - EL) - g(tt, "ex", tex) * (v[0] - Eex) - g(tt, "in", tin) * (v[0] - Ein)) / C]

        stops = sorted({0.0, 150.0} | {a for a, _, _ in arrivals if a < 150})
        ref = np.empty_like(t)
        v0 = EL
        for a, b in zip(stops[:-1], stops[1:]):  # piecewise between the conductance jumps
            sol = solve_ivp(rhs, (a, b), [v0], rtol=1e-10, atol=1e-12, dense_output=True, method="DOP853")
            sel = (t >= a) & (t <= b)
            ref[sel] = sol.sol(t[sel])[0]
            v0 = sol.y[0, -1]
        with ndio.open_output(out) as f:
            V = f["traces/B/V"][:, 0]
        errors.append(np.max(np.abs(V - ref)))
    assert errors[1] < 3e-4, errors  # measured 4.1e-4 mV at 0.1 ms, 9.5e-5 at 0.05
    assert 2.5 < errors[0] / errors[1] < 6, f"errors {errors}: not second order"


def brunel_siegert_rate(g, eta, tau=20.0, theta=20.0, v_reset=10.0, t_ref=2.0, J=0.1, C_E=1000, gamma=0.25):
    """Brunel (2000) model A, asynchronous state: the self-consistent rate (1/ms) of the diffusion
    approximation, 1/nu = t_ref + tau sqrt(pi) int_{(V_r - mu)/sigma}^{(theta - mu)/sigma} e^{u^2} (1 + erf u) du,
    mu = C_E J tau (nu_ext + nu (1 - g gamma)), sigma^2 = J^2 C_E tau (nu_ext + nu (1 + g^2 gamma))."""
    from scipy.integrate import quad
    from scipy.optimize import brentq
    from scipy.special import erfcx

    nu_ext = eta * theta / (J * C_E * tau)

    def excess(nu):
        mu = C_E * J * tau * (nu_ext + nu * (1 - g * gamma))
        sigma = np.sqrt(J * J * C_E * tau * (nu_ext + nu * (1 + g * g * gamma)))
        integral = quad(lambda u: erfcx(-u), (v_reset - mu) / sigma, (theta - mu) / sigma, limit=200)[0]
        return 1 / (t_ref + tau * np.sqrt(np.pi) * integral) - nu
    return brentq(excess, 1e-6, 0.4)


def test_brunel_asynchronous_irregular_rate_against_siegert():
    """inputs/brunel.yaml (model A, g = 5, eta = 2: asynchronous irregular), 2 ranks, 300 ms: the
    rate over 100-300 ms of both populations within 10% of the self-consistent diffusion
    (Siegert) rate of Brunel's theory (measured 37.3 Hz vs 37.9 Hz), and irregular firing (CV of the
    interspike intervals > 0.3; a regular oscillator has about 0)."""
    out, _ = net_run([os.path.join(INPUTS, "brunel.yaml"), "-ts_max_time", 300], ranks=2, name="brunel.h5")
    nu = brunel_siegert_rate(5.0, 2.0)
    for pop, n in (("E", 10000), ("I", 2500)):
        ts, ids = ndio.spikes(out, pop)
        late = ts > 100
        rate = late.sum() / n / 200.0
        assert abs(rate - nu) < 0.1 * nu, f"{pop}: {rate * 1000:.2f} Hz, Siegert {nu * 1000:.2f} Hz"
    order = np.lexsort((ts[late], ids[late]))
    t_sorted, i_sorted = ts[late][order], ids[late][order]
    isi = np.diff(t_sorted)[np.diff(i_sorted) == 0]
    assert isi.std() / isi.mean() > 0.3, "firing is not irregular"  # measured 0.42


def test_one_input_file_for_the_mif_network_and_markov_ei():
    """inputs/mif_markov_ei.yaml runs the mif network by default (2 ranks) and the markov_ei ODEs
    with -sys_type on the command line, each ignoring the other's keys; the network's per-population
    parameters are the ODEs' (P_EE = E's P_E, S_IE = I's S_E, ...), exactly; a misspelled network
    option on the command line is still an error."""
    net, _ = net_run([os.path.join(INPUTS, "mif_markov_ei.yaml"), "-ts_max_time", 20], ranks=2, name="mif.h5")
    ode, _ = net_run([os.path.join(INPUTS, "mif_markov_ei.yaml"), "-sys_type", "markov_ei", "-ts_max_time", 20],
                     name="markov.h5")
    mapping = {("E", "P_E"): "P_EE", ("E", "P_I"): "P_EI", ("I", "P_E"): "P_IE", ("I", "P_I"): "P_II",
               ("E", "S_E"): "S_EE", ("E", "S_I"): "S_EI", ("I", "S_E"): "S_IE", ("I", "S_I"): "S_II",
               ("E", "tau_E"): "tau_EE", ("I", "tau_E"): "tau_IE", ("E", "tau_I"): "tau_I", ("E", "rate_ext"): "rate_ext"}
    with ndio.open_output(net) as f, ndio.open_output(ode) as g:
        for (pop, name), param in mapping.items():
            assert f[f"network/{pop}/parameters/{name}"][()] == g[f"system/parameters/{param}"][()], (pop, name)
        assert int(f["network/E"].attrs["size"]) == g["system/parameters/N_E"][()]
        assert len(f["spikes/E/timestamps"]) > 0 and "H_EE" in g["timeseries"]
    expect_error(["simulate", os.path.join(INPUTS, "mif_markov_ei.yaml"), "-net_E_bogus", 3], "unknown option -net_E_bogus",
                 2, os.path.join(workdir(), "x.h5"))
