/* Counter-based random numbers (Random123 Philox4x32-10): a number is a pure function of
   (seed, stream, i, j), so a quantity drawn for item (i, j) is the same on any number of ranks. */
#ifndef NEURODYN_RNG_H
#define NEURODYN_RNG_H

#include <petscsys.h>

/* The four raw 32-bit words of Philox4x32-10 with key (seed, stream) and counter (i lo, i hi, j lo, j hi) */
PETSC_EXTERN void NdPhilox(PetscInt64 seed, PetscInt64 stream, PetscInt64 i, PetscInt64 j, unsigned int out[4]);
/* Uniform in the open interval (0, 1) */
PETSC_EXTERN PetscReal NdRandomUniform(PetscInt64 seed, PetscInt64 stream, PetscInt64 i, PetscInt64 j);
/* Standard normal (Box-Muller on the first two words) */
PETSC_EXTERN PetscReal NdRandomNormal(PetscInt64 seed, PetscInt64 stream, PetscInt64 i, PetscInt64 j);

#endif
