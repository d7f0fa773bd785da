#!/bin/sh
# What the 10 rightmost eigenvalues of a sparse random rate network cost (issue 7), and why the
# goal of 60 s at N = 10^6 on 2 ranks is out of reach: the number of products with A that
# Krylov-Schur needs, measured at small N, against the number of products 60 s buys at 10^6.
#
# The network is the circular-law case: sparse J (K inputs per row, weights +-g/sqrt(K)), tanh,
# no input, so x* = 0 and A = -1 + J. Products are counted with -log_view (MatMult, all of them
# inside EPSSolve: Newton starts at its root). At N = 10^6 one restart (-eps_max_it 1) times
# a product. Also prints sqrt(N / pi), the bulk radius over the spacing of the eigenvalues at
# its edge: a polynomial in A of lower degree cannot tell neighbouring edge eigenvalues apart
# (docs/models/rate.md).
# usage: bench/rate_spectrum_cost.sh ["10000 20000 40000"] [big N] [K]   (about 5 minutes)
set -e
cd "$(dirname "$0")/.."
SIZES=${1:-"10000 20000 40000"}
BIG=${2:-1000000}
K=${3:-100}
OUT=out/bench # its files are replaced on every run (-overwrite): scratch for the timings
mkdir -p $OUT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# products, seconds in MatMult, seconds in EPSSolve; arguments: N, then extra options
count() {
  n=$1; shift
  mpiexec -n 2 --oversubscribe bin/neurodyn spectrum -sys_type rate -rate_N "$n" -rate_J_type sparse \
    -rate_K "$K" -params_g 0.8 -params_I 0 -eps_nev 10 -eps_tol 1e-8 -quiet -output $OUT/spectrum_cost.h5 -overwrite \
    -log_view "$@" | awk '$1 == "MatMult" { p = $2; t = $4 } $1 == "EPSSolve" { s = $4 } END { print p, t, s }'
}
echo "10 rightmost eigenvalues, sparse J, K = $K, g = 0.8, x* = 0, -eps_tol 1e-8, 2 ranks"
printf "%9s %9s %10s %13s %11s\n" N products "EPS [s]" "product [ms]" "sqrt(N/pi)"
row() { # N, products, MatMult seconds, EPSSolve seconds (or -), remark
  awk -v n="$1" -v p="$2" -v t="$3" -v s="$4" -v r="$5" 'BEGIN {
    printf "%9d %9s %10s %13.2f %11.0f %s\n", n, p, s == "-" ? s : sprintf("%.1f", s), 1000 * t / p,
      sqrt(n / atan2(0, -1)), r }'
}
for n in $SIZES; do
  set -- $(count "$n")
  row "$n" "$1" "$2" "$3"
  needed=$1
done
set -- $(count "$BIG" -eps_max_it 1)
row "$BIG" "$1" "$2" - "  (one restart only)"
awk -v p="$1" -v t="$2" -v big="$BIG" -v needed="$needed" 'BEGIN {
  printf "60 s at N = %d buy %d products (MatMult alone, orthogonalisation not counted);\n", big, 60 * p / t
  printf "the largest N above needed %d.\n", needed }'
