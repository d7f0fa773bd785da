/* NdNetwork: the object, its options, set-up, view and destruction. */
#include <ctype.h>
#include <neurodyn/private/networkimpl.h>

PetscFunctionList NdNeuronModelList              = NULL;
PetscBool         NdNeuronModelRegisterAllCalled = PETSC_FALSE;
PetscClassId      ND_NETWORK_CLASSID;
PetscLogEvent     ND_EVENT_UPDATE, ND_EVENT_EXCHANGE, ND_EVENT_DELIVER;

static PetscBool NdNetworkPackageInitialized = PETSC_FALSE;

const char *const        NdSimds[]       = {"baseline", "avx2", "avx512"};
static const char *const NdSimdChoices[] = {"auto", "baseline", "avx2", "avx512"};

/* The widest instruction set of the models' kernels that this CPU runs (and this build has) */
static NdSimd NdSimdBest(void)
{
  NdSimd best = ND_SIMD_BASELINE;
#if defined(ND_HAVE_SIMD_VERSIONS)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) best = ND_SIMD_AVX2;
  if (__builtin_cpu_supports("avx512f")) best = ND_SIMD_AVX512;
#endif
  return best;
}

/* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
   PetscInitialize() + NdInitializePackage() registers everything again */
PetscErrorCode NdNetworkFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdNeuronModelList));
  NdNeuronModelRegisterAllCalled = PETSC_FALSE;
  NdNetworkPackageInitialized    = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by NdNetworkCreate() and by NdInitializePackage() */
PetscErrorCode NdNetworkInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdNetworkPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdNetworkPackageInitialized = PETSC_TRUE;
  PetscCall(NdCoreInitializePackage());
  PetscCall(NdOutputInitializePackage());
  PetscCall(NdStimulusInitializePackage());
  PetscCall(PetscClassIdRegister("NdNetwork", &ND_NETWORK_CLASSID));
  PetscCall(PetscLogEventRegister("NdUpdate", ND_NETWORK_CLASSID, &ND_EVENT_UPDATE));
  PetscCall(PetscLogEventRegister("NdExchange", ND_NETWORK_CLASSID, &ND_EVENT_EXCHANGE));
  PetscCall(PetscLogEventRegister("NdDeliver", ND_NETWORK_CLASSID, &ND_EVENT_DELIVER));
  PetscCall(NdNeuronModelRegisterAll());
  PetscCall(PetscRegisterFinalize(NdNetworkFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNeuronModelRegister(const char name[], PetscErrorCode (*create)(NdPopulation))
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListAdd(&NdNeuronModelList, name, create));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_QIF(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_LIF(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_Izhikevich(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_MIF(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_LIFCond(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_LIFDelta(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_AdEx(NdPopulation);
PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_SpikeGenerator(NdPopulation);
PETSC_EXTERN PetscErrorCode TSCreate_NdNetwork(TS);

PetscErrorCode NdNeuronModelRegisterAll(void)
{
  PetscFunctionBegin;
  if (NdNeuronModelRegisterAllCalled) PetscFunctionReturn(PETSC_SUCCESS);
  NdNeuronModelRegisterAllCalled = PETSC_TRUE;
  PetscCall(NdNeuronModelRegister(NDNEURONQIF, NdNeuronModelCreate_QIF));
  PetscCall(NdNeuronModelRegister(NDNEURONLIF, NdNeuronModelCreate_LIF));
  PetscCall(NdNeuronModelRegister(NDNEURONIZHIKEVICH, NdNeuronModelCreate_Izhikevich));
  PetscCall(NdNeuronModelRegister(NDNEURONMIF, NdNeuronModelCreate_MIF));
  PetscCall(NdNeuronModelRegister(NDNEURONLIFCOND, NdNeuronModelCreate_LIFCond));
  PetscCall(NdNeuronModelRegister(NDNEURONLIFDELTA, NdNeuronModelCreate_LIFDelta));
  PetscCall(NdNeuronModelRegister(NDNEURONADEX, NdNeuronModelCreate_AdEx));
  PetscCall(NdNeuronModelRegister(NDNEURONSPIKEGENERATOR, NdNeuronModelCreate_SpikeGenerator));
  PetscCall(TSRegister(TSNDNETWORK, TSCreate_NdNetwork));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkOptionsPresent(PetscBool *present)
{
  PetscFunctionBegin;
  PetscCall(PetscOptionsHasName(NULL, NULL, "-net_populations", present));
  if (!*present) PetscCall(PetscOptionsHasName(NULL, NULL, "-net_sonata", present));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkCreate(MPI_Comm comm, NdNetwork *network)
{
  NdNetwork net;

  PetscFunctionBegin;
  PetscAssertPointer(network, 2);
  PetscCall(NdNetworkInitializePackage());
  PetscCall(PetscHeaderCreate(net, ND_NETWORK_CLASSID, "NdNetwork", "Spiking network", "NdNetwork", comm,
                              NdNetworkDestroy, NdNetworkView));
  net->seed             = 1;
  net->state_id         = -1;           /* no step yet: the first one is fresh */
  net->simd             = NdSimdBest(); /* -net_simd may choose another */
  net->dt               = 0.1;
  net->rec.spike_buffer = 1 << 22; /* 32 MB of spike keys per rank */
  *network              = net;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The population names must be distinct, and words that cannot be confused with options */
static PetscErrorCode NdNetworkCheckPopulationName(NdNetwork net, const char name[])
{
  MPI_Comm comm = PetscObjectComm((PetscObject)net);
  size_t   len;

  PetscFunctionBegin;
  PetscCall(PetscStrlen(name, &len));
  PetscCheck(len > 0 && len < ND_NAME_LEN, comm, PETSC_ERR_USER_INPUT,
             "-net_populations: population names must have 1 to %d characters", ND_NAME_LEN - 1);
  for (size_t c = 0; c < len; c++)
    PetscCheck(isalnum((unsigned char)name[c]), comm, PETSC_ERR_USER_INPUT,
               "-net_populations: population name '%s' may contain only letters and digits", name);
  for (PetscInt p = 0; p < net->npop; p++) {
    PetscBool same;
    PetscCall(PetscStrcmp(net->pop[p]->name, name, &same));
    PetscCheck(!same, comm, PETSC_ERR_USER_INPUT, "-net_populations: population %s is named twice", name);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A population's parameter named like another population would make -net_A_B_* ambiguous */
static PetscErrorCode NdNetworkCheckNameClashes(NdNetwork net)
{
  PetscFunctionBegin;
  for (PetscInt p = 0; p < net->npop; p++)
    for (PetscInt k = 0; k < net->pop[p]->nparam; k++)
      for (PetscInt q = 0; q < net->npop; q++) {
        PetscBool same;
        PetscCall(PetscStrcmp(net->pop[p]->param[k].name, net->pop[q]->name, &same));
        PetscCheck(!same, PetscObjectComm((PetscObject)net), PETSC_ERR_USER_INPUT,
                   "population name %s is also a parameter of model %s (population %s): -net_%s_%s would be "
                   "ambiguous; rename the population",
                   net->pop[q]->name, net->pop[p]->model, net->pop[p]->name, net->pop[p]->name, net->pop[q]->name);
      }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkSetTimeStep(NdNetwork net, PetscReal t0, PetscReal dt)
{
  PetscFunctionBegin;
  PetscCheck(dt > 0, PetscObjectComm((PetscObject)net), PETSC_ERR_USER_INPUT, "-ts_dt must be > 0 (got %g)",
             (double)dt);
  net->t0 = t0;
  net->dt = dt;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -net_populations, -net_seed, -net_keep_matrix, -net_write_synapses, each population's and projection's options, and
   the stimulus -stim_*. Call NdNetworkSetTimeStep first: delays are checked against the step. */
PetscErrorCode NdNetworkSetFromOptions(NdNetwork net)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)net);
  char     *names[64];
  PetscInt  n = 64;
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(net, ND_NETWORK_CLASSID, 1);
  PetscCall(NdNeuronModelRegisterAll());
  PetscCall(NdNetworkSonataSetOptions(net));
  PetscObjectOptionsBegin((PetscObject)net);
  PetscCall(PetscOptionsStringArray("-net_populations", "Names of the populations (comma separated)", "NdNetwork",
                                    names, &n, &set));
  PetscCheck(set && n > 0, comm, PETSC_ERR_USER_INPUT,
             "no populations: set -net_populations (e.g. -net_populations E,I, or net: populations: E,I)");
  PetscCall(NdOptionsInt64(PetscOptionsObject, "-net_seed",
                           "Seed of the random numbers (connectivity, heterogeneity, input)", 0, INT64_MAX, &net->seed,
                           NULL));
  {
    PetscInt64 buffer = net->rec.spike_buffer;
    PetscCall(NdOptionsInt64(PetscOptionsObject, "-net_spike_buffer",
                             "Spikes a rank holds (on average) before they are appended to the output file", 1,
                             PETSC_MAX_INT, &buffer, NULL));
    net->rec.spike_buffer = buffer;
  }
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-net_keep_matrix",
                          "Keep the connectivity matrix W after building the delivery tables", net->keep_matrix,
                          &net->keep_matrix, NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-net_write_synapses",
                          "Write every synapse (source, target, weight, delay, channel) to /network/synapses",
                          net->write_synapses, &net->write_synapses, NULL));
  {
    PetscInt     choice = 0;
    const NdSimd best   = NdSimdBest();
    PetscCall(NdOptionsChoice(PetscOptionsObject, "-net_simd",
                              "Instruction set of the neuron updates (auto: the widest this CPU has; the results are "
                              "the same with each)",
                              NdSimdChoices, 4, &choice, NULL));
    PetscCheck(choice == 0 || (NdSimd)(choice - 1) <= best, comm, PETSC_ERR_USER_INPUT,
               "-net_simd %s: this CPU (or this build of neurodyn) runs the neuron updates with %s at most",
               NdSimdChoices[choice], NdSimds[best]);
    net->simd = choice ? (NdSimd)(choice - 1) : best;
  }
  PetscOptionsEnd();
  for (PetscInt p = 0; p < net->npop; p++) PetscCall(NdPopulationDestroy(&net->pop[p]));
  PetscCall(PetscFree(net->pop));
  net->npop = 0;
  PetscCall(PetscCalloc1(n, &net->pop));
  for (PetscInt p = 0; p < n; p++) {
    PetscCall(NdNetworkCheckPopulationName(net, names[p]));
    PetscCall(NdPopulationCreate(net, names[p], p, &net->pop[net->npop++]));
  }
  for (PetscInt p = 0; p < n; p++) PetscCall(PetscFree(names[p]));
  for (PetscInt p = 0; p < net->npop; p++) {
    PetscCall(NdPopulationSetFromOptions(net->pop[p]));
    PetscCheck(p == 0 || !strcmp(net->pop[p]->time_unit, net->pop[0]->time_unit), comm, PETSC_ERR_USER_INPUT,
               "populations %s (%s, time in %s) and %s (%s, time in %s) use different units of time", net->pop[0]->name,
               net->pop[0]->model, net->pop[0]->time_unit, net->pop[p]->name, net->pop[p]->model,
               net->pop[p]->time_unit);
  }
  PetscCall(NdNetworkCheckNameClashes(net));
  PetscCall(NdProjectionsSetFromOptions(net));
  if (!net->stimulus) PetscCall(NdStimulusCreate(comm, &net->stimulus));
  PetscCall(NdStimulusSetFromOptions(net->stimulus));
  net->setupcalled = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Distribute the neurons (populations concatenated, split evenly over the ranks), build the
   connectivity, the ring buffers and the state vector */
/* Before the build: the memory this rank will need, estimated from the sizes and the expected
   synapse counts (a connectivity file's are not known yet): per local neuron 32 bytes per state
   variable (the state and its work copies) and 64 more (inputs, spike flags), per synapse onto a
   local neuron 40 (the rows as generated, the matrix W and the delivery table at their peak), and
   16 per neuron of the network (the delivery table's row pointers on every rank). */
static PetscErrorCode NdNetworkCheckMemory(NdNetwork net)
{
  MPI_Comm       comm  = PetscObjectComm((PetscObject)net);
  PetscLogDouble bytes = 16.0 * net->N, nsyn = 0;
  char           what[256];

  PetscFunctionBegin;
  for (PetscInt p = 0; p < net->npop; p++)
    bytes += (PetscLogDouble)net->pop[p]->nlocal * (32.0 * net->pop[p]->nvar + 64);
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    const NdProjection *pr = &net->proj[ip];
    const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
    switch (pr->rule) {
    case ND_RULE_BERNOULLI:
      nsyn += pr->p * S->size * T->nlocal;
      break;
    case ND_RULE_FIXED_INDEGREE:
      nsyn += (PetscLogDouble)pr->K * T->nlocal;
      break;
    case ND_RULE_FIXED_OUTDEGREE:
      nsyn += (PetscLogDouble)pr->K * S->size * T->nlocal / T->size;
      break;
    default: /* all-to-all: no synapses stored; a file: read later */
      break;
    }
  }
  bytes += 40 * nsyn;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &bytes, 1, MPI_DOUBLE, MPI_MAX, comm));
  PetscCall(PetscSNPrintf(what, sizeof(what), "the network of %" PetscInt_FMT " neurons", net->N));
  PetscCall(NdCheckMemory(comm, 0, "-memory_limit", what, bytes,
                          "take fewer neurons (-net_<pop>_size) or synapses (-net_<pre>_<post>_K or _p)"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkSetUp(NdNetwork net)
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)net);
  PetscInt   rend;
  PetscInt64 nstate = 0, nstate_max; /* this rank's state variables: may exceed PetscInt before the checks */

  PetscFunctionBegin;
  if (net->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdStimulusSetUp(net->stimulus));
  net->N = 0;
  for (PetscInt p = 0; p < net->npop; p++) {
    PetscCheck(net->pop[p]->size <= PETSC_MAX_INT - net->N, comm, PETSC_ERR_USER_INPUT,
               "the network has more than %d neurons: build PETSc with 64-bit indices", PETSC_MAX_INT);
    net->pop[p]->gstart = net->N;
    net->N += net->pop[p]->size;
  }
  net->nlocal = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(comm, &net->nlocal, &net->N));
  PetscCallMPI(MPI_Scan(&net->nlocal, &rend, 1, MPIU_INT, MPI_SUM, comm));
  net->rstart = rend - net->nlocal;
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation   pop = net->pop[p];
    const PetscInt lo = PetscMax(net->rstart, pop->gstart), hi = PetscMin(rend, pop->gstart + pop->size);
    pop->lstart = PetscMax(lo - pop->gstart, 0);
    pop->nlocal = PetscMax(hi - lo, 0);
    if (!pop->nlocal) pop->lstart = 0;
    pop->local_offset = pop->nlocal ? lo - net->rstart : 0;
    pop->state_offset = (PetscInt)nstate; /* checked below, before it is used */
    nstate += (PetscInt64)pop->nvar * pop->nlocal;
    net->nchannel = PetscMax(net->nchannel, pop->nchannel);
  }
  PetscCall(NdNetworkCheckMemory(net));
  PetscCallMPI(MPI_Allreduce(&nstate, &nstate_max, 1, MPIU_INT64, MPI_MAX, comm));
  PetscCheck(nstate_max <= PETSC_MAX_INT, comm, PETSC_ERR_USER_INPUT,
             "the network's state has %" PetscInt64_FMT
             " variables on one rank, more than %d: use more ranks, or build "
             "PETSc with 64-bit indices",
             nstate_max, PETSC_MAX_INT);
  PetscCall(NdNetworkBuildConnectivity(net));
  PetscCall(PetscCalloc1((size_t)net->nslots * net->nchannel * PetscMax(net->nlocal, 1), &net->ring));
  for (PetscInt p = 0; p < net->npop; p++) PetscCall(NdPopulationSetUp(net->pop[p]));
  PetscCall(VecCreateMPI(comm, (PetscInt)nstate, PETSC_DETERMINE, &net->state));
  PetscCall(PetscObjectSetName((PetscObject)net->state, "network state"));
  {
    PetscScalar *x;
    PetscCall(VecGetArray(net->state, &x));
    for (PetscInt p = 0; p < net->npop; p++)
      PetscCall(NdPopulationInitialize(net->pop[p], x + net->pop[p]->state_offset));
    PetscCall(VecRestoreArray(net->state, &x));
  }
  {
    PetscMPIInt size;
    PetscCallMPI(MPI_Comm_size(comm, &size));
    PetscCall(PetscMalloc2(size, &net->counts, size, &net->displs));
    net->size         = size;
    net->exchange_cap = 16;
    PetscCall(PetscMalloc2(net->exchange_cap + 1, &net->sendblock, (net->exchange_cap + 1) * size, &net->recvblocks));
  }
  net->step        = 0;
  net->setupcalled = PETSC_TRUE;
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkRateUnit(NdNetwork net, PetscReal *scale, char unit[], size_t len)
{
  const char *tu = net->npop ? net->pop[0]->time_unit : "1";
  PetscBool   ms, none;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(tu, "ms", &ms));
  PetscCall(PetscStrcmp(tu, "1", &none));
  *scale = ms ? 1000 : 1;
  if (ms)
    PetscCall(PetscStrncpy(unit, "Hz", len));
  else if (none)
    PetscCall(PetscStrncpy(unit, "1", len));
  else
    PetscCall(PetscSNPrintf(unit, len, "1/%s", tu));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkGetImplicitSynapses(NdNetwork net, PetscInt64 *n)
{
  PetscFunctionBegin;
  *n = 0;
  for (PetscInt ip = 0; ip < net->nproj; ip++)
    if (net->proj[ip].rule == ND_RULE_ALL_TO_ALL)
      *n += (PetscInt64)net->pop[net->proj[ip].source]->size * (PetscInt64)net->pop[net->proj[ip].target]->size;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkGetSizes(NdNetwork net, PetscInt *N, PetscInt64 *nsyn, PetscInt64 *bytes)
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)net);
  PetscInt64 local[2], global[2];

  PetscFunctionBegin;
  local[0] = net->nsyn_local;
  local[1] =
      net->nsyn_local * (PetscInt64)sizeof(NdSynapse) + (PetscInt64)(net->N + 1) * (PetscInt64)sizeof(PetscInt64);
  PetscCall(MPIU_Allreduce(local, global, 2, MPIU_INT64, MPI_SUM, comm));
  if (N) *N = net->N;
  if (nsyn) *nsyn = global[0];
  if (bytes) *bytes = global[1];
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkView(NdNetwork net, PetscViewer viewer)
{
  PetscBool  isascii;
  PetscInt64 nsyn = 0, bytes = 0, implicit;

  PetscFunctionBegin;
  PetscCall(NdNetworkGetImplicitSynapses(net, &implicit));
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)net), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(PETSC_SUCCESS);
  if (net->setupcalled) PetscCall(NdNetworkGetSizes(net, NULL, &nsyn, &bytes));
  { /* not PetscObjectPrintClassNamePrefixType(): a network has no type, its populations have models */
    PetscMPIInt size;
    PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)net), &size));
    PetscCall(PetscViewerASCIIPrintf(viewer, "NdNetwork Object: %d MPI process%s\n", size, size > 1 ? "es" : ""));
  }
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "seed %" PetscInt64_FMT ", time step %g %s\n", net->seed, (double)net->dt,
                                   net->npop ? net->pop[0]->time_unit : ""));
  for (PetscInt p = 0; p < net->npop; p++) PetscCall(NdPopulationView(net->pop[p], viewer));
  for (PetscInt ip = 0; ip < net->nproj; ip++) {
    const NdProjection *pr = &net->proj[ip];
    const NdPopulation  S = net->pop[pr->source], T = net->pop[pr->target];
    PetscInt64          count = pr->nsyn;
    if (net->setupcalled) /* collective, as the sizes above */
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &count, 1, MPIU_INT64, MPI_SUM, PetscObjectComm((PetscObject)net)));
    if (pr->rule == ND_RULE_ALL_TO_ALL) count = (PetscInt64)S->size * (PetscInt64)T->size;
    PetscCall(PetscViewerASCIIPrintf(viewer, "projection %s -> %s: %s", S->name, T->name, NdRules[pr->rule]));
    PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_FALSE));
    if (pr->rule == ND_RULE_BERNOULLI) PetscCall(PetscViewerASCIIPrintf(viewer, " p = %g", (double)pr->p));
    if (pr->rule == ND_RULE_FIXED_INDEGREE || pr->rule == ND_RULE_FIXED_OUTDEGREE)
      PetscCall(PetscViewerASCIIPrintf(viewer, " K = %" PetscInt_FMT, pr->K));
    if (pr->rule == ND_RULE_FILE || pr->rule == ND_RULE_SONATA) /* weights (and delays) per synapse */
      PetscCall(PetscViewerASCIIPrintf(viewer, " %s, weights (%s) and delays per synapse from the file (else %g %s)",
                                       pr->file, T->weight_unit, (double)pr->delay, T->time_unit));
    else
      PetscCall(PetscViewerASCIIPrintf(viewer, ", weight %g %s (%s), delay %g %s (%s), channel %" PetscInt_FMT,
                                       (double)pr->weight, T->weight_unit, NdDistributions[pr->weight_dist],
                                       (double)pr->delay, T->time_unit, NdDistributions[pr->delay_dist], pr->channel));
    if (net->setupcalled)
      PetscCall(
          PetscViewerASCIIPrintf(viewer, ", %" PetscInt64_FMT " synapses%s", count,
                                 pr->rule == ND_RULE_ALL_TO_ALL ? " (implicit: the spike count of the source)" : ""));
    PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
    PetscCall(PetscViewerASCIIUseTabs(viewer, PETSC_TRUE));
  }
  if (net->setupcalled)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "%" PetscInt_FMT " neurons, %" PetscInt64_FMT " synapses (%" PetscInt64_FMT
                                     " in the delivery tables, %.1f bytes each); delays %" PetscInt_FMT
                                     " to %" PetscInt_FMT " steps (spikes exchanged every %" PetscInt_FMT " steps)\n",
                                     net->N, nsyn + implicit, nsyn, nsyn ? (double)bytes / (double)nsyn : 0.0,
                                     net->min_delay, net->max_delay, net->min_delay));
  PetscCall(PetscViewerASCIIPrintf(viewer, "neuron updates vectorised with %s (-net_simd)\n", NdSimds[net->simd]));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkViewFromOptions(NdNetwork net, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscCall(PetscObjectViewFromOptions((PetscObject)net, obj, name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkDestroy(NdNetwork *network)
{
  NdNetwork net;

  PetscFunctionBegin;
  if (!*network) PetscFunctionReturn(PETSC_SUCCESS);
  net = *network;
  if (--((PetscObject)net)->refct > 0) {
    *network = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (PetscInt p = 0; p < net->npop; p++) PetscCall(NdPopulationDestroy(&net->pop[p]));
  PetscCall(PetscFree(net->pop));
  PetscCall(PetscFree(net->proj));
  PetscCall(NdStimulusDestroy(&net->stimulus));
  PetscCall(MatDestroy(&net->W));
  PetscCall(PetscFree(net->dlv.ptr));
  PetscCall(PetscFree(net->dlv.syn));
  PetscCall(PetscFree(net->ring));
  PetscCall(PetscFree(net->window));
  PetscCall(PetscFree(net->gathered));
  PetscCall(PetscFree2(net->counts, net->displs));
  PetscCall(PetscFree2(net->sendblock, net->recvblocks));
  PetscCall(VecDestroy(&net->state));
  PetscCall(PetscHeaderDestroy(network));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What `neurodyn info -net_model <model>` prints: the model's parameters (default, unit, range),
   state variables and observables */
PetscErrorCode NdNeuronModelDescribe(MPI_Comm comm, const char model[])
{
  NdNetwork    net;
  NdPopulation pop;
  char         known[256], range[64];
  PetscErrorCode (*create)(NdPopulation);

  PetscFunctionBegin;
  PetscCall(NdNeuronModelRegisterAll());
  PetscCall(PetscFunctionListFind(NdNeuronModelList, model, &create));
  PetscCall(NdFunctionListNames(NdNeuronModelList, known, sizeof(known)));
  PetscCheck(create, comm, PETSC_ERR_USER_INPUT, "unknown neuron model '%s' (known models: %s)", model, known);
  PetscCall(NdNetworkCreate(comm, &net));
  PetscCall(NdPopulationCreate(net, "P", 0, &pop));
  PetscCall((*create)(pop));
  PetscCall(PetscPrintf(comm, "neuron model %s: %s; time unit %s, %" PetscInt_FMT " input channel(s)\n", model,
                        pop->description, pop->time_unit, pop->nchannel));
  if (pop->equations) PetscCall(PetscPrintf(comm, "%s", pop->equations));
  PetscCall(PetscPrintf(comm, "parameters (-net_<population>_<name>, with _dist, _spread, _sampling):\n"));
  for (PetscInt k = 0; k < pop->nparam; k++) {
    PetscCall(NdParameterRangeString(&pop->param[k], range, sizeof(range)));
    PetscCall(PetscPrintf(comm, "  %-11s %-10g %-4s %-14s %s\n", pop->param[k].name, (double)pop->param[k].value,
                          pop->param[k].unit, range, pop->param[k].description));
  }
  PetscCall(PetscPrintf(comm, "state variables (initial value -net_<population>_init_<name>):\n"));
  for (PetscInt k = 0; k < pop->nvar; k++)
    PetscCall(PetscPrintf(comm, "  %-11s %-10g %-4s %s\n", pop->var[k].name, (double)pop->var[k].value,
                          pop->var[k].unit, pop->var[k].description));
  PetscCall(PetscPrintf(comm, "observables (/observables/<population>/): r"));
  for (PetscInt o = 0; o < pop->nobs; o++) PetscCall(PetscPrintf(comm, ", %s", pop->obs[o]));
  PetscCall(PetscPrintf(comm, "\n"));
  PetscCall(NdPopulationDestroy(&pop));
  PetscCall(NdNetworkDestroy(&net));
  PetscFunctionReturn(PETSC_SUCCESS);
}
