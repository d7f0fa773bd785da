/* The fixed point of a system by SNES, and its Jacobian there. */
#include <neurodyn/spectrum.h>

typedef struct {
  NdSystem sys;
} NdFixedPointCtx;

static PetscErrorCode NdFixedPointFunction(SNES snes, Vec x, Vec f, void *ctx)
{
  PetscFunctionBegin;
  (void)snes;
  PetscCall(NdSystemComputeRHS(((NdFixedPointCtx *)ctx)->sys, 0.0, x, f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdFixedPointJacobian(SNES snes, Vec x, Mat A, Mat P, void *ctx)
{
  PetscFunctionBegin;
  (void)snes;
  PetscCall(NdSystemComputeJacobian(((NdFixedPointCtx *)ctx)->sys, 0.0, x, P));
  if (A != P) {
    PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Newton (SNES) with tight default tolerances; -snes_* options apply. Created before the
   command line is checked, so that its options count as used. */
PetscErrorCode NdFixedPointCreateSNES(NdSystem sys, SNES *snes)
{
  PetscFunctionBegin;
  PetscCall(SNESCreate(PetscObjectComm((PetscObject)sys), snes));
  PetscCall(SNESSetTolerances(*snes, 1e-13, 1e-12, PETSC_DEFAULT, 100, PETSC_DEFAULT));
  PetscCall(SNESSetFromOptions(*snes));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Small systems (mass models: up to this many unknowns) get Newton with a direct solve, unless
   -ksp_type or -pc_type says otherwise: the default ILU meets zero pivots in Jacobians with
   empty diagonal entries (mpr_shotnoise's filter states). In parallel PCREDUNDANT gathers the
   small matrix and factors it on each rank, which needs no external solver package. */
#define ND_FIXED_POINT_DIRECT_MAX 400

static PetscErrorCode NdFixedPointSetDefaultSolver(SNES snes, PetscInt N)
{
  KSP         ksp;
  PC          pc;
  const char *prefix;
  PetscBool   ksp_set, pc_set;
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCall(SNESGetOptionsPrefix(snes, &prefix));
  PetscCall(PetscOptionsHasName(NULL, prefix, "-ksp_type", &ksp_set));
  PetscCall(PetscOptionsHasName(NULL, prefix, "-pc_type", &pc_set));
  if (ksp_set || pc_set || N > ND_FIXED_POINT_DIRECT_MAX) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)snes), &size));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, size > 1 ? PCREDUNDANT : PCLU));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A point is accepted as a fixed point only when Newton ended with a converged reason and the
   absolute residual is small: |F(x)|_2 <= ND_FIXED_POINT_ATOL sqrt(N) (a root-mean-square residual
   of 1e-8 per unknown). SNES's relative tolerance alone would accept a start far away (|F| = 1e12)
   left at |F| = 8. */
#define ND_FIXED_POINT_ATOL 1e-8

PetscErrorCode NdSystemSolveFixedPoint(NdSystem sys, SNES snes, Vec x, Mat A)
{
  MPI_Comm            comm = PetscObjectComm((PetscObject)sys);
  Vec                 f;
  NdFixedPointCtx     ctx = {sys};
  SNESConvergedReason reason;
  PetscReal           fnorm, atol;
  PetscInt            N, its;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(x, &f));
  PetscCall(SNESSetFunction(snes, f, NdFixedPointFunction, &ctx));
  PetscCall(SNESSetJacobian(snes, A, A, NdFixedPointJacobian, &ctx));
  PetscCall(VecGetSize(x, &N));
  PetscCall(NdFixedPointSetDefaultSolver(snes, N));
  PetscCall(SNESSolve(snes, NULL, x));
  PetscCall(SNESGetConvergedReason(snes, &reason));
  PetscCall(SNESGetIterationNumber(snes, &its));
  PetscCall(NdSystemComputeRHS(sys, 0.0, x, f));
  PetscCall(VecNorm(f, NORM_2, &fnorm));
  atol = ND_FIXED_POINT_ATOL * PetscSqrtReal((PetscReal)N);
  PetscCheck(reason != SNES_DIVERGED_LINEAR_SOLVE, comm, PETSC_ERR_NOT_CONVERGED,
             "no fixed point found: Newton's linear solve failed (SNES, after %" PetscInt_FMT
             " iterations, |F| = %g); for a small system try -ksp_type preonly -pc_type lu (-ksp_converged_reason "
             "tells why)",
             its, (double)fnorm);
  PetscCheck(reason > 0 && fnorm <= atol, comm, PETSC_ERR_NOT_CONVERGED,
             "no fixed point found: Newton (SNES) stopped with %s after %" PetscInt_FMT
             " iterations at |F| = %g, above the accepted %g (1e-8 sqrt(N)); try an initial state nearer a fixed "
             "point (-init_*), -snes_linesearch_type bt or more -snes_max_it, or check that one exists for these "
             "parameters",
             SNESConvergedReasons[reason], its, (double)fnorm, (double)atol);
  PetscCall(NdSystemComputeJacobian(sys, 0.0, x, A));
  PetscCall(VecDestroy(&f));
  PetscFunctionReturn(PETSC_SUCCESS);
}
