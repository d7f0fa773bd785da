/* neurodyn covariance: the stationary covariance C of dx = A x dt + sigma dW linearised at the
   fixed point (A C + C A^T + sigma^2 I = 0, MODELS.md section 5 and A5), and the statistics
   users ask for; written to /covariance. */
#include <neurodyn/app.h>
#include <neurodyn/output.h>
#include <neurodyn/spectrum.h>
#include <petscblaslapack.h>

typedef struct {
  PetscReal pr, mean_corr, std_corr, *eig, *var;
} NdCovStats;

/* On rank 0: eigenvalues of C (descending), participation ratio (tr C)^2 / tr C^2, and the mean
   and standard deviation of the pairwise correlations C_ij / sqrt(C_ii C_jj), i < j */
static PetscErrorCode NdCovarianceStatistics(PetscInt N, const PetscReal C[], NdCovStats *s)
{
  PetscReal   *work, *copy, tr = 0, tr2 = 0, sum = 0, sum2 = 0, npair = (PetscReal)N * (N - 1) / 2;
  PetscBLASInt n, lwork, info;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(N, &n));
  lwork = 3 * n;
  PetscCall(PetscMalloc2((size_t)N * N, &copy, lwork, &work));
  PetscCall(PetscArraycpy(copy, C, (size_t)N * N));
  PetscCall(PetscFPTrapPush(PETSC_FP_TRAP_OFF));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &n, copy, &n, s->eig, work, &lwork, &info));
  PetscCall(PetscFPTrapPop());
  PetscCheck(!info, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK syev failed: info %d", (int)info);
  for (PetscInt i = 0; i < N / 2; i++) { /* ascending -> descending */
    PetscReal t       = s->eig[i];
    s->eig[i]         = s->eig[N - 1 - i];
    s->eig[N - 1 - i] = t;
  }
  for (PetscInt i = 0; i < N; i++) {
    s->var[i] = C[i * N + i];
    tr += s->eig[i];
    tr2 += s->eig[i] * s->eig[i];
  }
  for (PetscInt j = 0; j < N; j++)
    for (PetscInt i = 0; i < j; i++) {
      PetscReal r = C[j * N + i] / PetscSqrtReal(C[i * N + i] * C[j * N + j]);
      sum += r;
      sum2 += r * r;
    }
  s->pr        = tr * tr / tr2;
  s->mean_corr = npair > 0 ? sum / npair : 0;
  s->std_corr  = npair > 0 ? PetscSqrtReal(PetscMax(sum2 / npair - s->mean_corr * s->mean_corr, 0)) : 0;
  PetscCall(PetscFree2(copy, work));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandCovariance(const NdCommandLine *cl)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  NdSystem       sys;
  NdOutput       out;
  SNES           snes;
  Mat            A;
  Vec            x;
  PetscReal      sigma = 1.0, *C = NULL, stats[3];
  PetscInt       N, max_n        = 5000;
  PetscBool      quiet = PETSC_FALSE, matrix = PETSC_FALSE, help;
  PetscMPIInt    rank;
  NdCovStats     s;
  PetscLogDouble wall0, wall1;

  PetscFunctionBegin;
  PetscCall(NdInitializePackage());
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscOptionsBegin(comm, NULL, "Covariance options", "neurodyn covariance");
  PetscCall(PetscOptionsReal("-cov_sigma", "Noise amplitude sigma (white noise sigma xi on every unit)", "", sigma,
                             &sigma, NULL));
  PetscCall(
      PetscOptionsBool("-cov_matrix", "Write the whole N x N covariance (/covariance/C)", "", matrix, &matrix, NULL));
  PetscCall(PetscOptionsInt("-cov_max_n", "Largest N for the dense solver (memory 5 N^2 doubles on rank 0)", "", max_n,
                            &max_n, NULL));
  PetscCall(PetscOptionsBool("-quiet", "No summary line", "", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCheck(sigma > 0, comm, PETSC_ERR_USER_INPUT, "-cov_sigma must be > 0 (got %g)", (double)sigma);
  PetscCall(NdFixedPointCreateSNES(sys, &snes));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscCall(NdSystemSetUp(sys));
    PetscCall(NdSystemGetNodes(sys, &N, NULL, NULL));
    PetscCheck(N <= max_n, comm, PETSC_ERR_USER_INPUT,
               "the dense covariance solver is for N up to -cov_max_n = %" PetscInt_FMT " (N = %" PetscInt_FMT ")",
               max_n, N);
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  NdErrorSetConfiguring(PETSC_FALSE);
  if (help) {
    PetscCall(SNESDestroy(&snes));
    PetscCall(NdOutputDestroy(&out));
    PetscCall(NdSystemDestroy(&sys));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(NdSystemGetInitialState(sys, x));
  PetscCall(NdSystemCreateJacobianMatrix(sys, &A));
  PetscCall(NdSystemSolveFixedPoint(sys, snes, x, A));
  PetscCall(PetscTime(&wall0));
  PetscCall(NdLyapunovSolveDense(A, sigma, &C));
  PetscCall(PetscMalloc2(N, &s.eig, N, &s.var));
  if (!rank) {
    PetscCall(NdCovarianceStatistics(N, C, &s));
    stats[0] = s.pr;
    stats[1] = s.mean_corr;
    stats[2] = s.std_corr;
  }
  PetscCallMPI(MPI_Bcast(stats, 3, MPIU_REAL, 0, comm));
  PetscCall(PetscTime(&wall1));

  PetscCall(NdOutputOpen(out));
  PetscCall(NdSystemWriteDescription(sys, out));
  PetscCall(NdOutputWriteVecRow(out, "/covariance/fixed_point", x, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/covariance/eigenvalues", N, 0, s.eig, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/covariance/variance", N, 0, s.var, "1"));
  PetscCall(NdOutputWriteScalar(out, "/covariance/participation_ratio", stats[0], "1"));
  PetscCall(NdOutputWriteScalar(out, "/covariance/mean_correlation", stats[1], "1"));
  PetscCall(NdOutputWriteScalar(out, "/covariance/std_correlation", stats[2], "1"));
  PetscCall(NdOutputWriteAttributeReal(out, "/covariance", "sigma", sigma));
  PetscCall(NdOutputWriteAttributeReal(out, "/covariance", "solve_seconds", (PetscReal)(wall1 - wall0)));
  if (matrix) {
    NdDataset ds;
    PetscCall(NdOutputCreateDataset(out, "/covariance/C", rank ? 0 : N, N, PETSC_FALSE, "1", &ds));
    for (PetscInt i = 0; i < N; i++) PetscCall(NdDatasetAppendRow(ds, rank ? NULL : C + i * N));
    PetscCall(NdDatasetDestroy(&ds));
  }
  PetscCall(NdOutputMarkComplete(out));
  if (!quiet) {
    const char *name;
    PetscCall(NdOutputGetFileName(out, &name));
    PetscCall(PetscPrintf(comm,
                          "neurodyn: covariance of N = %" PetscInt_FMT
                          " units: participation ratio %g, correlations %g +- %g; %.2f s; wrote %s\n",
                          N, (double)stats[0], (double)stats[1], (double)stats[2], (double)(wall1 - wall0), name));
  }
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(PetscFree(C));
  PetscCall(PetscFree2(s.eig, s.var));
  PetscCall(VecDestroy(&x));
  PetscCall(MatDestroy(&A));
  PetscCall(SNESDestroy(&snes));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
