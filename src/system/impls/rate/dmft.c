/* The dynamic mean-field theory of the rate network (Sompolinsky, Crisanti & Sommers 1988;
   docs/models/rate.md): for J_ij i.i.d. with variance g^2/N, an odd phi, no input and white noise sigma,
   x(t) is a Gaussian process whose autocorrelation Delta(tau) obeys
   (1 - d^2/dtau^2) Delta = g^2 C + sigma^2 delta(tau), C = <phi(x(t)) phi(x(t + tau))>. For tau > 0
   that is the motion of a particle in the potential V(Delta) = -Delta^2/2 + g^2 Psi(Delta),
   Psi = <Phi(x(t)) Phi(x(t + tau))> (Phi' = phi, Price's theorem), from Delta(0) = Delta0 with the
   velocity -sigma^2/2 that the delta gives an even Delta. The stationary solution decays to 0 (by
   chaos for g > 1, by noise for sigma > 0), which fixes Delta0 by energy conservation:
       Delta0^2 / 2 - sigma^4 / 8 = g^2 (<Phi(sqrt(Delta0) z)^2> - <Phi(sqrt(Delta0) z)>^2).
   Gaussian averages are Gauss-Hermite sums (nodes from LAPACK's tridiagonal eigensolver). The
   orbit ends on the saddle at 0, so the quadrature error of C (1e-7 with 80 nodes: tanh has poles
   at i pi/2) would send it past 0 or back: Delta0 is refined by shooting with the very C of the
   equation of motion (bisection between orbits that cross 0 and orbits that turn back), starting
   from the energy balance. Then Delta(tau) and its cosine transform S_x(omega) =
   2 int_0^inf Delta cos(omega tau) are integrated together by a PETSc TS until Delta is small,
   and the exponential tail Delta ~ e^{-lambda tau}, lambda^2 = 1 - a^2 g^2, is added in closed form. */
#include <neurodyn/private/rateimpl.h>
#include <petscblaslapack.h>

/* Gauss-Hermite nodes: at most ND_GH per dimension of C(Delta) in the equation of motion, and
   ND_GH1 for the one-dimensional averages that fix Delta0 (Phi(x) ~ |x| makes those converge
   slowly: with 48 nodes Delta0 is off by 2e-6, enough to miss the saddle) */
#define ND_GH  256
#define ND_GH1 256

typedef struct {
  NdRatePhi        phi;
  PetscReal        g, sigma, delta0;
  PetscInt         ngh;                /* nodes used: phi(sqrt(Delta0) z) steepens as Delta0 grows */
  PetscReal        z[ND_GH], w[ND_GH]; /* int Dz f(z) = sum_k w_k f(z_k), Dz the standard normal measure */
  PetscReal        z1[ND_GH1], w1[ND_GH1];
  PetscInt         nomega; /* cosine transforms integrated along (0 while shooting) */
  const PetscReal *omega;
  PetscReal        stop; /* the final run ends where Delta < stop */
  PetscInt         fate; /* of a shot: +1 Delta crossed 0 (Delta0 too small), -1 it turned back (too large) */
} NdDMFT;

/* The probabilists' Gauss-Hermite rule (Golub-Welsch): nodes are the eigenvalues of the Jacobi
   matrix with off-diagonal sqrt(k), weights the squared first components of its eigenvectors */
static PetscErrorCode NdGaussHermite(PetscInt m, PetscReal z[], PetscReal w[])
{
  PetscReal   *e, *Q, *work;
  PetscBLASInt n, info;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(m, &n));
  PetscCall(PetscMalloc3(m, &e, m * m, &Q, 2 * m, &work));
  for (PetscInt k = 0; k < m; k++) {
    z[k] = 0;
    e[k] = PetscSqrtReal((PetscReal)(k + 1));
  }
  PetscCall(PetscFPTrapPush(PETSC_FP_TRAP_OFF));
  PetscCallBLAS("LAPACKsteqr", LAPACKsteqr_("I", &n, z, e, Q, &n, work, &info));
  PetscCall(PetscFPTrapPop());
  PetscCheck(!info, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK steqr (Gauss-Hermite nodes) failed: info %d", (int)info);
  for (PetscInt k = 0; k < m; k++) w[k] = Q[k * m] * Q[k * m];
  PetscCall(PetscFree3(e, Q, work));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* C(Delta) = <phi(u) phi(v)> for jointly Gaussian u, v of variance Delta0 and covariance Delta in
   [0, Delta0]: u = sqrt(Delta0 - Delta) x + sqrt(Delta) z, v likewise with its own x */
static PetscReal NdPairAverage(const NdDMFT *d, PetscReal delta)
{
  PetscReal s = PetscSqrtReal(PetscMax(d->delta0 - delta, 0)), c = PetscSqrtReal(PetscMax(delta, 0)), sum = 0;

  for (PetscInt j = 0; j < d->ngh; j++) {
    PetscReal inner = 0;
    for (PetscInt i = 0; i < d->ngh; i++) inner += d->w[i] * NdPhi(d->phi, s * d->z[i] + c * d->z[j]);
    sum += d->w[j] * inner * inner;
  }
  return sum;
}

/* The energy at Delta0 less V(0): sigma^4 / 8 - Delta0^2 / 2 + g^2 (Psi(Delta0) - Psi(0)) as a
   function of the trial Delta0; its root is the variance. Psi(Delta0) = <Phi^2>, Psi(0) = <Phi>^2
   at variance Delta0. */
static PetscReal NdEnergyGap(const NdDMFT *d, PetscReal delta0)
{
  PetscReal m1 = 0, m2 = 0;

  for (PetscInt k = 0; k < ND_GH1; k++) {
    PetscReal p = NdPhiIntegral(d->phi, PetscSqrtReal(delta0) * d->z1[k]);
    m1 += d->w1[k] * p;
    m2 += d->w1[k] * p * p;
  }
  return -0.5 * delta0 * delta0 + d->g * d->g * (m2 - m1 * m1) + PetscPowReal(d->sigma, 4) / 8;
}

/* u = (Delta, Delta', S_1 .. S_K): Delta'' = Delta - g^2 C(Delta), S_k' = 2 Delta cos(omega_k tau) */
static PetscErrorCode NdDMFTRHS(TS ts, PetscReal tau, Vec U, Vec F, void *ctx)
{
  NdDMFT            *d = (NdDMFT *)ctx;
  const PetscScalar *u;
  PetscScalar       *f;

  PetscFunctionBegin;
  (void)ts;
  PetscCall(VecGetArrayRead(U, &u));
  PetscCall(VecGetArray(F, &f));
  f[0] = u[1];
  f[1] = u[0] - d->g * d->g * NdPairAverage(d, PetscMin(u[0], d->delta0));
  for (PetscInt k = 0; k < d->nomega; k++) f[2 + k] = 2 * u[0] * PetscCosReal(d->omega[k] * tau);
  PetscCall(VecRestoreArrayRead(U, &u));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A shot ends when Delta crosses 0 or turns back; the final run where Delta < stop */
static PetscErrorCode NdDMFTPostStep(TS ts)
{
  Vec                U;
  const PetscScalar *u;
  NdDMFT            *d;

  PetscFunctionBegin;
  PetscCall(TSGetApplicationContext(ts, &d));
  PetscCall(TSGetSolution(ts, &U));
  PetscCall(VecGetArrayRead(U, &u));
  d->fate = u[0] < 0 ? 1 : u[1] > 0 ? -1 : 0;
  if (d->fate || u[0] < d->stop) PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
  PetscCall(VecRestoreArrayRead(U, &u));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Integrate from Delta(0) = delta0, Delta'(0) = -sigma^2 / 2 with nomega transforms; U holds the
   end state */
static PetscErrorCode NdDMFTOrbit(NdDMFT *d, PetscReal delta0, PetscInt nomega, Vec *U, PetscReal *tau)
{
  TS                ts;
  TSConvergedReason reason;

  PetscFunctionBegin;
  d->delta0 = delta0;
  d->nomega = nomega;
  d->fate   = 0;
  PetscCall(TSCreate(PETSC_COMM_SELF, &ts));
  PetscCall(TSSetType(ts, TSRK));
  PetscCall(TSRKSetType(ts, TSRK5DP));
  /* the transforms cancel to 1e-3 of their size at omega ~ 2: the final run is held tighter */
  PetscCall(TSSetTolerances(ts, 1e-15, NULL, nomega ? 1e-13 : 1e-11, NULL));
  PetscCall(TSSetRHSFunction(ts, NULL, NdDMFTRHS, d));
  PetscCall(TSSetApplicationContext(ts, d));
  PetscCall(TSSetPostStep(ts, NdDMFTPostStep));
  PetscCall(TSSetMaxTime(ts, 1e4));
  PetscCall(TSSetMaxSteps(ts, 1000000));
  PetscCall(TSSetTimeStep(ts, 1e-3));
  PetscCall(TSSetExactFinalTime(ts, TS_EXACTFINALTIME_STEPOVER));
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 2 + nomega, U));
  PetscCall(VecSet(*U, 0.0));
  PetscCall(VecSetValue(*U, 0, delta0, INSERT_VALUES));
  PetscCall(VecSetValue(*U, 1, -0.5 * d->sigma * d->sigma, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(*U));
  PetscCall(VecAssemblyEnd(*U));
  PetscCall(TSSolve(ts, *U));
  PetscCall(TSGetConvergedReason(ts, &reason));
  PetscCall(TSGetTime(ts, tau));
  PetscCall(TSDestroy(&ts));
  PetscCheck(reason == TS_CONVERGED_USER, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
             "the mean-field theory: Delta(tau) neither decayed nor turned (%s at tau = %g)",
             TSConvergedReasons[reason], (double)*tau);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The fate of the orbit from delta0 */
static PetscErrorCode NdDMFTShoot(NdDMFT *d, PetscReal delta0, PetscInt *fate)
{
  Vec       U;
  PetscReal tau;

  PetscFunctionBegin;
  d->stop = 0; /* until it crosses or turns */
  PetscCall(NdDMFTOrbit(d, delta0, 0, &U, &tau));
  PetscCall(VecDestroy(&U));
  *fate = d->fate;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdRateDMFT - for an odd phi (tanh, erf, linear), gain g and noise sigma with fluctuations that
    decay (g > 1 or sigma > 0, checked by the caller): Delta0 = <x^2>, a = <phi'(x)> and the power
    spectral density S_x(omega_k) of a unit (S(omega) = int Delta(tau) e^{-i omega tau} dtau) @*/
PetscErrorCode NdRateDMFT(NdRatePhi phi, PetscReal g, PetscReal sigma, PetscInt nomega, const PetscReal omega[],
                          PetscReal *delta0, PetscReal *a, PetscReal Sx[])
{
  NdDMFT       d  = {.phi = phi, .g = g, .sigma = sigma, .omega = omega};
  PetscReal    lo = 1e-3, hi = 1, lambda, tau, A, slope, est;
  PetscInt     fate_lo, fate_hi, fate;
  Vec          U;
  PetscScalar *u;

  PetscFunctionBegin;
  PetscCheck(phi == ND_PHI_TANH || phi == ND_PHI_ERF || phi == ND_PHI_LINEAR, PETSC_COMM_SELF, PETSC_ERR_SUP,
             "the mean-field theory here is for an odd phi: tanh, erf or linear");
  PetscCall(NdGaussHermite(ND_GH1, d.z1, d.w1));
  /* the energy gap is > 0 for small Delta0 (where it is sigma^4 / 8 + (g^2 - 1) Delta0^2 / 2) and
     < 0 for large (a saturating Phi grows linearly, so its variance only like Delta0) */
  while (NdEnergyGap(&d, lo) <= 0 && lo > 1e-12) lo /= 10;
  PetscCheck(NdEnergyGap(&d, lo) > 0, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
             "the mean-field theory: no fluctuating solution near g = %g, sigma = %g", (double)g, (double)sigma);
  while (NdEnergyGap(&d, hi) > 0 && hi < 1e8) hi *= 2;
  PetscCheck(hi < 1e8, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
             "the mean-field theory: no stationary state at g = %g (does the network blow up?)", (double)g);
  for (PetscInt it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
    PetscReal mid = 0.5 * (lo + hi);
    if (NdEnergyGap(&d, mid) > 0)
      lo = mid;
    else
      hi = mid;
  }
  /* shooting, from a bracket around the energy balance's root, with a rule for C that resolves
     tanh(sqrt(Delta0) z): 64 nodes at Delta0 = 2 (g = 2), more as sqrt(Delta0) grows */
  est   = 0.5 * (lo + hi);
  d.ngh = PetscMin(ND_GH, PetscMax(64, (PetscInt)PetscCeilReal(64 * PetscSqrtReal(est / 2))));
  PetscCall(NdGaussHermite(d.ngh, d.z, d.w));
  for (PetscReal width = 1e-5;; width *= 4) {
    lo = est * (1 - width);
    hi = est * (1 + width);
    PetscCall(NdDMFTShoot(&d, lo, &fate_lo));
    PetscCall(NdDMFTShoot(&d, hi, &fate_hi));
    if (fate_lo == 1 && fate_hi == -1) break;
    PetscCheck(width < 0.1, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
               "the mean-field theory: no decaying orbit near Delta0 = %g", (double)est);
  }
  for (PetscInt it = 0; it < 100 && hi - lo > 1e-13 * hi; it++) {
    PetscReal mid = 0.5 * (lo + hi);
    PetscCall(NdDMFTShoot(&d, mid, &fate));
    if (fate == 1)
      lo = mid;
    else
      hi = mid;
  }
  *delta0 = 0.5 * (lo + hi);
  *a      = 0;
  /* with the rule of C: C'(0) = a^2 sets the decay of the orbit, which must match the tail's */
  for (PetscInt k = 0; k < d.ngh; k++) *a += d.w[k] * NdPhiPrime(phi, PetscSqrtReal(*delta0) * d.z[k]);
  PetscCheck(*a * g < 1, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
             "the mean-field theory: a g = %g >= 1, no decaying solution", (double)(*a * g));
  lambda = PetscSqrtReal(1 - *a * *a * g * g);
  d.stop = 1e-4 * *delta0;
  PetscCall(NdDMFTOrbit(&d, *delta0, nomega, &U, &tau));
  PetscCall(VecGetArray(U, &u));
  /* tail: Delta = A e^{-lambda (s - tau)}, s > tau; 2 int cos(omega s) A e^{-lambda (s - tau)} ds */
  A     = u[0];
  slope = -u[1] / u[0]; /* close to lambda where the tail starts */
  PetscCheck(!d.fate && PetscAbsReal(slope / lambda - 1) < 1e-2, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
             "the mean-field theory: Delta(tau) does not decay at the rate sqrt(1 - a^2 g^2) = %g (but %g)",
             (double)lambda, (double)slope);
  for (PetscInt k = 0; k < nomega; k++) {
    PetscReal w = omega[k];
    Sx[k] = u[2 + k] + 2 * A * (lambda * PetscCosReal(w * tau) - w * PetscSinReal(w * tau)) / (lambda * lambda + w * w);
  }
  PetscCall(VecRestoreArray(U, &u));
  PetscCall(VecDestroy(&U));
  PetscFunctionReturn(PETSC_SUCCESS);
}
