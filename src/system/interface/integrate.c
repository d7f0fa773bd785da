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

/* Integrate from the TS's time to its max time, recording at t0 + k sample_dt and at the end.
   The TS stops exactly at each sample time and at each breakpoint of the stimulus (where I(t) or
   its slope jumps), so that no step straddles a kink. Ends early, with a record, if the TS
   reaches -ts_max_steps; a failed step is an error. */
PetscErrorCode NdSystemIntegrate(NdSystem sys, TS ts, Vec X, PetscReal sample_dt, NdOutput out, PetscBool progress)
{
  MPI_Comm          comm = PetscObjectComm((PetscObject)sys);
  NdTimeseries      series;
  PetscReal         t0, t, tend, next_report, wall0, wall;
  PetscInt          k      = 1, steps;
  TSConvergedReason reason = TS_CONVERGED_ITERATING;

  PetscFunctionBegin;
  PetscCall(TSGetTime(ts, &t0));
  PetscCall(TSGetMaxTime(ts, &tend));
  PetscCheck(tend > t0, comm, PETSC_ERR_USER_INPUT,
             "the end time -ts_max_time (%g) must be later than the start time (%g)", (double)tend, (double)t0);
  PetscCheck(sample_dt > 0, comm, PETSC_ERR_USER_INPUT, "-sample_dt must be > 0 (got %g)", (double)sample_dt);
  PetscCall(NdTimeseriesCreate(sys, out, &series));
  PetscCall(NdTimeseriesRecord(sys, &series, t0, X));
  PetscCall(PetscTime(&wall0));
  next_report = t0 + 0.1 * (tend - t0);
  t           = t0;
  PetscCall(PetscLogEventBegin(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  while (t < tend && reason != TS_CONVERGED_ITS) {
    PetscReal t_sample = PetscMin(t0 + (PetscReal)k * sample_dt, tend), t_break, eps;

    PetscCall(NdStimulusGetNextBreakpoint(sys->stimulus, t, &t_break));
    PetscCall(TSSetMaxTime(ts, PetscMin(t_sample, t_break)));
    PetscCall(TSSolve(ts, X));
    PetscCall(TSGetConvergedReason(ts, &reason));
    PetscCall(TSGetTime(ts, &t));
    PetscCheck(reason >= 0, comm, PETSC_ERR_NOT_CONVERGED,
               "time integration failed at t = %g: %s (try a smaller -ts_dt, other -ts_rtol/-ts_atol, or an implicit "
               "-ts_type)",
               (double)t, TSConvergedReasons[reason]);
    eps = 100 * PETSC_MACHINE_EPSILON * PetscMax(1.0, PetscAbsReal(t_sample));
    if (t >= t_sample - eps || reason == TS_CONVERGED_ITS) {
      PetscCall(NdTimeseriesRecord(sys, &series, t, X));
      k = (PetscInt)PetscFloorReal((t - t0) / sample_dt + 0.5) + 1;
    }
    if (progress && t >= next_report) {
      PetscCall(PetscTime(&wall));
      PetscCall(TSGetStepNumber(ts, &steps));
      PetscCall(PetscPrintf(comm, "  t = %-10g %3.0f%%  %" PetscInt_FMT " steps  %.2f s wall\n", (double)t,
                            (double)(100 * (t - t0) / (tend - t0)), steps, (double)(wall - wall0)));
      next_report += 0.1 * (tend - t0);
    }
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_INTEGRATE, 0, 0, 0, 0));
  PetscCall(TSSetMaxTime(ts, tend));
  PetscCall(NdTimeseriesDestroy(sys, &series));
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
