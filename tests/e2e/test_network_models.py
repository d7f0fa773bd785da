"""Neuron models NEST users reach for first: lif_delta (NEST iaf_psc_delta) against its analytic
voltage jumps and Brunel's (2000) diffusion theory."""
import os

import ndio
import numpy as np
from ndtest import INPUTS, workdir, run_ok


def net_run(args, ranks=1, name="net.h5"):
    out = os.path.join(workdir(), name)
    run_ok(["simulate"] + [str(a) for a in args] + ["-output", out, "-quiet"], ranks)
    return out


def test_lif_delta_jumps_decay_and_refractory_loss():
    """lif_delta (tau_m = 10 ms, E_L = -70 mV), 2 ranks. A (I_e = 500 pA) fires periodically and
    drives B (+0.5 mV, delay 2 ms) and C (-0.3 mV, delay 1.3 ms): V = E_L + sum_k w e^{-(t - t_k - D)/tau_m}
    over the arrivals t_k + D <= t. S and R start above threshold and fire in the first step; R
    (V_reset = -65 mV) is clamped at V_reset for t_ref = 2 ms and then relaxes as
    E_L + 5 e^{-(t - 2.1)/tau_m}; S's 5 mV jump arrives (delay 1 ms) while R is refractory and is
    lost, while Q, not refractory, takes it. Absolute 1e-10 mV."""
    tau, EL = 10.0, -70.0
    one = lambda p: [f"-net_{p}_model", "lif_delta", f"-net_{p}_size", 1]  # noqa: E731
    out = net_run(["-net_populations", "A,B,C,S,R,Q"] + one("A") + one("B") + one("C") + one("S") + one("R")
                  + one("Q") + ["-net_A_I_e", 500, "-net_S_init_V", -50, "-net_R_init_V", -50, "-net_R_V_reset", -65,
                                "-net_A_B_rule", "fixed_indegree", "-net_A_B_K", 1, "-net_A_B_weight", 0.5,
                                "-net_A_B_delay", 2, "-net_A_C_rule", "fixed_indegree", "-net_A_C_K", 1,
                                "-net_A_C_weight", -0.3, "-net_A_C_delay", 1.3,
                                "-net_S_R_rule", "fixed_indegree", "-net_S_R_K", 1, "-net_S_R_weight", 5,
                                "-net_S_R_delay", 1, "-net_S_Q_rule", "fixed_indegree", "-net_S_Q_K", 1,
                                "-net_S_Q_weight", 5, "-net_S_Q_delay", 1,
                                "-ts_dt", 0.1, "-ts_max_time", 60, "-sample_dt", 0.1], ranks=2)
    t, obs = ndio.observables(out)
    ta, _ = ndio.spikes(out, "A")
    assert len(ta) >= 3
    # A's first spike: V(t) = E_L + 20 (1 - e^{-t/tau}) reaches V_th = -55 at tau ln 4, on the 0.1 ms grid
    assert abs(ta[0] - np.ceil(tau * np.log(4) / 0.1) * 0.1) < 1e-9

    def psps(w, delay):
        w = float(np.float32(w))  # synapses hold their weight in single precision (docs/network.md)
        v = np.full_like(t, EL)
        for s in ta:
            h = t - (s + delay)
            v += np.where(h > -1e-9, w * np.exp(-np.maximum(h, 0) / tau), 0)
        return v
    assert np.max(np.abs(obs["B"]["v"] - psps(0.5, 2.0))) < 1e-10
    assert np.max(np.abs(obs["C"]["v"] - psps(-0.3, 1.3))) < 1e-10
    for p in ("S", "R"):
        assert np.allclose(ndio.spikes(out, p)[0], [0.1], rtol=0, atol=1e-12), p
    after = t >= 0.1 - 1e-9
    r = np.where(t <= 2.1 + 1e-9, -65.0, EL + 5 * np.exp(-(t - 2.1) / tau))
    assert np.max(np.abs(obs["R"]["v"][after] - r[after])) < 1e-10
    q = np.where(t >= 1.1 - 1e-9, EL + 5 * np.exp(-(t - 1.1) / tau), EL)
    assert np.max(np.abs(obs["Q"]["v"] - q)) < 1e-10


def brunel_siegert_rate(g, eta, J, C_E, tau=20.0, theta=20.0, v_reset=10.0, t_ref=2.0, gamma=0.25):
    """Brunel (2000) model A, asynchronous state: the self-consistent rate (1/ms) of the diffusion
    approximation, 1/nu = t_ref + tau sqrt(pi) int_{(V_r - mu)/sigma}^{(theta - mu)/sigma} e^{u^2} (1 + erf u) du,
    mu = C_E J tau (nu_ext + nu (1 - g gamma)), sigma^2 = J^2 C_E tau (nu_ext + nu (1 + g^2 gamma)),
    nu_ext = eta theta / (J C_E tau)."""
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


def brunel_delta(N_E, J, g=5.0, eta=2.0, epsilon=0.1):
    """Options that scale inputs/brunel_delta.yaml to N_E excitatory neurons (N_I = N_E/4,
    C_E = epsilon N_E, C_I = C_E/4, Poisson input C_E eta theta/(J C_E tau) per ms)."""
    C_E = int(epsilon * N_E)
    rate = eta * 20.0 / (J * 20.0)
    return [os.path.join(INPUTS, "brunel_delta.yaml"), "-net_E_size", N_E, "-net_I_size", N_E // 4,
            "-net_E_E_K", C_E, "-net_E_I_K", C_E, "-net_I_E_K", C_E // 4, "-net_I_I_K", C_E // 4,
            "-net_E_E_weight", J, "-net_E_I_weight", J, "-net_I_E_weight", -g * J, "-net_I_I_weight", -g * J,
            "-net_E_poisson_rate", rate, "-net_I_poisson_rate", rate, "-net_E_poisson_weight", J,
            "-net_I_poisson_weight", J], C_E


def brunel_check(out, N_E, nu, t0, t1, tol, cv):
    """Both populations' rates over [t0, t1) within tol of nu, and irregular firing (ISI CV > cv)."""
    for pop, n in (("E", N_E), ("I", N_E // 4)):
        ts, ids = ndio.spikes(out, pop)
        late = (ts > t0) & (ts <= t1)
        rate = late.sum() / n / (t1 - t0)
        assert abs(rate - nu) < tol * nu, f"{pop}: {rate * 1000:.2f} Hz, Siegert {nu * 1000:.2f} Hz"
        order = np.lexsort((ts[late], ids[late]))
        isi = np.diff(ts[late][order])[np.diff(ids[late][order]) == 0]
        assert isi.std() / isi.mean() > cv, f"{pop}: ISI CV {isi.std() / isi.mean():.2f}, not irregular"


def test_lif_delta_brunel_model_a_against_siegert_at_1_and_2_ranks():
    """Brunel's model A with lif_delta (inputs/brunel_delta.yaml scaled to N_E = 4000, C_E = 400,
    J = 0.2 mV, g = 5, eta = 2: asynchronous irregular), 400 ms at 1 and 2 ranks: the same spikes
    bitwise; the rates over 100-400 ms within 4% of the self-consistent Siegert rate (46.5 Hz;
    measured 46.2 Hz, -0.6%); ISI CV > 0.5 (measured 0.59). The tolerance: the diffusion
    approximation neglects the finite jumps (J/(theta - V_r) = 2%, corrections of that order) and
    the finite size (C_E/N_E = 0.1, weak correlations); the sampling error of 69 000 spikes is 0.4%."""
    args, C_E = brunel_delta(4000, 0.2)
    args += ["-ts_max_time", 400]
    outs = [net_run(args, ranks=r, name=f"brunel{r}.h5") for r in (1, 2)]
    for pop in ("E", "I"):
        a, b = ndio.spikes(outs[0], pop), ndio.spikes(outs[1], pop)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), pop
    brunel_check(outs[1], 4000, brunel_siegert_rate(5.0, 2.0, 0.2, C_E), 100, 400, 0.04, 0.5)


ADEX = dict(C=281.0, gL=30.0, EL=-70.6, VT=-50.4, DT=2.0, tauw=144.0, a=4.0, b=80.5, Vpeak=0.0, Vr=-60.0)


def adex_reference(I, T, p=ADEX):
    """Spike times of one AdEx neuron (NEST aeif defaults) under a constant current I (pA) from
    V = E_L, w = 0 to time T (ms), and w just after each reset: scipy solve_ivp (DOP853, rtol
    1e-11) in z = exp(-(V - V_th)/Delta_T), where the blow-up of V is the smooth passage of z
    through exp(-(V_peak - V_th)/Delta_T) (an event), followed by the reset."""
    from scipy.integrate import solve_ivp

    C, gL, EL, VT, DT = p["C"], p["gL"], p["EL"], p["VT"], p["DT"]

    def f(t, y):
        z, w = y
        v = VT - DT * np.log(abs(z))
        return [-gL / C + z * (gL * (v - EL) + w - I) / (DT * C), (p["a"] * (v - EL) - w) / p["tauw"]]

    def peak(t, y):
        return y[0] - np.exp(-(p["Vpeak"] - VT) / DT)
    peak.terminal, peak.direction = True, -1
    t, y, spikes, ws = 0.0, [np.exp(-(EL - VT) / DT), 0.0], [], []
    while t < T:
        s = solve_ivp(f, (t, T), y, method="DOP853", rtol=1e-11, atol=[1e-13, 1e-9], events=peak)
        if s.t_events[0].size == 0:
            break
        t = s.t_events[0][0]
        y = [np.exp(-(p["Vr"] - VT) / DT), s.y_events[0][0][1] + p["b"]]
        spikes.append(t)
        ws.append(y[1])
    return np.array(spikes), np.array(ws)


def test_adex_f_I_curve_and_adaptation_against_scipy():
    """adex with NEST's aeif_psc_exp defaults, five neurons with I_e = 700 ... 1100 pA (quantiles),
    600 ms at dt = 0.1 ms with 10 Runge-Kutta substeps, 1 and 2 ranks: the same spikes bitwise;
    against an independent scipy solution, the same number of spikes (the f-I curve, with the
    adapting first intervals: 32.6 ms, then 131 ms at 700 pA), each spike reported in the step of
    the reference crossing to within the drift of one substep per spike (|t_ref - (t - dt/2)| <=
    dt/2 + (k + 1) dt/10 for the k-th spike; measured margin >= 0.006 ms), and w after each spike
    (the adaptation) within 0.5 pA: what w changes in the rest of the step after the reset
    ((a |V - E_L| + w)/tau_w dt is at most 0.4 pA here; measured 0.32)."""
    dt, T, n = 0.1, 600.0, 5
    args = ["-net_populations", "E", "-net_E_model", "adex", "-net_E_size", n, "-net_E_I_e", 900, "-net_E_I_e_dist",
            "uniform", "-net_E_I_e_spread", 300, "-net_E_record", "0,1,2,3,4", "-ts_dt", dt, "-ts_max_time", T,
            "-sample_dt", dt]
    outs = [net_run(args, ranks=r, name=f"adex{r}.h5") for r in (1, 2)]
    a, b = ndio.spikes(outs[0], "E"), ndio.spikes(outs[1], "E")
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    ts, ids = a
    with ndio.open_output(outs[1]) as f:
        t, W = f["observables/t"][:], f["traces/E/w"][:]
    for j in range(n):
        I = 900 + 300 * (2 * (j + 1) - n - 1) / (n + 1)
        ref, wref = adex_reference(I, T)
        mine = ts[ids == j]
        assert len(mine) == len(ref), f"I = {I} pA: {len(mine)} spikes, scipy {len(ref)}"
        k = np.arange(len(ref))
        assert np.all(np.abs(ref - (mine - dt / 2)) <= dt / 2 + (k + 1) * dt / 10), f"I = {I} pA"
        rows = np.rint(mine / dt).astype(int)
        assert np.allclose(t[rows], mine)
        assert np.max(np.abs(W[rows, j] - wref)) < 0.5, f"I = {I} pA"


def test_adex_synaptic_currents_against_scipy():
    """adex: neuron A (I_e = 800 pA) drives B through an excitatory synapse (400 pA, delay 1 ms,
    tau_syn_ex = 0.2 ms) and C through an inhibitory one (-300 pA, delay 2.5 ms, tau_syn_in = 2 ms),
    2 ranks: B's and C's subthreshold V and w against scipy (DOP853, rtol 1e-11) with the currents
    sum_k w e^{-(t - t_k - D)/tau_syn} from A's spikes (absolute 1e-6 mV, 1e-6 pA)."""
    from scipy.integrate import solve_ivp

    dt, T = 0.1, 150.0
    out = net_run(["-net_populations", "A,B,C", "-net_A_model", "adex", "-net_A_size", 1, "-net_A_I_e", 800,
                   "-net_B_model", "adex", "-net_B_size", 1, "-net_C_model", "adex", "-net_C_size", 1,
                   "-net_A_B_rule", "fixed_indegree", "-net_A_B_K", 1, "-net_A_B_weight", 400, "-net_A_B_delay", 1,
                   "-net_A_C_rule", "fixed_indegree", "-net_A_C_K", 1, "-net_A_C_weight", -300, "-net_A_C_delay", 2.5,
                   "-net_B_record", 0, "-net_C_record", 0, "-ts_dt", dt, "-ts_max_time", T, "-sample_dt", dt], ranks=2)
    ta, _ = ndio.spikes(out, "A")
    assert len(ta) >= 3
    p = ADEX
    with ndio.open_output(out) as f:
        t = f["observables/t"][:]
        for pop, w, delay, tau in (("B", 400.0, 1.0, 0.2), ("C", -300.0, 2.5, 2.0)):
            def current(s):
                h = s - (ta + delay)
                return float(np.sum(np.where(h > 0, w * np.exp(-np.maximum(h, 0) / tau), 0)))

            def f_(s, y):
                v, u = y
                return [(-p["gL"] * (v - p["EL"]) + p["gL"] * p["DT"] * np.exp((v - p["VT"]) / p["DT"]) - u
                         + current(s)) / p["C"], (p["a"] * (v - p["EL"]) - u) / p["tauw"]]
            arrivals = np.concatenate(([0.0], ta + delay, [T]))
            arrivals = np.unique(arrivals[arrivals <= T])
            y, V, U = [p["EL"], 0.0], [], []
            for lo, hi in zip(arrivals[:-1], arrivals[1:]):  # piecewise: the current jumps at arrivals
                sel = t[(t > lo + 1e-9) & (t <= hi + 1e-9)]
                s = solve_ivp(f_, (lo, hi), y, method="DOP853", rtol=1e-11, atol=1e-11, t_eval=sel, dense_output=True)
                V.extend(s.y[0])
                U.extend(s.y[1])
                y = s.sol(hi)
            sel = t > 1e-9
            assert np.max(np.abs(f[f"traces/{pop}/V"][sel, 0] - V)) < 1e-6, pop
            assert np.max(np.abs(f[f"traces/{pop}/w"][sel, 0] - U)) < 1e-6, pop
