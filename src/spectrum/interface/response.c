/* Linear response chi(omega) u = (i omega - A)^{-1} u in real arithmetic (MODELS.md section 5):

     [[-A, -omega], [omega, -A]] [xr; xi] = [u; 0]

   applied matrix-free (two products with A per iteration, no 2N matrix stored) and solved by
   GMRES, preconditioned by the exact inverse of the omega block P = [[1, -omega], [omega, 1]]
   (the system with J = 0): P^{-1} = [[1, omega], [-omega, 1]] / (1 + omega^2). It costs O(N),
   needs no set-up, and serves every frequency; the iteration count grows only as the
   spectral radius of J D approaches 1. Each rank stores its rows of xr, then its rows of xi. */
#include <neurodyn/spectrum.h>

struct _n_NdResponse {
  Mat                A, M;
  KSP                ksp;
  PetscReal          omega;
  Vec                zr, zi, yr, yi; /* views of the two halves */
  Vec                rhs, sol;
  const PetscScalar *za;
  PetscScalar       *ya;
};

static PetscErrorCode NdResponseViews(NdResponse r, Vec z, Vec y)
{
  PetscInt n;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(r->zr, &n));
  PetscCall(VecGetArrayRead(z, &r->za));
  PetscCall(VecGetArray(y, &r->ya));
  PetscCall(VecPlaceArray(r->zr, r->za));
  PetscCall(VecPlaceArray(r->zi, r->za + n));
  PetscCall(VecPlaceArray(r->yr, r->ya));
  PetscCall(VecPlaceArray(r->yi, r->ya + n));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponseViewsEnd(NdResponse r, Vec z, Vec y)
{
  PetscFunctionBegin;
  PetscCall(VecResetArray(r->zr));
  PetscCall(VecResetArray(r->zi));
  PetscCall(VecResetArray(r->yr));
  PetscCall(VecResetArray(r->yi));
  PetscCall(VecRestoreArrayRead(z, &r->za));
  PetscCall(VecRestoreArray(y, &r->ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponseMult(Mat M, Vec z, Vec y)
{
  NdResponse r;

  PetscFunctionBegin;
  PetscCall(MatShellGetContext(M, &r));
  PetscCall(NdResponseViews(r, z, y));
  PetscCall(MatMult(r->A, r->zr, r->yr)); /* yr = -A zr - omega zi */
  PetscCall(VecAXPBY(r->yr, -r->omega, -1.0, r->zi));
  PetscCall(MatMult(r->A, r->zi, r->yi)); /* yi = omega zr - A zi */
  PetscCall(VecAXPBY(r->yi, r->omega, -1.0, r->zr));
  PetscCall(NdResponseViewsEnd(r, z, y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponsePCApply(PC pc, Vec z, Vec y)
{
  NdResponse         r;
  const PetscScalar *za;
  PetscScalar       *ya;
  PetscInt           n;
  PetscReal          w, s;

  PetscFunctionBegin;
  PetscCall(PCShellGetContext(pc, &r));
  w = r->omega;
  s = 1.0 / (1.0 + w * w);
  PetscCall(VecGetLocalSize(r->zr, &n));
  PetscCall(VecGetArrayRead(z, &za));
  PetscCall(VecGetArray(y, &ya));
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal a = za[i], b = za[n + i];
    ya[i]     = s * (a + w * b);
    ya[n + i] = s * (b - w * a);
  }
  PetscCall(VecRestoreArrayRead(z, &za));
  PetscCall(VecRestoreArray(y, &ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The KSP (options prefix resp_) is configured here, before the command line is checked */
PetscErrorCode NdResponseCreate(MPI_Comm comm, NdResponse *response)
{
  NdResponse r;
  PC         pc;

  PetscFunctionBegin;
  PetscCall(PetscNew(&r));
  PetscCall(KSPCreate(comm, &r->ksp));
  PetscCall(KSPSetOptionsPrefix(r->ksp, "resp_"));
  PetscCall(KSPSetType(r->ksp, KSPGMRES));
  PetscCall(KSPGMRESSetRestart(r->ksp, 100));
  PetscCall(KSPSetTolerances(r->ksp, 1e-12, 1e-50, PETSC_DEFAULT, 10000));
  PetscCall(KSPGetPC(r->ksp, &pc));
  PetscCall(PCSetType(pc, PCSHELL));
  PetscCall(PCShellSetContext(pc, r));
  PetscCall(PCShellSetApply(pc, NdResponsePCApply));
  PetscCall(PCShellSetName(pc, "exact inverse of [[1, -omega], [omega, 1]]"));
  PetscCall(KSPSetFromOptions(r->ksp));
  *response = r;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdResponseSetOperator(NdResponse r, Mat A)
{
  PetscInt n, N;

  PetscFunctionBegin;
  r->A = A;
  PetscCall(MatGetLocalSize(A, &n, NULL));
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(MatCreateShell(PetscObjectComm((PetscObject)A), 2 * n, 2 * n, 2 * N, 2 * N, r, &r->M));
  PetscCall(MatShellSetOperation(r->M, MATOP_MULT, (void (*)(void))NdResponseMult));
  PetscCall(MatCreateVecs(r->M, &r->sol, &r->rhs));
  PetscCall(VecCreateMPIWithArray(PetscObjectComm((PetscObject)A), 1, n, N, NULL, &r->zr));
  PetscCall(VecDuplicate(r->zr, &r->zi));
  PetscCall(VecDuplicate(r->zr, &r->yr));
  PetscCall(VecDuplicate(r->zr, &r->yi));
  PetscCall(KSPSetOperators(r->ksp, r->M, r->M));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* xr + i xi = (i omega - A)^{-1} u; its = GMRES iterations. Non-convergence is an error. */
PetscErrorCode NdResponseSolve(NdResponse r, PetscReal omega, Vec u, Vec xr, Vec xi, PetscInt *its)
{
  const PetscScalar *ua, *sa;
  PetscScalar       *ra, *xa;
  PetscInt           n;
  KSPConvergedReason reason;

  PetscFunctionBegin;
  r->omega = omega;
  PetscCall(VecGetLocalSize(u, &n));
  PetscCall(VecGetArrayRead(u, &ua));
  PetscCall(VecGetArray(r->rhs, &ra));
  for (PetscInt i = 0; i < n; i++) {
    ra[i]     = ua[i];
    ra[n + i] = 0.0;
  }
  PetscCall(VecRestoreArray(r->rhs, &ra));
  PetscCall(VecRestoreArrayRead(u, &ua));
  PetscCall(KSPSolve(r->ksp, r->rhs, r->sol));
  PetscCall(KSPGetConvergedReason(r->ksp, &reason));
  PetscCall(KSPGetIterationNumber(r->ksp, its));
  PetscCheck(reason > 0, PetscObjectComm((PetscObject)r->A), PETSC_ERR_NOT_CONVERGED,
             "the response solve at omega = %g did not converge (KSP: %s after %" PetscInt_FMT
             " iterations); is the fixed point unstable (an eigenvalue of A near i omega)?",
             (double)omega, KSPConvergedReasons[reason], *its);
  PetscCall(VecGetArrayRead(r->sol, &sa));
  PetscCall(VecGetArray(xr, &xa));
  PetscCall(PetscArraycpy(xa, sa, n));
  PetscCall(VecRestoreArray(xr, &xa));
  PetscCall(VecGetArray(xi, &xa));
  PetscCall(PetscArraycpy(xa, sa + n, n));
  PetscCall(VecRestoreArray(xi, &xa));
  PetscCall(VecRestoreArrayRead(r->sol, &sa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdResponseDestroy(NdResponse *r)
{
  PetscFunctionBegin;
  if (!*r) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(KSPDestroy(&(*r)->ksp));
  PetscCall(MatDestroy(&(*r)->M));
  PetscCall(VecDestroy(&(*r)->rhs));
  PetscCall(VecDestroy(&(*r)->sol));
  PetscCall(VecDestroy(&(*r)->zr));
  PetscCall(VecDestroy(&(*r)->zi));
  PetscCall(VecDestroy(&(*r)->yr));
  PetscCall(VecDestroy(&(*r)->yi));
  PetscCall(PetscFree(*r));
  PetscFunctionReturn(PETSC_SUCCESS);
}
