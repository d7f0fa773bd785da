#!/bin/sh
# Large-system continuation benchmark (issue 6): a sparse rate network dx/dt = -x + g J0 tanh(x)
# of N = 10^5 units, K = 100 inputs each (weights +-1/sqrt(K) plus a mean 2/K: an outlier
# eigenvalue near 2 outside the unit-disk bulk), continued in g from 0.3 to 0.8 through its
# first instability (the pitchfork of x* = 0 where g times the outlier is 1; located as BP),
# with the rightmost eigenvalue at every point (-cont_nev 1), at 1 and 2 ranks. Prints seconds
# per continuation step and the difference of the two runs (branch point, eigenvalues).
#   usage: bench/continuation_large.sh [N] [K]
set -e
cd "$(dirname "$0")/.."
N=${1:-100000}
K=${2:-100}
OUT=out/bench # its files are replaced on every run (-overwrite): scratch for the timings
mkdir -p $OUT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for n in 1 2; do
  mpiexec -n $n --oversubscribe bin/neurodyn continue -sys_type rate -rate_J_type sparse -rate_N $N -rate_K $K \
    -rate_mean 2 -params_g 0.3 -params_I 0 -cont_param g -cont_min 0.3 -cont_max 0.8 -cont_nev 1 \
    -cont_direction forward -cont_ds 0.05 -cont_ds_max 0.05 -output $OUT/cont_large_$n.h5 -overwrite -log_view \
    > $OUT/cont_large_$n.log
done
/usr/bin/python3 - "$OUT" "$N" <<'PY'
import re, sys
import h5py, numpy as np
out, N = sys.argv[1], int(sys.argv[2])
res = {}
for n in (1, 2):
    log = open(f"{out}/cont_large_{n}.log").read()
    t = float(re.search(r"^NdContinue\s+\d+\s+[\d.]+\s+([\d.e+-]+)", log, re.M).group(1))
    with h5py.File(f"{out}/cont_large_{n}.h5") as f:
        b = f["branch/0"]
        labels = b["special"].attrs["labels"].split(",")
        bp = [b["special"]["g"][i] for i, l in enumerate(labels) if l == "BP"]
        res[n] = (t, len(b["g"]), bp, b["eig_re"][:, 0])
    t, rows, bp, _ = res[n]
    print(f"{n} rank(s): N = {N}: {rows} points in {t:.2f} s, {t / rows:.2f} s per step (spectrum included); BP at g = {bp}")
d_bp = abs(res[1][2][0] - res[2][2][0])
d_ev = np.max(np.abs(res[1][3] - res[2][3]))
print(f"1 vs 2 ranks: branch point differs by {d_bp:.2e}, rightmost eigenvalues by {d_ev:.2e}")
print(f"2-rank speed-up {res[1][0] / res[2][0]:.2f}")
PY
