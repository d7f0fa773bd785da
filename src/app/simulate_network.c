/* neurodyn simulate with -net_*: run a spiking network; spikes, rates and observables to HDF5. */
#include <neurodyn/app.h>
#include <neurodyn/network.h>

PetscErrorCode NdCommandSimulateNetwork(const NdCommandLine *cl)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  NdNetwork      net;
  TS             ts;
  NdOutput       out;
  PetscReal      t0, dt, tend, sample_dt = 0, rate_dt = 0;
  PetscBool      quiet = PETSC_FALSE, help, sset, rset;
  PetscLogDouble wall0, wall1, wbuild;
  PetscInt       N;
  PetscInt64     nsyn, bytes;
  const char    *name;

  PetscFunctionBegin;
  PetscCall(PetscTime(&wall0));
  PetscCall(NdInitializePackage());
  PetscCall(PetscLogStagePush(ND_STAGE_SETUP));
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(NdNetworkCreate(comm, &net));
  PetscCall(NdNetworkCreateTS(net, &ts));
  PetscCall(TSSetFromOptions(ts));
  PetscCall(TSGetTime(ts, &t0));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetMaxTime(ts, &tend));
  PetscCall(NdNetworkSetTimeStep(net, t0, dt));
  PetscCall(NdNetworkSetFromOptions(net));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscOptionsBegin(comm, NULL, "Network simulation options", "neurodyn simulate");
  PetscCall(PetscOptionsReal("-sample_dt",
                             "Sampling interval of /observables (default: 1/1000 of the run, whole steps)",
                             "NdNetworkSimulate", sample_dt, &sample_dt, &sset));
  PetscCall(PetscOptionsReal("-rate_dt", "Bin width of the population rates /rates (default: 10 steps)",
                             "NdNetworkSimulate", rate_dt, &rate_dt, &rset));
  PetscCall(PetscOptionsBool("-quiet", "No progress or summary lines", "", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    if (!sset) sample_dt = dt * PetscMax(1, PetscFloorReal((tend - t0) / dt / 1000 + 0.5));
    if (!rset) rate_dt = 10 * dt;
    PetscCall(NdNetworkSetUp(net));
    PetscCall(NdNetworkViewFromOptions(net, NULL, "-net_view"));
  }
  NdErrorSetConfiguring(PETSC_FALSE);
  PetscCall(PetscLogStagePop());
  if (help) {
    PetscCall(TSDestroy(&ts));
    PetscCall(NdNetworkDestroy(&net));
    PetscCall(NdOutputDestroy(&out));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscTime(&wbuild));
  PetscCall(NdNetworkGetSizes(net, &N, &nsyn, &bytes));
  if (!quiet)
    PetscCall(PetscPrintf(comm,
                          "neurodyn: network of %" PetscInt_FMT " neurons, %" PetscInt64_FMT
                          " synapses (%.1f bytes each) built in %.2f s\n",
                          N, nsyn, nsyn ? (double)bytes / (double)nsyn : 0.0, (double)(wbuild - wall0)));
  PetscCall(PetscLogStagePush(ND_STAGE_RUN));
  PetscCall(NdNetworkSimulate(net, ts, out, sample_dt, rate_dt, (PetscBool)!quiet));
  PetscCall(PetscLogStagePop());
  PetscCall(NdOutputMarkComplete(out));
  PetscCall(PetscTime(&wall1));
  PetscCall(NdOutputGetFileName(out, &name));
  if (!quiet) PetscCall(NdNetworkPrintSummary(net, (PetscReal)(wall1 - wbuild), (PetscReal)(wbuild - wall0), name));
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(TSDestroy(&ts));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdNetworkDestroy(&net));
  PetscFunctionReturn(PETSC_SUCCESS);
}
