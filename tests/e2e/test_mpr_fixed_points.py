"""simulate, run long enough to converge, against the analytic MPR fixed points (docs/models/mpr.md,
fixed points), relative tolerance 1e-6 in r and v, at three parameter sets: the bistable reference
J = 15, Delta = 1, eta = -5 from both basins; J = 10, Delta = 1, eta = 0 (the values of docs/models/mpr.md#fixed-points-folds-and-the-cusp);
and tau = 2 with first-order synapses and a constant input."""
import mpr_theory
from ndtest import relerr, simulate

TOL = 1e-6


def converge(params, init, extra=(), t_end=300):
    args = ["-sys_type", "mpr", "-ts_max_time", t_end, "-sample_dt", 1]
    args += [a for k, v in params.items() for a in (f"-params_{k}", v)]
    args += [a for k, v in init.items() for a in (f"-init_{k}", v)]
    data, _, _ = simulate(args + list(extra))
    return {k: data[k][-1] for k in data}


def check(final, r, v, label):
    assert relerr(final["r"], r) < TOL and relerr(final["v"], v) < TOL, (
        f"{label}: simulated (r, v) = ({final['r']:.10g}, {final['v']:.10g}), analytic ({r:.10g}, {v:.10g})")


def test_bistable_low_basin():
    (r, v), _, _ = mpr_theory.fixed_points(-5, 15, 1)
    check(converge({"eta": -5, "J": 15, "Delta": 1}, {"r": 0.05, "v": -3}), r, v, "low-rate node")


def test_bistable_high_basin():
    _, _, (r, v) = mpr_theory.fixed_points(-5, 15, 1)
    check(converge({"eta": -5, "J": 15, "Delta": 1}, {"r": 1.5, "v": 0}), r, v, "high-rate focus")


def test_unique_focus_matches_models_md():
    (r, v), = mpr_theory.fixed_points(0, 10, 1)
    final = converge({"eta": 0, "J": 10, "Delta": 1}, {"r": 0.5, "v": -1})
    check(final, r, v, "J = 10 focus")
    # the values quoted in docs/models/mpr.md#fixed-points-folds-and-the-cusp, given to 7 digits
    assert relerr(final["r"], 1.015661) < 1e-6 and relerr(final["v"], -0.156701) < 3e-6


def test_synaptic_kinetics_tau_and_input():
    (r, v), = mpr_theory.fixed_points(-1, 8, 0.6, tau=2.0, I=0.5)
    final = converge({"eta": -1, "J": 8, "Delta": 0.6, "tau": 2, "tau_s": 0.5}, {"r": 0.3, "v": -0.5, "s": 0.3},
                     extra=["-stim_type", "constant", "-stim_value", 0.5], t_end=600)
    check(final, r, v, "tau = 2, tau_s = 0.5, I = 0.5")
    assert relerr(final["s"], r) < TOL, f"s = {final['s']} should equal r = {r} at the fixed point"
