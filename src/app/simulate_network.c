/* neurodyn simulate with -net_*: run a spiking network; spikes, rates and observables to HDF5. */
#include <neurodyn/app.h>
#include <neurodyn/network.h>
#include <neurodyn/checkpoint.h>

PetscErrorCode NdCommandSimulateNetwork(const NdCommandLine *cl)
{
  MPI_Comm             comm = PETSC_COMM_WORLD;
  NdNetwork            net;
  TS                   ts;
  NdOutput             out;
  PetscReal            t0, dt, tend;
  NdNetworkRunSettings settings                    = {0};
  char                 restart[PETSC_MAX_PATH_LEN] = "";
  int                  signum;
  PetscBool            quiet = PETSC_FALSE, help, sset, rset;
  PetscLogDouble       wall0, wall1, wbuild;
  PetscInt             N;
  PetscInt64           nsyn, bytes, implicit;
  const char          *name;

  PetscFunctionBegin;
  PetscCall(PetscTime(&wall0));
  PetscCall(NdInitializePackage());
  PetscCall(PetscLogStagePush(ND_STAGE_SETUP));
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(NdNetworkCreate(comm, &net));
  PetscCall(NdNetworkCreateTSFromOptions(net, &ts));
  PetscCall(TSGetTime(ts, &t0));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetMaxTime(ts, &tend));
  PetscCall(NdNetworkSetFromOptions(net));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscOptionsBegin(comm, NULL, "Network simulation options", "neurodyn simulate");
  PetscCall(PetscOptionsReal("-sample_dt",
                             "Sampling interval of /observables (default: 1/1000 of the run, whole steps)",
                             "NdNetworkSimulate", settings.sample_dt, &settings.sample_dt, &sset));
  PetscCall(PetscOptionsReal("-rate_dt", "Bin width of the population rates /rates (default: 10 steps)",
                             "NdNetworkSimulate", settings.rate_dt, &settings.rate_dt, &rset));
  PetscCall(NdCheckpointOptions(PetscOptionsObject, &settings.checkpoint_interval, restart, sizeof(restart)));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No progress or summary lines", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    if (!sset) settings.sample_dt = dt * PetscMax(1, PetscFloorReal((tend - t0) / dt / 1000 + 0.5));
    if (!rset) settings.rate_dt = 10 * dt;
    if (restart[0]) PetscCall(NdCheckRestartNotOutput(restart, out));
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
  PetscCall(NdNetworkGetImplicitSynapses(net, &implicit));
  if (!quiet)
    PetscCall(PetscPrintf(comm,
                          "neurodyn: network of %" PetscInt_FMT " neurons, %" PetscInt64_FMT
                          " synapses (%" PetscInt64_FMT " in the delivery tables, %.1f bytes each) built in %.2f s\n",
                          N, nsyn + implicit, nsyn, nsyn ? (double)bytes / (double)nsyn : 0.0,
                          (double)(wbuild - wall0)));
  PetscCall(PetscLogStagePush(ND_STAGE_RUN));
  settings.progress = (PetscBool)!quiet;
  settings.restart  = restart;
  PetscCall(NdNetworkSimulate(net, ts, out, &settings, &signum));
  PetscCall(PetscLogStagePop());
  if (!signum) PetscCall(NdOutputMarkComplete(out)); /* stopped by a signal: checkpointed, not complete */
  PetscCall(PetscTime(&wall1));
  PetscCall(NdOutputGetFileName(out, &name));
  if (!quiet && !signum)
    PetscCall(NdNetworkPrintSummary(net, (PetscReal)(wall1 - wbuild), (PetscReal)(wbuild - wall0), name));
  if (!signum) PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(PetscStrncpy(restart, name, sizeof(restart))); /* the file name outlives out */
  PetscCall(TSGetTime(ts, &tend));
  PetscCall(TSDestroy(&ts));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdNetworkDestroy(&net));
  /* a collective error after a clean close: one line, non-zero exit on every rank */
  PetscCheck(!signum, comm, PETSC_ERR_SIG,
             "stopped by %s at t = %g; checkpoint written to %s (not complete): continue with -restart %s",
             NdSignalName(signum), (double)tend, restart, restart);
  PetscFunctionReturn(PETSC_SUCCESS);
}
