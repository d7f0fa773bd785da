/* Checkpoints: the state a run needs to continue, written in parallel into the /checkpoint group
   of its output file, and read back by a run started with -restart FILE (docs/checkpoint.md).

   Writing (collective on the output's communicator): NdCheckpointBegin, then any number of
   named distributed arrays (each rank gives the global length, its global offset and its
   entries, so a checkpoint read at another number of ranks is read by global index) and
   scalars, then NdCheckpointEnd, which replaces the previous /checkpoint in one step: a run
   killed while writing keeps its previous checkpoint.

   Reading (collective): NdCheckpointOpen checks the file and the kind of checkpoint once, on
   rank 0; then each rank reads the global range it owns now.

   Signals: NdCheckpointSignalsInstall makes SIGTERM and SIGUSR1 (what SLURM sends before the
   time limit) set a flag; NdCheckpointSignalReceived, called by every rank at the same point
   of each step, agrees on it (MPI_Allreduce), so that all ranks write a final checkpoint at
   the same step. Once a signal has been caught, NdCheckpointSignalsRestore keeps the handler:
   a second signal changes nothing. */
#ifndef NEURODYN_CHECKPOINT_H
#define NEURODYN_CHECKPOINT_H

#include <neurodyn/output.h>

typedef struct _n_NdCheckpointReader *NdCheckpointReader;

PETSC_EXTERN PetscErrorCode NdCheckpointBegin(NdOutput);
PETSC_EXTERN PetscErrorCode NdCheckpointWriteReal(NdOutput, const char[], PetscInt64, PetscInt64, PetscInt64,
                                                  const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdCheckpointWriteInt64(NdOutput, const char[], PetscInt64, PetscInt64, PetscInt64,
                                                   const int64_t[]);
PETSC_EXTERN PetscErrorCode NdCheckpointWriteScalarReal(NdOutput, const char[], PetscReal);
PETSC_EXTERN PetscErrorCode NdCheckpointWriteScalarInt64(NdOutput, const char[], int64_t);
PETSC_EXTERN PetscErrorCode NdCheckpointEnd(NdOutput, const char[]);

PETSC_EXTERN PetscErrorCode NdCheckpointOpen(MPI_Comm, const char[], const char[], NdCheckpointReader *);
PETSC_EXTERN PetscErrorCode NdCheckpointCheckSystemType(MPI_Comm, const char[], const char[]);
PETSC_EXTERN PetscErrorCode NdCheckpointGetFileName(NdCheckpointReader, const char *[]);
PETSC_EXTERN PetscErrorCode NdCheckpointGetSize(NdCheckpointReader, const char[], PetscInt64 *);
PETSC_EXTERN PetscErrorCode NdCheckpointReadReal(NdCheckpointReader, const char[], PetscInt64, PetscInt64, PetscReal[]);
PETSC_EXTERN PetscErrorCode NdCheckpointReadInt64(NdCheckpointReader, const char[], PetscInt64, PetscInt64, int64_t[]);
PETSC_EXTERN PetscErrorCode NdCheckpointReadScalarReal(NdCheckpointReader, const char[], PetscReal *);
PETSC_EXTERN PetscErrorCode NdCheckpointReadScalarInt64(NdCheckpointReader, const char[], int64_t *);
/* Rows [row0, row0 + nrows) and columns [col0, col0 + ncols) of a dataset anywhere in the file
   (a 1-D dataset has one column), e.g. to copy the recorded /timeseries into the new output */
PETSC_EXTERN PetscErrorCode NdCheckpointReadRecorded(NdCheckpointReader, const char[], PetscInt64, PetscInt64,
                                                     PetscInt64, PetscInt64, PetscReal[]);
/* Rows [0, rows) of a recorded dataset of the checkpoint's file, this rank's columns [col0, col0 + n),
   appended row by row to a dataset of the new output (collective) */
PETSC_EXTERN PetscErrorCode NdCheckpointCopyRecorded(NdCheckpointReader, const char[], PetscInt64, PetscInt64, PetscInt,
                                                     NdDataset);
PETSC_EXTERN PetscErrorCode NdCheckpointClose(NdCheckpointReader *);

PETSC_EXTERN PetscErrorCode NdCheckpointSignalsInstall(void);
PETSC_EXTERN PetscErrorCode NdCheckpointSignalReceived(MPI_Comm, int *);
PETSC_EXTERN PetscErrorCode NdCheckpointSignalsRestore(void);
/* Just before PetscFinalize: PETSc's signal handler popped and the flag-only handler of SIGTERM and
   SIGUSR1 kept, so that a second signal, or the SIGTERM mpiexec sends the other ranks when one
   exits non-zero, cannot kill a rank while it ends (exit 143) */
PETSC_EXTERN void        NdCheckpointSignalsBeforeFinalize(void);
PETSC_EXTERN const char *NdSignalName(int);
/* The executable installs the handler once at start. Commands without checkpoints (spectrum,
   response, covariance, binary) stop at safe points: NdSignalPending (local, no communication) lets a rank leave a loop
   of its own early; NdSignalStop (collective) ends the command with one error line naming what was stopped, leaving the
   output, if opened, readable with complete = 0. */
PETSC_EXTERN PetscBool      NdSignalPending(void);
PETSC_EXTERN PetscErrorCode NdSignalStop(MPI_Comm, NdOutput, const char[]);

#endif
