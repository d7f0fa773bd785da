/* Error policy of the executable.
   A user's mistake (bad option value, unknown type, missing file, ...) is detected identically
   on every rank, so it is reported once, by rank 0, as one line, and every rank exits cleanly
   with a non-zero status. Any other error that was raised on a communicator smaller than
   MPI_COMM_WORLD may have happened on one rank only: it is reported by that rank and the job is
   aborted with MPI_Abort, so that no rank is left waiting in a collective call. */
#include <neurodyn/core.h>

static struct {
  PetscBool      configuring; /* reading options: every rank sees the same options */
  PetscErrorCode code;
  PetscBool      collective;
  char           message[1024];
  char           where[256];
} NdFirstError;

void NdErrorSetConfiguring(PetscBool flag)
{
  NdFirstError.configuring = flag;
}

static PetscBool NdErrorIsUserInput(PetscErrorCode code)
{
  switch (code) {
  case PETSC_ERR_USER_INPUT:
  case PETSC_ERR_USER: /* PETSc's own: an unknown word for an enum option (PetscOptionsGetEList) */
  case PETSC_ERR_ARG_OUTOFRANGE:
  case PETSC_ERR_ARG_WRONG:
  case PETSC_ERR_ARG_UNKNOWN_TYPE:
  case PETSC_ERR_ARG_INCOMP:
  case PETSC_ERR_FILE_OPEN:
  case PETSC_ERR_FILE_READ:
  case PETSC_ERR_FILE_UNEXPECTED:
  case PETSC_ERR_NOT_CONVERGED: /* a solver that did not converge: the message says what to try */
    return PETSC_TRUE;
  default:
    return PETSC_FALSE;
  }
}

static PetscErrorCode NdErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode code,
                                     PetscErrorType type, const char *mess, void *ctx)
{
  PetscMPIInt comm_size = 1, world_size = 1;

  (void)ctx;
  if (type != PETSC_ERROR_INITIAL || NdFirstError.code) return code;
  if (comm != MPI_COMM_NULL) MPI_Comm_size(comm, &comm_size);
  MPI_Comm_size(PETSC_COMM_WORLD, &world_size);
  NdFirstError.code = code;
  NdFirstError.collective =
      (PetscBool)(comm_size == world_size || (NdFirstError.configuring && NdErrorIsUserInput(code)));
  snprintf(NdFirstError.message, sizeof(NdFirstError.message), "%s", mess && mess[0] ? mess : "(no message)");
  snprintf(NdFirstError.where, sizeof(NdFirstError.where), "%s() at %s:%d", fun ? fun : "?", file ? file : "?", line);
  return code;
}

PetscErrorCode NdErrorHandlerPush(void)
{
  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(NdErrorHandler, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Print the first error of the run. Returns PETSC_TRUE when every rank is known to have failed
   the same way (safe to finalize), PETSC_FALSE when the caller must MPI_Abort. */
PetscBool NdErrorReport(PetscErrorCode code)
{
  PetscMPIInt rank = 0;

  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (!NdFirstError.code) { /* an error that did not pass through PetscError() */
    NdFirstError.code = code;
    snprintf(NdFirstError.message, sizeof(NdFirstError.message), "failed with error code %d", (int)code);
  }
  if (NdFirstError.collective) {
    if (rank == 0) {
      if (NdErrorIsUserInput(NdFirstError.code) ||
          NdFirstError.code == PETSC_ERR_SIG) /* SIG: stopped and checkpointed */
        fprintf(stderr, "neurodyn: error: %s\n", NdFirstError.message);
      else
        fprintf(stderr, "neurodyn: error: %s [PETSc error %d in %s]\n", NdFirstError.message, (int)NdFirstError.code,
                NdFirstError.where);
    }
  } else {
    fprintf(stderr, "neurodyn: error on rank %d: %s [PETSc error %d in %s]\n", rank, NdFirstError.message,
            (int)NdFirstError.code, NdFirstError.where);
  }
  fflush(stderr);
  return NdFirstError.collective;
}

PetscErrorCode NdRootCheck(MPI_Comm comm, PetscErrorCode code, char msg[], size_t len)
{
  PetscFunctionBegin;
  PetscCallMPI(MPI_Bcast(msg, (int)len, MPI_CHAR, 0, comm));
  PetscCheck(!msg[0], comm, code, "%s", msg);
  PetscFunctionReturn(PETSC_SUCCESS);
}
