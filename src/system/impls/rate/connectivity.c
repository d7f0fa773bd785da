/* Random connectivity J0 of the rate network (J = g J0), generated row by row from
   counter-based random numbers keyed by (seed, stream, row, column or draw): the same matrix at
   any number of ranks. Every type is normalised so that each row's sum of squares is 1 (in
   expectation for the Gaussian ones): the circular-law bulk of g J0 has radius g (docs/models/rate.md). */
#include <neurodyn/private/rateimpl.h>
#include <neurodyn/output.h>
#include <neurodyn/rng.h>

enum { ND_STREAM_WEIGHT = 1, ND_STREAM_TARGET = 2, ND_STREAM_SIGN = 3, ND_STREAM_LOWRANK = 4 };

/* k distinct columns from [lo, hi) other than `self`, drawn for `row` (draw index offset
   `first`), sorted; k <= number of candidates is checked by the caller */
static PetscErrorCode NdDrawDistinct(PetscInt64 seed, PetscInt row, PetscInt lo, PetscInt hi, PetscInt self, PetscInt k,
                                     PetscInt64 first, PetscInt cols[])
{
  PetscInt   n    = 0;
  PetscInt64 draw = first;

  PetscFunctionBegin;
  while (n < k) {
    PetscInt have = n;
    for (PetscInt d = have; d < k; d++) {
      PetscInt c = lo + (PetscInt)(NdRandomUniform(seed, ND_STREAM_TARGET, row, draw++) * (PetscReal)(hi - lo));
      if (c == self || c >= hi) continue;
      cols[n++] = c;
    }
    PetscCall(PetscSortRemoveDupsInt(&n, cols));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Appends row values to the local CSR arrays, adding an explicit zero on the diagonal if absent */
static PetscErrorCode NdRowWithDiagonal(PetscInt row, PetscInt n, PetscInt cols[], PetscScalar vals[], PetscInt *nout)
{
  PetscBool has = PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < n; k++) has = (PetscBool)(has || cols[k] == row);
  if (!has) {
    cols[n]   = row;
    vals[n++] = 0.0;
  }
  PetscCall(PetscSortIntWithScalarArray(n, cols, vals));
  *nout = n;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCheckSpec(MPI_Comm comm, const NdRateConnectivitySpec *s)
{
  PetscFunctionBegin;
  PetscCheck(s->N >= 1, comm, PETSC_ERR_USER_INPUT, "-rate_N must be >= 1 (got %" PetscInt_FMT ")", s->N);
  if (s->type == ND_RATE_SPARSE)
    PetscCheck(s->K >= 1 && s->K <= s->N - 1, comm, PETSC_ERR_USER_INPUT,
               "-rate_K must be in [1, N - 1] = [1, %" PetscInt_FMT "] (got %" PetscInt_FMT ")", s->N - 1, s->K);
  if (s->type == ND_RATE_EI) {
    PetscInt NE = (PetscInt)round(s->fE * s->N), KE = (PetscInt)round(s->fE * s->K);
    PetscCheck(s->fE > 0 && s->fE < 1, comm, PETSC_ERR_USER_INPUT, "-rate_fE must be in (0, 1) (got %g)",
               (double)s->fE);
    PetscCheck(KE >= 1 && s->K - KE >= 1 && KE <= NE - 1 && s->K - KE <= s->N - NE - 1, comm, PETSC_ERR_USER_INPUT,
               "-rate_K %" PetscInt_FMT " with -rate_fE %g gives %" PetscInt_FMT " excitatory and %" PetscInt_FMT
               " inhibitory inputs per neuron from %" PetscInt_FMT " E and %" PetscInt_FMT
               " I neurons: each needs at least one and fewer than the population",
               s->K, (double)s->fE, KE, s->K - KE, NE, s->N - NE);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Local CSR of rows [rstart, rstart + n) */
static PetscErrorCode NdGenerateRows(const NdRateConnectivitySpec *s, PetscInt rstart, PetscInt n, PetscInt **ia,
                                     PetscInt **ja, PetscScalar **va)
{
  const PetscInt N = s->N;
  PetscInt       width, nnz = 0, KE = 0, NE = 0;
  PetscInt      *cols;
  PetscScalar   *vals;
  PetscReal      wE = 0, wI = 0;

  PetscFunctionBegin;
  switch (s->type) {
  case ND_RATE_SPARSE:
    width = s->K + 1;
    break;
  case ND_RATE_EI:
    width = s->K + 1;
    NE    = (PetscInt)round(s->fE * N);
    KE    = (PetscInt)round(s->fE * s->K);
    /* balanced: KE wE + KI wI = 0 in every row; unit row sum of squares (Dale's law: column signs) */
    wE = 1.0 / PetscSqrtReal(KE + (PetscReal)KE * KE / (s->K - KE));
    wI = -wE * KE / (s->K - KE);
    break;
  default:
    width = N;
  }
  PetscCall(PetscMalloc1(n + 1, ia));
  PetscCall(PetscMalloc1((size_t)n * width, ja));
  PetscCall(PetscMalloc1((size_t)n * width, va));
  (*ia)[0] = 0;
  for (PetscInt r = 0; r < n; r++) {
    const PetscInt row = rstart + r;
    PetscInt       cnt = 0;
    cols               = *ja + nnz;
    vals               = *va + nnz;
    switch (s->type) {
    case ND_RATE_GAUSSIAN:
    case ND_RATE_LOWRANK: {
      const PetscReal ui = s->type == ND_RATE_LOWRANK ? NdRandomNormal(s->seed, ND_STREAM_LOWRANK, row, 0) : 0;
      for (PetscInt c = 0; c < N; c++) {
        cols[c] = c;
        vals[c] = NdRandomNormal(s->seed, ND_STREAM_WEIGHT, row, c) / PetscSqrtReal((PetscReal)N);
        /* rank one m u u^T / N with u standard normal: an outlier near g m */
        if (s->type == ND_RATE_LOWRANK) vals[c] += s->m * ui * NdRandomNormal(s->seed, ND_STREAM_LOWRANK, c, 0) / N;
      }
      cnt = N;
    } break;
    case ND_RATE_SPARSE:
      PetscCall(NdDrawDistinct(s->seed, row, 0, N, row, s->K, 0, cols));
      for (PetscInt k = 0; k < s->K; k++)
        vals[k] = (NdRandomUniform(s->seed, ND_STREAM_SIGN, row, cols[k]) < 0.5 ? -1.0 : 1.0) /
                      PetscSqrtReal((PetscReal)s->K) +
                  s->mean / (PetscReal)s->K;
      PetscCall(NdRowWithDiagonal(row, s->K, cols, vals, &cnt));
      break;
    case ND_RATE_EI:
      PetscCall(NdDrawDistinct(s->seed, row, 0, NE, row, KE, 0, cols));
      PetscCall(NdDrawDistinct(s->seed, row, NE, N, row, s->K - KE, (PetscInt64)1 << 40, cols + KE));
      for (PetscInt k = 0; k < s->K; k++) vals[k] = (k < KE ? wE : wI) + s->mean / (PetscReal)s->K;
      PetscCall(NdRowWithDiagonal(row, s->K, cols, vals, &cnt));
      break;
    case ND_RATE_FILE:
      break;
    }
    nnz += cnt;
    (*ia)[r + 1] = nnz;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A copy of local CSR rows (sorted) with the diagonal present in every row */
static PetscErrorCode NdInsertDiagonal(PetscInt rstart, PetscInt n, PetscInt **ia, PetscInt **ja, PetscScalar **va)
{
  PetscInt    *ib, *jb, nnz = 0;
  PetscScalar *vb;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n + 1, &ib));
  PetscCall(PetscMalloc1((*ia)[n] + n, &jb));
  PetscCall(PetscMalloc1((*ia)[n] + n, &vb));
  ib[0] = 0;
  for (PetscInt r = 0; r < n; r++) {
    PetscInt cnt = (*ia)[r + 1] - (*ia)[r];
    PetscCall(PetscArraycpy(jb + nnz, *ja + (*ia)[r], cnt));
    PetscCall(PetscArraycpy(vb + nnz, *va + (*ia)[r], cnt));
    PetscCall(NdRowWithDiagonal(rstart + r, cnt, jb + nnz, vb + nnz, &cnt));
    nnz += cnt;
    ib[r + 1] = nnz;
  }
  PetscCall(PetscFree(*ia));
  PetscCall(PetscFree(*ja));
  PetscCall(PetscFree(*va));
  *ia = ib;
  *ja = jb;
  *va = vb;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdRateBuildConnectivity(MPI_Comm comm, const NdRateConnectivitySpec *spec, Mat *J)
{
  PetscInt     N = spec->N, n = PETSC_DECIDE, rstart;
  PetscInt    *ia, *ja;
  PetscScalar *va;

  PetscFunctionBegin;
  if (spec->type != ND_RATE_FILE) PetscCall(NdCheckSpec(comm, spec));
  PetscCall(PetscSplitOwnership(comm, &n, &N));
  PetscCallMPI(MPI_Scan(&n, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= n;
  if (spec->type == ND_RATE_FILE) {
    PetscInt merged;
    PetscCall(NdReadMatrixRows(comm, "-rate_J_file", spec->file, "/J", "data", N, rstart, n, &ia, &ja, &va));
    PetscCall(NdMatrixRowsSumDuplicates(n, ia, ja, va, &merged));
    PetscCall(NdInsertDiagonal(rstart, n, &ia, &ja, &va));
  } else {
    /* a generated row holds N (dense types) or K + 1 entries of 12 bytes, twice at the peak (the
       rows as generated and the matrix) */
    const PetscLogDouble width =
        spec->type == ND_RATE_SPARSE || spec->type == ND_RATE_EI ? spec->K + 1.0 : (PetscLogDouble)N;
    char        what[128];
    PetscMPIInt size;
    PetscCallMPI(MPI_Comm_size(comm, &size));
    PetscCall(PetscSNPrintf(what, sizeof(what), "the connectivity J of the rate network (N = %" PetscInt_FMT ")", N));
    PetscCall(NdCheckMemory(comm, 0, "-memory_limit", what, PetscCeilReal((PetscReal)N / size) * width * 24,
                            width == N ? "take a smaller -rate_N or a sparse -rate_J_type"
                                       : "take a smaller -rate_N or -rate_K"));
    PetscCall(NdGenerateRows(spec, rstart, n, &ia, &ja, &va));
  }
  PetscCall(MatCreate(comm, J));
  PetscCall(MatSetSizes(*J, n, n, N, N));
  PetscCall(MatSetType(*J, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocationCSR(*J, ia, ja, va));
  PetscCall(MatMPIAIJSetPreallocationCSR(*J, ia, ja, va));
  PetscCall(PetscFree(ia));
  PetscCall(PetscFree(ja));
  PetscCall(PetscFree(va));
  PetscFunctionReturn(PETSC_SUCCESS);
}
