"""Independent brute-force numpy implementation of the binary-network analyses (MODELS.md A6),
for the tests: every state is an integer s with bit i the activity of neuron i."""
import numpy as np
from scipy.special import erfc


def activities(N):
    s = np.arange(2**N)
    return ((s[:, None] >> np.arange(N)) & 1).astype(float)


def boxes(J, theta, I, pop):
    """Stationary states and their boxes in the extra stimulus per population."""
    N, P = len(theta), int(pop.max()) + 1
    nu = activities(N)
    lam = theta - I - nu @ J.T  # Lambda_i(nu)
    lower = np.full((2**N, P), -np.inf)
    upper = np.full((2**N, P), np.inf)
    for a in range(P):
        m = pop == a
        on = np.where(nu[:, m] == 1, lam[:, m], -np.inf)
        off = np.where(nu[:, m] == 0, lam[:, m], np.inf)
        lower[:, a] = on.max(axis=1)
        upper[:, a] = off.min(axis=1)
    ok = np.all(lower < upper, axis=1)
    return np.nonzero(ok)[0], lower[ok], upper[ok]


def synchronous_map(J, theta, I):
    nu = activities(len(theta))
    nxt = (nu @ J.T + I >= theta).astype(np.int64)
    return nxt @ (1 << np.arange(len(theta)))


def fixed_points(F):
    return set(np.nonzero(F == np.arange(len(F)))[0])


def cycles(F):
    """Cycles of length >= 2, each as a tuple starting at its smallest state."""
    x = np.arange(len(F))
    for _ in range(len(F)):
        x = F[x]
    found = set()
    for s in set(x.tolist()):
        c = [s]
        t = F[s]
        while t != s:
            c.append(int(t))
            t = F[t]
        if len(c) > 1:
            k = int(np.argmin(c))
            found.add(tuple(c[k:] + c[:k]))
    return found


def cycle_box(J, theta, I, pop, cycle):
    """Where every transition of the cycle happens: per population, max Lambda_i over the
    neurons switched on by a transition, min over those switched off."""
    N, P = len(theta), int(pop.max()) + 1
    lo, hi = np.full(P, -np.inf), np.full(P, np.inf)
    for k in range(len(cycle)):
        a, b = int(cycle[k]), int(cycle[(k + 1) % len(cycle)])
        nu = (a >> np.arange(N)) & 1
        nxt = (b >> np.arange(N)) & 1
        lam = theta - I - J @ nu
        for p in range(P):
            m = pop == p
            lo[p] = max(lo[p], np.max(lam[m & (nxt == 1)], initial=-np.inf))
            hi[p] = min(hi[p], np.min(lam[m & (nxt == 0)], initial=np.inf))
    return lo, hi


def activation(x, noise, scale):
    if noise == "logistic":
        return 1 / (1 + np.exp(-x / scale))
    return 0.5 * erfc(-x / (scale * np.sqrt(2)))


def transition_matrix(J, theta, I, noise, scale, update):
    """P[s, t] = P(s -> t)"""
    N = len(theta)
    nu = activities(N)
    p = activation(nu @ J.T + I - theta, noise, scale)  # P(nu_i = 1 next) from state s
    n = 2**N
    if update == "synchronous":
        # P(s -> t) = prod_i (nu_i(t) p_i(s) + (1 - nu_i(t)) (1 - p_i(s)))
        return np.prod(nu[None, :, :] * p[:, None, :] + (1 - nu[None, :, :]) * (1 - p[:, None, :]), axis=2)
    P = np.zeros((n, n))
    for s in range(n):
        for i in range(N):
            t = s ^ (1 << i)
            P[s, t] = (p[s, i] if nu[s, i] == 0 else 1 - p[s, i]) / N
        P[s, s] = 1 - P[s].sum()
    return P


def stationary_distribution(P):
    """Solve pi (P - 1) = 0 with sum(pi) = 1 (least squares on the stacked system)."""
    n = len(P)
    A = np.vstack([P.T - np.eye(n), np.ones((1, n))])
    b = np.zeros(n + 1)
    b[-1] = 1
    return np.linalg.lstsq(A, b, rcond=None)[0]


def moments(pi, J, I):
    N = len(I)
    nu = activities(N)
    m = pi @ nu
    second = nu.T @ (pi[:, None] * nu)
    cov = second - np.outer(m, m)
    mu = nu @ J.T + I
    vmean = pi @ mu
    vvar = pi @ mu**2 - vmean**2
    return m, cov, vmean, vvar
