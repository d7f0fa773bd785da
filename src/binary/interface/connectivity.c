/* Where J comes from: inline values (-bin_J), an HDF5 dataset (-bin_J_file), or generated
   (-bin_J_generate random | ei | hopfield). Also N, the populations and the patterns. */
#include <neurodyn/private/binaryimpl.h>
#include <neurodyn/rng.h>

#define ND_BINARY_MAX_N 40 /* the exact analyses enumerate 2^N states */

typedef enum { ND_J_NONE, ND_J_RANDOM, ND_J_EI, ND_J_HOPFIELD } NdJGenerator;
static const char *const NdJGenerators[] = {"none", "random", "ei", "hopfield"};

/* Random streams of the generators (the key is the seed, the counter the entry) */
enum { ND_STREAM_J = 1, ND_STREAM_PATTERNS = 2 };

static PetscErrorCode NdBinaryAllocate(NdBinary bin, PetscInt N)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)bin);

  PetscFunctionBegin;
  PetscCheck(N >= 1 && N <= ND_BINARY_MAX_N, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "N = %" PetscInt_FMT " is out of range: the exact analyses enumerate all 2^N states, so 1 <= N <= %d", N,
             ND_BINARY_MAX_N);
  PetscCall(PetscFree5(bin->pop, bin->J, bin->theta, bin->stim, bin->noise_scale));
  PetscCall(PetscCalloc5(N, &bin->pop, N * N, &bin->J, N, &bin->theta, N, &bin->stim, N, &bin->noise_scale));
  for (PetscInt i = 0; i < N; i++) bin->noise_scale[i] = 1;
  bin->N = N;
  PetscCall(NdBinarySetPopulations(bin, 1, &N));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetConnectivity(NdBinary bin, PetscInt N, const PetscReal J[])
{
  PetscFunctionBegin;
  if (N != bin->N) PetscCall(NdBinaryAllocate(bin, N));
  PetscCall(PetscArraycpy(bin->J, J, N * N));
  for (PetscInt i = 0; i < N; i++)
    bin->J[i * N + i] = 0; /* no self-coupling (docs/models/binary.md: sum over j != i) */
  bin->setupcalled = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* J_ij = m_{pop(i) pop(j)} + std z_ij with z standard normal; for ei the sign of the block mean
   is kept (Dale's law: excitatory columns >= 0, inhibitory <= 0) */
static void NdGenerateRandom(NdBinary bin, const PetscReal mean[], PetscInt nmean, PetscReal std, PetscInt seed,
                             PetscBool dale)
{
  const PetscInt N = bin->N, P = bin->npop;

  for (PetscInt i = 0; i < N; i++)
    for (PetscInt j = 0; j < N; j++) {
      const PetscReal m = nmean == 1 ? mean[0] : mean[bin->pop[i] * P + bin->pop[j]];
      PetscReal       v = m + std * NdRandomNormal((uint64_t)seed, ND_STREAM_J, (uint64_t)i, (uint64_t)j);
      if (dale) v = m >= 0 ? PetscAbsReal(v) : -PetscAbsReal(v);
      bin->J[i * N + j] = i == j ? 0 : v;
    }
}

/* Hebb's rule on +-1 patterns, J_ij = (1/N) sum_p xi_i xi_j with xi = 2 nu - 1; thresholds
   theta_i = (1/2) sum_j J_ij make the 0/1 network the +-1 Hopfield network with zero threshold */
static void NdGenerateHopfield(NdBinary bin)
{
  const PetscInt N = bin->N;

  for (PetscInt i = 0; i < N; i++) {
    bin->theta[i] = 0;
    for (PetscInt j = 0; j < N; j++) {
      PetscReal sum = 0;
      for (PetscInt p = 0; p < bin->npatterns; p++)
        sum += (2 * bin->patterns[p * N + i] - 1) * (2 * bin->patterns[p * N + j] - 1);
      bin->J[i * N + j] = i == j ? 0 : sum / N;
      bin->theta[i] += 0.5 * bin->J[i * N + j];
    }
  }
}

static PetscErrorCode NdBinaryPatternsFromOptions(NdBinary bin, NdOptionItems PetscOptionsObject, PetscInt seed)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)bin);
  const PetscInt N    = bin->N;
  PetscInt       n = 64 * ND_BINARY_MAX_N, npat = 0, rows, cols;
  PetscReal     *values, density                = 0.5;
  char           file[PETSC_MAX_PATH_LEN];
  PetscBool      inline_set, file_set, random_set;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n, &values));
  PetscCall(
      PetscOptionsRealArray("-bin_patterns", "Patterns: rows of N values 0/1, row-major", "", values, &n, &inline_set));
  PetscCall(PetscOptionsString("-bin_patterns_file", "Patterns from an HDF5 dataset file.h5:/patterns of shape (P, N)",
                               "", "", file, sizeof(file), &file_set));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-bin_npatterns", "Number of random patterns", 1, PETSC_MAX_INT, &npat,
                         &random_set));
  PetscCall(PetscOptionsReal("-bin_pattern_density", "Fraction of active neurons in random patterns", "", density,
                             &density, NULL));
  PetscCheck(inline_set + file_set + random_set <= 1, comm, PETSC_ERR_USER_INPUT,
             "give the patterns one way: -bin_patterns, -bin_patterns_file or -bin_npatterns");
  if (inline_set) {
    PetscCheck(n % N == 0 && n > 0, comm, PETSC_ERR_USER_INPUT,
               "-bin_patterns has %" PetscInt_FMT " values: not a whole number of patterns of N = %" PetscInt_FMT
               " values",
               n, N);
    npat = n / N;
  } else if (file_set) {
    PetscCall(PetscFree(values));
    PetscCall(NdReadDenseArray(comm, file, &rows, &cols, &values));
    PetscCheck(cols == N, comm, PETSC_ERR_USER_INPUT,
               "-bin_patterns_file %s has shape (%" PetscInt_FMT ", %" PetscInt_FMT
               "): need (P, N) with N = %" PetscInt_FMT,
               file, rows, cols, N);
    npat = rows;
  } else if (random_set) {
    PetscCheck(density > 0 && density < 1, comm, PETSC_ERR_USER_INPUT,
               "-bin_pattern_density must be in (0, 1) (got %g)", (double)density);
    PetscCall(PetscFree(values));
    PetscCall(PetscMalloc1(npat * N, &values));
    for (PetscInt k = 0; k < npat * N; k++) {
      double u[2];
      NdRandomUniform2((uint64_t)seed, ND_STREAM_PATTERNS, (uint64_t)k, 0, u);
      values[k] = u[0] < density ? 1 : 0;
    }
  }
  for (PetscInt k = 0; k < npat * N; k++)
    PetscCheck(values[k] == 0 || values[k] == 1, comm, PETSC_ERR_USER_INPUT,
               "pattern %" PetscInt_FMT ", neuron %" PetscInt_FMT ": value %g is not 0 or 1", k / N, k % N,
               (double)values[k]);
  PetscCall(PetscFree(bin->patterns));
  bin->npatterns = npat;
  bin->patterns  = NULL;
  if (npat) {
    PetscCall(PetscMalloc1(npat * N, &bin->patterns));
    PetscCall(PetscArraycpy(bin->patterns, values, npat * N));
  }
  PetscCall(PetscFree(values));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_INTERN PetscErrorCode NdBinaryConnectivityFromOptions(NdBinary, NdOptionItems);
PetscErrorCode              NdBinaryConnectivityFromOptions(NdBinary bin, NdOptionItems PetscOptionsObject)
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)bin);
  PetscInt     N = 0, nJ = ND_BINARY_MAX_N * ND_BINARY_MAX_N + 1, sizes[64], npop = 64, nmean = 64 * 64;
  PetscReal   *Jvalues, mean[64 * 64] = {0}, std = 1;
  PetscInt     seed = 0;
  NdJGenerator gen  = ND_J_NONE;
  char         file[PETSC_MAX_PATH_LEN];
  PetscBool    N_set, J_set, file_set, gen_set, pop_set, mean_set;

  PetscFunctionBegin;
  PetscCall(NdOptionsInt(PetscOptionsObject, "-bin_N", "Number of neurons", 1, PETSC_MAX_INT, &N, &N_set));
  PetscCall(PetscMalloc1(nJ, &Jvalues));
  PetscCall(PetscOptionsRealArray("-bin_J", "Couplings J, N x N values row-major (row i: the inputs of neuron i)",
                                  "NdBinarySetConnectivity", Jvalues, &nJ, &J_set));
  PetscCall(PetscOptionsString("-bin_J_file",
                               "Couplings from a matrix file: file.h5:/J (dense or CSR), or PETSc binary", "", "", file,
                               sizeof(file), &file_set));
  {
    PetscInt g = (PetscInt)gen;
    PetscCall(NdOptionsChoice(PetscOptionsObject, "-bin_J_generate", "Generate J", NdJGenerators, 4, &g, &gen_set));
    gen = (NdJGenerator)g;
  }
  PetscCall(NdOptionsInt(PetscOptionsObject, "-bin_seed", "Seed of the random couplings and patterns", 0, PETSC_MAX_INT,
                         &seed, NULL));
  if (gen_set && gen == ND_J_NONE) gen_set = PETSC_FALSE;
  PetscCheck(J_set + file_set + gen_set <= 1, comm, PETSC_ERR_USER_INPUT,
             "give J one way: -bin_J, -bin_J_file or -bin_J_generate");
  if (J_set) {
    const PetscInt n = (PetscInt)(PetscSqrtReal((PetscReal)nJ) + 0.5);
    if (!N_set) N = n;
    PetscCheck(nJ == N * N, comm, PETSC_ERR_USER_INPUT,
               "J is not N x N: -bin_J has %" PetscInt_FMT " values, N = %" PetscInt_FMT " needs %" PetscInt_FMT, nJ, N,
               N * N);
    PetscCall(NdBinaryAllocate(bin, N));
    PetscCall(NdBinarySetConnectivity(bin, N, Jvalues));
    PetscCall(PetscSNPrintf(bin->source, sizeof(bin->source), "given inline (-bin_J)"));
  } else if (file_set) { /* any matrix file (a dense dataset, a CSR group, PETSc binary), whole on every rank */
    PetscInt     rows, cols, *ia, *ja, merged;
    PetscScalar *va;
    PetscReal   *data;
    PetscCall(NdReadMatrixShape(comm, "-bin_J_file", file, "/J", &rows, &cols));
    if (!N_set) N = rows;
    PetscCheck(rows == N && cols == N, comm, PETSC_ERR_USER_INPUT,
               "J is not N x N: -bin_J_file %s has shape (%" PetscInt_FMT ", %" PetscInt_FMT "), N = %" PetscInt_FMT,
               file, rows, cols, N);
    PetscCall(NdBinaryAllocate(bin, N));
    PetscCall(NdReadMatrixRows(comm, "-bin_J_file", file, "/J", "data", N, 0, N, &ia, &ja, &va));
    PetscCall(NdMatrixRowsSumDuplicates(N, ia, ja, va, &merged));
    PetscCall(PetscCalloc1(N * N, &data));
    for (PetscInt i = 0; i < N; i++)
      for (PetscInt k = ia[i]; k < ia[i + 1]; k++) data[i * N + ja[k]] = PetscRealPart(va[k]);
    PetscCall(NdBinarySetConnectivity(bin, N, data));
    PetscCall(PetscFree(data));
    PetscCall(PetscFree(ia));
    PetscCall(PetscFree(ja));
    PetscCall(PetscFree(va));
    PetscCall(PetscSNPrintf(bin->source, sizeof(bin->source), "from %s", file));
  } else if (gen_set) {
    PetscCheck(N_set, comm, PETSC_ERR_USER_INPUT, "-bin_J_generate %s needs the number of neurons -bin_N",
               NdJGenerators[gen]);
    PetscCall(NdBinaryAllocate(bin, N));
  } else if (N_set)
    PetscCall(NdBinaryAllocate(bin, N));
  PetscCall(PetscFree(Jvalues));
  if (bin->N == 0) PetscFunctionReturn(PETSC_SUCCESS);

  PetscCall(NdOptionsIntArray(PetscOptionsObject, "-bin_population_sizes",
                              "Sizes of the populations (contiguous blocks of neurons)", 1, PETSC_MAX_INT, sizes, &npop,
                              &pop_set));
  if (pop_set) PetscCall(NdBinarySetPopulations(bin, npop, sizes));
  PetscCall(NdBinaryPatternsFromOptions(bin, PetscOptionsObject, seed));
  if (gen == ND_J_RANDOM || gen == ND_J_EI) {
    PetscCall(PetscOptionsRealArray("-bin_J_mean",
                                    "Mean coupling: 1 value, or P x P block means (row: postsynaptic population)", "",
                                    mean, &nmean, &mean_set));
    if (!mean_set) nmean = 1;
    PetscCall(PetscOptionsReal("-bin_J_std", "Standard deviation of the couplings", "", std, &std, NULL));
    PetscCheck(nmean == 1 || nmean == bin->npop * bin->npop, comm, PETSC_ERR_USER_INPUT,
               "-bin_J_mean has %" PetscInt_FMT " values; give 1 or one per pair of populations (%" PetscInt_FMT ")",
               nmean, bin->npop * bin->npop);
    PetscCheck(std >= 0, comm, PETSC_ERR_USER_INPUT, "-bin_J_std must be >= 0 (got %g)", (double)std);
    NdGenerateRandom(bin, mean, nmean, std, seed, (PetscBool)(gen == ND_J_EI));
    PetscCall(PetscSNPrintf(bin->source, sizeof(bin->source), "generated %s (seed %" PetscInt_FMT ")",
                            NdJGenerators[gen], seed));
  } else if (gen == ND_J_HOPFIELD) {
    PetscCheck(bin->npatterns > 0, comm, PETSC_ERR_USER_INPUT,
               "-bin_J_generate hopfield needs patterns: -bin_patterns, -bin_patterns_file or -bin_npatterns");
    NdGenerateHopfield(bin);
    PetscCall(PetscSNPrintf(bin->source, sizeof(bin->source), "Hopfield (Hebb) from %" PetscInt_FMT " patterns",
                            bin->npatterns));
  }
  PetscCheck(bin->source[0], comm, PETSC_ERR_USER_INPUT,
             "-bin_N is set but J is not: give -bin_J, -bin_J_file or -bin_J_generate random|ei|hopfield");
  PetscFunctionReturn(PETSC_SUCCESS);
}
