#!/usr/bin/python3
"""The Vogels-Abbott CUBA network in Brian2's C++ standalone mode (Brian2's classic example, as
in inputs/cuba.yaml): N neurons, 80% excitatory, in-degree 80 (p = 80/N), 1 s at dt = 0.1 ms.
Prints one JSON line: synapses, spikes and the compiled binary's wall time (bench/cuba.py reads the
run's profile from BUILD_DIR/results/profiling_info.txt).

usage: cuba_brian2.py N BUILD_DIR"""
import json
import sys

from brian2 import NeuronGroup, SpikeMonitor, Synapses, defaultclock, device, ms, mV, prefs, run, second, set_device

N, directory = int(sys.argv[1]), sys.argv[2]
set_device("cpp_standalone", directory=directory, build_on_run=False)
prefs.devices.cpp_standalone.openmp_threads = 0  # one thread, as neurodyn on one rank
defaultclock.dt = 0.1 * ms
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
eqs = """
dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
dge/dt = -ge / taue : volt
dgi/dt = -gi / taui : volt
"""
P = NeuronGroup(N, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact")
P.v = "Vr + rand() * (Vt - Vr)"
we, wi = (60 * 0.27 / 10) * mV, (-20 * 4.5 / 10) * mV
NE, p = int(0.8 * N), 80.0 / N
Ce = Synapses(P, P, on_pre="ge += we")
Ci = Synapses(P, P, on_pre="gi += wi")
Ce.connect("i < NE", p=p)
Ci.connect("i >= NE", p=p)
spikes = SpikeMonitor(P)
run(1 * second, profile=True)
device.build(directory=directory, compile=True, run=True, debug=False)
print(json.dumps({"synapses": int(len(Ce) + len(Ci)), "spikes": int(spikes.num_spikes),
                  "binary_s": float(device._last_run_time)}))
