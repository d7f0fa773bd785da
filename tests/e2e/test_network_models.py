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
