/* NdContinuation: pseudo-arclength continuation of equilibria of an NdSystem in a parameter
   (type "equilibrium"), and of fold points in two parameters (type "fold"), with SLEPc spectra
   along the branch and located special points. Options prefix -cont_. */
#ifndef NEURODYN_CONTINUATION_H
#define NEURODYN_CONTINUATION_H

#include <slepceps.h>
#include <neurodyn/system.h>
#include <neurodyn/output.h>

typedef struct _p_NdContinuation *NdContinuation;
typedef const char               *NdContinuationType;
#define NDCONTINUATIONEQUILIBRIUM "equilibrium"
#define NDCONTINUATIONFOLD        "fold"
#define NDCONTINUATIONCYCLE       "cycle"    /* periodic orbits by orthogonal collocation */
#define NDCONTINUATIONPERIODIC    "periodic" /* the same */
#define NDCONTINUATIONSHOOTING    "shooting" /* periodic orbits by single shooting */
#define NDCONTINUATIONHOPF        "hopf"
#define NDCONTINUATIONLPC         "lpc" /* folds of cycles (LPC) in two parameters */
#define NDCONTINUATIONPD          "pd"  /* period doublings of cycles (PD) in two parameters */

PETSC_EXTERN PetscFunctionList NdContinuationList;
PETSC_EXTERN PetscBool         NdContinuationRegisterAllCalled; /* reset by NdContinuationFinalizePackage() */
PETSC_EXTERN PetscClassId      ND_CONTINUATION_CLASSID;
PETSC_EXTERN PetscLogEvent     ND_EVENT_CONTINUE; /* continuation steps (predictor, corrector, tangent) */
/* The continuation component: its class, event and types (idempotent) */
PETSC_EXTERN PetscErrorCode NdContinuationInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdContinuationFinalizePackage(void);

PETSC_EXTERN PetscErrorCode NdContinuationCreate(MPI_Comm, NdContinuation *);
PETSC_EXTERN PetscErrorCode NdContinuationSetType(NdContinuation, NdContinuationType);
PETSC_EXTERN PetscErrorCode NdContinuationSetSystem(NdContinuation, NdSystem);
PETSC_EXTERN PetscErrorCode NdContinuationSetOutput(NdContinuation, NdOutput);
PETSC_EXTERN PetscErrorCode NdContinuationSetFromOptions(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationSetUp(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationSolve(NdContinuation, Vec);
PETSC_EXTERN PetscErrorCode NdContinuationView(NdContinuation, PetscViewer);
PETSC_EXTERN PetscErrorCode NdContinuationDestroy(NdContinuation *);
PETSC_EXTERN PetscErrorCode NdContinuationRegister(const char[], PetscErrorCode (*)(NdContinuation));
PETSC_EXTERN PetscErrorCode NdContinuationRegisterAll(void);

/* Checkpoints of long continuation campaigns (docs/checkpoint.md): /checkpoint of the output
   every n new points of a branch (0: only on SIGTERM/SIGUSR1, which stop the run after the
   checkpoint; NdContinuationGetSignal tells which signal did); a run given a restart file (its
   checkpoint checked collectively before anything is written) resumes where that stopped */
PETSC_EXTERN PetscErrorCode NdContinuationSetCheckpointInterval(NdContinuation, PetscInt);
PETSC_EXTERN PetscErrorCode NdContinuationSetRestart(NdContinuation, const char[]);
PETSC_EXTERN PetscErrorCode NdContinuationGetSignal(NdContinuation, int *);

/* Periodic orbits (types cycle, periodic): start from a recorded orbit instead of a Hopf point:
   n samples at times t[] of this rank's part of the state (n x local size, row-major), e.g. a
   simulate run that ends on an attracting cycle. The period and a starting profile come from the
   second half of the samples. */
PETSC_EXTERN PetscErrorCode NdContinuationSetStartOrbit(NdContinuation, PetscInt, const PetscReal[], const PetscReal[]);

/* Special points found by the last NdContinuationSolve(): label ("LP", "HB", "CP", "EP"),
   parameter value(s) */
PETSC_EXTERN PetscErrorCode NdContinuationGetNumSpecialPoints(NdContinuation, PetscInt *);
PETSC_EXTERN PetscErrorCode NdContinuationGetSpecialPoint(NdContinuation, PetscInt, const char *[], PetscReal *,
                                                          PetscReal *);

#endif
