/* neurodyn continue: continuation of equilibria (and fold curves) of a system, written to
   /branch/<k> of an HDF5 file. */
#include <neurodyn/app.h>
#include <neurodyn/continuation.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/private/hdf5util.h>

/* x <- the last sample of /timeseries/<variable> of a simulate output; each rank reads the
   columns of its own nodes. Internal variables, which are not recorded, keep their values. */
static PetscErrorCode NdReadFinalState(NdSystem sys, const char file[], Vec x)
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)sys);
  PetscMPIInt  rank;
  char         msg[PETSC_MAX_PATH_LEN + 256] = "";
  PetscInt     nvar, nnodes, nlocal, start;
  PetscScalar *xa;
  hid_t        f;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdSystemGetNumVariables(sys, &nvar));
  PetscCall(NdSystemGetNodes(sys, &nnodes, &nlocal, &start));
  if (rank == 0) { /* every problem with the file, reported once and collectively */
    f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) PetscCall(PetscSNPrintf(msg, sizeof(msg), "-cont_start: cannot open '%s' as HDF5", file));
    for (PetscInt i = 0; i < nvar && f >= 0 && !msg[0]; i++) {
      const char *name;
      char        path[128];
      hid_t       d, space;
      hsize_t     dims[2] = {0, 1};
      int         nd;
      PetscBool   recorded;
      PetscCall(NdSystemGetVariableRecorded(sys, i, &recorded));
      if (!recorded) continue;
      PetscCall(NdSystemGetVariableName(sys, i, &name));
      PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", name));
      if (H5Lexists(f, "/timeseries", H5P_DEFAULT) <= 0 || H5Lexists(f, path, H5P_DEFAULT) <= 0) {
        PetscCall(PetscSNPrintf(msg, sizeof(msg),
                                "-cont_start: '%s' has no %s (is it the output of a simulate run of the same system?)",
                                file, path));
        break;
      }
      d     = H5Dopen2(f, path, H5P_DEFAULT);
      space = H5Dget_space(d);
      nd    = H5Sget_simple_extent_ndims(space);
      H5Sget_simple_extent_dims(space, dims, NULL);
      if (dims[0] == 0 || (nd == 1 ? 1 : (PetscInt)dims[1]) != nnodes)
        PetscCall(PetscSNPrintf(
            msg, sizeof(msg),
            "-cont_start: %s in '%s' has %llu samples of %llu nodes; the system has %" PetscInt_FMT " nodes", path,
            file, (unsigned long long)dims[0], (unsigned long long)(nd == 1 ? 1 : dims[1]), nnodes));
      H5Sclose(space);
      H5Dclose(d);
    }
    if (f >= 0) H5Fclose(f);
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  NdCallHDF5Return(comm, f, H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT));
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt i = 0; i < nvar && nlocal > 0; i++) {
    const char *name;
    char        path[128];
    hid_t       d, space, mem;
    hsize_t     dims[2], offset[2], count[2] = {1, (hsize_t)nlocal};
    double     *buf;
    int         nd;
    PetscBool   recorded;
    PetscCall(NdSystemGetVariableRecorded(sys, i, &recorded));
    if (!recorded) continue;
    PetscCall(NdSystemGetVariableName(sys, i, &name));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", name));
    NdCallHDF5Return(comm, d, H5Dopen2(f, path, H5P_DEFAULT));
    NdCallHDF5Return(comm, space, H5Dget_space(d));
    nd = H5Sget_simple_extent_ndims(space);
    NdCallHDF5(comm, H5Sget_simple_extent_dims(space, dims, NULL));
    offset[0] = dims[0] - 1;
    offset[1] = (hsize_t)start;
    NdCallHDF5(comm, H5Sselect_hyperslab(space, H5S_SELECT_SET, offset, NULL, count, NULL));
    NdCallHDF5Return(comm, mem, H5Screate_simple(1, &count[1], NULL));
    PetscCall(PetscMalloc1(nlocal, &buf));
    (void)nd;
    NdCallHDF5(comm, H5Dread(d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buf));
    for (PetscInt n = 0; n < nlocal; n++) xa[n * nvar + i] = buf[n];
    PetscCall(PetscFree(buf));
    NdCallHDF5(comm, H5Sclose(mem));
    NdCallHDF5(comm, H5Sclose(space));
    NdCallHDF5(comm, H5Dclose(d));
  }
  PetscCall(VecRestoreArray(x, &xa));
  NdCallHDF5(comm, H5Fclose(f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandContinue(const NdCommandLine *cl)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  NdSystem       sys;
  NdContinuation cont;
  NdOutput       out;
  Vec            x0;
  PetscBool      help, start_set;
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
  PetscCall(PetscOptionsInt("-checkpoint_interval",
                            "New points of a branch between checkpoints in /checkpoint (0: only on SIGTERM/SIGUSR1)",
                            "NdContinuationSetCheckpointInterval", interval, &interval, NULL));
  PetscCall(PetscOptionsString("-restart", "Continue from the checkpoint in this output file of an earlier run",
                               "NdContinuationSetRestart", restart, restart, sizeof(restart), NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscCall(NdContinuationSetUp(cont));
    PetscCall(NdSystemCreateVector(sys, &x0));
    PetscCall(NdSystemGetInitialState(sys, x0));
    if (start_set) PetscCall(NdReadFinalState(sys, start, x0));
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
  PetscCall(PetscOptionsHasName(NULL, NULL, "-quiet", &help));
  if (!help) {
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
