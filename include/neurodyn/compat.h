/* Small compatibility layer for the PETSc versions neurodyn supports (3.18 and newer). */
#ifndef NEURODYN_COMPAT_H
#define NEURODYN_COMPAT_H

#include <petscsys.h>

#if PETSC_VERSION_LT(3, 19, 0)
/* PETSc 3.19 introduced PETSC_SUCCESS; before that a successful call returned 0. */
#  define PETSC_SUCCESS 0
#endif

#if PETSC_VERSION_LT(3, 20, 0)
/* PETSc 3.20 renamed PetscValidPointer() (then deprecated) to PetscAssertPointer(). */
#  define PetscAssertPointer(h, arg) PetscValidPointer(h, arg)
#endif

/* The type of the options context in XSetFromOptions(): a pointer to a struct up to 3.22,
   itself a pointer typedef from 3.23 on. */
#if PETSC_VERSION_LT(3, 23, 0)
typedef PetscOptionItems *NdOptionItems;
#else
typedef PetscOptionItems NdOptionItems;
#endif

#endif
