/* NdOutput: one HDF5 file per run, written collectively with MPI-IO. Holds /provenance, the
   datasets of a run, and a root attribute `complete` (0 until NdOutputMarkComplete). Options
   -output FILE. NdOutputOpen creates the file; the first write opens it if that was not called. NdDataset: an
   extendible dataset appended row by row (buffered, collective). */
#ifndef NEURODYN_OUTPUT_H
#define NEURODYN_OUTPUT_H

#include <neurodyn/core.h>
#include <stdint.h>
#include <neurodyn/system.h>

typedef struct _p_NdOutput  *NdOutput;
typedef struct _n_NdDataset *NdDataset;

PETSC_EXTERN PetscErrorCode NdOutputCreate(MPI_Comm, NdOutput *);
PETSC_EXTERN PetscErrorCode NdOutputSetFileName(NdOutput, const char[]);
PETSC_EXTERN PetscErrorCode NdOutputGetFileName(NdOutput, const char *[]);
/* Whether NdOutputOpen() may replace an existing file (default: no, an error naming the file;
   -overwrite) */
PETSC_EXTERN PetscErrorCode NdOutputSetOverwrite(NdOutput, PetscBool);
PETSC_EXTERN PetscErrorCode NdOutputSetCommandLine(NdOutput, int, char *const[]);
PETSC_EXTERN PetscErrorCode NdOutputSetFromOptions(NdOutput);
PETSC_EXTERN PetscErrorCode NdOutputOpen(NdOutput);
PETSC_EXTERN PetscErrorCode NdOutputMarkComplete(NdOutput);
PETSC_EXTERN PetscErrorCode NdOutputView(NdOutput, PetscViewer);
PETSC_EXTERN PetscErrorCode NdOutputDestroy(NdOutput *);
PETSC_EXTERN PetscBool      NdOutputCloseAll(void);

/* Attributes on a group (created with its parents when missing); identical on every rank */
PETSC_EXTERN PetscErrorCode NdOutputWriteAttributeString(NdOutput, const char[], const char[], const char[]);
/* The time unit ("ms", "1") that units declared as "T", "1/T", "rad/T" are written in (set by
   NdSystemWriteDescription(); until then units are written as declared) */
PETSC_EXTERN PetscErrorCode NdOutputSetTimeUnit(NdOutput, const char[]);
PETSC_EXTERN PetscErrorCode NdOutputWriteAttributeReal(NdOutput, const char[], const char[], PetscReal);
PETSC_EXTERN PetscErrorCode NdOutputWriteAttributeInt(NdOutput, const char[], const char[], PetscInt);
PETSC_EXTERN PetscErrorCode NdOutputWriteScalar(NdOutput, const char[], PetscReal, const char[]);
/* A distributed vector as one row (1 x N), each rank writing its entries */
PETSC_EXTERN PetscErrorCode NdOutputWriteVecRow(NdOutput, const char[], Vec, const char[]);

/* A dataset of rows: 1-D (ncols global = 1, scalar) or 2-D (rows x ncols), each rank owning
   the columns [cstart, cstart + nlocal). Rows are buffered and written collectively. */
PETSC_EXTERN PetscErrorCode NdOutputCreateDataset(NdOutput, const char[], PetscInt, PetscInt, PetscBool, const char[],
                                                  NdDataset *);
PETSC_EXTERN PetscErrorCode NdDatasetAppendRow(NdDataset, const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdDatasetAppendVec(NdDataset, Vec);
PETSC_EXTERN PetscErrorCode NdDatasetFlush(NdDataset);
PETSC_EXTERN PetscErrorCode NdDatasetDestroy(NdDataset *);

/* Whole arrays of shape (rows, cols), or (rows,) for cols = 0, or (rows, 0) for
   cols = ND_NO_COLUMNS, each rank writing its block of rows [rstart, rstart + nlocal)
   collectively; the Shared variant: the same data on every rank. */
#define ND_NO_COLUMNS (-1)
PETSC_EXTERN PetscErrorCode NdOutputWriteArray(NdOutput, const char[], PetscInt64, PetscInt, PetscInt64, PetscInt64,
                                               const PetscReal[], const char[]);
PETSC_EXTERN PetscErrorCode NdOutputWriteArrayInt64(NdOutput, const char[], PetscInt64, PetscInt, PetscInt64,
                                                    PetscInt64, const int64_t[], const char[]);
PETSC_EXTERN PetscErrorCode NdOutputWriteSharedArray(NdOutput, const char[], PetscInt64, PetscInt, const PetscReal[],
                                                     const char[]);

/* Append each rank's entries (in rank order) to a 1-D dataset that grows with every call */
PETSC_EXTERN PetscErrorCode NdOutputAppendArray(NdOutput, const char[], PetscInt64, const PetscReal[], const char[]);
PETSC_EXTERN PetscErrorCode NdOutputAppendArrayInt64(NdOutput, const char[], PetscInt64, const int64_t[], const char[]);

/* A user's dense array 'file.h5:/path' (1-D or 2-D plain dataset), read on rank 0 and broadcast */
PETSC_EXTERN PetscErrorCode NdReadDenseArray(MPI_Comm, const char[], PetscInt *, PetscInt *, PetscReal **);

/* A user's matrix 'file.h5:/path' (a CSR group indptr, indices, data, shape, or a dense 2-D
   dataset; rows are postsynaptic): its shape, checked on rank 0; whether its group holds an array
   beside data; rows [rstart, rstart + n) as local CSR (global columns) with the values of an
   array ("data", or e.g. "delays"). The first string names the option, for messages; the
   default path is used when the spec has none. */
PETSC_EXTERN PetscErrorCode NdReadMatrixShape(MPI_Comm, const char[], const char[], const char[], PetscInt *,
                                              PetscInt *);
PETSC_EXTERN PetscErrorCode NdReadSquareMatrixSize(MPI_Comm, const char[], const char[], const char[], PetscInt *);
PETSC_EXTERN PetscErrorCode NdReadMatrixHasArray(MPI_Comm, const char[], const char[], const char[], PetscBool *);
PETSC_EXTERN PetscErrorCode NdReadMatrixRows(MPI_Comm, const char[], const char[], const char[], const char[], PetscInt,
                                             PetscInt, PetscInt, PetscInt **, PetscInt **, PetscScalar **);
/* The first count PetscInts of a PETSc binary file (class id, sizes; big-endian at the width of
   this PETSc's PetscInt); false if the file cannot be read that far. Local, for rank-0 checks. */
PETSC_EXTERN PetscBool NdReadPetscBinaryHeader(const char[], size_t, long long[]);
/* Local CSR rows (n, ia, ja, va) with each row's columns sorted and a column given twice entered
   once with the sum of its values (scipy's meaning of such a CSR); the arrays are compacted in
   place and *nduplicates counts the entries merged on this rank */
PETSC_EXTERN PetscErrorCode NdMatrixRowsSumDuplicates(PetscInt, PetscInt[], PetscInt[], PetscScalar[], PetscInt *);

/* Sampled integration of a system into /timeseries (t, each variable, and the stimulus I), with
   checkpoints in /checkpoint (include/neurodyn/checkpoint.h, docs/checkpoint.md) */
typedef struct {
  PetscReal   sample_dt;           /* sampling interval of /timeseries */
  PetscBool   progress;            /* progress lines on rank 0 */
  PetscReal   checkpoint_interval; /* simulated time between checkpoints; 0: only on SIGTERM/SIGUSR1 */
  const char *restart;             /* continue from the checkpoint in this file (NULL or "": start afresh) */
} NdIntegrateSettings;
PETSC_EXTERN PetscErrorCode NdSystemIntegrate(NdSystem, TS, Vec, const NdIntegrateSettings *, NdOutput, int *);
PETSC_EXTERN PetscErrorCode NdSystemWriteDescription(NdSystem, NdOutput);
/* The unit of a whole state vector: that of its variables when they share one, else "" (mixed:
   /system/variable_units gives each) */
PETSC_EXTERN PetscErrorCode NdSystemGetStateUnit(NdSystem, char[], size_t);
/* A state vector (a fixed point) as one row at path, with its unit when it has one */
PETSC_EXTERN PetscErrorCode NdSystemWriteState(NdSystem, NdOutput, const char[], Vec);

#endif
