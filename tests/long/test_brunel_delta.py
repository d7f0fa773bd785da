"""Brunel's (2000) model A at full size with delta synapses (inputs/brunel_delta.yaml)."""
import ndio
import numpy as np
from test_network_models import brunel_check, brunel_delta, brunel_siegert_rate, net_run


def test_brunel_delta_full_size_against_siegert():
    """inputs/brunel_delta.yaml as given (N_E = 10000, C_E = 1000, J = 0.1 mV, g = 5, eta = 2),
    1 s at 1 and 2 ranks: the same spikes bitwise; rates over 100-1000 ms within 3% of the
    self-consistent Siegert rate (37.9 Hz; measured 38.1 Hz, +0.5%; J/(theta - V_r) = 1% and
    4.3 10^5 spikes, 0.15% sampling error); ISI CV > 0.3 (measured 0.43)."""
    args, C_E = brunel_delta(10000, 0.1)
    args += ["-ts_max_time", 1000]
    outs = [net_run(args, ranks=r, name=f"brunel{r}.h5") for r in (1, 2)]
    for pop in ("E", "I"):
        a, b = ndio.spikes(outs[0], pop), ndio.spikes(outs[1], pop)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), pop
    brunel_check(outs[1], 10000, brunel_siegert_rate(5.0, 2.0, 0.1, C_E), 100, 1000, 0.03, 0.3)
