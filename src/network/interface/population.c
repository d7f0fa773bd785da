/* A population: neurons of one model with parameters (fixed or heterogeneous), initial values,
   an external drive (the stimulus I(t) times a gain, and independent Poisson input), and the
   ring buffers its synaptic input arrives in. Options -net_<name>_*. */
#include <neurodyn/private/networkimpl.h>
#include <neurodyn/rng.h>

const char *const NdDistributions[] = {"fixed", "lorentzian", "gaussian", "uniform", "file"}; /* -_dist: the first 4 */

PetscErrorCode NdPopulationCreate(NdNetwork net, const char name[], PetscInt index, NdPopulation *pop)
{
  NdPopulation p;

  PetscFunctionBegin;
  PetscCall(PetscNew(&p));
  p->net   = net;
  p->index = index;
  PetscCall(PetscStrncpy(p->name, name, sizeof(p->name)));
  p->stim_gain = 1;
  PetscCall(PetscStrncpy(p->weight_unit, "1", sizeof(p->weight_unit)));
  *pop = p;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationSetDescription(NdPopulation pop, const char text[], const char time_unit[])
{
  PetscFunctionBegin;
  PetscCall(PetscStrncpy(pop->description, text, sizeof(pop->description)));
  PetscCall(PetscStrncpy(pop->time_unit, time_unit, sizeof(pop->time_unit)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The model's equations for neurodyn info: lines of text, kept as given (a string literal) */
PetscErrorCode NdPopulationSetEquations(NdPopulation pop, const char text[])
{
  PetscFunctionBegin;
  pop->equations = text;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The unit of a synaptic weight onto the model (default 1) */
PetscErrorCode NdPopulationSetWeightUnit(NdPopulation pop, const char unit[])
{
  PetscFunctionBegin;
  PetscCall(PetscStrncpy(pop->weight_unit, unit, sizeof(pop->weight_unit)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationAddParameter(NdPopulation pop, const char name[], PetscReal value, const char unit[],
                                        PetscReal lower, PetscBool lower_open, PetscReal upper, PetscBool upper_open,
                                        const char description[])
{
  PetscFunctionBegin;
  PetscCall(
      NdParameterAdd(&pop->nparam, &pop->param, name, value, unit, lower, lower_open, upper, upper_open, description));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationAddVariable(NdPopulation pop, const char name[], const char unit[], PetscReal initial,
                                       const char description[])
{
  PetscFunctionBegin;
  PetscCheck(pop->nvar < ND_MAX_VARS, PETSC_COMM_SELF, PETSC_ERR_PLIB, "a neuron model has at most %d variables",
             ND_MAX_VARS);
  PetscCall(NdParameterAdd(&pop->nvar, &pop->var, name, initial, unit, PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL,
                           PETSC_FALSE, description));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationAddObservable(NdPopulation pop, const char name[], const char unit[])
{
  PetscFunctionBegin;
  PetscCheck(pop->nobs < ND_MAX_OBS, PETSC_COMM_SELF, PETSC_ERR_PLIB, "a neuron model has at most %d observables",
             ND_MAX_OBS);
  PetscCall(PetscStrncpy(pop->obs[pop->nobs], name, ND_NAME_LEN));
  PetscCall(PetscStrncpy(pop->obs_unit[pop->nobs++], unit, ND_NAME_LEN));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationGetParameterIndex(NdPopulation pop, const char name[], PetscInt *index)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++) {
    PetscBool same;
    PetscCall(PetscStrcmp(pop->param[k].name, name, &same));
    if (same) {
      *index = k;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_PLIB, "model %s has no parameter %s", pop->model, name);
}

PetscErrorCode NdPopulationGetTimeStep(NdPopulation pop, PetscReal *dt)
{
  PetscFunctionBegin;
  *dt = pop->net->dt;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Observables that are plain means over the population: the sums divided by the size */
PetscErrorCode NdPopulationFinishObserveMean(NdPopulation pop, const PetscReal sums[], PetscReal obs[])
{
  PetscFunctionBegin;
  for (PetscInt o = 0; o < pop->nobs; o++) obs[o] = sums[o] / (PetscReal)pop->size;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -<opt>, -<opt>_dist, -<opt>_spread, -<opt>_sampling for one parameter or initial value, or
   -<opt>_file for one value per neuron */
static PetscErrorCode NdHeterogeneityOptions(NdOptionItems PetscOptionsObject, const char opt[], NdParameter *p,
                                             NdHeterogeneity *h)
{
  char              name[96], text[256], file[PETSC_MAX_PATH_LEN] = "";
  PetscInt          dist        = ND_DIST_FIXED, sampling;
  const char *const samplings[] = {"random", "quantiles"};
  PetscBool         file_set, dist_set, value_set;

  PetscFunctionBegin;
  PetscCall(PetscOptionsReal(opt, p->description, "NdNetwork", p->value, &p->value, &value_set));
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s_dist", opt));
  PetscCall(PetscSNPrintf(text, sizeof(text), "Distribution of %s over the neurons (value: its centre)", p->name));
  PetscCall(NdOptionsChoice(PetscOptionsObject, name, text, NdDistributions, 4, &dist, &dist_set));
  h->dist = (NdDistribution)dist;
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s_file", opt));
  PetscCall(PetscSNPrintf(text, sizeof(text), "%s of each neuron from a vector file (file.h5:/path or PETSc binary)",
                          p->name));
  PetscCall(PetscOptionsString(name, text, "NdNetwork", file, file, sizeof(file), &file_set));
  if (file_set) {
    PetscCheck(!dist_set || h->dist == ND_DIST_FIXED, PetscOptionsObject->comm, PETSC_ERR_USER_INPUT,
               "%s and %s_dist: give the values of the neurons one way", name, opt);
    PetscCheck(!value_set, PetscOptionsObject->comm, PETSC_ERR_USER_INPUT,
               "%s and %s: give the values of the neurons one way (the file holds them all)", opt, name);
    h->dist = ND_DIST_FILE;
    PetscCall(PetscFree(h->file));
    PetscCall(PetscStrallocpy(file, &h->file));
  }
  if (h->dist == ND_DIST_FIXED || h->dist == ND_DIST_FILE) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s_spread", opt));
  PetscCall(PetscOptionsReal(name, "Half-width (lorentzian, uniform) or standard deviation (gaussian)", "NdNetwork",
                             h->spread, &h->spread, NULL));
  PetscCheck(h->spread >= 0, PetscOptionsObject->comm, PETSC_ERR_USER_INPUT, "%s must be >= 0 (got %g)", name,
             (double)h->spread);
  sampling = h->dist == ND_DIST_GAUSSIAN ? 0 : 1;
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s_sampling", opt));
  PetscCall(NdOptionsChoice(PetscOptionsObject, name, "Random draws or deterministic quantiles", samplings, 2,
                            &sampling, NULL));
  h->quantiles = (PetscBool)(sampling == 1);
  PetscCheck(!(h->quantiles && h->dist == ND_DIST_GAUSSIAN), PetscOptionsObject->comm, PETSC_ERR_USER_INPUT,
             "%s quantiles: deterministic quantiles are available for lorentzian and uniform distributions", name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationSetFromOptions(NdPopulation pop)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)pop->net);
  char      opt[96], model[64] = "", known[256], text[128];
  PetscBool set;
  PetscErrorCode (*create)(NdPopulation);

  PetscFunctionBegin;
  PetscCall(NdFunctionListNames(NdNeuronModelList, known, sizeof(known)));
  PetscOptionsBegin(comm, NULL, "Population options", "NdNetwork");
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_model", pop->name));
  PetscCall(PetscSNPrintf(text, sizeof(text), "Neuron model of population %s", pop->name));
  PetscCall(PetscOptionsString(opt, text, "NdNeuronModelRegister", model, model, sizeof(model), &set));
  PetscCheck(set, comm, PETSC_ERR_USER_INPUT, "population %s has no model: set %s (known models: %s)", pop->name, opt,
             known);
  PetscCall(PetscFunctionListFind(NdNeuronModelList, model, &create));
  PetscCheck(create, comm, PETSC_ERR_USER_INPUT, "unknown neuron model '%s' for %s (known models: %s)", model, opt,
             known);
  PetscCall(PetscStrncpy(pop->model, model, sizeof(pop->model)));
  PetscCall((*create)(pop));
  PetscCall(PetscCalloc1(pop->nparam, &pop->het));
  PetscCall(PetscCalloc1(pop->nvar, &pop->init));

  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_size", pop->name));
  PetscCall(NdOptionsInt(PetscOptionsObject, opt, "Number of neurons", 1, PETSC_MAX_INT, &pop->size, &set));
  PetscCheck(set, comm, PETSC_ERR_USER_INPUT, "population %s has no size: set %s", pop->name, opt);
  for (PetscInt k = 0; k < pop->nparam; k++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s", pop->name, pop->param[k].name));
    PetscCall(NdHeterogeneityOptions(PetscOptionsObject, opt, &pop->param[k], &pop->het[k]));
    PetscCall(NdParameterCheck(comm, &pop->param[k], pop->param[k].value, pop->model, opt));
  }
  for (PetscInt k = 0; k < pop->nvar; k++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_init_%s", pop->name, pop->var[k].name));
    PetscCall(NdHeterogeneityOptions(PetscOptionsObject, opt, &pop->var[k], &pop->init[k]));
  }
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_stim_gain", pop->name));
  PetscCall(PetscOptionsReal(opt, "Factor on the stimulus I(t) (-stim_*) for this population", "NdNetwork",
                             pop->stim_gain, &pop->stim_gain, NULL));
  {
    char file[PETSC_MAX_PATH_LEN] = "";
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_current_file", pop->name));
    PetscCall(PetscOptionsString(opt,
                                 "Per-neuron step currents: file.h5:/group with times (n) and amplitudes (n x size)",
                                 "NdNetwork", file, file, sizeof(file), &set));
    PetscCall(PetscFree(pop->current_file));
    if (set) {
      PetscCheck(pop->takes_current, comm, PETSC_ERR_USER_INPUT,
                 "%s: model %s of population %s takes no per-neuron current (lif, lif_delta, lif_cond, adex do)", opt,
                 pop->model, pop->name);
      PetscCall(PetscStrallocpy(file, &pop->current_file));
    }
  }
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_poisson_rate", pop->name));
  PetscCall(PetscOptionsReal(opt, "Rate of independent Poisson input to each neuron (1/time unit)", "NdNetwork",
                             pop->poisson_rate, &pop->poisson_rate, NULL));
  PetscCheck(pop->poisson_rate >= 0, comm, PETSC_ERR_USER_INPUT, "%s must be >= 0 (got %g)", opt,
             (double)pop->poisson_rate);
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_poisson_weight", pop->name));
  PetscCall(PetscOptionsReal(opt, "Weight of each Poisson input event", "NdNetwork", pop->poisson_weight,
                             &pop->poisson_weight, NULL));
  {
    PetscInt n = 257;
    PetscCall(PetscMalloc1(n, &pop->trace));
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_record", pop->name));
    PetscCall(NdOptionsIntArray(PetscOptionsObject, opt,
                                "Neurons (indices in the population) whose state is recorded in /traces", 0,
                                PETSC_MAX_INT, pop->trace, &n, &set));
    if (set) PetscCall(NdOptionsCheckListRoom(comm, opt, n, 256));
    pop->ntrace = set ? n : 0;
    PetscCall(PetscSortRemoveDupsInt(&pop->ntrace, pop->trace));
    for (PetscInt k = 0; k < pop->ntrace; k++)
      PetscCheck(pop->trace[k] >= 0 && pop->trace[k] < pop->size, comm, PETSC_ERR_USER_INPUT,
                 "%s: neuron %" PetscInt_FMT " is not in population %s (0 to %" PetscInt_FMT ")", opt, pop->trace[k],
                 pop->name, pop->size - 1);
  }
  if (pop->ops.setfromoptions) PetscCall((*pop->ops.setfromoptions)(pop, PetscOptionsObject));
  PetscOptionsEnd();
  PetscCheck(pop->nchannel > 0 || pop->poisson_rate == 0, comm, PETSC_ERR_USER_INPUT,
             "population %s (%s) takes no input: -net_%s_poisson_rate cannot drive it", pop->name, pop->model,
             pop->name);
  pop->poisson_channel = (pop->nchannel > 1 && pop->poisson_weight < 0) ? 1 : 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Inverse CDF of the distribution at u in (0, 1) */
static PetscReal NdDistributionQuantile(NdDistribution d, PetscReal centre, PetscReal spread, PetscReal u)
{
  switch (d) {
  case ND_DIST_LORENTZIAN:
    return centre + spread * PetscTanReal(PETSC_PI * (u - 0.5));
  case ND_DIST_UNIFORM:
    return centre + spread * (2 * u - 1);
  default:
    return centre;
  }
}

/* The values of one parameter at the local neurons. Quantiles (docs/models/mpr.md): neuron j = 1..N of
   the population gets the quantile at (2j - N - 1)/(N + 1) of the symmetric range, so
   eta_j = eta_bar + Delta tan(pi/2 (2j - N - 1)/(N + 1)) for the Lorentzian; random draws are
   keyed by (seed, population and parameter, neuron), so they do not depend on the ranks. */
PetscErrorCode NdHeterogeneityDraw(NdNetwork net, NdPopulation pop, PetscInt slot, PetscReal centre, NdHeterogeneity *h)
{
  const uint32_t stream = ND_STREAM(ND_STREAM_HETEROGENEITY, pop->index * 256 + slot);

  PetscFunctionBegin;
  if (h->dist == ND_DIST_FIXED) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscMalloc1(PetscMax(pop->nlocal, 1), &h->local));
  if (h->dist == ND_DIST_FILE) PetscFunctionReturn(PETSC_SUCCESS); /* NdHeterogeneityRead() fills it */
  for (PetscInt i = 0; i < pop->nlocal; i++) {
    const PetscInt j = pop->lstart + i;
    PetscReal      u;
    if (h->quantiles) {
      u = 0.5 * (1 + (PetscReal)(2 * (j + 1) - pop->size - 1) / (PetscReal)(pop->size + 1));
    } else if (h->dist == ND_DIST_GAUSSIAN) {
      h->local[i] = centre + h->spread * NdRandomNormal((uint64_t)net->seed, stream, (uint64_t)j, 0);
      continue;
    } else
      u = NdRandomUniform((uint64_t)net->seed, stream, (uint64_t)j, 0);
    h->local[i] = NdDistributionQuantile(h->dist, centre, h->spread, u);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The local neurons' values of a parameter or initial value from its vector file (each rank reads
   its neurons' range; the length must be the population's size); a parameter's values must lie
   in its range */
static PetscErrorCode NdHeterogeneityRead(NdPopulation pop, const char opt[], const NdParameter *p, PetscBool check,
                                          NdHeterogeneity *h)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)pop->net);
  Vec                v;
  const PetscScalar *a;
  PetscReal          bad   = 0;
  PetscInt64         first = INT64_MAX; /* the first neuron out of range */

  PetscFunctionBegin;
  if (h->dist != ND_DIST_FILE) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(VecCreateMPI(comm, pop->nlocal, pop->size, &v));
  PetscCall(NdVecLoadFile(opt, h->file, v));
  PetscCall(VecGetArrayRead(v, &a));
  for (PetscInt i = 0; i < pop->nlocal; i++) {
    h->local[i] = PetscRealPart(a[i]);
    if (check && first == INT64_MAX && !NdParameterInRange(p, h->local[i])) {
      first = pop->lstart + i;
      bad   = h->local[i];
    }
  }
  PetscCall(VecRestoreArrayRead(v, &a));
  PetscCall(VecDestroy(&v));
  PetscCall(NdAllreduceFirst(comm, &first, MPIU_REAL, 1, &bad));
  if (first != INT64_MAX) PetscCall(NdParameterCheck(comm, p, bad, pop->model, opt));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationCheckBelow(NdPopulation pop, PetscInt lower, PetscInt upper)
{
  MPI_Comm   comm      = PetscObjectComm((PetscObject)pop->net);
  PetscInt64 first     = INT64_MAX;
  PetscReal  values[2] = {0, 0}; /* lower and upper at the first offending neuron */

  PetscFunctionBegin;
  for (PetscInt i = 0; i < pop->nlocal && first == INT64_MAX; i++)
    if (!(NdPopulationParam(pop, lower, i) < NdPopulationParam(pop, upper, i))) {
      first     = pop->lstart + i;
      values[0] = NdPopulationParam(pop, lower, i);
      values[1] = NdPopulationParam(pop, upper, i);
    }
  PetscCall(NdAllreduceFirst(comm, &first, MPIU_REAL, 2, values));
  if (first == INT64_MAX) PetscFunctionReturn(PETSC_SUCCESS);
  SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s population %s: %s (%g) must be below %s (%g)%s", pop->model, pop->name,
          pop->param[lower].name, (double)values[0], pop->param[upper].name, (double)values[1],
          pop->het[lower].local || pop->het[upper].local ? " at every neuron" : "");
}

/* -net_<pop>_current_file file.h5:/group: each neuron's step current (NEST step_current_generator
   per neuron: amplitude_times, amplitude_values), datasets times (n, increasing, in time units) and
   amplitudes (n x size): neuron i's current is amplitudes[k][i] from times[k] until times[k+1]
   (the last held), 0 before times[0]. A time takes effect in the step that starts at it, rounded
   up to the grid. Every rank reads the times and its neurons' columns. */
static PetscErrorCode NdPopulationReadCurrents(NdPopulation pop)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)pop->net);
  NdNetwork   net  = pop->net;
  char        opt[96], file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN + 16], group[PETSC_MAX_PATH_LEN] = "";
  const char *colon = NULL;
  NdInputFile f;
  PetscBool   exists;
  PetscInt    nd;
  PetscInt64  dims[2] = {0, 0}, n, bad = -1;
  PetscReal  *times;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_current_file", pop->name));
  for (const char *c = pop->current_file; *c; c++)
    if (c[0] == ':' && c[1] == '/') colon = c;
  PetscCheck(colon, comm, PETSC_ERR_USER_INPUT, "%s %s: name the group, file.h5:/group (datasets times, amplitudes)",
             opt, pop->current_file);
  PetscCall(PetscStrncpy(file, pop->current_file, PetscMin(sizeof(file), (size_t)(colon - pop->current_file) + 1)));
  PetscCall(PetscStrncpy(group, colon + 1, sizeof(group)));
  PetscCall(NdInputFileOpen(file, &f));
  PetscCheck(f, comm, PETSC_ERR_FILE_OPEN, "%s: cannot open %s as an HDF5 file", opt, file);
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/times", group));
  PetscCall(NdInputFileGetShape(f, path, &exists, &nd, dims));
  PetscCheck(exists && nd == 1 && dims[0] > 0, comm, PETSC_ERR_USER_INPUT,
             "%s: %s has no 1-D dataset %s (the times of the current steps)", opt, file, path);
  n = dims[0];
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/amplitudes", group));
  PetscCall(NdInputFileGetShape(f, path, &exists, &nd, dims));
  PetscCheck(exists && nd == 2 && dims[0] == n && dims[1] == pop->size, comm, PETSC_ERR_USER_INPUT,
             "%s: %s:%s must be a 2-D dataset of %" PetscInt64_FMT " x %" PetscInt_FMT
             " (a row of currents per time, a column per neuron)",
             opt, file, path, n, pop->size);
  pop->ncurrent = (PetscInt)n;
  PetscCall(PetscMalloc1(n, &times));
  PetscCall(PetscMalloc1(n, &pop->current_step));
  PetscCall(PetscMalloc1(PetscMax(n * pop->nlocal, 1), &pop->current_value));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/times", group));
  PetscCall(NdInputFileRead(f, path, NULL, NULL, times));
  if (pop->nlocal) {
    const PetscInt64 off[2] = {0, pop->lstart}, cnt[2] = {n, pop->nlocal};
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/amplitudes", group));
    PetscCall(NdInputFileRead(f, path, off, cnt, pop->current_value));
  }
  PetscCall(NdInputFileClose(&f));
  for (PetscInt64 k = 0; k < n; k++) {
    const PetscReal s = (times[k] - net->t0) / net->dt;
    PetscCheck(!PetscIsInfOrNanReal(times[k]), comm, PETSC_ERR_USER_INPUT,
               "%s: time %" PetscInt64_FMT " is not a number", opt, k);
    PetscCheck(s > -1e-9, comm, PETSC_ERR_USER_INPUT, "%s: time %" PetscInt64_FMT " (%g) is before the start t0 = %g",
               opt, k, (double)times[k], (double)net->t0);
    pop->current_step[k] = (PetscInt64)PetscCeilReal(s - 1e-9);
    PetscCheck(k == 0 || pop->current_step[k] > pop->current_step[k - 1], comm, PETSC_ERR_USER_INPUT,
               "%s: times %" PetscInt64_FMT " and %" PetscInt64_FMT " (%g, %g) are not increasing or fall in one step",
               opt, k - 1, k, (double)times[k - 1], (double)times[k]);
  }
  PetscCall(PetscFree(times));
  for (PetscInt64 k = 0; k < n * pop->nlocal && bad < 0; k++)
    if (PetscIsInfOrNanReal(pop->current_value[k])) bad = k;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &bad, 1, MPIU_INT64, MPI_MAX, comm));
  PetscCheck(bad < 0, comm, PETSC_ERR_USER_INPUT, "%s: the amplitudes hold a value that is not a finite number", opt);
  pop->current_k = -1;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationSetUp(NdPopulation pop)
{
  NdNetwork net = pop->net;
  char      opt[96];

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++) {
    PetscCall(NdHeterogeneityDraw(net, pop, k, pop->param[k].value, &pop->het[k]));
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s_file", pop->name, pop->param[k].name));
    PetscCall(NdHeterogeneityRead(pop, opt, &pop->param[k], PETSC_TRUE, &pop->het[k]));
  }
  for (PetscInt k = 0; k < pop->nvar; k++) {
    PetscCall(NdHeterogeneityDraw(net, pop, 128 + k, pop->var[k].value, &pop->init[k]));
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_init_%s_file", pop->name, pop->var[k].name));
    PetscCall(NdHeterogeneityRead(pop, opt, &pop->var[k], PETSC_FALSE, &pop->init[k]));
  }
  PetscCall(PetscCalloc1((size_t)net->nslots * pop->nchannel, &pop->ring_bcast));
  PetscCall(PetscMalloc1(PetscMax(pop->nlocal, 1), &pop->spiked));
  if (pop->current_file) PetscCall(NdPopulationReadCurrents(pop));
  if (pop->ops.setup) PetscCall((*pop->ops.setup)(pop));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The model's default state, then the values given by -net_<pop>_init_<var> (and their spread) */
PetscErrorCode NdPopulationInitialize(NdPopulation pop, PetscReal *state)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nvar; k++)
    for (PetscInt i = 0; i < pop->nlocal; i++)
      state[k * pop->nlocal + i] = pop->init[k].local ? pop->init[k].local[i] : pop->var[k].value;
  if (pop->ops.initialize) PetscCall((*pop->ops.initialize)(pop, state));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationView(NdPopulation pop, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "population %s: %" PetscInt_FMT " %s neurons (%s)\n", pop->name, pop->size,
                                   pop->model, pop->description));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  for (PetscInt k = 0; k < pop->nparam; k++) {
    const NdParameter *p = &pop->param[k];
    if (pop->het[k].dist == ND_DIST_FIXED)
      PetscCall(PetscViewerASCIIPrintf(viewer, "%-10s = %-10g %s\n", p->name, (double)p->value, p->unit));
    else if (pop->het[k].dist == ND_DIST_FILE)
      PetscCall(PetscViewerASCIIPrintf(viewer, "%-10s per neuron from %s (%s)\n", p->name, pop->het[k].file, p->unit));
    else
      PetscCall(PetscViewerASCIIPrintf(viewer, "%-10s = %-10g %s, %s spread %g (%s)\n", p->name, (double)p->value,
                                       p->unit, NdDistributions[pop->het[k].dist], (double)pop->het[k].spread,
                                       pop->het[k].quantiles ? "quantiles" : "random"));
  }
  if (pop->poisson_rate > 0) {
    PetscReal scale;
    char      unit[ND_NAME_LEN + 2];
    PetscCall(NdNetworkRateUnit(pop->net, &scale, unit, sizeof(unit)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "Poisson input to each neuron: %g events per %s (%g %s), weight %g %s\n",
                                     (double)pop->poisson_rate, pop->time_unit, (double)(scale * pop->poisson_rate),
                                     unit, (double)pop->poisson_weight, pop->weight_unit));
  }
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPopulationDestroy(NdPopulation *pop)
{
  NdPopulation p = *pop;

  PetscFunctionBegin;
  if (!p) PetscFunctionReturn(PETSC_SUCCESS);
  if (p->ops.destroy) PetscCall((*p->ops.destroy)(p));
  for (PetscInt k = 0; k < p->nparam && p->het; k++) {
    PetscCall(PetscFree(p->het[k].local));
    PetscCall(PetscFree(p->het[k].file));
  }
  for (PetscInt k = 0; k < p->nvar && p->init; k++) {
    PetscCall(PetscFree(p->init[k].local));
    PetscCall(PetscFree(p->init[k].file));
  }
  PetscCall(PetscFree(p->het));
  PetscCall(PetscFree(p->init));
  PetscCall(PetscFree(p->param));
  PetscCall(PetscFree(p->var));
  PetscCall(PetscFree(p->ring_bcast));
  PetscCall(PetscFree(p->spiked));
  PetscCall(PetscFree(p->trace));
  PetscCall(PetscFree(p->current_file));
  PetscCall(PetscFree(p->current_step));
  PetscCall(PetscFree(p->current_value));
  PetscCall(PetscFree(p));
  *pop = NULL;
  PetscFunctionReturn(PETSC_SUCCESS);
}
