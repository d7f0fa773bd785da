/* Bifurcations in stimulus space of the deterministic synchronous network (docs/models/binary.md).
   A state nu is stationary for the extra stimulus s (one value per population, added to I) iff
     max_{i in a, nu_i = 1} Lambda_i(nu) <= s_a < min_{i in a, nu_i = 0} Lambda_i(nu)  for every a,
   Lambda_i(nu) = theta_i - I_i - sum_{j != i} J_ij nu_j: a box in stimulus space. Every rank scans
   its contiguous block of the 2^N states. Cycles (oscillations) exist on boxes too; they are found
   exactly by a sweep over the breakpoints of the map (cycles.c). The finite edges of all these
   boxes are the bifurcation points; they cut the sweep box into cells on which the set of
   stationary states and the set of cycles are constant. */
#include <math.h>
#include <neurodyn/private/binaryimpl.h>

typedef struct {
  PetscInt       P;                /* stimulus dimensions (populations), 1 or 2 */
  PetscInt64     nstat;            /* stationary states (every state with a non-empty box) */
  int64_t       *state;            /* nstat */
  PetscReal     *lower, *upper;    /* nstat x P */
  PetscBool      searched;         /* cycles were searched */
  NdBinaryCycles cyc;              /* the cycles and their boxes */
  PetscReal      smin[2], smax[2]; /* the sweep box */
  PetscInt       nedge[2];         /* cell edges per dimension (box ends included) */
  PetscReal     *edge[2];
  PetscInt       ncell; /* prod (nedge - 1), row-major with dimension 0 first */
  PetscInt      *cell_nstat, *cell_ncycle, *cell_region, nregion;
  PetscInt       nwords;         /* words of a bit set over the stationary states, then the cycles */
  uint64_t      *region_members; /* nregion x nwords */
  PetscInt       npair;          /* (cell, cycle) pairs */
  int64_t       *pair;
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
  for (uint64_t block = start; block < end && !NdSignalPending(); block += (uint64_t)1 << tab.nlow) {
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

/* Cell edges of dimension d: the box ends and the distinct finite edges, strictly inside, of the
   boxes of the stationary states and of the cycles */
static PetscErrorCode NdCellEdges(NdBinary bin, NdBifurcations *b, PetscInt d)
{
  const PetscInt   P    = b->P;
  const PetscInt64 nbox = b->nstat + b->cyc.n;
  PetscReal       *v, bmin, bmax;
  PetscInt64       n = 0, m = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(2 * nbox + 2, &v));
  for (PetscInt64 k = 0; k < nbox; k++) {
    const PetscReal lo = k < b->nstat ? b->lower[k * P + d] : b->cyc.lower[(k - b->nstat) * P + d];
    const PetscReal hi = k < b->nstat ? b->upper[k * P + d] : b->cyc.upper[(k - b->nstat) * P + d];
    if (isfinite(lo)) v[n++] = lo;
    if (isfinite(hi)) v[n++] = hi;
  }
  qsort(v, (size_t)n, sizeof(PetscReal), NdCompareReal);
  for (PetscInt64 k = 0; k < n; k++)
    if (!m || v[k] != v[m - 1]) v[m++] = v[k];
  if (bin->nsweep_min == P) {
    bmin = b->smin[d];
    bmax = b->smax[d];
  } else { /* all bifurcation points and a margin of 10 % of their span */
    const PetscReal span = m > 1 ? v[m - 1] - v[0] : 1;
    bmin                 = (m ? v[0] : 0) - 0.1 * span - (m > 1 ? 0 : 0.9);
    bmax                 = (m ? v[m - 1] : 0) + 0.1 * span + (m > 1 ? 0 : 0.9);
  }
  PetscCall(PetscMalloc1(m + 2, &b->edge[d]));
  b->nedge[d]               = 0;
  b->edge[d][b->nedge[d]++] = bmin;
  for (PetscInt64 k = 0; k < m; k++)
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

static PetscBool NdInBox(PetscInt P, const PetscReal lo[], const PetscReal hi[], const PetscReal x[])
{
  for (PetscInt d = 0; d < P; d++)
    if (!(lo[d] <= x[d] && x[d] < hi[d])) return PETSC_FALSE;
  return PETSC_TRUE;
}

/* The stationary states and the cycles of every cell (those whose box holds its midpoint: both
   sets are constant on a cell) and the regions: the distinct pairs of sets, numbered in order of
   their bit sets (stationary states first, then cycles) */
static PetscErrorCode NdCellSets(NdBifurcations *b)
{
  const PetscInt P = b->P;
  uint64_t      *bits, **order;
  PetscInt64     npair = 0;

  PetscFunctionBegin;
  b->ncell  = (b->nedge[0] - 1) * (P == 2 ? b->nedge[1] - 1 : 1);
  b->nwords = (PetscInt)((b->nstat + b->cyc.n) / 64 + 1);
  PetscCall(PetscCalloc1((size_t)b->ncell * (size_t)b->nwords, &bits));
  PetscCall(PetscMalloc3(b->ncell, &b->cell_nstat, b->ncell, &b->cell_ncycle, b->ncell, &b->cell_region));
  PetscCall(PetscMalloc1(b->ncell, &order));
  for (PetscInt c = 0; c < b->ncell; c++) {
    PetscReal mid[2];
    uint64_t *set = bits + (size_t)c * (size_t)b->nwords;
    NdCellMidpoint(b, c, mid);
    b->cell_nstat[c] = b->cell_ncycle[c] = 0;
    for (PetscInt64 k = 0; k < b->nstat + b->cyc.n; k++) {
      const PetscBool  stationary = (PetscBool)(k < b->nstat);
      const PetscInt64 j          = stationary ? k : k - b->nstat;
      if (!NdInBox(P, (stationary ? b->lower : b->cyc.lower) + j * P, (stationary ? b->upper : b->cyc.upper) + j * P,
                   mid))
        continue;
      set[k / 64] |= (uint64_t)1 << (k % 64);
      if (stationary)
        b->cell_nstat[c]++;
      else
        b->cell_ncycle[c]++;
    }
    npair += b->cell_ncycle[c];
    order[c] = set;
  }
  b->npair = (PetscInt)npair;
  PetscCall(PetscMalloc1(2 * PetscMax(npair, 1), &b->pair));
  npair = 0;
  for (PetscInt c = 0; c < b->ncell; c++)
    for (PetscInt k = 0; k < b->cyc.n; k++) {
      const PetscInt64 bit = b->nstat + k;
      if (order[c][bit / 64] >> (bit % 64) & 1) {
        b->pair[2 * npair]     = c;
        b->pair[2 * npair + 1] = k;
        npair++;
      }
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

static PetscErrorCode NdWriteSharedInt64(NdOutput out, const char path[], PetscInt64 rows, PetscInt cols,
                                         const int64_t data[], const char units[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)out), &rank));
  PetscCall(NdOutputWriteArrayInt64(out, path, rows, cols, 0, rank ? 0 : rows, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The region x (stationary state or cycle) membership table, from bit `first` of each region's set */
static PetscErrorCode NdWriteRegionMembers(NdBifurcations *b, NdOutput out, const char path[], PetscInt64 first,
                                           PetscInt64 n, int64_t tmp[])
{
  PetscFunctionBegin;
  for (PetscInt r = 0; r < b->nregion; r++)
    for (PetscInt64 k = 0; k < n; k++) {
      const PetscInt64 bit = first + k;
      tmp[r * n + k]       = (int64_t)(b->region_members[r * b->nwords + bit / 64] >> (bit % 64) & 1);
    }
  PetscCall(NdWriteSharedInt64(out, path, b->nregion, n ? (PetscInt)n : ND_NO_COLUMNS, tmp, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdWriteBifurcations(NdBifurcations *b, NdOutput out, PetscLogDouble seconds)
{
  const char *g = "/binary/bifurcations";
  int64_t    *tmp;
  PetscInt64  ntmp = PetscMax(PetscMax(b->ncell, b->nregion * PetscMax(b->nstat, b->cyc.n)), 1);

  PetscFunctionBegin;
  PetscCall(NdOutputWriteAttributeInt(out, g, "dimension", b->P));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_stationary", b->nstat));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_cells", b->ncell));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_regions", b->nregion));
  PetscCall(NdOutputWriteAttributeInt(out, g, "num_cycles", b->cyc.n));
  PetscCall(NdOutputWriteAttributeInt(out, g, "cycles_searched", b->searched));
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
  PetscCall(NdWriteRegionMembers(b, out, "/binary/bifurcations/region_stationary", 0, b->nstat, tmp));
  if (b->searched) {
    PetscCall(NdWriteRegionMembers(b, out, "/binary/bifurcations/region_cycles", b->nstat, b->cyc.n, tmp));
    for (PetscInt c = 0; c < b->ncell; c++) tmp[c] = b->cell_ncycle[c];
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cell_num_cycles", b->ncell, 0, tmp, NULL));
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cycle_offsets", b->cyc.n + 1, 0, b->cyc.offset, NULL));
    PetscCall(
        NdWriteSharedInt64(out, "/binary/bifurcations/cycle_states", b->cyc.offset[b->cyc.n], 0, b->cyc.state, NULL));
    PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/cycle_lower", b->cyc.n, b->P, b->cyc.lower, "1"));
    PetscCall(NdOutputWriteSharedArray(out, "/binary/bifurcations/cycle_upper", b->cyc.n, b->P, b->cyc.upper, "1"));
    PetscCall(NdWriteSharedInt64(out, "/binary/bifurcations/cell_cycles", b->npair, 2, b->pair, NULL));
  }
  PetscCall(PetscFree(tmp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -bin_cycles, by default on where the sweep is fast: 2^N N breakpoints in 1-D, and about
   4^N N_0 N_1 steps in 2-D (N = 12: seconds) */
static PetscBool NdCyclesWanted(NdBinary bin)
{
  return bin->cycles_set ? bin->cycles : (PetscBool)(bin->N <= (bin->npop == 1 ? 16 : 12));
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
  PetscCheck(!cycles || bin->N <= 26, comm, PETSC_ERR_USER_INPUT,
             "-bin_cycles needs N <= 26 (a sweep over all 2^N N breakpoints of the map; turn it off with -bin_cycles "
             "false)");
  for (PetscInt d = 0; d < P && bin->nsweep_min == P; d++)
    PetscCheck(bin->sweep_min[d] < bin->sweep_max[d], comm, PETSC_ERR_USER_INPUT,
               "-bin_sweep_min (%g) must be below -bin_sweep_max (%g) in dimension %" PetscInt_FMT,
               (double)bin->sweep_min[d], (double)bin->sweep_max[d], d);
  if (cycles)
    PetscCall(NdBinaryCheckMemory(bin, "the cycle search (a sweep over the breakpoints of the map, -bin_cycles)",
                                  NdBinaryCyclesMemory(bin)));
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

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&b, sizeof(b)));
  b.P        = bin->npop;
  b.searched = NdCyclesWanted(bin);
  PetscCall(NdBinaryBifurcationsCheck(bin));
  for (PetscInt d = 0; d < b.P; d++) { /* the given sweep box, or all of stimulus space */
    b.smin[d] = bin->nsweep_min == b.P ? bin->sweep_min[d] : -(PetscReal)INFINITY;
    b.smax[d] = bin->nsweep_min == b.P ? bin->sweep_max[d] : (PetscReal)INFINITY;
  }

  PetscCall(PetscTime(&t0));
  PetscCall(PetscLogEventBegin(ND_EVENT_BINARY_ENUMERATE, 0, 0, 0, 0));
  PetscCall(NdScanStates(bin, &nlocal, &st, &lo, &up)); /* a rank that caught a signal stops early */
  PetscCall(NdSignalStop(comm, out, "in the enumeration of the states"));
  PetscCall(NdGatherStates(comm, b.P, nlocal, st, lo, up, &b));
  PetscCall(PetscFree3(st, lo, up));
  PetscCall(PetscTime(&t1));
  if (b.searched) {
    PetscCall(NdBinaryFindCycles(bin, b.smin, b.smax, &b.cyc));
    PetscCall(NdSignalStop(comm, out, "in the cycle search"));
  }
  for (PetscInt d = 0; d < b.P; d++) PetscCall(NdCellEdges(bin, &b, d));
  PetscCall(NdCellSets(&b));
  PetscCall(PetscLogEventEnd(ND_EVENT_BINARY_ENUMERATE, 0, 0, 0, 0));
  PetscCall(PetscTime(&t2));
  if (verbose)
    PetscCall(PetscPrintf(comm,
                          "neurodyn: %" PetscInt64_FMT " of 2^%" PetscInt_FMT
                          " states are stationary somewhere (%.2f s); %s%" PetscInt_FMT " cycles; %" PetscInt_FMT
                          " cells, %" PetscInt_FMT " regions (%.2f s)\n",
                          b.nstat, bin->N, (double)(t1 - t0), b.searched ? "" : "not searched: ", b.cyc.n, b.ncell,
                          b.nregion, (double)(t2 - t1)));
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(NdWriteBifurcations(&b, out, t1 - t0));
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(PetscFree3(b.state, b.lower, b.upper));
  PetscCall(NdBinaryCyclesDestroy(&b.cyc));
  for (PetscInt d = 0; d < b.P; d++) PetscCall(PetscFree(b.edge[d]));
  PetscCall(PetscFree3(b.cell_nstat, b.cell_ncycle, b.cell_region));
  PetscCall(PetscFree(b.region_members));
  PetscCall(PetscFree(b.pair));
  PetscFunctionReturn(PETSC_SUCCESS);
}
