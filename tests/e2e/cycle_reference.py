"""Independent scipy reference for periodic orbits of neurodyn's mean-field systems (izh_mf, and
mpr with any tau and with or without synapses), for the tests of periodic-orbit continuation.

A periodic orbit at given parameters is found by single shooting: a DOP853 integration
(rtol 1e-12) of the flow together with its variational equations, and Newton's method on
(x0, T) with x0 on a Poincare section {x[k] = c} (the phase condition): unknowns the other
coordinates of x0 and T, equations phi_T(x0) - x0 = 0. The converged orbit gives the period, the
max and min of each variable (dense output, refined by Brent's method), and the Floquet
multipliers (eigenvalues of the monodromy matrix from the same variational equations); the
trivial multiplier's distance from 1 measures the accuracy.

Also: equilibria, Hopf points in a parameter (located by the bialternate-product test function,
which changes sign whether the critical pair is real or complex on either side, and checked to
have a pair +-i omega, so that neutral saddles are not reported), the first Lyapunov coefficient
there (Kuznetsov's formula, with second and third derivatives from central differences of the
analytic Jacobian: exact up to rounding for these quadratic systems), and a fold of cycles (the
extremum of the parameter along the orbits of fixed period).

The equations are those of src/system/impls/izh_mf/izh_mf.c and src/system/impls/mpr/mpr.c,
written here again in numpy. Used by the e2e tests and by tests/e2e/cycle_reference_selftest.py,
which checks it against the AUTO-07p numbers of tests/e2e/data/izh_mf_cycles_auto.json.
"""
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, fsolve, minimize_scalar

IZH_MF_DEFAULTS = dict(alpha=0.6215, a=0.0077, b=-0.0062, w_jump=0.0189, g=1.2308, e_r=1.0,
                       s_jump=1.2308, tau_s=2.6, Delta=0.02, eta=0.12)
MPR_DEFAULTS = dict(eta=-5.0, J=15.0, Delta=1.0, tau=1.0, tau_s=0.0)


class System:
    """A vector field f(x; params) with its analytic Jacobian; variables in neurodyn's order."""

    def __init__(self, name, variables, params, rhs, jac, section):
        self.name, self.variables, self.params = name, list(variables), dict(params)
        self._rhs, self._jac = rhs, jac
        self.section = section  # default Poincare section variable

    @property
    def n(self):
        return len(self.variables)

    def with_params(self, **changes):
        unknown = set(changes) - set(self.params)
        if unknown:
            raise ValueError("%s has no parameter %s" % (self.name, ", ".join(sorted(unknown))))
        return System(self.name, self.variables, dict(self.params, **changes), self._rhs, self._jac,
                      self.section)

    def f(self, x):
        return self._rhs(np.asarray(x, float), self.params)

    def jac(self, x):
        return self._jac(np.asarray(x, float), self.params)


def izh_mf(**params):
    """The Chen-Campbell mean field (r, v, w, s) at neurodyn's defaults, changed by params."""
    def rhs(x, p):
        r, v, w, s = x
        return np.array([p["Delta"] / np.pi + 2 * r * v - (p["alpha"] + p["g"] * s) * r,
                         v * v - p["alpha"] * v - w + p["eta"] + p["g"] * s * (p["e_r"] - v)
                         - np.pi ** 2 * r * r,
                         p["a"] * (p["b"] * v - w) + p["w_jump"] * r,
                         -s / p["tau_s"] + p["s_jump"] * r])

    def jac(x, p):
        r, v, w, s = x
        return np.array([[2 * v - (p["alpha"] + p["g"] * s), 2 * r, 0, -p["g"] * r],
                         [-2 * np.pi ** 2 * r, 2 * v - p["alpha"] - p["g"] * s, -1, p["g"] * (p["e_r"] - v)],
                         [p["w_jump"], p["a"] * p["b"], -p["a"], 0],
                         [p["s_jump"], 0, 0, -1 / p["tau_s"]]])

    return System("izh_mf", "rvws", IZH_MF_DEFAULTS, rhs, jac, "w").with_params(**params)


def mpr(**params):
    """The MPR mean field: (r, v), or (r, v, s) when tau_s > 0, with membrane time constant tau."""
    p0 = dict(MPR_DEFAULTS, **params)
    synapse = p0["tau_s"] > 0

    def rhs(x, p):
        r, v = x[0], x[1]
        S = x[2] if synapse else r
        f = [(p["Delta"] / (np.pi * p["tau"]) + 2 * r * v) / p["tau"],
             (v * v + p["eta"] + p["J"] * p["tau"] * S - (np.pi * p["tau"] * r) ** 2) / p["tau"]]
        if synapse:
            f.append((r - x[2]) / p["tau_s"])
        return np.array(f)

    def jac(x, p):
        r, v, tau = x[0], x[1], p["tau"]
        A = np.zeros((len(x), len(x)))
        A[0, 0], A[0, 1] = 2 * v / tau, 2 * r / tau
        A[1, 0], A[1, 1] = -2 * np.pi ** 2 * tau * r, 2 * v / tau
        if synapse:
            A[1, 2] = p["J"]
            A[2, 0], A[2, 2] = 1 / p["tau_s"], -1 / p["tau_s"]
        else:
            A[1, 0] += p["J"]
        return A

    return System("mpr", "rvs" if synapse else "rv", p0, rhs, jac, "r")


# ------------------------------------------------------------------------------- equilibria
def equilibrium(sys, guess):
    """An equilibrium near guess (Newton with the analytic Jacobian)."""
    x, info, ier, msg = fsolve(lambda y: sys.f(y), guess, fprime=lambda y: sys.jac(y), xtol=1e-14,
                               full_output=True)
    if ier != 1 and np.max(np.abs(sys.f(x))) > 1e-11:
        raise RuntimeError("no equilibrium near %s: %s" % (guess, msg))
    return x


def bialternate_det(A):
    """det(2 A (.) I): the product of lambda_i + lambda_j over pairs i < j. Zero at a Hopf point
    (lambda = +-i omega) and at a neutral saddle (lambda = +-kappa)."""
    n = len(A)
    pairs = [(i, j) for i in range(1, n) for j in range(i)]
    B = np.zeros((len(pairs), len(pairs)))
    for a, (p, q) in enumerate(pairs):
        for b, (r, s) in enumerate(pairs):
            if r == q:
                B[a, b] = -A[p, s]
            elif r != p and s == q:
                B[a, b] = A[p, r]
            elif r == p and s == q:
                B[a, b] = A[p, p] + A[q, q]
            elif r == p and s != q:
                B[a, b] = A[q, s]
            elif s == p:
                B[a, b] = -A[q, r]
    return np.linalg.det(B)


def hopf_points(sys, param, lo, hi, guess, steps=600):
    """The Hopf points of the equilibrium branch through guess (at param = lo) in [lo, hi]: list
    of dicts param value, state x, omega, l1 (first Lyapunov coefficient; > 0 subcritical)."""
    values = np.linspace(lo, hi, steps + 1)
    x = equilibrium(sys.with_params(**{param: lo}), guess)
    states, tests = [], []
    for p in values:
        x = equilibrium(sys.with_params(**{param: p}), x)
        states.append(x)
        tests.append(bialternate_det(sys.with_params(**{param: p}).jac(x)))
    points = []
    for k in range(steps):
        if tests[k] * tests[k + 1] >= 0:
            continue
        memo = {"x": states[k]}

        def test(p):
            memo["x"] = equilibrium(sys.with_params(**{param: p}), memo["x"])
            return bialternate_det(sys.with_params(**{param: p}).jac(memo["x"]))

        p = brentq(test, values[k], values[k + 1], xtol=1e-15, rtol=1e-15)
        s = sys.with_params(**{param: p})
        xh = equilibrium(s, memo["x"])
        ev = np.linalg.eigvals(s.jac(xh))
        pair = ev[np.argmin(np.abs(ev.real) + np.where(ev.imag > 0, 0, np.inf))] if np.any(ev.imag > 0) else None
        if pair is None or abs(pair.real) > 1e-6 * abs(pair):
            continue  # a neutral saddle (a real pair +-kappa), not a Hopf point
        points.append({param: p, "x": xh, "omega": pair.imag, "l1": first_lyapunov(s, xh)})
    return points


def first_lyapunov(sys, x, h=1e-4):
    """First Lyapunov coefficient at a Hopf equilibrium x (Kuznetsov, Elements of Applied
    Bifurcation Theory, eq. 3.20 with <q, q> = 1, <p, q> = 1): negative supercritical."""
    A = sys.jac(x)
    ev, V = np.linalg.eig(A)
    k = np.argmin(np.abs(ev.real) + np.where(ev.imag > 0, 0, np.inf))
    omega, q = ev[k].imag, V[:, k] / np.linalg.norm(V[:, k])
    evl, W = np.linalg.eig(A.T)
    p = W[:, np.argmin(np.abs(evl + 1j * omega))]
    p = p / np.conj(np.vdot(p, q))  # <p, q> = conj(p) . q = 1

    def d2(u, v):  # B(u, v) = D^2 f(x)[u, v] for real u, v
        return (sys.jac(x + h * u) - sys.jac(x - h * u)) @ v / (2 * h)

    def B(u, v):  # bilinear over complex vectors
        return (d2(u.real, v.real) - d2(u.imag, v.imag)) + 1j * (d2(u.real, v.imag) + d2(u.imag, v.real))

    def d3(u, v, w):  # C(u, v, w) for real vectors, second differences of the Jacobian
        return (sys.jac(x + h * (u + v)) - sys.jac(x + h * (u - v)) - sys.jac(x - h * (u - v))
                + sys.jac(x - h * (u + v))) @ w / (4 * h * h)

    def C(u, v, w):
        parts = [(u.real, 1), (u.imag, 1j)]
        total = 0
        for a, ca in parts:
            for b, cb in [(v.real, 1), (v.imag, 1j)]:
                for c, cc in [(w.real, 1), (w.imag, 1j)]:
                    total = total + ca * cb * cc * d3(a, b, c)
        return total

    qb = np.conj(q)
    n = len(x)
    term = (np.vdot(p, C(q, q, qb)) - 2 * np.vdot(p, B(q, np.linalg.solve(A, B(q, qb))))
            + np.vdot(p, B(qb, np.linalg.solve(2j * omega * np.eye(n) - A, B(q, q)))))
    return term.real / (2 * omega)


# -------------------------------------------------------------------------------------- flows
RTOL, ATOL = 1e-12, 1e-14


def flow(sys, x0, T, variational=False, dense=False):
    """phi_T(x0) (the solve_ivp solution); with variational (phi_T(x0), M), M = d phi_T / d x0
    the monodromy matrix."""
    n = sys.n
    if not variational:
        return solve_ivp(lambda t, y: sys.f(y), (0, T), x0, method="DOP853", rtol=RTOL, atol=ATOL,
                         dense_output=dense)

    def rhs(t, z):
        x, M = z[:n], z[n:].reshape(n, n)
        return np.concatenate([sys.f(x), (sys.jac(x) @ M).ravel()])

    sol = solve_ivp(rhs, (0, T), np.concatenate([x0, np.eye(n).ravel()]), method="DOP853",
                    rtol=RTOL, atol=ATOL)
    if not sol.success:
        raise RuntimeError("integration failed: " + sol.message)
    z = sol.y[:, -1]
    return z[:n], z[n:].reshape(n, n)


def settle(sys, x0, t):
    """The state after a transient of length t."""
    return flow(sys, np.asarray(x0, float), t).y[:, -1]


def orbit_guess(sys, x0, transient, section=None, span=None):
    """(point on the section, period) of the attracting orbit reached from x0 after a transient:
    the last two upward crossings of the section variable through the mid-value of its range."""
    k = sys.variables.index(section or sys.section)
    x = settle(sys, x0, transient)
    sol = flow(sys, x, span or transient, dense=True)
    t = np.linspace(0, sol.t[-1], 200001)
    y = sol.sol(t)
    level = 0.5 * (y[k].max() + y[k].min())
    up = np.nonzero((y[k][:-1] < level) & (y[k][1:] >= level))[0]
    if len(up) < 2:
        raise RuntimeError("no oscillation of %s after the transient" % sys.variables[k])
    crossings = [brentq(lambda s: sol.sol(s)[k] - level, t[i], t[i + 1], xtol=1e-13) for i in up[-2:]]
    return sol.sol(crossings[0]), crossings[1] - crossings[0]


# ----------------------------------------------------------------------------- periodic orbits
def _newton(residual, z, tol, maxit):
    for _ in range(maxit):
        G, DG = residual(z)
        dz = np.linalg.solve(DG, -G)
        z = z + dz
        if np.max(np.abs(dz)) < tol * (1 + np.max(np.abs(z))):
            return z
    raise RuntimeError("shooting: Newton did not converge in %d iterations (|G| = %.3g)" %
                       (maxit, np.max(np.abs(G))))


def periodic_orbit(sys, x0, T, section=None, tol=1e-11, maxit=30):
    """Refine (x0, T) of a periodic orbit by Newton shooting with x0 fixed on the section
    {x[k] = x0[k]} (k: the section variable). Returns a dict: period, x0, max and min (arrays in
    the variable order), multipliers (sorted by modulus, largest first), unstable (the number
    outside the unit circle, the trivial one excluded), trivial_error |mu_trivial - 1|."""
    k = sys.variables.index(section or sys.section)
    n = sys.n
    free = [j for j in range(n) if j != k]
    base = np.asarray(x0, float).copy()

    def point(z):
        x = base.copy()
        x[free] = z[:-1]
        return x

    def residual(z):
        x = point(z)
        xT, M = flow(sys, x, z[-1], variational=True)
        DG = np.zeros((n, n))
        DG[:, :-1] = (M - np.eye(n))[:, free]
        DG[:, -1] = sys.f(xT)
        return xT - x, DG

    z = _newton(residual, np.concatenate([base[free], [T]]), tol, maxit)
    return describe_orbit(sys, point(z), z[-1])


def describe_orbit(sys, x0, T):
    """Period, extrema and Floquet multipliers of the periodic orbit through x0."""
    _, M = flow(sys, x0, T, variational=True)
    mu = np.linalg.eigvals(M)
    mu = mu[np.argsort(-np.abs(mu))]
    trivial = np.argmin(np.abs(mu - 1))
    sol = flow(sys, x0, T, dense=True)
    t = np.linspace(0, T, 40001)
    y = sol.sol(t)
    dt = t[1] - t[0]
    mx, mn = np.empty(sys.n), np.empty(sys.n)
    for j in range(sys.n):
        for sign, out in ((-1, mx), (1, mn)):
            i = np.argmin(sign * y[j])
            res = minimize_scalar(lambda s: sign * sol.sol(s)[j], bounds=(t[i] - dt, t[i] + dt),
                                  method="bounded", options={"xatol": 1e-10 * T})
            out[j] = min(sign * res.fun, sign * y[j][i]) * sign
    return {"period": T, "x0": x0, "max": mx, "min": mn, "multipliers": mu,
            "unstable": int(sum(1 for i, m in enumerate(mu) if i != trivial and abs(m) > 1 + 1e-6)),
            "trivial_error": abs(mu[trivial] - 1)}


def fold_of_cycles(sys, param, x0, T, direction=1, p_scale=1e-4, ds=0.3, max_steps=40, section=None, tol=1e-11):
    """A fold of cycles (LPC) in param along the branch through the orbit (x0, T) of sys,
    followed in the direction of increasing (direction = 1) or decreasing param. Unknowns
    u = (x0 on the section, T, param), equations phi_T(x0; param) - x0 = 0, pseudo-arclength
    continuation in the scaled unknowns (x0: 0.05, T: 0.05 T, param: p_scale). The fold is where
    det A changes sign, A = [(M - I) on the free coordinates, f(phi_T(x0))] (the Jacobian in the
    orbit's own unknowns, singular exactly where param turns); it is located by Brent's method
    on the arclength. d phi / d param by central differences (it only steers Newton's method:
    the fold's location depends on M and f alone). Returns dict param value, period, x0 and the
    multipliers there (two at 1)."""
    k = sys.variables.index(section or sys.section)
    n = sys.n
    free = [j for j in range(n) if j != k]
    base = np.asarray(x0, float).copy()
    scale = np.concatenate([np.full(n - 1, 0.05), [0.05 * T, p_scale]])

    def unpack(u):
        x = base.copy()
        x[free] = u[:n - 1]
        return x, u[n - 1], u[n]

    def system(u):
        x, period, p = unpack(u)
        s = sys.with_params(**{param: p})
        xT, M = flow(s, x, period, variational=True)
        h = 1e-7 * (1 + abs(p))
        dp = (flow(sys.with_params(**{param: p + h}), x, period).y[:, -1]
              - flow(sys.with_params(**{param: p - h}), x, period).y[:, -1]) / (2 * h)
        A = np.zeros((n, n))
        A[:, :-1] = (M - np.eye(n))[:, free]
        A[:, -1] = s.f(xT)
        return xT - x, np.column_stack([A, dp]), np.linalg.det(A)

    def tangent(J, previous):
        t = np.linalg.svd(J * scale)[2][-1]  # null vector in the scaled unknowns
        return t if t @ previous > 0 else -t

    def correct(u0, t0, s):
        u = u0 + s * scale * t0
        for _ in range(20):
            G, J, det = system(u)
            F = np.concatenate([G, [t0 @ ((u - u0) / scale) - s]])
            du = np.linalg.solve(np.vstack([J, t0 / scale]), -F)
            u = u + du
            if np.max(np.abs(du / scale)) < tol:
                G, J, det = system(u)
                return u, J, det
        raise RuntimeError("fold of cycles: the corrector did not converge")

    u = np.concatenate([base[free], [T, sys.params[param]]])
    G, J, det = system(u)
    t = tangent(J, np.eye(n + 1)[n] * direction)
    for _ in range(max_steps):
        u1, J1, det1 = correct(u, t, ds)
        if det1 * det < 0:
            s = brentq(lambda s: correct(u, t, s)[2], 0, ds, xtol=1e-12)
            u, _, _ = correct(u, t, s)
            x, period, p = unpack(u)
            orbit = describe_orbit(sys.with_params(**{param: p}), x, period)
            return {param: p, "period": period, "x0": x, "multipliers": orbit["multipliers"]}
        u, t, det = u1, tangent(J1, t), det1
    raise RuntimeError("fold of cycles: none within %d steps" % max_steps)
