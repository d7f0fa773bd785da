"""markov_ei against the mif network it approximates (docs/models/markov_ei.md;
bench/markov_ei_bifurcation.py sweeps the drive), at drives 5, 6 and 8/ms, where the ODEs'
asynchronous state is unstable (between the Hopf points at rate_ext = 4.496 and 9.702/ms, found
by continuation and checked in test_markov_ei.py) and the network shows multiple-firing events:
- mean E and I rates of the ODEs within 10% of the network's at 5 and 6/ms (1500 ms, 2 ranks;
  measured 0.5-7.4%; at 8/ms the ODEs' E rate is 14% low, at 7/ms 9-13%: not compared);
- the network's rhythm (main peak of the E rate's Welch spectrum, 20-200 Hz, 3.9 Hz bins) within
  20% of the ODEs' limit-cycle frequency (measured 7-12%, the network slower), and both rising
  with the drive;
- make test runs the drives 5 and 6/ms; tests/long/test_markov_ei_network_long.py (make test-long)
  adds 8/ms, where both the network's and the ODEs' rates lie above those at 6/ms;
- below the first Hopf point (rate_ext = 3) the ODEs sit on their equilibrium (sd/mean of the E
  rate < 0.05) while the finite network still fires in events (sd/mean > 1): the finite-size
  fluctuations the Markov approximation leaves out, documented rather than hidden (tests/long)."""
import os

import numpy as np
from scipy.signal import welch

import markov_ei
import ndio
from ndtest import INPUTS, run_ok, workdir

TIME, SKIP = 1500, 200.0


def measures(t, rate):
    keep = t >= SKIP
    r = rate[keep] * 1000.0
    dt = (t[keep][-1] - t[keep][0]) / (keep.sum() - 1)
    f, P = welch(r - r.mean(), fs=1000.0 / dt, nperseg=int(round(256 / dt)))
    band = (f >= 20) & (f <= 200)
    return r.mean(), r.std() / r.mean(), f[band][np.argmax(P[band])]


def network(drive):
    out = os.path.join(workdir(), "net.h5")
    run_ok(["simulate", os.path.join(INPUTS, "mif_ei.yaml"), "-net_E_rate_ext", drive, "-net_I_rate_ext", drive,
            "-ts_max_time", TIME, "-output", out, "-quiet"], 2, timeout=300)
    t, rates = ndio.rates(out, per_time_unit=True)  # per ms, as the ODEs
    return {pop: measures(t, rates[pop]) for pop in ("E", "I")}


def odes(drive):
    out = os.path.join(workdir(), "ode.h5")
    run_ok(["simulate", os.path.join(INPUTS, "markov_ei.yaml"), "-params_rate_ext", drive, "-ts_max_time", TIME,
            "-output", out, "-quiet"], 1, timeout=300)
    data, _ = ndio.timeseries(out)
    _, p, _ = ndio.system(out)
    rates = markov_ei.rates(data, p)
    return {pop: measures(data["t"], rates[pop]) for pop in ("E", "I")}


def compare(drives):
    """At each drive the ODE rates within 10% of the network's below 7/ms, the rhythm within 20%
    and rising with the drive; with 8/ms (where they part) both the network's and the ODEs'
    rates there above those at 6/ms"""
    freq, rates = {}, {}
    for drive in drives:
        net, ode = network(drive), odes(drive)
        for pop in ("E", "I"):
            rel = ode[pop][0] / net[pop][0] - 1
            if drive < 7:
                assert abs(rel) < 0.10, f"{pop} rate at {drive}: ODE {ode[pop][0]:.1f} vs network {net[pop][0]:.1f} Hz"
            rates[drive, pop] = (net[pop][0], ode[pop][0])
        assert ode["E"][1] > 0.5, "the ODEs should oscillate between the Hopf points"
        fn, fo = net["E"][2], ode["E"][2]
        assert abs(fn / fo - 1) < 0.2, f"rate_ext {drive}: rhythm network {fn:.1f} Hz, ODE limit cycle {fo:.1f} Hz"
        freq[drive] = (fn, fo)
    for who in (0, 1):
        assert all(freq[a][who] < freq[b][who] for a, b in zip(drives, drives[1:])), freq
        if 8.0 in drives:
            for pop in ("E", "I"):
                assert rates[6.0, pop][who] < rates[8.0, pop][who], f"{pop} rates (network, ODE) by drive: {rates}"


def test_rates_and_rhythm_in_the_oscillating_regime():
    """drives 5 and 6/ms (tests/long/test_markov_ei_network_long.py adds 8/ms)"""
    compare((5.0, 6.0))
