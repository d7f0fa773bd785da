/* The neurodyn executable: parse the command, hand the options to PETSc/SLEPc, dispatch, and
   report errors as one line with a non-zero exit on every rank (src/core/errors.c). */
#include <unistd.h>
#include <slepcsys.h>
#include <neurodyn/neurodyn.h>

static const char help[] = "neurodyn: dynamics of neural networks from spikes to bifurcations.\n"
                           "usage: neurodyn <command> [input.yaml] [-option value ...]\n\n";

int main(int argc, char **argv)
{
  NdCommandLine    cl;
  const NdCommand *command;
  char             msg[1024];
  int              rank, status;
  PetscErrorCode   ierr;

  MPI_Init(&argc, &argv); /* first, so that argument errors are printed once, by rank 0 */
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (argc >= 2 && (!strcmp(argv[1], "-help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    if (rank == 0) NdPrintUsage(stdout);
    MPI_Finalize();
    return 0;
  }
  if (NdCommandLineParse(argc, argv, &cl, &command, msg, sizeof(msg))) {
    if (rank == 0) fprintf(stderr, "neurodyn: error: %s\n", msg);
    NdCommandLineFree(&cl);
    MPI_Finalize();
    return 1;
  }
  if (NdCommandLineHasOption(&cl, "help") || NdCommandLineHasOption(&cl, "h")) NdHelpCollectBegin(help);
  ierr = SlepcInitialize(&cl.petsc_argc, &cl.petsc_argv, NULL, help);
  if (ierr) {
    if (rank == 0)
      fprintf(stderr, "neurodyn: error: could not initialise PETSc/SLEPc (see PETSc's message above; a bad "
                      "-options_file?)\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  ierr = NdErrorHandlerPush();
  /* SIGTERM and SIGUSR1 only set a flag: each command stops at its next safe point with one error
     line and its output readable (complete = 0) or absent (include/neurodyn/checkpoint.h) */
  if (!ierr) ierr = NdCheckpointSignalsInstall();
  if (!ierr) ierr = NdCommandLineCheckValues();
  if (!ierr) ierr = command->run(&cl);
  NdHelpCollectEnd(); /* with -help: neurodyn's options, then PETSc's */
  status = 0;
  if (ierr) {
    status = 1;
    if (!NdErrorReport(ierr)) NdErrorAbort(); /* may have failed on one rank only: MPI_Abort */
    if (!NdOutputCloseAll()) _exit(status);   /* stderr is unbuffered: the message is out */
  }
  /* a second signal, or mpiexec's SIGTERM after another rank's error, must not kill a rank while
     it ends: PETSc's finalize would reset SIGTERM to the default */
  NdCheckpointSignalsBeforeFinalize();
  NdErrorBeforeFinalize();
  (void)SlepcFinalize();
  NdCommandLineFree(&cl);
  MPI_Finalize();
  if (status) { /* a failed command returned at its error without destroying its objects: end here,
                   without the exit handlers (LeakSanitizer's check among them, make asan), whose
                   work is done or not needed */
    fflush(NULL);
    _exit(status);
  }
  return status;
}
