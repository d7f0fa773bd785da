/* Checkpoint and restart of a network run (docs/checkpoint.md). A checkpoint is taken at the end
   of an exchange window, when every spike emitted so far has been delivered into the ring
   buffers and written to /spikes. It holds, by global index so that a restart may use another
   number of ranks: every state variable of every population, the ring buffers (the synaptic
   input of every neuron for the steps to come, in order from the next step), the all-to-all
   inputs to come, and the recorder's position (rate bin, spikes since the last sample, rows
   written). Random numbers are keyed by the step, so nothing else is needed for a bitwise
   continuation. */
#include <neurodyn/private/networkimpl.h>
#include <neurodyn/checkpoint.h>

/* The ring's values of local neuron i for the steps to come, in order from the current step */
static inline PetscInt NdRingIndex(NdNetwork net, PetscInt o, PetscInt c, PetscInt i)
{
  const PetscInt slot = (PetscInt)((net->step + o) % net->nslots);
  return (slot * net->nchannel + c) * net->nlocal + i;
}

PetscErrorCode NdNetworkCheckpointWrite(NdNetwork net, NdOutput out, PetscInt64 next_checkpoint)
{
  MPI_Comm           comm  = PetscObjectComm((PetscObject)net);
  const PetscInt     width = net->nslots * net->nchannel;
  NdRecorder        *rec   = &net->rec;
  const PetscScalar *x;
  PetscReal         *buf;
  PetscMPIInt        rank;
  char               name[128];

  PetscFunctionBegin;
  PetscCheck(net->nwindow == 0, comm, PETSC_ERR_PLIB,
             "a network checkpoint must be taken at the end of an exchange window");
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdRecorderFlush(net));
  PetscCall(NdCheckpointBegin(out));
  PetscCall(VecGetArrayRead(net->state, &x));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    for (PetscInt v = 0; v < pop->nvar; v++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "%s.%s", pop->name, pop->var[v].name));
      PetscCall(NdCheckpointWriteReal(out, name, pop->size, pop->lstart, pop->nlocal,
                                      x + pop->state_offset + v * pop->nlocal));
    }
  }
  PetscCall(VecRestoreArrayRead(net->state, &x));
  PetscCall(PetscMalloc1(PetscMax((PetscInt64)net->nlocal * width, 1), &buf));
  for (PetscInt i = 0; i < net->nlocal; i++)
    for (PetscInt o = 0; o < net->nslots; o++)
      for (PetscInt c = 0; c < net->nchannel; c++)
        buf[(PetscInt64)i * width + o * net->nchannel + c] = net->ring[NdRingIndex(net, o, c, i)];
  PetscCall(NdCheckpointWriteReal(out, "ring", (PetscInt64)net->N * width, (PetscInt64)net->rstart * width,
                                  (PetscInt64)net->nlocal * width, buf));
  PetscCall(PetscFree(buf));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation   pop = net->pop[p];
    const PetscInt n   = net->nslots * pop->nchannel;
    PetscCall(PetscMalloc1(n, &buf));
    for (PetscInt o = 0; o < net->nslots; o++)
      for (PetscInt c = 0; c < pop->nchannel; c++)
        buf[o * pop->nchannel + c] = pop->ring_bcast[((net->step + o) % net->nslots) * pop->nchannel + c];
    PetscCall(PetscSNPrintf(name, sizeof(name), "bcast.%s", pop->name));
    PetscCall(NdCheckpointWriteReal(out, name, n, 0, rank ? 0 : n, buf));
    PetscCall(PetscFree(buf));
    {
      PetscInt64 counts[2] = {pop->nspikes, pop->nspikes - rec->sample_count[p]};
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, counts, 2, MPIU_INT64, MPI_SUM, comm));
      PetscCall(PetscSNPrintf(name, sizeof(name), "spikes.%s", pop->name));
      PetscCall(NdCheckpointWriteScalarInt64(out, name, counts[0]));
      PetscCall(PetscSNPrintf(name, sizeof(name), "since_sample.%s", pop->name));
      PetscCall(NdCheckpointWriteScalarInt64(out, name, counts[1]));
      PetscCall(PetscSNPrintf(name, sizeof(name), "rate_count.%s", pop->name));
      PetscCall(NdCheckpointWriteScalarInt64(out, name, rec->rate_count[p]));
    }
  }
  PetscCall(NdCheckpointWriteScalarInt64(out, "step", net->step));
  PetscCall(NdCheckpointWriteScalarInt64(out, "neurons", net->N));
  PetscCall(NdCheckpointWriteScalarInt64(out, "slots", net->nslots));
  PetscCall(NdCheckpointWriteScalarInt64(out, "seed", net->seed));
  PetscCall(NdCheckpointWriteScalarReal(out, "t0", net->t0));
  PetscCall(NdCheckpointWriteScalarReal(out, "dt", net->dt));
  PetscCall(NdCheckpointWriteScalarInt64(out, "rate_steps", rec->rate_steps));
  PetscCall(NdCheckpointWriteScalarInt64(out, "sample_steps", rec->sample_steps));
  PetscCall(NdCheckpointWriteScalarInt64(out, "rate_bin", rec->rate_bin));
  PetscCall(NdCheckpointWriteScalarInt64(out, "samples", rec->samples));
  PetscCall(NdCheckpointWriteScalarInt64(out, "next_checkpoint", next_checkpoint));
  PetscCall(NdCheckpointEnd(out, "network"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A scalar of the checkpoint that must equal this run's */
static PetscErrorCode NdCheckSame(NdCheckpointReader r, const char name[], PetscInt64 now, const char what[])
{
  int64_t     then;
  const char *file;

  PetscFunctionBegin;
  PetscCall(NdCheckpointReadScalarInt64(r, name, &then));
  PetscCall(NdCheckpointGetFileName(r, &file));
  PetscCheck(then == now, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-restart %s: the checkpoint has %s %" PetscInt64_FMT ", this run %" PetscInt64_FMT
             " (restart with the same input)",
             file, what, (PetscInt64)then, now);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Read the network's state, ring buffers and counters from the checkpoint of file (the network
   is set up with the same input); returns the step of the next periodic checkpoint. The reader
   stays open for NdNetworkRestartRecords. */
PetscErrorCode NdNetworkRestart(NdNetwork net, TS ts, NdCheckpointReader r, PetscInt64 *next_checkpoint)
{
  MPI_Comm       comm  = PetscObjectComm((PetscObject)net);
  const PetscInt width = net->nslots * net->nchannel;
  NdRecorder    *rec   = &net->rec;
  PetscScalar   *x;
  PetscReal     *buf, t0, dt;
  PetscMPIInt    rank;
  int64_t        step, value;
  char           name[128];
  const char    *file;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdCheckpointGetFileName(r, &file));
  PetscCall(NdCheckSame(r, "neurons", net->N, "neurons"));
  PetscCall(NdCheckSame(r, "slots", net->nslots, "ring-buffer slots (delays)"));
  PetscCall(NdCheckSame(r, "seed", net->seed, "-net_seed"));
  PetscCall(NdCheckSame(r, "rate_steps", rec->rate_steps, "steps per rate bin (-rate_dt)"));
  PetscCall(NdCheckSame(r, "sample_steps", rec->sample_steps, "steps per sample (-sample_dt)"));
  PetscCall(NdCheckpointReadScalarReal(r, "t0", &t0));
  PetscCall(NdCheckpointReadScalarReal(r, "dt", &dt));
  PetscCheck(dt == net->dt && t0 == net->t0, comm, PETSC_ERR_USER_INPUT,
             "-restart %s: the checkpoint's run started at %g with step %g, this one at %g with step %g", file,
             (double)t0, (double)dt, (double)net->t0, (double)net->dt);
  PetscCall(NdCheckpointReadScalarInt64(r, "step", &step));
  net->step = step;
  PetscCall(VecGetArray(net->state, &x));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    for (PetscInt v = 0; v < pop->nvar; v++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "%s.%s", pop->name, pop->var[v].name));
      PetscCall(NdCheckpointReadReal(r, name, pop->lstart, pop->nlocal, x + pop->state_offset + v * pop->nlocal));
    }
  }
  PetscCall(VecRestoreArray(net->state, &x));
  PetscCall(PetscMalloc1(PetscMax((PetscInt64)net->nlocal * width, 1), &buf));
  PetscCall(NdCheckpointReadReal(r, "ring", (PetscInt64)net->rstart * width, (PetscInt64)net->nlocal * width, buf));
  for (PetscInt i = 0; i < net->nlocal; i++)
    for (PetscInt o = 0; o < net->nslots; o++)
      for (PetscInt c = 0; c < net->nchannel; c++)
        net->ring[NdRingIndex(net, o, c, i)] = buf[(PetscInt64)i * width + o * net->nchannel + c];
  PetscCall(PetscFree(buf));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation   pop = net->pop[p];
    const PetscInt n   = net->nslots * pop->nchannel;
    int64_t        total, since;
    PetscCall(PetscMalloc1(n, &buf));
    PetscCall(PetscSNPrintf(name, sizeof(name), "bcast.%s", pop->name));
    PetscCall(NdCheckpointReadReal(r, name, 0, n, buf));
    for (PetscInt o = 0; o < net->nslots; o++)
      for (PetscInt c = 0; c < pop->nchannel; c++)
        pop->ring_bcast[((net->step + o) % net->nslots) * pop->nchannel + c] = buf[o * pop->nchannel + c];
    PetscCall(PetscFree(buf));
    /* the spike counts live on rank 0 from now on: only their sums over the ranks are used */
    PetscCall(PetscSNPrintf(name, sizeof(name), "spikes.%s", pop->name));
    PetscCall(NdCheckpointReadScalarInt64(r, name, &total));
    PetscCall(PetscSNPrintf(name, sizeof(name), "since_sample.%s", pop->name));
    PetscCall(NdCheckpointReadScalarInt64(r, name, &since));
    pop->nspikes         = rank ? 0 : total;
    rec->sample_count[p] = rank ? 0 : total - since;
    PetscCall(PetscSNPrintf(name, sizeof(name), "rate_count.%s", pop->name));
    PetscCall(NdCheckpointReadScalarInt64(r, name, &value));
    rec->rate_count[p] = value;
  }
  PetscCall(NdCheckpointReadScalarInt64(r, "rate_bin", &value));
  rec->rate_bin = value;
  PetscCall(NdCheckpointReadScalarInt64(r, "samples", &value));
  rec->samples = value;
  PetscCall(NdCheckpointReadScalarInt64(r, "next_checkpoint", &value));
  *next_checkpoint  = value;
  rec->flushed_step = net->step;
  PetscCall(TSSetTime(ts, net->t0 + (PetscReal)net->step * net->dt));
  PetscCall(TSSetStepNumber(ts, (PetscInt)net->step));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Spikes [0, n) of a 1-D dataset of the checkpoint's file, in blocks split over the ranks, appended
   to the same dataset of the new output in order */
static PetscErrorCode NdCopySpikes(NdCheckpointReader r, NdOutput out, const char path[], PetscInt64 n, PetscBool ids,
                                   const char units[])
{
  MPI_Comm         comm  = PetscObjectComm((PetscObject)out);
  const PetscInt64 block = 1 << 20;
  PetscMPIInt      size, rank;
  PetscReal       *buf;
  int64_t         *ibuf;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMalloc2(block, &buf, block, &ibuf));
  for (PetscInt64 first = 0; first < n || first == 0; first += block * size) {
    const PetscInt64 lo = PetscMin(n, first + rank * block), hi = PetscMin(n, lo + block);
    PetscCall(NdCheckpointReadRecorded(r, path, lo, hi - lo, 0, 1, buf));
    if (ids) {
      for (PetscInt64 k = 0; k < hi - lo; k++) ibuf[k] = (int64_t)buf[k];
      PetscCall(NdOutputAppendArrayInt64(out, path, hi - lo, ibuf, units));
    } else
      PetscCall(NdOutputAppendArray(out, path, hi - lo, buf, units));
    if (n == 0) break;
  }
  PetscCall(PetscFree2(buf, ibuf));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The new output begins with what the checkpoint's file recorded up to the checkpoint: the
   spikes, the rate bins, the samples of the observables and of the traced neurons */
PetscErrorCode NdNetworkRestartRecords(NdNetwork net, NdCheckpointReader r, NdOutput out)
{
  NdRecorder *rec = &net->rec;
  PetscMPIInt rank;
  PetscInt    k = 0;
  char        path[256];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)net), &rank));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    int64_t      n;
    PetscCall(PetscSNPrintf(path, sizeof(path), "spikes.%s", pop->name));
    PetscCall(NdCheckpointReadScalarInt64(r, path, &n));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/spikes/%s/timestamps", pop->name));
    PetscCall(NdCopySpikes(r, out, path, n, PETSC_FALSE, pop->time_unit));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/spikes/%s/node_ids", pop->name));
    PetscCall(NdCopySpikes(r, out, path, n, PETSC_TRUE, NULL));
  }
  PetscCall(NdCheckpointCopyRecorded(r, "/rates/t", rec->rate_bin, 0, rank == 0, rec->rate_t));
  for (PetscInt p = 0; p < net->npop; p++) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "/rates/%s", net->pop[p]->name));
    PetscCall(NdCheckpointCopyRecorded(r, path, rec->rate_bin, 0, rank == 0, rec->rate[p]));
  }
  PetscCall(NdCheckpointCopyRecorded(r, "/observables/t", rec->samples, 0, rank == 0, rec->obs_t));
  for (PetscInt p = 0; p < net->npop; p++) {
    NdPopulation pop = net->pop[p];
    PetscCall(PetscSNPrintf(path, sizeof(path), "/observables/%s/r", pop->name));
    PetscCall(NdCheckpointCopyRecorded(r, path, rec->samples, 0, rank == 0, rec->obs[k++]));
    for (PetscInt o = 0; o < pop->nobs; o++) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "/observables/%s/%s", pop->name, pop->obs[o]));
      PetscCall(NdCheckpointCopyRecorded(r, path, rec->samples, 0, rank == 0, rec->obs[k++]));
    }
    for (PetscInt v = 0; pop->ntrace && v < pop->nvar; v++) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "/traces/%s/%s", pop->name, pop->var[v].name));
      PetscCall(NdCheckpointCopyRecorded(r, path, rec->samples, pop->trace_first, pop->ntrace_local,
                                         rec->traces[p * ND_MAX_VARS + v]));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
