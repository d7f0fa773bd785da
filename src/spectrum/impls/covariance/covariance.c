/* covariance: the stationary covariance C of dx = A x dt + sigma dW linearised at the fixed point
   (A C + C A^T + sigma^2 I = 0, docs/models/rate.md), and the statistics users ask for; written to
   /covariance (docs/commands/covariance.md). Noise on every unit: dense Bartels-Stewart; noise on
   a few units (-cov_noise_units): SLEPc's low-rank Lyapunov solver, for large N. The type
   linear_equivalent adds the large-N cross-spectrum of a rate network at its J
   (linearequivalent.c), which covariance computes with -cov_theory linear_equivalent. */
#include <neurodyn/private/linearizationimpl.h>
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
  PetscCall(PetscFree(s->eig)); /* r eigenvalues of L^T L: r may exceed N */
  PetscCall(PetscMalloc1(r, &s->eig));
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

typedef struct {
  PetscReal          sigma;
  PetscBool          sigma_set, noisy, matrix, lowrank, exact, theory, theory_dense, theory_on;
  PetscInt           max_n, nunits, units[1025];
  LME                lme;
  NdLinearEquivalent le;
  /* results */
  PetscReal     *C; /* dense, on rank 0 */
  Mat            L; /* low-rank factor */
  NdCovStats     s;
  PetscInt       rank_L;
  PetscReal      stats[3];
  PetscLogDouble seconds;
} NdLinearization_Covariance;

static PetscErrorCode NdLinearizationSetFromOptions_Covariance(NdLinearization lin, NdOptionItems PetscOptionsObject)
{
  NdLinearization_Covariance *c    = (NdLinearization_Covariance *)lin->data;
  MPI_Comm                    comm = PetscObjectComm((PetscObject)lin);
  PetscBool                   gain_at_x, rate;

  PetscFunctionBegin;
  c->nunits = 1025;
  PetscCall(PetscOptionsReal("-cov_sigma",
                             "Noise amplitude sigma (white noise sigma xi on every unit; default: the system's, or 1)",
                             "", c->sigma, &c->sigma, &c->sigma_set));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-cov_matrix",
                          "Write the whole N x N covariance (/covariance/C; with -cov_theory, C(omega))", c->matrix,
                          &c->matrix, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cov_max_n",
                         "Largest N for the dense solvers (memory 5 N^2 doubles on rank 0, 12 N^2 for -cov_theory)", 1,
                         PETSC_MAX_INT, &c->max_n, NULL));
  PetscCall(NdOptionsIntArray(PetscOptionsObject, "-cov_noise_units",
                              "Noise on these units only (a low-rank right-hand side: SLEPc's Lyapunov solver)", 0,
                              PETSC_MAX_INT, c->units, &c->nunits, &c->lowrank));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-cov_exact",
                          "The covariance at the fixed point (false: the theory alone, e.g. for a chaotic network)",
                          c->exact, &c->exact, NULL));
  if (c->lowrank)
    PetscCall(NdOptionsCheckListRoom(comm, "-cov_noise_units", c->nunits, 1024));
  else
    c->nunits = 0;
  PetscCheck(c->sigma > 0, comm, PETSC_ERR_USER_INPUT, "-cov_sigma must be > 0 (got %g)", (double)c->sigma);
  PetscCall(NdLinearEquivalentDestroy(&c->le));
  PetscCall(NdLinearEquivalentCreate(comm, &c->le));
  PetscCall(NdLinearEquivalentSetFromOptions(PetscOptionsObject, c->le, c->matrix, c->theory_on));
  PetscCall(NdLinearEquivalentIsOn(c->le, &c->theory, &c->theory_dense));
  PetscCall(NdLinearEquivalentNeedsFixedPoint(c->le, &gain_at_x));
  PetscCheck(c->exact || c->theory, comm, PETSC_ERR_USER_INPUT,
             "-cov_exact false leaves nothing to compute without -cov_theory linear_equivalent");
  PetscCheck(c->exact || !c->lowrank, comm, PETSC_ERR_USER_INPUT,
             "-cov_noise_units is for the exact covariance: not with -cov_exact false");
  if (c->theory) PetscCall(NdLinearizationCheckRate(lin, "-cov_theory linear_equivalent", &rate));
  PetscCall(NdSystemHasNoise(lin->sys, &c->noisy));
  if (c->noisy && !c->sigma_set) PetscCall(NdCovarianceSystemSigma(lin->sys, &c->sigma));
  /* the fixed point is needed for the exact C and for the default gain <phi'(x*)>; the theory
     with a measured or given gain does without (a chaotic network has no stable x*) */
  lin->fixed_point = (PetscBool)(c->exact || gain_at_x);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The low-rank Lyapunov solver (-cov_lme_*) and the theory's (-cov_ksp_*, -cov_max_krylov) */
static PetscErrorCode NdLinearizationSetSolvers_Covariance(NdLinearization lin)
{
  NdLinearization_Covariance *c = (NdLinearization_Covariance *)lin->data;

  PetscFunctionBegin;
  PetscCall(LMEDestroy(&c->lme));
  if (c->nunits > 0) PetscCall(NdLyapunovCreateLME(PetscObjectComm((PetscObject)lin), &c->lme));
  PetscCall(NdLinearEquivalentCreateSolver(c->le));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSetUp_Covariance(NdLinearization lin)
{
  NdLinearization_Covariance *c    = (NdLinearization_Covariance *)lin->data;
  MPI_Comm                    comm = PetscObjectComm((PetscObject)lin);
  PetscInt                    N    = lin->N;

  PetscFunctionBegin;
  if (!c->le) PetscCall(NdLinearEquivalentCreate(comm, &c->le)); /* off */
  PetscCall(NdOptionsCheckUnitList(comm, "-cov_noise_units", c->nunits, c->units, N));
  PetscCheck(!(c->lowrank && c->matrix), comm, PETSC_ERR_USER_INPUT,
             "-cov_matrix: with -cov_noise_units the covariance is written as its low-rank factor /covariance/factor");
  PetscCheck((c->lowrank || !c->exact) && !c->theory_dense ? PETSC_TRUE : N <= c->max_n, comm, PETSC_ERR_USER_INPUT,
             "the dense covariance solvers are for N up to -cov_max_n = %" PetscInt_FMT " (N = %" PetscInt_FMT ")",
             c->max_n, N);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSolve_Covariance(NdLinearization lin, NdOutput out)
{
  NdLinearization_Covariance *c    = (NdLinearization_Covariance *)lin->data;
  MPI_Comm                    comm = PetscObjectComm((PetscObject)lin);
  PetscLogDouble              wall0, wall1;

  PetscFunctionBegin;
  /* the theory first: its checks of the input (a network it does not describe) end the run before
     any file exists, so that a rerun with the same -output is not refused */
  if (c->theory) {
    PetscCall(NdLinearEquivalentCompute(c->le, lin->sys, lin->x, lin->A, c->sigma_set || c->noisy ? c->sigma : 0));
    PetscCall(NdSignalStop(comm, out, "after the linear-equivalent theory"));
  }
  /* then the file (the fixed point, complete = 0): a signal in the long solve leaves it readable */
  PetscCall(NdLinearizationOpenOutput(lin, out, c->exact ? "/covariance/fixed_point" : NULL));
  if (c->exact) {
    PetscCall(PetscFree(c->C));
    PetscCall(MatDestroy(&c->L));
    PetscCall(PetscFree(c->s.eig));
    PetscCall(PetscFree(c->s.var));
    PetscCall(PetscMalloc1(lin->N, &c->s.eig));
    PetscCall(PetscMalloc1(lin->N, &c->s.var));
    PetscCall(PetscTime(&wall0));
    PetscCall(
        NdCovarianceSolve(lin->A, c->sigma, c->lme, c->nunits, c->units, &c->C, &c->L, &c->s, &c->rank_L, c->stats));
    PetscCall(PetscTime(&wall1));
    c->seconds = wall1 - wall0;
    PetscCall(NdSignalStop(comm, out, "after the covariance solve"));
  }
  if (!out) PetscFunctionReturn(PETSC_SUCCESS);
  if (c->exact)
    PetscCall(NdCovarianceWrite(out, lin->x, c->sigma, c->nunits, c->units, c->C, c->L, &c->s, c->rank_L, c->stats,
                                c->matrix, (PetscReal)c->seconds));
  if (c->theory) PetscCall(NdLinearEquivalentWrite(c->le, out));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSummary_Covariance(NdLinearization lin, char buf[], size_t len)
{
  NdLinearization_Covariance *c           = (NdLinearization_Covariance *)lin->data;
  char                        exact[160]  = "";
  char                        clause[256] = "";

  PetscFunctionBegin;
  if (c->exact)
    PetscCall(PetscSNPrintf(exact, sizeof(exact), ": participation ratio %g, correlations %g +- %g; %.2f s",
                            (double)c->stats[0], (double)c->stats[1], (double)c->stats[2], (double)c->seconds));
  if (c->theory) PetscCall(NdLinearEquivalentSummary(c->le, clause, sizeof(clause)));
  PetscCall(PetscSNPrintf(buf, len, "covariance of N = %" PetscInt_FMT " units%s%s%s", lin->N, exact,
                          c->theory ? "; " : "", clause));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The noise amplitude sigma on every unit (from C; overrides -cov_sigma and the system's) */
static PetscErrorCode NdLinearizationSetNoise_Covariance(NdLinearization lin, PetscReal sigma)
{
  NdLinearization_Covariance *c = (NdLinearization_Covariance *)lin->data;

  PetscFunctionBegin;
  PetscCheck(sigma > 0, PetscObjectComm((PetscObject)lin), PETSC_ERR_ARG_OUTOFRANGE, "sigma must be > 0 (got %g)",
             (double)sigma);
  c->sigma     = sigma;
  c->sigma_set = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The dense covariance C (N x N, column-major; symmetric) on rank 0, NULL elsewhere and for the
   low-rank solver (after NdLinearizationSolve) */
static PetscErrorCode NdLinearizationGetCovariance_Covariance(NdLinearization lin, PetscInt *N, const PetscReal *C[])
{
  NdLinearization_Covariance *c = (NdLinearization_Covariance *)lin->data;

  PetscFunctionBegin;
  if (N) *N = lin->N;
  *C = c->C;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationView_Covariance(NdLinearization lin, PetscViewer viewer)
{
  NdLinearization_Covariance *c = (NdLinearization_Covariance *)lin->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "sigma %g; %s%s\n", (double)c->sigma,
                                   !c->exact   ? "no exact covariance"
                                   : c->nunits ? "low-rank Lyapunov solver (noise on listed units)"
                                               : "dense Bartels-Stewart",
                                   c->theory ? "; the linear-equivalent cross-spectrum" : ""));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationDestroy_Covariance(NdLinearization lin)
{
  NdLinearization_Covariance *c = (NdLinearization_Covariance *)lin->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(c->C));
  PetscCall(MatDestroy(&c->L));
  PetscCall(PetscFree(c->s.eig));
  PetscCall(PetscFree(c->s.var));
  PetscCall(LMEDestroy(&c->lme));
  PetscCall(NdLinearEquivalentDestroy(&c->le));
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationSetNoise_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationGetCovariance_C", NULL));
  PetscCall(PetscFree(lin->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdLinearizationCreate_Covariance(NdLinearization lin)
{
  NdLinearization_Covariance *c;

  PetscFunctionBegin;
  PetscCall(PetscNew(&c));
  c->sigma                 = 1.0;
  c->max_n                 = 5000;
  c->exact                 = PETSC_TRUE;
  lin->data                = c;
  lin->start_option        = "-cov_start";
  lin->ops->setfromoptions = NdLinearizationSetFromOptions_Covariance;
  lin->ops->setsolvers     = NdLinearizationSetSolvers_Covariance;
  lin->ops->setup          = NdLinearizationSetUp_Covariance;
  lin->ops->solve          = NdLinearizationSolve_Covariance;
  lin->ops->summary        = NdLinearizationSummary_Covariance;
  lin->ops->view           = NdLinearizationView_Covariance;
  lin->ops->destroy        = NdLinearizationDestroy_Covariance;
  PetscCall(
      PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationSetNoise_C", NdLinearizationSetNoise_Covariance));
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationGetCovariance_C",
                                       NdLinearizationGetCovariance_Covariance));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* linear_equivalent: the covariance with the linear-equivalent cross-spectrum on by default
   (-cov_theory linear_equivalent; -cov_exact false for the theory alone) */
PETSC_EXTERN PetscErrorCode NdLinearizationCreate_LinearEquivalent(NdLinearization lin)
{
  PetscFunctionBegin;
  PetscCall(NdLinearizationCreate_Covariance(lin));
  ((NdLinearization_Covariance *)lin->data)->theory_on = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}
