/* neurodyn simulate: integrate a system with PETSc TS, sampling into /timeseries of an HDF5 file;
   with -net_populations, run a spiking network instead (simulate_network.c). */
#include <neurodyn/app.h>
#include <neurodyn/output.h>
#include <neurodyn/network.h>

PetscErrorCode NdCommandSimulate(const NdCommandLine *cl)
{
  MPI_Comm     comm = PETSC_COMM_WORLD;
  NdSystem     sys;
  TS           ts;
  Vec          X;
  NdOutput     out;
  PetscReal    sample_dt = 0, tend, t, wall0, wall1;
  PetscBool    quiet     = PETSC_FALSE, help, set;
  PetscInt     steps;
  const char  *name;
  NdSystemType type;

  PetscFunctionBegin;
  PetscCall(NdNetworkOptionsPresent(&set));
  if (set) {
    PetscCall(NdCommandSimulateNetwork(cl));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscTime(&wall0));
  PetscCall(NdInitializePackage()); /* registers the log events before the first is begun */
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscCall(NdSystemCreateTS(sys, &ts));
  PetscCall(TSSetFromOptions(ts));
  PetscCall(TSGetMaxTime(ts, &tend));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscOptionsBegin(comm, NULL, "Simulation options", "neurodyn simulate");
  PetscCall(PetscOptionsReal("-sample_dt", "Sampling interval of /timeseries (default: 1/1000 of the run)",
                             "NdSystemIntegrate", sample_dt, &sample_dt, &set));
  PetscCall(PetscOptionsBool("-quiet", "No progress or summary lines", "", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscReal t0;
    PetscCall(TSGetTime(ts, &t0));
    if (!set) sample_dt = (tend - t0) / 1000; /* NdSystemIntegrate checks the end time and sample_dt */
    PetscCall(NdSystemSetUp(sys));
    PetscCall(NdSystemViewFromOptions(sys, NULL, "-sys_view"));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  NdErrorSetConfiguring(PETSC_FALSE);
  if (help) {
    PetscCall(NdSystemDestroy(&sys));
    PetscCall(TSDestroy(&ts));
    PetscCall(NdOutputDestroy(&out));
    PetscFunctionReturn(PETSC_SUCCESS);
  }

  PetscCall(NdSystemCreateVector(sys, &X));
  PetscCall(NdSystemGetInitialState(sys, X));
  /* the file is created by the first dataset, after NdSystemIntegrate has checked its input */
  PetscCall(NdSystemIntegrate(sys, ts, X, sample_dt, out, (PetscBool)!quiet));
  PetscCall(NdSystemWriteDescription(sys, out));
  PetscCall(NdOutputMarkComplete(out));

  PetscCall(PetscTime(&wall1));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetStepNumber(ts, &steps));
  PetscCall(NdOutputGetFileName(out, &name));
  PetscCall(NdSystemGetType(sys, &type));
  if (!quiet)
    PetscCall(PetscPrintf(comm, "neurodyn: simulated %s to t = %g in %" PetscInt_FMT " steps, %.2f s; wrote %s\n", type,
                          (double)t, steps, (double)(wall1 - wall0), name));
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(VecDestroy(&X));
  PetscCall(TSDestroy(&ts));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
