#!/bin/sh
# Rate-network scale benchmark (issue 7): a sparse network of N = 10^6 units with K = 100
# inputs each (10^8 synapses) on 2 ranks: the 10 rightmost eigenvalues of A = -1 + g J0 D at the
# fixed point, and chi(omega) u at 20 frequencies; then the circular-law check at N = 10^4
# (Gaussian J, tanh, x* = 0: the bulk edge on the real axis, 1 + rightmost eigenvalue, against g).
# Prints wall seconds of the solves (as neurodyn reports them), the whole run, and the peak
# resident memory of each rank.  usage: [BASELINE=1] bench/rate_scale.sh [N] [K]
# (BASELINE=1 also times the single-frequency response solver)
set -e
cd "$(dirname "$0")/.."
N=${1:-1000000}
K=${2:-100}
OUT=out/bench # its files are replaced on every run (-overwrite): scratch for the timings
mkdir -p $OUT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
NET="-sys_type rate -rate_N $N -rate_J_type sparse -rate_K $K -params_g 0.8 -params_I 0.2"
run() { # name, then the command's arguments
  name=$1; shift
  start=$(date +%s.%N)
  mpiexec -n 2 --oversubscribe /usr/bin/time -f "  rank peak memory %M kB" bin/neurodyn "$@" -output $OUT/$name.h5 -overwrite
  echo "  whole run (build J, fixed point, solve, write): $(echo "$(date +%s.%N) - $start" | bc) s"
}
echo "== response: N = $N, K = $K, 20 frequencies in [0, 10], 2 ranks: one shared Krylov basis"
run response response $NET -resp_omega_min 0 -resp_omega_max 10 -resp_n 20
if [ -n "$BASELINE" ]; then # the single-frequency GMRES for comparison (minutes at N = 10^6)
  echo "== response, one frequency at a time (-resp_shifted false)"
  run response_gmres response $NET -resp_omega_min 0 -resp_omega_max 10 -resp_n 20 -resp_shifted false
fi
# The rightmost eigenvalues of a random matrix crowd at the edge of the bulk (no spectral gap):
# Krylov-Schur needs many restarts; EPS_TOL (default 1e-8) trades accuracy for time.
echo "== spectrum: N = $N, K = $K, 10 rightmost eigenvalues, -eps_tol ${EPS_TOL:-1e-8}, 2 ranks"
run spectrum spectrum $NET -eps_nev 10 -eps_tol ${EPS_TOL:-1e-8} -eps_converged_reason
echo "== circular law: Gaussian J, N = 10^4, g = 0.5, tanh, x* = 0"
mpiexec -n 2 --oversubscribe bin/neurodyn spectrum -sys_type rate -rate_N 10000 -params_g 0.5 -eps_nev 4 \
  -output $OUT/circular.h5 -overwrite -quiet
/usr/bin/python3 - <<'PY'
import h5py
with h5py.File("out/bench/circular.h5") as f:
    edge = 1 + f["spectrum/eigenvalues_real"][()].max()
    r = f["spectrum"].attrs["bulk_radius"]
print(f"  bulk edge 1 + max Re(lambda) = {edge:.4f}, Frobenius radius {r:.4f}, g = 0.5: "
      f"relative deviations {abs(edge / 0.5 - 1):.2%} and {abs(r / 0.5 - 1):.2%} (goal < 2%)")
PY
