/* Bordered matrices [[A, b], [c^T, d]] and the vectors they act on.
   An "extended" vector appends one scalar to a distributed vector; the scalar is the last
   local entry of rank 0, so every rank keeps its own rows and no data moves. */
#ifndef NEURODYN_BORDEREDIMPL_H
#define NEURODYN_BORDEREDIMPL_H

#include <petscmat.h>
#include <neurodyn/core.h>

PETSC_EXTERN PetscErrorCode NdExtendedVecCreate(Vec, Vec *);
PETSC_EXTERN PetscErrorCode NdExtendedVecSplit(Vec, Vec, PetscReal *);
PETSC_EXTERN PetscErrorCode NdExtendedVecJoin(Vec, PetscReal, Vec);

/* M = [[A, b], [c^T, d]] for assembled AIJ A; *M is created on first use and refilled after */
PETSC_EXTERN PetscErrorCode NdBorderedMatrixAssemble(Mat, Vec, Vec, PetscReal, Mat *);

#endif
