/* For implementers of NdSystem types. */
#ifndef NEURODYN_SYSTEMIMPL_H
#define NEURODYN_SYSTEMIMPL_H

#include <petsc/private/petscimpl.h>
#include <petscviewer.h>
#include <neurodyn/system.h>
#include <neurodyn/private/parameterimpl.h>

/* A state variable. unit is "1" (dimensionless), "T" (time) or "1/T" (rate), T being the
   system's time unit (-sys_time_unit); any other string is taken literally. */
typedef struct {
  char      name[ND_NAME_LEN];
  char      unit[ND_NAME_LEN];
  char      description[128];
  PetscReal initial; /* default initial value */
  PetscReal lower,
      upper; /* the values that make sense (e.g. [0, 1] for a fraction; PETSC_MIN_REAL, PETSC_MAX_REAL: none) */
  PetscBool recorded; /* written to /timeseries (internal variables, e.g. noise filters, are not) */
} NdVariable;

/* A quantity computed from a node's state at each sample and recorded beside the variables in
   /timeseries (e.g. a rate that includes noise); name, unit and description as for variables */
typedef struct {
  char name[ND_NAME_LEN];
  char unit[ND_NAME_LEN];
  char description[128];
} NdObservable;

/* A user-given initial value, by variable name (-init_<name>) */
typedef struct {
  char      name[ND_NAME_LEN];
  PetscReal value;
} NdInitialValue;

typedef struct _NdSystemOps *NdSystemOps;
struct _NdSystemOps {
  PetscErrorCode (*setfromoptions)(NdSystem, NdOptionItems);
  PetscErrorCode (*setvariables)(NdSystem); /* declare the state variables; may depend on parameters */
  PetscErrorCode (*setup)(NdSystem);
  PetscErrorCode (*rhs)(NdSystem, PetscReal, Vec, Vec);
  PetscErrorCode (*createjacobian)(NdSystem, Mat *); /* coupled systems: their own pattern (default: block diagonal) */
  PetscErrorCode (*jacobian)(NdSystem, PetscReal, Vec, Mat);
  PetscErrorCode (*paramderiv)(NdSystem, PetscReal, Vec, PetscInt, Vec);
  /* stochastic systems dX = F dt + G dW: the diagonal noise amplitudes G at (t, X) */
  PetscErrorCode (*diffusion)(NdSystem, PetscReal, Vec, Vec);
  /* the largest step at which the explicit SDE schemes stay stable (stiff linear noise filters) */
  PetscErrorCode (*maxstep)(NdSystem, PetscReal *);
  /* the observables of one node from its nvar state values at time t */
  PetscErrorCode (*observe)(NdSystem, PetscReal, const PetscScalar *, PetscReal *);
  PetscErrorCode (*view)(NdSystem, PetscViewer);
  PetscErrorCode (*destroy)(NdSystem);
  /* systems with a memory (delays): before NdSystemIntegrate's TSSolve (TS, initial state,
     sampling interval), and after each accepted step */
  PetscErrorCode (*integratebegin)(NdSystem, TS, Vec, PetscReal);
  PetscErrorCode (*poststep)(NdSystem, TS);
};

struct _p_NdSystem {
  PETSCHEADER(struct _NdSystemOps);
  char            description[256];
  PetscInt        nparam;
  NdParameter    *param;
  PetscInt        nvar;
  NdVariable     *var;
  PetscInt        nobs;
  NdObservable   *obs;
  PetscInt        ninit;
  NdInitialValue *init;
  PetscInt        nnodes, nnodes_local, node_start; /* nvar variables per node; nodes split over ranks */
  char            time_unit[ND_NAME_LEN];
  char            input_unit[ND_NAME_LEN]; /* unit of the stimulus I(t), as a variable unit */
  NdStimulus      stimulus;
  PetscBool       setupcalled;
  PetscInt        seed; /* of the Wiener increments of a stochastic system (-sys_seed) */
  void           *data;
};

PETSC_EXTERN PetscErrorCode NdSystemSetDescription(NdSystem, const char[]);
PETSC_EXTERN PetscErrorCode NdSystemAddParameter(NdSystem, const char[], PetscReal, const char[], PetscReal, PetscBool,
                                                 PetscReal, PetscBool, const char[]);
PETSC_EXTERN PetscErrorCode NdSystemClearVariables(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemAddVariable(NdSystem, const char[], const char[], PetscReal, const char[]);
PETSC_EXTERN PetscErrorCode NdSystemSetVariableRecorded(NdSystem, PetscInt, PetscBool);
/* The initial value of variable i: its -init_<name>, else its default */
PETSC_EXTERN PetscReal NdSystemGetInitialValue(NdSystem, PetscInt);
/* The closed range [lower, upper] of variable i that -init_<name> must respect (a fraction in [0, 1], a rate >= 0) */
PETSC_EXTERN PetscErrorCode NdSystemSetVariableRange(NdSystem, PetscInt, PetscReal, PetscReal);
PETSC_EXTERN PetscErrorCode NdSystemAddObservable(NdSystem, const char[], const char[], const char[]);
PETSC_EXTERN PetscErrorCode NdSystemGetObservableUnit(NdSystem, PetscInt, char[], size_t);
PETSC_EXTERN PetscErrorCode NdSystemSetNumNodes(NdSystem, PetscInt);
PETSC_EXTERN PetscErrorCode NdSystemSetInputUnit(NdSystem, const char[]);

/* The parameters eta, J, Delta, tau of the MPR mean field, shared by the models built on it (mpr.c) */
PETSC_EXTERN PetscErrorCode NdMPRAddParameters(NdSystem, PetscReal, PetscReal, PetscBool);

/* The input current at time t (the system's stimulus) */
static inline PetscErrorCode NdSystemGetInput(NdSystem sys, PetscReal t, PetscReal *current)
{
  return NdStimulusEvaluate(sys->stimulus, t, current);
}

#endif
