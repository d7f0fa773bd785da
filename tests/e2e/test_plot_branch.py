"""postprocess/plot_branch.py on files written here by h5py in the schema of docs/output.md (so
that the test does not depend on the continuation code): an izh_mf diagram with equilibria
(exact, from the explicit parametrisation of the equilibrium branch by r, numpy eigenvalues for
the stability) and a branch of cycles (type cycle: max/min tables, period, multipliers, LPC);
--var, --norm, --period; a merged file (merge_branches.py) of two such runs; a shooting branch
that stores only the amplitude; an unknown --var refused with one message and no PNG."""
import os
import subprocess

import h5py
import numpy as np
from ndtest import ROOT, workdir

PLOT = os.path.join(ROOT, "postprocess", "plot_branch.py")
MERGE = os.path.join(ROOT, "postprocess", "merge_branches.py")
PARAMS = dict(alpha=0.6215, a=0.0077, b=-0.0062, w_jump=0.0189, g=1.2308, e_r=1.0, s_jump=1.2308, tau_s=2.6,
              Delta=0.02, eta=0.12)
VARIABLES = ["r", "v", "w", "s"]


def equilibria(p, r):
    """States and eta of the izh_mf equilibria with rates r (s, v, w, eta explicit in r)."""
    s = p["s_jump"] * p["tau_s"] * r
    v = (p["alpha"] + p["g"] * s - p["Delta"] / (np.pi * r)) / 2
    w = (p["a"] * p["b"] * v + p["w_jump"] * r) / p["a"]
    eta = -(v * v - p["alpha"] * v - w + p["g"] * s * (p["e_r"] - v) - (np.pi * r) ** 2)
    return np.column_stack([r, v, w, s]), eta


def unstable_count(p, x):
    r, v, w, s = x
    A = np.array([[2 * v - (p["alpha"] + p["g"] * s), 2 * r, 0, -p["g"] * r],
                  [-2 * np.pi ** 2 * r, 2 * v - p["alpha"] - p["g"] * s, -1, p["g"] * (p["e_r"] - v)],
                  [p["w_jump"], p["a"] * p["b"], -p["a"], 0], [p["s_jump"], 0, 0, -1 / p["tau_s"]]])
    return int(np.sum(np.linalg.eigvals(A).real > 0))


def special(g, labels, rows, eta, norm):
    sp = g.create_group("special")
    sp.attrs["labels"] = ",".join(labels)
    sp["row"] = np.array(rows, float)
    sp["eta"] = eta[rows]
    sp["norm"] = norm[rows]


def write_run(path, Delta=0.02, cycle_type="cycle"):
    p = dict(PARAMS, Delta=Delta)
    with h5py.File(path, "w") as f:
        f.attrs["complete"] = 1
        f.create_group("provenance").attrs["software"] = "tests/e2e/test_plot_branch.py"
        system = f.create_group("system")
        system.attrs["type"] = "izh_mf"
        system.attrs["variables"] = ",".join(VARIABLES)
        for k, v in p.items():
            system.create_dataset(f"parameters/{k}", data=v)
        # equilibria: eta from 0 to 0.3
        state, eta = equilibria(p, np.linspace(0.0103, 0.1327, 200))
        unstable = np.array([unstable_count(p, x) for x in state], float)
        norm = np.linalg.norm(state, axis=1)
        g = f.create_group("branch/0")
        g.attrs["type"], g.attrs["parameter"] = "equilibrium", "eta"
        g["eta"], g["state"], g["norm"], g["unstable"] = eta, state, norm, unstable
        hb = [i for i in range(1, len(eta)) if (unstable[i] > 0) != (unstable[i - 1] > 0)]
        special(g, ["EP"] + ["HB"] * len(hb) + ["EP"], [0] + hb + [len(eta) - 1], eta, norm)
        # cycles joining the two changes of stability, max and min around the equilibrium
        i1, i2 = hb[0], hb[-1]
        t = np.linspace(0, 1, 120)
        eta_c = eta[i1] + (eta[i2] - eta[i1]) * t + 0.004 * np.sin(3 * np.pi * t)  # two folds
        base, _ = equilibria(p, np.interp(eta_c, eta, state[:, 0]))
        amplitude = np.sin(np.pi * t)[:, None] * np.array([0.07, 0.3, 0.04, 0.2])
        g = f.create_group("branch/1")
        g.attrs["type"], g.attrs["parameter"] = cycle_type, "eta"
        g["eta"], g["period"] = eta_c, 100 + 300 * np.sin(np.pi * t) ** 2
        cycle_norm = np.linalg.norm(base, axis=1)
        g["norm"] = cycle_norm
        if cycle_type == "cycle":
            g["max"], g["min"] = base + amplitude, base - amplitude
        else:  # shooting branches before issue 18: the amplitude of the first variable only
            g["amplitude"] = 2 * amplitude[:, 0]
        folds = [int(np.argmin(eta_c[:40])), 40 + int(np.argmax(eta_c[40:80]))]
        g["unstable"] = np.where((np.arange(len(t)) < folds[0]) | (np.arange(len(t)) > folds[1]), 1.0, 0.0)
        g["eig_re"], g["eig_im"] = np.ones((len(t), 4)), np.zeros((len(t), 4))
        special(g, ["EP", "LPC", "UZ", "LPC", "EP"], [0, folds[0], 60, folds[1], len(t) - 1], eta_c, cycle_norm)


def plot(args, expect_ok=True):
    p = subprocess.run(["/usr/bin/python3", PLOT] + args, capture_output=True, text=True, timeout=120)
    if expect_ok:
        assert p.returncode == 0, p.stderr
    return p


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(path) > 10000


def test_plot_branch_cycles():
    d = workdir()
    h5 = os.path.join(d, "izh.h5")
    write_run(h5)
    for name, args in (("default.png", []), ("v_period.png", ["--var", "v", "--period"]),
                       ("norm.png", ["--norm"])):
        out = os.path.join(d, name)
        plot([h5, "-o", out] + args)
        assert is_png(out), name
    # an unknown variable: one clear message, non-zero exit, no PNG
    bad = os.path.join(d, "bad.png")
    p = plot([h5, "--var", "bogus", "-o", bad], expect_ok=False)
    assert p.returncode != 0 and not os.path.exists(bad)
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "unknown variable 'bogus'" in lines[0] and "r, v, w, s" in lines[0], p.stderr


def test_plot_branch_merged_and_shooting():
    d = workdir()
    runs = [os.path.join(d, f"run_{i}.h5") for i in range(2)]
    write_run(runs[0], Delta=0.02)
    write_run(runs[1], Delta=0.04)
    merged = os.path.join(d, "merged.h5")
    subprocess.run(["/usr/bin/python3", MERGE] + runs + ["-o", merged], check=True, capture_output=True)
    out = os.path.join(d, "merged.png")
    plot([merged, "--var", "w", "--period", "-o", out])
    assert is_png(out)
    # a shooting branch (amplitude only) goes to an axis of its own, with a note for --var
    old = os.path.join(d, "periodic.h5")
    write_run(old, cycle_type="periodic")
    out = os.path.join(d, "periodic.png")
    p = plot([old, "--var", "v", "-o", out])
    assert is_png(out) and "stores only the amplitude" in p.stderr
