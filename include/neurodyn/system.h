/* NdSystem: a smooth dynamical system dx/dt = F(t, x; p) with named variables and parameters,
   an analytic Jacobian dF/dx and parameter derivatives dF/dp. Options prefix -sys_, parameters
   -params_<name>, initial values -init_<variable>. */
#ifndef NEURODYN_SYSTEM_H
#define NEURODYN_SYSTEM_H

#include <petscts.h>
#include <neurodyn/core.h>
#include <neurodyn/stimulus.h>
#include <neurodyn/output.h>

typedef struct _p_NdSystem *NdSystem;
typedef const char         *NdSystemType;
#define NDSYSTEMMPR          "mpr"
#define NDSYSTEMIZHMF        "izh_mf"
#define NDSYSTEMIZHMFSLOW    "izh_mf_slow"
#define NDSYSTEMRATE         "rate"
#define NDSYSTEMMARKOVEI     "markov_ei"
#define NDSYSTEMNODENETWORK  "node_network"
#define NDSYSTEMMPRSHOTNOISE "mpr_shotnoise"

PETSC_EXTERN PetscClassId      ND_SYSTEM_CLASSID;
PETSC_EXTERN PetscFunctionList NdSystemList;
PETSC_EXTERN PetscBool         NdSystemRegisterAllCalled; /* reset by NdSystemFinalizePackage() */
/* The system component: its class and types (and those of the components it uses); idempotent */
PETSC_EXTERN PetscErrorCode NdSystemInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdSystemFinalizePackage(void);

/* Type-specific: the rate network's effective-gain picture (docs/models/rate.md#theory-at-fixed-j) */
PETSC_EXTERN PetscErrorCode NdSystemRateGetMeanGain(NdSystem, Vec, PetscReal *);
PETSC_EXTERN PetscErrorCode NdSystemRateEffectiveJacobian(NdSystem, PetscReal, Mat);
PETSC_EXTERN PetscErrorCode NdSystemRateGetActivation(NdSystem, Vec, Vec);
PETSC_EXTERN PetscErrorCode NdSystemRateDMFT(NdSystem, PetscReal, PetscInt, const PetscReal[], PetscReal *, PetscReal *,
                                             PetscReal[], PetscReal[]);

PETSC_EXTERN PetscErrorCode NdSystemCreate(MPI_Comm, NdSystem *);
PETSC_EXTERN PetscErrorCode NdSystemSetType(NdSystem, NdSystemType);
PETSC_EXTERN PetscErrorCode NdSystemGetType(NdSystem, NdSystemType *);
PETSC_EXTERN PetscErrorCode NdSystemSetFromOptions(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemSetUp(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemView(NdSystem, PetscViewer);
PETSC_EXTERN PetscErrorCode NdSystemViewFromOptions(NdSystem, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode NdSystemDestroy(NdSystem *);
PETSC_EXTERN PetscErrorCode NdSystemSetOptionsPrefix(NdSystem, const char[]);
PETSC_EXTERN PetscErrorCode NdSystemRegister(const char[], PetscErrorCode (*)(NdSystem));
PETSC_EXTERN PetscErrorCode NdSystemRegisterAll(void);

/* Parameters, by name or by index */
PETSC_EXTERN PetscErrorCode NdSystemGetNumParameters(NdSystem, PetscInt *);
PETSC_EXTERN PetscErrorCode NdSystemGetParameterIndex(NdSystem, const char[], PetscInt *);
PETSC_EXTERN PetscErrorCode NdSystemGetParameterName(NdSystem, PetscInt, const char *[]);
PETSC_EXTERN PetscErrorCode NdSystemSetParameter(NdSystem, const char[], PetscReal);
PETSC_EXTERN PetscErrorCode NdSystemGetParameter(NdSystem, const char[], PetscReal *);

/* State layout: nvar variables per node, nodes distributed over the ranks */
PETSC_EXTERN PetscErrorCode NdSystemGetNumVariables(NdSystem, PetscInt *);
PETSC_EXTERN PetscErrorCode NdSystemGetVariableName(NdSystem, PetscInt, const char *[]);
/* false for internal variables (e.g. noise filters) that /timeseries does not record */
PETSC_EXTERN PetscErrorCode NdSystemGetVariableRecorded(NdSystem, PetscInt, PetscBool *);
PETSC_EXTERN PetscErrorCode NdSystemGetVariableUnit(NdSystem, PetscInt, char[], size_t);
PETSC_EXTERN PetscErrorCode NdSystemGetParameterUnit(NdSystem, PetscInt, char[], size_t);
PETSC_EXTERN PetscErrorCode NdSystemGetNodes(NdSystem, PetscInt *, PetscInt *, PetscInt *);
PETSC_EXTERN PetscErrorCode NdSystemGetTimeUnit(NdSystem, const char *[]);
PETSC_EXTERN PetscErrorCode NdSystemGetInputUnit(NdSystem, char[], size_t);
PETSC_EXTERN PetscErrorCode NdSystemCreateVector(NdSystem, Vec *);
PETSC_EXTERN PetscErrorCode NdSystemGetInitialState(NdSystem, Vec);

/* The stimulus I(t) entering the system */
PETSC_EXTERN PetscErrorCode NdSystemSetStimulus(NdSystem, NdStimulus);
PETSC_EXTERN PetscErrorCode NdSystemGetStimulus(NdSystem, NdStimulus *);

/* Evaluation */
PETSC_EXTERN PetscErrorCode NdSystemComputeRHS(NdSystem, PetscReal, Vec, Vec);
PETSC_EXTERN PetscErrorCode NdSystemCreateJacobianMatrix(NdSystem, Mat *);
PETSC_EXTERN PetscErrorCode NdSystemComputeJacobian(NdSystem, PetscReal, Vec, Mat);
PETSC_EXTERN PetscErrorCode NdSystemComputeParameterDerivative(NdSystem, PetscReal, Vec, PetscInt, Vec);
/* Stochastic systems dX = F dt + G dW with diagonal noise (sde.h): G at (t, X); HasNoise is false for ODEs */
PETSC_EXTERN PetscErrorCode NdSystemHasNoise(NdSystem, PetscBool *);
PETSC_EXTERN PetscErrorCode NdSystemComputeDiffusion(NdSystem, PetscReal, Vec, Vec);

/* Time integration with PETSc TS */
PETSC_EXTERN PetscErrorCode NdSystemCreateTS(NdSystem, TS *);
PETSC_EXTERN PetscErrorCode NdSystemCheckTS(NdSystem, TS);

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

/* The states a simulate run recorded (/timeseries), as input to another computation
   (src/system/interface/recorded.c). x <- the last recorded state of a simulate output (option: the option that named
   the file) */
PETSC_EXTERN PetscErrorCode NdReadFinalState(NdSystem, const char[], const char[], Vec);
PETSC_EXTERN PetscErrorCode NdReadRecordedSeries(NdSystem, const char[], const char[], Vec, PetscInt *, PetscReal **,
                                                 PetscReal **);
/* visit(t, x, ctx) for every recorded state at t >= tmin, read into x; the number visited */
PETSC_EXTERN PetscErrorCode NdForEachRecordedState(NdSystem, const char[], const char[], PetscReal, Vec,
                                                   PetscErrorCode (*)(PetscReal, Vec, void *), void *, PetscInt *);

#endif
