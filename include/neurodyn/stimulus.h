/* NdStimulus: a scalar input current I(t) (constant, step, ramp, sine, table). Options prefix -stim_. */
#ifndef NEURODYN_STIMULUS_H
#define NEURODYN_STIMULUS_H

#include <neurodyn/core.h>

typedef struct _p_NdStimulus *NdStimulus;
typedef const char           *NdStimulusType;
#define NDSTIMULUSCONSTANT "constant"
#define NDSTIMULUSSTEP     "step"
#define NDSTIMULUSRAMP     "ramp"
#define NDSTIMULUSSINE     "sine"
#define NDSTIMULUSTABLE    "table"

PETSC_EXTERN PetscFunctionList NdStimulusList;
PETSC_EXTERN PetscBool         NdStimulusRegisterAllCalled; /* reset by NdStimulusFinalizePackage() */
PETSC_EXTERN PetscClassId      ND_STIMULUS_CLASSID;
/* The stimulus component: its class and types (idempotent) */
PETSC_EXTERN PetscErrorCode NdStimulusInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdStimulusFinalizePackage(void);

PETSC_EXTERN PetscErrorCode NdStimulusCreate(MPI_Comm, NdStimulus *);
PETSC_EXTERN PetscErrorCode NdStimulusSetType(NdStimulus, NdStimulusType);
PETSC_EXTERN PetscErrorCode NdStimulusGetType(NdStimulus, NdStimulusType *);
PETSC_EXTERN PetscErrorCode NdStimulusSetFromOptions(NdStimulus);
PETSC_EXTERN PetscErrorCode NdStimulusSetUp(NdStimulus);
PETSC_EXTERN PetscErrorCode NdStimulusView(NdStimulus, PetscViewer);
PETSC_EXTERN PetscErrorCode NdStimulusDestroy(NdStimulus *);
PETSC_EXTERN PetscErrorCode NdStimulusSetOptionsPrefix(NdStimulus, const char[]);
PETSC_EXTERN PetscErrorCode NdStimulusRegister(const char[], PetscErrorCode (*)(NdStimulus));
PETSC_EXTERN PetscErrorCode NdStimulusRegisterAll(void);

PETSC_EXTERN PetscErrorCode NdStimulusEvaluate(NdStimulus, PetscReal, PetscReal *);
PETSC_EXTERN PetscErrorCode NdStimulusGetNextBreakpoint(NdStimulus, PetscReal, PetscReal *);

/* Type-specific setters (programmatic use; the options do the same) */
PETSC_EXTERN PetscErrorCode NdStimulusConstantSetValue(NdStimulus, PetscReal);
PETSC_EXTERN PetscErrorCode NdStimulusStepSetParameters(NdStimulus, PetscReal, PetscReal, PetscReal, PetscReal);
PETSC_EXTERN PetscErrorCode NdStimulusRampSetParameters(NdStimulus, PetscReal, PetscReal, PetscReal, PetscReal,
                                                        PetscReal, PetscReal);
PETSC_EXTERN PetscErrorCode NdStimulusSineSetParameters(NdStimulus, PetscReal, PetscReal, PetscReal, PetscReal);
PETSC_EXTERN PetscErrorCode NdStimulusTableSetData(NdStimulus, PetscInt, const PetscReal[], const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdStimulusTableLoad(NdStimulus, const char[]);

#endif
