/* NdOutput: one HDF5 file per run, written collectively with MPI-IO. Holds /provenance, the
   datasets of a run, and a root attribute `complete` (0 until NdOutputMarkComplete). Options
   -output FILE. NdOutputOpen creates the file; the first write opens it if that was not called. NdDataset: an
   extendible dataset appended row by row (buffered, collective). */
#ifndef NEURODYN_OUTPUT_H
#define NEURODYN_OUTPUT_H

#include <neurodyn/core.h>
#include <stdint.h>

typedef struct _p_NdOutput *NdOutput;

PETSC_EXTERN PetscClassId  ND_OUTPUT_CLASSID;
PETSC_EXTERN PetscLogEvent ND_EVENT_RECORD;     /* sampling observables into buffers */
PETSC_EXTERN PetscLogEvent ND_EVENT_WRITE;      /* HDF5 output */
PETSC_EXTERN PetscLogEvent ND_EVENT_CHECKPOINT; /* writing a checkpoint (/checkpoint of the output) */
/* The output component's class and events; HDF5's own error printing silenced (idempotent) */
PETSC_EXTERN PetscErrorCode  NdOutputInitializePackage(void);
PETSC_EXTERN PetscErrorCode  NdOutputFinalizePackage(void);
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
/* v <- the 1-D HDF5 dataset file.h5:/path, or the PETSc binary vector file (length N; option
   names the option in messages) */
PETSC_EXTERN PetscErrorCode NdVecLoadFile(const char[], const char[], Vec);

/* The first count PetscInts of a PETSc binary file (class id, sizes; big-endian at the width of
   this PETSc's PetscInt); false if the file cannot be read that far. Local, for rank-0 checks. */
PETSC_EXTERN PetscBool NdReadPetscBinaryHeader(const char[], size_t, long long[]);
/* Local CSR rows (n, ia, ja, va) with each row's columns sorted and a column given twice entered
   once with the sum of its values (scipy's meaning of such a CSR); the arrays are compacted in
   place and *nduplicates counts the entries merged on this rank */
PETSC_EXTERN PetscErrorCode NdMatrixRowsSumDuplicates(PetscInt, PetscInt[], PetscInt[], PetscScalar[], PetscInt *);

/* An HDF5 file read on one rank (local, not collective): for checks on rank 0 of a user's or an
   earlier run's file and for each rank's reads of its part. Open gives NULL when the file cannot
   be opened as HDF5 (no error: the caller words the message). GetShape: whether path is a dataset
   of real numbers (exists), its rank (1 or 2) and dims. Read: a block of a 1-D or 2-D dataset
   (offset, count: ndims entries each; NULL: the whole) as doubles. */
typedef struct _n_NdInputFile *NdInputFile;
PETSC_EXTERN PetscErrorCode    NdInputFileOpen(const char[], NdInputFile *);
PETSC_EXTERN PetscErrorCode    NdInputFileGetShape(NdInputFile, const char[], PetscBool *, PetscInt *, PetscInt64[]);
PETSC_EXTERN PetscErrorCode    NdInputFileRead(NdInputFile, const char[], const PetscInt64[], const PetscInt64[],
                                               PetscReal[]);
PETSC_EXTERN PetscErrorCode    NdInputFileClose(NdInputFile *);
/* The names of the links in group path (at most max, allocated; the caller frees them): *n = -1
   when path is not a group */
PETSC_EXTERN PetscErrorCode NdInputFileListGroup(NdInputFile, const char[], PetscInt, PetscInt *, char *[]);
/* A string attribute of the object at path: *exists false when the object or a string attribute
   of that name is missing */
PETSC_EXTERN PetscErrorCode NdInputFileGetAttributeString(NdInputFile, const char[], const char[], char[], size_t,
                                                          PetscBool *);

#endif
