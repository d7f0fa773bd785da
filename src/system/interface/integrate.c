/* Sampled time integration of an NdSystem into /timeseries of an NdOutput. */
#include <neurodyn/private/systemimpl.h>
#include <neurodyn/checkpoint.h>

/* The recorded variables and the observables, each a dataset (NULL for a variable not recorded) */
typedef struct {
  NdDataset  t, current, *var, *obs;
  PetscReal *row;    /* one variable at the local nodes */
  PetscReal *values; /* the observables of each local node, node-major */
  PetscInt64 rows;   /* rows appended so far */
} NdTimeseries;

static PetscErrorCode NdTimeseriesCreate(NdSystem sys, NdOutput out, NdTimeseries *ts)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)sys);
  PetscMPIInt rank;
  const char *tunit;
  char        unit[ND_NAME_LEN], path[256];
  PetscBool   scalar = (PetscBool)(sys->nnodes == 1);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdSystemGetTimeUnit(sys, &tunit));
  PetscCall(NdOutputCreateDataset(out, "/timeseries/t", rank == 0, 1, PETSC_TRUE, tunit, &ts->t));
  PetscCall(NdSystemGetInputUnit(sys, unit, sizeof(unit)));
  PetscCall(NdOutputCreateDataset(out, "/timeseries/I", rank == 0, 1, PETSC_TRUE, unit, &ts->current));
  PetscCall(PetscCalloc1(sys->nvar, &ts->var));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    if (!sys->var[i].recorded) continue;
    PetscCall(NdSystemGetVariableUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", sys->var[i].name));
    PetscCall(NdOutputCreateDataset(out, path, sys->nnodes_local, sys->nnodes, scalar, unit, &ts->var[i]));
  }
  PetscCall(PetscCalloc1(sys->nobs, &ts->obs));
  for (PetscInt i = 0; i < sys->nobs; i++) {
    PetscCall(NdSystemGetObservableUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", sys->obs[i].name));
    PetscCall(NdOutputCreateDataset(out, path, sys->nnodes_local, sys->nnodes, scalar, unit, &ts->obs[i]));
  }
  PetscCall(PetscMalloc1(PetscMax(sys->nnodes_local, 1), &ts->row));
  PetscCall(PetscMalloc1(PetscMax(sys->nnodes_local * sys->nobs, 1), &ts->values));
  ts->rows = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdTimeseriesRecord(NdSystem sys, NdTimeseries *ts, PetscReal t, Vec X)
{
  const PetscScalar *x;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_RECORD, 0, 0, 0, 0));
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(NdDatasetAppendRow(ts->t, &t));
  PetscCall(NdDatasetAppendRow(ts->current, &current));
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    if (!ts->var[i]) continue;
    for (PetscInt n = 0; n < sys->nnodes_local; n++) ts->row[n] = PetscRealPart(x[n * sys->nvar + i]);
    PetscCall(NdDatasetAppendRow(ts->var[i], ts->row));
  }
  for (PetscInt n = 0; n < sys->nnodes_local && sys->nobs; n++)
    PetscCall((*sys->ops->observe)(sys, t, x + n * sys->nvar, ts->values + n * sys->nobs));
  PetscCall(VecRestoreArrayRead(X, &x));
  for (PetscInt i = 0; i < sys->nobs; i++) {
    for (PetscInt n = 0; n < sys->nnodes_local; n++) ts->row[n] = ts->values[n * sys->nobs + i];
    PetscCall(NdDatasetAppendRow(ts->obs[i], ts->row));
  }
  ts->rows++;
  PetscCall(PetscLogEventEnd(ND_EVENT_RECORD, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The restarted run's /timeseries begins with the rows recorded before the checkpoint */
static PetscErrorCode NdTimeseriesCopy(NdSystem sys, NdTimeseries *ts, NdCheckpointReader r, PetscInt64 rows)
{
  PetscMPIInt rank;
  char        path[256];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)sys), &rank));
  PetscCall(NdCheckpointCopyRecorded(r, "/timeseries/t", rows, 0, rank == 0, ts->t));
  PetscCall(NdCheckpointCopyRecorded(r, "/timeseries/I", rows, 0, rank == 0, ts->current));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    if (!ts->var[i]) continue;
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", sys->var[i].name));
    PetscCall(NdCheckpointCopyRecorded(r, path, rows, sys->node_start, sys->nnodes_local, ts->var[i]));
  }
  for (PetscInt i = 0; i < sys->nobs; i++) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", sys->obs[i].name));
    PetscCall(NdCheckpointCopyRecorded(r, path, rows, sys->node_start, sys->nnodes_local, ts->obs[i]));
  }
  ts->rows = rows;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdTimeseriesFlush(NdSystem sys, NdTimeseries *ts)
{
  PetscFunctionBegin;
  PetscCall(NdDatasetFlush(ts->t));
  PetscCall(NdDatasetFlush(ts->current));
  for (PetscInt i = 0; i < sys->nvar; i++)
    if (ts->var[i]) PetscCall(NdDatasetFlush(ts->var[i]));
  for (PetscInt i = 0; i < sys->nobs; i++) PetscCall(NdDatasetFlush(ts->obs[i]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdTimeseriesDestroy(NdSystem sys, NdTimeseries *ts)
{
  PetscFunctionBegin;
  PetscCall(NdDatasetDestroy(&ts->t));
  PetscCall(NdDatasetDestroy(&ts->current));
  for (PetscInt i = 0; i < sys->nvar; i++)
    if (ts->var[i]) PetscCall(NdDatasetDestroy(&ts->var[i]));
  for (PetscInt i = 0; i < sys->nobs; i++) PetscCall(NdDatasetDestroy(&ts->obs[i]));
  PetscCall(PetscFree(ts->var));
  PetscCall(PetscFree(ts->obs));
  PetscCall(PetscFree(ts->row));
  PetscCall(PetscFree(ts->values));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* State of a sampled integration, reached from the TS post-step through the TS application context */
typedef struct {
  NdSystem     sys;
  NdOutput     out;
  NdTimeseries series;
  PetscReal    t0, tend, sample_dt, next_sample, last_recorded, next_report, wall0;
  PetscReal    checkpoint_interval, next_checkpoint; /* interval 0: checkpoints only on a signal */
  PetscReal    dt_shortened, dt_before; /* the last step shortened to land on a target, and its size before */
  PetscInt     k;                       /* index of the next sample, at t0 + k sample_dt */
  PetscBool    progress;
  int          signum; /* the signal that stopped the run, or 0 */
} NdIntegrator;

static PetscBool NdTimeReached(PetscReal t, PetscReal target)
{
  return (PetscBool)(t >= target - 100 * PETSC_MACHINE_EPSILON * PetscMax(1.0, PetscAbsReal(target)));
}

/* Everything a restart needs: the state (indexed by global entry, node-major), the TS's time,
   step number and next step size, and the recorder's position. The rows recorded so far are
   flushed first, so the file holds them when the checkpoint is complete. */
static PetscErrorCode NdIntegratorCheckpoint(NdIntegrator *it, TS ts)
{
  Vec                X;
  PetscReal          t, dt;
  PetscInt           steps, lo, hi, N;
  const PetscScalar *x;

  PetscFunctionBegin;
  PetscCall(TSGetSolution(ts, &X));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetStepNumber(ts, &steps));
  PetscCall(NdTimeseriesFlush(it->sys, &it->series));
  PetscCall(NdCheckpointBegin(it->out));
  PetscCall(VecGetOwnershipRange(X, &lo, &hi));
  PetscCall(VecGetSize(X, &N));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(NdCheckpointWriteReal(it->out, "state", N, lo, hi - lo, x));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "t", t));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "dt", dt));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "dt_shortened", it->dt_shortened));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "dt_before", it->dt_before));
  PetscCall(NdCheckpointWriteScalarInt64(it->out, "step", steps));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "t0", it->t0));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "sample_dt", it->sample_dt));
  PetscCall(NdCheckpointWriteScalarInt64(it->out, "sample_index", it->k));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "next_sample", it->next_sample));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "last_recorded", it->last_recorded));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "next_report", it->next_report));
  PetscCall(NdCheckpointWriteScalarReal(it->out, "next_checkpoint", it->next_checkpoint));
  PetscCall(NdCheckpointWriteScalarInt64(it->out, "timeseries_rows", it->series.rows));
  PetscCall(NdCheckpointEnd(it->out, "system"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After each accepted step: record if a sampling time was reached, report progress, write a
   checkpoint when due or when a signal arrived (then stop), and shorten the next step so that
   it ends exactly on the next sampling time or stimulus breakpoint. */
static PetscErrorCode NdIntegratorPostStep(TS ts)
{
  NdIntegrator *it;
  PetscReal     t, dt, t_break, target;
  Vec           X;

  PetscFunctionBegin;
  PetscCall(TSGetApplicationContext(ts, &it));
  if (it->sys->ops->poststep) PetscCall((*it->sys->ops->poststep)(it->sys, ts)); /* e.g. a delay history */
  PetscCall(TSGetTime(ts, &t));
  /* the end is sampled once: a fixed-step TS that lands a rounding error short of it takes one
     more tiny step, which is not another sample */
  if (NdTimeReached(t, it->next_sample) && !NdTimeReached(it->last_recorded, it->tend)) {
    PetscBool finite;
    PetscCall(TSGetSolution(ts, &X));
    PetscCall(NdVecAllFinite(X, &finite)); /* explicit fixed steps run on through overflow */
    PetscCheck(finite, PetscObjectComm((PetscObject)ts), PETSC_ERR_NOT_CONVERGED,
               "the state is not finite at t = %g: the integration diverged (try a smaller -ts_dt, or check the "
               "parameters)",
               (double)t);
    PetscCall(NdTimeseriesRecord(it->sys, &it->series, t, X));
    it->last_recorded = t;
    it->k             = (PetscInt)PetscFloorReal((t - it->t0) / it->sample_dt + 0.5) + 1;
    it->next_sample   = PetscMin(it->t0 + (PetscReal)it->k * it->sample_dt, it->tend);
  }
  if (it->progress && t >= it->next_report) {
    PetscLogDouble wall;
    PetscInt       steps;
    PetscCall(PetscTime(&wall));
    PetscCall(TSGetStepNumber(ts, &steps));
    PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ts),
                          "  t = %-10g %3.0f%%  %" PetscInt_FMT " steps  %.2f s wall\n", (double)t,
                          (double)(100 * (t - it->t0) / (it->tend - it->t0)), steps, (double)(wall - it->wall0)));
    it->next_report += 0.1 * (it->tend - it->t0);
  }
  PetscCall(NdStimulusGetNextBreakpoint(it->sys->stimulus, t, &t_break));
  target = PetscMin(it->next_sample, t_break);
  PetscCall(TSGetTimeStep(ts, &dt));
  /* a fixed-step TS keeps the shortened step: give it back its own step size (an adaptive TS has
     chosen a new one, which is kept) */
  if (it->dt_shortened > 0 && dt == it->dt_shortened) dt = it->dt_before;
  it->dt_shortened = 0;
  if (t + dt > target && target > t) {
    it->dt_before    = dt;
    it->dt_shortened = target - t;
    dt               = target - t;
  }
  PetscCall(TSSetTimeStep(ts, dt));
  /* the checkpoint comes last: it holds the step size the next step will take */
  PetscCall(NdCheckpointSignalReceived(PetscObjectComm((PetscObject)ts), &it->signum));
  if (NdTimeReached(t, it->tend)) it->signum = 0; /* a signal at the last step: the run is complete anyway */
  if (it->signum || (it->checkpoint_interval > 0 && NdTimeReached(t, it->next_checkpoint) && t < it->tend)) {
    while (it->checkpoint_interval > 0 && NdTimeReached(t, it->next_checkpoint))
      it->next_checkpoint += it->checkpoint_interval;
    PetscCall(NdIntegratorCheckpoint(it, ts));
  }
  if (it->signum) PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Continue from the checkpoint in file: the TS's time, step number and step size, the state X
   (read by global index: any number of ranks), and the recorder's position. Checked before the
   output is created; the reader stays open for NdTimeseriesCopy. */
static PetscErrorCode NdIntegratorRestart(NdIntegrator *it, TS ts, Vec X, const char file[], NdCheckpointReader *reader,
                                          PetscInt64 *rows)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)it->sys);
  NdCheckpointReader r;
  PetscInt64         N, step, k;
  PetscInt           lo, hi, n;
  PetscReal          t, dt, sample_dt;
  PetscScalar       *x;

  PetscFunctionBegin;
  PetscCall(NdCheckpointCheckSystemType(comm, file, ((PetscObject)it->sys)->type_name)); /* before it is open */
  PetscCall(NdCheckpointOpen(comm, file, "system", &r));
  PetscCall(NdCheckpointGetSize(r, "state", &N));
  PetscCall(VecGetSize(X, &n));
  PetscCheck(N == n, comm, PETSC_ERR_USER_INPUT,
             "-restart: the checkpoint in '%s' holds %" PetscInt64_FMT " state values; this system has %" PetscInt_FMT
             " (same system and -sys_nodes?)",
             file, N, n);
  PetscCall(NdCheckpointReadScalarReal(r, "sample_dt", &sample_dt));
  PetscCheck(PetscAbsReal(sample_dt - it->sample_dt) <= 1e-12 * PetscAbsReal(sample_dt), comm, PETSC_ERR_USER_INPUT,
             "-restart: the checkpoint in '%s' was sampled every %g, this run every %g: use the same -sample_dt", file,
             (double)sample_dt, (double)it->sample_dt);
  PetscCall(NdCheckpointReadScalarReal(r, "t", &t));
  PetscCheck(t < it->tend, comm, PETSC_ERR_USER_INPUT,
             "-restart: the checkpoint in '%s' is at t = %g, not before the end time -ts_max_time %g", file, (double)t,
             (double)it->tend);
  PetscCall(VecGetOwnershipRange(X, &lo, &hi));
  PetscCall(VecGetArray(X, &x));
  PetscCall(NdCheckpointReadReal(r, "state", lo, hi - lo, x));
  PetscCall(VecRestoreArray(X, &x));
  PetscCall(NdCheckpointReadScalarReal(r, "dt", &dt));
  PetscCall(NdCheckpointReadScalarReal(r, "dt_shortened", &it->dt_shortened));
  PetscCall(NdCheckpointReadScalarReal(r, "dt_before", &it->dt_before));
  PetscCall(NdCheckpointReadScalarInt64(r, "step", &step));
  PetscCall(NdCheckpointReadScalarReal(r, "t0", &it->t0));
  PetscCall(NdCheckpointReadScalarInt64(r, "sample_index", &k));
  PetscCall(NdCheckpointReadScalarReal(r, "next_sample", &it->next_sample));
  PetscCall(NdCheckpointReadScalarReal(r, "last_recorded", &it->last_recorded));
  PetscCall(NdCheckpointReadScalarReal(r, "next_report", &it->next_report));
  PetscCall(NdCheckpointReadScalarReal(r, "next_checkpoint", &it->next_checkpoint));
  PetscCall(NdCheckpointReadScalarInt64(r, "timeseries_rows", rows));
  it->k = (PetscInt)k;
  PetscCall(TSSetTime(ts, t));
  PetscCall(TSSetStepNumber(ts, (PetscInt)step));
  PetscCall(TSSetTimeStep(ts, dt));
  *reader = r;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Time steps, samples and checkpoints that can advance the time: each at least 1000 rounding
   steps of t (NdTimeReached's tolerance is 100), and no more of them than a PetscInt counts (a
   -sample_dt of 1e-300 would otherwise loop forever) */
static PetscErrorCode NdCheckTimeGrid(TS ts, PetscReal t0, PetscReal tend, const NdIntegrateSettings *settings)
{
  MPI_Comm  comm       = PetscObjectComm((PetscObject)ts);
  PetscReal resolution = 1000 * PETSC_MACHINE_EPSILON * PetscMax(1.0, PetscMax(PetscAbsReal(t0), PetscAbsReal(tend)));
  PetscReal dt;
  PetscInt  max_steps;
  TSAdapt   adapt;
  PetscBool fixed;

  PetscFunctionBegin;
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCheck(dt > 0, comm, PETSC_ERR_USER_INPUT, "-ts_dt must be > 0 (got %g)", (double)dt);
  PetscCall(TSGetMaxSteps(ts, &max_steps));
  PetscCheck(max_steps >= 1, comm, PETSC_ERR_USER_INPUT, "-ts_max_steps must be >= 1 (got %" PetscInt_FMT ")",
             max_steps);
  PetscCall(TSGetAdapt(ts, &adapt));
  PetscCall(PetscObjectTypeCompare((PetscObject)adapt, TSADAPTNONE, &fixed));
  PetscCheck(!fixed || (dt >= resolution && (tend - t0) / dt < PETSC_MAX_INT), comm, PETSC_ERR_USER_INPUT,
             "-ts_dt %g is too small for fixed steps from %g to %g (%.3g steps)", (double)dt, (double)t0, (double)tend,
             (double)((tend - t0) / dt));
  PetscCheck(settings->sample_dt >= resolution && (tend - t0) / settings->sample_dt < PETSC_MAX_INT, comm,
             PETSC_ERR_USER_INPUT, "-sample_dt %g is too small for a run from %g to %g (%.3g samples)",
             (double)settings->sample_dt, (double)t0, (double)tend, (double)((tend - t0) / settings->sample_dt));
  PetscCheck(settings->checkpoint_interval == 0 || settings->checkpoint_interval >= resolution, comm,
             PETSC_ERR_USER_INPUT, "-checkpoint_interval %g is too small to advance the time from %g to %g",
             (double)settings->checkpoint_interval, (double)t0, (double)tend);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Integrate from the TS's time to its max time in one TSSolve, recording at t0 + k sample_dt and
   at the end. Steps end exactly on each sampling time and on each breakpoint of the stimulus
   (where I(t) or its slope jumps), so samples are integrator states and no step straddles a
   kink. Ends early, with a record, if the TS reaches -ts_max_steps; a failed step is an error.
   With a checkpoint interval, writes /checkpoint every interval of simulated time; on SIGTERM
   or SIGUSR1 writes one and stops (*signum is the signal, else 0). With a restart file,
   continues from its checkpoint. */
PetscErrorCode NdSystemIntegrate(NdSystem sys, TS ts, Vec X, const NdIntegrateSettings *settings, NdOutput out,
                                 int *signum)
{
  MPI_Comm           comm    = PetscObjectComm((PetscObject)sys);
  NdIntegrator       it      = {0};
  NdCheckpointReader restart = NULL;
  PetscInt64         rows;
  PetscReal          t, dt, t_break;
  TSConvergedReason  reason;
  void              *appctx;

  PetscFunctionBegin;
  PetscCall(TSGetTime(ts, &it.t0));
  PetscCall(TSGetMaxTime(ts, &it.tend));
  PetscCheck(it.tend < PETSC_MAX_REAL, comm, PETSC_ERR_USER_INPUT,
             "no end time: set -ts_max_time (or ts: max_time: in the input file)");
  PetscCheck(it.tend > it.t0, comm, PETSC_ERR_USER_INPUT,
             "the end time -ts_max_time (%g) must be later than the start time (%g)", (double)it.tend, (double)it.t0);
  PetscCheck(settings->sample_dt > 0, comm, PETSC_ERR_USER_INPUT, "-sample_dt must be > 0 (got %g)",
             (double)settings->sample_dt);
  PetscCheck(settings->checkpoint_interval >= 0, comm, PETSC_ERR_USER_INPUT,
             "-checkpoint_interval must be >= 0 (got %g)", (double)settings->checkpoint_interval);
  PetscCall(NdCheckTimeGrid(ts, it.t0, it.tend, settings));
  PetscCheck(!(sys->ops->integratebegin && settings->restart && settings->restart[0]), comm, PETSC_ERR_SUP,
             "-restart: a system with a memory (conduction delays) keeps a history that checkpoints do not hold yet");
  PetscCall(NdSystemCheckTS(sys, ts));
  if (sys->ops->integratebegin) PetscCall((*sys->ops->integratebegin)(sys, ts, X, settings->sample_dt));
  it.sys                 = sys;
  it.out                 = out;
  it.sample_dt           = settings->sample_dt;
  it.checkpoint_interval = settings->checkpoint_interval;
  it.progress            = settings->progress;
  PetscCall(PetscTime(&it.wall0));
  if (settings->restart && settings->restart[0])
    PetscCall(NdIntegratorRestart(&it, ts, X, settings->restart, &restart, &rows));
  PetscCall(NdTimeseriesCreate(sys, out, &it.series));
  if (restart) {
    PetscCall(NdTimeseriesCopy(sys, &it.series, restart, rows));
    PetscCall(NdCheckpointClose(&restart));
  } else {
    it.k               = 1;
    it.next_sample     = PetscMin(it.t0 + it.sample_dt, it.tend);
    it.next_report     = it.t0 + 0.1 * (it.tend - it.t0);
    it.next_checkpoint = it.t0 + it.checkpoint_interval;
    PetscCall(NdTimeseriesRecord(sys, &it.series, it.t0, X));
    it.last_recorded = it.t0;
  }

  /* the first step, too, must not pass the first sample or breakpoint */
  PetscCall(TSGetTime(ts, &t));
  PetscCall(NdStimulusGetNextBreakpoint(sys->stimulus, t, &t_break));
  PetscCall(TSGetTimeStep(ts, &dt));
  if (PetscMin(it.next_sample, t_break) - t < dt) {
    it.dt_before    = dt;
    it.dt_shortened = PetscMin(it.next_sample, t_break) - t;
    PetscCall(TSSetTimeStep(ts, it.dt_shortened));
  }
  PetscCall(TSGetApplicationContext(ts, &appctx));
  PetscCall(TSSetApplicationContext(ts, &it));
  PetscCall(TSSetPostStep(ts, NdIntegratorPostStep));
  PetscCall(NdCheckpointSignalsInstall());
  PetscCall(PetscLogEventBegin(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(TSSolve(ts, X));
  PetscCall(PetscLogEventEnd(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(NdCheckpointSignalsRestore());
  PetscCall(TSSetPostStep(ts, NULL));
  PetscCall(TSSetApplicationContext(ts, appctx));
  PetscCall(TSGetConvergedReason(ts, &reason));
  PetscCall(TSGetTime(ts, &t));
  PetscCheck(
      reason >= 0, comm, PETSC_ERR_NOT_CONVERGED,
      "time integration failed at t = %g: %s (try a smaller -ts_dt, other -ts_rtol/-ts_atol, or an implicit -ts_type)",
      (double)t, TSConvergedReasons[reason]);
  if (!it.signum && !NdTimeReached(it.last_recorded, t))
    PetscCall(NdTimeseriesRecord(sys, &it.series, t, X)); /* stopped by -ts_max_steps */
  PetscCall(NdTimeseriesDestroy(sys, &it.series));
  *signum = it.signum;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* /system: type, description, units, variables (all, in state order; the recorded ones are in
   /timeseries), observables, and each parameter as a scalar dataset with units */
PetscErrorCode NdSystemWriteDescription(NdSystem sys, NdOutput out)
{
  char           path[256], unit[ND_NAME_LEN], *names;
  const char    *tunit;
  NdStimulusType stype;
  size_t         len = (size_t)(sys->nvar + sys->nobs + 1) * (ND_NAME_LEN + 1);

  PetscFunctionBegin;
  PetscCall(NdOutputWriteAttributeString(out, "/system", "type", ((PetscObject)sys)->type_name));
  PetscCall(NdOutputWriteAttributeString(out, "/system", "description", sys->description));
  PetscCall(NdSystemGetTimeUnit(sys, &tunit));
  PetscCall(NdOutputWriteAttributeString(out, "/system", "time_unit", tunit));
  PetscCall(NdOutputSetTimeUnit(out, tunit)); /* the "1/T" of eigenvalues, the "T" of periods, ... */
  PetscCall(NdOutputWriteAttributeInt(out, "/system", "nodes", sys->nnodes));
  PetscCall(PetscCalloc1(len, &names));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    if (i) PetscCall(PetscStrlcat(names, ",", len));
    PetscCall(PetscStrlcat(names, sys->var[i].name, len));
  }
  PetscCall(NdOutputWriteAttributeString(out, "/system", "variables", names));
  names[0] = 0;
  for (PetscInt i = 0; i < sys->nvar; i++) {
    if (i) PetscCall(PetscStrlcat(names, ",", len));
    PetscCall(NdSystemGetVariableUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscStrlcat(names, unit, len));
  }
  PetscCall(NdOutputWriteAttributeString(out, "/system", "variable_units", names));
  names[0] = 0;
  for (PetscInt i = 0; i < sys->nobs; i++) {
    if (i) PetscCall(PetscStrlcat(names, ",", len));
    PetscCall(PetscStrlcat(names, sys->obs[i].name, len));
  }
  PetscCall(NdOutputWriteAttributeString(out, "/system", "observables", names));
  PetscCall(PetscFree(names));
  PetscCall(NdStimulusGetType(sys->stimulus, &stype));
  PetscCall(NdOutputWriteAttributeString(out, "/system", "stimulus_type", stype));
  for (PetscInt i = 0; i < sys->nparam; i++) {
    PetscCall(NdSystemGetParameterUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/system/parameters/%s", sys->param[i].name));
    PetscCall(NdOutputWriteScalar(out, path, sys->param[i].value, unit));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetStateUnit(NdSystem sys, char unit[], size_t len)
{
  char other[ND_NAME_LEN];

  PetscFunctionBegin;
  unit[0] = 0;
  if (sys->nvar) PetscCall(NdSystemGetVariableUnit(sys, 0, unit, len));
  for (PetscInt i = 1; i < sys->nvar; i++) {
    PetscCall(NdSystemGetVariableUnit(sys, i, other, sizeof(other)));
    if (strcmp(other, unit)) {
      unit[0] = 0;
      break;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemWriteState(NdSystem sys, NdOutput out, const char path[], Vec x)
{
  char unit[ND_NAME_LEN];

  PetscFunctionBegin;
  PetscCall(NdSystemGetStateUnit(sys, unit, sizeof(unit)));
  PetscCall(NdOutputWriteVecRow(out, path, x, unit[0] ? unit : NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}
