/* spike_generator: neurons that fire at given times, as NEST's spike_generator and Brian2's
   SpikeGeneratorGroup. The times come inline (-net_<pop>_spike_times, with -net_<pop>_spike_ids
   naming the neuron of each, or every neuron when no ids are given) or from a SONATA spikes group
   (-net_<pop>_spike_file file.h5:/spikes/<name>, datasets timestamps and node_ids; neurodyn's own
   /spikes output is one). A time t fires in the step that ends at t (rounded up to the grid, as
   a neuron's spike is stamped with the end of its step), so a recorded run replays exactly. The
   population drives projections like any other; it takes no input. Every rank reads the times
   and keeps those of its neurons. */
#include <string.h>
#include <neurodyn/private/networkimpl.h>

#define SG_MAX_INLINE 65536 /* spike times given on the command line or in an input file */

typedef struct {
  PetscReal  *times; /* inline */
  PetscInt   *ids, ntimes, nids;
  char        file[PETSC_MAX_PATH_LEN];
  char        source[PETSC_MAX_PATH_LEN]; /* for messages: the file, or the option of the inline times */
  PetscInt    each;                       /* spikes per given time: 1, or the size (no ids: every neuron) */
  PetscInt64  n, next;                    /* this rank's scheduled spikes and the next one to emit */
  PetscInt64 *key;                        /* step * nlocal + local neuron of each, sorted */
} SpikeGenData;

static PetscErrorCode NdNeuronSetFromOptions_SpikeGenerator(NdPopulation pop, NdOptionItems PetscOptionsObject)
{
  SpikeGenData *d    = (SpikeGenData *)pop->data;
  MPI_Comm      comm = PetscOptionsObject->comm;
  char          opt[96], fopt[96];
  PetscBool     tset, iset, fset;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(SG_MAX_INLINE + 1, &d->times, SG_MAX_INLINE + 1, &d->ids));
  d->ntimes = d->nids = SG_MAX_INLINE + 1;
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_spike_times", pop->name));
  PetscCall(PetscOptionsRealArray(opt, "Spike times (time units, sorted)", "NdNetwork", d->times, &d->ntimes, &tset));
  if (tset) PetscCall(NdOptionsCheckListRoom(comm, opt, d->ntimes, SG_MAX_INLINE));
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_spike_ids", pop->name));
  PetscCall(NdOptionsIntArray(PetscOptionsObject, opt,
                              "The neuron of each spike time (default: every neuron fires at every time)", 0,
                              PETSC_MAX_INT, d->ids, &d->nids, &iset));
  if (iset) PetscCall(NdOptionsCheckListRoom(comm, opt, d->nids, SG_MAX_INLINE));
  PetscCall(PetscSNPrintf(fopt, sizeof(fopt), "-net_%s_spike_file", pop->name));
  PetscCall(PetscOptionsString(fopt, "SONATA spikes group file.h5:/spikes/<name> (timestamps, node_ids)", "NdNetwork",
                               d->file, d->file, sizeof(d->file), &fset));
  PetscCheck(tset || fset, comm, PETSC_ERR_USER_INPUT,
             "spike_generator population %s has no spikes: give -net_%s_spike_times or %s", pop->name, pop->name, fopt);
  PetscCheck(!(tset && fset), comm, PETSC_ERR_USER_INPUT,
             "spike_generator population %s: -net_%s_spike_times and %s both given: give the spikes one way", pop->name,
             pop->name, fopt);
  PetscCheck(!iset || tset, comm, PETSC_ERR_USER_INPUT, "%s: ids without -net_%s_spike_times", opt, pop->name);
  PetscCheck(!iset || d->nids == d->ntimes, comm, PETSC_ERR_USER_INPUT,
             "%s has %" PetscInt_FMT " ids for %" PetscInt_FMT " spike times: give one id per time", opt, d->nids,
             d->ntimes);
  if (!tset) d->ntimes = 0;
  if (!iset) d->nids = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The spikes (times, neuron ids: all of them, on every rank) from the options or the file */
static PetscErrorCode SpikeGenRead(NdPopulation pop, PetscInt64 *n, PetscReal **t, PetscReal **id)
{
  SpikeGenData *d    = (SpikeGenData *)pop->data;
  MPI_Comm      comm = PetscObjectComm((PetscObject)pop->net);

  PetscFunctionBegin;
  if (d->file[0]) {
    char     spec[PETSC_MAX_PATH_LEN + 64], group[PETSC_MAX_PATH_LEN];
    PetscInt rows, cols, rows2;
    char    *colon = strrchr(d->file, ':');
    if (colon && colon != d->file)
      PetscCall(PetscStrncpy(group, d->file, sizeof(group)));
    else
      PetscCall(PetscSNPrintf(group, sizeof(group), "%s:/spikes/%s", d->file, pop->name));
    PetscCall(PetscSNPrintf(spec, sizeof(spec), "%s/timestamps", group));
    PetscCall(NdReadDenseArray(comm, spec, &rows, &cols, t));
    PetscCheck(cols == 1, comm, PETSC_ERR_USER_INPUT, "%s: timestamps must be a 1-D dataset", spec);
    PetscCall(PetscSNPrintf(spec, sizeof(spec), "%s/node_ids", group));
    PetscCall(NdReadDenseArray(comm, spec, &rows2, &cols, id));
    PetscCheck(cols == 1 && rows2 == rows, comm, PETSC_ERR_USER_INPUT,
               "%s: node_ids must be a 1-D dataset as long as timestamps (%" PetscInt_FMT ")", spec, rows);
    *n      = rows;
    d->each = 1;
    PetscCall(PetscStrncpy(d->source, group, sizeof(d->source)));
  } else {
    const PetscInt each = d->nids ? 1 : pop->size; /* without ids every neuron fires at every time */
    *n                  = (PetscInt64)d->ntimes * each;
    d->each             = each;
    PetscCall(PetscSNPrintf(d->source, sizeof(d->source), "-net_%s_spike_times", pop->name));
    PetscCall(PetscMalloc2(PetscMax(*n, 1), t, PetscMax(*n, 1), id));
    for (PetscInt k = 0; k < d->ntimes; k++)
      for (PetscInt j = 0; j < each; j++) {
        (*t)[k * each + j]  = d->times[k];
        (*id)[k * each + j] = d->nids ? (PetscReal)d->ids[k] : (PetscReal)j;
      }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every rank checks all spikes (the same on every rank, so an error is collective): times after
   the start, finite and sorted, ids of the population, no neuron twice in one step; then keeps
   its neurons' */
static PetscErrorCode NdNeuronSetUp_SpikeGenerator(NdPopulation pop)
{
  SpikeGenData   *d    = (SpikeGenData *)pop->data;
  MPI_Comm        comm = PetscObjectComm((PetscObject)pop->net);
  const PetscReal t0 = pop->net->t0, dt = pop->net->dt;
  PetscReal      *t = NULL, *id = NULL;
  PetscInt64      n, m          = 0;
  const char     *what = d->source;
  PetscInt64     *last; /* per neuron: the last step it fires in */

  PetscFunctionBegin;
  PetscCall(SpikeGenRead(pop, &n, &t, &id));
  PetscCall(PetscMalloc1(PetscMax(n, 1), &d->key));
  PetscCall(PetscMalloc1(pop->size, &last));
  for (PetscInt i = 0; i < pop->size; i++) last[i] = -1;
  for (PetscInt64 k = 0; k < n; k++) {
    const PetscReal s = (t[k] - t0) / dt;
    PetscInt64      step;
    PetscInt        j;
    PetscCheck(!PetscIsInfOrNanReal(t[k]), comm, PETSC_ERR_USER_INPUT,
               "spike_generator %s: spike %" PetscInt64_FMT " of %s has time %g, not a number", pop->name, k / d->each,
               what, (double)t[k]);
    PetscCheck(s > 1e-9, comm, PETSC_ERR_USER_INPUT,
               "spike_generator %s: spike %" PetscInt64_FMT " of %s at t = %g is not after the start t0 = %g (a spike "
               "fires in the step that ends at its time)",
               pop->name, k / d->each, what, (double)t[k], (double)t0);
    PetscCheck(k == 0 || t[k] >= t[k - 1], comm, PETSC_ERR_USER_INPUT,
               "spike_generator %s: the spike times of %s are not sorted (spike %" PetscInt64_FMT
               " at t = %g after %g)",
               pop->name, what, k / d->each, (double)t[k], (double)t[k - 1]);
    PetscCheck(id[k] >= 0 && id[k] < pop->size && id[k] == PetscFloorReal(id[k]), comm, PETSC_ERR_USER_INPUT,
               "spike_generator %s: spike %" PetscInt64_FMT " of %s names neuron %g, not one of 0 to %" PetscInt_FMT,
               pop->name, k / d->each, what, (double)id[k], pop->size - 1);
    step = (PetscInt64)PetscCeilReal(s - 1e-9) - 1;
    j    = (PetscInt)id[k];
    PetscCheck(step > last[j], comm, PETSC_ERR_USER_INPUT,
               "spike_generator %s: neuron %" PetscInt_FMT
               " has two spikes in the step ending at t = %g (%s): a neuron "
               "fires at most once per step",
               pop->name, j, (double)(t0 + (PetscReal)(step + 1) * dt), what);
    last[j] = step;
    if (j >= pop->lstart && j < pop->lstart + pop->nlocal) d->key[m++] = step * pop->nlocal + (j - pop->lstart);
  }
  d->n = m;
  PetscCall(PetscSortInt64((PetscInt)m, d->key)); /* by step, then neuron: the order models emit spikes in */
  PetscCall(PetscFree(last));
  if (d->file[0]) {
    PetscCall(PetscFree(t));
    PetscCall(PetscFree(id));
  } else
    PetscCall(PetscFree2(t, id));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronStep_SpikeGenerator(NdPopulation pop, const NdStepInput *in, PetscReal *x,
                                                  PetscInt *spiked, PetscInt *nspiked)
{
  SpikeGenData    *d  = (SpikeGenData *)pop->data;
  const PetscInt64 n  = pop->net->step;
  PetscInt         ns = 0;

  PetscFunctionBegin;
  (void)in;
  if (!pop->nlocal) PetscFunctionReturn(PETSC_SUCCESS);
  while (d->next < d->n && d->key[d->next] / pop->nlocal < n) d->next++; /* a restart begins past them */
  for (; d->next < d->n && d->key[d->next] / pop->nlocal == n; d->next++) {
    const PetscInt i = (PetscInt)(d->key[d->next] % pop->nlocal);
    spiked[ns++]     = i;
    x[i] += 1;
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_SpikeGenerator(NdPopulation pop)
{
  SpikeGenData *d = (SpikeGenData *)pop->data;

  PetscFunctionBegin;
  if (d) {
    PetscCall(PetscFree2(d->times, d->ids));
    PetscCall(PetscFree(d->key));
  }
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_SpikeGenerator(NdPopulation pop)
{
  SpikeGenData *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  pop->data = d;
  PetscCall(NdPopulationSetDescription(
      pop, "neurons firing at given times (NEST spike_generator, Brian2 SpikeGeneratorGroup)", "ms"));
  PetscCall(NdPopulationSetEquations(
      pop, "  neuron i spikes at the given times t: in the step that ends at t (rounded up to the grid)\n"
           "  -net_<population>_spike_times t1,t2,... [-net_<population>_spike_ids i1,i2,...] (no ids: every neuron)\n"
           "  or -net_<population>_spike_file file.h5:/spikes/<name> (SONATA: timestamps, node_ids; sorted by time)\n"
           "  step: emits the spikes of the step; it takes no input (no projections onto it, no Poisson input)\n"));
  PetscCall(NdPopulationAddVariable(pop, "spikes", "1", 0, "spikes emitted so far"));
  pop->nchannel           = 0;
  pop->ops.setfromoptions = NdNeuronSetFromOptions_SpikeGenerator;
  pop->ops.setup          = NdNeuronSetUp_SpikeGenerator;
  pop->ops.step           = NdNeuronStep_SpikeGenerator;
  pop->ops.destroy        = NdNeuronDestroy_SpikeGenerator;
  PetscFunctionReturn(PETSC_SUCCESS);
}
