/* neurodyn continue: continuation of equilibria (and fold curves) of a system, written to
   /branch/<k> of an HDF5 file. */
#include <neurodyn/app.h>
#include <neurodyn/continuation.h>
#include <neurodyn/checkpoint.h>

PetscErrorCode NdCommandContinue(const NdCommandLine *cl)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  NdSystem       sys;
  NdContinuation cont;
  NdOutput       out;
  Vec            x0;
  PetscBool      help, start_set, orbit, quiet = PETSC_FALSE;
  char           start[PETSC_MAX_PATH_LEN] = "", restart[PETSC_MAX_PATH_LEN] = "";
  PetscInt       interval = 0;
  int            signum;
  PetscLogDouble wall0, wall1;
  PetscInt       nspecial;

  PetscFunctionBegin;
  PetscCall(PetscTime(&wall0));
  PetscCall(NdInitializePackage());
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscCall(NdContinuationCreate(comm, &cont));
  PetscCall(NdContinuationSetSystem(cont, sys));
  PetscCall(NdContinuationSetFromOptions(cont));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-cont_start", start, sizeof(start), &start_set));
  PetscOptionsBegin(comm, NULL, "Checkpoints", "neurodyn continue");
  PetscCall(NdOptionsInt(PetscOptionsObject, "-checkpoint_interval",
                         "New points of a branch between checkpoints in /checkpoint (0: only on SIGTERM/SIGUSR1)", 0,
                         PETSC_MAX_INT, &interval, NULL));
  PetscCall(PetscOptionsString("-restart", "Continue from the checkpoint in this output file of an earlier run",
                               "NdContinuationSetRestart", restart, restart, sizeof(restart), NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscCall(NdContinuationSetUp(cont));
    PetscCall(NdSystemCreateVector(sys, &x0));
    PetscCall(NdSystemGetInitialState(sys, x0));
    { /* the types of periodic orbits take a recorded orbit to start from */
      PetscErrorCode (*setorbit)(void) = NULL;
      PetscCall(PetscObjectQueryFunction((PetscObject)cont, "NdContinuationSetStartOrbit_C", &setorbit));
      orbit = (PetscBool)(setorbit != NULL);
    }
    if (start_set && orbit) { /* periodic orbits start from the recorded orbit */
      PetscInt   n;
      PetscReal *t, *states;
      PetscCall(NdReadRecordedSeries(sys, start, "-cont_start", x0, &n, &t, &states));
      PetscCall(NdContinuationSetStartOrbit(cont, n, t, states));
      PetscCall(PetscFree(t));
      PetscCall(PetscFree(states));
    } else if (start_set)
      PetscCall(NdReadFinalState(sys, start, "-cont_start", x0));
    PetscCall(NdContinuationSetCheckpointInterval(cont, interval));
    if (restart[0]) {
      PetscCall(NdCheckRestartNotOutput(restart, out));
      PetscCall(NdContinuationSetRestart(cont, restart));
    }
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  if (help) {
    PetscCall(NdContinuationDestroy(&cont));
    PetscCall(NdSystemDestroy(&sys));
    PetscCall(NdOutputDestroy(&out));
    NdErrorSetConfiguring(PETSC_FALSE);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdContinuationSetOutput(cont, out)); /* the file is created by the first branch written */
  /* the start point's convergence is the user's input: its failure is reported as such */
  PetscCall(NdCheckpointSignalsInstall());
  PetscCall(NdContinuationSolve(cont, x0));
  PetscCall(NdCheckpointSignalsRestore());
  NdErrorSetConfiguring(PETSC_FALSE);
  PetscCall(NdContinuationGetSignal(cont, &signum));
  PetscCall(NdSystemWriteDescription(sys, out));
  if (signum) { /* checkpointed, not complete: one error line after a clean close */
    const char *name;
    PetscCall(NdOutputGetFileName(out, &name));
    PetscCall(PetscStrncpy(restart, name, sizeof(restart)));
    PetscCall(VecDestroy(&x0));
    PetscCall(NdContinuationDestroy(&cont));
    PetscCall(NdOutputDestroy(&out));
    PetscCall(NdSystemDestroy(&sys));
    SETERRQ(comm, PETSC_ERR_SIG, "stopped by %s; checkpoint written to %s (not complete): continue with -restart %s",
            NdSignalName(signum), restart, restart);
  }
  PetscCall(NdOutputMarkComplete(out));
  PetscCall(PetscTime(&wall1));
  PetscCall(NdContinuationGetNumSpecialPoints(cont, &nspecial));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-quiet", &quiet, NULL));
  if (!quiet) {
    const char *name;
    PetscCall(NdOutputGetFileName(out, &name));
    PetscCall(PetscPrintf(comm, "neurodyn: continuation done in %.2f s, %" PetscInt_FMT " labelled points; wrote %s\n",
                          (double)(wall1 - wall0), nspecial, name));
  }
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(VecDestroy(&x0));
  PetscCall(NdContinuationDestroy(&cont));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
