#!/usr/bin/python3
"""Storage capacity of Hebbian (Hopfield) couplings against N, exactly: for each N and number of
random patterns P (density 1/2, several seeds), `neurodyn binary -bin_analysis patterns` tells
which patterns are stationary states and how large their basins are. Prints one line per
(N, P): the fraction of stored patterns that are stationary and their mean basin fraction.
The classical estimate for large N is P_max ~ 0.14 N (with errors) or N / (2 ln N) (without).

usage: bench/hopfield_capacity.py [--ranks 2] [--sizes 10,14,18] [--seeds 5]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import ndio  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--sizes", default="10,14,18")
    ap.add_argument("--seeds", type=int, default=5)
    a = ap.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    tmp = tempfile.mkdtemp()
    print(f"{'N':>4} {'P':>4} {'P/N':>6} {'stationary':>11} {'basin':>9}")
    for N in map(int, a.sizes.split(",")):
        for P in range(1, max(2, int(0.3 * N)) + 1):
            stat, basin = [], []
            for seed in range(a.seeds):
                out = os.path.join(tmp, f"p_{N}_{P}_{seed}.h5")
                subprocess.run(["mpiexec", "-n", str(a.ranks), "--oversubscribe", os.path.join(ROOT, "bin", "neurodyn"), "binary",
                                "-bin_analysis", "patterns", "-bin_N", str(N), "-bin_J_generate", "hopfield",
                                "-bin_npatterns", str(P), "-bin_seed", str(seed), "-output", out, "-overwrite", "-quiet"],
                               check=True, env=env)
                _, res = ndio.binary(out)
                stat += list(res["stationary"])
                basin += list(res["basin_fraction"])
            print(f"{N:4d} {P:4d} {P / N:6.2f} {np.mean(stat):11.3f} {np.mean(basin):9.4f}", flush=True)


if __name__ == "__main__":
    main()
