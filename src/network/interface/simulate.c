/* Running a network: TSSolve with the recorder, a progress line and checkpoints in the TS post-step. */
#include <sys/resource.h>
#include <neurodyn/private/networkimpl.h>
#include <neurodyn/checkpoint.h>

typedef struct {
  NdNetwork                   net;
  NdOutput                    out;
  const NdNetworkRunSettings *settings;
  PetscInt64                  nsteps, next_report;
  PetscInt64                  checkpoint_steps, next_checkpoint; /* in steps; 0: on signals only */
  PetscInt64                  signal_steps;                      /* steps between the ranks' checks for a signal */
  int                         signum;
  PetscLogDouble              wall0;
} NdNetworkRun;

/* The unit of rates on screen: Hz for ms models, else per time unit (in words when dimensionless) */
static PetscErrorCode NdScreenRateUnit(NdNetwork net, PetscReal *scale, char unit[], size_t len)
{
  PetscBool none;

  PetscFunctionBegin;
  PetscCall(NdNetworkRateUnit(net, scale, unit, len));
  PetscCall(PetscStrcmp(unit, "1", &none));
  if (none) PetscCall(PetscStrncpy(unit, "per time unit", len));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNetworkPostStep(TS ts)
{
  NdNetworkRun *run;
  NdNetwork     net;

  PetscFunctionBegin;
  PetscCall(TSGetApplicationContext(ts, &run));
  net = run->net;
  if (net->step % net->rec.sample_steps == 0) {
    const PetscScalar *x;
    PetscCall(VecGetArrayRead(net->state, &x));
    PetscCall(NdRecorderSample(net, x));
    PetscCall(VecRestoreArrayRead(net->state, &x));
  }
  if (run->settings->progress && net->step >= run->next_report) {
    PetscLogDouble wall;
    PetscReal      scale;
    char           unit[ND_NAME_LEN + 2];
    PetscInt64     spikes = 0;
    PetscInt64     local  = 0;
    PetscReal      t      = net->t0 + (PetscReal)net->step * net->dt;
    for (PetscInt p = 0; p < net->npop; p++) local += net->pop[p]->nspikes;
    PetscCall(MPIU_Allreduce(&local, &spikes, 1, MPIU_INT64, MPI_SUM, PetscObjectComm((PetscObject)net)));
    PetscCall(PetscTime(&wall));
    PetscCall(NdScreenRateUnit(net, &scale, unit, sizeof(unit)));
    PetscCall(PetscPrintf(PetscObjectComm((PetscObject)net), "  t = %-10g %s %3.0f%%  %.2f s wall  mean rate %.4g %s\n",
                          (double)t, net->pop[0]->time_unit,
                          (double)(100.0 * (PetscReal)net->step / (PetscReal)run->nsteps), (double)(wall - run->wall0),
                          (double)(scale * (PetscReal)spikes / ((PetscReal)net->N * (t - net->t0))), unit));
    run->next_report += PetscMax(run->nsteps / 10, 1);
  }
  /* checkpoints at the end of an exchange window: every spike so far is delivered */
  if (net->step % net->min_delay == 0) {
    if (net->step % run->signal_steps == 0)
      PetscCall(NdCheckpointSignalReceived(PetscObjectComm((PetscObject)net), &run->signum));
    if (net->step >= run->nsteps) run->signum = 0; /* a signal at the last step: the run is complete anyway */
    if (run->signum || (run->checkpoint_steps && net->step >= run->next_checkpoint && net->step < run->nsteps)) {
      while (run->checkpoint_steps && net->step >= run->next_checkpoint) run->next_checkpoint += run->checkpoint_steps;
      PetscCall(NdNetworkCheckpointWrite(net, run->out, run->next_checkpoint));
    }
    if (run->signum) PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Advance the network from its start (or from the checkpoint of settings->restart) to the TS's
   max time in whole steps, recording rates every rate_dt, observables every sample_dt and all
   spikes into out, with checkpoints every checkpoint_interval and on SIGTERM/SIGUSR1 (then
   *signum is the signal and the run stops, its output not complete). */
PetscErrorCode NdNetworkSimulate(NdNetwork net, TS ts, NdOutput out, const NdNetworkRunSettings *settings, int *signum)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)net);
  NdNetworkRun       run  = {0};
  PetscReal          tend;
  TSConvergedReason  reason;
  void              *appctx;
  NdCheckpointReader restart = NULL;

  PetscFunctionBegin;
  PetscCall(TSGetMaxTime(ts, &tend));
  PetscCheck(tend < PETSC_MAX_REAL, comm, PETSC_ERR_USER_INPUT, "no end time: set -ts_max_time (or ts: max_time:)");
  PetscCheck(tend > net->t0, comm, PETSC_ERR_USER_INPUT,
             "the end time -ts_max_time (%g) must be later than the start time (%g)", (double)tend, (double)net->t0);
  PetscCheck(settings->checkpoint_interval >= 0, comm, PETSC_ERR_USER_INPUT,
             "-checkpoint_interval must be >= 0 (got %g)", (double)settings->checkpoint_interval);
  run.net      = net;
  run.out      = out;
  run.settings = settings;
  run.nsteps   = (PetscInt64)PetscFloorReal((tend - net->t0) / net->dt + 0.5);
  PetscCheck(run.nsteps >= 1, comm, PETSC_ERR_USER_INPUT,
             "-ts_max_time %g is less than one step -ts_dt %g after the start", (double)tend, (double)net->dt);
  PetscCheck(PetscAbsReal((PetscReal)run.nsteps * net->dt - (tend - net->t0)) <= 1e-6 * (tend - net->t0), comm,
             PETSC_ERR_USER_INPUT,
             "-ts_max_time %g is not a whole number of steps -ts_dt %g after the start %g (a fixed-step network stops "
             "only on a step)",
             (double)tend, (double)net->dt, (double)net->t0);
  PetscCheck(run.nsteps < PETSC_MAX_INT, comm, PETSC_ERR_USER_INPUT,
             "%" PetscInt64_FMT " steps are too many for one run", run.nsteps);
  if (settings->checkpoint_interval > 0) { /* a whole number of exchange windows */
    const PetscInt64 steps = (PetscInt64)PetscCeilReal(settings->checkpoint_interval / net->dt - 1e-9);
    run.checkpoint_steps   = ((steps + net->min_delay - 1) / net->min_delay) * net->min_delay;
  }
  run.next_checkpoint = run.checkpoint_steps;
  run.signal_steps    = ((64 + net->min_delay - 1) / net->min_delay) * net->min_delay;
  if (settings->restart && settings->restart[0])
    PetscCall(NdCheckpointOpen(comm, settings->restart, "network", &restart));
  PetscCall(NdRecorderCreate(net, out, settings->sample_dt, settings->rate_dt));
  if (restart) {
    PetscCall(NdNetworkRestart(net, ts, restart, &run.next_checkpoint));
    PetscCall(NdNetworkRestartRecords(net, restart, out));
    PetscCall(NdCheckpointClose(&restart));
    PetscCheck(net->step < run.nsteps, comm, PETSC_ERR_USER_INPUT,
               "-restart %s: the checkpoint is at t = %g, not before the end time %g", settings->restart,
               (double)(net->t0 + (PetscReal)net->step * net->dt), (double)tend);
  } else {
    const PetscScalar *x;
    PetscCall(VecGetArrayRead(net->state, &x));
    PetscCall(NdRecorderSample(net, x));
    PetscCall(VecRestoreArrayRead(net->state, &x));
  }
  run.next_report = net->step + PetscMax(run.nsteps / 10, 1);
  PetscCall(TSSetMaxSteps(ts, (PetscInt)run.nsteps));
  PetscCall(TSSetMaxTime(ts, net->t0 + ((PetscReal)run.nsteps + 0.5) * net->dt));
  PetscCall(TSGetApplicationContext(ts, &appctx));
  PetscCall(TSSetApplicationContext(ts, &run));
  PetscCall(TSSetPostStep(ts, NdNetworkPostStep));
  PetscCall(PetscTime(&run.wall0));
  PetscCall(NdCheckpointSignalsInstall());
  PetscCall(PetscLogEventBegin(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(TSSolve(ts, net->state));
  PetscCall(PetscLogEventEnd(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(NdCheckpointSignalsRestore());
  PetscCall(TSSetPostStep(ts, NULL));
  PetscCall(TSSetApplicationContext(ts, appctx));
  PetscCall(TSGetConvergedReason(ts, &reason));
  PetscCheck(reason >= 0, comm, PETSC_ERR_NOT_CONVERGED, "the network run stopped: %s", TSConvergedReasons[reason]);
  PetscCall(NdRecorderFinish(net, out));
  PetscCall(NdRecorderDestroy(net));
  *signum = run.signum;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The per-run summary on rank 0: times, spikes and rates per population, synapses, ranks and the
   peak memory (resident set) of the ranks */
PetscErrorCode NdNetworkPrintSummary(NdNetwork net, PetscReal run_seconds, PetscReal build_seconds, const char file[])
{
  MPI_Comm        comm = PetscObjectComm((PetscObject)net);
  const char     *tu   = net->pop[0]->time_unit;
  const PetscReal T    = (PetscReal)net->step * net->dt;
  PetscInt64      nsyn, bytes, implicit, *spikes;
  PetscReal       scale;
  char            unit[ND_NAME_LEN + 2];
  struct rusage   ru;
  double          rss[2];

  PetscFunctionBegin;
  PetscCall(NdNetworkGetSizes(net, NULL, &nsyn, &bytes));
  PetscCall(NdNetworkGetImplicitSynapses(net, &implicit));
  PetscCall(NdScreenRateUnit(net, &scale, unit, sizeof(unit)));
  PetscCall(PetscMalloc1(net->npop, &spikes));
  for (PetscInt p = 0; p < net->npop; p++) spikes[p] = net->pop[p]->nspikes;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, spikes, net->npop, MPIU_INT64, MPI_SUM, comm));
  getrusage(RUSAGE_SELF, &ru);
  rss[0] = (double)ru.ru_maxrss / 1024.0; /* kB on Linux */
  rss[1] = -rss[0];
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, rss, 2, MPI_DOUBLE, MPI_MAX, comm));
  PetscCall(PetscPrintf(comm,
                        "neurodyn: simulated %g %s of network time in %.2f s (build %.2f s) on %d rank(s); wrote %s\n",
                        (double)T, tu, (double)run_seconds, (double)build_seconds, net->size, file));
  for (PetscInt p = 0; p < net->npop; p++)
    PetscCall(PetscPrintf(comm,
                          "  %-8s %-10s %9" PetscInt_FMT " neurons %12" PetscInt64_FMT " spikes  mean rate %.4g %s\n",
                          net->pop[p]->name, net->pop[p]->model, net->pop[p]->size, spikes[p],
                          (double)(scale * (PetscReal)spikes[p] / ((PetscReal)net->pop[p]->size * T)), unit));
  PetscCall(PetscPrintf(comm,
                        "  %" PetscInt64_FMT " synapses (%" PetscInt64_FMT
                        " in the delivery tables, %.1f bytes each); peak memory per rank %.0f to %.0f MB\n",
                        nsyn + implicit, nsyn, nsyn ? (double)bytes / (double)nsyn : 0.0, -rss[1], rss[0]));
  PetscCall(PetscFree(spikes));
  PetscFunctionReturn(PETSC_SUCCESS);
}
