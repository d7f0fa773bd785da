/* Eigenvalues of the linearisation A with SLEPc. */
#include <neurodyn/spectrum.h>
#include <neurodyn/checkpoint.h>

PetscErrorCode NdBulkRadius(Mat A, PetscReal *radius)
{
  PetscInt  N;
  PetscReal norm;

  PetscFunctionBegin;
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(MatShift(A, 1.0));
  PetscCall(MatNorm(A, NORM_FROBENIUS, &norm));
  PetscCall(MatShift(A, -1.0));
  *radius = norm / PetscSqrtReal((PetscReal)N);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The operator is set later (EPSSetOperators); with all, so are the dimensions (N, N, N) */
PetscErrorCode NdSpectrumCreateEPS(MPI_Comm comm, PetscBool all, EPS *eps)
{
  PetscFunctionBegin;
  PetscCall(EPSCreate(comm, eps));
  PetscCall(EPSSetProblemType(*eps, EPS_NHEP));
  PetscCall(EPSSetWhichEigenpairs(*eps, EPS_LARGEST_REAL));
  if (all)
    PetscCall(EPSSetType(*eps, EPSLAPACK));
  else
    PetscCall(EPSSetDimensions(*eps, 10, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(EPSSetTolerances(*eps, 1e-12, 5000));
  PetscCall(EPSSetFromOptions(*eps));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Once N is known: all N eigenvalues with -spec_all; otherwise, unless -eps_ncv was given, a
   subspace of max(2 nev, nev + 50) vectors (at most N): the rightmost eigenvalues of a random
   matrix crowd at the edge of the bulk, where a small subspace converges slowly. */
PetscErrorCode NdSpectrumSetSize(EPS eps, PetscInt N, PetscBool all)
{
  PetscInt    nev, ncv, mpd;
  PetscBool   ncv_set;
  const char *prefix;

  PetscFunctionBegin;
  if (all) {
    PetscCall(EPSSetDimensions(eps, N, N, N));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(EPSGetOptionsPrefix(eps, &prefix));
  PetscCall(PetscOptionsHasName(NULL, prefix, "-eps_ncv", &ncv_set));
  PetscCall(EPSGetDimensions(eps, &nev, &ncv, &mpd));
  nev = PetscMin(nev, N);
  if (!ncv_set) ncv = PetscMin(N, PetscMax(2 * nev, nev + 50));
  PetscCall(EPSSetDimensions(eps, nev, ncv, PETSC_DEFAULT));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The basic stopping test, and the iteration also ends (EPS_CONVERGED_USER) once any rank has
   caught SIGTERM or SIGUSR1 (called by every rank at every restart: the check is collective) */
static PetscErrorCode NdEPSStoppingSignal(EPS eps, PetscInt its, PetscInt max_it, PetscInt nconv, PetscInt nev,
                                          EPSConvergedReason *reason, void *ctx)
{
  int signum;

  PetscFunctionBegin;
  PetscCall(EPSStoppingBasic(eps, its, max_it, nconv, nev, reason, ctx));
  PetscCall(NdCheckpointSignalReceived(PetscObjectComm((PetscObject)eps), &signum));
  if (signum && *reason == EPS_CONVERGED_ITERATING) *reason = EPS_CONVERGED_USER;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdEPSStopOnSignal(EPS eps)
{
  PetscBool dense;

  PetscFunctionBegin;
  /* the dense solvers take only the default test (and have no iterations to stop) */
  PetscCall(PetscObjectTypeCompareAny((PetscObject)eps, &dense, EPSLAPACK, EPSSCALAPACK, EPSELPA, EPSELEMENTAL, ""));
  if (!dense) PetscCall(EPSSetStoppingTestFunction(eps, NdEPSStoppingSignal, NULL, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}
