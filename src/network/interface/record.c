/* Recording a network run: population rates binned at -rate_dt (/rates), mean-field observables
   and the state of selected neurons (/traces) sampled every -sample_dt (/observables), and at the end every spike in
   the SONATA layout
   (/spikes/<population>/timestamps and node_ids, sorted by time), written in parallel. */
#include <neurodyn/private/networkimpl.h>

static PetscErrorCode NdRecorderFlushSpikes(NdNetwork);

static PetscErrorCode NdStepsOf(NdNetwork net, const char opt[], PetscReal interval, PetscInt *steps)
{
  const PetscReal q = interval / net->dt;

  PetscFunctionBegin;
  *steps = (PetscInt)PetscFloorReal(q + 0.5);
  PetscCheck(*steps >= 1 && PetscAbsReal(q - (PetscReal)*steps) <= 1e-6 * q, PetscObjectComm((PetscObject)net),
             PETSC_ERR_USER_INPUT, "%s = %g must be a positive multiple of the time step -ts_dt = %g", opt,
             (double)interval, (double)net->dt);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdRecorderCreate(NdNetwork net, NdOutput out, PetscReal sample_dt, PetscReal rate_dt)
{
  NdRecorder *rec = &net->rec;
  PetscMPIInt rank;
  PetscInt    k = 0, nobs = 0;
  char        path[256], unit[64];
  const char *tu = net->pop[0]->time_unit;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)net), &rank));
  PetscCall(NdStepsOf(net, "-rate_dt", rate_dt, &rec->rate_steps));
  rec->out          = out;
  rec->flushed_step = net->step;
  rec->held_global  = 0;
  PetscCall(NdStepsOf(net, "-sample_dt", sample_dt, &rec->sample_steps));
  PetscCall(PetscCalloc1(net->npop, &rec->rate_count));
  PetscCall(PetscCalloc1(net->npop, &rec->sample_count));
  PetscCall(NdNetworkRateUnit(net, &rec->rate_scale, unit, sizeof(unit)));
  PetscCall(NdOutputCreateDataset(out, "/rates/t", rank == 0, 1, PETSC_TRUE, tu, &rec->rate_t));
  PetscCall(PetscMalloc1(net->npop, &rec->rate));
  for (PetscInt p = 0; p < net->npop; p++) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "/rates/%s", net->pop[p]->name));
    PetscCall(NdOutputCreateDataset(out, path, rank == 0, 1, PETSC_TRUE, unit, &rec->rate[p]));
    nobs += 1 + net->pop[p]->nobs;
  }
  PetscCall(NdOutputCreateDataset(out, "/observables/t", rank == 0, 1, PETSC_TRUE, tu, &rec->obs_t));
  PetscCall(PetscMalloc1(nobs, &rec->obs));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    PetscCall(PetscSNPrintf(path, sizeof(path), "/observables/%s/r", pop->name));
    PetscCall(NdOutputCreateDataset(out, path, rank == 0, 1, PETSC_TRUE, unit, &rec->obs[k++]));
    for (PetscInt o = 0; o < pop->nobs; o++) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "/observables/%s/%s", pop->name, pop->obs[o]));
      PetscCall(NdOutputCreateDataset(out, path, rank == 0, 1, PETSC_TRUE, pop->obs_unit[o], &rec->obs[k++]));
    }
  }
  PetscCall(PetscCalloc1(net->npop * ND_MAX_VARS, &rec->traces));
  PetscCall(PetscMalloc1(PetscMax(net->nlocal, 1), &rec->trace_row));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    int64_t     *ids;
    PetscInt     first = pop->ntrace;
    if (!pop->ntrace) continue;
    for (PetscInt k = 0; k < pop->ntrace; k++) /* the local ones are contiguous: the list is sorted */
      if (pop->trace[k] >= pop->lstart && pop->trace[k] < pop->lstart + pop->nlocal) {
        first = PetscMin(first, k);
        pop->ntrace_local++;
      }
    pop->trace_first = first;
    for (PetscInt v = 0; v < pop->nvar; v++) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "/traces/%s/%s", pop->name, pop->var[v].name));
      PetscCall(NdOutputCreateDataset(out, path, pop->ntrace_local, pop->ntrace, PETSC_FALSE, pop->var[v].unit,
                                      &rec->traces[p * ND_MAX_VARS + v]));
    }
    PetscCall(PetscMalloc1(pop->ntrace, &ids));
    for (PetscInt k = 0; k < pop->ntrace; k++) ids[k] = pop->trace[k];
    PetscCall(PetscSNPrintf(path, sizeof(path), "/traces/%s/node_ids", pop->name));
    PetscCall(NdOutputWriteArrayInt64(out, path, pop->ntrace, 0, 0, rank == 0 ? pop->ntrace : 0, ids, NULL));
    PetscCall(PetscFree(ids));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Append the rows of every rate bin that ends at or before step 'upto' */
static PetscErrorCode NdRecorderFlushBins(NdNetwork net, PetscInt64 upto)
{
  NdRecorder *rec = &net->rec;

  PetscFunctionBegin;
  while ((rec->rate_bin + 1) * rec->rate_steps <= upto) {
    const PetscReal t     = net->t0 + (PetscReal)(rec->rate_bin * rec->rate_steps) * net->dt;
    const PetscReal width = (PetscReal)rec->rate_steps * net->dt;
    PetscCall(NdDatasetAppendRow(rec->rate_t, &t));
    for (PetscInt p = 0; p < net->npop; p++) {
      const PetscReal r = rec->rate_scale * (PetscReal)rec->rate_count[p] / ((PetscReal)net->pop[p]->size * width);
      PetscCall(NdDatasetAppendRow(rec->rate[p], &r));
      rec->rate_count[p] = 0;
    }
    rec->rate_bin++;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After an exchange: every rank knows every spike up to the current step; bin them */
PetscErrorCode NdRecorderCountRates(NdNetwork net)
{
  NdRecorder *rec = &net->rec;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_RECORD, 0, 0, 0, 0));
  for (PetscInt64 k = 0; k < net->ngathered; k++) {
    const PetscInt64 key = net->gathered[k], n = key / net->N;
    const PetscInt   gid = (PetscInt)(key % net->N);
    PetscInt         p   = net->npop - 1;
    if (n >= (rec->rate_bin + 1) * rec->rate_steps) PetscCall(NdRecorderFlushBins(net, n));
    while (p > 0 && gid < net->pop[p]->gstart) p--;
    rec->rate_count[p]++;
  }
  PetscCall(NdRecorderFlushBins(net, net->step));
  PetscCall(PetscLogEventEnd(ND_EVENT_RECORD, 0, 0, 0, 0));
  rec->held_global += net->ngathered; /* the same count on every rank: a collective decision */
  if (rec->held_global > rec->spike_buffer * net->size) PetscCall(NdRecorderFlushSpikes(net));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every -sample_dt: each population's observables (and its rate since the last sample) */
PetscErrorCode NdRecorderSample(NdNetwork net, const PetscReal *state)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)net);
  NdRecorder *rec  = &net->rec;
  PetscReal  *sums, obs[ND_MAX_OBS], t = net->t0 + (PetscReal)net->step * net->dt;
  PetscInt    nsum = net->npop * (ND_MAX_OBS + 1), k = 0;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_RECORD, 0, 0, 0, 0));
  PetscCall(PetscCalloc1(nsum, &sums));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop     = net->pop[p];
    PetscReal   *s       = sums + p * (ND_MAX_OBS + 1);
    s[0]                 = (PetscReal)(pop->nspikes - rec->sample_count[p]);
    rec->sample_count[p] = pop->nspikes;
    if (pop->ops.observe && pop->nlocal) PetscCall((*pop->ops.observe)(pop, state + pop->state_offset, s + 1));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sums, nsum, MPIU_REAL, MPIU_SUM, comm));
  PetscCall(NdDatasetAppendRow(rec->obs_t, &t));
  rec->samples++;
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    PetscReal   *s   = sums + p * (ND_MAX_OBS + 1);
    PetscReal    r   = s[0] / ((PetscReal)pop->size * (PetscReal)rec->sample_steps * net->dt);
    PetscCall(NdDatasetAppendRow(rec->obs[k++], &r));
    if (pop->ops.finishobserve) PetscCall((*pop->ops.finishobserve)(pop, s + 1, obs));
    for (PetscInt o = 0; o < pop->nobs; o++) PetscCall(NdDatasetAppendRow(rec->obs[k++], &obs[o]));
  }
  PetscCall(PetscFree(sums));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    for (PetscInt v = 0; pop->ntrace && v < pop->nvar; v++) {
      const PetscReal *x = state + pop->state_offset + v * pop->nlocal;
      for (PetscInt k = 0; k < pop->ntrace_local; k++)
        rec->trace_row[k] = x[pop->trace[pop->trace_first + k] - pop->lstart];
      PetscCall(NdDatasetAppendRow(rec->traces[p * ND_MAX_VARS + v], rec->trace_row));
    }
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_RECORD, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Redistribute the spike keys (step * N + id, each rank's sorted) so that rank r holds the r-th
   block of the global time order: buckets of steps are assigned to ranks by a global histogram. */
static PetscErrorCode NdSpikesSortGlobally(NdNetwork net, int64_t **sorted, PetscInt64 *nsorted)
{
  MPI_Comm         comm = PetscObjectComm((PetscObject)net);
  NdRecorder      *rec  = &net->rec;
  const PetscInt   B    = 4096;
  const PetscInt64 S0 = rec->flushed_step, S = PetscMax(net->step - S0, 1); /* the steps held */
  PetscInt64      *hist, total = 0, acc = 0;
  PetscMPIInt      size, *owner, *scount, *sdispl, *rcount, *rdispl;
  PetscInt64       nrecv = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscCalloc1(B, &hist));
  PetscCall(PetscMalloc1(B, &owner));
  for (PetscInt64 k = 0; k < rec->nkeys; k++) hist[(rec->keys[k] / net->N - S0) * B / S]++;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, hist, B, MPIU_INT64, MPI_SUM, comm));
  for (PetscInt b = 0; b < B; b++) total += hist[b];
  for (PetscInt b = 0; b < B; b++) {
    owner[b] = total ? (PetscMPIInt)PetscMin(size - 1, (acc * size) / PetscMax(total, 1)) : 0;
    acc += hist[b];
  }
  PetscCall(PetscCalloc4(size, &scount, size, &sdispl, size, &rcount, size, &rdispl));
  for (PetscInt64 k = 0; k < rec->nkeys; k++) scount[owner[(rec->keys[k] / net->N - S0) * B / S]]++;
  for (PetscMPIInt r = 1; r < size; r++) sdispl[r] = sdispl[r - 1] + scount[r - 1];
  PetscCallMPI(MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, comm));
  for (PetscMPIInt r = 0; r < size; r++) {
    rdispl[r] = (PetscMPIInt)nrecv;
    nrecv += rcount[r];
  }
  PetscCall(PetscMalloc1(PetscMax(nrecv, 1), sorted));
  /* keys are in time order, and owners increase with time: each destination's keys are contiguous */
  PetscCallMPI(MPI_Alltoallv(rec->keys, scount, sdispl, MPI_INT64_T, *sorted, rcount, rdispl, MPI_INT64_T, comm));
  PetscCall(PetscSortInt64((PetscInt)nrecv, (PetscInt64 *)*sorted));
  *nsorted = nrecv;
  PetscCall(PetscFree4(scount, sdispl, rcount, rdispl));
  PetscCall(PetscFree(hist));
  PetscCall(PetscFree(owner));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Append the spikes held (every one up to the current step has been exchanged) to /spikes in
   global time order and empty the buffer: at the end of the run, and during it whenever the
   ranks hold more than -net_spike_buffer spikes each on average */
static PetscErrorCode NdRecorderFlushSpikes(NdNetwork net)
{
  NdRecorder *rec = &net->rec;
  int64_t    *keys, *ids;
  PetscReal  *times;
  PetscInt64  n = 0;
  char        path[256];

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCall(NdSpikesSortGlobally(net, &keys, &n));
  PetscCall(PetscMalloc2(PetscMax(n, 1), &ids, PetscMax(n, 1), &times));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    PetscInt64   m   = 0;
    for (PetscInt64 k = 0; k < n; k++) {
      const PetscInt gid = (PetscInt)(keys[k] % net->N);
      if (gid < pop->gstart || gid >= pop->gstart + pop->size) continue;
      ids[m]   = gid - pop->gstart;
      times[m] = net->t0 + (PetscReal)(keys[k] / net->N + 1) * net->dt; /* the end of the step it fired in */
      m++;
    }
    PetscCall(PetscSNPrintf(path, sizeof(path), "/spikes/%s/timestamps", pop->name));
    PetscCall(NdOutputAppendArray(rec->out, path, m, times, pop->time_unit));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/spikes/%s/node_ids", pop->name));
    PetscCall(NdOutputAppendArrayInt64(rec->out, path, m, ids, NULL));
  }
  PetscCall(PetscFree2(ids, times));
  PetscCall(PetscFree(keys));
  rec->nkeys        = 0;
  rec->held_global  = 0;
  rec->flushed_step = net->step;
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* fn applied to every dataset of the recorder (rates, observables, traces) */
static PetscErrorCode NdRecorderForEachDataset(NdNetwork net, PetscErrorCode (*fn)(NdDataset *))
{
  NdRecorder *rec  = &net->rec;
  PetscInt    nobs = 0;

  PetscFunctionBegin;
  PetscCall((*fn)(&rec->rate_t));
  PetscCall((*fn)(&rec->obs_t));
  for (PetscInt p = 0; p < net->npop; p++) {
    if (rec->rate) PetscCall((*fn)(&rec->rate[p]));
    for (PetscInt v = 0; rec->traces && v < ND_MAX_VARS; v++) PetscCall((*fn)(&rec->traces[p * ND_MAX_VARS + v]));
    nobs += 1 + net->pop[p]->nobs;
  }
  for (PetscInt k = 0; rec->obs && k < nobs; k++) PetscCall((*fn)(&rec->obs[k]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdDatasetFlushIfAny(NdDataset *ds)
{
  PetscFunctionBegin;
  if (*ds) PetscCall(NdDatasetFlush(*ds));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Everything recorded so far into the file: the spikes held and the buffered rows (collective) */
PetscErrorCode NdRecorderFlush(NdNetwork net)
{
  PetscFunctionBegin;
  PetscCall(NdRecorderFlushSpikes(net));
  PetscCall(NdRecorderForEachDataset(net, NdDatasetFlushIfAny));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -net_write_synapses: every synapse of the delivery tables as /network/synapses/source, target
   (global neuron ids), weight (as stored: single precision), delay (time units) and channel,
   each rank's synapses in a block, ordered by source */
static PetscErrorCode NdRecorderWriteSynapses(NdNetwork net, NdOutput out)
{
  const NdDelivery *dv = &net->dlv;
  const PetscInt64  n  = net->nsyn_local;
  int64_t          *src, *tgt, *chan;
  PetscReal        *w, *d;

  PetscFunctionBegin;
  PetscCall(PetscMalloc5(PetscMax(n, 1), &src, PetscMax(n, 1), &tgt, PetscMax(n, 1), &chan, PetscMax(n, 1), &w,
                         PetscMax(n, 1), &d));
  for (PetscInt pre = 0; pre < net->N; pre++)
    for (PetscInt64 k = dv->ptr[pre]; k < dv->ptr[pre + 1]; k++) {
      src[k]  = pre;
      tgt[k]  = net->rstart + dv->syn[k].target;
      chan[k] = dv->syn[k].channel;
      w[k]    = (PetscReal)dv->syn[k].weight;
      d[k]    = (PetscReal)dv->syn[k].delay * net->dt;
    }
  PetscCall(NdOutputAppendArrayInt64(out, "/network/synapses/source", n, src, NULL));
  PetscCall(NdOutputAppendArrayInt64(out, "/network/synapses/target", n, tgt, NULL));
  PetscCall(NdOutputAppendArray(out, "/network/synapses/weight", n, w, NULL));
  PetscCall(NdOutputAppendArray(out, "/network/synapses/delay", n, d, "T"));
  PetscCall(NdOutputAppendArrayInt64(out, "/network/synapses/channel", n, chan, NULL));
  PetscCall(PetscFree5(src, tgt, chan, w, d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Deliver and bin the last window, write the spikes and a description of the network */
PetscErrorCode NdRecorderFinish(NdNetwork net, NdOutput out)
{
  char path[256];

  PetscFunctionBegin;
  if (net->step % net->min_delay) PetscCall(NdNetworkExchange(net));
  PetscCall(NdDatasetFlush(net->rec.rate_t));
  PetscCall(NdRecorderFlushSpikes(net));
  /* SONATA puts the order on each population's group; older readers look on /spikes */
  PetscCall(NdOutputWriteAttributeString(out, "/spikes", "sorting", "by_time"));
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    PetscCall(PetscSNPrintf(path, sizeof(path), "/spikes/%s", pop->name));
    PetscCall(NdOutputWriteAttributeString(out, path, "sorting", "by_time"));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/network/%s", pop->name));
    PetscCall(NdOutputWriteAttributeString(out, path, "model", pop->model));
    PetscCall(NdOutputWriteAttributeInt(out, path, "size", pop->size));
    PetscCall(NdOutputWriteAttributeString(out, path, "time_unit", pop->time_unit));
    for (PetscInt k = 0; k < pop->nparam; k++) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "/network/%s/parameters/%s", pop->name, pop->param[k].name));
      PetscCall(NdOutputWriteScalar(out, path, pop->param[k].value, pop->param[k].unit));
      if (pop->het[k].dist != ND_DIST_FIXED) {
        char attr[64], group[128];
        PetscCall(PetscSNPrintf(group, sizeof(group), "/network/%s", pop->name));
        PetscCall(PetscSNPrintf(attr, sizeof(attr), "%s_distribution", pop->param[k].name));
        PetscCall(NdOutputWriteAttributeString(out, group, attr, NdDistributions[pop->het[k].dist]));
        PetscCall(PetscSNPrintf(attr, sizeof(attr), "%s_%s", pop->param[k].name,
                                pop->het[k].dist == ND_DIST_FILE ? "file" : "spread"));
        if (pop->het[k].dist == ND_DIST_FILE)
          PetscCall(NdOutputWriteAttributeString(out, group, attr, pop->het[k].file));
        else
          PetscCall(NdOutputWriteAttributeReal(out, group, attr, pop->het[k].spread));
      }
    }
  }
  PetscCall(NdOutputWriteAttributeReal(out, "/network", "dt", net->dt));
  PetscCall(NdOutputWriteAttributeInt(out, "/network", "seed", (PetscInt)net->seed));
  if (net->write_synapses) PetscCall(NdRecorderWriteSynapses(net, out));
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdRecorderDestroy(NdNetwork net)
{
  NdRecorder *rec = &net->rec;

  PetscFunctionBegin;
  PetscCall(NdRecorderForEachDataset(net, NdDatasetDestroy));
  PetscCall(PetscFree(rec->traces));
  PetscCall(PetscFree(rec->trace_row));
  PetscCall(PetscFree(rec->rate));
  PetscCall(PetscFree(rec->obs));
  PetscCall(PetscFree(rec->rate_count));
  PetscCall(PetscFree(rec->sample_count));
  PetscCall(PetscFree(rec->keys));
  rec->nkeys = rec->maxkeys = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}
