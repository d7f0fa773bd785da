/* Pattern storage in the deterministic synchronous network: which given patterns are stationary
   states at the stimulus I, by what margin (the smallest change of one neuron's input that
   destroys the pattern: a robustness in stimulus units), their basins of attraction among all 2^N
   states, and the fraction of their one-flip neighbours that return to them. */
#include <neurodyn/private/binaryimpl.h>

/* dest[s] = the smallest state of the attractor (fixed point or cycle) that s runs into */
static void NdAttractors(uint64_t nstates, const uint32_t F[], uint32_t mark[], uint32_t dest[])
{
  for (uint64_t s = 0; s < nstates; s++) mark[s] = 0;
  for (uint64_t s0 = 0; s0 < nstates; s0++) {
    const uint32_t stamp = (uint32_t)s0 + 1;
    uint32_t       s     = (uint32_t)s0, rep;
    if (mark[s]) continue;
    while (!mark[s]) {
      mark[s] = stamp;
      s       = F[s];
    }
    if (mark[s] == stamp) { /* a new attractor: its smallest state represents it */
      rep = s;
      for (uint32_t t = F[s]; t != s; t = F[t]) rep = PetscMin(rep, t);
      for (uint32_t t = F[s];; t = F[t]) {
        dest[t] = rep;
        if (t == s) break;
      }
    } else
      rep = dest[s];
    for (uint32_t t = (uint32_t)s0; t != s; t = F[t]) dest[t] = rep;
  }
}

/* Before any file is opened: the preconditions of the analysis */
PetscErrorCode NdBinaryPatternsCheck(NdBinary bin)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)bin);
  const PetscInt N = bin->N, np = bin->npatterns;
  const uint64_t nstates = (uint64_t)1 << N;
  NdBinaryNoise  noise;

  PetscFunctionBegin;
  PetscCall(NdBinaryGetType(bin, &noise));
  PetscCheck(np > 0, comm, PETSC_ERR_USER_INPUT,
             "patterns needs patterns: -bin_patterns (rows of N values 0/1), -bin_patterns_file file.h5:/patterns, or "
             "-bin_npatterns");
  PetscCheck(!strcmp(noise, NDBINARYDETERMINISTIC) && bin->update == ND_BINARY_SYNCHRONOUS, comm, PETSC_ERR_USER_INPUT,
             "patterns analyses the deterministic synchronous network: use -bin_noise deterministic and -bin_update "
             "synchronous");
  PetscCheck(N <= 30, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "patterns: N = %" PetscInt_FMT
             " is too large for the basin computation (the complete map of 2^N states; N <= 30)",
             N);
  PetscCall(NdBinaryCheckMemory(bin, "the basins of the patterns (complete synchronous map)",
                                12.0 * (PetscLogDouble)nstates));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryPatterns(NdBinary bin, NdOutput out, PetscBool verbose)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)bin);
  const PetscInt     N = bin->N, np = bin->npatterns;
  const uint64_t     nstates = (uint64_t)1 << N;
  NdBinaryFieldTable tab;
  uint64_t           start, end;
  uint32_t          *F, *mark, *dest;
  PetscMPIInt        size, *counts, *displs;
  PetscReal         *stationary, *margin, *basin, *neighbours;

  PetscFunctionBegin;
  PetscCall(NdBinaryPatternsCheck(bin));
  PetscCallMPI(MPI_Comm_size(comm, &size));

  /* each rank maps its block of states; every rank then holds the complete map */
  PetscCall(PetscLogEventBegin(ND_EVENT_BINARY_ENUMERATE, 0, 0, 0, 0));
  PetscCall(NdBinaryStateRange(bin, &start, &end));
  PetscCall(NdBinaryFieldTableCreate(bin, &tab));
  PetscCall(PetscMalloc3(nstates, &F, nstates, &mark, nstates, &dest));
  PetscCall(NdBinarySynchronousMap(bin, &tab, NULL, start, end, F + start));
  PetscCall(NdBinaryFieldTableDestroy(&tab));
  PetscCall(NdSignalStop(comm, out, "in the enumeration of the states"));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  {
    const PetscMPIInt n = (PetscMPIInt)(end - start), first = (PetscMPIInt)start;
    PetscCallMPI(MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, comm));
    PetscCallMPI(MPI_Allgather(&first, 1, MPI_INT, displs, 1, MPI_INT, comm));
  }
  PetscCallMPI(MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, F, counts, displs, MPI_UINT32_T, comm));
  PetscCall(PetscFree2(counts, displs));
  NdAttractors(nstates, F, mark, dest);
  PetscCall(PetscLogEventEnd(ND_EVENT_BINARY_ENUMERATE, 0, 0, 0, 0));

  PetscCall(PetscMalloc4(np, &stationary, np, &margin, np, &basin, np, &neighbours));
  for (PetscInt p = 0; p < np; p++) {
    const PetscReal *x     = bin->patterns + p * N;
    uint32_t         s     = 0;
    uint64_t         count = 0;
    PetscInt         back  = 0;
    for (PetscInt i = 0; i < N; i++)
      if (x[i] > 0.5) s |= (uint32_t)1 << i;
    stationary[p] = F[s] == s ? 1 : 0;
    margin[p]     = PETSC_MAX_REAL;
    for (PetscInt i = 0; i < N; i++) { /* distance of V_i - theta_i from the wrong side */
      PetscReal v = bin->stim[i] - bin->theta[i];
      for (PetscInt j = 0; j < N; j++) v += bin->J[i * N + j] * x[j];
      margin[p] = PetscMin(margin[p], x[i] > 0.5 ? v : -v);
    }
    if (stationary[p] == 1) {
      for (uint64_t t = 0; t < nstates; t++) count += dest[t] == s;
      for (PetscInt i = 0; i < N; i++) back += dest[s ^ ((uint32_t)1 << i)] == s;
    }
    basin[p]      = (PetscReal)count / (PetscReal)nstates;
    neighbours[p] = (PetscReal)back / N;
    if (verbose)
      PetscCall(PetscPrintf(comm,
                            "neurodyn: pattern %" PetscInt_FMT
                            ": %s, margin %g, basin %.6g of all states, %g of its one-flip neighbours return\n",
                            p, stationary[p] == 1 ? "stationary" : "not stationary", (double)margin[p],
                            (double)basin[p], (double)neighbours[p]));
  }
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/patterns/stationary", np, 0, stationary, NULL));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/patterns/margin", np, 0, margin, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/patterns/basin_fraction", np, 0, basin, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/patterns/neighbours_returning", np, 0, neighbours, "1"));
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(PetscFree4(stationary, margin, basin, neighbours));
  PetscCall(PetscFree3(F, mark, dest));
  PetscFunctionReturn(PETSC_SUCCESS);
}
