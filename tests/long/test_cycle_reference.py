"""tests/e2e/cycle_reference.py (the scipy shooting reference for periodic orbits) against the
AUTO-07p numbers of tests/e2e/data/izh_mf_cycles_auto.json: Hopf points and the sign of the
first Lyapunov coefficient, period, extrema and stability of the orbits at AUTO's user points
(Delta = 0.02 and 0.04), the upper fold of cycles at Delta = 0.02 (pseudo-arclength
continuation of the shooting system to where det[(M - I), f] changes sign), MPR with synapses.
The checks and tolerances are those of tests/e2e/cycle_reference_selftest.py (about 6 minutes)."""
import cycle_reference_selftest


def test_cycle_reference_against_auto():
    assert cycle_reference_selftest.main(quick=False) == 0, cycle_reference_selftest.failures
