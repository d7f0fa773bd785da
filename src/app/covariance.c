/* neurodyn covariance: the stationary covariance C of dx = A x dt + sigma dW linearised at the
   fixed point (A C + C A^T + sigma^2 I = 0, docs/models/rate.md), and the statistics
   users ask for; written to /covariance. Noise on every unit: dense Bartels-Stewart; noise on a
   few units (-cov_noise_units): SLEPc's low-rank Lyapunov solver, for large N. */
#include <neurodyn/app.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/output.h>
#include <neurodyn/spectrum.h>
#include <petscblaslapack.h>

/* The same statistics from a low-rank factor C = L L^T (L: N x r, rows distributed): the nonzero
   eigenvalues of C are those of L^T L; with u_i = l_i / |l_i|, sum_{i<j} rho_ij = (|sum u_i|^2 - n)/2
   and sum_{i<j} rho_ij^2 = (|sum u_i u_i^T|_F^2 - n)/2 over the n units with variance. Every rank
   gets the eigenvalues and the three statistics; var holds the local variances. */
static PetscErrorCode NdCovarianceStatisticsLowRank(Mat L, NdCovStats *s, PetscInt *rank_out)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)L);
  const PetscScalar *l;
  PetscInt           n, r, lda;
  PetscReal         *G, *Gu, *S, *work, tr = 0, tr2 = 0, su = 0, fro = 0, cnt = 0, npair;
  PetscBLASInt       br, lwork, info;

  PetscFunctionBegin;
  PetscCall(MatGetLocalSize(L, &n, NULL));
  PetscCall(MatGetSize(L, NULL, &r));
  PetscCall(MatDenseGetLDA(L, &lda));
  PetscCall(PetscCalloc3(r * r, &G, r * r + r + 1, &Gu, 3 * r + 1, &work));
  S = Gu + r * r;
  PetscCall(MatDenseGetArrayRead(L, &l));
  for (PetscInt i = 0; i < n; i++) {
    PetscReal v = 0;
    for (PetscInt a = 0; a < r; a++) v += l[a * lda + i] * l[a * lda + i];
    s->var[i] = v;
    for (PetscInt a = 0; a < r; a++)
      for (PetscInt b = 0; b < r; b++) G[a * r + b] += l[a * lda + i] * l[b * lda + i];
    if (v <= 0) continue;
    cnt += 1;
    for (PetscInt a = 0; a < r; a++) {
      S[a] += l[a * lda + i] / PetscSqrtReal(v);
      for (PetscInt b = 0; b < r; b++) Gu[a * r + b] += l[a * lda + i] * l[b * lda + i] / v;
    }
  }
  PetscCall(MatDenseRestoreArrayRead(L, &l));
  Gu[r * r + r] = cnt;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, G, r * r, MPIU_REAL, MPIU_SUM, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, Gu, r * r + r + 1, MPIU_REAL, MPIU_SUM, comm));
  cnt = Gu[r * r + r];
  for (PetscInt a = 0; a < r; a++) {
    su += S[a] * S[a];
    for (PetscInt b = 0; b < r; b++) fro += Gu[a * r + b] * Gu[a * r + b];
  }
  PetscCall(PetscBLASIntCast(r, &br));
  lwork = 3 * br;
  PetscCall(PetscFPTrapPush(PETSC_FP_TRAP_OFF));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &br, G, &br, s->eig, work, &lwork, &info));
  PetscCall(PetscFPTrapPop());
  PetscCheck(!info, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK syev failed: info %d", (int)info);
  for (PetscInt i = 0; i < r / 2; i++) {
    PetscReal t       = s->eig[i];
    s->eig[i]         = s->eig[r - 1 - i];
    s->eig[r - 1 - i] = t;
  }
  for (PetscInt a = 0; a < r; a++) {
    tr += s->eig[a];
    tr2 += s->eig[a] * s->eig[a];
  }
  npair        = cnt * (cnt - 1) / 2;
  s->pr        = tr * tr / tr2;
  s->mean_corr = npair > 0 ? (su - cnt) / 2 / npair : 0;
  s->std_corr  = npair > 0 ? PetscSqrtReal(PetscMax((fro - cnt) / 2 / npair - s->mean_corr * s->mean_corr, 0)) : 0;
  *rank_out    = r;
  PetscCall(PetscFree3(G, Gu, work));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The amplitude of a stochastic system's noise, which must be additive and the same on every unit
   (B = sigma I in A C + C A^T + B B^T = 0) */
static PetscErrorCode NdCovarianceSystemSigma(NdSystem sys, PetscReal *sigma)
{
  Vec       x, G;
  PetscReal lo, hi;

  PetscFunctionBegin;
  PetscCall(NdSystemSetUp(sys));
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(VecDuplicate(x, &G));
  PetscCall(NdSystemGetInitialState(sys, x));
  PetscCall(NdSystemComputeDiffusion(sys, 0.0, x, G));
  PetscCall(VecMin(G, NULL, &lo));
  PetscCall(VecMax(G, NULL, &hi));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&G));
  PetscCheck(lo == hi, PetscObjectComm((PetscObject)sys), PETSC_ERR_SUP,
             "covariance needs the same noise amplitude on every unit (the system's ranges from %g to %g)", (double)lo,
             (double)hi);
  *sigma = hi;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The exact (linearised) covariance at the fixed point x: dense or low rank, its statistics in s,
   stats[] = participation ratio, mean and std of the correlations on every rank */
static PetscErrorCode NdCovarianceSolve(Mat A, PetscReal sigma, LME lme, PetscInt nunits, const PetscInt units[],
                                        PetscReal **C, Mat *L, NdCovStats *s, PetscInt *rank_L, PetscReal stats[3])
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)A);
  PetscMPIInt rank;
  PetscInt    N;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MatGetSize(A, &N, NULL));
  if (nunits > 0) {
    PetscCall(NdLyapunovSolveLowRank(lme, A, sigma, nunits, units, L));
    PetscCall(NdCovarianceStatisticsLowRank(*L, s, rank_L));
  } else {
    PetscCall(NdLyapunovSolveDense(A, sigma, C));
    if (!rank) PetscCall(NdCovarianceStatistics(N, *C, NULL, s));
  }
  stats[0] = s->pr;
  stats[1] = s->mean_corr;
  stats[2] = s->std_corr;
  if (nunits == 0) PetscCallMPI(MPI_Bcast(stats, 3, MPIU_REAL, 0, comm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* /covariance: the fixed point, the statistics, and C (-cov_matrix) or its low-rank factor */
static PetscErrorCode NdCovarianceWrite(NdOutput out, Vec x, PetscReal sigma, PetscInt nunits, const PetscInt units[],
                                        const PetscReal C[], Mat L, const NdCovStats *s, PetscInt rank_L,
                                        const PetscReal stats[3], PetscBool matrix, PetscReal seconds)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)x);
  PetscMPIInt rank;
  PetscInt    N;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetSize(x, &N));
  if (L) { /* the nonzero eigenvalues, the local variances, and the factor L (row-major) */
    PetscInt           n, rstart, lda;
    const PetscScalar *l;
    PetscReal         *rows;
    int64_t           *ids;
    PetscCall(MatGetLocalSize(L, &n, NULL));
    PetscCall(MatGetOwnershipRange(L, &rstart, NULL));
    PetscCall(MatDenseGetLDA(L, &lda));
    PetscCall(NdOutputWriteSharedArray(out, "/covariance/eigenvalues", rank_L, 0, s->eig, "1"));
    PetscCall(NdOutputWriteArray(out, "/covariance/variance", N, 0, rstart, n, s->var, "1"));
    PetscCall(PetscMalloc1(PetscMax(n * rank_L, 1), &rows));
    PetscCall(MatDenseGetArrayRead(L, &l));
    for (PetscInt i = 0; i < n; i++)
      for (PetscInt a = 0; a < rank_L; a++) rows[i * rank_L + a] = l[a * lda + i];
    PetscCall(MatDenseRestoreArrayRead(L, &l));
    PetscCall(NdOutputWriteArray(out, "/covariance/factor", N, rank_L, rstart, n, rows, "1"));
    PetscCall(PetscFree(rows));
    PetscCall(PetscMalloc1(nunits, &ids));
    for (PetscInt k = 0; k < nunits; k++) ids[k] = units[k];
    PetscCall(NdOutputWriteArrayInt64(out, "/covariance/noise_units", nunits, 0, 0, rank ? 0 : nunits, ids, NULL));
    PetscCall(PetscFree(ids));
    PetscCall(NdOutputWriteAttributeString(out, "/covariance", "method", "lme"));
  } else {
    PetscCall(NdOutputWriteSharedArray(out, "/covariance/eigenvalues", N, 0, s->eig, "1"));
    PetscCall(NdOutputWriteSharedArray(out, "/covariance/variance", N, 0, s->var, "1"));
    PetscCall(NdOutputWriteAttributeString(out, "/covariance", "method", "dense"));
  }
  PetscCall(NdOutputWriteScalar(out, "/covariance/participation_ratio", stats[0], "1"));
  PetscCall(NdOutputWriteScalar(out, "/covariance/mean_correlation", stats[1], "1"));
  PetscCall(NdOutputWriteScalar(out, "/covariance/std_correlation", stats[2], "1"));
  PetscCall(NdOutputWriteAttributeReal(out, "/covariance", "sigma", sigma));
  PetscCall(NdOutputWriteAttributeReal(out, "/covariance", "solve_seconds", seconds));
  if (matrix) {
    NdDataset ds;
    PetscCall(NdOutputCreateDataset(out, "/covariance/C", rank ? 0 : N, N, PETSC_FALSE, "1", &ds));
    for (PetscInt i = 0; i < N; i++) PetscCall(NdDatasetAppendRow(ds, rank ? NULL : C + i * N));
    PetscCall(NdDatasetDestroy(&ds));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandCovariance(const NdCommandLine *cl)
{
  MPI_Comm           comm = PETSC_COMM_WORLD;
  NdSystem           sys;
  NdOutput           out;
  SNES               snes;
  LME                lme = NULL;
  Mat                A;
  Vec                x;
  PetscReal          sigma = 1.0, *C = NULL, stats[3] = {0, 0, 0};
  PetscInt           N, max_n = 5000, units[1025], nunits = 1025, rank_L = 0;
  PetscBool          lowrank = PETSC_FALSE, exact = PETSC_TRUE, theory, theory_dense, theory_gain_at_x, fixed_point;
  Mat                L     = NULL;
  PetscBool          quiet = PETSC_FALSE, matrix = PETSC_FALSE, help, sigma_set, noisy;
  char               start[PETSC_MAX_PATH_LEN] = "";
  NdCovStats         s                         = {0};
  NdLinearEquivalent le;
  PetscLogDouble     wall0 = 0, wall1 = 0;

  PetscFunctionBegin;
  PetscCall(NdInitializePackage());
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscOptionsBegin(comm, NULL, "Covariance options", "neurodyn covariance");
  PetscCall(PetscOptionsReal("-cov_sigma",
                             "Noise amplitude sigma (white noise sigma xi on every unit; default: the system's, or 1)",
                             "", sigma, &sigma, &sigma_set));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-cov_matrix",
                          "Write the whole N x N covariance (/covariance/C; with -cov_theory, C(omega))", matrix,
                          &matrix, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cov_max_n",
                         "Largest N for the dense solvers (memory 5 N^2 doubles on rank 0, 12 N^2 for -cov_theory)", 1,
                         PETSC_MAX_INT, &max_n, NULL));
  PetscCall(NdOptionsIntArray(PetscOptionsObject, "-cov_noise_units",
                              "Noise on these units only (a low-rank right-hand side: SLEPc's Lyapunov solver)", 0,
                              PETSC_MAX_INT, units, &nunits, &lowrank));
  PetscCall(PetscOptionsString("-cov_start", "Start Newton from the last state of this simulate output", "", start,
                               start, sizeof(start), NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-cov_exact",
                          "The covariance at the fixed point (false: the theory alone, e.g. for a chaotic network)",
                          exact, &exact, NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No summary line", quiet, &quiet, NULL));
  PetscOptionsEnd();
  if (lowrank)
    PetscCall(NdOptionsCheckListRoom(comm, "-cov_noise_units", nunits, 1024));
  else
    nunits = 0;
  PetscCheck(sigma > 0, comm, PETSC_ERR_USER_INPUT, "-cov_sigma must be > 0 (got %g)", (double)sigma);
  PetscCall(NdLinearEquivalentCreate(comm, &le));
  PetscCall(NdLinearEquivalentSetFromOptions(le, matrix));
  PetscCall(NdLinearEquivalentIsOn(le, &theory, &theory_dense));
  PetscCall(NdLinearEquivalentNeedsFixedPoint(le, &theory_gain_at_x));
  PetscCheck(exact || theory, comm, PETSC_ERR_USER_INPUT,
             "-cov_exact false leaves nothing to compute without -cov_theory linear_equivalent");
  PetscCheck(exact || !lowrank, comm, PETSC_ERR_USER_INPUT,
             "-cov_noise_units is for the exact covariance: not with -cov_exact false");
  if (theory) {
    PetscBool rate;
    PetscCall(PetscObjectTypeCompare((PetscObject)sys, NDSYSTEMRATE, &rate));
    PetscCheck(rate, comm, PETSC_ERR_USER_INPUT,
               "-cov_theory linear_equivalent is the theory of the rate network: needs -sys_type rate");
  }
  PetscCall(NdSystemHasNoise(sys, &noisy));
  if (noisy && !sigma_set) PetscCall(NdCovarianceSystemSigma(sys, &sigma));
  PetscCall(NdFixedPointCreateSNES(sys, &snes));
  if (nunits > 0) PetscCall(NdLyapunovCreateLME(comm, &lme));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscCall(NdSystemSetUp(sys));
    PetscCall(NdSystemCreateVector(sys, &x));
    PetscCall(VecGetSize(x, &N)); /* unknowns: nodes times variables per node */
    PetscCall(NdOptionsCheckUnitList(comm, "-cov_noise_units", nunits, units, N));
    PetscCheck(
        !(lowrank && matrix), comm, PETSC_ERR_USER_INPUT,
        "-cov_matrix: with -cov_noise_units the covariance is written as its low-rank factor /covariance/factor");
    PetscCheck((lowrank || !exact) && !theory_dense ? PETSC_TRUE : N <= max_n, comm, PETSC_ERR_USER_INPUT,
               "the dense covariance solvers are for N up to -cov_max_n = %" PetscInt_FMT " (N = %" PetscInt_FMT ")",
               max_n, N);
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  NdErrorSetConfiguring(PETSC_FALSE);
  if (help) {
    PetscCall(LMEDestroy(&lme));
    PetscCall(NdLinearEquivalentDestroy(&le));
    PetscCall(SNESDestroy(&snes));
    PetscCall(NdOutputDestroy(&out));
    PetscCall(NdSystemDestroy(&sys));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdSystemGetInitialState(sys, x));
  if (start[0]) PetscCall(NdReadFinalState(sys, start, "-cov_start", x));
  PetscCall(NdSystemCreateJacobianMatrix(sys, &A));
  /* the fixed point is needed for the exact C and for the default gain <phi'(x*)>; the theory
     with a measured or given gain does without (a chaotic network has no stable x*) */
  fixed_point = (PetscBool)(exact || theory_gain_at_x);
  if (fixed_point)
    PetscCall(NdSystemSolveFixedPoint(sys, snes, x, A));
  else
    PetscCall(NdSystemComputeJacobian(sys, 0.0, x, A)); /* assembled: the theory copies J into it */
  PetscCall(NdSignalStop(comm, out, "after the fixed point"));
  if (exact) {
    PetscCall(PetscMalloc2(N, &s.eig, N, &s.var));
    PetscCall(PetscTime(&wall0));
    PetscCall(NdCovarianceSolve(A, sigma, lme, nunits, units, &C, &L, &s, &rank_L, stats));
    PetscCall(PetscTime(&wall1));
    PetscCall(NdSignalStop(comm, out, "after the covariance solve"));
  }
  if (theory) {
    PetscCall(NdLinearEquivalentCompute(le, sys, x, A, sigma_set || noisy ? sigma : 0));
    PetscCall(NdSignalStop(comm, out, "after the linear-equivalent theory"));
  }

  PetscCall(NdOutputOpen(out));
  PetscCall(NdSystemWriteDescription(sys, out));
  if (exact) {
    PetscCall(NdSystemWriteState(sys, out, "/covariance/fixed_point", x));
    PetscCall(
        NdCovarianceWrite(out, x, sigma, nunits, units, C, L, &s, rank_L, stats, matrix, (PetscReal)(wall1 - wall0)));
  }
  if (theory) PetscCall(NdLinearEquivalentWrite(le, out));
  PetscCall(NdOutputMarkComplete(out));
  if (!quiet) {
    const char *name;
    char        clause[256] = "";
    PetscCall(NdOutputGetFileName(out, &name));
    PetscCall(PetscPrintf(comm, "neurodyn: covariance of N = %" PetscInt_FMT " units", N));
    if (exact)
      PetscCall(PetscPrintf(comm, ": participation ratio %g, correlations %g +- %g; %.2f s", (double)stats[0],
                            (double)stats[1], (double)stats[2], (double)(wall1 - wall0)));
    if (theory) PetscCall(NdLinearEquivalentSummary(le, clause, sizeof(clause)));
    PetscCall(PetscPrintf(comm, "%s%s; wrote %s\n", theory ? "; " : "", clause, name));
  }
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(PetscFree(C));
  PetscCall(MatDestroy(&L));
  PetscCall(PetscFree2(s.eig, s.var));
  PetscCall(NdLinearEquivalentDestroy(&le));
  PetscCall(VecDestroy(&x));
  PetscCall(MatDestroy(&A));
  PetscCall(SNESDestroy(&snes));
  PetscCall(LMEDestroy(&lme));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
