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

/* The one set-up of an eigensolver for the rightmost eigenvalues of a Jacobian, shared by the
   linearisation (eigen) and the continuation of equilibria: non-Hermitian, largest real part, nev
   of them; dense LAPACK when dense (the whole spectrum, or a small system); tol and max_it unless
   PETSC_DEFAULT (SLEPc's own); then the -eps_* options, which override all of it. The operator is
   set later (EPSSetOperators), and the subspace once N is known (NdSpectrumSetSize). */
PetscErrorCode NdEPSCreateRightmost(MPI_Comm comm, PetscInt nev, PetscBool dense, PetscReal tol, PetscInt max_it,
                                    EPS *eps)
{
  PetscFunctionBegin;
  PetscCall(EPSCreate(comm, eps));
  PetscCall(EPSSetProblemType(*eps, EPS_NHEP));
  PetscCall(EPSSetWhichEigenpairs(*eps, EPS_LARGEST_REAL));
  PetscCall(EPSSetDimensions(*eps, nev, PETSC_DEFAULT, PETSC_DEFAULT));
  if (dense) PetscCall(EPSSetType(*eps, EPSLAPACK));
  if (tol != (PetscReal)PETSC_DEFAULT || max_it != PETSC_DEFAULT) PetscCall(EPSSetTolerances(*eps, tol, max_it));
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
