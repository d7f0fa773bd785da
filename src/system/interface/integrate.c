/* Sampled time integration of an NdSystem into /timeseries of an NdOutput. */
#include <neurodyn/private/systemimpl.h>
#include <neurodyn/output.h>

typedef struct {
  NdDataset  t, current, *var;
  PetscReal *row; /* one variable at the local nodes */
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
  PetscCall(PetscMalloc1(sys->nvar, &ts->var));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    PetscCall(NdSystemGetVariableUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", sys->var[i].name));
    PetscCall(NdOutputCreateDataset(out, path, sys->nnodes_local, sys->nnodes, scalar, unit, &ts->var[i]));
  }
  PetscCall(PetscMalloc1(PetscMax(sys->nnodes_local, 1), &ts->row));
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
    for (PetscInt n = 0; n < sys->nnodes_local; n++) ts->row[n] = PetscRealPart(x[n * sys->nvar + i]);
    PetscCall(NdDatasetAppendRow(ts->var[i], ts->row));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(PetscLogEventEnd(ND_EVENT_RECORD, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdTimeseriesDestroy(NdSystem sys, NdTimeseries *ts)
{
  PetscFunctionBegin;
  PetscCall(NdDatasetDestroy(&ts->t));
  PetscCall(NdDatasetDestroy(&ts->current));
  for (PetscInt i = 0; i < sys->nvar; i++) PetscCall(NdDatasetDestroy(&ts->var[i]));
  PetscCall(PetscFree(ts->var));
  PetscCall(PetscFree(ts->row));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* State of a sampled integration, reached from the TS post-step through the TS application context */
typedef struct {
  NdSystem     sys;
  NdTimeseries series;
  PetscReal    t0, tend, sample_dt, next_sample, last_recorded, next_report, wall0;
  PetscReal    dt_fixed; /* the step of a fixed-step TS (-ts_adapt_type none), else 0 */
  PetscInt     k;        /* index of the next sample, at t0 + k sample_dt */
  PetscBool    progress;
} NdIntegrator;

static PetscBool NdTimeReached(PetscReal t, PetscReal target)
{
  return (PetscBool)(t >= target - 100 * PETSC_MACHINE_EPSILON * PetscMax(1.0, PetscAbsReal(target)));
}

/* After each accepted step: record if a sampling time was reached, report progress, and shorten
   the next step so that it ends exactly on the next sampling time or stimulus breakpoint. */
static PetscErrorCode NdIntegratorPostStep(TS ts)
{
  NdIntegrator *it;
  PetscReal     t, dt, t_break, target;
  Vec           X;

  PetscFunctionBegin;
  PetscCall(TSGetApplicationContext(ts, &it));
  if (it->sys->ops->poststep) PetscCall((*it->sys->ops->poststep)(it->sys, ts));
  PetscCall(TSGetTime(ts, &t));
  /* a fixed step's t accumulates round-off: within 1e-6 dt of a sample counts as on it */
  if (NdTimeReached(t, it->next_sample) || (it->dt_fixed > 0 && it->next_sample - t < 1e-6 * it->dt_fixed)) {
    PetscCall(TSGetSolution(ts, &X));
    PetscCall(NdTimeseriesRecord(it->sys, &it->series, t, X));
    it->last_recorded = t;
    it->k             = (PetscInt)PetscFloorReal((t - it->t0) / it->sample_dt + 0.5) + 1;
    it->next_sample   = PetscMin(it->t0 + (PetscReal)it->k * it->sample_dt, it->tend);
    if (it->dt_fixed > 0 && it->tend - t < 1e-6 * it->dt_fixed) PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_TIME));
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
  if (it->dt_fixed > 0) dt = it->dt_fixed; /* a fixed step comes back after a shortened one */
  PetscCall(TSSetTimeStep(ts, t + dt > target && target > t ? target - t : dt));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Integrate from the TS's time to its max time in one TSSolve, recording at t0 + k sample_dt and
   at the end. Steps end exactly on each sampling time and on each breakpoint of the stimulus
   (where I(t) or its slope jumps), so samples are integrator states and no step straddles a
   kink. Ends early, with a record, if the TS reaches -ts_max_steps; a failed step is an error. */
PetscErrorCode NdSystemIntegrate(NdSystem sys, TS ts, Vec X, PetscReal sample_dt, NdOutput out, PetscBool progress)
{
  MPI_Comm          comm = PetscObjectComm((PetscObject)sys);
  NdIntegrator      it   = {0};
  PetscReal         t, dt, t_break;
  TSConvergedReason reason;
  void             *appctx;

  PetscFunctionBegin;
  PetscCall(TSGetTime(ts, &it.t0));
  PetscCall(TSGetMaxTime(ts, &it.tend));
  PetscCheck(it.tend < PETSC_MAX_REAL, comm, PETSC_ERR_USER_INPUT,
             "no end time: set -ts_max_time (or ts: max_time: in the input file)");
  PetscCheck(it.tend > it.t0, comm, PETSC_ERR_USER_INPUT,
             "the end time -ts_max_time (%g) must be later than the start time (%g)", (double)it.tend, (double)it.t0);
  PetscCheck(sample_dt > 0, comm, PETSC_ERR_USER_INPUT, "-sample_dt must be > 0 (got %g)", (double)sample_dt);
  if (sys->ops->integratebegin) PetscCall((*sys->ops->integratebegin)(sys, ts, X, sample_dt));
  it.sys         = sys;
  it.sample_dt   = sample_dt;
  it.k           = 1;
  it.next_sample = PetscMin(it.t0 + sample_dt, it.tend);
  it.next_report = it.t0 + 0.1 * (it.tend - it.t0);
  it.progress    = progress;
  PetscCall(PetscTime(&it.wall0));
  PetscCall(NdTimeseriesCreate(sys, out, &it.series));
  PetscCall(NdTimeseriesRecord(sys, &it.series, it.t0, X));
  it.last_recorded = it.t0;

  /* the first step, too, must not pass the first sample or breakpoint */
  PetscCall(NdStimulusGetNextBreakpoint(sys->stimulus, it.t0, &t_break));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSSetTimeStep(ts, PetscMin(dt, PetscMin(it.next_sample, t_break) - it.t0)));
  {
    TSAdapt     adapt;
    TSAdaptType atype;
    PetscBool   fixed;
    PetscCall(TSGetAdapt(ts, &adapt));
    PetscCall(TSAdaptGetType(adapt, &atype));
    PetscCall(PetscStrcmp(atype, TSADAPTNONE, &fixed));
    if (fixed) it.dt_fixed = dt;
  }
  PetscCall(TSGetApplicationContext(ts, &appctx));
  PetscCall(TSSetApplicationContext(ts, &it));
  PetscCall(TSSetPostStep(ts, NdIntegratorPostStep));
  PetscCall(PetscLogEventBegin(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(TSSolve(ts, X));
  PetscCall(PetscLogEventEnd(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(TSSetPostStep(ts, NULL));
  PetscCall(TSSetApplicationContext(ts, appctx));
  PetscCall(TSGetConvergedReason(ts, &reason));
  PetscCall(TSGetTime(ts, &t));
  PetscCheck(
      reason >= 0, comm, PETSC_ERR_NOT_CONVERGED,
      "time integration failed at t = %g: %s (try a smaller -ts_dt, other -ts_rtol/-ts_atol, or an implicit -ts_type)",
      (double)t, TSConvergedReasons[reason]);
  if (t > it.last_recorded) PetscCall(NdTimeseriesRecord(sys, &it.series, t, X)); /* stopped by -ts_max_steps */
  PetscCall(NdTimeseriesDestroy(sys, &it.series));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* /system: type, description, units, variables, and each parameter as a scalar dataset with units */
PetscErrorCode NdSystemWriteDescription(NdSystem sys, NdOutput out)
{
  char           path[256], unit[ND_NAME_LEN], vars[512] = "";
  const char    *tunit;
  NdStimulusType stype;

  PetscFunctionBegin;
  PetscCall(NdOutputWriteAttributeString(out, "/system", "type", ((PetscObject)sys)->type_name));
  PetscCall(NdOutputWriteAttributeString(out, "/system", "description", sys->description));
  PetscCall(NdSystemGetTimeUnit(sys, &tunit));
  PetscCall(NdOutputWriteAttributeString(out, "/system", "time_unit", tunit));
  PetscCall(NdOutputWriteAttributeInt(out, "/system", "nodes", sys->nnodes));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    if (i) PetscCall(PetscStrlcat(vars, ",", sizeof(vars)));
    PetscCall(PetscStrlcat(vars, sys->var[i].name, sizeof(vars)));
  }
  PetscCall(NdOutputWriteAttributeString(out, "/system", "variables", vars));
  PetscCall(NdStimulusGetType(sys->stimulus, &stype));
  PetscCall(NdOutputWriteAttributeString(out, "/system", "stimulus_type", stype));
  for (PetscInt i = 0; i < sys->nparam; i++) {
    PetscCall(NdSystemGetParameterUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/system/parameters/%s", sys->param[i].name));
    PetscCall(NdOutputWriteScalar(out, path, sys->param[i].value, unit));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
