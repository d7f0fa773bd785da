/* The stationary covariance of dx = A x dt + sigma dW: A C + C A^T + sigma^2 I = 0, by dense
   Bartels-Stewart on rank 0. With the real Schur form A = Q T Q^T (LAPACK gees), the right-hand
   side stays sigma^2 I (Q is orthogonal), so T Y + Y T^T = -sigma^2 I is solved by trsyl and
   C = Q Y Q^T. SLEPc's LME solver needs a low-rank right-hand side, which sigma^2 I is not: it
   serves noise on a few units (NdLyapunovSolveLowRank). */
#include <neurodyn/spectrum.h>
#include <petscblaslapack.h>
#include <slepcblaslapack.h>
#include <slepclme.h>

/* LAPACK 3.10+ has a blocked (level-3) triangular Sylvester solver, much faster than trsyl for
   N in the thousands; it is used when the linked LAPACK provides it (a weak reference). */
extern void dtrsyl3_(const char *, const char *, const PetscBLASInt *, const PetscBLASInt *, const PetscBLASInt *,
                     const PetscReal *, const PetscBLASInt *, const PetscReal *, const PetscBLASInt *, PetscReal *,
                     const PetscBLASInt *, PetscReal *, PetscBLASInt *, const PetscBLASInt *, PetscReal *,
                     const PetscBLASInt *, PetscBLASInt *) __attribute__((weak));

/* T Y + Y T^T = scale * Y (in place) */
static PetscErrorCode NdTriangularSylvester(PetscBLASInt n, const PetscReal T[], PetscReal Y[], PetscReal *scale,
                                            PetscBLASInt *info)
{
  const PetscBLASInt isgn = 1;

  PetscFunctionBegin;
  if (dtrsyl3_) {
    PetscBLASInt iquery[2], liwork = -1, ldswork = -1, *iwork;
    PetscReal    squery[2], *swork;
    dtrsyl3_("N", "T", &isgn, &n, &n, T, &n, T, &n, Y, &n, scale, iquery, &liwork, squery, &ldswork, info);
    liwork  = iquery[0];
    ldswork = (PetscBLASInt)squery[0];
    PetscCall(PetscMalloc2(liwork, &iwork, (size_t)ldswork * (PetscBLASInt)squery[1], &swork));
    dtrsyl3_("N", "T", &isgn, &n, &n, T, &n, T, &n, Y, &n, scale, iwork, &liwork, swork, &ldswork, info);
    PetscCall(PetscFree2(iwork, swork));
  } else
    PetscCallBLAS("LAPACKtrsyl", LAPACKtrsyl_("N", "T", &isgn, &n, &n, T, &n, T, &n, Y, &n, scale, info));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdMatGatherDense(Mat A, PetscReal **dense)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)A);
  PetscMPIInt        rank;
  PetscInt           N;
  IS                 is;
  Mat               *sub, D;
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(ISCreateStride(PETSC_COMM_SELF, rank ? 0 : N, 0, 1, &is));
  PetscCall(MatCreateSubMatrices(A, 1, &is, &is, MAT_INITIAL_MATRIX, &sub));
  *dense = NULL;
  if (!rank) {
    PetscCall(MatConvert(sub[0], MATSEQDENSE, MAT_INITIAL_MATRIX, &D));
    PetscCall(PetscMalloc1((size_t)N * N, dense));
    PetscCall(MatDenseGetArrayRead(D, &a));
    PetscCall(PetscArraycpy(*dense, a, (size_t)N * N));
    PetscCall(MatDenseRestoreArrayRead(D, &a));
    PetscCall(MatDestroy(&D));
  }
  PetscCall(MatDestroySubMatrices(1, &sub));
  PetscCall(ISDestroy(&is));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLyapunovSolveDense(Mat A, PetscReal sigma, PetscReal **covariance)
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)A);
  PetscMPIInt  rank;
  PetscInt     N;
  PetscReal   *T, *Q = NULL, *Y = NULL, *W = NULL, *wr = NULL, *wi = NULL, *work = NULL, scale = 1, one = 1, zero = 0;
  PetscBLASInt n, sdim, lwork, info = 0;
  char         msg[256] = "";

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(NdMatGatherDense(A, &T));
  *covariance = NULL;
  if (!rank) {
    PetscCall(PetscBLASIntCast(N, &n));
    lwork = 3 * n;
    PetscCall(PetscMalloc1((size_t)N * N, &Y));
    PetscCall(PetscMalloc5((size_t)N * N, &Q, (size_t)N * N, &W, N, &wr, N, &wi, lwork, &work));
    PetscCall(PetscFPTrapPush(PETSC_FP_TRAP_OFF));
    PetscCallBLAS("LAPACKgees",
                  LAPACKgees_("V", "N", NULL, &n, T, &n, &sdim, wr, wi, Q, &n, work, &lwork, NULL, &info));
    for (PetscInt i = 0; i < N && !info; i++)
      if (wr[i] >= 0) {
        PetscCall(PetscSNPrintf(msg, sizeof(msg),
                                "the fixed point is not stable (eigenvalue %g%+gi of A): no stationary covariance",
                                (double)wr[i], (double)wi[i]));
        break;
      }
    if (info) PetscCall(PetscSNPrintf(msg, sizeof(msg), "LAPACK gees (Schur form of A) failed: info %d", (int)info));
    if (!msg[0]) {
      PetscCall(PetscArrayzero(Y, (size_t)N * N));
      for (PetscInt i = 0; i < N; i++) Y[i * N + i] = -sigma * sigma;
      PetscCall(NdTriangularSylvester(n, T, Y, &scale, &info));
      for (PetscInt k = 0; k < N * N; k++) Y[k] /= scale;
      /* C = Q Y Q^T */
      PetscCallBLAS("BLASgemm", BLASgemm_("N", "N", &n, &n, &n, &one, Q, &n, Y, &n, &zero, W, &n));
      PetscCallBLAS("BLASgemm", BLASgemm_("N", "T", &n, &n, &n, &one, W, &n, Q, &n, &zero, Y, &n));
      if (info) PetscCall(PetscSNPrintf(msg, sizeof(msg), "LAPACK trsyl: A and -A^T nearly share eigenvalues"));
    }
    PetscCall(PetscFPTrapPop());
    PetscCall(PetscFree(T));
    if (msg[0]) PetscCall(PetscFree(Y));
    *covariance = Y;
    PetscCall(PetscFree5(Q, W, wr, wi, work));
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_NOT_CONVERGED, msg, sizeof(msg)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The low-rank Lyapunov solver, configured from the -cov_lme_* options (before the command's
   check for unused options, so that they count as read) */
PetscErrorCode NdLyapunovCreateLME(MPI_Comm comm, LME *lme)
{
  PetscFunctionBegin;
  PetscCall(LMECreate(comm, lme));
  PetscCall(LMESetOptionsPrefix(*lme, "cov_"));
  PetscCall(LMESetProblemType(*lme, LME_LYAPUNOV));
  PetscCall(LMESetTolerances(*lme, 1e-12, PETSC_DEFAULT));
  PetscCall(LMESetFromOptions(*lme));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Noise on a few units only: A C + C A^T + B B^T = 0 with B = sigma [e_k, k in units] (rank r),
   solved by lme (Krylov; NdLyapunovCreateLME) for a low-rank factor, C = L L^T. L is returned as
   a dense N x rank(L) matrix distributed by rows like A. */
PetscErrorCode NdLyapunovSolveLowRank(LME lme, Mat A, PetscReal sigma, PetscInt nunits, const PetscInt units[], Mat *L)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)A);
  Mat                B, C, X, U;
  PetscInt           N, n, rstart, rend;
  LMEConvergedReason reason;
  PetscErrorCode     ierr;

  PetscFunctionBegin;
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(MatGetLocalSize(A, &n, NULL));
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  PetscCall(MatCreateDense(comm, n, PETSC_DECIDE, N, nunits, NULL, &B));
  for (PetscInt k = 0; k < nunits; k++)
    if (units[k] >= rstart && units[k] < rend) PetscCall(MatSetValue(B, units[k], k, sigma, INSERT_VALUES));
  PetscCall(MatAssemblyBegin(B, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(B, MAT_FINAL_ASSEMBLY));
  PetscCall(MatCreateLRC(NULL, B, NULL, NULL, &C)); /* C = B B^T: SLEPc solves A X + X A^T = -C */
  PetscCall(LMESetCoefficients(lme, A, NULL, NULL, NULL));
  PetscCall(LMESetRHS(lme, C));
  /* an unstable A makes the projected equations indefinite: SLEPc's Cholesky fails inside */
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = LMESolve(lme);
  PetscCall(PetscPopErrorHandler());
  PetscCheck(!ierr, comm, PETSC_ERR_NOT_CONVERGED,
             "SLEPc's Lyapunov solver failed (PETSc error %d): is the fixed point stable? (`neurodyn spectrum` "
             "with the same options tells)",
             (int)ierr);
  PetscCall(LMEGetConvergedReason(lme, &reason));
  PetscCheck(
      reason > 0, comm, PETSC_ERR_NOT_CONVERGED,
      "SLEPc's Lyapunov solver did not converge (%s): is the fixed point stable? (-cov_lme_max_it, -cov_lme_tol, "
      "-cov_lme_ncv)",
      LMEConvergedReasons[reason]);
  PetscCall(LMEGetSolution(lme, &X));
  PetscCall(MatLRCGetMats(X, NULL, &U, NULL, NULL));
  PetscCall(MatDuplicate(U, MAT_COPY_VALUES, L));
  PetscCall(MatDestroy(&C));
  PetscCall(MatDestroy(&B));
  PetscFunctionReturn(PETSC_SUCCESS);
}
