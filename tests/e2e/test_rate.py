"""Rate networks at fixed connectivity (docs/models/rate.md, issue 7): fixed point, spectrum,
response and covariance against independent numpy/scipy computations on the same J (written
by numpy to HDF5 and read by neurodyn), at 1 and 2 ranks; generated connectivities against
their defining properties; and the g = 1 instability of the tanh network."""
import os

import h5py
import numpy as np
import scipy.linalg as sl
import scipy.sparse as sp
import scipy.sparse.linalg as spl

from lockin import lockin
import ndtest
from ndtest import run_ok, workdir

G, I0, SIGMA = 0.8, 0.2, 0.7
OMEGAS = [0.0, 0.3, 1.0, 2.5, 7.0]


def write_dense(path, J):
    with h5py.File(path, "w") as f:
        f["J"] = J


def write_csr(path, J):
    J = sp.csr_matrix(J)
    with h5py.File(path, "w") as f:
        g = f.create_group("W")
        g["indptr"], g["indices"], g["data"] = J.indptr, J.indices, J.data
        g.attrs["shape"] = np.array(J.shape)


def fixed_point(J, g, I):
    """Newton in numpy on -x + g J tanh(x) + I = 0, to machine precision."""
    x = np.zeros(J.shape[0])
    for _ in range(50):
        F = -x + g * (J @ np.tanh(x)) + I
        if np.linalg.norm(F) < 1e-13:
            break
        D = 1 - np.tanh(x) ** 2
        Jac = -sp.identity(len(x)) + g * (sp.csr_matrix(J) @ sp.diags(D))
        x -= solve(sp.csr_matrix(Jac), F)
    assert np.linalg.norm(-x + g * (J @ np.tanh(x)) + I) < 1e-12
    return x


def jacobian(J, g, x):
    """A = -1 + g J D (sparse when J is)"""
    D = 1 - np.tanh(x) ** 2
    if sp.issparse(J):
        return sp.csc_matrix(-sp.identity(len(x)) + g * (J @ sp.diags(D)))
    return -np.eye(len(x)) + g * J * D[None, :]


def solve(M, b):
    """GMRES to 1e-14 (these matrices are well conditioned; a sparse LU of a random graph fills in)"""
    x, info = spl.gmres(M, b, tol=1e-14, atol=0, restart=300, maxiter=100)
    assert info == 0, "GMRES did not converge"
    return x


def nearest_relerr(got, want):
    """Largest distance from an eigenvalue in got to the nearest one in want, relative to max |want|."""
    return max(np.min(np.abs(want - z)) for z in got) / np.max(np.abs(want))


def neurodyn(cmd, args, ranks, name):
    out = os.path.join(workdir(), name)
    run_ok([cmd, "-sys_type", "rate", "-quiet", "-output", out] + [str(a) for a in args], ranks)
    return h5py.File(out, "r")


def check_network(J, spec, nev_all):
    """spectrum and response of neurodyn at 1 and 2 ranks against numpy/scipy on the same J (the
    reference computed once); returns the Jacobian A"""
    A = jacobian(J, G, fixed_point(J, G, I0))
    want_ev = np.linalg.eigvals(A) if nev_all else spl.eigs(A, k=12, which="LR", tol=1e-14, return_eigenvectors=False)
    N = A.shape[0]
    u = np.ones(N)
    eye = sp.identity(N, format="csc") if sp.issparse(A) else np.eye(N)
    wants = [solve(1j * w * eye - A, u.astype(complex)) for w in OMEGAS]
    for ranks in (1, 2):
        check_network_at(A, spec, nev_all, ranks, want_ev, wants)
    return A


def check_network_at(A, spec, nev_all, ranks, want, wants):
    base = ["-rate_J_file", spec, "-params_g", G, "-params_I", I0]
    # eigenvalues: all (dense) or the 10 rightmost with their eigenvectors (sparse)
    with neurodyn("spectrum", base + (["-spec_all"] if nev_all else ["-spec_vectors"]), ranks, "spec.h5") as f:
        got = f["spectrum/eigenvalues_real"][()] + 1j * f["spectrum/eigenvalues_imag"][()]
        assert np.max(f["spectrum/relative_error"][()]) < 1e-10
        if not nev_all:  # each row v = real + i imag is an eigenvector: |A v - lambda v| small
            V = f["spectrum/eigenvectors_real"][()] + 1j * f["spectrum/eigenvectors_imag"][()]
            assert V.shape == (len(got), A.shape[0])
            for lam, v in zip(got, V):
                assert np.linalg.norm(A @ v - lam * v) < 1e-8 * np.linalg.norm(v), lam
    if nev_all:
        assert len(got) == len(want)
    else:
        assert len(got) >= 10
        got = got[:10]
    err = nearest_relerr(got, want)
    assert err < 1e-8, f"eigenvalues differ from numpy by {err:.2e} (relative, {ranks} ranks)"
    assert abs(np.max(got.real) - np.max(want.real)) < 1e-8, "rightmost eigenvalue differs"
    # response at 5 frequencies, every unit: all frequencies from one Krylov basis (default), one
    # frequency at a time, and a basis too small (5 vectors) finished one frequency at a time
    omega = ",".join(str(w) for w in OMEGAS)
    for method in ([], ["-resp_shifted", "false"], ["-resp_max_krylov", 5]):
        with neurodyn("response", base + ["-resp_omega", omega, "-resp_full"] + method, ranks, "resp.h5") as f:
            chi = f["response/chi_real"][()] + 1j * f["response/chi_imag"][()]
            gain, phase = f["response/gain"][()], f["response/phase"][()]
        for k, w in enumerate(OMEGAS):
            want_chi = wants[k]
            err = np.linalg.norm(chi[k] - want_chi) / np.linalg.norm(want_chi)
            assert err < 1e-8, f"chi at omega = {w} differs from numpy by {err:.2e} ({method}, {ranks} ranks)"
            assert abs(gain[k] - abs(want_chi.mean())) < 1e-8 * abs(want_chi.mean())
            assert abs(phase[k] - np.angle(want_chi.mean())) < 1e-8


def test_dense_500_against_numpy():
    N = 500
    J = np.random.default_rng(2026).standard_normal((N, N)) / np.sqrt(N)  # each test its own generator
    path = os.path.join(workdir(), "J.h5")
    write_dense(path, J)
    A = check_network(J, path + ":/J", True)
    # covariance (Bartels-Stewart) against scipy's Lyapunov solver
    C = sl.solve_continuous_lyapunov(A, -SIGMA**2 * np.eye(N))
    for ranks in (1, 2):
        with neurodyn("covariance", ["-rate_J_file", path + ":/J", "-params_g", G, "-params_I", I0, "-cov_sigma", SIGMA,
                                     "-cov_matrix"], ranks, "cov.h5") as f:
            got = f["covariance/C"][()]
            err = np.linalg.norm(got - C) / np.linalg.norm(C)
            assert err < 1e-6, f"covariance differs from scipy by {err:.2e}"
            lam = np.linalg.eigvalsh(C)[::-1]
            assert np.max(np.abs(f["covariance/eigenvalues"][()] - lam)) < 1e-6 * lam[0]
            pr = lam.sum() ** 2 / (lam**2).sum()
            assert abs(f["covariance/participation_ratio"][()] - pr) < 1e-6 * pr
            R = C / np.sqrt(np.outer(np.diag(C), np.diag(C)))
            r = R[np.triu_indices(N, 1)]
            assert abs(f["covariance/mean_correlation"][()] - r.mean()) < 1e-8
            assert abs(f["covariance/std_correlation"][()] - r.std()) < 1e-6 * r.std()


def sparse_network(N=2000, K=50, seed=2027):
    """K random partners per row with weights +-1/sqrt(K) (numpy), written as an HDF5 CSR group:
    (J, the -rate_J_file spec)"""
    rows = np.repeat(np.arange(N), K)
    rng = np.random.default_rng(seed)
    cols = np.concatenate([rng.choice(N, K, replace=False) for _ in range(N)])
    vals = rng.choice([-1.0, 1.0], N * K) / np.sqrt(K)
    J = sp.csr_matrix((vals, (rows, cols)), shape=(N, N))
    path = os.path.join(workdir(), "Jsparse.h5")
    write_csr(path, J)
    return J, path + ":/W"


def test_sparse_2000_against_scipy():
    J, spec = sparse_network()
    check_network(J, spec, False)


def test_csr_file_with_a_column_given_twice():
    """A CSR row that names a column twice means the sum of the two values (scipy's reading);
    PETSc's CSR preallocation would keep the last one. -spec_all against numpy on the sum."""
    N, d = 40, workdir()
    rng = np.random.default_rng(11)
    J = sp.random(N, N, density=0.2, random_state=3, format="csr") * 0.3
    indptr, indices, data = [0], [], []
    for r in range(N):  # every row gets one of its columns again (or column 0 twice if empty)
        cols, vals = list(J.indices[J.indptr[r]:J.indptr[r + 1]]), list(J.data[J.indptr[r]:J.indptr[r + 1]])
        cols, vals = (cols or [0]) + [(cols or [0])[0]], (vals or [0.1]) + [rng.standard_normal() * 0.2]
        order = rng.permutation(len(cols))  # unsorted too
        indices += [cols[k] for k in order]
        data += [vals[k] for k in order]
        indptr.append(len(indices))
    path = os.path.join(d, "dup.h5")
    with h5py.File(path, "w") as f:
        g = f.create_group("J")
        g["indptr"], g["indices"], g["data"] = indptr, indices, data
        g.attrs["shape"] = np.array([N, N])
    summed = sp.csr_matrix((data, indices, indptr), shape=(N, N)).toarray()
    want = np.linalg.eigvals(jacobian(summed, G, fixed_point(summed, G, I0)))
    for ranks in (1, 2):
        with neurodyn("spectrum", ["-rate_J_file", path + ":/J", "-params_g", G, "-params_I", I0, "-spec_all"], ranks,
                      "dup_spec.h5") as f:
            got = f["spectrum/eigenvalues_real"][()] + 1j * f["spectrum/eigenvalues_imag"][()]
        assert len(got) == N
        for z in want:
            assert np.min(np.abs(got - z)) < 1e-8 * max(1, abs(z)), (ranks, z)


def test_petsc_binary_matrix_file():
    """-rate_J_file may name a PETSc binary matrix (DESIGN.md data inputs): -spec_all against numpy
    at 1 and 2 ranks (relative 1e-8)"""
    N = 60
    J = sp.random(N, N, density=0.15, random_state=5, format="csr", data_rvs=np.random.default_rng(5).standard_normal)
    J *= 0.3
    path = os.path.join(workdir(), "J.petsc")
    ndtest.write_petsc_binary_csr(path, J)
    want = np.linalg.eigvals(jacobian(J.toarray(), G, fixed_point(J.toarray(), G, I0)))
    for ranks in (1, 2):
        with neurodyn("spectrum", ["-rate_J_file", path, "-params_g", G, "-params_I", I0, "-spec_all"], ranks,
                      "bin_spec.h5") as f:
            got = f["spectrum/eigenvalues_real"][()] + 1j * f["spectrum/eigenvalues_imag"][()]
        assert len(got) == N
        for z in want:
            assert np.min(np.abs(got - z)) < 1e-8 * max(1, abs(z)), (ranks, z)


def rightmost(args, ranks=1):
    with neurodyn("spectrum", args, ranks, "s.h5") as f:
        return np.max(f["spectrum/eigenvalues_real"][()]), dict(f["spectrum"].attrs)


def test_tanh_gaussian_loses_stability_at_g1():
    """x* = 0, A = -1 + g J0: the rightmost eigenvalue crosses 0 at g = 1 (within finite-N error)."""
    base = ["-rate_N", 800, "-rate_J_type", "gaussian", "-rate_seed", 3]
    below, _ = rightmost(base + ["-params_g", 0.9])
    above, _ = rightmost(base + ["-params_g", 1.1])
    at, attrs = rightmost(base + ["-params_g", 1.0])
    assert below < 0 < above, (below, above)
    g_c = 1.0 / (1.0 + at)  # rightmost eigenvalue of J0 is 1 + at
    assert abs(g_c - 1.0) < 0.05, f"crossing at g = {g_c}"
    assert abs(attrs["bulk_radius"] - 1.0) < 0.03, attrs["bulk_radius"]
    assert attrs["converged_reason"] == "CONVERGED_TOL" and attrs["requested"] == 10, attrs


def test_unconverged_spectrum_is_reported():
    """The restart limit reached: a warning on stdout, and the attributes say how the solver ended."""
    out = os.path.join(workdir(), "short.h5")
    p = run_ok(["spectrum", "-sys_type", "rate", "-rate_N", 3000, "-rate_J_type", "sparse", "-rate_K", 50,
                "-eps_max_it", 2, "-eps_nev", 6, "-output", out], 2)
    assert "requested eigenvalues converged in 2 restarts (DIVERGED_ITS)" in p.stdout, p.stdout
    with h5py.File(out, "r") as f:
        attrs = dict(f["spectrum"].attrs)
        assert len(f["spectrum/eigenvalues_real"]) < 6
    assert (attrs["converged_reason"], attrs["requested"], attrs["iterations"]) == ("DIVERGED_ITS", 6, 2), attrs


def test_generated_connectivity_same_at_1_and_2_ranks():
    for kind in (["-rate_J_type", "sparse", "-rate_K", 30], ["-rate_J_type", "ei", "-rate_K", 40],
                 ["-rate_J_type", "lowrank", "-rate_lowrank_m", 3]):
        args = ["-rate_N", 600, "-params_g", 0.5] + kind
        one, a1 = rightmost(args, 1)
        two, a2 = rightmost(args, 2)
        assert abs(one - two) < 1e-12 and abs(a1["bulk_radius"] - a2["bulk_radius"]) < 1e-12, kind
        if kind[1] in ("sparse", "ei"):  # unit row sums of squares: the bulk radius is g exactly
            assert abs(a1["bulk_radius"] - 0.5) < 1e-12, a1["bulk_radius"]
        else:  # the rank-one outlier of g (J_random + m u u^T/N) sits near -1 + g m
            assert abs(one - (-1 + 0.5 * 3)) < 0.15, one


def test_simulate_reaches_the_fixed_point():
    args = ["-rate_N", 300, "-rate_J_type", "sparse", "-rate_K", 20, "-params_g", 0.6, "-params_I", 0.3]
    with neurodyn("spectrum", args, 2, "fp.h5") as f:
        xstar = f["spectrum/fixed_point"][0]
    out = os.path.join(workdir(), "sim.h5")
    run_ok(["simulate", "-sys_type", "rate", "-quiet", "-output", out, "-ts_max_time", 40, "-init_x", 0.5] + args, 2)
    with h5py.File(out, "r") as f:
        x = f["timeseries/x"][-1]
    assert np.max(np.abs(x - xstar)) < 1e-6, np.max(np.abs(x - xstar))


def expect_error(args, phrase):
    ndtest.expect_error(args, phrase, 2, os.path.join(workdir(), "never.h5"))


def test_bad_rate_inputs():
    d = workdir()
    rect = os.path.join(d, "rect.h5")
    write_dense(rect, np.ones((4, 5)))
    square = os.path.join(d, "square.h5")
    write_csr(square, sp.identity(6))
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", rect + ":/J"], "is 4 x 5; it must be square")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", square + ":/W", "-rate_N", 7],
                 "is 6 x 6 but -rate_N is 7")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", os.path.join(d, "none.h5")], "-rate_J_file: cannot open")
    expect_error(["simulate", "-sys_type", "rate", "-rate_phi", "tan", "-ts_max_time", 1],
                 "-rate_phi: unknown value 'tan' (known: tanh, sigmoid, relu, erf, linear)")
    expect_error(["response", "-sys_type", "rate", "-resp_omega_min", -1], "angular frequencies must be >= 0")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_type", "sparse", "-rate_N", 10, "-rate_K", 10],
                 "-rate_K must be in [1, N - 1]")


def test_response_with_input_and_readout_from_files():
    """-resp_input file and -resp_readout_file (random u and w written by numpy, w also as a PETSc
    binary vector), and -resp_input neuron (u = w = e_k), at 2 ranks: w . chi(omega) u against
    numpy's solves (relative 1e-8)."""
    N, k = 300, 17
    d = workdir()
    rng = np.random.default_rng(7)
    J = rng.standard_normal((N, N)) / np.sqrt(N)
    u, w = rng.standard_normal(N), rng.standard_normal(N)
    write_dense(os.path.join(d, "J.h5"), J)
    with h5py.File(os.path.join(d, "vecs.h5"), "w") as f:
        f["u"], f["w"] = u, w
    A = jacobian(J, G, fixed_point(J, G, I0))
    base = ["-rate_J_file", os.path.join(d, "J.h5") + ":/J", "-params_g", G, "-params_I", I0, "-resp_omega", "0,1.5,4"]
    e = np.eye(N)[k]
    w_petsc = os.path.join(d, "w.petsc")  # PETSc binary vector: class id 1211214, length, big-endian doubles
    with open(w_petsc, "wb") as f:
        np.array([1211214, N], ">i4").tofile(f)
        w.astype(">f8").tofile(f)
    for extra, uu, ww in ((["-resp_input", "file", "-resp_input_file", os.path.join(d, "vecs.h5") + ":/u",
                            "-resp_readout_file", os.path.join(d, "vecs.h5") + ":/w"], u, w),
                          (["-resp_input", "file", "-resp_input_file", os.path.join(d, "vecs.h5") + ":/u",
                            "-resp_readout_file", w_petsc], u, w),
                          (["-resp_input", "neuron", "-resp_neuron", k], e, e)):
        with neurodyn("response", base + extra, 2, "resp.h5") as f:
            gain, phase = f["response/gain"][()], f["response/phase"][()]
        for i, om in enumerate((0.0, 1.5, 4.0)):
            want = ww @ np.linalg.solve(1j * om * np.eye(N) - A, uu.astype(complex))
            assert abs(gain[i] - abs(want)) < 1e-8 * abs(want), (extra[1], om, gain[i], abs(want))
            assert abs(phase[i] - np.angle(want)) < 1e-8, (extra[1], om)
    # an input file or neuron without the input kind that uses it was ignored
    expect_error(["response", "-sys_type", "rate", "-rate_N", N, "-resp_input_file", os.path.join(d, "vecs.h5") + ":/u"],
                 "-resp_input_file needs -resp_input file")
    expect_error(["response", "-sys_type", "rate", "-rate_N", N, "-resp_neuron", k], "-resp_neuron needs -resp_input neuron")
    expect_error(["response", "-sys_type", "rate", "-rate_N", N + 1, "-resp_readout_file", w_petsc],
                 f"-resp_readout_file: the PETSc binary vector '{w_petsc}' has {N} values, not N = {N + 1}")


def test_effective_gain_theory_against_numpy():
    """-resp_theory effective_gain (docs/models/rate.md#theory-at-fixed-j): (i omega + 1 - a J)^{-1} u beside chi, with
    a = <phi'(x*)> by default or -resp_gain; at I != 0 the units' slopes differ, so theory and
    chi differ too. Against numpy at 1 and 2 ranks (relative 1e-8)."""
    N = 300
    d = workdir()
    J = np.random.default_rng(11).standard_normal((N, N)) / np.sqrt(N)
    write_dense(os.path.join(d, "J.h5"), J)
    x = fixed_point(J, G, 0.6)
    a_mean = np.mean(1 - np.tanh(x) ** 2)
    base = ["-rate_J_file", os.path.join(d, "J.h5") + ":/J", "-params_g", G, "-params_I", 0.6, "-resp_omega", "0,1,3",
            "-resp_theory", "effective_gain"]
    A = jacobian(J, G, x)
    for extra, a in (([], a_mean), (["-resp_gain", 0.5], 0.5)):
        for ranks in (1, 2):
            with neurodyn("response", base + extra, ranks, "resp.h5") as f:
                gain, phase = f["response/gain"][()], f["response/phase"][()]
                tgain, tphase = f["response/theory_gain"][()], f["response/theory_phase"][()]
                assert abs(f["response"].attrs["effective_gain"] - a) < 1e-12
            for i, om in enumerate((0.0, 1.0, 3.0)):
                want = np.mean(np.linalg.solve((1j * om + 1) * np.eye(N) - a * G * J, np.ones(N, complex)))
                assert abs(tgain[i] - abs(want)) < 1e-8 * abs(want), (a, om, tgain[i], abs(want))
                assert abs(tphase[i] - np.angle(want)) < 1e-8
                exact = np.mean(np.linalg.solve(1j * om * np.eye(N) - A, np.ones(N, complex)))
                assert abs(gain[i] - abs(exact)) < 1e-8 * abs(exact) and abs(phase[i] - np.angle(exact)) < 1e-8
    assert abs(tgain[0] / gain[0] - 1) > 1e-3, "the theory should differ from chi where the slopes differ"
    expect_error(["response", "-sys_type", "mpr", "-resp_theory", "effective_gain"], "needs -sys_type rate")
    expect_error(["response", "-sys_type", "rate", "-resp_theory", "mean_field"],
                 "unknown value 'mean_field' for -resp_theory (choices: none, effective_gain)")
    expect_error(["response", "-sys_type", "rate", "-resp_gain", "0.5"], "-resp_gain needs -resp_theory effective_gain")
    expect_error(["response", "-sys_type", "rate", "-resp_theory", "effective_gain", "-resp_gain", "-1"],
                 "-resp_gain must be >= 0")


def test_effective_gain_theory_in_chaos_against_simulation():
    """Above g = 1 the network is chaotic and x* = 0 unstable; the effective-gain
    picture, with a = <tanh'(x)> over the units and samples of the simulation (-resp_gain_from),
    should predict the population's response to a weak sine input (-resp_exact false: no chi at
    the unstable fixed point). The measured response is the lock-in amplitude of the simulated
    population mean at the drive frequency (numpy); a is checked against numpy too (1e-12).
    Tolerances: 10% in gain and 0.15 rad in phase (the chaos adds noise to a finite run; measured
    with these seeds: 1-3% and 0.04 rad)."""
    N, g, eps, tmin = 400, 2.0, 0.1, 100.0
    d = workdir()
    for seed, om in ((1, 1.0), (2, 3.0)):
        sim = os.path.join(d, f"chaos{seed}.h5")
        net = ["-rate_N", N, "-params_g", g, "-rate_seed", seed]
        run_ok(["simulate", "-sys_type", "rate", "-quiet", "-output", sim, "-stim_type", "sine", "-stim_amplitude",
                eps, "-stim_frequency", om / (2 * np.pi), "-ts_max_time", 600, "-sample_dt", 0.25]
               + [str(a) for a in net], 2)
        measured, x = lockin(sim, om, tmin)
        assert x[:, 0].std() > 0.3, "the network should be chaotic, not at a fixed point"
        with neurodyn("response", net + ["-resp_theory", "effective_gain", "-resp_exact", "false", "-resp_gain_from",
                                         sim, "-resp_gain_tmin", tmin, "-resp_omega", om], 2, "theory.h5") as f:
            assert "gain" not in f["response"] and "fixed_point" not in f["response"]
            a, samples = f["response"].attrs["effective_gain"], f["response"].attrs["effective_gain_samples"]
            theory = f["response/theory_gain"][0] * np.exp(1j * f["response/theory_phase"][0])
        assert samples == len(x) and abs(a - np.mean(1 - np.tanh(x) ** 2)) < 1e-12, (a, samples)
        assert abs(abs(theory) / abs(measured) - 1) < 0.1, (om, abs(theory), abs(measured))
        assert abs(np.angle(theory / measured)) < 0.15, (om, np.angle(theory), np.angle(measured))
    with_sim = ["response", "-sys_type", "rate", "-rate_N", N, "-resp_theory", "effective_gain"]
    expect_error(with_sim + ["-resp_gain_from", sim, "-resp_gain_tmin", 1e4], "has no sample at t >= 10000")
    expect_error(with_sim[:5] + ["-resp_gain_from", sim], "-resp_gain_from needs -resp_theory effective_gain")
    expect_error(with_sim + ["-resp_gain_from", sim, "-resp_gain", 0.5], "give one of them")
    expect_error(with_sim + ["-resp_gain_tmin", 5], "-resp_gain_tmin needs -resp_gain_from")
    expect_error(with_sim[:5] + ["-resp_exact", "false"], "-resp_exact false leaves nothing to compute")
    expect_error(with_sim + ["-resp_exact", "false", "-resp_full"], "-resp_full writes the exact chi")
    expect_error(["response", "-sys_type", "rate", "-rate_N", 300, "-resp_theory", "effective_gain", "-resp_gain_from",
                  sim], "has 2401 samples of 400 nodes; the system has 300 nodes")


def test_start_from_a_simulate_output():
    """-spec_start, -resp_start, -cov_start: Newton starts from the state a simulate run ended in,
    so a bistable system's other fixed point is analysed. MPR at eta = -5, J = 15 (fixed points
    from mpr_theory, numpy): from the default start the low state, from a run that settled in the
    high state the high focus, its eigenvalues (1e-8), its response and covariance (1e-8)."""
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "postprocess"))
    import mpr_theory

    d = workdir()
    mpr = ["-sys_type", "mpr", "-params_eta", -5, "-params_J", 15]
    high = os.path.join(d, "high.h5")
    run_ok(["simulate"] + mpr + ["-init_r", 1.0, "-init_v", -0.15, "-ts_max_time", 50, "-output", high, "-quiet"])
    r, v = mpr_theory.fixed_points(-5.0, 15.0, 1.0)[-1]
    A = mpr_theory.jacobian(r, v, 15.0)
    lam = np.linalg.eigvals(A)
    with neurodyn_any("spectrum", mpr + ["-spec_all", "-spec_start", high], os.path.join(d, "spec.h5")) as f:
        assert np.allclose(f["spectrum/fixed_point"][()].ravel(), [r, v], rtol=1e-8)
        got = f["spectrum/eigenvalues_real"][()] + 1j * f["spectrum/eigenvalues_imag"][()]
        assert max(np.min(np.abs(lam - z)) for z in got) < 1e-8 * np.max(np.abs(lam))
    with neurodyn_any("response", mpr + ["-resp_start", high, "-resp_omega", "3.3", "-resp_input", "neuron"],
                      os.path.join(d, "resp.h5")) as f:
        want = np.linalg.solve(1j * 3.3 * np.eye(2) - A, np.array([1.0, 0.0], complex))[0]
        assert abs(f["response/gain"][0] - abs(want)) < 1e-8 * abs(want)
    with neurodyn_any("covariance", mpr + ["-cov_start", high, "-cov_sigma", 0.3, "-cov_matrix"],
                      os.path.join(d, "cov.h5")) as f:
        C = sl.solve_continuous_lyapunov(A, -0.09 * np.eye(2))
        assert np.linalg.norm(f["covariance/C"][()] - C) < 1e-8 * np.linalg.norm(C)


def neurodyn_any(cmd, args, out, ranks=2):
    run_ok([cmd, "-quiet", "-output", out] + [str(a) for a in args], ranks)
    return h5py.File(out, "r")
