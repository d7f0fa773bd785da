"""Switching onto other branches (issue 18): the other branch through a branch point of
equilibria (-cont_switch_bp), checked against the equations evaluated with numpy."""
import os

import h5py
import numpy as np
from ndtest import run_ok, workdir

N, MEAN = 30, 2.0


def test_pitchfork_of_a_rate_network_switched_onto():
    """A dense rate network dx/dt = -x + g J tanh(x) (J: Gaussian / sqrt(N) plus a mean 2/N, so a
    real outlier eigenvalue near 2) loses x* = 0 in a pitchfork at g = 1 / outlier. -cont_switch_bp
    follows the other branch from the BP in both directions: every stored state solves the
    equations (numpy, 1e-8), the two branches are each other's mirror image (x -> -x, the
    symmetry of tanh, 1e-8), they leave along the outlier's eigenvector (its angle with the
    first state below 1e-2 rad), and 1 and 2 ranks agree (1e-10)"""
    rng = np.random.default_rng(18)
    J = rng.standard_normal((N, N)) / np.sqrt(N) + MEAN / N
    ev, vecs = np.linalg.eig(J)
    k = np.argmax(ev.real)
    assert abs(ev[k].imag) < 1e-12 and ev[k].real > 1.5
    g_c, phi = 1 / ev[k].real, np.real(vecs[:, k])
    path = os.path.join(workdir(), "J.h5")
    with h5py.File(path, "w") as f:
        f["J"] = J
    states = {}
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"bp{ranks}.h5")
        run_ok(["continue", "-sys_type", "rate", "-rate_J_file", path + ":/J", "-params_g", 0.3, "-params_I", 0,
                "-cont_param", "g", "-cont_min", 0.3, "-cont_max", 0.8, "-cont_direction", "forward",
                "-cont_switch_bp", "-output", out, "-quiet"], ranks)
        with h5py.File(out) as f:
            labels = f["branch/0/special"].attrs["labels"].split(",")
            bp = [f["branch/0/special/g"][i] for i, lab in enumerate(labels) if lab == "BP"]
            assert len(bp) == 1 and abs(bp[0] - g_c) < 1e-8, f"branch point {bp} vs 1/outlier {g_c}"
            assert len(f["branch"]) == 3, f"the other branch in two directions expected: {list(f['branch'])}"
            up, down = f["branch/1"], f["branch/2"]
            for b in (up, down):
                g, x = b["g"][:], b["state"][:]
                assert abs(g[0] - bp[0]) < 1e-12 and np.all(g[1:] > bp[0]), "a supercritical pitchfork: g > g_c on it"
                res = -x + g[:, None] * np.tanh(x) @ J.T
                assert np.max(np.abs(res)) < 1e-8, f"not equilibria: residual {np.max(np.abs(res))}"
                assert np.all(np.linalg.norm(x[1:], axis=1) > 0), "the switched branch stayed on x = 0"
                first = x[1] / np.linalg.norm(x[1])
                assert np.arccos(min(1.0, abs(first @ phi) / np.linalg.norm(phi))) < 1e-2
            n = min(len(up["g"]), len(down["g"]))
            assert np.max(np.abs(up["g"][:n] - down["g"][:n])) < 1e-8
            assert np.max(np.abs(up["state"][:n] + down["state"][:n])) < 1e-8, "the two sides are not mirror images"
            states[ranks] = up["state"][:]
    assert states[1].shape == states[2].shape and np.max(np.abs(states[1] - states[2])) < 1e-10
