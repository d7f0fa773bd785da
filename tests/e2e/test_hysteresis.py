"""The default example, inputs/mpr_hysteresis.yaml: a slow ramp of I across the bistable range
of the MPR mean field. Checks against the analytic folds and branches (mpr_theory):
- the recorded I(t) is the ramp of the input file (absolute 1e-12);
- the rate jumps up after the upper fold and down after the lower fold, each within 0.35 of
  the fold in I (a slow passage through a saddle-node overshoots the fold by a delay that shrinks
  with the ramp speed; at this speed it is about 0.2 and 0.1);
- away from the folds the trajectory follows the stable branches (relative 1e-2)."""
import os

import mpr_theory
import numpy as np
from ndtest import INPUTS, simulate

ETA, J, DELTA = -5.0, 15.0, 1.0
LOW, HIGH, T0, RISE, HOLD, FALL = -1.5, 2.5, 20.0, 200.0, 20.0, 200.0


def ramp(t):
    up = LOW + (HIGH - LOW) * (t - T0) / RISE
    down = HIGH - (HIGH - LOW) * (t - T0 - RISE - HOLD) / FALL
    return np.where(t <= T0, LOW, np.where(t < T0 + RISE, up, np.where(t <= T0 + RISE + HOLD, HIGH,
                    np.where(t < T0 + RISE + HOLD + FALL, down, LOW))))


def test_hysteresis_loop():
    data, units, _ = simulate([os.path.join(INPUTS, "mpr_hysteresis.yaml")])
    t, r, I = data["t"], data["r"], data["I"]
    assert np.max(np.abs(I - ramp(t))) < 1e-12, "recorded I(t) is not the ramp of the input file"
    (eta_down, _), (eta_up, _) = mpr_theory.folds(J, DELTA)
    fold_up, fold_down = eta_up - ETA, eta_down - ETA  # in I, since only eta + I matters
    high = r > 0.4
    ups, downs = np.where(~high[:-1] & high[1:])[0], np.where(high[:-1] & ~high[1:])[0]
    assert len(ups) == 1 and len(downs) == 1, f"expected one jump each way, got {len(ups)} up, {len(downs)} down"
    I_up, I_down = I[ups[0]], I[downs[0]]
    assert fold_up < I_up < fold_up + 0.35, f"jump up at I = {I_up:.4f}, fold at {fold_up:.4f}"
    assert fold_down - 0.35 < I_down < fold_down, f"jump down at I = {I_down:.4f}, fold at {fold_down:.4f}"
    # quasi-static tracking of the stable branches, away from the folds
    for k in np.where((t > T0 + 10) & ((np.abs(I - fold_up) > 0.5) & (np.abs(I - fold_down) > 0.5)))[0][::200]:
        points = mpr_theory.fixed_points(ETA, J, DELTA, I=I[k])
        stable = [p for p in points if mpr_theory.is_stable(*p, J)]
        nearest = min(stable, key=lambda p: abs(p[0] - r[k]))
        assert abs(r[k] - nearest[0]) < 1e-2 * nearest[0], f"t = {t[k]}: r = {r[k]} off the stable branch {nearest[0]}"
    assert units["t"] == "1" and units["r"] == "1" and units["I"] == "1"
