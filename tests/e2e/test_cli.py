"""Command line: info, -help, YAML with command-line overrides, and the output schema."""
import hashlib
import os
import re

import h5py
import ndio

from ndtest import INPUTS, expect_error, run_ok, simulate, workdir

YAML = os.path.join(INPUTS, "mpr_hysteresis.yaml")


def test_info_describes_mpr():
    out = run_ok(["info", "-sys_type", "mpr"]).stdout
    table = out.split("parameters (set with -params_<name>):")[1].splitlines()
    for name, default in [("eta", "-5"), ("J", "15"), ("Delta", "1"), ("tau", "1"), ("tau_s", "0")]:
        line = next((l for l in table if l.split()[:1] == [name]), None)
        assert line and line.split()[2].rstrip(".") == default, f"info: parameter {name} with default {default} missing:\n{out}"
    assert ">= 0" in out and "> 0" in out, "valid ranges missing"
    for var in ("r", "v"):
        assert any(l.split()[:1] == [var] for l in out.splitlines()), f"variable {var} missing"


def test_info_lists_types():
    out = run_ok(["info"]).stdout
    assert "mpr" in out and "ramp" in out and "table" in out


def test_info_documents_every_neuron_model():
    """Every model that info lists has its equations and step rule, parameters and variables; the
    defaults of lif_delta and adex are NEST's (iaf_psc_delta, aeif_psc_exp model documentation)."""
    listing = next(l for l in run_ok(["info"]).stdout.splitlines() if l.startswith("neuron models"))
    models = [m.strip() for m in listing.split(":", 1)[1].split(",")]
    assert {"lif", "lif_delta", "lif_cond", "adex", "qif", "izhikevich", "mif"} <= set(models), listing
    nest = {"lif_delta": dict(C_m=250, tau_m=10, E_L=-70, V_th=-55, V_reset=-70, t_ref=2, I_e=0),
            "adex": dict(C_m=281, g_L=30, E_L=-70.6, V_th=-50.4, Delta_T=2, tau_w=144, a=4, b=80.5, V_peak=0,
                         V_reset=-60, t_ref=0, tau_syn_ex=0.2, tau_syn_in=2, I_e=0)}
    for m in models:
        out = run_ok(["info", "-net_model", m]).stdout
        head, rest = out.split("parameters (", 1)
        assert "spike" in head and "step:" in head, f"{m}: no equations\n{out}"
        assert "state variables" in rest and "observables" in rest, out
        table = {l.split()[0]: float(l.split()[1]) for l in rest.split("state variables")[0].splitlines()[1:]}
        for name, value in nest.get(m, {}).items():
            assert table[name] == value, f"{m}: {name} = {table[name]}, NEST {value}"


def test_info_accepts_an_input_file_of_another_command():
    out = run_ok(["info", YAML], ranks=2).stdout
    assert "ramp" in out  # the stimulus of the file; its ts_ and output keys belong to simulate


def test_help_lists_options_and_exits_zero():
    p = run_ok(["simulate", "-sys_type", "mpr", "-help"])
    for option in ("-params_eta", "-stim_type", "-ts_type", "-sample_dt", "-output"):
        assert option in p.stdout, f"{option} missing from -help"


def test_help_lists_neurodyn_options_before_petsc_options():
    """<command> -help (2 ranks: printed once): the usage, then every option of neurodyn's (the system's,
    the stimulus's, the output's, the command's), then a separator line, then PETSc's and SLEPc's"""
    for command, own, petsc in (("simulate", ("-params_eta", "-stim_type", "-sample_dt", "-output", "-overwrite"),
                                 ("-ts_type", "-snes_type", "-ksp_type", "-pc_type")),
                                ("spectrum", ("-sys_type", "-spec_all", "-output"), ("-eps_type", "-snes_type"))):
        out = run_ok([command, YAML, "-help"], ranks=2).stdout
        assert out.startswith("neurodyn: dynamics of neural networks"), out[:200]
        sep = [i for i, l in enumerate(out.splitlines()) if "PETSc and SLEPc options" in l]
        assert len(sep) == 1, f"{command}: {len(sep)} separator lines"
        lines = out.splitlines()
        before, after = "\n".join(lines[:sep[0]]), "\n".join(lines[sep[0]:])
        listed = lambda option, text: re.search(rf"^  {option}[ :]", text, re.M)  # noqa: E731
        for option in own:
            assert listed(option, before) and not listed(option, after), f"{command}: {option} not before the separator"
        for option in petsc:
            assert listed(option, after) and not listed(option, before), f"{command}: {option} not after the separator"


def test_info_describes_a_stimulus_type():
    """info -stim_type X alone describes the stimulus: I(t) at its defaults or at the values given"""
    out = run_ok(["info", "-stim_type", "ramp", "-stim_high", 3, "-stim_t_rise", 50]).stdout
    assert "ramp" in out and "up to 3. over 50." in out, out
    out = run_ok(["info", "-stim_type", "sine"]).stdout
    assert "sine" in out, out
    expect_error(["info", "-stim_type", "nosuch"], "nosuch")


def test_help_without_a_system_lists_the_command_options():
    """-help alone used to end in 'no system given': the command's own options were never listed"""
    for command, options in (("simulate", ("-sample_dt", "-output", "-ts_max_time")), ("spectrum", ("-spec_all",)),
                             ("continue", ("-cont_param", "-cont_max")), ("response", ("-resp_omega_max",)),
                             ("covariance", ("-cov_sigma",))):
        p = run_ok([command, "-help"])
        assert "no -sys_type given: the options below are those of -sys_type mpr" in p.stdout
        for option in options:
            assert option in p.stdout, f"{command}: {option} missing from -help"


def test_info_describes_the_network_of_an_input_file():
    """info used to reject a network file's keys as unknown options, and ignored a binary network's;
    at 2 ranks, printed once"""
    out = run_ok(["info", os.path.join(INPUTS, "brunel.yaml")], ranks=2).stdout
    assert out.count("population E: 10000 lif neurons") == 1 and "population I: 2500 lif neurons" in out, out
    assert "projection I -> E: fixed_indegree K = 250, weight -1250" in out, out
    assert "time step 0.1 ms" in out
    out = run_ok(["info", os.path.join(INPUTS, "mif_markov_ei.yaml"), "-sys_type", "markov_ei"]).stdout
    assert "type: markov_ei" in out and "population" not in out  # the file's mass model instead of its network
    out = run_ok(["info", os.path.join(INPUTS, "binary_ei_bifurcations.yaml")], ranks=2).stdout  # a binary network
    assert out.count("N = 10 neurons in 2 population(s), J generated ei (seed 7)") == 1, out
    out = run_ok(["info", "-bin_N", 3, "-bin_J", "0,1,1,1,0,1,1,1,0", "-bin_noise", "gaussian", "-bin_sigma", "0.5,1,2"]).stdout
    assert "couplings J_ij 0 .. 1; thresholds theta 0; stimuli I 0" in out and "Gaussian noise, sigma 0.5 .. 2" in out, out


def test_usage():
    assert "simulate" in run_ok(["-help"]).stdout


def test_command_line_overrides_input_file():
    _, _, path = simulate([YAML, "-params_eta", -4.5, "-ts_max_time", 30])
    _, params, _ = ndio.system(path)
    assert params["eta"] == -4.5 and params["J"] == 15.0


def test_output_schema_and_provenance():
    _, _, path = simulate([YAML, "-ts_max_time", 30])
    with h5py.File(path, "r") as f:
        assert f.attrs["complete"] == 1
        prov = f["provenance"].attrs
        for key in ("software", "version", "git_commit", "date", "host", "ranks", "command_line", "options",
                    "petsc_version", "slepc_version", "hdf5_version"):
            assert key in prov, f"/provenance lacks {key}"
        assert "mpr_hysteresis.yaml" in prov["command_line"]
        assert f["provenance/options"].attrs["stim_type"] == "ramp"
        for k in ("t", "r", "v", "I"):
            assert "units" in f["timeseries"][k].attrs, f"/timeseries/{k} has no units"
        assert f["system"].attrs["type"] == "mpr" and f["system"].attrs["variables"] == "r,v"
        assert f["system/parameters/tau"].attrs["units"] == "1"


def test_output_path_with_spaces_in_provenance():
    """-output "dir with space -x/run.h5" at 2 ranks: the file is written there and /provenance/options
    records the whole path (the value is not split at its spaces, and "-x" inside it is no option)"""
    path = os.path.join(workdir(), "dir with space -x", "run.h5")
    run_ok(["simulate", YAML, "-ts_max_time", 5, "-quiet", "-output", path], ranks=2)
    with h5py.File(path, "r") as f:
        options = f["provenance/options"].attrs
        assert options["output"] == path, f"/provenance/options/output is {options['output']!r}, not {path!r}"
        assert "x" not in options and options["ts_max_time"] == "5" and options["quiet"] == ""
        assert f"'{path}'" in f["provenance"].attrs["command_line"]


def test_existing_output_is_not_replaced_without_overwrite():
    """A run into an existing file stops at once (2 ranks) with one error naming the file, for every
    command that writes one, and leaves the file as it was (same bytes); with -overwrite the file is
    replaced by the new run (2 ranks)."""
    _, _, path = simulate([YAML, "-ts_max_time", 5])
    before = hashlib.sha256(open(path, "rb").read()).hexdigest()
    rate = ["-sys_type", "rate", "-rate_N", 20, "-params_g", 0.5]
    for args in (["simulate", YAML, "-ts_max_time", 5],
                 ["simulate", "-net_populations", "E", "-net_E_model", "qif", "-net_E_size", 10, "-ts_max_time", 1],
                 ["continue", "-sys_type", "mpr", "-cont_param", "eta", "-cont_min", -6, "-cont_max", -4],
                 ["spectrum"] + rate, ["response"] + rate, ["covariance"] + rate + ["-cov_sigma", 0.5],
                 ["binary", "-bin_analysis", "bifurcations", "-bin_N", 3, "-bin_J_generate", "random"]):
        expect_error(args + ["-output", path, "-quiet"], f"output file '{path}' exists: give another -output, or -overwrite")
        assert hashlib.sha256(open(path, "rb").read()).hexdigest() == before, f"{args[0]} changed the existing file"
    run_ok(["simulate", YAML, "-ts_max_time", 7, "-output", path, "-overwrite", "-quiet"], ranks=2)
    with h5py.File(path, "r") as f:
        assert f.attrs["complete"] == 1 and f["timeseries/t"][-1] == 7, "-overwrite did not replace the file"
        assert f["provenance/options"].attrs["overwrite"] == ""
    directory = workdir()
    expect_error(["simulate", YAML, "-ts_max_time", 5, "-output", directory, "-overwrite"],
                 f"cannot write output file '{directory}': it is a directory")


def test_petsc_log_view_shows_neurodyn_events():
    out = run_ok(["simulate", YAML, "-ts_max_time", 5, "-quiet", "-output", os.path.join(workdir(), "o.h5"), "-log_view"]).stdout
    for event in ("NdBuild", "NdIntegrate", "NdRecord", "NdWrite", "TSStep"):
        assert any(l.startswith(event) for l in out.splitlines()), f"-log_view lacks {event}"


def test_view_options_after_the_run():
    # -ts_view is read by PETSc at the end of the solve: accepted, and printed once (one TSSolve)
    p = run_ok(["simulate", YAML, "-ts_max_time", 5, "-quiet", "-output", os.path.join(workdir(), "o.h5"), "-ts_view", "-sys_view"])
    assert p.stdout.count("TS Object") == 1 and p.stdout.count("NdSystem Object") == 1, p.stdout
    # a misspelled view option is no option of neurodyn's or PETSc's: an error before the run
    out = os.path.join(workdir(), "never.h5")
    p = expect_error(["simulate", YAML, "-ts_max_time", 5, "-quiet", "-tss_view"], "unknown option -tss_view; did you mean -", 2, out)
    # a view option spelt right but of no object of this run (an eigensolver's, in simulate): the
    # run goes on, and the option is reported after it
    p = run_ok(["simulate", YAML, "-ts_max_time", 5, "-quiet", "-output", os.path.join(workdir(), "o.h5"), "-eps_view"])
    assert "neurodyn: warning: option -eps_view was not used" in p.stdout, p.stdout


def test_units_follow_the_time_unit():
    """units declared per time unit (eigenvalues 1/T, frequencies rad/T) are written in -sys_time_unit;
    a state of variables with different units (r in 1/ms, v) has none, /system lists them"""
    d = workdir()
    spec, cont = os.path.join(d, "spec.h5"), os.path.join(d, "cont.h5")
    run_ok(["spectrum", "-sys_type", "mpr", "-sys_time_unit", "ms", "-quiet", "-output", spec])
    run_ok(["continue", os.path.join(INPUTS, "mpr_bistability.yaml"), "-sys_time_unit", "ms", "-cont_max_steps", 30,
            "-quiet", "-output", cont])
    with h5py.File(spec, "r") as f:
        assert f["spectrum/eigenvalues_real"].attrs["units"] == "1/ms"
        assert "units" not in f["spectrum/fixed_point"].attrs
        assert f["system"].attrs["variable_units"] == "1/ms,1"
    with h5py.File(cont, "r") as f:
        b = f["branch/0"]
        assert b["eig_re"].attrs["units"] == "1/ms" and b["special/omega"].attrs["units"] == "rad/ms"
        assert b["eta"].attrs["units"] == "1" and b["unstable"].attrs["units"] == "1"
    rate = os.path.join(d, "rate.h5")  # one unit for the whole state: it is written
    run_ok(["spectrum", "-sys_type", "rate", "-rate_N", 20, "-quiet", "-output", rate])
    with h5py.File(rate, "r") as f:
        assert f["spectrum/fixed_point"].attrs["units"] == "1" and f["spectrum/eigenvalues_real"].attrs["units"] == "1"


def test_plot_timeseries_of_a_system_and_of_a_network():
    """a network's output has /observables, not /timeseries: the plot script used to die with a KeyError"""
    import subprocess
    import sys

    from ndtest import ROOT
    d = workdir()
    system, network, spec = os.path.join(d, "sys.h5"), os.path.join(d, "net.h5"), os.path.join(d, "spec.h5")
    run_ok(["simulate", YAML, "-ts_max_time", 30, "-quiet", "-output", system])
    run_ok(["simulate", "-net_populations", "E", "-net_E_model", "qif", "-net_E_size", 200, "-ts_dt", 0.001,
            "-ts_max_time", 2, "-quiet", "-output", network])
    run_ok(["spectrum", "-sys_type", "mpr", "-quiet", "-output", spec])
    with h5py.File(network, "r") as f:  # SONATA's place for the spike order
        assert f["spikes/E"].attrs["sorting"] == "by_time" and f["spikes"].attrs["sorting"] == "by_time"
    script = os.path.join(ROOT, "postprocess", "plot_timeseries.py")
    for path in (system, network):
        p = subprocess.run([sys.executable, script, path], capture_output=True, text=True)
        assert p.returncode == 0 and os.path.getsize(path[:-3] + ".png") > 10000, p.stderr
    p = subprocess.run([sys.executable, script, spec], capture_output=True, text=True)
    assert p.returncode != 0 and "has neither /timeseries" in p.stderr, p.stderr
