#!/bin/sh
# Scale of the exact binary-network analyses on 2 ranks (issue 8 goals: under 60 s and 120 s):
#   exhaustive stationary-state enumeration of N = 26 (2^26 = 67M states, 2-D stimulus space),
#   asynchronous (Glauber) stationary distribution of N = 22 (4M states, shell operator, SLEPc).
# Prints neurodyn's own timing lines (seconds, peak memory per rank). Usage: bench/binary_scale.sh [ranks]
set -e
cd "$(dirname "$0")/.."
RANKS=${1:-2}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p out
make -s all
echo "== enumeration, N = 26, $RANKS ranks"
mpiexec -n "$RANKS" --oversubscribe bin/neurodyn binary -bin_analysis bifurcations -bin_N 26 \
  -bin_J_generate random -bin_seed 1 -bin_population_sizes 13,13 -output out/bench_binary_n26.h5 -overwrite | grep '^neurodyn'
echo "== asynchronous stationary distribution, N = 22, $RANKS ranks"
mpiexec -n "$RANKS" --oversubscribe bin/neurodyn binary -bin_analysis stationary -bin_N 22 \
  -bin_J_generate random -bin_seed 1 -bin_J_std 0.5 -bin_noise logistic -bin_temperature 0.5 \
  -bin_update asynchronous -output out/bench_binary_n22.h5 -overwrite | grep '^neurodyn'
