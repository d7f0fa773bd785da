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
  /* the rules check K against the population when options are read; a draw that cannot end
     (more distinct partners than there are) is an internal error, not a hang */
  PetscCheck(multapses ? n > (self >= 0 && self < n ? 1 : 0) || K == 0 : K <= n - (self >= 0 && self < n ? 1 : 0),
             PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "cannot draw %" PetscInt_FMT " %s partners among %" PetscInt_FMT " neurons (row %" PetscInt_FMT ")", K,
             multapses ? "" : "distinct", n, row);
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

/* Split "file.h5:/group" at the last ':' followed by '/' */
static PetscErrorCode NdSplitFileGroup(const char spec[], char file[], size_t flen, char group[], size_t glen)
{
  const char *colon = NULL;

  PetscFunctionBegin;
  for (const char *c = spec; *c; c++)
    if (c[0] == ':' && c[1] == '/') colon = c;
  if (!colon) {
    PetscCall(PetscStrncpy(file, spec, flen));
    group[0] = 0;
  } else {
    PetscCall(PetscStrncpy(file, spec, PetscMin(flen, (size_t)(colon - spec) + 1)));
    PetscCall(PetscStrncpy(group, colon + 1, glen));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A 1-D dataset path of n entries in f (every rank checks the same file: the error is collective) */
static PetscErrorCode NdSonataCheckDataset(MPI_Comm comm, NdInputFile f, const char opt[], const char file[],
                                           const char path[], PetscInt64 n, PetscBool *exists)
{
  PetscInt   nd;
  PetscInt64 dims[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(NdInputFileGetShape(f, path, exists, &nd, dims));
  if (!*exists) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCheck(nd == 1 && (n < 0 || dims[0] == n), comm, PETSC_ERR_USER_INPUT,
             "%s: %s:%s must be a 1-D dataset of %" PetscInt64_FMT " entries (as target_node_id); it has %" PetscInt_FMT
             " dimensions and %" PetscInt64_FMT " entries",
             opt, file, path, n, nd, dims[0]);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The local rows of a projection from a SONATA edge population (group /edges/<name>: datasets
   source_node_id, target_node_id, optional edge_group_id (all 0), edge_group_index, and the group
   0/ with syn_weight and optional delay in time units). Rank r reads edges [r M/size, (r+1) M/size)
   of the M edges and sends each to the rank that owns its target (MPI_Alltoallv); a target's
   synapses keep the order of the file, so the rows are the same at any number of ranks. */
static PetscErrorCode NdProjectionReadSonataRows(NdNetwork net, PetscInt ip, NdRows *rows)
{
  MPI_Comm            comm = PetscObjectComm((PetscObject)net);
  const NdProjection *pr   = &net->proj[ip];
  const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
  char                opt[128], file[PETSC_MAX_PATH_LEN], group[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN + 64];
  NdInputFile         f;
  PetscBool           exists, has_weight, has_delay, has_gid, has_gindex, has_index;
  PetscInt            ntypes  = 0;
  PetscBool           types_w = PETSC_FALSE;
  PetscReal          *type_id = NULL, *type_w = NULL, *type_d = NULL;
  PetscInt            nd;
  PetscInt64          dims[2] = {0, 0}, M, first, count, bad[5] = {-1, -1, -1, -1, -1};
  PetscReal          *src, *tgt, *w, *d = NULL, *gidx = NULL, *send, *recv, shortest = PETSC_MAX_REAL;
  PetscMPIInt         size, rank, *scount, *sdispl, *rcount, *rdispl;
  PetscInt           *owner_start, nrecv;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s_file", S->name, T->name));
  PetscCall(NdSplitFileGroup(pr->file, file, sizeof(file), group, sizeof(group)));
  PetscCheck(group[0], comm, PETSC_ERR_USER_INPUT, "%s %s: name the edge population, edges.h5:/edges/<name>", opt,
             pr->file);
  PetscCall(NdInputFileOpen(file, &f));
  PetscCheck(f, comm, PETSC_ERR_FILE_OPEN, "%s: cannot open %s as an HDF5 file", opt, file);
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/target_node_id", group));
  PetscCall(NdInputFileGetShape(f, path, &exists, &nd, dims));
  PetscCheck(exists && nd == 1, comm, PETSC_ERR_USER_INPUT, "%s: %s has no 1-D dataset %s (SONATA edges)", opt, file,
             path);
  M = dims[0];
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/source_node_id", group));
  PetscCall(NdSonataCheckDataset(comm, f, opt, file, path, M, &exists));
  PetscCheck(exists, comm, PETSC_ERR_USER_INPUT, "%s: %s has no dataset %s (SONATA edges)", opt, file, path);
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/edge_group_id", group));
  PetscCall(NdSonataCheckDataset(comm, f, opt, file, path, M, &has_gid));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/edge_group_index", group));
  PetscCall(NdSonataCheckDataset(comm, f, opt, file, path, M, &has_gindex));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/0/syn_weight", group));
  PetscCall(NdSonataCheckDataset(comm, f, opt, file, path, has_gindex ? -1 : M, &has_weight));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/0/delay", group));
  PetscCall(NdSonataCheckDataset(comm, f, opt, file, path, has_gindex ? -1 : M, &has_delay));
  if (!has_weight || !has_delay) { /* syn_weight and delay per edge type: edge_types.csv, -net_sonata's 4th file */
    char     *files[4] = {NULL, NULL, NULL, NULL};
    PetscInt  nfiles   = 4;
    PetscBool set;
    PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-net_sonata", files, &nfiles, &set));
    if (set && nfiles == 4 && files[3][0])
      PetscCall(NdSonataReadEdgeTypes(comm, files[3], &ntypes, &type_id, &type_w, &type_d, &types_w));
    for (PetscInt k = 0; k < nfiles; k++) PetscCall(PetscFree(files[k]));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/0/syn_weight", group));
    PetscCheck(has_weight || types_w, comm, PETSC_ERR_USER_INPUT,
               "%s: %s has no dataset %s (the weights), and no edge_types.csv with a column syn_weight is given (the "
               "fourth file of -net_sonata)",
               opt, file, path);
    if (ntypes) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "%s/edge_type_id", group));
      PetscCall(NdSonataCheckDataset(comm, f, opt, file, path, M, &exists));
      PetscCheck(exists, comm, PETSC_ERR_USER_INPUT, "%s: %s has no dataset %s (to find the edge types)", opt, file,
                 path);
    }
  }

  first = M * rank / size;
  count = M * (rank + 1) / size - first;
  { /* with the index target_to_source, the block of edges that holds this rank's targets' instead */
    PetscInt64 rdims[2] = {0, 0}, elo = M, ehi = 0, badindex = 0;
    PetscInt   rnd;
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/indices/target_to_source/node_id_to_range", group));
    PetscCall(NdInputFileGetShape(f, path, &has_index, &nd, dims));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/indices/target_to_source/range_to_edge_id", group));
    if (has_index) PetscCall(NdInputFileGetShape(f, path, &has_index, &rnd, rdims));
    if (has_index) {
      PetscCheck(nd == 2 && dims[0] == T->size && dims[1] == 2 && rnd == 2 && rdims[1] == 2, comm, PETSC_ERR_USER_INPUT,
                 "%s: %s:%s/indices/target_to_source: node_id_to_range must be %" PetscInt_FMT
                 " x 2 (a row per target node) and range_to_edge_id n x 2",
                 opt, file, group, T->size);
      if (T->nlocal) {
        const PetscInt64 off[2] = {T->lstart, 0}, cnt[2] = {T->nlocal, 2};
        PetscInt64       rlo = rdims[0], rhi = 0;
        PetscReal       *nr;
        PetscCall(PetscMalloc1(2 * T->nlocal, &nr));
        PetscCall(PetscSNPrintf(path, sizeof(path), "%s/indices/target_to_source/node_id_to_range", group));
        PetscCall(NdInputFileRead(f, path, off, cnt, nr));
        for (PetscInt i = 0; i < T->nlocal; i++)
          if (nr[2 * i + 1] > nr[2 * i]) {
            rlo = PetscMin(rlo, (PetscInt64)nr[2 * i]);
            rhi = PetscMax(rhi, (PetscInt64)nr[2 * i + 1]);
          }
        PetscCall(PetscFree(nr));
        if (rlo < 0 || rhi > rdims[0])
          badindex = 1;
        else if (rhi > rlo) {
          const PetscInt64 roff[2] = {rlo, 0}, rcnt[2] = {rhi - rlo, 2};
          PetscReal       *re;
          PetscCall(PetscMalloc1(2 * (rhi - rlo), &re));
          PetscCall(PetscSNPrintf(path, sizeof(path), "%s/indices/target_to_source/range_to_edge_id", group));
          PetscCall(NdInputFileRead(f, path, roff, rcnt, re));
          for (PetscInt64 r = 0; r < rhi - rlo; r++)
            if (re[2 * r + 1] > re[2 * r]) {
              elo = PetscMin(elo, (PetscInt64)re[2 * r]);
              ehi = PetscMax(ehi, (PetscInt64)re[2 * r + 1]);
            }
          PetscCall(PetscFree(re));
          if (elo < 0 || ehi > M) badindex = 1;
        }
      }
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &badindex, 1, MPIU_INT64, MPI_MAX, comm));
      PetscCheck(!badindex, comm, PETSC_ERR_USER_INPUT,
                 "%s: %s:%s/indices/target_to_source points outside its ranges or the %" PetscInt64_FMT " edges", opt,
                 file, group, M);
      first = ehi > elo ? elo : 0;
      count = ehi > elo ? ehi - elo : 0;
    }
  }
  PetscCall(
      PetscMalloc4(PetscMax(count, 1), &src, PetscMax(count, 1), &tgt, PetscMax(count, 1), &w, PetscMax(count, 1), &d));
  if (count) {
    PetscInt64 off = first, lo = first, hi = first + count; /* the rows of group 0 this chunk uses: [lo, hi) */
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/source_node_id", group));
    PetscCall(NdInputFileRead(f, path, &off, &count, src));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/target_node_id", group));
    PetscCall(NdInputFileRead(f, path, &off, &count, tgt));
    if (has_gid) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "%s/edge_group_id", group));
      PetscCall(NdInputFileRead(f, path, &off, &count, w));
      for (PetscInt64 k = 0; k < count && bad[2] < 0; k++)
        if (w[k] != 0) bad[2] = first + k;
    }
    if (has_gindex && (has_weight || has_delay)) {
      PetscInt64 ng, gdims[2] = {0, 0};
      PetscInt   gnd;
      PetscBool  gex;
      PetscCall(PetscMalloc1(count, &gidx));
      PetscCall(PetscSNPrintf(path, sizeof(path), "%s/edge_group_index", group));
      PetscCall(NdInputFileRead(f, path, &off, &count, gidx));
      PetscCall(PetscSNPrintf(path, sizeof(path), "%s/0/%s", group, has_weight ? "syn_weight" : "delay"));
      PetscCall(NdInputFileGetShape(f, path, &gex, &gnd, gdims));
      ng = gdims[0];
      lo = INT64_MAX;
      hi = 0;
      for (PetscInt64 k = 0; k < count; k++) {
        if (!(gidx[k] >= 0 && gidx[k] < (PetscReal)ng)) { /* reported below, by every rank */
          if (bad[3] < 0) bad[3] = first + k;
          gidx[k] = 0;
        }
        lo = PetscMin(lo, (PetscInt64)gidx[k]);
        hi = PetscMax(hi, (PetscInt64)gidx[k] + 1);
      }
    }
    {
      PetscInt64 n  = hi - lo;
      PetscReal *gw = NULL, *gd = NULL, *et = NULL;
      PetscCall(PetscMalloc3(n, &gw, n, &gd, ntypes ? count : 0, &et));
      if (has_weight) {
        PetscCall(PetscSNPrintf(path, sizeof(path), "%s/0/syn_weight", group));
        PetscCall(NdInputFileRead(f, path, &lo, &n, gw));
      }
      if (has_delay) {
        PetscCall(PetscSNPrintf(path, sizeof(path), "%s/0/delay", group));
        PetscCall(NdInputFileRead(f, path, &lo, &n, gd));
      }
      if (ntypes) {
        PetscCall(PetscSNPrintf(path, sizeof(path), "%s/edge_type_id", group));
        PetscCall(NdInputFileRead(f, path, &off, &count, et));
      }
      for (PetscInt64 k = 0; k < count; k++) {
        const PetscInt64 g = (gidx ? (PetscInt64)gidx[k] : first + k) - lo;
        PetscInt         t = -1;
        for (PetscInt j = 0; ntypes && j < ntypes && t < 0; j++)
          if (type_id[j] == et[k]) t = j;
        if (ntypes && t < 0) {
          if (bad[4] < 0) bad[4] = first + k;
          t = 0;
        }
        w[k] = has_weight ? gw[g] : type_w[t];
        d[k] = has_delay ? gd[g] : (ntypes && !PetscIsNanReal(type_d[t]) ? type_d[t] : pr->delay);
      }
      PetscCall(PetscFree3(gw, gd, et));
    }
    PetscCall(PetscFree(gidx));
  }
  PetscCall(NdInputFileClose(&f));
  PetscCall(PetscFree3(type_id, type_w, type_d));
  for (PetscInt64 k = 0; k < count; k++) {
    if (bad[0] < 0 && !(src[k] >= 0 && src[k] < S->size && src[k] == PetscFloorReal(src[k]))) bad[0] = first + k;
    if (bad[1] < 0 && !(tgt[k] >= 0 && tgt[k] < T->size && tgt[k] == PetscFloorReal(tgt[k]))) bad[1] = first + k;
    if (!PetscIsNanReal(d[k]))
      shortest = PetscMin(shortest, d[k]);
    else
      shortest = -1;
  }
  { /* the first bad edge of all ranks, reported by every rank */
    PetscInt64 all[5];
    for (int i = 0; i < 5; i++) all[i] = bad[i] < 0 ? INT64_MAX : bad[i];
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, all, 5, MPIU_INT64, MPI_MIN, comm));
    PetscCheck(all[4] == INT64_MAX, comm, PETSC_ERR_USER_INPUT,
               "%s: %s:%s/edge_type_id[%" PetscInt64_FMT "] is not an edge type of the edge_types.csv", opt, file,
               group, all[4]);
    PetscCheck(all[3] == INT64_MAX, comm, PETSC_ERR_USER_INPUT,
               "%s: %s:%s/edge_group_index[%" PetscInt64_FMT "] is outside the rows of group 0", opt, file, group,
               all[3]);
    PetscCheck(all[2] == INT64_MAX, comm, PETSC_ERR_USER_INPUT,
               "%s: %s:%s/edge_group_id[%" PetscInt64_FMT "] is not 0: only edge group 0 is read", opt, file, group,
               all[2]);
    PetscCheck(all[0] == INT64_MAX, comm, PETSC_ERR_USER_INPUT,
               "%s: %s:%s/source_node_id[%" PetscInt64_FMT
               "] is out of range: population %s has node ids 0 to %" PetscInt_FMT,
               opt, file, group, all[0], S->name, S->size - 1);
    PetscCheck(all[1] == INT64_MAX, comm, PETSC_ERR_USER_INPUT,
               "%s: %s:%s/target_node_id[%" PetscInt64_FMT
               "] is out of range: population %s has node ids 0 to %" PetscInt_FMT,
               opt, file, group, all[1], T->name, T->size - 1);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &shortest, 1, MPIU_REAL, MPIU_MIN, comm));
  PetscCheck(M == 0 || shortest >= net->dt * (1 - 1e-9), comm, PETSC_ERR_USER_INPUT,
             "%s: the edges' shortest delay (%g) is less than the time step -ts_dt = %g (or not a number)", opt,
             (double)shortest, (double)net->dt);
  if (has_index) { /* the block holds this rank's targets' edges and maybe others: keep the first */
    PetscInt64 kept = 0;
    for (PetscInt64 k = 0; k < count; k++)
      if (tgt[k] >= T->lstart && tgt[k] < T->lstart + T->nlocal) {
        src[kept] = src[k];
        tgt[kept] = tgt[k];
        w[kept]   = w[k];
        d[kept]   = d[k];
        kept++;
      }
    count = kept;
    /* every edge has a target, so the ranks together keep all M edges unless the index leaves
       some out (an index that does not match its edges): an error, not edges dropped in silence */
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &kept, 1, MPIU_INT64, MPI_SUM, comm));
    PetscCheck(kept == M, comm, PETSC_ERR_USER_INPUT,
               "%s: %s:%s/indices/target_to_source leads to %" PetscInt64_FMT " of the %" PetscInt64_FMT
               " edges: the index does not match the edges (rebuild it, or delete it to read every edge)",
               opt, file, group, kept, M);
  }

  /* to the owners of the targets: 4 reals per edge (target, source, weight, delay), in file order */
  PetscCall(PetscMalloc1(size + 1, &owner_start));
  {
    PetscInt ls = T->lstart;
    PetscCallMPI(MPI_Allgather(&ls, 1, MPIU_INT, owner_start, 1, MPIU_INT, comm));
    owner_start[size] = T->size;
  }
  PetscCall(PetscCalloc4(size, &scount, size, &sdispl, size, &rcount, size, &rdispl));
  for (PetscInt64 k = 0; k < count; k++) {
    PetscMPIInt r = 0;
    while (r + 1 < size && (PetscInt)tgt[k] >= owner_start[r + 1]) r++;
    scount[r] += 4;
  }
  for (PetscMPIInt r = 1; r < size; r++) sdispl[r] = sdispl[r - 1] + scount[r - 1];
  PetscCall(PetscMalloc1(PetscMax(4 * count, 1), &send));
  {
    PetscMPIInt *fill;
    PetscCall(PetscCalloc1(size, &fill));
    for (PetscInt64 k = 0; k < count; k++) {
      PetscMPIInt r = 0;
      PetscReal  *e;
      while (r + 1 < size && (PetscInt)tgt[k] >= owner_start[r + 1]) r++;
      e = send + sdispl[r] + fill[r];
      fill[r] += 4;
      e[0] = tgt[k];
      e[1] = src[k];
      e[2] = w[k];
      e[3] = d[k];
    }
    PetscCall(PetscFree(fill));
  }
  PetscCall(PetscFree4(src, tgt, w, d));
  PetscCallMPI(MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, comm));
  nrecv = 0;
  for (PetscMPIInt r = 0; r < size; r++) {
    rdispl[r] = (PetscMPIInt)nrecv;
    nrecv += rcount[r];
  }
  PetscCall(PetscMalloc1(PetscMax(nrecv, 1), &recv));
  PetscCallMPI(MPI_Alltoallv(send, scount, sdispl, MPIU_REAL, recv, rcount, rdispl, MPIU_REAL, comm));
  PetscCall(PetscFree(send));
  PetscCall(PetscFree4(scount, sdispl, rcount, rdispl));
  PetscCall(PetscFree(owner_start));
  nrecv /= 4;
  /* a stable counting sort by target: received in rank order, i.e. file order */
  PetscCall(PetscCalloc1(T->nlocal + 1, &rows->ptr));
  for (PetscInt k = 0; k < nrecv; k++) rows->ptr[(PetscInt)recv[4 * k] - T->lstart + 1]++;
  for (PetscInt i = 0; i < T->nlocal; i++) rows->ptr[i + 1] += rows->ptr[i];
  rows->cap = PetscMax(nrecv, 1);
  PetscCall(PetscMalloc1(rows->cap, &rows->src));
  PetscCall(PetscMalloc1(rows->cap, &rows->w));
  PetscCall(PetscMalloc1(rows->cap, &rows->d));
  {
    PetscInt64 *fill;
    PetscCall(PetscCalloc1(T->nlocal, &fill));
    for (PetscInt k = 0; k < nrecv; k++) {
      const PetscInt   i  = (PetscInt)recv[4 * k] - T->lstart;
      const PetscInt64 at = rows->ptr[i] + fill[i]++;
      rows->src[at]       = (PetscInt)recv[4 * k + 1];
      rows->w[at]         = recv[4 * k + 2];
      rows->d[at]         = recv[4 * k + 3];
    }
    PetscCall(PetscFree(fill));
  }
  PetscCall(PetscFree(recv));
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
  if (pr->rule == ND_RULE_FILE || pr->rule == ND_RULE_SONATA) { /* the readers allocate the row pointers */
    PetscCall(PetscFree(rows->ptr));
    PetscFunctionReturn(pr->rule == ND_RULE_FILE ? NdProjectionReadRows(net, ip, rows)
                                                 : NdProjectionReadSonataRows(net, ip, rows));
  }
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
        else { /* the gap floor(x): x >= 0, and floor(x) >= size exactly when x >= size (a whole number), so the
                  truncation to an integer is the floor (without the slow floor of SSE2) */
          const PetscReal x = PetscLogReal(NdRandomUniform(seed, stream, (uint64_t)j, draw)) / lq;
          if (!(x < (PetscReal)S->size)) break;
          pos += 1 + (PetscInt64)x;
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
    /* the same weight and delay for every synapse of the projection: computed once (as NdSynapseDraw would) */
    const PetscBool fixed =
        (PetscBool)(!rows[ip].w && !rows[ip].d && pr->weight_dist == ND_DIST_FIXED && pr->delay_dist == ND_DIST_FIXED);
    const PetscInt d0 = PetscMax(1, (PetscInt)PetscFloorReal(pr->delay / net->dt + 0.5));
    for (PetscInt i = 0; i < T->nlocal; i++)
      for (PetscInt64 k = rows[ip].ptr[i]; k < rows[ip].ptr[i + 1]; k++) {
        const PetscInt   pre = S->gstart + rows[ip].src[k];
        const PetscInt64 at  = dv->ptr[pre] + fill[pre]++;
        PetscReal        w   = pr->weight;
        PetscInt         d   = d0;
        if (!fixed) NdSynapseDraw(net, ip, &rows[ip], i, k, &w, &d);
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
  /* W only when asked for (-net_keep_matrix): the run uses the delivery tables alone, and assembling
     W took a third of the construction */
  if (net->keep_matrix) PetscCall(NdNetworkAssembleMatrix(net, rows));
  PetscCall(NdNetworkBuildDelivery(net, rows));
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    PetscCall(PetscFree(rows[ip].ptr));
    PetscCall(PetscFree(rows[ip].src));
    PetscCall(PetscFree(rows[ip].w));
    PetscCall(PetscFree(rows[ip].d));
  }
  PetscCall(PetscFree(rows));
  /* spikes are exchanged once per minimum delay over all ranks (all-to-all coupling included) */
  min_delay = PetscMin(net->min_delay, all_to_all_min);
  PetscCall(MPIU_Allreduce(&min_delay, &net->min_delay, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &net->max_delay, 1, MPIU_INT, MPI_MAX, comm));
  if (net->min_delay == PETSC_MAX_INT) net->min_delay = net->max_delay; /* no coupling at all */
  net->nslots = net->max_delay + net->min_delay;
  PetscFunctionReturn(PETSC_SUCCESS);
}
