/* Bifurcations in stimulus space of the deterministic synchronous network (MODELS.md A6).
   A state nu is stationary for the extra stimulus s (one value per population, added to I) iff
     max_{i in a, nu_i = 1} Lambda_i(nu) <= s_a < min_{i in a, nu_i = 0} Lambda_i(nu)  for every a,
   Lambda_i(nu) = theta_i - I_i - sum_{j != i} J_ij nu_j: a box in stimulus space. Every rank scans
   its contiguous block of the 2^N states; the finite box edges are the bifurcation points, and
   they cut the sweep box into cells of constant stationary set. Cycles (oscillations) are found
   at the midpoint of every cell from the complete synchronous map. */
#include <math.h>
#include <neurodyn/private/binaryimpl.h>

typedef struct {
  PetscInt    P;             /* stimulus dimensions (populations), 1 or 2 */
  PetscInt64  nstat;         /* stationary states (every state with a non-empty box) */
  int64_t    *state;         /* nstat */
  PetscReal  *lower, *upper; /* nstat x P */
  PetscInt    nedge[2];      /* cell edges per dimension (box ends included) */
  PetscReal  *edge[2];
  PetscInt    ncell; /* prod (nedge - 1), row-major with dimension 0 first */
  PetscInt   *cell_nstat, *cell_region, nregion;
  uint64_t   *region_members; /* nregion x nwords bit sets over the stationary states */
  PetscInt    nwords;
  PetscInt    ncycle;       /* distinct cycles of length >= 2, canonical (smallest state first) */
  PetscInt64 *cycle_offset; /* ncycle + 1 */
  int64_t    *cycle_state;
  PetscReal  *cycle_lower, *cycle_upper; /* ncycle x P: the exact box where the cycle exists */
  PetscInt    npair;                     /* (cell, cycle) pairs */
  int64_t    *pair;
  PetscInt   *cell_ncycle;
} NdBifurcations;

/* The non-empty boxes of this rank's states */
static PetscErrorCode NdScanStates(NdBinary bin, PetscInt64 *n, int64_t **state, PetscReal **lower, PetscReal **upper)
{
  const PetscInt     N = bin->N, P = bin->npop;
  NdBinaryFieldTable tab;
  uint64_t           start, end;
  PetscReal         *high, *thr, lo[2], hi[2];
  PetscInt64         cap = 1024;

  PetscFunctionBegin;
  PetscCall(NdBinaryStateRange(bin, &start, &end));
  PetscCall(NdBinaryFieldTableCreate(bin, &tab));
  PetscCall(PetscMalloc2(N, &high, N, &thr));
  PetscCall(PetscMalloc3(cap, state, cap * P, lower, cap * P, upper));
  *n = 0;
  for (uint64_t block = start; block < end; block += (uint64_t)1 << tab.nlow) {
    NdBinaryFieldHigh(bin, &tab, block, high);
    for (PetscInt i = 0; i < N; i++) thr[i] = bin->theta[i] - bin->stim[i] - high[i];
    for (uint64_t low = 0; low < ((uint64_t)1 << tab.nlow); low++) {
      const uint64_t   s  = block | low;
      const PetscReal *hl = tab.low + low * (uint64_t)N;
      PetscBool        ok = PETSC_TRUE;

      for (PetscInt a = 0, i = 0; a < P && ok; a++) {
        lo[a] = -(PetscReal)INFINITY;
        hi[a] = (PetscReal)INFINITY;
        for (PetscInt k = 0; k < bin->pop_size[a]; k++, i++) {
          const PetscReal lambda = thr[i] - hl[i];
          if (s >> i & 1)
            lo[a] = PetscMax(lo[a], lambda);
          else
            hi[a] = PetscMin(hi[a], lambda);
        }
        ok = (PetscBool)(lo[a] < hi[a]);
      }
      if (!ok) continue;
      if (*n == cap) {
        int64_t   *st;
        PetscReal *l, *u;
        PetscCall(PetscMalloc3(2 * cap, &st, 2 * cap * P, &l, 2 * cap * P, &u));
        PetscCall(PetscArraycpy(st, *state, cap));
        PetscCall(PetscArraycpy(l, *lower, cap * P));
        PetscCall(PetscArraycpy(u, *upper, cap * P));
        PetscCall(PetscFree3(*state, *lower, *upper));
        *state = st;
        *lower = l;
        *upper = u;
        cap *= 2;
      }
      (*state)[*n] = (int64_t)s;
      for (PetscInt a = 0; a < P; a++) {
        (*lower)[*n * P + a] = lo[a];
        (*upper)[*n * P + a] = hi[a];
      }
      (*n)++;
    }
  }
  PetscCall(PetscFree2(high, thr));
  PetscCall(NdBinaryFieldTableDestroy(&tab));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every rank gets every rank's entries, in rank order (= state order) */
static PetscErrorCode NdGatherStates(MPI_Comm comm, PetscInt P, PetscInt64 nlocal, const int64_t st[],
                                     const PetscReal lo[], const PetscReal up[], NdBifurcations *b)
{
  PetscMPIInt size, *counts, *displs;
  PetscInt64  total = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  {
    PetscMPIInt c = (PetscMPIInt)nlocal;
    PetscCheck((PetscInt64)c == nlocal && nlocal * P < PETSC_MPI_INT_MAX, comm, PETSC_ERR_SUP,
               "too many stationary states on one rank (%" PetscInt64_FMT ") to gather", nlocal);
    PetscCallMPI(MPI_Allgather(&c, 1, MPI_INT, counts, 1, MPI_INT, comm));
  }
  for (PetscMPIInt r = 0; r < size; r++) {
    displs[r] = (PetscMPIInt)total;
    total += counts[r];
  }
  PetscCheck(total * P < PETSC_MPI_INT_MAX, comm, PETSC_ERR_SUP,
             "too many stationary states (%" PetscInt64_FMT ") to gather", total);
  b->nstat = total;
  PetscCall(PetscMalloc3(PetscMax(total, 1), &b->state, PetscMax(total * P, 1), &b->lower, PetscMax(total * P, 1),
                         &b->upper));
  PetscCallMPI(MPI_Allgatherv(st, (PetscMPIInt)nlocal, MPI_INT64_T, b->state, counts, displs, MPI_INT64_T, comm));
  for (PetscMPIInt r = 0; r < size; r++) {
    counts[r] *= (PetscMPIInt)P;
    displs[r] *= (PetscMPIInt)P;
  }
  PetscCallMPI(MPI_Allgatherv(lo, (PetscMPIInt)(nlocal * P), MPIU_REAL, b->lower, counts, displs, MPIU_REAL, comm));
  PetscCallMPI(MPI_Allgatherv(up, (PetscMPIInt)(nlocal * P), MPIU_REAL, b->upper, counts, displs, MPIU_REAL, comm));
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static int NdCompareReal(const void *a, const void *b)
{
  const PetscReal x = *(const PetscReal *)a, y = *(const PetscReal *)b;
  return (x > y) - (x < y);
}

/* Cell edges of dimension d: the box ends and the distinct finite box edges strictly inside */
static PetscErrorCode NdCellEdges(NdBinary bin, NdBifurcations *b, PetscInt d)
{
  const PetscInt P = b->P;
  PetscReal     *v, bmin, bmax;
  PetscInt       n = 0, m = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(2 * b->nstat + 2, &v));
  for (PetscInt64 k = 0; k < b->nstat; k++) {
    if (isfinite(b->lower[k * P + d])) v[n++] = b->lower[k * P + d];
    if (isfinite(b->upper[k * P + d])) v[n++] = b->upper[k * P + d];
  }
  qsort(v, (size_t)n, sizeof(PetscReal), NdCompareReal);
  for (PetscInt k = 0; k < n; k++)
    if (!m || v[k] != v[m - 1]) v[m++] = v[k];
  if (b->P == bin->nsweep_min && b->P == bin->nsweep_max) {
    bmin = bin->sweep_min[d];
    bmax = bin->sweep_max[d];
  } else { /* all bifurcation points and a margin of 10 % of their span */
    const PetscReal span = m > 1 ? v[m - 1] - v[0] : 1;
    bmin                 = (m ? v[0] : 0) - 0.1 * span - (m > 1 ? 0 : 0.9);
    bmax                 = (m ? v[m - 1] : 0) + 0.1 * span + (m > 1 ? 0 : 0.9);
  }
  PetscCheck(bmin < bmax, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
             "-bin_sweep_min (%g) must be below -bin_sweep_max (%g) in dimension %" PetscInt_FMT, (double)bmin,
             (double)bmax, d);
  PetscCall(PetscMalloc1(m + 2, &b->edge[d]));
  b->nedge[d]               = 0;
  b->edge[d][b->nedge[d]++] = bmin;
  for (PetscInt k = 0; k < m; k++)
    if (v[k] > bmin && v[k] < bmax) b->edge[d][b->nedge[d]++] = v[k];
  b->edge[d][b->nedge[d]++] = bmax;
  PetscCall(PetscFree(v));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static void NdCellMidpoint(const NdBifurcations *b, PetscInt c, PetscReal mid[2])
{
  const PetscInt n1 = b->P == 2 ? b->nedge[1] - 1 : 1, k0 = c / n1, k1 = c % n1;

  mid[0] = 0.5 * (b->edge[0][k0] + b->edge[0][k0 + 1]);
  if (b->P == 2) mid[1] = 0.5 * (b->edge[1][k1] + b->edge[1][k1 + 1]);
}

static PetscInt NdCompareWords;
static int      NdCompareBitsets(const void *a, const void *b)
{
  const uint64_t *x = *(const uint64_t *const *)a, *y = *(const uint64_t *const *)b;
  for (PetscInt w = 0; w < NdCompareWords; w++)
    if (x[w] != y[w]) return x[w] < y[w] ? -1 : 1;
  return 0;
}

/* The stationary set of every cell (at its midpoint: the set is constant on the cell) and the
   regions: the distinct sets, numbered in order of their bit sets */
static PetscErrorCode NdCellSets(NdBifurcations *b)
{
  const PetscInt P = b->P;
  uint64_t      *bits, **order;

  PetscFunctionBegin;
  b->ncell  = (b->nedge[0] - 1) * (P == 2 ? b->nedge[1] - 1 : 1);
  b->nwords = (PetscInt)(b->nstat / 64 + 1);
  PetscCall(PetscCalloc1((size_t)b->ncell * (size_t)b->nwords, &bits));
  PetscCall(PetscMalloc2(b->ncell, &b->cell_nstat, b->ncell, &b->cell_region));
  PetscCall(PetscMalloc1(b->ncell, &order));
  for (PetscInt c = 0; c < b->ncell; c++) {
    PetscReal mid[2];
    uint64_t *set = bits + (size_t)c * (size_t)b->nwords;
    NdCellMidpoint(b, c, mid);
    b->cell_nstat[c] = 0;
    for (PetscInt64 k = 0; k < b->nstat; k++) {
      PetscBool in = PETSC_TRUE;
      for (PetscInt d = 0; d < P; d++)
        in = (PetscBool)(in && b->lower[k * P + d] <= mid[d] && mid[d] < b->upper[k * P + d]);
      if (in) {
        set[k / 64] |= (uint64_t)1 << (k % 64);
        b->cell_nstat[c]++;
      }
    }
    order[c] = set;
  }
  NdCompareWords = b->nwords;
  qsort(order, (size_t)b->ncell, sizeof(uint64_t *), NdCompareBitsets);
  b->nregion = 0;
  for (PetscInt k = 0; k < b->ncell; k++)
    if (!k || NdCompareBitsets(&order[k], &order[k - 1])) b->nregion++;
  PetscCall(PetscMalloc1((size_t)PetscMax(b->nregion, 1) * (size_t)b->nwords, &b->region_members));
  for (PetscInt k = 0, r = -1; k < b->ncell; k++) {
    if (!k || NdCompareBitsets(&order[k], &order[k - 1])) {
      r++;
      PetscCall(PetscArraycpy(b->region_members + (size_t)r * (size_t)b->nwords, order[k], b->nwords));
    }
    b->cell_region[(order[k] - bits) / b->nwords] = r;
  }
  PetscCall(PetscFree(bits));
  PetscCall(PetscFree(order));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Cycles of length >= 2 of F, each rotated to start at its smallest state; appended as
   (cell, length, states...) to a growing int64 list */
static PetscErrorCode NdFindCycles(PetscInt N, PetscInt cell, const uint32_t F[], uint32_t mark[], int64_t **list,
                                   PetscInt64 *n, PetscInt64 *cap, PetscInt *ncycles)
{
  const uint64_t nstates = (uint64_t)1 << N;

  PetscFunctionBegin;
  *ncycles = 0;
  PetscCall(PetscArrayzero(mark, nstates));
  for (uint64_t s0 = 0; s0 < nstates; s0++) {
    uint32_t s = (uint32_t)s0, stamp = (uint32_t)s0 + 1;
    if (mark[s]) continue;
    while (!mark[s]) {
      mark[s] = stamp;
      s       = F[s];
    }
    if (mark[s] != stamp) continue; /* ran into an earlier walk */
    {
      uint32_t len = 1, smin = s;
      for (uint32_t t = F[s]; t != s; t = F[t], len++) smin = PetscMin(smin, t);
      if (len < 2) continue;
      if (*n + len + 2 > *cap) {
        int64_t *grown;
        *cap = 2 * (*cap + len + 2);
        PetscCall(PetscMalloc1(*cap, &grown));
        PetscCall(PetscArraycpy(grown, *list, *n));
        PetscCall(PetscFree(*list));
        *list = grown;
      }
      (*list)[(*n)++] = cell;
      (*list)[(*n)++] = len;
      for (uint32_t k = 0, t = smin; k < len; k++, t = F[t]) (*list)[(*n)++] = t;
      (*ncycles)++;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

typedef struct {
  const int64_t *c; /* (cell, length, states...) */
} NdCycleRef;

static int NdCompareCycles(const void *a, const void *b)
{
  const int64_t *x = ((const NdCycleRef *)a)->c, *y = ((const NdCycleRef *)b)->c;
  if (x[1] != y[1]) return x[1] < y[1] ? -1 : 1;
  for (int64_t k = 0; k < x[1]; k++)
    if (x[2 + k] != y[2 + k]) return x[2 + k] < y[2 + k] ? -1 : 1;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Cells are dealt out to the ranks round-robin; each rank runs the complete map at its cells'
   midpoints. The (cell, cycle) entries are gathered and numbered identically on every rank. */
static PetscErrorCode NdCellCycles(NdBinary bin, NdBifurcations *b)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)bin);
  const PetscInt     N    = bin->N;
  PetscMPIInt        rank, size, *counts, *displs, mine;
  NdBinaryFieldTable tab;
  uint32_t          *F, *mark;
  int64_t           *list = NULL, *all;
  PetscInt64         n = 0, cap = 0, total = 0;
  NdCycleRef        *refs;
  PetscInt           nref = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscCalloc1(b->ncell, &b->cell_ncycle));
  PetscCall(NdBinaryFieldTableCreate(bin, &tab));
  PetscCall(PetscMalloc2((size_t)1 << N, &F, (size_t)1 << N, &mark));
  for (PetscInt c = rank; c < b->ncell; c += size) {
    PetscReal mid[2];
    PetscInt  nc;
    NdCellMidpoint(b, c, mid);
    PetscCall(NdBinarySynchronousMap(bin, &tab, mid, 0, (uint64_t)1 << N, F));
    PetscCall(NdFindCycles(N, c, F, mark, &list, &n, &cap, &nc));
  }
  PetscCall(PetscFree2(F, mark));
  PetscCall(NdBinaryFieldTableDestroy(&tab));

  PetscCheck(n < PETSC_MPI_INT_MAX, comm, PETSC_ERR_SUP, "too many cycles to gather");
  mine = (PetscMPIInt)n;
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCallMPI(MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, comm));
  for (PetscMPIInt r = 0; r < size; r++) {
    displs[r] = (PetscMPIInt)total;
    total += counts[r];
  }
  PetscCall(PetscMalloc1(PetscMax(total, 1), &all));
  PetscCallMPI(MPI_Allgatherv(list, mine, MPI_INT64_T, all, counts, displs, MPI_INT64_T, comm));
  PetscCall(PetscFree2(counts, displs));
  PetscCall(PetscFree(list));

  for (PetscInt64 k = 0; k < total; k += 2 + all[k + 1]) nref++;
  PetscCall(PetscMalloc1(PetscMax(nref, 1), &refs));
  nref = 0;
  for (PetscInt64 k = 0; k < total; k += 2 + all[k + 1]) refs[nref++].c = all + k;
  qsort(refs, (size_t)nref, sizeof(NdCycleRef), NdCompareCycles);
  /* distinct cycles in (length, states) order; every entry a (cell, cycle) pair */
  b->ncycle = 0;
  b->npair  = nref;
  PetscCall(PetscMalloc1(2 * PetscMax(nref, 1), &b->pair));
  PetscCall(PetscMalloc1(nref + 1, &b->cycle_offset));
  PetscCall(PetscMalloc1(PetscMax(total, 1), &b->cycle_state));
  b->cycle_offset[0] = 0;
  for (PetscInt k = 0; k < nref; k++) {
    const int64_t *c = refs[k].c;
    if (!k || c[1] != refs[k - 1].c[1] || memcmp(c + 2, refs[k - 1].c + 2, (size_t)c[1] * sizeof(int64_t))) {
      PetscCall(PetscArraycpy(b->cycle_state + b->cycle_offset[b->ncycle], c + 2, c[1]));
      b->cycle_offset[b->ncycle + 1] = b->cycle_offset[b->ncycle] + c[1];
      b->ncycle++;
    }
    b->pair[2 * k]     = c[0];
    b->pair[2 * k + 1] = b->ncycle - 1;
    b->cell_ncycle[c[0]]++;
  }
  PetscCall(PetscFree(refs));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A cycle nu^0 -> nu^1 -> ... -> nu^0 exists exactly where every transition does: the
   intersection over k of the boxes  Lambda_i(nu^k) <= s_a for nu^{k+1}_i = 1 and
   s_a < Lambda_i(nu^k) for nu^{k+1}_i = 0  (i in population a): the same rule as for a fixed point */
static PetscErrorCode NdCycleBoxes(NdBinary bin, NdBifurcations *b)
{
  const PetscInt N = bin->N, P = b->P;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(PetscMax(b->ncycle * P, 1), &b->cycle_lower, PetscMax(b->ncycle * P, 1), &b->cycle_upper));
  for (PetscInt c = 0; c < b->ncycle; c++) {
    const PetscInt64 first = b->cycle_offset[c], len = b->cycle_offset[c + 1] - first;
    PetscReal       *lo = b->cycle_lower + c * P, *hi = b->cycle_upper + c * P;
    for (PetscInt a = 0; a < P; a++) {
      lo[a] = -(PetscReal)INFINITY;
      hi[a] = (PetscReal)INFINITY;
    }
    for (PetscInt64 k = 0; k < len; k++) {
      const int64_t from = b->cycle_state[first + k], to = b->cycle_state[first + (k + 1) % len];
      for (PetscInt i = 0; i < N; i++) {
        PetscReal lambda = bin->theta[i] - bin->stim[i];
        for (PetscInt j = 0; j < N; j++)
          if (from >> j & 1) lambda -= bin->J[i * N + j];
        if (to >> i & 1)
          lo[bin->pop[i]] = PetscMax(lo[bin->pop[i]], lambda);
        else
          hi[bin->pop[i]] = PetscMin(hi[bin->pop[i]], lambda);
      }
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdWriteSharedInt64(NdOutput out, const char path[], PetscInt64 rows, PetscInt cols,
                                         const int64_t data[], const char units[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)out), &rank));
  PetscCall(NdOutputWriteArrayInt64(out, path, rows, cols, 0, rank ? 0 : rows, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdWriteBifurcations(NdBifurcations *b, NdOutput out, PetscLogDouble seconds)
{
  const char *g = "/binary/bifurcations";
  int64_t    *tmp;
  PetscInt64  ntmp = PetscMax(PetscMax(b->ncell, b->nregion * b->nstat), 1);

  PetscFunctionBegin;
  PetscCall(NdOutputWriteAttributeInt(out, g, "dimension", b->P));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_stationary", b->nstat));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_cells", b->ncell));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_regions", b->nregion));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_cycles", b->ncycle));
  PetscCall(NdOutputWriteAttributeInt(out, g, "cycles_searched", b->cycle_offset ? 1 : 0));
  PetscCall(NdOutputWriteAttributeReal(out, g, "enumeration_seconds", seconds));
  PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/stationary_states", b->nstat, 0, b->state, NULL));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/stationary_lower", b->nstat, b->P, b->lower, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/stationary_upper", b->nstat, b->P, b->upper, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/edges_0", b->nedge[0], 0, b->edge[0], "1"));
  if (b->P == 2)
    PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/edges_1", b->nedge[1], 0, b->edge[1], "1"));
  PetscCall(PetscMalloc1(ntmp, &tmp));
  for (PetscInt c = 0; c < b->ncell; c++) tmp[c] = b->cell_nstat[c];
  PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cell_num_stationary", b->ncell, 0, tmp, NULL));
  for (PetscInt c = 0; c < b->ncell; c++) tmp[c] = b->cell_region[c];
  PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cell_region", b->ncell, 0, tmp, NULL));
  for (PetscInt r = 0; r < b->nregion; r++)
    for (PetscInt64 k = 0; k < b->nstat; k++)
      tmp[r * b->nstat + k] = (int64_t)(b->region_members[r * b->nwords + k / 64] >> (k % 64) & 1);
  PetscCall(
      NdWriteSharedInt64(out, "/binary/bifurcations/region_stationary", b->nregion, (PetscInt)b->nstat, tmp, NULL));
  if (b->cycle_offset) {
    for (PetscInt c = 0; c < b->ncell; c++) tmp[c] = b->cell_ncycle[c];
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cell_num_cycles", b->ncell, 0, tmp, NULL));
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cycle_offsets", b->ncycle + 1, 0, b->cycle_offset, NULL));
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cycle_states", b->cycle_offset[b->ncycle], 0,
                                 b->cycle_state, NULL));
    PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/cycle_lower", b->ncycle, b->P, b->cycle_lower, "1"));
    PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/cycle_upper", b->ncycle, b->P, b->cycle_upper, "1"));
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cell_cycles", b->npair, 2, b->pair, NULL));
  }
  PetscCall(PetscFree(tmp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -bin_cycles, by default on where the 2^N N cost per cell is small */
static PetscBool NdCyclesWanted(NdBinary bin)
{
  return bin->cycles_set ? bin->cycles : (PetscBool)(bin->N <= 16);
}

/* Before any file is opened: the preconditions of the analysis */
PetscErrorCode NdBinaryBifurcationsCheck(NdBinary bin)
{
  MPI_Comm       comm   = PetscObjectComm((PetscObject)bin);
  PetscBool      cycles = NdCyclesWanted(bin);
  const PetscInt P      = bin->npop;
  NdBinaryNoise  noise;

  PetscFunctionBegin;
  PetscCall(NdBinaryGetType(bin, &noise));
  PetscCheck(bin->update == ND_BINARY_SYNCHRONOUS, comm, PETSC_ERR_USER_INPUT,
             "bifurcations analyses the synchronous deterministic network: drop -bin_update asynchronous");
  PetscCheck(!strcmp(noise, NDBINARYDETERMINISTIC), comm, PETSC_ERR_USER_INPUT,
             "bifurcations analyses the deterministic network: use -bin_noise deterministic (not %s)", noise);
  PetscCheck(P <= 2, comm, PETSC_ERR_USER_INPUT,
             "bifurcations sweeps a stimulus per population in 1 or 2 dimensions: give at most 2 populations "
             "(-bin_population_sizes has %" PetscInt_FMT ")",
             P);
  PetscCheck((bin->nsweep_min == 0 && bin->nsweep_max == 0) || (bin->nsweep_min == P && bin->nsweep_max == P), comm,
             PETSC_ERR_USER_INPUT,
             "-bin_sweep_min and -bin_sweep_max need one value per population (%" PetscInt_FMT ")", P);
  PetscCheck(!cycles || bin->N <= 30, comm, PETSC_ERR_USER_INPUT,
             "-bin_cycles needs N <= 30 (the complete map of 2^N states)");
  if (cycles)
    PetscCall(NdBinaryCheckMemory(bin, "the cycle search (complete synchronous map, -bin_cycles)",
                                  8.0 * PetscPowReal(2.0, (PetscReal)bin->N)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryBifurcations(NdBinary bin, NdOutput out, PetscBool verbose)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)bin);
  NdBifurcations b;
  PetscInt64     nlocal = 0;
  int64_t       *st;
  PetscReal     *lo, *up;
  PetscLogDouble t0, t1, t2;
  PetscBool      cycles;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&b, sizeof(b)));
  b.P    = bin->npop;
  cycles = NdCyclesWanted(bin);
  PetscCall(NdBinaryBifurcationsCheck(bin));

  PetscCall(PetscTime(&t0));
  PetscCall(PetscLogEventBegin(ND_EVENT_BINARY_ENUMERATE, 0, 0, 0, 0));
  PetscCall(NdScanStates(bin, &nlocal, &st, &lo, &up));
  PetscCall(NdGatherStates(comm, b.P, nlocal, st, lo, up, &b));
  PetscCall(PetscFree3(st, lo, up));
  PetscCall(PetscTime(&t1));
  for (PetscInt d = 0; d < b.P; d++) PetscCall(NdCellEdges(bin, &b, d));
  PetscCall(NdCellSets(&b));
  if (cycles) {
    PetscCall(NdCellCycles(bin, &b));
    PetscCall(NdCycleBoxes(bin, &b));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BINARY_ENUMERATE, 0, 0, 0, 0));
  PetscCall(PetscTime(&t2));
  if (verbose)
    PetscCall(PetscPrintf(comm,
                          "neurodyn: %" PetscInt64_FMT " of 2^%" PetscInt_FMT
                          " states are stationary somewhere (%.2f s); %" PetscInt_FMT " cells, %" PetscInt_FMT
                          " regions, %s%" PetscInt_FMT " cycles (%.2f s)\n",
                          b.nstat, bin->N, (double)(t1 - t0), b.ncell, b.nregion,
                          cycles ? "" : "not searched: ", b.ncycle, (double)(t2 - t1)));
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(NdWriteBifurcations(&b, out, t1 - t0));
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(PetscFree3(b.state, b.lower, b.upper));
  for (PetscInt d = 0; d < b.P; d++) PetscCall(PetscFree(b.edge[d]));
  PetscCall(PetscFree2(b.cell_nstat, b.cell_region));
  PetscCall(PetscFree(b.region_members));
  PetscCall(PetscFree(b.cell_ncycle));
  PetscCall(PetscFree(b.cycle_offset));
  PetscCall(PetscFree(b.cycle_state));
  PetscCall(PetscFree2(b.cycle_lower, b.cycle_upper));
  PetscCall(PetscFree(b.pair));
  PetscFunctionReturn(PETSC_SUCCESS);
}
