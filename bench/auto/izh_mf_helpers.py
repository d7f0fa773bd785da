# Helpers of the izh_mf AUTO-07p scripts (izh_mf.auto, izh_mf_lpc.auto), which run them with
# exec(open("izh_mf_helpers.py").read()) in their own namespace (AUTO's run() and the dict
# seconds come from there): neurodyn's default parameters, the exact start equilibrium, the
# period at a Hopf point read from an s-file, and a timed run.
import math
import time

DEFAULTS = dict(alpha=0.6215, a=0.0077, b=-0.0062, w_jump=0.0189, g=1.2308, e_r=1.0,
                s_jump=1.2308, tau_s=2.6)


def equilibrium_at_rate(r, p):
    """The exact equilibrium (state, eta) with rate r: s from ds/dt = 0, v from dr/dt = 0, w from
    dw/dt = 0, eta from dv/dt = 0. AUTO does not correct its start point."""
    s = p["s_jump"] * p["tau_s"] * r
    v = (p["alpha"] + p["g"] * s - p["Delta"] / (math.pi * r)) / 2
    w = (p["a"] * p["b"] * v + p["w_jump"] * r) / p["a"]
    eta = -(v * v - p["alpha"] * v - w + p["g"] * s * (p["e_r"] - v) - (math.pi * r) ** 2)
    return {"r": r, "v": v, "w": w, "s": s}, eta


def equilibrium_at_eta0(p):
    """The equilibrium at eta = 0 (eta grows with r along the equilibrium branch): bisection."""
    lo, hi = 1e-4, 0.05
    for _ in range(200):
        mid = (lo + hi) / 2
        if equilibrium_at_rate(mid, p)[1] < 0:
            lo = mid
        else:
            hi = mid
    return equilibrium_at_rate(lo, p)


def period_at(sfile, type_code, nth):
    """PAR(11) (at a Hopf point: 2 pi / omega) of the nth solution of this AUTO point type in an
    s-file (read directly: AUTO 0.9.2's solution objects need numpy < 1.24)."""
    with open(sfile) as f:
        lines = f.readlines()
    i, found = 0, 0
    while i < len(lines):
        header = [int(x) for x in lines[i].split()]
        nrows, npar = header[8], header[11]
        if abs(header[2]) == type_code:
            found += 1
            if found == nth:
                values = [float(x.replace("D", "E")) for row in lines[i + 1:i + 1 + nrows] for x in row.split()]
                return values[len(values) - npar + 10]
        i += 1 + nrows
    raise RuntimeError("%s has fewer than %d points of type %d" % (sfile, nth, type_code))


def timed(name, *args, **kw):
    t0 = time.perf_counter()
    result = run(*args, **kw)
    seconds[name] = time.perf_counter() - t0
    return result
