/* One step of a network, and the exchange of spikes between ranks once per minimum delay.

   A spike emitted in step n (between t_n and t_n + dt) over a synapse of delay d steps arrives in
   step n + d: it is added to ring slot (n + d) mod nslots, which the target's model reads (and
   clears) in that step. Spikes of steps [n0, n0 + D) are exchanged after step n0 + D - 1, D the
   minimum delay, so no spike arrives before it is delivered. Every rank sorts the exchanged
   spikes by (step, neuron) and each target adds its inputs in that order: the sums, and so the
   spikes, are bitwise the same at any number of ranks. */
#include <neurodyn/private/networkimpl.h>
#include <neurodyn/rng.h>

static PetscErrorCode NdNetworkPushSpike(NdNetwork net, PetscInt64 key)
{
  NdRecorder *rec = &net->rec;

  PetscFunctionBegin;
  if (net->nwindow == net->maxwindow) {
    net->maxwindow = PetscMax(1024, 2 * net->maxwindow);
    PetscCall(PetscRealloc(sizeof(PetscInt64) * (size_t)net->maxwindow, &net->window));
  }
  net->window[net->nwindow++] = key;
  if (rec->nkeys == rec->maxkeys) {
    rec->maxkeys = PetscMax(4096, 2 * rec->maxkeys);
    PetscCall(PetscRealloc(sizeof(int64_t) * (size_t)rec->maxkeys, &rec->keys));
  }
  rec->keys[rec->nkeys++] = key;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkStep(NdNetwork net, PetscReal *state)
{
  const PetscInt64 n    = net->step;
  const PetscInt   slot = (PetscInt)(n % net->nslots);
  const PetscReal  t    = net->t0 + (PetscReal)n * net->dt;
  PetscReal        current;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_UPDATE, 0, 0, 0, 0));
  PetscCall(NdStimulusEvaluate(net->stimulus, t, &current));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    NdStepInput  in;
    PetscInt     nspiked = 0;

    in.t        = t;
    in.dt       = net->dt;
    in.fresh    = net->fresh;
    in.simd     = net->simd;
    in.current  = current * pop->stim_gain;
    in.icurrent = NULL;
    if (pop->ncurrent) { /* per-neuron step currents: the value of the last change at or before this step */
      while (pop->current_k + 1 < pop->ncurrent && pop->current_step[pop->current_k + 1] <= n) pop->current_k++;
      if (pop->current_k >= 0) in.icurrent = pop->current_value + (size_t)pop->current_k * pop->nlocal;
    }
    for (PetscInt c = 0; c < pop->nchannel; c++) {
      in.broadcast[c]                           = pop->ring_bcast[slot * pop->nchannel + c];
      pop->ring_bcast[slot * pop->nchannel + c] = 0;
      in.input[c] = net->ring + ((size_t)slot * net->nchannel + c) * net->nlocal + pop->local_offset;
    }
    if (pop->poisson_rate > 0 && pop->poisson_weight != 0) {
      /* one Philox call serves neurons 4m .. 4m + 3 of the population (32-bit uniforms) */
      const PetscReal lambda = pop->poisson_rate * net->dt, p0 = PetscExpReal(-lambda);
      const uint32_t  stream = ND_STREAM(ND_STREAM_POISSON, p);
      PetscReal      *x      = in.input[pop->poisson_channel];
      double          u[4];
      for (PetscInt i = 0; i < pop->nlocal; i++) {
        const PetscInt j = pop->lstart + i;
        if (i == 0 || j % 4 == 0) NdRandomUniform4((uint64_t)net->seed, stream, (uint64_t)(j / 4), (uint64_t)n, u);
        x[i] += pop->poisson_weight * (PetscReal)NdPoissonInversion(lambda, p0, u[j % 4]);
      }
    }
    PetscCall((*pop->ops.step)(pop, &in, state + pop->state_offset, pop->spiked, &nspiked));
    for (PetscInt k = 0; k < nspiked; k++)
      PetscCall(NdNetworkPushSpike(net, n * net->N + pop->gstart + pop->lstart + pop->spiked[k]));
    pop->nspikes += nspiked;
  }
  net->step++;
  PetscCall(PetscLogEventEnd(ND_EVENT_UPDATE, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The population of global neuron index gid */
static inline PetscInt NdNetworkPopulationOf(NdNetwork net, PetscInt gid)
{
  PetscInt p = net->npop - 1;
  while (p > 0 && gid < net->pop[p]->gstart) p--;
  return p;
}

/* Every rank's spikes of the window into net->gathered (*total of them). One MPI_Allgather of
   fixed blocks (a count and up to cap keys) per window: a second collective (MPI_Allgatherv of
   the rest) only when some rank had more than cap spikes; cap follows the largest count seen. */
static PetscErrorCode NdNetworkGatherSpikes(NdNetwork net, PetscInt64 *total)
{
  MPI_Comm         comm = PetscObjectComm((PetscObject)net);
  const PetscInt64 cap = net->exchange_cap, block = cap + 1;
  PetscInt64       first = 0, over = 0, most = 0;

  PetscFunctionBegin;
  if (net->size == 1) { /* nothing to exchange: the window is the gathered set */
    PetscInt64 *swap = net->gathered, maxswap = net->maxgathered;
    net->gathered    = net->window;
    net->maxgathered = net->maxwindow;
    net->window      = swap;
    net->maxwindow   = maxswap;
    *total           = net->nwindow;
    net->nwindow     = 0;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  net->sendblock[0] = net->nwindow;
  PetscCall(PetscArraycpy(net->sendblock + 1, net->window, PetscMin(net->nwindow, cap)));
  PetscCallMPI(MPI_Allgather(net->sendblock, (PetscMPIInt)block, MPIU_INT64, net->recvblocks, (PetscMPIInt)block,
                             MPIU_INT64, comm));
  *total = 0;
  for (PetscMPIInt r = 0; r < net->size; r++) {
    const PetscInt64 count = net->recvblocks[r * block];
    *total += count;
    over += PetscMax(count - cap, 0);
    most = PetscMax(most, count);
  }
  if (*total > net->maxgathered) {
    net->maxgathered = PetscMax(*total, 2 * net->maxgathered);
    PetscCall(PetscFree(net->gathered));
    PetscCall(PetscMalloc1(net->maxgathered, &net->gathered));
  }
  for (PetscMPIInt r = 0; r < net->size; r++) {
    const PetscInt64 n = PetscMin(net->recvblocks[r * block], cap);
    PetscCall(PetscArraycpy(net->gathered + first, net->recvblocks + r * block + 1, n));
    first += n;
  }
  if (over) { /* the spikes beyond cap, in rank order, after the others (they are sorted anyway) */
    PetscInt64 displ = first;
    for (PetscMPIInt r = 0; r < net->size; r++) {
      net->counts[r] = (PetscMPIInt)PetscMax(net->recvblocks[r * block] - cap, 0);
      net->displs[r] = (PetscMPIInt)displ;
      displ += net->counts[r];
    }
    PetscCallMPI(MPI_Allgatherv(net->window + cap, (PetscMPIInt)PetscMax(net->nwindow - cap, 0), MPIU_INT64,
                                net->gathered, net->counts, net->displs, MPIU_INT64, comm));
  }
  if (most > cap || 8 * most < cap) { /* follow the largest window, with room to spare */
    net->exchange_cap = PetscMax(16, 2 * most);
    PetscCall(PetscFree2(net->sendblock, net->recvblocks));
    PetscCall(
        PetscMalloc2(net->exchange_cap + 1, &net->sendblock, (net->exchange_cap + 1) * net->size, &net->recvblocks));
  }
  net->nwindow = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Gather the spikes of the window on every rank, sort them, write them into the input buffers
   (sparse projections) and the all-to-all inputs, and count them for the binned rates. */
PetscErrorCode NdNetworkExchange(NdNetwork net)
{
  PetscInt64  total = 0;
  NdDelivery *dv    = &net->dlv;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_EXCHANGE, 0, 0, 0, 0));
  PetscCall(NdNetworkGatherSpikes(net, &total));
  PetscCall(PetscLogEventEnd(ND_EVENT_EXCHANGE, 0, 0, 0, 0));

  PetscCall(PetscLogEventBegin(ND_EVENT_DELIVER, 0, 0, 0, 0));
  if (net->size > 1) PetscCall(PetscSortInt64((PetscInt)total, net->gathered));
  for (PetscInt64 k = 0; k < total; k++) {
    const PetscInt64 key = net->gathered[k], n = key / net->N;
    const PetscInt   gid  = (PetscInt)(key % net->N);
    const PetscInt   from = NdNetworkPopulationOf(net, gid);
    const PetscInt   base = (PetscInt)(n % net->nslots); /* the slot of the spike's step: delays count from it */

#if defined(__GNUC__)
    /* the next spike's synapses (a row of the tables, which do not stay in cache) are fetched while this
       spike's are added: the delivery waits on memory, not on arithmetic */
    if (k + 1 < total) {
      const PetscInt next = (PetscInt)(net->gathered[k + 1] % net->N);
      const char    *row = (const char *)(dv->syn + dv->ptr[next]), *end = (const char *)(dv->syn + dv->ptr[next + 1]);
      for (; row < end; row += 64) __builtin_prefetch(row);
      if (k + 2 < total) __builtin_prefetch(dv->ptr + net->gathered[k + 2] % net->N);
    }
#endif

    for (PetscInt ip = 0; ip < net->nproj; ip++) {
      const NdProjection *pr = &net->proj[ip];
      if (pr->rule != ND_RULE_ALL_TO_ALL || pr->source != from) continue;
      {
        const NdPopulation T    = net->pop[pr->target];
        const PetscInt     d    = PetscMax(1, (PetscInt)PetscFloorReal(pr->delay / net->dt + 0.5));
        const PetscInt     slot = (PetscInt)((n + d) % net->nslots);
        T->ring_bcast[slot * T->nchannel + pr->channel] += pr->weight;
      }
    }
    { /* the hot loop: no division per synapse (delay < nslots) */
      const NdSynapse *y = dv->syn + dv->ptr[gid], *end = dv->syn + dv->ptr[gid + 1];
      const size_t     nlocal = (size_t)net->nlocal, nchannel = (size_t)net->nchannel;
      const PetscInt   nslots  = net->nslots;
      PetscReal *restrict ring = net->ring;
      for (; y < end; y++) {
        PetscInt slot = base + y->delay;
        if (slot >= nslots) slot -= nslots;
        ring[((size_t)slot * nchannel + y->channel) * nlocal + (size_t)y->target] += y->weight;
      }
    }
  }
  net->ngathered = total;
  PetscCall(PetscLogEventEnd(ND_EVENT_DELIVER, 0, 0, 0, 0));
  if (net->rec.rate_count) PetscCall(NdRecorderCountRates(net));
  PetscFunctionReturn(PETSC_SUCCESS);
}
