/* Matrix files of other formats than HDF5, for src/output/matrixfile.c */
#ifndef NEURODYN_MATRIXFILEIMPL_H
#define NEURODYN_MATRIXFILEIMPL_H

#include <neurodyn/output.h>

/* PETSc binary matrices (src/output/matrixbinary.c): whether a file is one (by its class id); its
   shape, with msg set on any problem (rank 0, before any rank reads); and rows [rstart, rstart + n)
   as local CSR with global columns, setting bad[0] for a column outside [0, N) and bad[2] for a
   value that is not finite (bad[1], an aligned array of another length, does not arise) */
PETSC_INTERN PetscBool      NdIsPetscBinaryMatrix(const char[]);
PETSC_INTERN void           NdInspectPetscBinary(const char[], const char[], long long[2], char[], size_t);
PETSC_INTERN PetscErrorCode NdReadPetscBinaryRows(const char[], PetscInt, PetscInt, PetscInt, PetscInt **, PetscInt **,
                                                  PetscScalar **, PetscInt[3]);

#endif
