/* NdLinearization: the generic object and the ops of its types (src/spectrum/impls/). */
#ifndef NEURODYN_LINEARIZATIONIMPL_H
#define NEURODYN_LINEARIZATIONIMPL_H

#include <petsc/private/petscimpl.h>
#include <neurodyn/spectrum.h>
#include <neurodyn/checkpoint.h>

struct _NdLinearizationOps {
  PetscErrorCode (*setfromoptions)(NdLinearization, NdOptionItems); /* the type's options, in the object's block */
  PetscErrorCode (*setsolvers)(NdLinearization);      /* after that block: its solvers, which read their own options */
  PetscErrorCode (*setup)(NdLinearization);           /* after the system's set-up: checks that need N */
  PetscErrorCode (*solve)(NdLinearization, NdOutput); /* after the fixed point (or the Jacobian at x) */
  PetscErrorCode (*summary)(NdLinearization, char[], size_t);
  PetscErrorCode (*view)(NdLinearization, PetscViewer);
  PetscErrorCode (*destroy)(NdLinearization);
};

struct _p_NdLinearization {
  PETSCHEADER(struct _NdLinearizationOps);
  NdSystem       sys;
  SNES           snes;         /* the fixed point (-snes_*) */
  EPS            eps;          /* the rightmost eigenvalues (eigen) */
  Vec            x;            /* the fixed point, or the initial state when none is needed */
  Mat            A;            /* the Jacobian at x */
  PetscInt       N;            /* unknowns */
  const char    *start_option; /* the type's name of the option below (-spec_start, -resp_start, -cov_start) */
  char           start[PETSC_MAX_PATH_LEN]; /* Newton starts from the last state of this simulate output */
  PetscBool      fixed_point;               /* whether Solve finds x (else A is the Jacobian at the initial state) */
  PetscBool      setupcalled;
  PetscLogDouble fixed_point_seconds; /* the time Newton took */
  void          *data;
};

/* The output opened when the results are ready (so that a failure before leaves no file), with
   the system's description and, when path is given, the fixed point; nothing for out = NULL */
PETSC_INTERN PetscErrorCode NdLinearizationOpenOutput(NdLinearization, NdOutput, const char[]);
/* Whether the system is a rate network (the theories and the bulk radius are those of its J) */
PETSC_INTERN PetscErrorCode NdLinearizationCheckRate(NdLinearization, const char[], PetscBool *);

/* covariance -cov_theory linear_equivalent: the large-N cross-spectrum of a rate network at fixed
   J (docs/models/rate.md#theory-at-fixed-j), with a and S_r measured from a simulation or given
   (src/spectrum/impls/covariance/linearequivalent.c) */
typedef struct _n_NdLinearEquivalent *NdLinearEquivalent;
PETSC_INTERN PetscErrorCode           NdLinearEquivalentCreate(MPI_Comm, NdLinearEquivalent *);
PETSC_INTERN PetscErrorCode NdLinearEquivalentSetFromOptions(NdOptionItems, NdLinearEquivalent, PetscBool, PetscBool);
PETSC_INTERN PetscErrorCode NdLinearEquivalentCreateSolver(NdLinearEquivalent);
PETSC_INTERN PetscErrorCode NdLinearEquivalentIsOn(NdLinearEquivalent, PetscBool *, PetscBool *);
PETSC_INTERN PetscErrorCode NdLinearEquivalentNeedsFixedPoint(NdLinearEquivalent, PetscBool *);
PETSC_INTERN PetscErrorCode NdLinearEquivalentCompute(NdLinearEquivalent, NdSystem, Vec, Mat, PetscReal);
PETSC_INTERN PetscErrorCode NdLinearEquivalentWrite(NdLinearEquivalent, NdOutput);
PETSC_INTERN PetscErrorCode NdLinearEquivalentSummary(NdLinearEquivalent, char[], size_t);
PETSC_INTERN PetscErrorCode NdLinearEquivalentDestroy(NdLinearEquivalent *);

#endif
