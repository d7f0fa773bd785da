"""tests/e2e/test_markov_ei_network.py at drives 5, 6 and 8/ms (make test runs 5 and 6): at 8/ms,
where the ODEs' E rate is 14% low, the rhythm within 20% and both rates and rhythms above those
at 6/ms."""
from test_markov_ei_network import compare


def test_rates_and_rhythm_at_5_6_and_8_per_ms():
    compare((5.0, 6.0, 8.0))
