"""Convergence order of the time integration on a problem with a known solution: the MPR
mean field with J = 0 and tau = 2, whose complex form w = v + i pi tau r obeys the Riccati equation
tau w' = w^2 + eta + I + i Delta (solved exactly in mpr_theory.uncoupled_solution at t / tau). The PETSc TS
methods are chosen from the command line, as users do."""
import math

import mpr_theory
from ndtest import simulate

ETA, DELTA, I0, R0, V0, T, TAU = -1.0, 1.0, 0.3, 0.5, 0.3, 2.0, 2.0


def error_at_end(ts_args):
    args = ["-sys_type", "mpr", "-params_J", 0, "-params_eta", ETA, "-params_Delta", DELTA, "-params_tau", TAU,
            "-stim_type", "constant", "-stim_value", I0, "-init_r", R0, "-init_v", V0,
            "-ts_max_time", T, "-sample_dt", T] + ts_args
    data, _, _ = simulate(args)
    r, v = mpr_theory.uncoupled_solution(T / TAU, TAU * R0, V0, ETA, DELTA, I0)  # r is pi tau r / pi
    r /= TAU
    assert abs(data["t"][-1] - T) < 1e-12
    return math.hypot(data["r"][-1] - r, data["v"][-1] - v)


def observed_orders(method_args, dts):
    errs = [error_at_end(method_args + ["-ts_adapt_type", "none", "-ts_dt", dt]) for dt in dts]
    return [math.log2(errs[i] / errs[i + 1]) for i in range(len(errs) - 1)], errs


def test_rk4_fourth_order():
    orders, errs = observed_orders(["-ts_type", "rk", "-ts_rk_type", "4"], [0.04, 0.02, 0.01])
    assert all(3.8 < p < 4.2 for p in orders), f"RK4 observed orders {orders} (errors {errs})"


def test_forward_euler_first_order():
    orders, errs = observed_orders(["-ts_type", "euler"], [0.004, 0.002, 0.001])
    assert all(0.9 < p < 1.1 for p in orders), f"Euler observed orders {orders} (errors {errs})"


def test_default_adaptive_method_is_accurate():
    err = error_at_end([])
    assert err < 1e-6, f"default adaptive RK error {err:.3e} exceeds 1e-6"


def test_implicit_method_uses_analytic_jacobian():
    # backward differentiation (implicit, Newton with the analytic Jacobian) converges too
    err = error_at_end(["-ts_type", "bdf", "-ts_bdf_order", "2", "-ts_adapt_type", "none", "-ts_dt", 1e-3])
    assert err < 1e-4, f"BDF2 error {err:.3e}"
