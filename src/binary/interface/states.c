/* The 2^N states: their layout over the ranks, the input field of a state by table look-up,
   and the memory check of the analyses. */
#include <neurodyn/private/binaryimpl.h>

/* States come in blocks of 2^nlow that share their high bits: one high-field evaluation and a
   table of 2^nlow low fields serve a whole block (blocked for cache). */
PetscInt NdBinaryBlockBits(NdBinary bin)
{
  return PetscMin(10, bin->N / 2);
}

/* Whole blocks per rank, contiguous and in rank order */
PetscErrorCode NdBinaryStateRange(NdBinary bin, uint64_t *start, uint64_t *end)
{
  PetscMPIInt    rank, size;
  const PetscInt nlow    = NdBinaryBlockBits(bin);
  const uint64_t nblocks = (uint64_t)1 << (bin->N - nlow);
  uint64_t       r, q, rem;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)bin), &rank));
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)bin), &size));
  r      = (uint64_t)rank;
  q      = nblocks / (uint64_t)size;
  rem    = nblocks % (uint64_t)size;
  *start = (r * q + PetscMin(r, rem)) << nlow;
  *end   = ((r + 1) * q + PetscMin(r + 1, rem)) << nlow;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryFieldTableCreate(NdBinary bin, NdBinaryFieldTable *tab)
{
  const PetscInt N = bin->N, nlow = NdBinaryBlockBits(bin);

  PetscFunctionBegin;
  tab->N    = N;
  tab->nlow = nlow;
  PetscCall(PetscCalloc1(((size_t)1 << nlow) * (size_t)N, &tab->low));
  for (uint64_t s = 0; s < ((uint64_t)1 << nlow); s++)
    for (PetscInt i = 0; i < N; i++) {
      PetscReal h = 0;
      for (PetscInt j = 0; j < nlow; j++)
        if (s >> j & 1) h += bin->J[i * N + j];
      tab->low[s * (uint64_t)N + (uint64_t)i] = h;
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryFieldTableDestroy(NdBinaryFieldTable *tab)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(tab->low));
  PetscFunctionReturn(PETSC_SUCCESS);
}

void NdBinaryFieldHigh(NdBinary bin, const NdBinaryFieldTable *tab, uint64_t s, PetscReal high[])
{
  const PetscInt N = bin->N;

  for (PetscInt i = 0; i < N; i++) {
    PetscReal h = 0;
    for (PetscInt j = tab->nlow; j < N; j++)
      if (s >> j & 1) h += bin->J[i * N + j];
    high[i] = h;
  }
}

/* F[s - start] for s in [start, end) (aligned): the next state of the deterministic synchronous
   network at stimulus I_i + extra[pop(i)] (extra may be NULL), nu_i = H(V_i - theta_i), H(0) = 1;
   a rank that has caught a signal stops early (the caller then stops with NdSignalStop) */
PetscErrorCode NdBinarySynchronousMap(NdBinary bin, const NdBinaryFieldTable *tab, const PetscReal extra[],
                                      uint64_t start, uint64_t end, uint32_t F[])
{
  const PetscInt N = bin->N;
  PetscReal     *high, *thr;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(N, &high, N, &thr));
  for (uint64_t block = start; block < end && !NdSignalPending(); block += (uint64_t)1 << tab->nlow) {
    NdBinaryFieldHigh(bin, tab, block, high);
    for (PetscInt i = 0; i < N; i++) thr[i] = bin->theta[i] - bin->stim[i] - (extra ? extra[bin->pop[i]] : 0) - high[i];
    for (uint64_t low = 0; low < ((uint64_t)1 << tab->nlow); low++) {
      const PetscReal *hl   = tab->low + low * (uint64_t)N;
      uint32_t         next = 0;
      for (PetscInt i = 0; i < N; i++)
        if (hl[i] >= thr[i]) next |= (uint32_t)1 << i;
      F[(block | low) - start] = next;
    }
  }
  PetscCall(PetscFree2(high, thr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* bytes: the most one rank needs (identical on every rank) */
PetscErrorCode NdBinaryCheckMemory(NdBinary bin, const char what[], PetscLogDouble bytes)
{
  char text[256];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(text, sizeof(text), "%s for N = %" PetscInt_FMT, what, bin->N));
  PetscCall(NdCheckMemory(PetscObjectComm((PetscObject)bin), bin->memory_limit_mb,
                          bin->memory_limit_mb > 0 ? "-bin_memory_limit" : "-memory_limit", text, bytes,
                          "take a smaller N"));
  PetscFunctionReturn(PETSC_SUCCESS);
}
