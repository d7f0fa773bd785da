"""The markov_ei mass model (docs/models/markov_ei.md) on the numpy side: the population firing
rates (spike fluxes) from the stored occupations and pending kicks, and the generator of one
neuron's Markov chain at given kick rates, written independently of the C implementation."""
import numpy as np

POPS = ("E", "I")


def params_of(p):
    """The parameters of target population Q, as dictionaries keyed like the C names"""
    return {"E": dict(S_E=p["S_EE"], S_I=p["S_EI"], tau_E=p["tau_EE"], tau_I=p["tau_I"]),
            "I": dict(S_E=p["S_IE"], S_I=p["S_II"], tau_E=p["tau_IE"], tau_I=p["tau_I"])}


def state_names(pop, M, Mr):
    return [f"p{pop}_{'m' if v < 0 else ''}{abs(v)}" for v in range(-Mr, M)] + [f"p{pop}_ref"]


def generator(M, Mr, rate_ext, kappa_E, S_E, kappa_I, S_I, refractory_rate):
    """G (n x n, n = M + Mr + 1, last state refractory) with dp/dt = G p, and the spike-flux row f
    (F = f . p): a kick x from v goes to v + floor(x) + 1 with probability x - floor(x)"""
    n = M + Mr + 1
    G = np.zeros((n, n))
    f = np.zeros(n)
    for i in range(M + Mr):
        kicks = [(rate_ext, 1.0), (kappa_E, S_E), (kappa_I, S_I * i / (M + Mr))]
        for rate, x in kicks:
            lo = np.floor(x)
            for target, w in ((i + int(lo), 1 - (x - lo)), (i + int(lo) + 1, x - lo)):
                dest = n - 1 if target >= M + Mr else max(target, 0)
                G[dest, i] += rate * w
                G[i, i] -= rate * w
                if dest == n - 1:
                    f[i] += rate * w
    G[n - 1, n - 1] -= refractory_rate
    G[Mr, n - 1] += refractory_rate
    return G, f


def rates(data, p):
    """{'E': F_E(t), 'I': F_I(t)} in spikes per neuron per ms from a markov_ei time series"""
    M, Mr = int(p["M"]), int(p["M_r"])
    q = params_of(p)
    out = {}
    for pop in POPS:
        P = np.array([data[n] for n in state_names(pop, M, Mr)])
        kE = np.asarray(data[f"H_{pop}E"]) / q[pop]["tau_E"]
        # the flux is linear in the kick rates: per unit external rate and per unit E kick rate
        # (I kicks never cross threshold)
        _, f_ext = generator(M, Mr, 1.0, 0.0, q[pop]["S_E"], 0.0, q[pop]["S_I"], p["refractory_rate"])
        _, f_E = generator(M, Mr, 0.0, 1.0, q[pop]["S_E"], 0.0, q[pop]["S_I"], p["refractory_rate"])
        F = p["rate_ext"] * (f_ext @ P) + kE * (f_E @ P)
        out[pop] = F
    return out


def rhs(x, p, normalization_rate=1.0):
    """The right-hand side for a state vector in the C layout: per population (E, I) the
    occupations of V = -M_r .. M-1, the refractory state, then H_QE, H_QI. normalization_rate
    (1 - sum) is added to dp(0)/dt, as in the C code (it vanishes where the occupations sum to 1)."""
    M, Mr = int(p["M"]), int(p["M_r"])
    n, block = M + Mr + 1, M + Mr + 3
    q = params_of(p)
    N = {"E": p["N_E"], "I": p["N_I"]}
    P = {("E", "E"): p["P_EE"], ("I", "E"): p["P_IE"], ("E", "I"): p["P_EI"], ("I", "I"): p["P_II"]}
    f = np.zeros_like(x)
    flux = {}
    for k, pop in enumerate(POPS):
        o = k * block
        G, frow = generator(M, Mr, p["rate_ext"], x[o + n] / q[pop]["tau_E"], q[pop]["S_E"],
                            x[o + n + 1] / q[pop]["tau_I"], q[pop]["S_I"], p["refractory_rate"])
        f[o:o + n] = G @ x[o:o + n]
        f[o + Mr] += normalization_rate * (1 - x[o:o + n].sum())
        flux[pop] = frow @ x[o:o + n]
    for k, pop in enumerate(POPS):
        o = k * block
        for j, src in enumerate(POPS):
            f[o + n + j] = N[src] * P[(pop, src)] * flux[src] - x[o + n + j] / q[pop][f"tau_{src}"]
    return f
