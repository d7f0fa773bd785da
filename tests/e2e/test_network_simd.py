"""The lif update's versions for each instruction set (-net_simd baseline, avx2, avx512: the
widest the CPU has by default) give bitwise the same run at any number of ranks, and the lif
neurons' refractory bookkeeping (the refractory neurons are kept in a list, rebuilt from the state
at the start) against the on-grid times of a neuron driven by a constant current."""
import math
import os

import ndio
import numpy as np
from ndtest import expect_error, run_ok, workdir


def cpu_simd():
    """the -net_simd levels this CPU runs (Linux: the flags of /proc/cpuinfo)"""
    try:
        flags = open("/proc/cpuinfo").read().split()
    except OSError:
        flags = []
    levels = ["baseline"]
    if "avx2" in flags:
        levels.append("avx2")
    if "avx512f" in flags and "avx2" in flags:
        levels.append("avx512")
    return levels


def run(args, ranks, simd, name):
    out = os.path.join(workdir(), name)
    run_ok(["simulate"] + [str(a) for a in args] + ["-net_simd", simd, "-output", out, "-quiet"], ranks)
    return out


# lif populations on every path of the update: E with V_th, E_L, I_e and V_reset per neuron and a
# start inside the refractory period (counts spread over [-4, 16], so some negative, most not
# whole numbers), I with shared parameters; delays of 1 to 3 steps, all-to-all inhibition
NET = ["-net_populations", "E,I", "-net_E_model", "lif", "-net_E_size", 403, "-net_I_model", "lif",
       "-net_I_size", 101, "-net_E_I_e", 420, "-net_E_I_e_dist", "uniform", "-net_E_I_e_spread", 120,
       "-net_E_V_th", -55, "-net_E_V_th_dist", "uniform", "-net_E_V_th_spread", 1,
       "-net_E_E_L", -70, "-net_E_E_L_dist", "gaussian", "-net_E_E_L_spread", 0.5,
       "-net_E_V_reset", -70, "-net_E_V_reset_dist", "uniform", "-net_E_V_reset_spread", 2,
       "-net_E_init_refractory", 6, "-net_E_init_refractory_dist", "uniform", "-net_E_init_refractory_spread", 10,
       "-net_E_init_V", -60, "-net_E_init_V_dist", "uniform", "-net_E_init_V_spread", 5,
       "-net_I_I_e", 390, "-net_I_t_ref", 1.05,
       "-net_E_E_rule", "bernoulli", "-net_E_E_p", 0.1, "-net_E_E_weight", 35, "-net_E_E_delay", 0.2,
       "-net_E_E_delay_dist", "uniform", "-net_E_E_delay_spread", 0.1, "-net_E_I_rule", "fixed_indegree",
       "-net_E_I_K", 40, "-net_E_I_weight", 30, "-net_E_I_delay", 0.1, "-net_I_E_rule", "fixed_outdegree",
       "-net_I_E_K", 60, "-net_I_E_weight", -90, "-net_I_E_delay", 0.3, "-net_I_I_rule", "all_to_all",
       "-net_I_I_J", -3000, "-net_E_record", ",".join(str(i) for i in range(0, 403, 37)), "-net_I_record", 5, "-ts_dt", 0.1, "-ts_max_time", 150,
       "-sample_dt", 0.1]


def test_simd_versions_give_bitwise_the_same_run_at_1_2_3_ranks():
    """Each instruction set this CPU has, at 1, 2 and 3 ranks: the same spikes (times and ids,
    bitwise); at the same number of ranks also the same observables and recorded states
    (bitwise: the versions differ only in vector width, never in the operations or their order)."""
    levels = cpu_simd()
    runs = {}
    for simd in levels:
        for ranks in (1, 2, 3):
            if simd != levels[-1] and ranks != 1 and simd != "baseline":
                continue
            runs[simd, ranks] = run(NET, ranks, simd, f"{simd}{ranks}.h5")
    ref = runs["baseline", 1]
    spikes = {pop: ndio.spikes(ref, pop) for pop in ("E", "I")}
    assert len(spikes["E"][0]) > 200 and len(spikes["I"][0]) > 50
    with ndio.open_output(ref) as f:
        # the refractory start shows: neurons starting with a count > 0 stay at their V_reset
        assert f["traces/E/refractory"][0].max() > 0
    for (simd, ranks), out in runs.items():
        for pop in ("E", "I"):
            ts, ids = ndio.spikes(out, pop)
            assert np.array_equal(ts, spikes[pop][0]) and np.array_equal(ids, spikes[pop][1]), \
                f"{pop} spikes of -net_simd {simd} at {ranks} ranks differ from baseline at 1 rank"
        if ranks == 1:
            _, obs = ndio.observables(out)
            _, obs0 = ndio.observables(ref)
            for pop in obs0:
                for k in obs0[pop]:
                    assert np.array_equal(obs[pop][k], obs0[pop][k]), f"{simd}: observable {pop}/{k} differs"
            with ndio.open_output(out) as f, ndio.open_output(ref) as g:
                for var in ("V", "I_ex", "I_in", "refractory"):
                    assert np.array_equal(f[f"traces/E/{var}"][:], g[f"traces/E/{var}"][:]), f"{simd}: trace {var}"


def test_refractory_start_against_the_on_grid_times():
    """Five uncoupled lif neurons driven by I_e = 600 pA (NEST's iaf_psc_exp defaults otherwise)
    start at V_reset with refractory counts -0.5, 1.5, 3.5, 5.5, 7.5 steps (deterministic
    quantiles): a neuron is clamped while its count is > 0, so for ceil(count) steps (none for a
    negative count), then it fires at the on-grid time of the free neuron, t_c = tau_m
    ln((V_inf - V_reset)/(V_inf - V_th)) rounded up to the step, and every t_ref + t_c after
    (1e-9 ms); with the baseline and the widest instruction set, at 1 and 2 ranks."""
    dt, tau_m, C, E_L, V_th, V_reset, t_ref, I = 0.1, 10.0, 250.0, -70.0, -55.0, -70.0, 2.0, 600.0
    v_inf = E_L + I * tau_m / C
    t_c = tau_m * math.log((v_inf - V_reset) / (v_inf - V_th))
    free = math.ceil(t_c / dt - 1e-9)  # steps from V_reset to the spike
    period = round(t_ref / dt) + free
    counts = [3.5 + 4 * (2 * (j + 1) / 6 - 1) * 2 for j in range(5)]  # -0.5, 1.5, 3.5, 5.5, 7.5
    args = ["-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 5, "-net_E_I_e", I, "-net_E_init_V",
            V_reset, "-net_E_init_refractory", 3.5, "-net_E_init_refractory_dist", "uniform",
            "-net_E_init_refractory_spread", 8, "-net_E_init_refractory_sampling", "quantiles", "-ts_dt", dt,
            "-ts_max_time", 60]
    for simd in sorted({"baseline", cpu_simd()[-1]}):
        for ranks in (1, 2):
            ts, ids = ndio.spikes(run(args, ranks, simd, f"ref_{simd}_{ranks}.h5"), "E")
            for j, r0 in enumerate(counts):
                t = ts[ids == j]
                clamped = max(math.ceil(r0), 0)
                # the spike of step n is at t = (n + 1) dt: the step it ends
                expect = dt * (clamped + free + period * np.arange(len(t)))
                assert len(t) >= 4, f"neuron {j} fired {len(t)} times"
                assert np.max(np.abs(t - expect)) < 1e-9, \
                    f"{simd}, {ranks} ranks, neuron {j} (count {r0}): spikes {t[:3]} vs {expect[:3]}"


def test_simd_beyond_the_cpu_is_an_error():
    """-net_simd names a set this CPU does not have, or no set at all: one clear error."""
    args = ["-net_populations", "E", "-net_E_model", "lif", "-net_E_size", 2, "-ts_max_time", 1]
    expect_error(["simulate"] + [str(a) for a in args] + ["-net_simd", "sse9", "-output",
                                                          os.path.join(workdir(), "x.h5")],
                 "unknown value 'sse9' for -net_simd")
    if len(cpu_simd()) < 3:
        expect_error(["simulate"] + [str(a) for a in args] + ["-net_simd", "avx512", "-output",
                                                              os.path.join(workdir(), "y.h5")],
                     "-net_simd avx512: this CPU")
