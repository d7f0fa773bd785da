"""spike_generator (NEST spike_generator, Brian2 SpikeGeneratorGroup): given spike times, inline or
from a SONATA spikes file (another run's output), drive projections exactly."""
import os

import h5py
import ndio
import numpy as np
from ndtest import expect_error, run_ok, workdir

TAU, EL = 10.0, -70.0  # lif_delta defaults


def net_run(args, ranks=1, name="net.h5"):
    out = os.path.join(workdir(), name)
    run_ok(["simulate"] + [str(a) for a in args] + ["-output", out, "-quiet"], ranks)
    return out


def write_csr(path, A, delays=None):
    """A dense (targets x sources) as the CSR group /W of path (with per-synapse delays)."""
    rows, cols = np.nonzero(A)
    with h5py.File(path, "w") as f:
        g = f.create_group("W")
        g.attrs["shape"] = A.shape
        g["indptr"] = np.searchsorted(rows, np.arange(A.shape[0] + 1))
        g["indices"] = cols
        g["data"] = A[rows, cols]
        if delays is not None:
            g["delays"] = delays[rows, cols]
    return path + ":/W"


def test_spike_generator_psp_sums_at_1_and_2_ranks():
    """Five generator neurons with inline times and ids (one off the 0.1 ms grid, rounded up to the
    end of its step) drive two lif_delta neurons through a CSR file of weights and delays and one
    through all-to-all coupling: /spikes/G holds the given times on the grid, and each target's
    V(t) is E_L + sum_k w_k e^{-(t - t_k - D_k)/tau_m} over the arrived spikes (numpy; 1e-10 mV),
    bitwise the same at 1 and 2 ranks."""
    times = [0.5, 1.0, 1.0, 2.35, 4.0, 4.0, 7.2]
    ids = [3, 0, 4, 1, 2, 3, 0]
    on_grid = np.ceil(np.round(np.array(times) / 0.1, 9)) * 0.1
    W = np.array([[0.5, -0.25, 0, 1.0, 0.75], [0, 0.5, 0.5, 0, -1.0]])
    D = np.array([[1.0, 0.5, 0, 2.0, 0.3], [0, 1.5, 0.2, 0, 0.1]])
    csr = write_csr(os.path.join(workdir(), "w.h5"), W, D)
    args = ["-net_populations", "G,B,C", "-net_G_model", "spike_generator", "-net_G_size", 5,
            "-net_G_spike_times", ",".join(map(str, times)), "-net_G_spike_ids", ",".join(map(str, ids)),
            "-net_B_model", "lif_delta", "-net_B_size", 2, "-net_C_model", "lif_delta", "-net_C_size", 1,
            "-net_G_B_rule", "file", "-net_G_B_file", csr, "-net_G_C_rule", "all_to_all", "-net_G_C_weight", 0.25,
            "-net_G_C_delay", 0.8, "-net_B_record", "0,1", "-ts_dt", 0.1, "-ts_max_time", 20, "-sample_dt", 0.1]
    outs = [net_run(args, r, f"gen{r}.h5") for r in (1, 2)]
    for pop in ("G", "B", "C"):
        a, b = ndio.spikes(outs[0], pop), ndio.spikes(outs[1], pop)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), pop
    ts, gids = ndio.spikes(outs[1], "G")
    order = np.lexsort((ids, on_grid))
    assert np.allclose(ts, on_grid[order], rtol=0, atol=1e-9) and list(gids) == list(np.array(ids)[order])
    with ndio.open_output(outs[1]) as f:
        t = f["observables/t"][:]
        V = f["traces/B/V"][:]
    _, obs = ndio.observables(outs[1])

    def psp(pairs):
        v = np.full_like(t, EL)
        for w, arrival in pairs:
            w = float(np.float32(w))  # weights are held in single precision
            v += np.where(t >= arrival - 1e-9, w * np.exp(-np.maximum(t - arrival, 0) / TAU), 0)
        return v
    for j in range(2):
        ref = psp([(W[j, i], s + D[j, i]) for s, i in zip(on_grid, ids) if W[j, i] != 0])
        assert np.max(np.abs(V[:, j] - ref)) < 1e-10, f"B{j}"
    assert np.max(np.abs(obs["C"]["v"] - psp([(0.25, s + 0.8) for s in on_grid]))) < 1e-10


def test_replaying_a_recorded_run_gives_the_same_spikes():
    """A run's /spikes/E (60 lif neurons firing irregularly from heterogeneous currents and
    coupling) replayed by a spike_generator through the same CSR projection onto 20 lif_delta
    neurons: those neurons' spikes and V traces are bitwise those of the original run, at 1 and 2
    ranks (the file is read from its SONATA group, /spikes/E, named in full or by default)."""
    rng = np.random.default_rng(5)
    W = np.where(rng.random((20, 60)) < 0.3, rng.normal(1.0, 0.5, (20, 60)), 0)
    csr = write_csr(os.path.join(workdir(), "w.h5"), W)
    E = ["-net_E_model", "lif", "-net_E_size", 60, "-net_E_I_e", 420, "-net_E_I_e_dist", "uniform",
         "-net_E_I_e_spread", 80, "-net_E_E_rule", "bernoulli", "-net_E_E_p", 0.2, "-net_E_E_weight", 30,
         "-net_E_poisson_rate", 1, "-net_E_poisson_weight", 60]
    T = ["-net_T_model", "lif_delta", "-net_T_size", 20, "-net_T_I_e", 300, "-net_T_record", "0,7,19",
         "-ts_dt", 0.1, "-ts_max_time", 200, "-sample_dt", 0.5]
    first = net_run(["-net_populations", "E,T"] + E + T + ["-net_E_T_rule", "file", "-net_E_T_file", csr], 2,
                    "first.h5")
    ts, _ = ndio.spikes(first, "E")
    assert len(ts) > 200 and len(ndio.spikes(first, "T")[0]) > 20
    with ndio.open_output(first) as f:
        V0 = f["traces/T/V"][:]
    for ranks, spec in ((1, first + ":/spikes/E"), (2, first)):
        extra = [] if ":" in spec else ["-net_populations", "E,T"]  # by default the group of its own name
        names = ["-net_populations", "E,T"] if extra else ["-net_populations", "G,T"]
        pop = "E" if extra else "G"
        replay = net_run(names + [f"-net_{pop}_model", "spike_generator", f"-net_{pop}_size", 60,
                                  f"-net_{pop}_spike_file", spec, f"-net_{pop}_T_rule", "file", f"-net_{pop}_T_file",
                                  csr] + T, ranks, f"replay{ranks}.h5")
        a, b = ndio.spikes(first, "T"), ndio.spikes(replay, "T")
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), f"{ranks} rank(s)"
        assert np.array_equal(ndio.spikes(replay, pop)[0], ts)
        with ndio.open_output(replay) as f:
            assert np.array_equal(f["traces/T/V"][:], V0)


def test_spike_generator_bad_input():
    """Spike times before the start or unsorted, ids out of range, a neuron twice in a step, ids
    without times, both times and a file, a file without node_ids, projections onto or Poisson
    input into a generator: one error line at 2 ranks, no output file."""
    out = os.path.join(workdir(), "bad.h5")
    G = ["simulate", "-net_populations", "G,B", "-net_G_model", "spike_generator", "-net_G_size", 3,
         "-net_B_model", "lif_delta", "-net_B_size", 2, "-net_G_B_rule", "all_to_all", "-net_G_B_weight", 1,
         "-ts_dt", 0.1, "-ts_max_time", 5]
    expect_error(G + ["-net_G_spike_times", "1,-0.5"], "spike 1 of -net_G_spike_times at t = -0.5 is not after the start",
                 output=out)
    expect_error(G + ["-net_G_spike_times", "0"], "at t = 0. is not after the start t0 = 0.", output=out)
    expect_error(G + ["-net_G_spike_times", "2,1", "-net_G_spike_ids", "0,1"], "are not sorted (spike 1 at t = 1. "
                 "after 2.)", output=out)
    expect_error(G + ["-net_G_spike_times", "1,2", "-net_G_spike_ids", "0,3"], "names neuron 3., not one of 0 to 2",
                 output=out)
    expect_error(G + ["-net_G_spike_times", "1.01,1.05", "-net_G_spike_ids", "2,2"],
                 "neuron 2 has two spikes in the step ending at t = 1.1", output=out)
    expect_error(G + ["-net_G_spike_times", "1,2", "-net_G_spike_ids", "0"], "has 1 ids for 2 spike times", output=out)
    expect_error(G, "spike_generator population G has no spikes", output=out)
    f = os.path.join(workdir(), "s.h5")
    with h5py.File(f, "w") as h:
        h["spikes/G/timestamps"] = [1.0, 2.0]
    expect_error(G + ["-net_G_spike_times", "1", "-net_G_spike_file", f], "give the spikes one way", output=out)
    expect_error(G + ["-net_G_spike_file", f], "node_ids", output=out)
    expect_error(G + ["-net_G_spike_times", "1", "-net_B_G_rule", "all_to_all"],
                 "population G (spike_generator) takes no input", output=out)
    expect_error(G + ["-net_G_spike_times", "1", "-net_G_poisson_rate", 1],
                 "population G (spike_generator) takes no input", output=out)


def test_spike_generator_restart_is_bitwise():
    """A run with a generator (times before, at and after the checkpoint at t = 5.5, spikes in flight
    across it) stopped at t = 8 and continued from its checkpoint at 1 and 2 ranks: the generator's
    and the targets' spikes and traces bitwise those of one uninterrupted run."""
    from test_network_checkpoint import assert_same, records
    args = ["-net_populations", "G,B", "-net_G_model", "spike_generator", "-net_G_size", 4,
            "-net_G_spike_times", "1,3,5.5,5.6,7,9.3,12,15", "-net_G_spike_ids", "0,1,2,3,0,2,1,3",
            "-net_B_model", "lif_delta", "-net_B_size", 3, "-net_B_I_e", 350, "-net_G_B_rule", "fixed_indegree",
            "-net_G_B_K", 2, "-net_G_B_weight", 4, "-net_G_B_delay", 1.2, "-net_B_record", "0,1,2",
            "-ts_dt", 0.1, "-ts_max_time", 20, "-sample_dt", 0.5, "-rate_dt", 1]
    ref = records(net_run(args, 2, "ref.h5"))
    assert len(ref["spikes/G/timestamps"]) == 8
    part = net_run(args[:-6] + ["-ts_max_time", 8, "-sample_dt", 0.5, "-rate_dt", 1, "-checkpoint_interval", 5.5],
                   2, "part.h5")
    for ranks in (2, 1):
        rest = net_run(args + ["-restart", part], ranks, f"rest{ranks}.h5")
        assert_same(records(rest), ref, same_ranks=ranks == 2)
