#!/bin/sh
# Cycles of a node network (issue 18 item 9): the periodic orbits born at the first Hopf point of
# a node_network of N MPR nodes with synapses (3N variables; random connectome, K = 10 inputs,
# weights spread 50%) continued in eta by orthogonal collocation (NTST intervals x 4 Gauss
# points: 3N (4 NTST + 1) + 1 unknowns), at 1 and 2 ranks. Prints the seconds per step, the
# share of MUMPS's factorisations, the peak memory, and the periods at both rank counts.
# The defaults (N = 30, NTST = 40: 14491 collocation unknowns) finish in a few minutes; the
# cost of its factorisations grows as N^4.4 (docs/commands/continue.md, "Cycles of node networks").
#   usage: bench/cycles_large.sh [N] [NTST] [eta_start] [eta_max]
set -e
cd "$(dirname "$0")/.."
N=${1:-30}
NTST=${2:-40}
E0=${3:-7.95}   # a little below the first Hopf point (N = 30: eta = 8.0032)
EMAX=${4:-8.08} # the branch ends at this bound (before the first NS point of N = 30, 8.128)
OUT=out/bench   # its files are replaced on every run (-overwrite): scratch for the timings
mkdir -p $OUT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for n in 1 2; do
  /usr/bin/time -f "%e s wall, %M kB peak RSS (one rank)" -o $OUT/cycles_large_$n.time \
    mpiexec -n $n --oversubscribe bin/neurodyn continue -sys_type node_network -node_N $N -node_K 10 \
    -node_weight_spread 0.5 -params_tau_s 0.5 -params_J -10 -params_coupling -1 -params_eta $E0 \
    -init_r 0.3 -init_v -0.5 -init_s 0.3 -cont_param eta -cont_min 5 -cont_max $EMAX -cont_type cycle \
    -cont_ntst $NTST -cont_direction forward -output $OUT/cycles_large_$n.h5 -overwrite -log_view \
    > $OUT/cycles_large_$n.log
done
/usr/bin/python3 - "$OUT" "$N" "$NTST" <<'PY'
import re, sys
import h5py, numpy as np
out, N, ntst = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def event(log, name):
    m = re.search(rf"^{name}\s+(\d+)\s+[\d.]+\s+([\d.e+-]+)", log, re.M)
    return (int(m.group(1)), float(m.group(2))) if m else (0, 0.0)
periods = {}
for n in (1, 2):
    log = open(f"{out}/cycles_large_{n}.log").read()
    wall = open(f"{out}/cycles_large_{n}.time").read().strip()
    _, t = event(log, "NdContinue")  # the equilibria to the Hopf point and the branch of orbits
    nf, tf = event(log, "MatLUFactorNum")
    nsn, _ = event(log, "SNESSolve")
    _, tm = event(log, "NdSpectrum")
    with h5py.File(f"{out}/cycles_large_{n}.h5") as f:
        b = f["branch/0"]
        rows = len(b["eta"])
        periods[n] = (np.array(b["eta"]), np.array(b["period"]))
        err = np.max(b["trivial_multiplier_error"][1:]) if rows > 1 else float("nan")
    unknowns = 3 * N * (4 * ntst + 1) + 1
    print(f"{n} rank(s): N = {N} nodes, {3 * N} variables, {unknowns} collocation unknowns: {rows} orbits "
          f"({nsn} corrected points) in {t:.1f} s, {t / max(rows - 1, 1):.1f} s per step; "
          f"{nf} numeric factorisations {tf:.1f} s ({tf / max(nf, 1):.2f} s each), multipliers {tm:.1f} s; "
          f"largest |trivial multiplier - 1| {err:.1e}; {wall}")
(e1, p1), (e2, p2) = periods[1], periods[2]
if len(e1) == len(e2):
    print(f"1 vs 2 ranks: eta differs by {np.max(np.abs(e1 - e2)):.1e}, periods by {np.max(np.abs(p1 - p2)):.1e}")
else:
    print(f"1 and 2 ranks took different steps ({len(e1)} and {len(e2)} orbits)")
PY
