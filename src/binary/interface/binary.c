/* NdBinary: the generic object (network description, options, view). Noise types live in
   src/binary/impls/; J sources in connectivity.c; the analyses in their own files. */
#include <neurodyn/private/binaryimpl.h>

PetscFunctionList NdBinaryList              = NULL;
PetscBool         NdBinaryRegisterAllCalled = PETSC_FALSE;
const char *const NdBinaryUpdates[]         = {"synchronous", "asynchronous"};
PetscClassId      ND_BINARY_CLASSID;
PetscLogEvent     ND_EVENT_BINARY_ENUMERATE, ND_EVENT_BINARY_SOLVE;

static PetscBool NdBinaryPackageInitialized = PETSC_FALSE;

/* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
   PetscInitialize() + NdInitializePackage() registers everything again */
PetscErrorCode NdBinaryFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdBinaryList));
  NdBinaryRegisterAllCalled  = PETSC_FALSE;
  NdBinaryPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by NdBinaryCreate() and by NdInitializePackage() */
PetscErrorCode NdBinaryInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdBinaryPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdBinaryPackageInitialized = PETSC_TRUE;
  PetscCall(NdCoreInitializePackage());
  PetscCall(NdOutputInitializePackage());
  PetscCall(PetscClassIdRegister("NdBinary", &ND_BINARY_CLASSID));
  PetscCall(PetscLogEventRegister("NdBinEnumerate", ND_BINARY_CLASSID, &ND_EVENT_BINARY_ENUMERATE));
  PetscCall(PetscLogEventRegister("NdBinSolve", ND_BINARY_CLASSID, &ND_EVENT_BINARY_SOLVE));
  PetscCall(NdBinaryRegisterAll());
  PetscCall(PetscRegisterFinalize(NdBinaryFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdBinaryCreate_Deterministic(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinaryCreate_Logistic(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinaryCreate_Gaussian(NdBinary);

/* from connectivity.c */
PETSC_INTERN PetscErrorCode NdBinaryConnectivityFromOptions(NdBinary, NdOptionItems);

PetscErrorCode NdBinaryRegister(const char name[], PetscErrorCode (*create)(NdBinary))
{
  PetscFunctionBegin;
  PetscCall(NdBinaryInitializePackage());
  PetscCall(PetscFunctionListAdd(&NdBinaryList, name, create));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryRegisterAll(void)
{
  PetscFunctionBegin;
  if (NdBinaryRegisterAllCalled) PetscFunctionReturn(PETSC_SUCCESS);
  NdBinaryRegisterAllCalled = PETSC_TRUE;
  PetscCall(NdBinaryRegister(NDBINARYDETERMINISTIC, NdBinaryCreate_Deterministic));
  PetscCall(NdBinaryRegister(NDBINARYLOGISTIC, NdBinaryCreate_Logistic));
  PetscCall(NdBinaryRegister(NDBINARYGAUSSIAN, NdBinaryCreate_Gaussian));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryCreate(MPI_Comm comm, NdBinary *binary)
{
  NdBinary bin;

  PetscFunctionBegin;
  PetscAssertPointer(binary, 2);
  PetscCall(NdBinaryInitializePackage());
  PetscCall(PetscHeaderCreate(bin, ND_BINARY_CLASSID, "NdBinary", "Finite-size binary network", "NdBinary", comm,
                              NdBinaryDestroy, NdBinaryView));
  bin->update         = ND_BINARY_SYNCHRONOUS;
  bin->potential_bins = 200;
  *binary             = bin;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetType(NdBinary bin, NdBinaryNoise type)
{
  PetscErrorCode (*create)(NdBinary);
  PetscBool same;
  char      known[256];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(bin, ND_BINARY_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)bin, type, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFunctionListFind(NdBinaryList, type, &create));
  PetscCall(NdFunctionListNames(NdBinaryList, known, sizeof(known)));
  PetscCheck(create, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
             "unknown noise '%s' for -bin_noise (known: %s)", type, known);
  PetscCall(PetscMemzero(bin->ops, sizeof(struct _NdBinaryOps)));
  bin->setupcalled = PETSC_FALSE;
  PetscCall(PetscObjectChangeTypeName((PetscObject)bin, type));
  PetscCall((*create)(bin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryGetType(NdBinary bin, NdBinaryNoise *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(bin, ND_BINARY_CLASSID, 1);
  *type = ((PetscObject)bin)->type_name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A list option with 1, npop or N values (per network, per population, per neuron) -> N values */
static PetscErrorCode NdBinaryPerNeuron(NdBinary bin, NdOptionItems PetscOptionsObject, const char name[],
                                        const char help[], PetscBool allow_pop, PetscReal value[])
{
  PetscInt   n = bin->N + 1; /* room for one more: PETSc stops silently at a full buffer */
  PetscReal *given;
  PetscBool  set;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n, &given));
  PetscCall(PetscOptionsRealArray(name, help, "", given, &n, &set));
  PetscCheck(!set || n == 1 || n == bin->N || (allow_pop && n == bin->npop), PetscObjectComm((PetscObject)bin),
             PETSC_ERR_USER_INPUT, "%s has %s%" PetscInt_FMT " values; give 1, %s%" PetscInt_FMT " (one per neuron)",
             name, n > bin->N ? "more than " : "", n > bin->N ? bin->N : n, allow_pop ? "one per population, or " : "",
             bin->N);
  if (set) PetscCall(PetscArraycpy(value, given, n));
  PetscCall(PetscFree(given));
  if (!set) PetscFunctionReturn(PETSC_SUCCESS);
  if (n == 1)
    for (PetscInt i = 1; i < bin->N; i++) value[i] = value[0];
  else if (n == bin->npop && n != bin->N) {
    PetscReal perpop[64] = {0};
    for (PetscInt a = 0; a < n; a++) perpop[a] = value[a];
    for (PetscInt i = 0; i < bin->N; i++) value[i] = perpop[bin->pop[i]];
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetPopulations(NdBinary bin, PetscInt npop, const PetscInt sizes[])
{
  PetscInt sum = 0;

  PetscFunctionBegin;
  PetscCheck(npop >= 1 && npop <= 64, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
             "-bin_population_sizes: between 1 and 64 populations, not %" PetscInt_FMT, npop);
  for (PetscInt a = 0; a < npop; a++) {
    PetscCheck(sizes[a] > 0, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
               "-bin_population_sizes: population %" PetscInt_FMT " has size %" PetscInt_FMT "; sizes must be > 0", a,
               sizes[a]);
    sum += sizes[a];
  }
  PetscCheck(sum == bin->N, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
             "-bin_population_sizes add up to %" PetscInt_FMT ", not N = %" PetscInt_FMT, sum, bin->N);
  PetscCall(PetscFree(bin->pop_size));
  PetscCall(PetscMalloc1(npop, &bin->pop_size));
  PetscCall(PetscArraycpy(bin->pop_size, sizes, npop));
  bin->npop = npop;
  for (PetscInt a = 0, i = 0; a < npop; a++)
    for (PetscInt k = 0; k < sizes[a]; k++) bin->pop[i++] = a;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetThresholds(NdBinary bin, const PetscReal theta[])
{
  PetscFunctionBegin;
  PetscCall(PetscArraycpy(bin->theta, theta, bin->N));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetStimulus(NdBinary bin, const PetscReal stim[])
{
  PetscFunctionBegin;
  PetscCall(PetscArraycpy(bin->stim, stim, bin->N));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetUpdate(NdBinary bin, NdBinaryUpdate update)
{
  PetscFunctionBegin;
  bin->update = update;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryGetSize(NdBinary bin, PetscInt *N, PetscInt *npop)
{
  PetscFunctionBegin;
  if (N) *N = bin->N;
  if (npop) *npop = bin->npop;
  PetscFunctionReturn(PETSC_SUCCESS);
}

const char *const NdBinaryCouplingOptions[] = {"-bin_N", "-bin_J", "-bin_J_file", "-bin_J_generate", NULL};

PetscErrorCode NdBinaryOptionsPresent(PetscBool *present)
{
  PetscFunctionBegin;
  *present = PETSC_FALSE;
  for (const char *const *o = NdBinaryCouplingOptions; *o && !*present; o++)
    PetscCall(PetscOptionsHasName(NULL, NULL, *o, present));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscReal NdBinaryActivation(NdBinary bin, PetscInt i, PetscReal x)
{
  return bin->ops->activation(bin, i, x);
}

PetscErrorCode NdBinarySetNoiseScale(NdBinary bin, const PetscReal scale[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < bin->N; i++)
    PetscCheck(scale[i] > 0, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
               "%s must be > 0 (got %g for neuron %" PetscInt_FMT ")",
               bin->noise_option ? bin->noise_option : "the noise scale", (double)scale[i], i);
  PetscCall(PetscArraycpy(bin->noise_scale, scale, bin->N));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* "1" when n values are all the same, else "min .. max", for View */
static PetscErrorCode NdBinaryValuesString(PetscInt n, const PetscReal values[], char out[], size_t len)
{
  PetscReal lo = PETSC_MAX_REAL, hi = PETSC_MIN_REAL;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    lo = PetscMin(lo, values[i]);
    hi = PetscMax(hi, values[i]);
  }
  if (lo == hi)
    snprintf(out, len, "%g", (double)lo); /* C's %g: "1", where PETSc's prints "1." */
  else
    snprintf(out, len, "%g .. %g", (double)lo, (double)hi);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -bin_noise, the update rule, then N, populations and J (connectivity.c), thresholds, stimuli */
PetscErrorCode NdBinarySetFromOptions(NdBinary bin)
{
  char      type[256];
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(bin, ND_BINARY_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)bin);
  PetscCall(PetscOptionsFList("-bin_noise", "Noise distribution (the type)", "NdBinarySetType", NdBinaryList,
                              ((PetscObject)bin)->type_name ? ((PetscObject)bin)->type_name : NDBINARYDETERMINISTIC,
                              type, sizeof(type), &set));
  if (set || !((PetscObject)bin)->type_name) PetscCall(NdBinarySetType(bin, set ? type : NDBINARYDETERMINISTIC));
  {
    PetscInt update = (PetscInt)bin->update;
    PetscCall(NdOptionsChoice(PetscOptionsObject, "-bin_update", "Update rule", NdBinaryUpdates, 2, &update, NULL));
    bin->update = (NdBinaryUpdate)update;
  }
  PetscCall(PetscOptionsReal(
      "-bin_memory_limit",
      "Memory per rank allowed to an analysis, MB (default: -memory_limit, else the node's available memory / ranks)",
      "NdBinaryCheckMemory", bin->memory_limit_mb, &bin->memory_limit_mb, NULL));
  PetscCall(NdBinaryConnectivityFromOptions(bin, PetscOptionsObject));
  if (bin->N > 0) {
    PetscCall(NdBinaryPerNeuron(bin, PetscOptionsObject, "-bin_theta", "Thresholds theta: 1 value, or one per neuron",
                                PETSC_FALSE, bin->theta));
    PetscCall(NdBinaryPerNeuron(bin, PetscOptionsObject, "-bin_I",
                                "Stimuli I: 1 value, one per population, or one per neuron", PETSC_TRUE, bin->stim));
    if (bin->noise_option) { /* docs/models/binary.md: each neuron its own noise scale */
      PetscReal *scale;
      PetscCall(PetscMalloc1(bin->N, &scale));
      PetscCall(PetscArraycpy(scale, bin->noise_scale, bin->N));
      PetscCall(NdBinaryPerNeuron(bin, PetscOptionsObject, bin->noise_option,
                                  "Noise scale (temperature or sigma): 1 value, one per population, or one per neuron",
                                  PETSC_TRUE, scale));
      PetscCall(NdBinarySetNoiseScale(bin, scale));
      PetscCall(PetscFree(scale));
    }
  }
  bin->nsweep_min = bin->nsweep_max = 3; /* room for one more than the 2 allowed: a longer list is an error */
  PetscCall(PetscOptionsRealArray("-bin_sweep_min",
                                  "bifurcations: lower corner of the stimulus box, one value per population", "",
                                  bin->sweep_min, &bin->nsweep_min, &set));
  if (!set) bin->nsweep_min = 0;
  PetscCall(PetscOptionsRealArray("-bin_sweep_max",
                                  "bifurcations: upper corner of the stimulus box, one value per population", "",
                                  bin->sweep_max, &bin->nsweep_max, &set));
  if (!set) bin->nsweep_max = 0;
  PetscCall(
      NdOptionsFlag(PetscOptionsObject, "-bin_cycles",
                    "bifurcations: find every cycle of the deterministic map (default: N <= 16 in 1-D, N <= 12 in 2-D)",
                    bin->cycles, &bin->cycles, &bin->cycles_set));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-bin_potential_bins",
                         "stationary: points of the membrane-potential density grid", 1, PETSC_MAX_INT,
                         &bin->potential_bins, NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-bin_third_order",
                          "stationary: third-order correlations of the activities (default: N <= 16)", bin->third_order,
                          &bin->third_order, &bin->third_order_set));
  PetscCall(PetscObjectProcessOptionsHandlers((PetscObject)bin, PetscOptionsObject));
  PetscOptionsEnd();
  /* the eigensolver reads -eps_* now, with every other option (before the unused-option check) */
  if (!bin->eps) {
    PetscCall(EPSCreate(PetscObjectComm((PetscObject)bin), &bin->eps));
    PetscCall(EPSSetProblemType(bin->eps, EPS_NHEP));
    PetscCall(EPSSetWhichEigenpairs(bin->eps, EPS_LARGEST_REAL));
    PetscCall(EPSSetDimensions(bin->eps, 1, PETSC_DEFAULT, PETSC_DEFAULT));
    PetscCall(EPSSetTolerances(bin->eps, 1e-14, 100000));
  }
  PetscCall(EPSSetFromOptions(bin->eps));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinarySetUp(NdBinary bin)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(bin, ND_BINARY_CLASSID, 1);
  if (bin->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  if (!((PetscObject)bin)->type_name) PetscCall(NdBinarySetType(bin, NDBINARYDETERMINISTIC));
  PetscCheck(bin->N > 0, PetscObjectComm((PetscObject)bin), PETSC_ERR_USER_INPUT,
             "no network: give J with -bin_J (inline values), -bin_J_file file.h5:/J, or -bin_J_generate "
             "random|ei|hopfield with -bin_N");
  bin->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryView(NdBinary bin, PetscViewer viewer)
{
  PetscBool isascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(bin, ND_BINARY_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)bin), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)bin, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "N = %" PetscInt_FMT " neurons in %" PetscInt_FMT " population(s), J %s, %s update\n", bin->N, bin->npop,
      bin->source, NdBinaryUpdates[bin->update]));
  if (bin->N) {
    char theta[64], stim[64], J[64];
    PetscCall(NdBinaryValuesString(bin->N, bin->theta, theta, sizeof(theta)));
    PetscCall(NdBinaryValuesString(bin->N, bin->stim, stim, sizeof(stim)));
    PetscCall(NdBinaryValuesString(bin->N * bin->N, bin->J, J, sizeof(J)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "couplings J_ij %s; thresholds theta %s; stimuli I %s\n", J, theta, stim));
  }
  if (bin->noise_option) {
    char scale[64];
    PetscCall(NdBinaryValuesString(bin->N, bin->noise_scale, scale, sizeof(scale)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s, %s %s\n", bin->noise_label, bin->noise_name, scale));
  } else
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s\n", bin->noise_label));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBinaryDestroy(NdBinary *bin)
{
  PetscFunctionBegin;
  if (!*bin) PetscFunctionReturn(PETSC_SUCCESS);
  PetscValidHeaderSpecific(*bin, ND_BINARY_CLASSID, 1);
  if (--((PetscObject)(*bin))->refct > 0) {
    *bin = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscFree((*bin)->pop_size));
  PetscCall(PetscFree5((*bin)->pop, (*bin)->J, (*bin)->theta, (*bin)->stim, (*bin)->noise_scale));
  PetscCall(PetscFree((*bin)->patterns));
  PetscCall(EPSDestroy(&(*bin)->eps));
  PetscCall(PetscHeaderDestroy(bin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* /binary: the network as run */
PetscErrorCode NdBinaryWriteDescription(NdBinary bin, NdOutput out)
{
  PetscReal *pop;

  PetscFunctionBegin;
  PetscCall(NdOutputWriteAttributeInt(out, "/binary", "N", bin->N));
  PetscCall(NdOutputWriteAttributeInt(out, "/binary", "num_populations", bin->npop));
  PetscCall(NdOutputWriteAttributeString(out, "/binary", "noise", ((PetscObject)bin)->type_name));
  if (bin->noise_option) { /* each neuron's; the attribute when they are all the same */
    PetscBool uniform = PETSC_TRUE;
    for (PetscInt i = 1; i < bin->N; i++) uniform = (PetscBool)(uniform && bin->noise_scale[i] == bin->noise_scale[0]);
    if (uniform) PetscCall(NdOutputWriteAttributeReal(out, "/binary", "noise_scale", bin->noise_scale[0]));
    PetscCall(NdOutputWriteSharedArray(out, "/binary/noise_scale", bin->N, 0, bin->noise_scale, "1"));
  }
  PetscCall(NdOutputWriteAttributeString(out, "/binary", "update", NdBinaryUpdates[bin->update]));
  PetscCall(NdOutputWriteAttributeString(out, "/binary", "J_source", bin->source));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/J", bin->N, (PetscInt)bin->N, bin->J, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/theta", bin->N, 0, bin->theta, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/binary/I", bin->N, 0, bin->stim, "1"));
  PetscCall(PetscMalloc1(bin->N, &pop));
  for (PetscInt i = 0; i < bin->N; i++) pop[i] = (PetscReal)bin->pop[i];
  PetscCall(NdOutputWriteSharedArray(out, "/binary/population", bin->N, 0, pop, NULL));
  PetscCall(PetscFree(pop));
  if (bin->npatterns)
    PetscCall(
        NdOutputWriteSharedArray(out, "/binary/pattern_states", bin->npatterns, (PetscInt)bin->N, bin->patterns, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}
