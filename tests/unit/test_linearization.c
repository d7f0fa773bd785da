/* Unit test: NdLinearization from C through the public API (include/neurodyn/spectrum.h), on the
   MPR mean field at eta = -7, J = 15, Delta = 1 (one fixed point). The type response gives
   w^T chi(omega) u at omega = 0, 0.5, 2 (u = (1, 1), w = (1/2, 1/2)), the type covariance the C of
   A C + C A^T + sigma^2 I = 0 at sigma = 0.3; both are compared with numpy/scipy's numbers from
   tests/unit/linearization_reference.py (fixed point by brentq, chi by numpy.linalg.solve, C by
   scipy.linalg.solve_continuous_lyapunov): relative 1e-9 (Newton stops at 1e-13, GMRES at a
   relative residual of 1e-12). Nothing is written (Solve with out = NULL).
   run at ranks: 1 2 */
#include <neurodyn/neurodyn.h>
#include <neurodyn/spectrum.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what)
{
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

static PetscBool Close(PetscReal got, PetscReal want, PetscReal rtol)
{
  return (PetscBool)(PetscAbsReal(got - want) <= rtol * PetscMax(PetscAbsReal(want), 1e-300));
}

static PetscErrorCode CreateMPR(NdSystem *sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemCreate(PETSC_COMM_WORLD, sys));
  PetscCall(NdSystemSetType(*sys, NDSYSTEMMPR));
  PetscCall(NdSystemSetParameter(*sys, "eta", -7.0));
  PetscCall(NdSystemSetParameter(*sys, "J", 15.0));
  PetscCall(NdSystemSetParameter(*sys, "Delta", 1.0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TestResponse(void)
{
  const PetscReal  omega[3] = {0, 0.5, 2};
  const PetscReal  gain[3]  = {0.52652659830259396, 0.52031859883068665, 0.44453947237713504};
  const PetscReal  phase[3] = {0, -0.17567674789147567, -0.64957902989116123};
  NdSystem         sys;
  NdLinearization  lin;
  PetscInt         n;
  const PetscReal *om, *g, *ph;

  PetscFunctionBegin;
  PetscCall(CreateMPR(&sys));
  PetscCall(NdLinearizationCreate(PETSC_COMM_WORLD, &lin));
  PetscCall(NdLinearizationSetSystem(lin, sys));
  PetscCall(NdLinearizationSetType(lin, NDLINEARIZATIONRESPONSE));
  PetscCall(NdLinearizationSetFromOptions(lin));
  PetscCall(NdLinearizationSetFrequencies(lin, 3, omega));
  PetscCall(NdLinearizationSetUp(lin));
  PetscCall(NdLinearizationSolve(lin, NULL));
  PetscCall(NdLinearizationGetResponse(lin, &n, &om, &g, &ph));
  Expect(n == 3, "response at the 3 frequencies set");
  for (PetscInt k = 0; k < 3 && n == 3; k++) {
    char what[160];
    PetscCall(PetscSNPrintf(what, sizeof(what),
                            "chi at omega = %g: gain %.15g (scipy %.15g), phase %.15g (scipy %.15g)", (double)om[k],
                            (double)g[k], (double)gain[k], (double)ph[k], (double)phase[k]));
    Expect((PetscBool)(om[k] == omega[k] && Close(g[k], gain[k], 1e-9) &&
                       PetscAbsReal(ph[k] - phase[k]) <= 1e-9 * PetscMax(PetscAbsReal(phase[k]), 1)),
           what);
  }
  PetscCall(NdLinearizationDestroy(&lin));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TestCovariance(void)
{
  const PetscReal  want[4] = {0.009493531385776492, 0.013844082834279788, 0.013844082834279785, 0.047684816144844946};
  NdSystem         sys;
  NdLinearization  lin;
  Vec              x;
  PetscInt         N;
  const PetscReal *C;
  PetscMPIInt      rank;
  PetscReal        r = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(CreateMPR(&sys));
  PetscCall(NdLinearizationCreate(PETSC_COMM_WORLD, &lin));
  PetscCall(NdLinearizationSetSystem(lin, sys));
  PetscCall(NdLinearizationSetType(lin, NDLINEARIZATIONCOVARIANCE));
  PetscCall(NdLinearizationSetFromOptions(lin));
  PetscCall(NdLinearizationSetNoise(lin, 0.3));
  PetscCall(NdLinearizationSolve(lin, NULL)); /* sets itself up */
  PetscCall(NdLinearizationGetFixedPoint(lin, &x));
  {
    PetscInt           lo, hi;
    const PetscScalar *a;
    PetscCall(VecGetOwnershipRange(x, &lo, &hi));
    PetscCall(VecGetArrayRead(x, &a));
    if (lo == 0 && hi > 0) r = PetscRealPart(a[0]);
    PetscCall(VecRestoreArrayRead(x, &a));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &r, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  }
  Expect(Close(r, 0.064586366974930115, 1e-12), "fixed point r (brentq 0.064586366974930115)");
  PetscCall(NdLinearizationGetCovariance(lin, &N, &C));
  Expect(N == 2, "N = 2");
  if (!rank) {
    PetscBool ok = (PetscBool)(C != NULL);
    for (PetscInt i = 0; i < 4 && ok; i++) ok = Close(C[i], want[i], 1e-9);
    Expect(ok, "covariance C against scipy's solve_continuous_lyapunov");
  } else
    Expect((PetscBool)(C == NULL), "C only on rank 0");
  PetscCall(NdLinearizationDestroy(&lin));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char **argv)
{
  PetscCall(SlepcInitialize(&argc, &argv, NULL, NULL));
  PetscCall(NdInitializePackage());
  PetscCall(TestResponse());
  PetscCall(TestCovariance());
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &failures, 1, MPI_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(SlepcFinalize());
  return failures ? 1 : 0;
}
