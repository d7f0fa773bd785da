/* NdStimulus: the generic object. Types live in src/stimulus/impls/. */
#include <neurodyn/private/stimulusimpl.h>

PetscFunctionList NdStimulusList              = NULL;
PetscBool         NdStimulusRegisterAllCalled = PETSC_FALSE;
PetscClassId      ND_STIMULUS_CLASSID;

static PetscBool NdStimulusPackageInitialized = PETSC_FALSE;

/* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
   PetscInitialize() + NdInitializePackage() registers everything again */
PetscErrorCode NdStimulusFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdStimulusList));
  NdStimulusRegisterAllCalled  = PETSC_FALSE;
  NdStimulusPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by NdStimulusCreate() and by NdInitializePackage() */
PetscErrorCode NdStimulusInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdStimulusPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdStimulusPackageInitialized = PETSC_TRUE;
  PetscCall(NdCoreInitializePackage());
  PetscCall(NdOutputInitializePackage());
  PetscCall(PetscClassIdRegister("NdStimulus", &ND_STIMULUS_CLASSID));
  PetscCall(NdStimulusRegisterAll());
  PetscCall(PetscRegisterFinalize(NdStimulusFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusRegister(const char name[], PetscErrorCode (*create)(NdStimulus))
{
  PetscFunctionBegin;
  PetscCall(NdStimulusInitializePackage());
  PetscCall(PetscFunctionListAdd(&NdStimulusList, name, create));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdStimulusCreate_Constant(NdStimulus);
PETSC_EXTERN PetscErrorCode NdStimulusCreate_Step(NdStimulus);
PETSC_EXTERN PetscErrorCode NdStimulusCreate_Ramp(NdStimulus);
PETSC_EXTERN PetscErrorCode NdStimulusCreate_Sine(NdStimulus);
PETSC_EXTERN PetscErrorCode NdStimulusCreate_Table(NdStimulus);

PetscErrorCode NdStimulusRegisterAll(void)
{
  PetscFunctionBegin;
  if (NdStimulusRegisterAllCalled) PetscFunctionReturn(PETSC_SUCCESS);
  NdStimulusRegisterAllCalled = PETSC_TRUE;
  PetscCall(NdStimulusRegister(NDSTIMULUSCONSTANT, NdStimulusCreate_Constant));
  PetscCall(NdStimulusRegister(NDSTIMULUSSTEP, NdStimulusCreate_Step));
  PetscCall(NdStimulusRegister(NDSTIMULUSRAMP, NdStimulusCreate_Ramp));
  PetscCall(NdStimulusRegister(NDSTIMULUSSINE, NdStimulusCreate_Sine));
  PetscCall(NdStimulusRegister(NDSTIMULUSTABLE, NdStimulusCreate_Table));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusCreate(MPI_Comm comm, NdStimulus *stim)
{
  NdStimulus s;

  PetscFunctionBegin;
  PetscAssertPointer(stim, 2);
  PetscCall(NdStimulusInitializePackage());
  PetscCall(PetscHeaderCreate(s, ND_STIMULUS_CLASSID, "NdStimulus", "Input current I(t)", "NdStimulus", comm,
                              NdStimulusDestroy, NdStimulusView));
  *stim = s;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusSetType(NdStimulus stim, NdStimulusType type)
{
  PetscErrorCode (*create)(NdStimulus);
  PetscBool same;
  char      known[256];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(stim, ND_STIMULUS_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)stim, type, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFunctionListFind(NdStimulusList, type, &create));
  PetscCall(NdFunctionListNames(NdStimulusList, known, sizeof(known)));
  PetscCheck(create, PetscObjectComm((PetscObject)stim), PETSC_ERR_ARG_UNKNOWN_TYPE,
             "unknown stimulus type '%s' (known: %s)", type, known);
  if (stim->ops->destroy) PetscCall((*stim->ops->destroy)(stim));
  PetscCall(PetscMemzero(stim->ops, sizeof(struct _NdStimulusOps)));
  stim->data        = NULL;
  stim->setupcalled = PETSC_FALSE;
  PetscCall(PetscObjectChangeTypeName((PetscObject)stim, type));
  PetscCall((*create)(stim));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusGetType(NdStimulus stim, NdStimulusType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(stim, ND_STIMULUS_CLASSID, 1);
  *type = ((PetscObject)stim)->type_name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusSetOptionsPrefix(NdStimulus stim, const char prefix[])
{
  PetscFunctionBegin;
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)stim, prefix));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -stim_type <constant>: the type; each type reads its own -stim_* options */
PetscErrorCode NdStimulusSetFromOptions(NdStimulus stim)
{
  char      type[256];
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(stim, ND_STIMULUS_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)stim);
  PetscCall(PetscOptionsFList("-stim_type", "Input current I(t)", "NdStimulusSetType", NdStimulusList,
                              ((PetscObject)stim)->type_name ? ((PetscObject)stim)->type_name : NDSTIMULUSCONSTANT,
                              type, sizeof(type), &set));
  if (set || !((PetscObject)stim)->type_name) PetscCall(NdStimulusSetType(stim, set ? type : NDSTIMULUSCONSTANT));
  if (stim->ops->setfromoptions) PetscCall((*stim->ops->setfromoptions)(stim, PetscOptionsObject));
  PetscCall(PetscObjectProcessOptionsHandlers((PetscObject)stim, PetscOptionsObject));
  PetscOptionsEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusSetUp(NdStimulus stim)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(stim, ND_STIMULUS_CLASSID, 1);
  if (stim->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  if (!((PetscObject)stim)->type_name) PetscCall(NdStimulusSetType(stim, NDSTIMULUSCONSTANT));
  if (stim->ops->setup) PetscCall((*stim->ops->setup)(stim));
  stim->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusView(NdStimulus stim, PetscViewer viewer)
{
  PetscBool isascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(stim, ND_STIMULUS_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)stim), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)stim, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  if (stim->ops->view) PetscCall((*stim->ops->view)(stim, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusDestroy(NdStimulus *stim)
{
  PetscFunctionBegin;
  if (!*stim) PetscFunctionReturn(PETSC_SUCCESS);
  PetscValidHeaderSpecific(*stim, ND_STIMULUS_CLASSID, 1);
  if (--((PetscObject)(*stim))->refct > 0) {
    *stim = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if ((*stim)->ops->destroy) PetscCall((*(*stim)->ops->destroy)(*stim));
  PetscCall(PetscHeaderDestroy(stim));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* I(t) */
PetscErrorCode NdStimulusEvaluate(NdStimulus stim, PetscReal t, PetscReal *value)
{
  PetscFunctionBegin;
  PetscCall((*stim->ops->evaluate)(stim, t, value));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The first time after t at which I(t) or its derivative jumps (PETSC_MAX_REAL if none): the
   integrator stops there instead of stepping across the kink. */
PetscErrorCode NdStimulusGetNextBreakpoint(NdStimulus stim, PetscReal t, PetscReal *tb)
{
  PetscFunctionBegin;
  *tb = PETSC_MAX_REAL;
  if (stim->ops->nextbreakpoint) PetscCall((*stim->ops->nextbreakpoint)(stim, t, tb));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Type-specific setters dispatch to the type's composed method; other types ignore them. */
PetscErrorCode NdStimulusConstantSetValue(NdStimulus stim, PetscReal value)
{
  PetscFunctionBegin;
  PetscTryMethod(stim, "NdStimulusConstantSetValue_C", (NdStimulus, PetscReal), (stim, value));
  stim->setupcalled = PETSC_FALSE; /* new parameters are validated again by NdStimulusSetUp() */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusStepSetParameters(NdStimulus stim, PetscReal base, PetscReal amplitude, PetscReal t_on,
                                           PetscReal t_off)
{
  PetscFunctionBegin;
  PetscTryMethod(stim, "NdStimulusStepSetParameters_C", (NdStimulus, PetscReal, PetscReal, PetscReal, PetscReal),
                 (stim, base, amplitude, t_on, t_off));
  stim->setupcalled = PETSC_FALSE; /* new parameters are validated again by NdStimulusSetUp() */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusRampSetParameters(NdStimulus stim, PetscReal low, PetscReal high, PetscReal t_start,
                                           PetscReal t_rise, PetscReal t_hold, PetscReal t_fall)
{
  PetscFunctionBegin;
  PetscTryMethod(stim, "NdStimulusRampSetParameters_C",
                 (NdStimulus, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal),
                 (stim, low, high, t_start, t_rise, t_hold, t_fall));
  stim->setupcalled = PETSC_FALSE; /* new parameters are validated again by NdStimulusSetUp() */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusSineSetParameters(NdStimulus stim, PetscReal offset, PetscReal amplitude, PetscReal frequency,
                                           PetscReal phase)
{
  PetscFunctionBegin;
  PetscTryMethod(stim, "NdStimulusSineSetParameters_C", (NdStimulus, PetscReal, PetscReal, PetscReal, PetscReal),
                 (stim, offset, amplitude, frequency, phase));
  stim->setupcalled = PETSC_FALSE; /* new parameters are validated again by NdStimulusSetUp() */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusTableSetData(NdStimulus stim, PetscInt n, const PetscReal t[], const PetscReal value[])
{
  PetscFunctionBegin;
  PetscTryMethod(stim, "NdStimulusTableSetData_C", (NdStimulus, PetscInt, const PetscReal[], const PetscReal[]),
                 (stim, n, t, value));
  stim->setupcalled = PETSC_FALSE; /* new parameters are validated again by NdStimulusSetUp() */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdStimulusTableLoad(NdStimulus stim, const char path[])
{
  PetscFunctionBegin;
  PetscTryMethod(stim, "NdStimulusTableLoad_C", (NdStimulus, const char[]), (stim, path));
  stim->setupcalled = PETSC_FALSE; /* new parameters are validated again by NdStimulusSetUp() */
  PetscFunctionReturn(PETSC_SUCCESS);
}
