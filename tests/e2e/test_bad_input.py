"""Bad input: one clear 'neurodyn: error:' line naming the problem, a non-zero exit, no hang,
at 2 ranks, and no output file left behind by a run that never started."""
import os

import h5py
import numpy as np

import ndtest
from ndtest import INPUTS, run, workdir

YAML = os.path.join(INPUTS, "mpr_hysteresis.yaml")
BISTABLE = os.path.join(INPUTS, "mpr_bistability.yaml")


def expect_error(args, phrase, ranks=2):
    """simulate runs get an -output that must not appear"""
    output = os.path.join(workdir(), "never.h5") if args and args[0] == "simulate" else None
    return ndtest.expect_error(args, phrase, ranks, output)


def test_unknown_command():
    expect_error(["simulat", YAML], "unknown command 'simulat'; valid commands: simulate, continue, spectrum, response, covariance, info")


def test_unknown_option():
    expect_error(["simulate", YAML, "-ts_max_tme", "5"], "unknown option -ts_max_tme")


def test_unknown_option_suggests_the_nearest_known_one():
    """an unknown option one or two edits from an option of neurodyn's that this command reads is
    reported with it (the names come from the sources, collected at build time); none for another
    command's options"""
    expect_error(["simulate", YAML, "-sample_td", "1"], "unknown option -sample_td; did you mean -sample_dt?")
    p = ndtest.expect_error(["spectrum", "-sys_type", "mpr", "-spec_vectros"], "unknown option -spec_vectros")
    assert "did you mean -spec_vectors?" in ndtest.error_lines(p)[0], p.stderr
    p = ndtest.expect_error(["spectrum", "-sys_type", "mpr", "-resp_nn", 3], "unknown option -resp_nn")
    assert "did you mean" not in p.stderr, p.stderr


def test_misspelled_petsc_options_are_errors():
    """PETSc's and SLEPc's options misspelt, at 2 ranks: one error line before the run, with the
    nearest option of PETSc's that the command reads, the option's own prefix kept (the names come
    from PETSc's and SLEPc's libraries, collected at build time)"""
    rate = ["-sys_type", "rate", "-rate_N", 10]
    mpr_cycles = ["-sys_type", "mpr", "-params_tau_s", 0.5, "-params_J", -10, "-params_eta", 0, "-init_r", 0.3,
                  "-init_v", -0.5, "-init_s", 0.3, "-cont_type", "periodic", "-cont_param", "eta", "-cont_min", -5,
                  "-cont_max", 9]
    for args, wrong, right in ((["spectrum"] + rate, ["-snes_rtoll", 1e-8], "-snes_rtol"),
                               (["simulate", YAML], ["-ts_max_tme", 5], "-ts_max_time"),
                               (["spectrum"] + rate, ["-st_typ", "sinvert"], "-st_type"),
                               (["spectrum"] + rate, ["-eps_nevv", 3], "-eps_nev"),
                               (["response"] + rate, ["-resp_ksp_rtoll", 1e-8], "-resp_ksp_rtol"),
                               (["response"] + rate, ["-resp_bv_typ", "mat"], "-resp_bv_type"),
                               (["covariance"] + rate, ["-snes_atoll", 1e-8], "-snes_atol"),
                               (["continue", BISTABLE], ["-cont_tangent_ksp_rtoll", 1e-8], "-cont_tangent_ksp_rtol"),
                               (["continue"] + mpr_cycles, ["-cont_floquet_eps_tool", 1e-10], "-cont_floquet_eps_tol"),
                               (["binary", "-bin_N", 4, "-bin_J_generate", "random", "-bin_analysis", "stationary"],
                                ["-eps_tyep", "krylovschur"], "-eps_type")):
        out = os.path.join(workdir(), "never.h5")
        ndtest.expect_error(args + wrong, f"unknown option {wrong[0]}; did you mean {right}?", 2, out)


def test_petsc_options_of_objects_made_during_the_run_are_accepted():
    """Options of solvers that neurodyn creates only during the run are unread when the options are
    checked (before it): spelt as PETSc's options behind such an object's prefix, they are kept
    for it, and used (no warning after the run): the Krylov basis of the multi-shift response, and
    the Floquet eigensolver of cycles; a factorisation package's options (-mat_mumps_icntl_14, read
    at the first factorisation; misspelt, -mat_mumps_icntl_144 is an error at the start: test_misspelled_petsc_options_are_errors
    covers the rule). One that the run never used after all is a warning after it."""
    d = workdir()
    p = ndtest.run_ok(["response", "-sys_type", "rate", "-rate_N", 10, "-resp_bv_type", "mat", "-quiet",
                       "-output", os.path.join(d, "r.h5")], 2)
    assert "warning" not in p.stdout + p.stderr, p.stdout + p.stderr
    # and a factorisation package's options, read when a solver first factors (docs: continue.md)
    cycles = ["continue", "-sys_type", "mpr", "-params_tau_s", 0.5, "-params_J", -10, "-params_eta", 0, "-init_r", 0.3,
              "-init_v", -0.5, "-init_s", 0.3, "-cont_type", "periodic", "-cont_param", "eta", "-cont_min", -5,
              "-cont_max", 9, "-quiet", "-cont_floquet_eps_tol", 1e-10, "-mat_mumps_icntl_14", 50,
              "-cont_tangent_mat_mumps_cntl_1", 0.5]
    p = ndtest.run_ok(cycles + ["-output", os.path.join(d, "c.h5")], 2)
    assert "warning" not in p.stdout + p.stderr, p.stdout + p.stderr
    # the equilibria of a bistable MPR, no cycles: the Floquet solver is never made
    p = ndtest.run_ok(["continue", BISTABLE, "-cont_floquet_eps_tol", 1e-10, "-quiet", "-output",
                       os.path.join(d, "e.h5")], 2)
    assert "neurodyn: warning: option -cont_floquet_eps_tol was not used" in p.stdout, p.stdout


def test_misspelled_parameter():
    expect_error(["simulate", YAML, "-params_etaa", "-4"], "no parameter 'etaa' (its parameters: eta, J, Delta, tau, tau_s)")


def test_negative_delta():
    expect_error(["simulate", YAML, "-params_Delta", "-1"], "parameter Delta = -1")


def test_missing_input_file():
    expect_error(["simulate", "no/such/input.yaml"], "cannot read input file 'no/such/input.yaml'")


def test_unwritable_output_path():
    ndtest.expect_error(["simulate", YAML, "-output", "/dev/null/run.h5"], "cannot write output file '/dev/null/run.h5'")


def test_missing_end_time():
    expect_error(["simulate", "-sys_type", "mpr"], "no end time: set -ts_max_time")


def test_unknown_system_type():
    expect_error(["simulate", YAML, "-sys_type", "qif2"], "unknown system type 'qif2' (known: mpr, izh_mf, ")  # more types follow


def test_bad_stimulus_parameter():
    expect_error(["simulate", YAML, "-stim_t_rise", "0"], "-stim_t_rise must be > 0")


def test_missing_table_file():
    expect_error(["simulate", YAML, "-stim_type", "table", "-stim_file", "no/such/table.txt"], "cannot open 'no/such/table.txt'")


def test_stray_argument():
    expect_error(["simulate", YAML, "-ts_max_time", "5", "10"], "unexpected argument '10'")


def test_one_rank_too():
    expect_error(["simulate", YAML, "-params_Delta", "-1"], "parameter Delta = -1", ranks=1)


def test_invalid_yaml():
    path = os.path.join(workdir(), "bad.yaml")
    with open(path, "w") as fp:
        fp.write("params:\n  eta: [1, 2\n  J: {\n")
    expect_error(["simulate", path], "is not valid YAML: did not find expected ',' or ']' at line 3")


def test_yaml_that_is_not_a_mapping():
    path = os.path.join(workdir(), "list.yaml")
    with open(path, "w") as fp:
        fp.write("- sys_type\n- mpr\n")
    expect_error(["simulate", path], "must be a YAML mapping of option names to values")


def test_unknown_word_for_a_petsc_enum_option():
    expect_error(["simulate", YAML, "-ts_exact_final_time", "sometimes"], "Unknown option sometimes for -ts_exact_final_time")


NET = ["simulate", "-net_populations", "E", "-net_E_model", "lif", "-net_E_size", "10", "-net_E_E_rule",
       "bernoulli", "-net_E_E_p", "0.5", "-ts_dt", "0.1", "-ts_max_time", "5"]


def test_network_bad_inputs():
    """Spiking networks: negative size, p outside [0, 1], K beyond the distinct partners, a delay
    shorter than the step, an unknown model, a misspelled parameter, a connectivity file of the wrong shape, a clashing
    name."""
    expect_error(NET + ["-net_E_size", "-5"], "-net_E_size must be >= 1 (got -5)")
    expect_error(NET + ["-net_E_E_p", "1.5"], "-net_E_E_p must be in [0, 1] (got 1.5)")
    expect_error(NET + ["-net_E_E_rule", "fixed_indegree", "-net_E_E_K", "20", "-net_E_E_multapses", "false"],
                 "K = 20 is more than the 9 distinct partners available without multapses and autapses")
    expect_error(NET + ["-net_E_E_delay", "0.05"], "delays must be at least one step")
    expect_error(NET + ["-net_E_E_delay", "1", "-net_E_E_delay_dist", "uniform", "-net_E_E_delay_spread", "-1"],
                 "-net_E_E_delay_spread must be >= 0")
    expect_error(NET + ["-net_E_model", "hh"], "unknown neuron model 'hh' for -net_E_model (known models: ")
    expect_error(NET + ["-net_E_tau_mm", "3"], "unknown option -net_E_tau_mm")
    expect_error(NET + ["-net_E_E_rule", "erdos"], "unknown value 'erdos' for -net_E_E_rule")
    expect_error(NET + ["-ts_type", "rk"], "-ts_type rk: a spiking network is advanced by its own fixed-step method")
    square = os.path.join(workdir(), "square.h5")
    with h5py.File(square, "w") as f:
        f["J"] = np.ones((10, 10))
    expect_error(["simulate", "-net_populations", "E,F", "-net_E_model", "lif", "-net_E_size", "10", "-net_F_model",
                  "lif", "-net_F_size", "4", "-net_E_F_rule", "file", "-net_E_F_file", square + ":/J", "-ts_max_time",
                  "1"], "-net_E_F_file: the matrix in " + square + ":/J is 10 x 10 but the projection E -> F needs 4 x 10")
    expect_error(["simulate", "-net_populations", "E,a", "-net_E_model", "izhikevich", "-net_E_size", "3",
                  "-net_a_model", "izhikevich", "-net_a_size", "3", "-ts_max_time", "1"],
                 "population name a is also a parameter of model izhikevich")


def test_stochastic_system_bad_inputs():
    """mpr_shotnoise (an SDE) with an ODE scheme, a step beyond its stability limit, a bad seed or
    band; an SDE scheme for an ODE system; a stochastic node type in node_network."""
    sde = ["simulate", "-sys_type", "mpr_shotnoise", "-ts_max_time", "1"]
    expect_error(sde + ["-ts_type", "rk"], "system 'mpr_shotnoise' is stochastic: -ts_type must be an SDE scheme")
    expect_error(sde + ["-ts_dt", "0.01"], "-ts_dt 0.01 is beyond the stability limit")
    expect_error(sde + ["-sys_seed", "-3"], "-sys_seed must be >= 0 (got -3)")
    expect_error(sde + ["-sys_shot_band_low", "5", "-sys_shot_band_high", "2"], "0 < -sys_shot_band_low < -sys_shot_band_high")
    expect_error(["simulate", YAML, "-ts_type", "nd_em"], "-ts_type nd_em integrates stochastic systems; system 'mpr' has no noise")
    expect_error(["simulate", "-sys_type", "node_network", "-node_type", "mpr_shotnoise", "-ts_max_time", "1"],
                 "-node_type mpr_shotnoise is stochastic")


def test_full_disk_fails_cleanly_on_every_rank():
    """A write that fails (the output file is /dev/full: every write gets ENOSPC) on one rank or
    all: an error naming the failed HDF5 call and a non-zero exit within the timeout, never a
    hang in the next collective call or a crash in MPI_Finalize (the CI once ran out of disk)."""
    out = os.path.join(workdir(), "full.h5")
    os.symlink("/dev/full", out)
    for args in (["simulate", YAML, "-ts_max_time", "5"],
                 ["spectrum", "-sys_type", "rate", "-rate_N", "50", "-params_g", "0.5", "-quiet"]):
        for ranks in (1, 2):
            p = run(args + ["-output", out, "-overwrite"], ranks, timeout=60)  # the file exists: /dev/full
            assert p.returncode != 0, f"exit 0 writing to /dev/full: {args} at {ranks} ranks"
            assert "HDF5 call failed" in p.stderr, p.stderr
            assert "Segmentation fault" not in p.stderr and "signal 11" not in p.stderr, p.stderr


def test_values_that_are_not_finite():
    """NaN or infinite option values, alone or in a list, from the command line or an input file"""
    expect_error(["simulate", YAML, "-init_r", "nan"], "option -init_r: nan is not a finite number")
    expect_error(["simulate", YAML, "-params_eta", "-inf"], "option -params_eta: -inf is not a finite number")
    expect_error(["response", "-sys_type", "rate", "-rate_N", 20, "-resp_omega", "1,1e999"],
                 "option -resp_omega: 1e999 is not a finite number")
    expect_error(["binary", "-bin_analysis", "bifurcations", "-bin_J", "0,1,NaN,0"], "option -bin_J: NaN is not a finite number")
    yaml = os.path.join(workdir(), "nan.yaml")
    with open(yaml, "w") as f:
        f.write("sys:\n  type: mpr\nparams:\n  J: nan\nts:\n  max_time: 1\n")
    expect_error(["simulate", yaml], "option -params_J: nan is not a finite number")


def test_state_that_overflows_stops_the_run():
    """explicit fixed steps on an exploding system: an error at the first non-finite sample, and
    the file is not marked complete"""
    out = os.path.join(workdir(), "diverged.h5")
    ndtest.expect_error(["simulate", YAML, "-params_eta", "1e300", "-ts_type", "euler", "-ts_dt", "0.001", "-output", out],
                        "the state is not finite at t = ")
    with h5py.File(out, "r") as f:
        assert not f.attrs["complete"]


def test_time_steps_that_cannot_advance():
    """each used to loop forever"""
    expect_error(["simulate", "-sys_type", "mpr", "-ts_max_time", 1, "-ts_type", "euler", "-ts_dt", 0], "-ts_dt must be > 0 (got 0.)")
    expect_error(["simulate", "-sys_type", "rate", "-rate_N", 10, "-rate_sigma", 0.1, "-ts_max_time", 1, "-ts_dt", -0.01],
                 "-ts_dt must be > 0 (got -0.01)")
    expect_error(["simulate", YAML, "-ts_max_time", 5, "-sample_dt", 1e-300], "-sample_dt 1e-300 is too small")
    expect_error(["simulate", YAML, "-ts_max_time", 5, "-ts_adapt_type", "none", "-ts_dt", 1e-300],
                 "-ts_dt 1e-300 is too small for fixed steps")
    expect_error(["simulate", YAML, "-ts_max_time", 5, "-checkpoint_interval", 1e-300],
                 "-checkpoint_interval 1e-300 is too small to advance the time")
    expect_error(["simulate", YAML, "-ts_max_time", 5, "-ts_max_steps", -1], "-ts_max_steps must be >= 1 (got -1)")


def write_csr(path, name, indptr, indices, data, shape, **arrays):
    with h5py.File(path, "a") as f:
        g = f.create_group(name)
        g["indptr"], g["indices"], g["data"] = indptr, indices, data
        for key, value in arrays.items():
            g[key] = value
        g.attrs["shape"] = np.array(shape)


def test_malformed_csr_files():
    """row pointers that decrease, start elsewhere than 0 or overrun the arrays used to corrupt
    memory; non-finite values and short aligned arrays are errors too (rate, network)"""
    path = os.path.join(workdir(), "csr.h5")
    if os.path.exists(path):
        os.remove(path)
    ring = [(i + 1) % 10 for i in range(10)]
    write_csr(path, "nonmono", [0, 1, 2, 3, 4, 5, 9, 6, 8, 9, 10], ring, 0.5 * np.ones(10), (10, 10))
    write_csr(path, "negptr", [-1] + list(range(1, 11)), ring, 0.5 * np.ones(10), (10, 10))
    write_csr(path, "outside", [0, 1, 2, 3, 4, 20, 21, 22, 23, 24, 10], ring, 0.5 * np.ones(10), (10, 10))
    write_csr(path, "short", list(range(11)), ring, 0.5 * np.ones(7), (10, 10))
    write_csr(path, "nan", list(range(11)), ring, [np.nan] + [0.5] * 9, (10, 10))
    write_csr(path, "delays", list(range(11)), ring, 50 * np.ones(10), (10, 10), delays=np.ones(5))
    rate = ["spectrum", "-sys_type", "rate", "-rate_J_file"]
    for ranks in (1, 2):
        expect_error(rate + [path + ":/nonmono"], "-rate_J_file: " + path + ":/nonmono/indptr decreases at row 6 (9 then 6)", ranks)
    expect_error(rate + [path + ":/negptr"], "/negptr/indptr must start at 0 (starts at -1)")
    for ranks in (1, 2):  # each rank checks its own rows' pointers; the first bad row is named
        expect_error(rate + [path + ":/outside"],
                     f"{path}:/outside/indptr points outside indices at row 4 (4, 20; indices has 10 entries)", ranks)
    expect_error(rate + [path + ":/short"], "indptr ends at 10, but indices has 10 entries and data 7")
    expect_error(rate + [path + ":/nan"], "has values that are not finite (NaN or Inf)")
    net = ["simulate", "-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 10, "-net_E_E_rule", "file",
           "-ts_dt", 0.1, "-ts_max_time", 10, "-net_E_E_file"]
    expect_error(net + [path + ":/nonmono"], "-net_E_E_file: " + path + ":/nonmono/indptr decreases")
    expect_error(net + [path + ":/delays"], "-net_E_E_file: in " + path + ":/delays the array delays and indices differ in length")


def test_malformed_petsc_binary_matrices():
    """PETSc binary files are checked like CSR groups: header, row lengths, columns (an optimised
    PETSc does not check them on insertion)"""
    d = workdir()
    ring = [(i + 1) % 10 for i in range(10)]
    cases = {
        "dense": ((10, 10, [1] * 10, ring, [0.5] * 10), "holds a dense PETSc binary matrix"),
        "sum": ((10, 10, [1] * 9 + [2], ring, [0.5] * 10), "the row lengths add up to 11, but the header says 10"),
        "column": ((10, 10, [1] * 10, ring[:9] + [10], [0.5] * 10), "has column indices outside [0, 10)"),
        "nan": ((10, 10, [1] * 10, ring, [np.nan] + [0.5] * 9), "has values that are not finite"),
        "square": ((10, 9, [1] * 10, [0] * 10, [0.5] * 10), "it must be square"),
    }
    for name, (matrix, phrase) in cases.items():
        path = os.path.join(d, name + ".petsc")
        ndtest.write_petsc_binary(path, *matrix)
        if name == "dense":  # MATDENSE's binary format: nonzeros -1 in the header
            with open(path, "r+b") as f:
                f.seek(12)
                f.write(np.array([-1], ">i4").tobytes())
        expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", path], phrase)
    path = os.path.join(d, "short.petsc")
    ndtest.write_petsc_binary(path, 10, 10, [1] * 10, ring, [0.5] * 10)
    with open(path, "r+b") as f:
        f.truncate(100)
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", path], "is shorter than its header says")
    good = os.path.join(d, "good.petsc")
    ndtest.write_petsc_binary(good, 10, 10, [1] * 10, ring, [0.5] * 10)
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", good + ":/J"],
                 f"'{good}' is a PETSc binary matrix file: name it without :/J")


def test_lyapunov_solver_options_are_accepted():
    """the documented -cov_lme_* options reach SLEPc's LME (they used to be 'unknown')"""
    out = os.path.join(workdir(), "lme.h5")
    ndtest.run_ok(["covariance", "-sys_type", "rate", "-rate_N", 30, "-cov_noise_units", "0,1", "-cov_lme_tol", 1e-10,
                   "-cov_lme_ncv", 20, "-quiet", "-output", out], 2)
    expect_error(["covariance", "-sys_type", "rate", "-rate_N", 30, "-cov_noise_units", "0,1", "-cov_lme_type", "nosuch"],
                 "Unknown LME type given: nosuch")


def test_options_of_another_connectivity_are_errors():
    """-rate_K belongs to sparse and ei connectivity: with the default gaussian J it used to be
    read and ignored"""
    expect_error(["spectrum", "-sys_type", "rate", "-rate_N", 50, "-rate_K", 5],
                 "-rate_K is an option of -rate_J_type sparse, ei, not of gaussian (this network's connectivity)")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_N", 50, "-rate_J_type", "sparse", "-rate_lowrank_m", 3],
                 "-rate_lowrank_m is an option of -rate_J_type lowrank, not of sparse")


def test_newton_linear_solve_failure_names_a_remedy():
    """mpr_shotnoise's Jacobian has a zero pivot for ILU: small systems get a direct solve by
    default (the same eigenvalues at 1 and 2 ranks), and ILU, when asked for, fails with a message
    that says what to do"""
    rightmost = []
    for ranks in (1, 2):
        out = os.path.join(workdir(), f"shot{ranks}.h5")
        ndtest.run_ok(["spectrum", "-sys_type", "mpr_shotnoise", "-quiet", "-output", out], ranks)
        with h5py.File(out, "r") as f:
            rightmost.append(np.max(f["spectrum/eigenvalues_real"][()]))
            assert "bulk_radius" not in f["spectrum"].attrs  # the circular law is the rate network's
    assert rightmost[0] < 0 and abs(rightmost[0] - rightmost[1]) < 1e-10, rightmost  # the stable low-activity state
    expect_error(["spectrum", "-sys_type", "mpr_shotnoise", "-pc_type", "ilu"], "Newton's linear solve failed", 1)


def test_lists_seeds_and_tolerances():
    """empty list items (PETSc drops them), negative seeds, a unit listed twice, a tolerance of 0,
    and a network end time between two steps (the run passed it)"""
    expect_error(["response", "-sys_type", "rate", "-rate_N", 20, "-resp_omega", "1,,2"],
                 "option -resp_omega: the list '1,,2' has an empty item")
    expect_error(NET + ["-net_E_record", "0,1,"], "option -net_E_record: the list '0,1,' has an empty item")
    for option, args in (("-rate_seed", ["spectrum", "-sys_type", "rate"]),
                         ("-node_seed", ["simulate", "-sys_type", "node_network", "-ts_max_time", 1]),
                         ("-bin_seed", ["binary", "-bin_J_generate", "random", "-bin_N", 4])):
        expect_error(args + [option, -1], option + " must be >= 0 (got -1)")
    expect_error(["covariance", "-sys_type", "rate", "-rate_N", 20, "-cov_noise_units", "3,3"],
                 "-cov_noise_units: unit 3 is listed twice")
    expect_error(["continue", os.path.join(INPUTS, "mpr_bistability.yaml"), "-cont_locate_tol", 0],
                 "-cont_locate_tol must be in (0, 1) (got 0.)")
    expect_error(NET[:-2] + ["-ts_dt", 10, "-ts_max_time", 5], "-ts_max_time 5. is not a whole number of steps -ts_dt 10.")


def test_sizes_and_counts_cannot_wrap():
    """A size, count or index beyond the 32-bit PetscInt (4294967306 = 2^32 + 10 would wrap to 10)
    is an error naming the option, the value and the limit; so is a number PETSc would cut (12abc)"""
    limit = "must be <= 2147483647, the largest index of this build (32-bit PetscInt) (got 4294967306)"
    expect_error(["simulate", "-sys_type", "rate", "-rate_N", 4294967306, "-ts_max_time", 1], "-rate_N " + limit)
    expect_error(["binary", "-bin_N", 4294967306, "-bin_J_generate", "random"], "-bin_N " + limit)
    expect_error(NET + ["-net_E_size", 4294967306], "-net_E_size " + limit)
    expect_error(["response", "-sys_type", "rate", "-rate_N", 20, "-resp_n", 4294967306], "-resp_n " + limit)
    expect_error(["covariance", "-sys_type", "rate", "-rate_N", 20, "-cov_noise_units", "1,4294967306"],
                 "-cov_noise_units " + limit)
    expect_error(["simulate", "-sys_type", "rate", "-rate_N", "12abc", "-ts_max_time", 1],
                 "option -rate_N: '12abc' is not a whole number")
    expect_error(["simulate", "-sys_type", "rate", "-rate_N", 99999999999999999999999, "-ts_max_time", 1],
                 "-rate_N must be <= 2147483647")


def test_table_rows_with_more_than_two_numbers_or_nan():
    for name, text in (("3col.txt", "0 1 2\n1 1 2\n"), ("junk.txt", "0 1 junk\n1 1\n"), ("nan.txt", "0 nan\n1 1\n")):
        path = os.path.join(workdir(), name)
        with open(path, "w") as fp:
            fp.write(text)
        expect_error(["simulate", "-sys_type", "mpr", "-ts_max_time", 2, "-stim_type", "table", "-stim_file", path],
                     f"'{path}': expected two finite numbers 't I' on each line, near row 1")
    path = os.path.join(workdir(), "comment.txt")  # a trailing comment is fine
    with open(path, "w") as fp:
        fp.write("0 0  # start\n1 0.5\n")
    ndtest.run_ok(["simulate", "-sys_type", "mpr", "-stim_type", "table", "-stim_file", path, "-ts_max_time", 2, "-quiet",
                   "-output", os.path.join(workdir(), "table.h5")])


def test_missing_options_file():
    """checked before PETSc starts (PETSc itself fails with a trace and MPI_Abort)"""
    p = expect_error(["simulate", YAML, "-options_file", "/no/such/options"],
                     "cannot read -options_file '/no/such/options': No such file or directory")
    assert "PETSC ERROR" not in p.stderr and "MPI_ABORT" not in p.stderr, p.stderr[-1500:]


def test_vector_file_with_nan():
    path = os.path.join(workdir(), "vec_nan.h5")
    with h5py.File(path, "w") as f:
        f["w"] = np.array([1.0, np.nan] + [0.0] * 18)
    expect_error(["response", "-sys_type", "rate", "-rate_N", 20, "-resp_readout_file", path + ":/w"],
                 f"-resp_readout_file: {path}:/w has values that are not finite (NaN or Inf)")


def test_mif_voltages_are_integers():
    expect_error(["simulate", "-net_populations", "E", "-net_E_model", "mif", "-net_E_size", 10, "-net_E_M", 1.5,
                  "-ts_dt", 0.01, "-ts_max_time", 1], "-net_E_M must be an integer (got 1.5): parameter M of mif")


def test_lyapunov_of_an_unstable_fixed_point():
    """SLEPc's low-rank solver fails inside (LAPACK potrf) when A is unstable: a message that says so"""
    expect_error(["covariance", "-sys_type", "rate", "-rate_N", 30, "-cov_noise_units", "0,1", "-params_g", 2],
                 "SLEPc's Lyapunov solver failed")


def test_system_and_network_on_one_command_line():
    """-net_populations was read to choose the mode and then ignored"""
    expect_error(["simulate", "-sys_type", "mpr", "-ts_max_time", 1, "-net_populations", "E"],
                 "give -sys_type (a system) or -net_populations (a spiking network) on the command line, not both")


def test_option_without_value():
    """PETSc reads a number given without a value as not set: the default ran silently"""
    expect_error(["simulate", YAML, "-params_eta", "-quiet"], "option -params_eta needs a value")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_N"], "option -rate_N needs a value")
    expect_error(["simulate", "-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 10, "-net_E_tau_m",
                  "-ts_max_time", 1], "option -net_E_tau_m needs a value")
    # a flag needs none, and its value may be given: -quiet false prints the summary line
    p = ndtest.run_ok(["simulate", YAML, "-ts_max_time", 1, "-quiet", "false",
                       "-output", os.path.join(workdir(), "quiet_false.h5")])
    assert "neurodyn: simulated mpr" in p.stdout, p.stdout
    p = ndtest.run_ok(["simulate", YAML, "-ts_max_time", 1, "-quiet", "-output", os.path.join(workdir(), "quiet.h5")])
    assert p.stdout == "", p.stdout


def test_initial_value_out_of_its_range():
    """a fraction above 1, fractions that do not add up to 1, a negative firing rate"""
    expect_error(["simulate", "-sys_type", "markov_ei", "-init_pE_ref", 2, "-ts_max_time", 1],
                 "-init_pE_ref 2. is out of range: valid values of the refractory fraction of E neurons are [0., 1.]")
    expect_error(["simulate", "-sys_type", "markov_ei", "-init_pE_0", 0.5, "-ts_max_time", 1],
                 "the initial fractions of E neurons (-init_pE_*) add up to 0.5, not 1")
    ndtest.run_ok(["simulate", "-sys_type", "markov_ei", "-init_pI_0", 0.25, "-init_pI_ref", 0.75, "-ts_max_time", 1,
                   "-quiet", "-output", os.path.join(workdir(), "fractions.h5")])
    expect_error(["simulate", YAML, "-init_r", -0.5], "-init_r -0.5 is out of range: valid values of the population firing rate are >= 0.")


def write_petsc_vector(path, values):
    with open(path, "wb") as f:  # class id 1211214, length, big-endian doubles
        np.array([1211214, len(values)], ">i4").tofile(f)
        np.asarray(values, ">f8").tofile(f)


def test_per_neuron_files_and_conflicting_options():
    """A second audit: a per-neuron V_th that is bad on one rank only used to hang the other; a NaN in
    rank 1's part of a vector passed the maximum-norm check; long lists were cut short; options that
    contradict each other were silently resolved"""
    d = workdir()
    vth = os.path.join(d, "vth.petsc")
    write_petsc_vector(vth, [-50.0] * 9 + [-80.0])  # below V_reset = -70 at the last neuron (rank 1's)
    lif = ["simulate", "-net_populations", "E", "-net_E_size", 10, "-ts_dt", 0.1, "-ts_max_time", 5]
    expect_error(lif + ["-net_E_model", "lif", "-net_E_V_th_file", vth],
                 "lif population E: V_reset (-70.) must be below V_th (-80.) at every neuron")
    expect_error(lif + ["-net_E_model", "lif_cond", "-net_E_V_th_file", vth],
                 "lif_cond population E: V_reset (-60.) must be below V_th (-80.) at every neuron")
    nan = os.path.join(d, "nan.petsc")
    write_petsc_vector(nan, [-65.0] * 9 + [np.nan])
    expect_error(lif + ["-net_E_model", "lif", "-net_E_init_V_file", nan], f"-net_E_init_V_file: {nan} has values that are not finite")
    expect_error(["response", "-sys_type", "rate", "-rate_N", 10, "-resp_readout_file", nan],
                 f"-resp_readout_file: {nan} has values that are not finite")
    expect_error(lif + ["-net_E_model", "lif", "-net_E_V_th", -50, "-net_E_V_th_file", vth],
                 "-net_E_V_th and -net_E_V_th_file: give the values of the neurons one way")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_N", 10, "-rate_J_file", vth],
                 f"-rate_J_file: '{vth}' holds a PETSc binary vector, not a matrix")
    binary = ["binary", "-bin_analysis", "stationary", "-bin_N", 4, "-bin_J_generate", "random", "-bin_noise", "gaussian"]
    expect_error(binary + ["-bin_sigma", "1,2,3,4,5"], "-bin_sigma has more than 4 values; give 1, one per population, or 4")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_J_type", "gaussian", "-rate_J_file", vth],
                 "-rate_J_type gaussian and -rate_J_file: give one connectivity")
    expect_error(["info", "-sys_type", "mpr", "-bin_J", "0,1,1,0"], "on the command line, not two of them")


def test_fixed_point_needs_a_small_absolute_residual():
    """From r = v = 1e6 Newton meets SNES's relative tolerance at |F| = 7.9 (1e-12 of the first
    |F|): not a fixed point. spectrum, response and covariance refuse it, name the solver and the
    residual, and write no file"""
    for command in ("spectrum", "response", "covariance"):
        out = os.path.join(workdir(), command + ".h5")
        p = ndtest.expect_error([command, "-sys_type", "mpr", "-init_r", "1e6", "-init_v", "1e6"],
                                "no fixed point found: Newton (SNES) stopped with CONVERGED_FNORM_RELATIVE", 2, out)
        line = ndtest.error_lines(p)[0]
        residual = float(line.split("|F| = ")[1].split(",")[0])
        assert residual > 1, line  # the residual it stopped at is named
        assert "-init_" in line, line  # and what to try


def test_memory_is_estimated_before_it_is_spent():
    """Allocations that grow with an option are compared with -memory_limit (default: the node's
    available memory / ranks) before they are made: the error says what needs how much and which
    option to change, within seconds and without a file. The estimates: 64 bytes per frequency on
    every rank; a dense J of N^2 entries of 24 bytes at its peak, split by rows; 32 bytes per state
    variable and 64 more per neuron"""
    expect_error(["response", "-sys_type", "rate", "-rate_N", 20, "-resp_n", 2000000000],
                 "the frequency grid (-resp_n) needs 119 GB per rank (238 GB on 2 ranks)")
    expect_error(["simulate", "-sys_type", "rate", "-rate_N", 1000000, "-ts_max_time", 1],
                 "the connectivity J of the rate network (N = 1000000) needs 1.12e+04 GB per rank")
    p = ndtest.run(["simulate", "-net_populations", "E", "-net_E_model", "qif", "-net_E_size", 2147483647,
                    "-ts_max_time", 1], 2, failing=True)
    assert "the network of 2147483647 neurons needs" in "".join(ndtest.error_lines(p)), p.stderr[-1000:]
    # the limit applies as given: N = 2000 dense needs 2000 / 2 * 2000 * 24 bytes = 45.8 MiB per rank
    expect_error(["spectrum", "-sys_type", "rate", "-rate_N", 2000, "-memory_limit", 40],
                 "needs 0.0447 GB per rank (0.0894 GB on 2 ranks), more than the 0.0391 GB available per rank: take a "
                 "smaller -rate_N or a sparse -rate_J_type, use more nodes, or set -memory_limit (MB)")
    expect_error(["spectrum", "-sys_type", "rate", "-rate_N", 20, "-memory_limit", -3], "-memory_limit must be > 0 MB")


def run_capped(args, ranks, cap_gb, capped_ranks=None, timeout=60):
    """neurodyn under an address-space cap (ulimit -v) of CAP_GB per process, on the ranks listed
    in CAPPED_RANKS (default: all); mpiexec itself is not capped. Returns the process and the
    time it took."""
    import subprocess
    import time

    capped = " ".join(str(r) for r in (capped_ranks if capped_ranks is not None else range(ranks)))
    wrap = ('case " %s " in *" $OMPI_COMM_WORLD_RANK "*) ulimit -v %d;; esac; exec "$@"' % (capped, cap_gb * 1048576))
    cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe", "sh", "-c", wrap, "sh", ndtest.NEURODYN] + [str(a) for a in args]
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=ndtest.FAILING_ENV)
    return p, time.time() - t0


def test_out_of_memory_inside_petsc_or_hdf5_is_one_line():
    """Allocations that fail although the estimate let them pass (-memory_limit set far above the
    address space, capped with ulimit -v). One 'neurodyn: error:' line names where (the function
    that asked, and neurodyn's caller), how much it asked for, and what to do; non-zero exit, no
    trace, no file, within 60 s:
    - a dense J of N = 20000 (2 GB cap): NdGenerateRows asks for its rows' values, 8 N n bytes
      (n = N / ranks rows), after their column indices (4 N n) passed;
    - every rank runs out: the ranks agree, rank 0 reports for all, and the job ends cleanly
      (no MPI_Abort);
    - one rank of two runs out (only rank 1 capped): that rank reports alone after waiting for
      rank 0 (5 s), then MPI_Abort (the other rank waits in a collective), with Open MPI's banner
      suppressed (its -quiet flag, src/core/errors.c);
    - inside HDF5: a gzip-compressed J of N = 12000 stored as one chunk of 1.15 GB (1.7 GB cap),
      which H5Dread must decompress whole beside the rows read into; also without -memory_limit,
      an allocation that neurodyn's own estimate misses.
    Not under make asan: AddressSanitizer reserves far more address space than the caps."""
    if os.environ.get("ND_SANITIZED"):
        return
    d = workdir()
    out = os.path.join(d, "never.h5")
    N = 20000
    dense = ["spectrum", "-sys_type", "rate", "-rate_N", N, "-rate_J_type", "gaussian", "-memory_limit", 100000,
             "-output", out]
    advice = ("take a smaller problem, more ranks or nodes, or lower -memory_limit (100000 MB per rank given) to "
              "what a rank has, so that neurodyn stops before it allocates")

    def check(p, took, who, where, gb, given=True):
        lines = ndtest.error_lines(p)
        assert p.returncode != 0 and len(lines) == 1, p.stderr[-2000:]
        amount = f", which asked for {gb:.3g} GB" + (" on rank 0" if "all" in who else "") if gb else ""
        if not given:  # the default limit: what the rank may map
            advice_ = ("take a smaller problem or more ranks or nodes (neurodyn's estimate of what the run needs, "
                       "which it checks against -memory_limit, missed this allocation)")
        assert lines[0] == f"neurodyn: error: out of memory{who} in {where}{amount}: {advice if given else advice_}", lines[0]
        assert took < 60, took
        for bad in ("PETSC ERROR", "PETSc error", "Segmentation", "HDF5-DIAG", "ORTE_ERROR", "MPI_ABORT"):
            assert bad not in p.stderr, p.stderr[-2000:]
        assert not os.path.exists(out)

    p, took = run_capped(dense, 1, 2)
    check(p, took, "", "NdGenerateRows", 8 * N * N / 2**30)
    p, took = run_capped(dense, 2, 2)
    check(p, took, " on all 2 ranks", "NdGenerateRows", 8 * N * (N // 2) / 2**30)
    p, took = run_capped(dense, 2, 2, capped_ranks=[1])
    check(p, took, " on rank 1 of 2", "NdGenerateRows", 8 * N * (N // 2) / 2**30)

    n = 12000
    path = os.path.join(d, "one_chunk.h5")
    with h5py.File(path, "w") as f:  # zeros as the fill value: only J[0, 0] written, the chunk compresses to little
        f.create_dataset("J", (n, n), "f8", chunks=(n, n), compression="gzip", compression_opts=1)[0, 0] = 0.5
    from_file = ["spectrum", "-sys_type", "rate", "-rate_N", n, "-rate_J_file", f"{path}:/J", "-memory_limit", 100000,
                 "-output", out]
    for ranks, who in ((1, ""), (2, " on all 2 ranks")):
        p, took = run_capped(from_file, ranks, 1.7)
        check(p, took, who, "H5Dread (called from NdReadHDF5Rows)", None)
    # without -memory_limit (the limit is then what each rank may still map): the estimate counts
    # the rows read, not the chunk HDF5 decompresses, and the run fails the same way
    p, took = run_capped([a for a in from_file if a not in ("-memory_limit", 100000)], 2, 1.7)
    check(p, took, " on all 2 ranks", "H5Dread (called from NdReadHDF5Rows)", None, given=False)


def test_values_petsc_cannot_read_name_their_option():
    """PETSc's own message names only the value ("Input string five has no numeric value"): the
    option holding it is named, for PETSc's options and neurodyn's, whole values and list items"""
    expect_error(["simulate", YAML, "-ts_max_time", "five"], "option -ts_max_time: 'five' is not a number")
    expect_error(["simulate", YAML, "-ts_max_time", 5, "-ts_max_steps", 1.5],
                 "option -ts_max_steps: '1.5' is not a whole number")
    expect_error(["response", "-sys_type", "rate", "-rate_N", 20, "-resp_omega", "1,x,3"],
                 "option -resp_omega: 'x' is not a number")
    expect_error(["simulate", YAML, "-ts_adapt_always_accept", "maybe"],
                 "option -ts_adapt_always_accept: 'maybe' is not true or false")


def test_misspelled_option_is_named_before_the_missing_one():
    """-sys_tpye is never read, so the system is missing: the misspelling is what is reported"""
    expect_error(["spectrum", "-sys_tpye", "mpr"], "unknown option -sys_tpye; did you mean -sys_type?")
    expect_error(["response", "-sys_type", "rate", "-rate_N", 10, "-resp_input", "file", "-resp_input_fle", "u.h5:/u"],
                 "unknown option -resp_input_fle; did you mean -resp_input_file?")


def test_input_file_keys_set_twice_or_too_many():
    """a key set twice (also as a nested map and a flat key: both are -sys_type) is named with its
    two lines, where PETSc would keep the last silently; more keys than PETSc's options database
    holds (512) is one line, not an out-of-memory trace"""
    d = workdir()
    cases = (("dup.yaml", "sys_type: mpr\nts_max_time: 1\nsys_type: rate\n", "sets option -sys_type twice (lines 1 and 3)"),
             ("nested.yaml", "sys:\n  type: mpr\nts_max_time: 1\nsys_type: rate\n", "sets option -sys_type twice (lines 2 and 4)"),
             ("many.yaml", "sys_type: mpr\nts_max_time: 1\n" + "".join(f"params_x{i}: 1\n" for i in range(600)),
              "and the command line set more than 500 options; PETSc's options database holds 512"))
    for name, text, phrase in cases:
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        expect_error(["simulate", path], f"input file '{path}' " + phrase)


def test_datasets_that_do_not_hold_real_numbers():
    """strings and complex numbers (a compound type in h5py) as a matrix, a CSR member or a vector:
    one line naming the file and dataset, where the read failed on one rank with an MPI_Abort"""
    path = os.path.join(workdir(), "bad.h5")
    with h5py.File(path, "w") as f:
        f["S"] = np.array([[b"ab", b"cd"], [b"ef", b"gh"]])
        f["C"] = np.ones((4, 4), complex)
        f["g/indptr"] = np.arange(5)
        f["g/indices"] = np.arange(4)
        f["g/data"] = np.ones(4, complex)
        f["g"].attrs["shape"] = [4, 4]
        f["u"] = np.array([b"a", b"b", b"c", b"d"])
    for name, member in (("S", "S"), ("C", "C"), ("g", "g/data")):
        expect_error(["spectrum", "-sys_type", "rate", "-rate_J_file", f"{path}:/{name}"],
                     f"-rate_J_file: {path}:/{member} does not hold real numbers")
    expect_error(["binary", "-bin_J_file", f"{path}:/C", "-bin_analysis", "bifurcations"],
                 f"-bin_J_file: {path}:/C does not hold real numbers")
    expect_error(["response", "-sys_type", "rate", "-rate_N", 4, "-resp_input", "file", "-resp_input_file", f"{path}:/u"],
                 f"-resp_input_file: {path}:/u does not hold real numbers")


def test_memory_cap_of_3gb_is_one_line_within_60s():
    """Under a 3 GB address-space cap per process (ulimit -v, as a batch system's memory limit),
    at 2 ranks: the sizes of the issue's list and sizes that only the cap makes too large (they fit
    the node's free memory) each stop before allocating, within 60 s, with one error line that
    names the option, and leave no file. The default limit is the least of the node's available
    memory (or the memory cgroup's) per rank and what each rank may still map under its cap.
    Not under make asan: AddressSanitizer reserves far more address space than the cap."""
    import resource
    import subprocess
    import time

    if os.environ.get("ND_SANITIZED"):
        return

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    net = ["simulate", "-net_populations", "E", "-net_E_model", "lif", "-ts_dt", 0.1, "-ts_max_time", 1]
    cases = [
        (["simulate", "-sys_type", "rate", "-rate_N", 1000000, "-ts_max_time", 1], "the connectivity J of the rate network (N = 1000000) needs"),
        (net + ["-net_E_size", 2147483647], "the network of 2147483647 neurons needs"),
        # 7.2 GB of dense J (3.6 GB a rank): within the free memory of most nodes, beyond the cap
        (["spectrum", "-sys_type", "rate", "-rate_N", 30000, "-rate_J_type", "gaussian"], "the connectivity J of the rate network (N = 30000) needs"),
        (net + ["-net_E_size", 100000, "-net_E_E_rule", "fixed_indegree", "-net_E_E_K", 5000], "the network of 100000 neurons needs"),
        (["response", "-sys_type", "rate", "-rate_N", 20, "-resp_n", 100000000], "the frequency grid (-resp_n) needs"),
    ]
    for args, phrase in cases:
        out = os.path.join(workdir(), "never.h5")
        cmd = ["mpiexec", "-n", "2", "--oversubscribe", ndtest.NEURODYN] + [str(a) for a in args] + ["-output", out]
        t0 = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=ndtest.FAILING_ENV, preexec_fn=cap)
        took = time.time() - t0
        lines = ndtest.error_lines(p)
        assert p.returncode != 0 and len(lines) == 1, f"{args}: exit {p.returncode}\n{p.stderr[-2000:]}"
        assert phrase in lines[0] and "GB available per rank" in lines[0], lines[0]
        assert took < 60, f"{args}: {took:.0f} s"
        for bad in ("PETSC ERROR", "Segmentation", "MPI_ABORT", "out of memory"):
            assert bad not in p.stderr, p.stderr[-2000:]
        assert not os.path.exists(out)
