"""The simulations of tests/e2e/test_linear_equivalent.py (too slow for make test): the chaotic
tanh network (N = 300, g = 2) against the theory at fixed J and against the mean-field theory,
and the mean-field theory with noise for tanh units against a simulation (N = 300)."""
import test_linear_equivalent as le


def test_chaotic_network_against_simulation():
    le.chaotic_network_against_simulation()


def test_mean_field_theory_with_noise_tanh():
    le.mean_field_theory_with_noise_tanh()
