/* The connectome W of a node network: generated (ring, random) or read from HDF5 with the rate
   network's reader. Rows are target nodes; each rank builds its own rows. */
#include <neurodyn/output.h>
#include <neurodyn/private/nodenetworkimpl.h>
#include <neurodyn/private/rateimpl.h>
#include <neurodyn/rng.h>

enum { ND_STREAM_CONNECTOME = 11, ND_STREAM_CONNECTOME_WEIGHT = 12 };

static PetscErrorCode NdConnectomeCheck(MPI_Comm comm, const NdConnectomeSpec *s)
{
  PetscFunctionBegin;
  PetscCheck(s->N >= 2, comm, PETSC_ERR_USER_INPUT, "-node_N must be >= 2 (got %" PetscInt_FMT ")", s->N);
  PetscCheck(s->K >= 1 && s->K <= s->N - 1, comm, PETSC_ERR_USER_INPUT,
             "-node_K (inputs per node, default 10) must be in [1, N - 1] = [1, %" PetscInt_FMT "] (got %" PetscInt_FMT
             ")",
             s->N - 1, s->K);
  PetscCheck(s->spread >= 0 && s->spread <= 1, comm, PETSC_ERR_USER_INPUT,
             "-node_weight_spread must be in [0, 1] (got %g)", (double)s->spread);
  PetscCheck(s->type != ND_CONNECTOME_RING || s->K % 2 == 0, comm, PETSC_ERR_USER_INPUT,
             "-node_K must be even for a ring (K/2 neighbours on each side; got %" PetscInt_FMT ")", s->K);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* K distinct sources != row, uniform, sorted: draw d of the row is a pure function of (seed, row, d) */
static PetscErrorCode NdRandomSources(const NdConnectomeSpec *s, PetscInt row, PetscInt cols[])
{
  PetscInt   n = 0;
  PetscInt64 d = 0;

  PetscFunctionBegin;
  while (n < s->K) {
    PetscInt  c   = (PetscInt)(NdRandomUniform((uint64_t)s->seed, ND_STREAM_CONNECTOME, (uint64_t)row, (uint64_t)d++) *
                            (PetscReal)s->N);
    PetscBool dup = (PetscBool)(c == row || c >= s->N);
    for (PetscInt k = 0; k < n && !dup; k++) dup = (PetscBool)(cols[k] == c);
    if (!dup) cols[n++] = c;
  }
  PetscCall(PetscSortInt(n, cols));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdConnectomeGenerateRows(const NdConnectomeSpec *s, PetscInt rstart, PetscInt n, PetscInt **ia,
                                               PetscInt **ja, PetscScalar **va)
{
  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n + 1, ia));
  PetscCall(PetscMalloc1((size_t)n * s->K, ja));
  PetscCall(PetscMalloc1((size_t)n * s->K, va));
  for (PetscInt r = 0; r < n; r++) {
    const PetscInt row  = rstart + r;
    PetscInt      *cols = *ja + r * s->K;

    (*ia)[r] = r * s->K;
    if (s->type == ND_CONNECTOME_RING) {
      for (PetscInt k = 0; k < s->K / 2; k++) {
        cols[2 * k]     = (row + k + 1) % s->N;
        cols[2 * k + 1] = (row - k - 1 + s->N) % s->N;
      }
      PetscCall(PetscSortInt(s->K, cols));
    } else
      PetscCall(NdRandomSources(s, row, cols));
    for (PetscInt k = 0; k < s->K; k++) {
      const PetscReal u =
          NdRandomUniform((uint64_t)s->seed, ND_STREAM_CONNECTOME_WEIGHT, (uint64_t)row, (uint64_t)cols[k]);
      (*va)[r * s->K + k] = (1.0 + s->spread * (2.0 * u - 1.0)) / (PetscReal)s->K;
    }
  }
  (*ia)[n] = n * s->K;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdConnectomeBuild(MPI_Comm comm, const NdConnectomeSpec *spec, Mat *W)
{
  PetscInt     N = spec->N, n = PETSC_DECIDE, rstart;
  PetscInt    *ia, *ja;
  PetscScalar *va;

  PetscFunctionBegin;
  if (spec->type != ND_CONNECTOME_FILE) PetscCall(NdConnectomeCheck(comm, spec));
  PetscCall(PetscSplitOwnership(comm, &n, &N));
  PetscCallMPI(MPI_Scan(&n, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= n;
  if (spec->type == ND_CONNECTOME_FILE) {
    PetscCall(NdReadMatrixRows(comm, "-node_connectome_file", spec->file, "/J", "data", N, rstart, n, &ia, &ja, &va));
    PetscInt merged;
    PetscCall(NdMatrixRowsSumDuplicates(n, ia, ja, va, &merged)); /* scipy may leave a row's columns unsorted */
  } else
    PetscCall(NdConnectomeGenerateRows(spec, rstart, n, &ia, &ja, &va));
  PetscCall(MatCreate(comm, W));
  PetscCall(MatSetSizes(*W, n, n, N, N));
  PetscCall(MatSetType(*W, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocationCSR(*W, ia, ja, va));
  PetscCall(MatMPIAIJSetPreallocationCSR(*W, ia, ja, va));
  PetscCall(PetscFree(ia));
  PetscCall(PetscFree(ja));
  PetscCall(PetscFree(va));
  PetscFunctionReturn(PETSC_SUCCESS);
}
