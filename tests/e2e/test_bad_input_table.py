"""Table-driven bad input: every command and option family at 2 ranks, under a timeout. Each case
must exit non-zero, print a `neurodyn: error` line that contains a stated word (the option, file
or value at fault), leave no output file marked complete = 1, and print no PETSc trace, segfault,
MPI_Abort or Python traceback. Add a row here when an option is added.

Cases run WORKERS = 4 at a time (a thread pool, each case a 2-rank mpiexec: a case is mostly the
start-up of mpiexec and PETSc, which leaves the cores idle part of the time). `python3
tests/e2e/test_bad_input_table.py` prints each case's error line (to choose the stated word)."""
import concurrent.futures
import os
import sys

import h5py

import ndtest
from ndtest import INPUTS, workdir

WRAP = 4294967306  # 2^32 + 10: a 32-bit PetscInt would read 10
WRAP64 = 18446744073709551626  # 2^64 + 10, for the 64-bit seeds
BISTABLE = os.path.join(INPUTS, "mpr_bistability.yaml")
COMMANDS = {
    "simulate": ["simulate", "-sys_type", "mpr", "-ts_max_time", 1],
    "rate": ["simulate", "-sys_type", "rate", "-rate_N", 10, "-ts_max_time", 1],
    "node": ["simulate", "-sys_type", "node_network", "-ts_max_time", 1],
    "shot": ["simulate", "-sys_type", "mpr_shotnoise", "-ts_max_time", 1],
    "net": ["simulate", "-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 10, "-net_E_E_rule",
            "fixed_indegree", "-net_E_E_K", 2, "-ts_dt", 0.1, "-ts_max_time", 1],
    "spectrum": ["spectrum", "-sys_type", "rate", "-rate_N", 10],
    "response": ["response", "-sys_type", "rate", "-rate_N", 10],
    "covariance": ["covariance", "-sys_type", "rate", "-rate_N", 10],
    "continue": ["continue", BISTABLE],
    "cycle": ["continue", BISTABLE, "-cont_type", "cycle"],
    "shooting": ["continue", BISTABLE, "-cont_type", "shooting"],
    "binary": ["binary", "-bin_N", 4, "-bin_J_generate", "random", "-bin_analysis", "bifurcations"],
    "info": ["info", "-sys_type", "rate"],
    "mpr_spectrum": ["spectrum", "-sys_type", "mpr"],
    "mpr_response": ["response", "-sys_type", "mpr"],
    "mpr_covariance": ["covariance", "-sys_type", "mpr"],
    "bare_spectrum": ["spectrum"],
    "bare_info": ["info"],
    "bare_binary": ["binary", "-bin_analysis", "bifurcations"],
}
MISSING = "no/such/file.h5"
WORKERS = 4

# integer options: (base command, option, largest value); each gets a value past that, a negative
# one (all are >= 0 or >= 1), a word and a fraction
INTEGER_OPTIONS = [
    ("rate", "-rate_N", 2147483647), ("spectrum", "-rate_seed", 9223372036854775807),
    ("covariance", "-cov_max_n", 2147483647), ("response", "-resp_n", 2147483647), ("node", "-node_N", 2147483647),
    ("node", "-node_K", 2147483647), ("node", "-node_seed", 9223372036854775807), ("shot", "-sys_seed", 2147483647),
    ("shot", "-sys_shot_harmonics", 1000), ("binary", "-bin_N", 2147483647), ("binary", "-bin_seed", 2147483647),
    ("net", "-net_E_size", 2147483647), ("net", "-net_seed", 9223372036854775807),
    ("net", "-net_spike_buffer", 2147483647), ("net", "-net_E_E_K", 2147483647),
    ("continue", "-checkpoint_interval", 2147483647), ("continue", "-cont_max_steps", 2147483647),
    ("continue", "-cont_nev", 2147483647), ("cycle", "-cont_ntst", 2147483647),
    ("shooting", "-cont_po_steps", 2147483647),
]
LIST_OPTIONS = [("covariance", "-cov_noise_units"), ("net", "-net_E_record")]


def data_files(d):
    """The bad files of the issue's list (issue 19), written into D: an input file with more keys
    than PETSc's options database holds, one with a key set twice, datasets of strings and complex
    numbers, and a checkpoint whose timeseries_rows exceeds its data (written by a 1-rank run)"""
    import numpy as np

    files = {k: os.path.join(d, k) for k in ("many.yaml", "dup.yaml", "bad.h5", "ck.h5")}
    with open(files["many.yaml"], "w") as f:
        f.write("sys_type: mpr\nts_max_time: 1\n" + "".join(f"params_x{i}: 1\n" for i in range(600)))
    with open(files["dup.yaml"], "w") as f:
        f.write("sys_type: mpr\nts_max_time: 1\nsys_type: rate\n")
    with h5py.File(files["bad.h5"], "w") as f:
        f["S"] = np.array([[b"ab", b"cd"], [b"ef", b"gh"]])
        f["C"] = np.ones((4, 4), complex)
        f["u"] = np.array([b"a", b"b", b"c", b"d"])
    ndtest.run_ok(COMMANDS["rate"][:-2] + ["-ts_max_time", 2, "-checkpoint_interval", 1, "-sample_dt", 0.1,
                                           "-output", files["ck.h5"], "-quiet"])
    with h5py.File(files["ck.h5"], "r+") as f:
        g = f["checkpoint"]
        if "timeseries_rows" in g.attrs:
            g.attrs["timeseries_rows"] = np.int64(10**6)
        else:
            g["timeseries_rows"][()] = 10**6
    return files


def cases(files=None):
    """(label, args, word): args after the base command's; FILES from data_files (default: written
    into a new work directory)"""
    files = files or data_files(workdir())
    table = []
    for base, opt, largest in INTEGER_OPTIONS:
        table.append((base, [opt, WRAP if largest < WRAP else WRAP64], f"{opt} must be <= {largest}"))
        table.append((base, [opt, "12abc"], f"option {opt}: '12abc' is not a whole number"))
        table.append((base, [opt, 2.5], f"option {opt}: '2.5' is not a whole number"))
        table.append((base, [opt, -3], f"{opt} must be >= "))
    for base, opt in LIST_OPTIONS:
        table.append((base, [opt, f"1,{WRAP}"], f"{opt} must be <= 2147483647"))
        table.append((base, [opt, "1,x"], f"option {opt}: 'x' is not a whole number"))
        table.append((base, [opt, "1,,2"], f"option {opt}: the list '1,,2' has an empty item"))
    table += [  # other sizes, counts and indices
        ("binary", ["-bin_npatterns", 0, "-bin_analysis", "patterns", "-bin_J_generate", "hopfield"], "-bin_npatterns"),
        ("binary", ["-bin_population_sizes", f"2,{WRAP}"], "-bin_population_sizes"),
        ("binary", ["-bin_N", 41], "2^N states"),
        ("binary", ["-bin_potential_bins", 0, "-bin_analysis", "stationary"], "-bin_potential_bins"),
        ("response", ["-resp_input", "neuron", "-resp_neuron", 10], "-resp_neuron"),
        ("response", ["-resp_max_krylov", 0], "-resp_max_krylov"),
        ("covariance", ["-cov_noise_units", "3,3"], "-cov_noise_units"),
        ("covariance", ["-cov_noise_units", "0,10"], "-cov_noise_units"),
        ("covariance", ["-cov_theory", "linear_equivalent", "-cov_units", "5-2"], "-cov_units"),
        ("net", ["-net_E_record", "10"], "-net_E_record"),
        ("rate", ["-rate_J_type", "sparse", "-rate_K", 10], "-rate_K"),
        ("spectrum", ["-rate_N", 2000, "-memory_limit", 10], "-memory_limit"),
        ("response", ["-resp_n", 2000000000], "-resp_n"),
        ("rate", ["-rate_N", 1000000], "-rate_N"),
        ("net", ["-net_E_size", 2147483647], "-net_<pop>_size"),
        ("binary", ["-bin_N", 36, "-bin_analysis", "stationary", "-bin_noise", "logistic", "-bin_update", "asynchronous",
                    "-bin_memory_limit", 100], "N = 36"),
        ("simulate", ["-memory_limit", 0], "-memory_limit"),
    ]
    table += [  # numbers: not numbers, not finite, out of range
        ("simulate", ["-ts_max_time", "five"], "option -ts_max_time: 'five' is not a number"),
        ("simulate", ["-ts_max_time", "nan"], "-ts_max_time"),
        ("simulate", ["-ts_max_time", "inf"], "-ts_max_time"),
        ("simulate", ["-ts_max_time", "1e999"], "-ts_max_time"),
        ("simulate", ["-ts_dt", 0, "-ts_type", "rk", "-ts_adapt_type", "none"], "-ts_dt"),
        ("simulate", ["-ts_max_steps", 1.5], "option -ts_max_steps: '1.5' is not a whole number"),
        ("simulate", ["-ts_max_steps", -1], "-ts_max_steps"),
        ("simulate", ["-sample_dt", -1], "-sample_dt"),
        ("simulate", ["-sample_dt", "1e-300"], "-sample_dt"),
        ("simulate", ["-params_eta", "abc"], "option -params_eta: 'abc' is not a number"),
        ("simulate", ["-params_Delta", -1], "Delta"),
        ("simulate", ["-params_tau", 0], "tau"),
        ("simulate", ["-params_eta", "nan"], "-params_eta"),
        ("simulate", ["-params_etaa", 1], "etaa"),
        ("simulate", ["-init_r", -1], "-init_r"),
        ("simulate", ["-init_q", 1], "-init_q"),
        ("simulate", ["-quiet", "maybe"], "-quiet"),
        ("simulate", ["-ts_adapt_always_accept", "maybe"], "'maybe' is not true or false"),
        ("simulate", ["-stim_type", "step", "-stim_t_start", "x"], "-stim_t_start"),
        ("simulate", ["-stim_type", "ramp", "-stim_t_rise", 0], "-stim_t_rise"),
        ("simulate", ["-stim_type", "wave"], "wave"),
        ("simulate", ["-stim_type", "table", "-stim_file", MISSING], MISSING),
        ("rate", ["-params_g", "x"], "-params_g"),
        ("rate", ["-rate_phi", "softplus"], "softplus"),
        ("rate", ["-rate_J_type", "dense"], "dense"),
        ("rate", ["-rate_J_file", MISSING], MISSING),
        ("rate", ["-rate_J_file", BISTABLE], "-rate_J_file"),
        ("rate", ["-rate_J_type", "ei", "-rate_fE", 1.5], "-rate_fE"),
        ("rate", ["-rate_sigma", -1], "-rate_sigma"),
        ("rate", ["-rate_lowrank_m", 1], "-rate_lowrank_m"),
        ("node", ["-node_connectome", "torus"], "torus"),
        ("node", ["-node_connectome_file", MISSING], MISSING),
        ("node", ["-node_type", "rate"], "-node_type"),
        ("node", ["-node_weight_spread", 2], "-node_weight_spread"),
        ("node", ["-node_delay", -1], "-node_delay"),
        ("node", ["-node_couple_from", "w"], "-node_couple_from"),
        ("shot", ["-ts_type", "rk"], "-ts_type"),
        ("shot", ["-ts_dt", 0.01], "-ts_dt"),
        ("shot", ["-sys_shot_band_low", 5, "-sys_shot_band_high", 2], "-sys_shot_band_low"),
        ("simulate", ["-ts_type", "nd_em"], "nd_em"),
        ("simulate", ["-ts_type", "bogus"], "bogus"),
    ]
    table += [  # spiking networks
        ("net", ["-net_E_model", "hh"], "hh"),
        ("net", ["-net_E_E_rule", "erdos"], "erdos"),
        ("net", ["-net_E_E_rule", "bernoulli", "-net_E_E_p", 1.5], "-net_E_E_p"),
        ("net", ["-net_E_E_K", 20, "-net_E_E_multapses", "false"], "K = 20"),
        ("net", ["-net_E_E_delay", 0.05], "delay"),
        ("net", ["-net_E_tau_mm", 3], "-net_E_tau_mm"),
        ("net", ["-net_E_poisson_rate", -1], "-net_E_poisson_rate"),
        ("net", ["-net_E_E_rule", "file", "-net_E_E_file", MISSING], MISSING),
        ("net", ["-net_populations", "E,E"], "E"),
        ("net", ["-ts_type", "rk"], "-ts_type"),
        ("net", ["-net_E_size", "ten"], "-net_E_size"),
        ("net", ["-net_E_V_th_file", MISSING], MISSING),
        ("net", ["-net_E_I_e_file", MISSING], MISSING),
        ("net", ["-net_sonata", f"{MISSING},{MISSING}"], MISSING),
        ("net", ["-net_sonata", MISSING], "-net_sonata takes nodes.h5,edges.h5"),
        ("net", ["-net_E_E_rule", "sonata"], "-net_E_E_file"),
        ("net", ["-net_E_current_file", MISSING + ":/steps"], MISSING),
        ("net", ["-net_E_E_rule", "sonata", "-net_E_E_file", MISSING + ":/edges/EE"], MISSING),
    ]
    table += [  # spectrum, response, covariance
        ("mpr_spectrum", ["-init_r", "1e6", "-init_v", "1e6"], "Newton (SNES)"),
        ("mpr_response", ["-init_r", "1e6", "-init_v", "1e6"], "Newton (SNES)"),
        ("mpr_covariance", ["-init_r", "1e6", "-init_v", "1e6"], "Newton (SNES)"),
        ("bare_spectrum", ["-sys_tpye", "mpr"], "did you mean -sys_type?"),
        ("spectrum", ["-spec_bogus", 1], "-spec_bogus"),
        ("spectrum", ["-snes_rtoll", 1e-8], "unknown option -snes_rtoll; did you mean -snes_rtol?"),
        ("simulate", ["-ts_max_tme", 5], "unknown option -ts_max_tme; did you mean -ts_max_time?"),
        ("response", ["-resp_ksp_rtoll", 1e-8], "did you mean -resp_ksp_rtol?"),
        ("covariance", ["-cov_lme_tool", 1e-8], "did you mean -cov_lme_tol?"),
        ("cycle", ["-cont_floquet_eps_tool", 1e-8], "did you mean -cont_floquet_eps_tol?"),
        ("binary", ["-eps_nevv", 2], "did you mean -eps_nev?"),
        ("spectrum", ["-spec_start", MISSING], MISSING),
        ("spectrum", ["-eps_nev", "x"], "-eps_nev"),
        ("spectrum", ["-ts_max_time", 1], "-ts_max_time"),
        ("response", ["-resp_omega", "1,,2"], "-resp_omega"),
        ("response", ["-resp_omega", "-1,2"], "angular frequencies"),
        ("response", ["-resp_omega", "1,x"], "option -resp_omega: 'x' is not a number"),
        ("response", ["-resp_omega_min", 2, "-resp_omega_max", 1], "-resp_omega_max"),
        ("response", ["-resp_log", "-resp_omega_min", 0], "-resp_log"),
        ("response", ["-resp_input", "sideways"], "sideways"),
        ("response", ["-resp_input", "file"], "-resp_input_file"),
        ("response", ["-resp_input", "file", "-resp_input_file", MISSING], MISSING),
        ("response", ["-resp_readout_file", MISSING], MISSING),
        ("response", ["-resp_theory", "mean_field"], "mean_field"),
        ("response", ["-resp_gain", 0.5], "-resp_gain"),
        ("response", ["-resp_gain_tmin", 1], "-resp_gain_tmin"),
        ("response", ["-resp_start", MISSING], MISSING),
        ("response", ["-resp_input", "file", "-resp_input_fle", "u.h5:/u"], "did you mean -resp_input_file?"),
        ("covariance", ["-cov_sigma", 0], "-cov_sigma"),
        ("covariance", ["-cov_theory", "exact"], "exact"),
        ("covariance", ["-cov_exact", "false"], "-cov_exact"),
        ("covariance", ["-cov_omega", 1], "-cov_omega"),
        ("covariance", ["-cov_start", MISSING], MISSING),
        ("covariance", ["-cov_max_n", 5], "-cov_max_n"),
        ("covariance", ["-cov_noise_units", 1, "-cov_matrix"], "-cov_matrix"),
        ("mpr_covariance", ["-cov_sigma", -1], "-cov_sigma"),
    ]
    table += [  # continuation (the engine's own checks: its options and start points)
        ("continue", ["-cont_param", "nosuch"], "nosuch"),
        ("continue", ["-cont_type", "torus"], "torus"),
        ("continue", ["-cont_locate_tol", 0], "-cont_locate_tol"),
        ("continue", ["-cont_bogus", 1], "-cont_bogus"),
        ("continue", ["-cont_max_steps", "x"], "-cont_max_steps"),
        ("continue", ["-cont_start", MISSING], MISSING),
        ("continue", ["-restart", MISSING], MISSING),
        ("continue", ["-checkpoint_interval", -1], "-checkpoint_interval"),
        ("continue", ["-params_J", "x"], "-params_J"),
    ]
    table += [  # binary networks
        ("binary", ["-bin_analysis", "everything"], "everything"),
        ("binary", ["-bin_update", "random"], "random"),
        ("binary", ["-bin_noise", "uniform"], "uniform"),
        ("binary", ["-bin_J_generate", "hopf"], "hopf"),
        ("binary", ["-bin_J", "1,2,3"], "-bin_J"),
        ("bare_binary", ["-bin_J_file", MISSING], MISSING),
        ("binary", ["-bin_theta", "1,2"], "-bin_theta"),
        ("binary", ["-bin_I", "x"], "-bin_I"),
        ("binary", ["-bin_J_std", "nan"], "-bin_J_std"),
        ("binary", ["-bin_analysis", "stationary"], "-bin_noise"),
        ("binary", ["-bin_pattern_density", 2, "-bin_npatterns", 2, "-bin_analysis", "patterns"], "-bin_pattern_density"),
        ("binary", ["-bin_bogus", 1], "-bin_bogus"),
        ("binary", ["-bin_memory_limit", "x"], "-bin_memory_limit"),
    ]
    table += [  # the rest of the list (issue 19) at 2 ranks
        ("continue", ["-init_r", "1e6", "-init_v", "1e6"], "the start point did not converge"),
        ("response", ["-rate_N", 20, "-resp_n", 2000000000], "the frequency grid (-resp_n) needs"),
        ("spectrum", ["-rate_N", 1000000], "-rate_N"),
        ("bare_spectrum", [files["many.yaml"]], "PETSc's options database holds 512"),
        ("bare_spectrum", [files["dup.yaml"]], "sets option -sys_type twice (lines 1 and 3)"),
        ("spectrum", ["-rate_N", 2, "-rate_J_file", files["bad.h5"] + ":/S"], "/S does not hold real numbers"),
        ("spectrum", ["-rate_N", 4, "-rate_J_file", files["bad.h5"] + ":/C"], "/C does not hold real numbers"),
        ("bare_binary", ["-bin_J_file", files["bad.h5"] + ":/C"], "/C does not hold real numbers"),
        ("response", ["-rate_N", 4, "-resp_input", "file", "-resp_input_file", files["bad.h5"] + ":/u"],
         "/u does not hold real numbers"),
        ("rate", ["-ts_max_time", 3, "-sample_dt", 0.1, "-restart", files["ck.h5"]], "counts 1000000 recorded rows"),
    ]
    table += [  # the command line and input files
        ("info", ["-sys_type", "qif2"], "qif2"),
        ("bare_info", ["-net_model", "hh"], "hh"),
        ("simulate", ["-output", "/dev/null/run.h5"], "/dev/null/run.h5"),
        ("simulate", ["-restart", MISSING], MISSING),
        ("simulate", ["-sys_tpye", "mpr"], "-sys_tpye"),
        ("simulate", ["stray"], "stray"),
        ("simulate", ["-params_eta"], "-params_eta"),
        ("simulate", ["-ts_max_tme", 5], "-ts_max_tme"),
        ("spectrum", ["-options_file", MISSING], MISSING),
        ("spectrum", ["-options_file_yaml", MISSING], MISSING),
    ]
    return table


def run_case(label, extra, word, out):
    base = COMMANDS[label]
    args = [str(a) for a in base + extra]
    if base[0] != "info" and "-output" not in extra:
        args += ["-output", out]
    try:
        p = ndtest.run(args, 2, timeout=60, failing=True)
    except AssertionError as e:  # a hang
        return args, [], [str(e)]
    text = p.stdout + p.stderr
    lines = ndtest.error_lines(p)
    problems = []
    if p.returncode == 0:
        problems.append("exit 0")
    if not lines:
        problems.append("no 'neurodyn: error' line")
    elif word not in lines[0]:
        problems.append(f"'{word}' not in: {lines[0]}")
    for bad in ("PETSC ERROR", "Segmentation", "MPI_ABORT", "Traceback", "signal 11"):
        if bad in text:
            problems.append(f"'{bad}' in the output")
    if os.path.exists(out):
        try:
            with h5py.File(out, "r") as f:
                if int(f.attrs.get("complete", 0)) == 1:
                    problems.append("an output file marked complete = 1")
        except OSError:
            pass  # not an HDF5 file at all: nothing that looks complete
    return args, lines, problems


def run_table(table):
    d = workdir()
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(run_case, label, extra, word, os.path.join(d, f"case{i}.h5"))
                   for i, (label, extra, word) in enumerate(table)]
        return [f.result() for f in futures]


def test_bad_input_table():
    table = cases()
    assert len(table) >= 150, len(table)
    failures = [f"neurodyn {' '.join(args)}: {'; '.join(problems)}" for args, _, problems in run_table(table) if problems]
    assert not failures, f"{len(failures)} of {len(table)} cases failed:\n" + "\n".join(failures)


if __name__ == "__main__":  # print each case's first error line
    def show(label, extra, word, out):
        args, lines, problems = run_case(label, extra, word, out)
        print(("FAIL " if problems else "ok   ") + " ".join(args) + "\n     " + (lines[0] if lines else "(no error line)") +
              ("\n     " + "; ".join(problems) if problems else ""), flush=True)
    d = workdir()
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for i, case in enumerate(cases()):
            pool.submit(show, *case, os.path.join(d, f"case{i}.h5"))
    sys.exit(0)
