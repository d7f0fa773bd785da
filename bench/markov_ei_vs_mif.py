#!/usr/bin/python3
"""Firing rates of the markov_ei ODEs against the mif network they approximate (inputs/mif_ei.yaml,
docs/models/markov_ei.md), at several external drives: for each rate_ext, the ODEs (1000 ms) and the
network (1000 ms, 2 ranks) are run and the mean E and I rates over t > 200 ms printed with their
relative difference, and the standard deviation of the rates (the size of the oscillations).

usage: bench/markov_ei_vs_mif.py [--drives 4,7] [--ranks 2] [--time 1000]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import markov_ei  # noqa: E402
import ndio  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--drives", default="4,7")
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--time", type=float, default=1000.0)
    a = ap.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    exe = os.path.join(ROOT, "bin", "neurodyn")
    tmp = tempfile.mkdtemp()
    print(f"{'rate_ext':>8} {'pop':>3} {'ODE [Hz]':>9} {'net [Hz]':>9} {'rel diff':>9} {'ODE sd':>8} {'net sd':>8}")
    for drive in (float(d) for d in a.drives.split(",")):
        ode, net = os.path.join(tmp, f"ode_{drive:g}.h5"), os.path.join(tmp, f"net_{drive:g}.h5")
        subprocess.run([exe, "simulate", os.path.join(ROOT, "inputs", "markov_ei.yaml"), "-params_rate_ext", str(drive),
                        "-ts_max_time", str(a.time), "-output", ode, "-overwrite", "-quiet"], check=True, env=env)
        subprocess.run(["mpiexec", "-n", str(a.ranks), "--oversubscribe", exe, "simulate",
                        os.path.join(ROOT, "inputs", "mif_ei.yaml"), "-net_E_rate_ext", str(drive), "-net_I_rate_ext",
                        str(drive), "-ts_max_time", str(a.time), "-output", net, "-overwrite", "-quiet"], check=True, env=env)
        data, _ = ndio.timeseries(ode)
        _, params, _ = ndio.system(ode)
        rates = markov_ei.rates(data, params)
        keep = data["t"] > 200
        tn, netrates = ndio.rates(net, per_time_unit=True)
        netrates = {pop: netrates[pop][tn > 200] for pop in markov_ei.POPS}
        for pop in markov_ei.POPS:
            o, n = 1000 * rates[pop][keep], 1000 * netrates[pop]
            print(f"{drive:8g} {pop:>3} {o.mean():9.2f} {n.mean():9.2f} {o.mean() / n.mean() - 1:+9.1%} {o.std():8.1f} {n.std():8.1f}")


if __name__ == "__main__":
    main()
