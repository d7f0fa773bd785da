"""Bad input: one clear 'neurodyn: error:' line naming the problem, a non-zero exit, no hang,
at 2 ranks, and no output file left behind by a run that never started."""
import os

import h5py
import numpy as np

import ndtest
from ndtest import INPUTS, run, workdir

YAML = os.path.join(INPUTS, "mpr_hysteresis.yaml")


def expect_error(args, phrase, ranks=2):
    """simulate runs get an -output that must not appear"""
    output = os.path.join(workdir(), "never.h5") if args and args[0] == "simulate" else None
    ndtest.expect_error(args, phrase, ranks, output)


def test_unknown_command():
    expect_error(["simulat", YAML], "unknown command 'simulat'; valid commands: simulate, continue, spectrum, response, covariance, info")


def test_unknown_option():
    expect_error(["simulate", YAML, "-ts_max_tme", "5"], "unknown option -ts_max_tme")


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
    expect_error(NET + ["-net_E_size", "-5"], "-net_E_size must be a positive number of neurons (got -5)")
    expect_error(NET + ["-net_E_E_p", "1.5"], "-net_E_E_p must be in [0, 1] (got 1.5)")
    expect_error(NET + ["-net_E_E_rule", "fixed_indegree", "-net_E_E_K", "20", "-net_E_E_multapses", "false"],
                 "K = 20 is more than the 9 distinct partners available without multapses and autapses")
    expect_error(NET + ["-net_E_E_delay", "0.05"], "delays must be at least one step")
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
            p = run(args + ["-output", out], ranks, timeout=60)
            assert p.returncode != 0, f"exit 0 writing to /dev/full: {args} at {ranks} ranks"
            assert "HDF5 call failed" in p.stderr, p.stderr
            assert "Segmentation fault" not in p.stderr and "signal 11" not in p.stderr, p.stderr
