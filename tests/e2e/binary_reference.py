"""Independent brute-force numpy implementation of the binary-network analyses (docs/models/binary.md),
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


def maps_cycles(F):
    """Cycles of length >= 2 of every row of F (maps of the 2^N states, one per row), as one set
    of tuples starting at their smallest state. Vectorised: F^(2^N) takes every state onto its
    cycle, and the minimum over each orbit is found by doubling."""
    R, S = F.shape
    steps = max(1, int(np.ceil(np.log2(S))) + 1)
    off = np.arange(R)[:, None] * S

    def after(A, B):  # A[r, B[r, s]] for every row r (np.take_along_axis, by a flat index: faster)
        return A.ravel()[B + off]

    G, M, P = F.copy(), np.tile(np.arange(S), (R, 1)), F.copy()
    for _ in range(steps):
        G = after(G, G)
        M = np.minimum(M, after(M, P))
        P = after(P, P)
    on = np.zeros((R, S), bool)
    np.put_along_axis(on, G, True, 1)
    rows, starts = np.nonzero(on & (M == np.arange(S)) & (F != np.arange(S)))
    found, cur, orbit = set(), starts.copy(), [starts]
    length = np.zeros(len(starts), int)
    for k in range(1, S + 1):
        cur = F[rows, cur]
        length[(length == 0) & (cur == starts)] = k
        if np.all(length > 0):
            break
        orbit.append(cur)
    orbit = np.array(orbit).T
    for o, n in zip(orbit, length):
        found.add(tuple(o[:n].tolist()))
    return found


def all_cycles(J, theta, I, pop, smin, smax):
    """Every cycle that exists somewhere in the box [smin, smax) of extra stimuli: the union of
    the cycles of the map at one point of every cell of the grid of all 2^N N thresholds
    Lambda_i(nu) (1 or 2 populations; smin may be -inf, smax inf)."""
    N, P = len(theta), int(pop.max()) + 1
    nu = activities(N)
    lam = theta - I - nu @ J.T
    weights = 1 << np.arange(N)
    parts = []
    for d in range(P):
        m = pop == d
        b = np.unique(lam[:, m])
        b = b[(b > smin[d]) & (b < smax[d])]
        lo = smin[d] if np.isfinite(smin[d]) else (b[0] if len(b) else 0) - 1
        hi = smax[d] if np.isfinite(smax[d]) else (b[-1] if len(b) else 0) + 1
        edges = np.concatenate([[lo], b, [hi]])
        reps = 0.5 * (edges[:-1] + edges[1:])
        # the bits of population d in every image, at each representative stimulus
        parts.append(((lam[None, :, :] <= reps[:, None, None]) & m) @ weights)
    if P == 1:
        return maps_cycles(parts[0])
    found = set()
    for f1 in parts[1]:
        found |= maps_cycles(parts[0] | f1[None, :])
    return found


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
