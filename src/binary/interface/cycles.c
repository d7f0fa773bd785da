/* Every cycle of the deterministic synchronous map in a box of extra stimuli, found exactly.
   The next state of nu has bit i on iff Lambda_i(nu) <= s_a (a the population of i; docs/models/binary.md),
   so the map changes only where s_a crosses one of the 2^N N values Lambda_i(nu): its
   breakpoints. A cycle exists on a box (the intersection of its transitions' boxes), and it
   appears, sweeping s_0 upwards, exactly at a breakpoint where the image of one of its states
   changes. So one sweep over the sorted breakpoints finds every cycle: after each group of equal
   breakpoints only the states whose image changed are followed to see whether they lie on a
   cycle; the map is never recomputed. In 2-D the s_0 sweep is repeated for every interval of s_1
   between its breakpoints (the map is constant in s_1 there): 4^N N_0 N_1 steps in the worst case.
   1-D: the sorted breakpoints are split into contiguous ranges, one per rank; 2-D: the s_1
   intervals are dealt out round-robin. The cycles are gathered and numbered alike on every rank. */
#include <math.h>
#include <neurodyn/private/binaryimpl.h>

typedef struct {
  NdBinary   bin;
  PetscInt   N, P;
  uint64_t   nstates;
  PetscReal *lambda;   /* nstates x N: Lambda_i(nu), as NdScanStates computes it */
  PetscInt   nbp[2];   /* breakpoints of each dimension strictly inside the box, ascending */
  PetscReal *value[2]; /* their Lambda */
  PetscInt  *key[2];   /* nu N + i */
  uint32_t   mask[2];  /* the bits of each population's neurons */
  uint32_t  *F, *mark, stamp;
  PetscReal  smin[2], smax[2];
  PetscReal  at[2];    /* where the sweep is: the start of the current interval of each dimension */
  PetscBool  first[2]; /* the current interval is the first of the box in that dimension */
  int64_t   *list;     /* the cycles found on this rank: (length, states from the smallest) ... */
  PetscInt64 nlist, cap;
} NdCycleSweep;

static PetscErrorCode NdCycleSweepCreate(NdBinary bin, const PetscReal smin[], const PetscReal smax[], NdCycleSweep *w)
{
  const PetscInt     N = bin->N;
  NdBinaryFieldTable tab;
  PetscReal         *high, *thr;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(w, sizeof(*w)));
  w->bin     = bin;
  w->N       = N;
  w->P       = bin->npop;
  w->nstates = (uint64_t)1 << N;
  for (PetscInt d = 0; d < w->P; d++) {
    w->smin[d] = smin[d];
    w->smax[d] = smax[d];
  }
  for (PetscInt i = 0; i < N; i++) w->mask[bin->pop[i]] |= (uint32_t)1 << i;
  PetscCall(PetscMalloc1(w->nstates * (uint64_t)N, &w->lambda));
  PetscCall(PetscMalloc2(w->nstates, &w->F, w->nstates, &w->mark));
  PetscCall(NdBinaryFieldTableCreate(bin, &tab));
  PetscCall(PetscMalloc2(N, &high, N, &thr));
  for (uint64_t block = 0; block < w->nstates; block += (uint64_t)1 << tab.nlow) {
    NdBinaryFieldHigh(bin, &tab, block, high);
    for (PetscInt i = 0; i < N; i++) thr[i] = bin->theta[i] - bin->stim[i] - high[i];
    for (uint64_t low = 0; low < ((uint64_t)1 << tab.nlow); low++)
      for (PetscInt i = 0; i < N; i++)
        w->lambda[(block | low) * (uint64_t)N + (uint64_t)i] = thr[i] - tab.low[low * (uint64_t)N + (uint64_t)i];
  }
  PetscCall(PetscFree2(high, thr));
  PetscCall(NdBinaryFieldTableDestroy(&tab));

  for (PetscInt d = 0; d < w->P; d++) {
    PetscInt n = 0;
    for (uint64_t k = 0; k < w->nstates * (uint64_t)N; k++) {
      const PetscReal v = w->lambda[k];
      if (bin->pop[k % (uint64_t)N] == d && v > smin[d] && v < smax[d]) n++;
    }
    PetscCall(PetscMalloc2(PetscMax(n, 1), &w->value[d], PetscMax(n, 1), &w->key[d]));
    w->nbp[d] = 0;
    for (uint64_t k = 0; k < w->nstates * (uint64_t)N; k++) {
      const PetscReal v = w->lambda[k];
      if (bin->pop[k % (uint64_t)N] == d && v > smin[d] && v < smax[d]) {
        w->value[d][w->nbp[d]] = v;
        w->key[d][w->nbp[d]++] = (PetscInt)k;
      }
    }
    PetscCall(PetscSortRealWithArrayInt(w->nbp[d], w->value[d], w->key[d]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCycleSweepDestroy(NdCycleSweep *w)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(w->lambda));
  PetscCall(PetscFree2(w->F, w->mark));
  for (PetscInt d = 0; d < w->P; d++) PetscCall(PetscFree2(w->value[d], w->key[d]));
  PetscCall(PetscFree(w->list));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The bits of population d in every image, at s_d = s */
static void NdCycleSweepSetBits(NdCycleSweep *w, PetscInt d, PetscReal s)
{
  for (uint64_t nu = 0; nu < w->nstates; nu++) {
    const PetscReal *lam  = w->lambda + nu * (uint64_t)w->N;
    uint32_t         bits = 0;
    for (PetscInt i = 0; i < w->N; i++)
      if (w->bin->pop[i] == d && lam[i] <= s) bits |= (uint32_t)1 << i;
    w->F[nu] = (w->F[nu] & ~w->mask[d]) | bits;
  }
  w->at[d] = s;
}

/* The exact box of the cycle through nu (nu^0 = nu, nu^{k+1} = F(nu^k)) */
static void NdCycleBox(const NdCycleSweep *w, uint32_t nu, PetscReal lo[], PetscReal hi[])
{
  for (PetscInt d = 0; d < w->P; d++) {
    lo[d] = -(PetscReal)INFINITY;
    hi[d] = (PetscReal)INFINITY;
  }
  for (uint32_t from = nu, to = w->F[nu];; from = to, to = w->F[to]) {
    const PetscReal *lam = w->lambda + (uint64_t)from * (uint64_t)w->N;
    for (PetscInt i = 0; i < w->N; i++) {
      const PetscInt d = w->bin->pop[i];
      if (to >> i & 1)
        lo[d] = PetscMax(lo[d], lam[i]);
      else
        hi[d] = PetscMin(hi[d], lam[i]);
    }
    if (to == nu) break;
  }
}

/* nu lies on a cycle of length >= 2: record it once, where the sweep first meets it, i.e. where
   its box begins in every dimension (or at the start of the box of the sweep) */
static PetscErrorCode NdCycleSweepRecord(NdCycleSweep *w, uint32_t nu)
{
  PetscReal lo[2], hi[2];
  uint32_t  len = 1, smin = nu;

  PetscFunctionBegin;
  NdCycleBox(w, nu, lo, hi);
  for (PetscInt d = 0; d < w->P; d++)
    if (!w->first[d] && lo[d] < w->at[d]) PetscFunctionReturn(PETSC_SUCCESS); /* met before */
  for (uint32_t t = w->F[nu]; t != nu; t = w->F[t], len++) smin = PetscMin(smin, t);
  if (w->nlist + len + 1 > w->cap) {
    int64_t *grown;
    w->cap = 2 * (w->cap + len + 1);
    PetscCall(PetscMalloc1(w->cap, &grown));
    PetscCall(PetscArraycpy(grown, w->list, w->nlist));
    PetscCall(PetscFree(w->list));
    w->list = grown;
  }
  w->list[w->nlist++] = len;
  for (uint32_t k = 0, t = smin; k < len; k++, t = w->F[t]) w->list[w->nlist++] = t;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static uint32_t NdCycleSweepStamp(NdCycleSweep *w)
{
  if (w->stamp == UINT32_MAX) {
    memset(w->mark, 0, w->nstates * sizeof(*w->mark));
    w->stamp = 0;
  }
  return ++w->stamp;
}

/* Is nu on a cycle of the current map? Follow it until a state repeats. */
static PetscErrorCode NdCycleSweepCheck(NdCycleSweep *w, uint32_t nu)
{
  uint32_t stamp, t = nu;

  PetscFunctionBegin;
  if (w->F[nu] == nu) PetscFunctionReturn(PETSC_SUCCESS); /* a fixed point */
  stamp = NdCycleSweepStamp(w);
  do {
    w->mark[t] = stamp;
    t          = w->F[t];
  } while (w->mark[t] != stamp);
  if (t == nu) PetscCall(NdCycleSweepRecord(w, nu));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every cycle of the current map: each state is walked once (a walk stops where an earlier one
   passed, or closes a cycle of its own) */
static PetscErrorCode NdCycleSweepAll(NdCycleSweep *w)
{
  uint32_t base;

  PetscFunctionBegin;
  memset(w->mark, 0, w->nstates * sizeof(*w->mark));
  w->stamp = 0;
  base     = 0;
  for (uint64_t s0 = 0; s0 < w->nstates; s0++) {
    uint32_t t = (uint32_t)s0, stamp = (uint32_t)s0 + 1;
    if (w->mark[t]) continue;
    while (!w->mark[t]) {
      w->mark[t] = stamp;
      t          = w->F[t];
    }
    if (w->mark[t] == stamp && w->F[t] != t) PetscCall(NdCycleSweepRecord(w, t));
    base = stamp;
  }
  w->stamp = base;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Sweep s_0 over the breakpoints [kb, ke) (whole groups of equal values); F is the map just
   below value[0][kb] */
static PetscErrorCode NdCycleSweepRange(NdCycleSweep *w, PetscInt kb, PetscInt ke)
{
  const PetscInt N = w->N;

  PetscFunctionBegin;
  for (PetscInt k = kb; k < ke && !NdSignalPending();) {
    const PetscReal v = w->value[0][k];
    const PetscInt  g = k;
    for (; k < ke && w->value[0][k] == v; k++) w->F[w->key[0][k] / N] |= (uint32_t)1 << (w->key[0][k] % N);
    w->at[0]    = v;
    w->first[0] = PETSC_FALSE;
    for (PetscInt j = g; j < k; j++) PetscCall(NdCycleSweepCheck(w, (uint32_t)(w->key[0][j] / N)));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The start of this rank's range of the sorted breakpoints: an equal split moved forward to the
   start of a group of equal values, so that no group is split */
static PetscInt NdGroupStart(const NdCycleSweep *w, PetscMPIInt r, PetscMPIInt size)
{
  const PetscInt n = w->nbp[0];
  PetscInt       k = (PetscInt)((PetscInt64)n * r / size);

  while (k > 0 && k < n && w->value[0][k] == w->value[0][k - 1]) k++;
  return k;
}

/* Sweep the whole s_0 range from its start, where all cycles are searched */
static PetscErrorCode NdCycleSweepDimension0(NdCycleSweep *w)
{
  PetscFunctionBegin;
  NdCycleSweepSetBits(w, 0, w->smin[0]);
  w->first[0] = PETSC_TRUE;
  PetscCall(NdCycleSweepAll(w));
  PetscCall(NdCycleSweepRange(w, 0, w->nbp[0]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCycleSweepRun(NdCycleSweep *w, MPI_Comm comm)
{
  PetscMPIInt rank, size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscArrayzero(w->F, w->nstates));
  if (w->P == 1) {
    const PetscInt kb = NdGroupStart(w, rank, size), ke = NdGroupStart(w, rank + 1, size);
    NdCycleSweepSetBits(w, 0, w->smin[0]);
    if (rank == 0) {
      w->first[0] = PETSC_TRUE;
      PetscCall(NdCycleSweepAll(w));
    } else { /* the map just below this rank's first group; the rank before searched it */
      for (PetscInt k = 0; k < kb; k++) w->F[w->key[0][k] / w->N] |= (uint32_t)1 << (w->key[0][k] % w->N);
      w->first[0] = PETSC_FALSE;
    }
    PetscCall(NdCycleSweepRange(w, kb, ke));
  } else {
    /* interval j of s_1 starts at smin[1] (j = 0) or at its j-th distinct breakpoint; k is the
       first breakpoint above the start */
    for (PetscInt j = 0, k = 0; !NdSignalPending(); j++) {
      if (j % size == rank) {
        NdCycleSweepSetBits(w, 1, j ? w->value[1][k - 1] : w->smin[1]);
        w->first[1] = (PetscBool)(j == 0);
        PetscCall(NdCycleSweepDimension0(w));
      }
      if (k == w->nbp[1]) break;
      {
        const PetscReal v = w->value[1][k];
        while (k < w->nbp[1] && w->value[1][k] == v) k++;
      }
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

typedef struct {
  const int64_t *c; /* (length, states...) */
} NdCycleRef;

static int NdCompareCycles(const void *a, const void *b)
{
  const int64_t *x = ((const NdCycleRef *)a)->c, *y = ((const NdCycleRef *)b)->c;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  for (int64_t k = 0; k < x[0]; k++)
    if (x[1 + k] != y[1 + k]) return x[1 + k] < y[1 + k] ? -1 : 1;
  return 0;
}

/* Gather every rank's list; the distinct cycles in (length, states) order, with their boxes */
static PetscErrorCode NdCycleSweepCollect(NdCycleSweep *w, MPI_Comm comm, NdBinaryCycles *cycles)
{
  PetscMPIInt size, *counts, *displs, mine;
  PetscInt64  total = 0;
  int64_t    *all;
  NdCycleRef *refs;
  PetscInt    nref = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCheck(w->nlist < PETSC_MPI_INT_MAX, comm, PETSC_ERR_SUP, "too many cycles to gather");
  mine = (PetscMPIInt)w->nlist;
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCallMPI(MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, comm));
  for (PetscMPIInt r = 0; r < size; r++) {
    displs[r] = (PetscMPIInt)total;
    total += counts[r];
  }
  PetscCheck(total < PETSC_MPI_INT_MAX, comm, PETSC_ERR_SUP, "too many cycles to gather");
  PetscCall(PetscMalloc1(PetscMax(total, 1), &all));
  PetscCallMPI(MPI_Allgatherv(w->list, mine, MPI_INT64_T, all, counts, displs, MPI_INT64_T, comm));
  PetscCall(PetscFree2(counts, displs));

  for (PetscInt64 k = 0; k < total; k += 1 + all[k]) nref++;
  PetscCall(PetscMalloc1(PetscMax(nref, 1), &refs));
  nref = 0;
  for (PetscInt64 k = 0; k < total; k += 1 + all[k]) refs[nref++].c = all + k;
  qsort(refs, (size_t)nref, sizeof(NdCycleRef), NdCompareCycles);
  PetscCall(PetscMalloc1(nref + 1, &cycles->offset));
  PetscCall(PetscMalloc1(PetscMax(total, 1), &cycles->state));
  PetscCall(PetscMalloc2(PetscMax(nref, 1) * w->P, &cycles->lower, PetscMax(nref, 1) * w->P, &cycles->upper));
  cycles->n         = 0;
  cycles->offset[0] = 0;
  for (PetscInt k = 0; k < nref; k++) {
    const int64_t *c = refs[k].c;
    if (k && !NdCompareCycles(&refs[k], &refs[k - 1])) continue;
    PetscCall(PetscArraycpy(cycles->state + cycles->offset[cycles->n], c + 1, c[0]));
    cycles->offset[cycles->n + 1] = cycles->offset[cycles->n] + c[0];
    cycles->n++;
  }
  PetscCall(PetscFree(refs));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryFindCycles(NdBinary bin, const PetscReal smin[], const PetscReal smax[], NdBinaryCycles *cycles)
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)bin);
  NdCycleSweep w;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(cycles, sizeof(*cycles)));
  PetscCall(NdCycleSweepCreate(bin, smin, smax, &w));
  PetscCall(NdCycleSweepRun(&w, comm));
  PetscCall(NdCycleSweepCollect(&w, comm, cycles));
  /* the boxes, from the same Lambda: F is replaced by each cycle's own transitions */
  for (PetscInt c = 0; c < cycles->n; c++) {
    const PetscInt64 first = cycles->offset[c], len = cycles->offset[c + 1] - first;
    for (PetscInt64 k = 0; k < len; k++) w.F[cycles->state[first + k]] = (uint32_t)cycles->state[first + (k + 1) % len];
    NdCycleBox(&w, (uint32_t)cycles->state[first], cycles->lower + c * w.P, cycles->upper + c * w.P);
  }
  PetscCall(NdCycleSweepDestroy(&w));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryCyclesDestroy(NdBinaryCycles *cycles)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(cycles->offset));
  PetscCall(PetscFree(cycles->state));
  PetscCall(PetscFree2(cycles->lower, cycles->upper));
  cycles->n = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Bytes one rank needs for NdBinaryFindCycles */
PetscLogDouble NdBinaryCyclesMemory(NdBinary bin)
{
  const PetscLogDouble states = PetscPowReal(2.0, (PetscReal)bin->N);
  return states * (bin->N * (sizeof(PetscReal) + sizeof(PetscReal) + sizeof(PetscInt)) + 2 * sizeof(uint32_t));
}
