/* Bordered matrices [[A, b], [c^T, d]] and the vectors they act on.
   An "extended" vector appends one scalar to a distributed vector; the scalar is the last
   local entry of rank 0, so every rank keeps its own rows and no data moves. */
#ifndef NEURODYN_BORDEREDIMPL_H
#define NEURODYN_BORDEREDIMPL_H

#include <petscksp.h>
#include <neurodyn/core.h>

PETSC_EXTERN PetscErrorCode NdExtendedVecCreate(Vec, Vec *);
PETSC_EXTERN PetscErrorCode NdExtendedVecSplit(Vec, Vec, PetscReal *);
PETSC_EXTERN PetscErrorCode NdExtendedVecJoin(Vec, PetscReal, Vec);

/* M = [[A, b], [c^T, d]] for assembled AIJ A; *M is created on first use and refilled after */
PETSC_EXTERN PetscErrorCode NdBorderedMatrixAssemble(Mat, Vec, Vec, PetscReal, Mat *);
/* With ksp's operator the bordered matrix M = [[B, b], [c^T, 0]] of a minimally augmented system:
   v and g from M [v; g] = [0; 1], w from M^T [w; h] = [0; 1] (rhs, sol: work in M's layout); g = 0
   exactly where B is singular, v and w then its right and left null vectors. An error names what
   (a string) when a solve fails. */
PETSC_EXTERN PetscErrorCode NdBorderedNullVectors(KSP, Vec, Vec, Vec, Vec, PetscReal *, const char[]);

#endif
