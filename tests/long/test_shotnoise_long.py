"""The spectral checks of tests/e2e/test_shotnoise.py over the full 1000 time units of
inputs/shotnoise_spectrum.yaml (make test runs them over 500)."""
from test_shotnoise import check_spectra


def test_sde_and_network_spectra_over_1000_time_units():
    check_spectra(1020)
