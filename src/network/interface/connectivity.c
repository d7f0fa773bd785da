/* Building the connectivity in parallel: each rank generates the synapses onto its own neurons
   (its rows of W) from counter-based random numbers keyed by (seed, projection, target neuron,
   synapse), so W is the same at any number of ranks. From the rows it builds W (MPIAIJ, row =
   postsynaptic) and the delivery structure: per presynaptic neuron its local synapses (target,
   weight, delay, input channel; 12 bytes each). */
#include <math.h>
#include <neurodyn/private/networkimpl.h>
#include <neurodyn/rng.h>

/* Synapses onto the local neurons of one projection, rows = local target neurons */
typedef struct {
  PetscInt64 *ptr; /* [nlocal + 1] */
  PetscInt   *src; /* source neuron, index within the source population */
  PetscInt64  cap;
  PetscReal  *w, *d; /* weights and delays (time units) given by a file, or NULL: drawn */
} NdRows;

static PetscErrorCode NdRowsPush(NdRows *rows, PetscInt64 *n, PetscInt src)
{
  PetscFunctionBegin;
  if (*n == rows->cap) {
    rows->cap = PetscMax(1024, 2 * rows->cap);
    PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)rows->cap, &rows->src));
  }
  rows->src[(*n)++] = src;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* K distinct or independent draws from [0, n) excluding 'self' (or -1), sorted, keyed (seed, stream, row) */
static PetscErrorCode NdDrawSources(uint64_t seed, uint32_t stream, PetscInt row, PetscInt K, PetscInt n, PetscInt self,
                                    PetscBool multapses, NdRows *rows, PetscInt64 *nnz)
{
  PetscInt64 start = *nnz, have = 0;
  uint64_t   draw = 0;

  PetscFunctionBegin;
  while (have < K) {
    while (have < K) {
      PetscInt s = (PetscInt)(NdRandomUniform(seed, stream, (uint64_t)row, draw++) * (PetscReal)n);
      if (s >= n) s = n - 1;
      if (s == self) continue;
      PetscCall(NdRowsPush(rows, nnz, s));
      have++;
    }
    PetscCall(PetscSortInt((PetscInt)have, rows->src + start));
    if (!multapses) {
      PetscInt m = (PetscInt)have;
      PetscCall(PetscSortedRemoveDupsInt(&m, rows->src + start));
      have = m;
      *nnz = start + have;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The local rows of a projection read from a file: weights from its data, delays from its
   'delays' array when there is one (in time units, at least one step), else the projection's */
static PetscErrorCode NdProjectionReadRows(NdNetwork net, PetscInt ip, NdRows *rows)
{
  MPI_Comm            comm = PetscObjectComm((PetscObject)net);
  const NdProjection *pr   = &net->proj[ip];
  const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
  PetscInt           *ia, *ja, *ia2, *ja2;
  PetscScalar        *va, *da = NULL;
  PetscBool           has;
  PetscReal           shortest = PETSC_MAX_REAL;
  char                opt[128];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s_file", S->name, T->name));
  PetscCall(NdReadMatrixRows(comm, opt, pr->file, "/", "data", S->size, T->lstart, T->nlocal, &ia, &ja, &va));
  PetscCall(NdReadMatrixHasArray(comm, pr->file, "/", "delays", &has));
  if (has) {
    PetscCall(NdReadMatrixRows(comm, opt, pr->file, "/", "delays", S->size, T->lstart, T->nlocal, &ia2, &ja2, &da));
    PetscCall(PetscFree(ia2));
    PetscCall(PetscFree(ja2));
    for (PetscInt k = 0; k < ia[T->nlocal]; k++) shortest = PetscMin(shortest, da[k]);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &shortest, 1, MPIU_REAL, MPIU_MIN, comm));
  PetscCheck(shortest >= net->dt * (1 - 1e-9), comm, PETSC_ERR_USER_INPUT,
             "%s: the file's shortest delay (%g) is less than the time step -ts_dt = %g", opt, (double)shortest,
             (double)net->dt);
  PetscCall(PetscMalloc1(T->nlocal + 1, &rows->ptr));
  for (PetscInt i = 0; i <= T->nlocal; i++) rows->ptr[i] = ia[i];
  rows->src = ja;
  rows->w   = va;
  rows->d   = da;
  PetscCall(PetscFree(ia));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The sources of each local target neuron of projection pr */
static PetscErrorCode NdProjectionGenerateRows(NdNetwork net, PetscInt ip, NdRows *rows)
{
  const NdProjection *pr = &net->proj[ip];
  const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
  const uint64_t      seed   = (uint64_t)net->seed;
  const uint32_t      stream = ND_STREAM(ND_STREAM_CONNECT, ip);
  const PetscBool     same   = (PetscBool)(pr->source == pr->target);
  PetscInt64          nnz    = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(T->nlocal + 1, &rows->ptr));
  rows->ptr[0] = 0;
  if (pr->rule == ND_RULE_FIXED_OUTDEGREE) {
    /* every rank walks all sources and keeps the targets it owns (cost: all synapses of the projection) */
    PetscInt64 *count, *fill;
    PetscCall(PetscCalloc1(T->nlocal + 1, &count));
    for (PetscInt pass = 0; pass < 2; pass++) {
      if (pass == 1) {
        for (PetscInt i = 0; i < T->nlocal; i++) rows->ptr[i + 1] = rows->ptr[i] + count[i];
        nnz       = rows->ptr[T->nlocal];
        rows->cap = PetscMax(nnz, 1);
        PetscCall(PetscMalloc1(rows->cap, &rows->src));
        PetscCall(PetscCalloc1(T->nlocal, &fill));
      }
      for (PetscInt s = 0; s < S->size; s++) {
        NdRows     tg = {0};
        PetscInt64 n  = 0;
        PetscCall(
            NdDrawSources(seed, stream, s, pr->K, T->size, same && !pr->autapses ? s : -1, pr->multapses, &tg, &n));
        for (PetscInt64 k = 0; k < n; k++) {
          const PetscInt i = tg.src[k] - T->lstart;
          if (i < 0 || i >= T->nlocal) continue;
          if (pass == 0)
            count[i]++;
          else
            rows->src[rows->ptr[i] + fill[i]++] = s; /* sources come in increasing order */
        }
        PetscCall(PetscFree(tg.src));
      }
    }
    PetscCall(PetscFree(count));
    PetscCall(PetscFree(fill));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (pr->rule == ND_RULE_FILE) PetscFunctionReturn(NdProjectionReadRows(net, ip, rows));
  for (PetscInt i = 0; i < T->nlocal; i++) {
    const PetscInt j    = T->lstart + i; /* target, within its population */
    const PetscInt self = same && !pr->autapses ? j : -1;
    if (pr->rule == ND_RULE_BERNOULLI && pr->p > 0) {
      /* geometric gaps between successive sources: O(synapses), not O(N^2) */
      const PetscReal lq  = pr->p < 1 ? log1p(-pr->p) : 0;
      PetscInt64      pos = -1;
      for (uint64_t draw = 0;; draw++) {
        if (pr->p >= 1)
          pos++;
        else {
          const PetscReal g = PetscFloorReal(PetscLogReal(NdRandomUniform(seed, stream, (uint64_t)j, draw)) / lq);
          if (g >= (PetscReal)S->size) break;
          pos += 1 + (PetscInt64)g;
        }
        if (pos >= S->size) break;
        if (pos != self) PetscCall(NdRowsPush(rows, &nnz, (PetscInt)pos));
      }
    } else if (pr->rule == ND_RULE_FIXED_INDEGREE)
      PetscCall(NdDrawSources(seed, stream, j, pr->K, S->size, self, pr->multapses, rows, &nnz));
    rows->ptr[i + 1] = nnz;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Weight and delay (in steps) of synapse s (in rows) onto local target i of projection ip: from
   the file, or drawn with the synapse's index k within its row */
static void NdSynapseDraw(NdNetwork net, PetscInt ip, const NdRows *rows, PetscInt i, PetscInt64 s, PetscReal *w,
                          PetscInt *d)
{
  const NdProjection *pr    = &net->proj[ip];
  const uint64_t      seed  = (uint64_t)net->seed;
  const PetscInt      j     = net->pop[pr->target]->lstart + i;
  const PetscInt64    k     = s - rows->ptr[i];
  PetscReal           delay = rows->d ? rows->d[s] : pr->delay;

  if (rows->w) {
    *w = rows->w[s];
    *d = PetscMax(1, (PetscInt)PetscFloorReal(delay / net->dt + 0.5));
    return;
  }
  *w = pr->weight;
  if (pr->weight_dist == ND_DIST_GAUSSIAN)
    *w += pr->weight_spread * NdRandomNormal(seed, ND_STREAM(ND_STREAM_WEIGHT, ip), (uint64_t)j, (uint64_t)k);
  else if (pr->weight_dist == ND_DIST_UNIFORM)
    *w +=
        pr->weight_spread * (2 * NdRandomUniform(seed, ND_STREAM(ND_STREAM_WEIGHT, ip), (uint64_t)j, (uint64_t)k) - 1);
  if (pr->delay_dist == ND_DIST_UNIFORM)
    delay +=
        pr->delay_spread * (2 * NdRandomUniform(seed, ND_STREAM(ND_STREAM_DELAY, ip), (uint64_t)j, (uint64_t)k) - 1);
  *d = PetscMax(1, (PetscInt)PetscFloorReal(delay / net->dt + 0.5));
}

/* W from the rows of every projection: row = global postsynaptic index, column = global
   presynaptic index, value = summed weights (multapses add) */
static PetscErrorCode NdNetworkAssembleMatrix(NdNetwork net, NdRows *rows)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)net);
  PetscInt *dnz, *onz, cstart, cend;
  PetscInt  rend = net->rstart + net->nlocal;

  PetscFunctionBegin;
  PetscCall(MatCreate(comm, &net->W));
  PetscCall(MatSetSizes(net->W, net->nlocal, net->nlocal, net->N, net->N));
  PetscCall(MatSetType(net->W, MATAIJ));
  PetscCall(PetscObjectSetName((PetscObject)net->W, "connectivity"));
  PetscCall(PetscCalloc2(net->nlocal, &dnz, net->nlocal, &onz));
  cstart = net->rstart;
  cend   = rend;
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    const NdProjection *pr = &net->proj[ip];
    const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
    if (!rows[ip].ptr) continue; /* all-to-all: no synapses */
    for (PetscInt i = 0; i < T->nlocal; i++)
      for (PetscInt64 k = rows[ip].ptr[i]; k < rows[ip].ptr[i + 1]; k++) {
        const PetscInt col = S->gstart + rows[ip].src[k];
        if (col >= cstart && col < cend)
          dnz[T->local_offset + i]++;
        else
          onz[T->local_offset + i]++;
      }
  }
  for (PetscInt r = 0; r < net->nlocal; r++) {
    dnz[r] = PetscMin(dnz[r], net->nlocal);
    onz[r] = PetscMin(onz[r], net->N - net->nlocal);
  }
  PetscCall(MatSeqAIJSetPreallocation(net->W, 0, dnz));
  PetscCall(MatMPIAIJSetPreallocation(net->W, 0, dnz, 0, onz));
  PetscCall(PetscFree2(dnz, onz));
  for (PetscInt ip = 0; ip < net->nproj; ip++) { /* one MatSetValues per row and projection */
    const NdProjection *pr = &net->proj[ip];
    const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
    PetscInt           *cols, width                 = 0;
    PetscScalar        *vals;
    if (!rows[ip].ptr) continue;
    for (PetscInt i = 0; i < T->nlocal; i++) width = PetscMax(width, (PetscInt)(rows[ip].ptr[i + 1] - rows[ip].ptr[i]));
    PetscCall(PetscMalloc2(PetscMax(width, 1), &cols, PetscMax(width, 1), &vals));
    for (PetscInt i = 0; i < T->nlocal; i++) {
      const PetscInt row = T->gstart + T->lstart + i;
      PetscInt       nc  = 0;
      for (PetscInt64 k = rows[ip].ptr[i]; k < rows[ip].ptr[i + 1]; k++, nc++) {
        PetscInt d;
        cols[nc] = S->gstart + rows[ip].src[k];
        NdSynapseDraw(net, ip, &rows[ip], i, k, &vals[nc], &d);
      }
      PetscCall(MatSetValues(net->W, 1, &row, nc, cols, vals, ADD_VALUES)); /* multapses add up */
    }
    PetscCall(PetscFree2(cols, vals));
  }
  PetscCall(MatAssemblyBegin(net->W, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(net->W, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The delivery structure: a counting sort of the local synapses by presynaptic neuron. Within a
   presynaptic neuron, synapses keep the order (projection, target, synapse), the same at any
   number of ranks, so input sums are bitwise reproducible. */
static PetscErrorCode NdNetworkBuildDelivery(NdNetwork net, NdRows *rows)
{
  NdDelivery *dv = &net->dlv;
  PetscInt64 *fill, total = 0;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(net->N + 1, &dv->ptr));
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    const NdProjection *pr = &net->proj[ip];
    const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
    if (!rows[ip].ptr) continue;
    for (PetscInt64 k = 0; k < rows[ip].ptr[T->nlocal]; k++) dv->ptr[S->gstart + rows[ip].src[k] + 1]++;
    total += rows[ip].ptr[T->nlocal];
  }
  for (PetscInt j = 0; j < net->N; j++) dv->ptr[j + 1] += dv->ptr[j];
  net->nsyn_local = total;
  PetscCall(PetscMalloc1(PetscMax(total, 1), &dv->syn));
  PetscCall(PetscCalloc1(net->N, &fill));
  net->min_delay = PETSC_MAX_INT;
  net->max_delay = 1;
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    NdProjection      *pr = &net->proj[ip];
    const NdPopulation S = net->pop[pr->source], T = net->pop[pr->target];
    if (!rows[ip].ptr) {
      PetscInt d     = PetscMax(1, (PetscInt)PetscFloorReal(pr->delay / net->dt + 0.5));
      net->max_delay = PetscMax(net->max_delay, d);
      continue;
    }
    pr->nsyn = rows[ip].ptr[T->nlocal];
    for (PetscInt i = 0; i < T->nlocal; i++)
      for (PetscInt64 k = rows[ip].ptr[i]; k < rows[ip].ptr[i + 1]; k++) {
        const PetscInt   pre = S->gstart + rows[ip].src[k];
        const PetscInt64 at  = dv->ptr[pre] + fill[pre]++;
        PetscReal        w;
        PetscInt         d;
        NdSynapseDraw(net, ip, &rows[ip], i, k, &w, &d);
        PetscCheck(d <= UINT16_MAX, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT,
                   "a delay of %" PetscInt_FMT " steps is too long (at most %d)", d, UINT16_MAX);
        dv->syn[at].target  = (int32_t)(T->local_offset + i);
        dv->syn[at].weight  = (float)w;
        dv->syn[at].delay   = (uint16_t)d;
        dv->syn[at].channel = (uint8_t)(pr->channel_by_sign ? (w < 0) : pr->channel);
        dv->syn[at].unused  = 0;
        net->min_delay      = PetscMin(net->min_delay, d);
        net->max_delay      = PetscMax(net->max_delay, d);
      }
  }
  PetscCall(PetscFree(fill));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkBuildConnectivity(NdNetwork net)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)net);
  NdRows  *rows;
  PetscInt min_delay, all_to_all_min = PETSC_MAX_INT;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(PetscMax(net->nproj, 1), &rows));
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    if (net->proj[ip].rule == ND_RULE_ALL_TO_ALL) {
      all_to_all_min =
          PetscMin(all_to_all_min, PetscMax(1, (PetscInt)PetscFloorReal(net->proj[ip].delay / net->dt + 0.5)));
      continue;
    }
    PetscCall(NdProjectionGenerateRows(net, ip, &rows[ip]));
  }
  PetscCall(NdNetworkAssembleMatrix(net, rows));
  PetscCall(NdNetworkBuildDelivery(net, rows));
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    PetscCall(PetscFree(rows[ip].ptr));
    PetscCall(PetscFree(rows[ip].src));
    PetscCall(PetscFree(rows[ip].w));
    PetscCall(PetscFree(rows[ip].d));
  }
  PetscCall(PetscFree(rows));
  if (!net->keep_matrix) PetscCall(MatDestroy(&net->W));
  /* spikes are exchanged once per minimum delay over all ranks (all-to-all coupling included) */
  min_delay = PetscMin(net->min_delay, all_to_all_min);
  PetscCall(MPIU_Allreduce(&min_delay, &net->min_delay, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &net->max_delay, 1, MPIU_INT, MPI_MAX, comm));
  if (net->min_delay == PETSC_MAX_INT) net->min_delay = net->max_delay; /* no coupling at all */
  net->nslots = net->max_delay + net->min_delay;
  PetscFunctionReturn(PETSC_SUCCESS);
}
