/* neurodyn simulate: integrate a system with PETSc TS, sampling into /timeseries of an HDF5 file;
   with -net_populations, run a spiking network instead (simulate_network.c), unless -sys_type is
   on the command line. */
#include <sys/stat.h>
#include <neurodyn/app.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/output.h>
#include <neurodyn/network.h>

/* -restart FILE must not be the output, which is created anew (the checkpoint would be lost) */
PetscErrorCode NdCheckRestartNotOutput(const char restart[], NdOutput out)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)out);
  PetscMPIInt rank;
  const char *name;
  struct stat a, b;
  char        msg[2 * PETSC_MAX_PATH_LEN] = "";

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdOutputGetFileName(out, &name));
  if (!rank && (!strcmp(restart, name) ||
                (!stat(restart, &a) && !stat(name, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)))
    PetscCall(PetscSNPrintf(msg, sizeof(msg),
                            "-restart %s is the output file: write the continued run to another file with -output",
                            restart));
  PetscCall(NdRootCheck(comm, PETSC_ERR_USER_INPUT, msg, sizeof(msg)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -checkpoint_interval and -restart, inside PetscOptionsBegin/End (systems and networks) */
PetscErrorCode NdCheckpointOptions(NdOptionItems PetscOptionsObject, PetscReal *interval, char restart[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(PetscOptionsReal("-checkpoint_interval",
                             "Simulated time between checkpoints in /checkpoint (0: only on SIGTERM/SIGUSR1)",
                             "simulate", *interval, interval, NULL));
  PetscCall(PetscOptionsString("-restart", "Continue from the checkpoint in this output file of an earlier run",
                               "simulate", restart, restart, len, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandSimulate(const NdCommandLine *cl)
{
  MPI_Comm            comm = PETSC_COMM_WORLD;
  NdSystem            sys;
  TS                  ts;
  Vec                 X;
  NdOutput            out;
  PetscReal           tend, t, wall0, wall1;
  PetscBool           quiet                       = PETSC_FALSE, help, set;
  char                restart[PETSC_MAX_PATH_LEN] = "";
  int                 signum;
  NdIntegrateSettings settings = {0};
  PetscInt            steps;
  const char         *name;
  NdSystemType        type;

  PetscFunctionBegin;
  /* a network (-net_populations) unless -sys_type is given on the command line: one input file can
     hold a network and its mass model (e.g. mif and markov_ei), and each run ignores the other's keys */
  PetscCall(NdNetworkOptionsPresent(&set));
  if (set && !NdCommandLineHasOption(cl, "sys_type")) {
    static const char *const system_keys[] = {"sys_", "params_", "init_", NULL};
    NdCommandLineSetOtherModePrefixes(system_keys);
    PetscCall(NdCommandSimulateNetwork(cl));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCheck(!(NdCommandLineHasOption(cl, "sys_type") && NdCommandLineHasOption(cl, "net_populations")),
             PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "give -sys_type (a system) or -net_populations (a spiking network) on the command line, not both");
  if (set) {
    static const char *const network_keys[] = {"net_", "rate_dt", NULL};
    NdCommandLineSetOtherModePrefixes(network_keys);
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
                             "NdSystemIntegrate", settings.sample_dt, &settings.sample_dt, &set));
  PetscCall(NdCheckpointOptions(PetscOptionsObject, &settings.checkpoint_interval, restart, sizeof(restart)));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No progress or summary lines", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscReal t0;
    PetscCall(TSGetTime(ts, &t0));
    if (!set) settings.sample_dt = (tend - t0) / 1000; /* NdSystemIntegrate checks the end time and sample_dt */
    if (restart[0]) PetscCall(NdCheckRestartNotOutput(restart, out));
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
  settings.progress = (PetscBool)!quiet;
  settings.restart  = restart;
  PetscCall(NdSystemIntegrate(sys, ts, X, &settings, out, &signum));
  PetscCall(NdSystemWriteDescription(sys, out));
  if (!signum) PetscCall(NdOutputMarkComplete(out)); /* stopped by a signal: checkpointed, not complete */

  PetscCall(PetscTime(&wall1));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetStepNumber(ts, &steps));
  PetscCall(NdOutputGetFileName(out, &name));
  PetscCall(PetscStrncpy(restart, name, sizeof(restart))); /* the file name outlives out */
  PetscCall(NdSystemGetType(sys, &type));
  if (!quiet && !signum)
    PetscCall(PetscPrintf(comm, "neurodyn: simulated %s to t = %g in %" PetscInt_FMT " steps, %.2f s; wrote %s\n", type,
                          (double)t, steps, (double)(wall1 - wall0), name));
  if (!signum) PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(VecDestroy(&X));
  PetscCall(TSDestroy(&ts));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  /* a collective error after a clean close: one line, non-zero exit on every rank */
  PetscCheck(!signum, comm, PETSC_ERR_SIG,
             "stopped by %s at t = %g; checkpoint written to %s (not complete): continue with -restart %s",
             NdSignalName(signum), (double)t, restart, restart);
  PetscFunctionReturn(PETSC_SUCCESS);
}
