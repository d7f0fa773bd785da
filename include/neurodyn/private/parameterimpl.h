/* A named real parameter with a unit, a default and a valid range: shared by NdSystem
   (-params_<name>) and the neuron models of NdNetwork (-net_<population>_<name>). */
#ifndef NEURODYN_PARAMETERIMPL_H
#define NEURODYN_PARAMETERIMPL_H

#include <neurodyn/core.h>

#define ND_NAME_LEN 32

/* A named parameter with its valid range (bounds may be open, i.e. strict). */
typedef struct {
  char      name[ND_NAME_LEN];
  char      unit[ND_NAME_LEN];
  char      description[128];
  PetscReal value, default_value, lower, upper;
  PetscBool lower_open, upper_open;
  PetscBool structural; /* changing it changes the state variables (e.g. tau_s = 0 or > 0 in mpr) */
  PetscBool integer;    /* whole numbers only (e.g. the integer voltages of mif and markov_ei) */
} NdParameter;

/* Append a parameter to the array *params of *n entries */
PETSC_EXTERN PetscErrorCode NdParameterAdd(PetscInt *, NdParameter **, const char[], PetscReal, const char[], PetscReal,
                                           PetscBool, PetscReal, PetscBool, const char[]);
/* "(0, 1]", ">= 0", "any": the valid range, for messages and listings; a bound at PETSC_MIN_REAL or
   PETSC_MAX_REAL is absent. NdRangeString takes lower, lower_open, upper, upper_open. */
PETSC_EXTERN PetscErrorCode NdRangeString(PetscReal, PetscBool, PetscReal, PetscBool, char[], size_t);
PETSC_EXTERN PetscErrorCode NdParameterRangeString(const NdParameter *, char[], size_t);
PETSC_EXTERN PetscBool      NdParameterInRange(const NdParameter *, PetscReal);
/* A user-input error on comm unless value is in the range of p (and whole, for an integer
   parameter); owner and option name the source */
PETSC_EXTERN PetscErrorCode NdParameterCheck(MPI_Comm, const NdParameter *, PetscReal, const char[], const char[]);

#endif
