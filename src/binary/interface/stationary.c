/* The stationary distribution of the stochastic network (docs/models/binary.md): the Perron vector of
   P^T, P(s -> t) the Markov transition matrix on the 2^N states, found with SLEPc EPS (largest
   real eigenvalue, 1). Asynchronous update (Glauber: one neuron, chosen uniformly, updates per
   step) is a shell matrix with N + 1 entries per row; synchronous update a dense matrix
   (small N). Then the mean activities, covariances, correlations and the distribution of the
   membrane potentials V_i = mu_i(nu) + noise (the activity-potential dualism). */
#include <math.h>
#include <slepceps.h>
#include <neurodyn/private/binaryimpl.h>
#include <neurodyn/spectrum.h>

/* Asynchronous: (P^T x)_t = d(t) x_t + sum_i a_i(t) x_{t ^ 2^i}, where a_i(t) = P(t ^ 2^i -> t)
   = (1/N) (nu_i(t) ? p_i(t) : 1 - p_i(t)) and p_i does not depend on nu_i (no self-coupling), so
   both come from t alone. The shell stores the N rates a_i(t) per state (8N bytes, no indices). */
typedef struct {
  PetscInt   N, ncross;
  uint64_t   start, nlocal;
  PetscReal *rate;  /* nlocal x N */
  PetscReal *stay;  /* nlocal: d(t) */
  PetscInt  *cross; /* the bits whose flip leaves this rank's block of states */
  VecScatter scatter;
  Vec        ghost; /* ncross x nlocal: x at t ^ 2^cross[k] */
} NdGlauber;

static PetscErrorCode NdGlauberMult(Mat A, Vec x, Vec y)
{
  NdGlauber         *g;
  const PetscScalar *xa, *ga;
  PetscScalar       *ya;

  PetscFunctionBegin;
  PetscCall(MatShellGetContext(A, &g));
  PetscCall(VecScatterBegin(g->scatter, x, g->ghost, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(g->scatter, x, g->ghost, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(x, &xa));
  PetscCall(VecGetArrayRead(g->ghost, &ga));
  PetscCall(VecGetArrayWrite(y, &ya));
  for (uint64_t k = 0; k < g->nlocal; k++) {
    const uint64_t   t = g->start + k;
    const PetscReal *a = g->rate + k * (uint64_t)g->N;
    PetscScalar      v = g->stay[k] * xa[k];
    PetscInt         c = 0;
    for (PetscInt i = 0; i < g->N; i++) {
      if (c < g->ncross && g->cross[c] == i)
        v += a[i] * ga[(uint64_t)c++ * g->nlocal + k];
      else
        v += a[i] * xa[(t ^ ((uint64_t)1 << i)) - g->start];
    }
    ya[k] = v;
  }
  PetscCall(VecRestoreArrayRead(x, &xa));
  PetscCall(VecRestoreArrayRead(g->ghost, &ga));
  PetscCall(VecRestoreArrayWrite(y, &ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdGlauberDestroy(Mat A)
{
  NdGlauber *g;

  PetscFunctionBegin;
  PetscCall(MatShellGetContext(A, &g));
  PetscCall(PetscFree2(g->rate, g->stay));
  PetscCall(PetscFree(g->cross));
  PetscCall(VecScatterDestroy(&g->scatter));
  PetscCall(VecDestroy(&g->ghost));
  PetscCall(PetscFree(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* p_i(t) = P(V_i >= theta_i) in state t for every local state, by blocks of the field table */
typedef PetscErrorCode (*NdStateVisitor)(void *, uint64_t, const PetscReal[]);
static PetscErrorCode NdVisitActivations(NdBinary bin, uint64_t start, uint64_t end, NdStateVisitor visit, void *ctx)
{
  const PetscInt     N = bin->N;
  NdBinaryFieldTable tab;
  PetscReal         *high, *p;

  PetscFunctionBegin;
  PetscCall(NdBinaryFieldTableCreate(bin, &tab));
  PetscCall(PetscMalloc2(N, &high, N, &p));
  for (uint64_t block = start; block < end && !NdSignalPending(); block += (uint64_t)1 << tab.nlow) {
    NdBinaryFieldHigh(bin, &tab, block, high);
    for (uint64_t low = 0; low < ((uint64_t)1 << tab.nlow); low++) {
      const PetscReal *hl = tab.low + low * (uint64_t)N;
      for (PetscInt i = 0; i < N; i++)
        p[i] = bin->ops->activation(bin, i, high[i] + hl[i] + bin->stim[i] - bin->theta[i]);
      PetscCall(visit(ctx, block | low, p));
    }
  }
  PetscCall(PetscFree2(high, p));
  PetscCall(NdBinaryFieldTableDestroy(&tab));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdGlauberStoreRates(void *ctx, uint64_t t, const PetscReal p[])
{
  NdGlauber *g    = (NdGlauber *)ctx;
  PetscReal *a    = g->rate + (t - g->start) * (uint64_t)g->N;
  PetscReal  away = 0;

  for (PetscInt i = 0; i < g->N; i++) {
    const PetscBool on = (PetscBool)(t >> i & 1);
    a[i]               = (on ? p[i] : 1 - p[i]) / g->N; /* into t from its neighbour across bit i */
    away += (on ? 1 - p[i] : p[i]) / g->N;              /* out of t across bit i */
  }
  g->stay[t - g->start] = 1 - away;
  return PETSC_SUCCESS;
}

static PetscErrorCode NdCreateGlauberMatrix(NdBinary bin, Vec pi, Mat *A)
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)bin);
  NdGlauber *g;
  PetscInt   lo, hi;
  PetscInt  *idx;
  IS         from;

  PetscFunctionBegin;
  PetscCall(PetscNew(&g));
  g->N = bin->N;
  PetscCall(VecGetOwnershipRange(pi, &lo, &hi));
  g->start  = (uint64_t)lo;
  g->nlocal = (uint64_t)(hi - lo);
  PetscCall(PetscMalloc2(g->nlocal * (uint64_t)g->N, &g->rate, g->nlocal, &g->stay));
  PetscCall(NdVisitActivations(bin, (uint64_t)lo, (uint64_t)hi, NdGlauberStoreRates, g));
  /* bits whose flip leaves [lo, hi) for some local state: [lo, hi) is a union of aligned blocks
     of 2^nlow states, which a flip of bit i >= nlow maps onto whole blocks */
  PetscCall(PetscMalloc1(g->N, &g->cross));
  for (PetscInt i = NdBinaryBlockBits(bin); i < g->N; i++) {
    PetscBool leaves = PETSC_FALSE;
    for (uint64_t t = (uint64_t)lo; t < (uint64_t)hi && !leaves; t += (uint64_t)1 << NdBinaryBlockBits(bin)) {
      const uint64_t u = t ^ ((uint64_t)1 << i);
      leaves           = (PetscBool)(u < (uint64_t)lo || u >= (uint64_t)hi);
    }
    if (leaves) g->cross[g->ncross++] = i;
  }
  PetscCall(PetscMalloc1(PetscMax((uint64_t)g->ncross * g->nlocal, 1), &idx));
  for (PetscInt c = 0; c < g->ncross; c++)
    for (uint64_t k = 0; k < g->nlocal; k++)
      idx[(uint64_t)c * g->nlocal + k] = (PetscInt)((g->start + k) ^ ((uint64_t)1 << g->cross[c]));
  PetscCall(
      ISCreateGeneral(PETSC_COMM_SELF, (PetscInt)((uint64_t)g->ncross * g->nlocal), idx, PETSC_OWN_POINTER, &from));
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, (PetscInt)((uint64_t)g->ncross * g->nlocal), &g->ghost));
  PetscCall(VecScatterCreate(pi, from, g->ghost, NULL, &g->scatter));
  PetscCall(ISDestroy(&from));
  PetscCall(MatCreateShell(comm, hi - lo, hi - lo, PETSC_DETERMINE, PETSC_DETERMINE, g, A));
  PetscCall(MatShellSetOperation(*A, MATOP_MULT, (void (*)(void))NdGlauberMult));
  PetscCall(MatShellSetOperation(*A, MATOP_DESTROY, (void (*)(void))NdGlauberDestroy));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Synchronous: (P^T)_{ts} = prod_i (nu_i(t) ? p_i(s) : 1 - p_i(s)), dense, rows t on this rank */
typedef struct {
  PetscInt   N;
  PetscReal *p; /* 2^N x N, every state */
} NdAllActivations;

static PetscErrorCode NdStoreActivations(void *ctx, uint64_t s, const PetscReal p[])
{
  NdAllActivations *all = (NdAllActivations *)ctx;

  for (PetscInt i = 0; i < all->N; i++) all->p[s * (uint64_t)all->N + (uint64_t)i] = p[i];
  return PETSC_SUCCESS;
}

static PetscErrorCode NdCreateSynchronousMatrix(NdBinary bin, Vec pi, Mat *A)
{
  const PetscInt   N = bin->N, n = (PetscInt)1 << N;
  NdAllActivations all;
  PetscInt         lo, hi;
  PetscScalar     *a;
  PetscInt         lda;

  PetscFunctionBegin;
  all.N = N;
  PetscCall(PetscMalloc1((size_t)n * (size_t)N, &all.p));
  PetscCall(NdVisitActivations(bin, 0, (uint64_t)n, NdStoreActivations, &all));
  PetscCall(VecGetOwnershipRange(pi, &lo, &hi));
  PetscCall(MatCreateDense(PetscObjectComm((PetscObject)bin), hi - lo, hi - lo, n, n, NULL, A));
  PetscCall(MatDenseGetLDA(*A, &lda));
  PetscCall(MatDenseGetArrayWrite(*A, &a));
  for (PetscInt s = 0; s < n; s++) /* column-major local block: a[(t - lo) + s * lda] */
    for (PetscInt t = lo; t < hi; t++) {
      PetscReal        prob = 1;
      const PetscReal *p    = all.p + (size_t)s * (size_t)N;
      for (PetscInt i = 0; i < N; i++) prob *= (t >> i & 1) ? p[i] : 1 - p[i];
      a[(t - lo) + (size_t)s * (size_t)lda] = prob;
    }
  PetscCall(MatDenseRestoreArrayWrite(*A, &a));
  PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(PetscFree(all.p));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Moments of the activities and of the potential mu_i(nu) = I_i + sum_j J_ij nu_j under pi */
typedef struct {
  PetscInt           N, nbins;
  uint64_t           start;
  const PetscScalar *pi;
  PetscReal         *mean, *second;   /* N, N x N */
  PetscReal         *vmean, *vsecond; /* N, N */
  PetscReal          vmin, dv;
  PetscReal         *atoms; /* N x nbins: probability of mu_i in each grid cell */
  const PetscReal   *stim;
} NdMoments;

static PetscErrorCode NdAccumulate(NdBinary bin, NdMoments *m, uint64_t start, uint64_t end)
{
  const PetscInt     N = bin->N;
  NdBinaryFieldTable tab;
  PetscReal         *high;
  PetscInt          *on;

  PetscFunctionBegin;
  PetscCall(NdBinaryFieldTableCreate(bin, &tab));
  PetscCall(PetscMalloc2(N, &high, N, &on));
  for (uint64_t block = start; block < end && !NdSignalPending(); block += (uint64_t)1 << tab.nlow) {
    NdBinaryFieldHigh(bin, &tab, block, high);
    for (uint64_t low = 0; low < ((uint64_t)1 << tab.nlow); low++) {
      const uint64_t   s   = block | low;
      const PetscReal  w   = PetscRealPart(m->pi[s - start]);
      const PetscReal *hl  = tab.low + low * (uint64_t)N;
      PetscInt         non = 0;
      for (PetscInt i = 0; i < N; i++)
        if (s >> i & 1) on[non++] = i;
      for (PetscInt a = 0; a < non; a++) {
        m->mean[on[a]] += w;
        for (PetscInt b = a; b < non; b++) m->second[on[a] * N + on[b]] += w;
      }
      for (PetscInt i = 0; i < N; i++) {
        const PetscReal v = hl[i] + high[i] + m->stim[i];
        PetscInt        k = (PetscInt)PetscFloorReal((v - m->vmin) / m->dv);
        m->vmean[i] += w * v;
        m->vsecond[i] += w * v * v;
        k = PetscMax(0, PetscMin(m->nbins - 1, k));
        m->atoms[i * m->nbins + k] += w;
      }
    }
  }
  PetscCall(PetscFree2(high, on));
  PetscCall(NdBinaryFieldTableDestroy(&tab));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Third-order joint cumulants E[(nu_i - m_i)(nu_j - m_j)(nu_k - m_k)], (N, N, N) symmetric: a
   second pass over this rank's states once the means are known; N^3/6 products per state */
static PetscErrorCode NdWriteThirdOrder(NdBinary bin, Vec pi, const PetscReal mean[], NdOutput out)
{
  const PetscInt     N = bin->N;
  PetscInt           lo, hi;
  const PetscScalar *pa;
  PetscReal         *T, *d;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(N * N * N, &T));
  PetscCall(PetscMalloc1(N, &d));
  PetscCall(VecGetOwnershipRange(pi, &lo, &hi));
  PetscCall(VecGetArrayRead(pi, &pa));
  for (PetscInt s = lo; s < hi; s++) {
    const PetscReal w = PetscRealPart(pa[s - lo]);
    for (PetscInt i = 0; i < N; i++) d[i] = (PetscReal)(s >> i & 1) - mean[i];
    for (PetscInt i = 0; i < N; i++)
      for (PetscInt j = i; j < N; j++) {
        const PetscReal wij = w * d[i] * d[j];
        for (PetscInt k = j; k < N; k++) T[(i * N + j) * N + k] += wij * d[k];
      }
  }
  PetscCall(VecRestoreArrayRead(pi, &pa));
  PetscCallMPI(
      MPI_Allreduce(MPI_IN_PLACE, T, (PetscMPIInt)(N * N * N), MPIU_REAL, MPI_SUM, PetscObjectComm((PetscObject)bin)));
  for (PetscInt i = 0; i < N; i++) /* fill the symmetric entries from i <= j <= k */
    for (PetscInt j = 0; j < N; j++)
      for (PetscInt k = 0; k < N; k++) {
        PetscInt a = i, b = j, c = k, t;
        if (a > b) {
          t = a;
          a = b;
          b = t;
        }
        if (b > c) {
          t = b;
          b = c;
          c = t;
        }
        if (a > b) {
          t = a;
          a = b;
          b = t;
        }
        T[(i * N + j) * N + k] = T[(a * N + b) * N + c];
      }
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/third_order", N, (PetscInt)(N * N), T, "1"));
  PetscCall(PetscFree(d));
  PetscCall(PetscFree(T));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdWriteObservables(NdBinary bin, Vec pi, NdOutput out)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)bin);
  const PetscInt N = bin->N, nb = bin->potential_bins;
  NdMoments      m;
  PetscInt       lo, hi, nsum;
  PetscReal     *buf, *cov, *cor, *grid, *density, *vvar, vmax = PETSC_MIN_REAL, sd;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&m, sizeof(m)));
  m.N     = N;
  m.nbins = nb;
  m.stim  = bin->stim;
  /* the grid covers every possible mu_i and 5 noise standard deviations on either side */
  sd = 0;
  for (PetscInt i = 0; i < N; i++) sd = PetscMax(sd, PetscSqrtReal(bin->ops->variance(bin, i)));
  m.vmin = PETSC_MAX_REAL;
  for (PetscInt i = 0; i < N; i++) {
    PetscReal lo_i = bin->stim[i], hi_i = bin->stim[i];
    for (PetscInt j = 0; j < N; j++) {
      lo_i += PetscMin(0, bin->J[i * N + j]);
      hi_i += PetscMax(0, bin->J[i * N + j]);
    }
    m.vmin = PetscMin(m.vmin, lo_i);
    vmax   = PetscMax(vmax, hi_i);
  }
  m.vmin -= 5 * sd;
  vmax += 5 * sd;
  if (vmax <= m.vmin) vmax = m.vmin + 1;
  m.dv = (vmax - m.vmin) / nb;
  nsum = N + N * N + 2 * N + N * nb;
  PetscCall(PetscCalloc1(nsum, &buf));
  m.mean    = buf;
  m.second  = m.mean + N;
  m.vmean   = m.second + N * N;
  m.vsecond = m.vmean + N;
  m.atoms   = m.vsecond + N;
  PetscCall(VecGetOwnershipRange(pi, &lo, &hi));
  PetscCall(VecGetArrayRead(pi, &m.pi));
  PetscCall(NdAccumulate(bin, &m, (uint64_t)lo, (uint64_t)hi));
  PetscCall(VecRestoreArrayRead(pi, &m.pi));
  PetscCall(NdSignalStop(comm, out, "in the moments of the stationary distribution"));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, (PetscMPIInt)nsum, MPIU_REAL, MPI_SUM, comm));

  PetscCall(PetscMalloc5(N * N, &cov, N * N, &cor, nb, &grid, N * nb, &density, N, &vvar));
  for (PetscInt i = 0; i < N; i++)
    for (PetscInt j = i; j < N; j++) cov[i * N + j] = cov[j * N + i] = m.second[i * N + j] - m.mean[i] * m.mean[j];
  for (PetscInt i = 0; i < N; i++)
    for (PetscInt j = 0; j < N; j++) {
      const PetscReal d = PetscSqrtReal(cov[i * N + i] * cov[j * N + j]);
      cor[i * N + j]    = d > 0 ? cov[i * N + j] / d : (PetscReal)NAN;
    }
  for (PetscInt k = 0; k < nb; k++) grid[k] = m.vmin + (k + 0.5) * m.dv;
  /* density of V_i = mu_i + noise: the atoms of mu_i (at grid resolution) smoothed by the noise */
  for (PetscInt i = 0; i < N; i++) {
    vvar[i] = m.vsecond[i] - m.vmean[i] * m.vmean[i] + bin->ops->variance(bin, i);
    for (PetscInt k = 0; k < nb; k++) {
      PetscReal f = 0;
      for (PetscInt l = 0; l < nb; l++) f += m.atoms[i * nb + l] * bin->ops->density(bin, i, grid[k] - grid[l]);
      density[i * nb + k] = f;
    }
  }
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/mean_activity", N, 0, m.mean, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/covariance", N, (PetscInt)N, cov, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/correlation", N, (PetscInt)N, cor, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/mean_potential", N, 0, m.vmean, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/potential_variance", N, 0, vvar, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/potential_grid", nb, 0, grid, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/stationary/potential_density", N, (PetscInt)nb, density, "1"));
  if (bin->third_order_set ? bin->third_order : (PetscBool)(N <= 16))
    PetscCall(NdWriteThirdOrder(bin, pi, m.mean, out));
  PetscCall(PetscFree5(cov, cor, grid, density, vvar));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Before any file is opened: the preconditions of the analysis */
PetscErrorCode NdBinaryStationaryCheck(NdBinary bin)
{
  MPI_Comm        comm    = PetscObjectComm((PetscObject)bin);
  const PetscInt  N       = bin->N;
  const PetscReal nstates = PetscPowReal(2.0, (PetscReal)N);
  PetscMPIInt     size;
  NdBinaryNoise   noise;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(NdBinaryGetType(bin, &noise));
  PetscCheck(strcmp(noise, NDBINARYDETERMINISTIC), comm, PETSC_ERR_USER_INPUT,
             "stationary needs a stochastic network: set -bin_noise logistic (with -bin_temperature) or gaussian (with "
             "-bin_sigma)");
  PetscCheck(bin->potential_bins >= 2, comm, PETSC_ERR_USER_INPUT,
             "-bin_potential_bins must be >= 2 (got %" PetscInt_FMT ")", bin->potential_bins);
  PetscCheck(N <= 30, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "stationary: N = %" PetscInt_FMT " is too large (2^N states in PetscInt vectors; N <= 30)", N);
  /* memory per rank: the operator and about 24 vectors of EPS (Krylov-Schur, ncv 16) */
  if (bin->update == ND_BINARY_ASYNCHRONOUS)
    PetscCall(
        NdBinaryCheckMemory(bin, "the asynchronous stationary distribution", nstates / size * 8.0 * (N + 2 + 24)));
  else
    PetscCall(NdBinaryCheckMemory(bin, "the synchronous (dense) stationary distribution",
                                  nstates * nstates / size * 8.0 + nstates * (8.0 * N + 8.0 * 24 / size)));

  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryStationary(NdBinary bin, NdOutput out, PetscBool verbose)
{
  MPI_Comm           comm    = PetscObjectComm((PetscObject)bin);
  const PetscInt     N       = bin->N;
  const PetscReal    nstates = PetscPowReal(2.0, (PetscReal)N);
  NdBinaryNoise      noise;
  uint64_t           start, end;
  Vec                pi, v0;
  Mat                A;
  EPS                eps;
  PetscScalar        lr, li;
  PetscReal          resid, sum;
  PetscInt           nconv, its;
  PetscLogDouble     t0, t1;
  const PetscScalar *pa;

  PetscFunctionBegin;
  PetscCall(NdBinaryGetType(bin, &noise));
  PetscCall(NdBinaryStationaryCheck(bin));

  PetscCall(PetscTime(&t0));
  PetscCall(PetscLogEventBegin(ND_EVENT_BINARY_SOLVE, 0, 0, 0, 0));
  PetscCall(NdBinaryStateRange(bin, &start, &end));
  PetscCall(VecCreateMPI(comm, (PetscInt)(end - start), (PetscInt)nstates, &pi));
  if (bin->update == ND_BINARY_ASYNCHRONOUS)
    PetscCall(NdCreateGlauberMatrix(bin, pi, &A));
  else
    PetscCall(NdCreateSynchronousMatrix(bin, pi, &A));
  PetscCall(NdSignalStop(comm, out, "in building the transition matrix"));
  if (!bin->eps) { /* programmatic use without NdBinarySetFromOptions */
    PetscCall(EPSCreate(comm, &bin->eps));
    PetscCall(EPSSetProblemType(bin->eps, EPS_NHEP));
    PetscCall(EPSSetWhichEigenpairs(bin->eps, EPS_LARGEST_REAL));
    PetscCall(EPSSetTolerances(bin->eps, 1e-14, 100000));
  }
  eps = bin->eps;
  PetscCall(EPSSetOperators(eps, A, NULL));
  PetscCall(VecDuplicate(pi, &v0));
  PetscCall(VecSet(v0, 1.0)); /* the uniform distribution: a good start */
  PetscCall(EPSSetInitialSpace(eps, 1, &v0));
  PetscCall(NdEPSStopOnSignal(eps));
  PetscCall(EPSSolve(eps));
  PetscCall(NdSignalStop(comm, out, "in the eigenvalue solve"));
  PetscCall(EPSGetConverged(eps, &nconv));
  PetscCall(EPSGetIterationNumber(eps, &its));
  PetscCheck(nconv >= 1, comm, PETSC_ERR_NOT_CONVERGED,
             "stationary: the eigensolver did not converge in %" PetscInt_FMT
             " iterations (try -eps_max_it, -eps_ncv, or -eps_tol)",
             its);
  PetscCall(EPSGetEigenpair(eps, 0, &lr, &li, pi, NULL));
  PetscCall(EPSComputeError(eps, 0, EPS_ERROR_RELATIVE, &resid));
  PetscCheck(PetscAbsReal(PetscRealPart(lr) - 1) < 1e-8, comm, PETSC_ERR_NOT_CONVERGED,
             "stationary: the largest eigenvalue found is %g, not 1 (the chain's Perron root); try a larger -eps_ncv",
             (double)PetscRealPart(lr));
  PetscCall(VecSum(pi, &lr));
  sum = PetscRealPart(lr);
  PetscCall(VecScale(pi, 1.0 / sum));
  PetscCall(PetscLogEventEnd(ND_EVENT_BINARY_SOLVE, 0, 0, 0, 0));
  PetscCall(PetscTime(&t1));
  PetscCall(EPSGetEigenpair(eps, 0, &lr, &li, NULL, NULL));
  if (verbose)
    PetscCall(PetscPrintf(
        comm,
        "neurodyn: stationary distribution of 2^%" PetscInt_FMT
        " states (%s, %s noise): eigenvalue %.15g, relative residual %.2e, %" PetscInt_FMT " iterations, %.2f s\n",
        N, NdBinaryUpdates[bin->update], noise, (double)PetscRealPart(lr), (double)resid, its, (double)(t1 - t0)));

  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(NdOutputWriteAttributeReal(out, "/binary/stationary", "eigenvalue", PetscRealPart(lr)));
  PetscCall(NdOutputWriteAttributeReal(out, "/binary/stationary", "relative_residual", resid));
  PetscCall(NdOutputWriteAttributeInt(out, "/binary/stationary", "iterations", its));
  PetscCall(NdOutputWriteAttributeReal(out, "/binary/stationary", "solve_seconds", t1 - t0));
  PetscCall(VecGetArrayRead(pi, &pa));
  PetscCall(NdOutputWriteArray(out, "/binary/stationary/distribution", (PetscInt64)nstates, 0, (PetscInt64)start,
                               (PetscInt64)(end - start), pa, "1"));
  PetscCall(VecRestoreArrayRead(pi, &pa));
  PetscCall(NdWriteObservables(bin, pi, out));
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(MatDestroy(&A));
  PetscCall(VecDestroy(&v0));
  PetscCall(VecDestroy(&pi));
  PetscFunctionReturn(PETSC_SUCCESS);
}
