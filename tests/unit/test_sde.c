/* Unit test: the SDE time steppers nd_em and nd_heun (sde.h) on the Ornstein-Uhlenbeck process
   dX = -a X dt + sigma dW, n independent components (each its own Wiener increments), against
   the exact moments of each scheme's recursion X' = rho X + kappa sigma dW:
     Euler-Maruyama  rho = 1 - a h,               kappa = 1
     Heun            rho = 1 - a h + (a h)^2 / 2, kappa = 1 - a h / 2
   after m = 8 steps from X = x0 = 1.5: mean rho^m x0 and variance
   kappa^2 sigma^2 h (1 - rho^2m) / (1 - rho^2).
   With a h = 0.2 the two schemes' variances differ by 12%; the sample variance of n = 40000
   components has a relative standard error of 0.7%, and the test allows 4 standard errors.
   Also: the same seed gives the same path, another seed another; and the path of a vector split
   over the ranks equals, bitwise, that of the same vector held whole by one rank (the noise is
   keyed by global index, not by rank). tests/run.py runs this test at 1 and 2 ranks.
   run at ranks: 1 2 */
#include <neurodyn/neurodyn.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what, double got, double want)
{
  printf("%s - %s (got %.6g, expected %.6g)\n", ok ? "ok" : "not ok", what, got, want);
  if (!ok) failures++;
}

typedef struct {
  PetscReal a, sigma;
} OU;

static PetscErrorCode Drift(TS ts, PetscReal t, Vec X, Vec F, void *ctx)
{
  OU *ou = (OU *)ctx;

  PetscFunctionBegin;
  (void)ts;
  (void)t;
  PetscCall(VecAXPBY(F, -ou->a, 0.0, X));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode Diffusion(TS ts, PetscReal t, Vec X, Vec G, void *ctx)
{
  OU *ou = (OU *)ctx;

  PetscFunctionBegin;
  (void)ts;
  (void)t;
  (void)X;
  PetscCall(VecSet(G, ou->sigma));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RunOn(MPI_Comm comm, const char *type, OU *ou, PetscInt n, PetscReal h, PetscInt steps,
                            PetscReal x0, uint64_t seed, Vec *X)
{
  TS ts;

  PetscFunctionBegin;
  PetscCall(VecCreateMPI(comm, PETSC_DECIDE, n, X));
  PetscCall(VecSet(*X, x0));
  PetscCall(TSCreate(comm, &ts));
  PetscCall(TSSetRHSFunction(ts, NULL, Drift, ou));
  PetscCall(NdTSSetDiffusion(ts, Diffusion, ou, seed));
  PetscCall(TSSetType(ts, type));
  PetscCall(TSSetTimeStep(ts, h));
  PetscCall(TSSetMaxSteps(ts, steps));
  PetscCall(TSSetMaxTime(ts, 1e30));
  PetscCall(TSSolve(ts, *X));
  PetscCall(TSDestroy(&ts));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode Run(const char *type, OU *ou, PetscInt n, PetscReal h, PetscInt steps, PetscReal x0,
                          uint64_t seed, Vec *X)
{
  PetscFunctionBegin;
  PetscCall(RunOn(PETSC_COMM_WORLD, type, ou, n, h, steps, x0, seed, X));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The largest difference between the path of X (split over the ranks) and that of the same run
   held whole by each rank */
static PetscErrorCode CompareWithWhole(const char *type, OU *ou, Vec X, PetscReal *diff)
{
  Vec                Z;
  PetscInt           n, lo, hi;
  const PetscScalar *x, *z;

  PetscFunctionBegin;
  PetscCall(VecGetSize(X, &n));
  PetscCall(VecGetOwnershipRange(X, &lo, &hi));
  PetscCall(RunOn(PETSC_COMM_SELF, type, ou, n, 0.01, 50, 0.0, 3, &Z));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArrayRead(Z, &z));
  *diff = 0;
  for (PetscInt i = lo; i < hi; i++) *diff = PetscMax(*diff, PetscAbsScalar(x[i - lo] - z[i]));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArrayRead(Z, &z));
  PetscCall(VecDestroy(&Z));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, diff, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckMoments(const char *type, PetscReal rho, PetscReal kappa)
{
  OU              ou = {1.0, 0.7};
  const PetscInt  n = 40000, steps = 8;
  const PetscReal h = 0.2, x0 = 1.5;
  Vec             X;
  PetscScalar     sum;
  PetscReal       mean, var, norm, want_mean, want_var, se_var;
  char            what[128];

  PetscFunctionBegin;
  PetscCall(Run(type, &ou, n, h, steps, x0, 11, &X));
  PetscCall(VecSum(X, &sum));
  mean = PetscRealPart(sum) / n;
  PetscCall(VecShift(X, -mean));
  PetscCall(VecNorm(X, NORM_2, &norm));
  var       = norm * norm / (n - 1);
  want_mean = PetscPowReal(rho, steps) * x0;
  want_var  = kappa * kappa * ou.sigma * ou.sigma * h * (1 - PetscPowReal(rho, 2 * steps)) / (1 - rho * rho);
  se_var    = want_var * PetscSqrtReal(2.0 / (n - 1));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: variance after %" PetscInt_FMT " steps", type, steps));
  Expect((PetscBool)(PetscAbsReal(var - want_var) < 4 * se_var), what, var, want_var);
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: mean after %" PetscInt_FMT " steps", type, steps));
  Expect((PetscBool)(PetscAbsReal(mean - want_mean) < 4 * PetscSqrtReal(want_var / n)), what, mean, want_mean);
  PetscCall(VecDestroy(&X));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char **argv)
{
  const PetscReal ah = 0.2;
  OU              ou = {1.0, 0.7};
  Vec             X, Y;
  PetscReal       diff;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(NdInitializePackage());
  PetscCall(CheckMoments(NDTSEM, 1 - ah, 1.0));
  PetscCall(CheckMoments(NDTSHEUN, 1 - ah + 0.5 * ah * ah, 1 - 0.5 * ah));

  /* the same seed: the same path, split over the ranks or whole; another seed: another path */
  PetscCall(Run(NDTSEM, &ou, 100, 0.01, 50, 0.0, 3, &X));
  PetscCall(CompareWithWhole(NDTSEM, &ou, X, &diff));
  Expect((PetscBool)(diff == 0), "nd_em: split over the ranks, the path of one rank (max difference)", diff, 0);
  PetscCall(VecDestroy(&X));
  PetscCall(Run(NDTSHEUN, &ou, 100, 0.01, 50, 0.0, 3, &X));
  PetscCall(CompareWithWhole(NDTSHEUN, &ou, X, &diff));
  Expect((PetscBool)(diff == 0), "nd_heun: split over the ranks, the path of one rank (max difference)", diff, 0);
  PetscCall(Run(NDTSHEUN, &ou, 100, 0.01, 50, 0.0, 3, &Y));
  PetscCall(VecAXPY(Y, -1.0, X));
  PetscCall(VecNorm(Y, NORM_INFINITY, &diff));
  Expect((PetscBool)(diff == 0), "same seed, same path (max difference)", diff, 0);
  PetscCall(VecDestroy(&Y));
  PetscCall(Run(NDTSHEUN, &ou, 100, 0.01, 50, 0.0, 4, &Y));
  PetscCall(VecAXPY(Y, -1.0, X));
  PetscCall(VecNorm(Y, NORM_INFINITY, &diff));
  Expect((PetscBool)(diff > 0), "another seed, another path (max difference)", diff, 1);
  PetscCall(VecDestroy(&X));
  PetscCall(VecDestroy(&Y));
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
