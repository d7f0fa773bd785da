/* constant: I(t) = value */
#include <neurodyn/private/stimulusimpl.h>

typedef struct {
  PetscReal value;
} NdStimulus_Constant;

static PetscErrorCode NdStimulusEvaluate_Constant(NdStimulus stim, PetscReal t, PetscReal *current)
{
  (void)t;
  *current = ((NdStimulus_Constant *)stim->data)->value;
  return PETSC_SUCCESS;
}

static PetscErrorCode NdStimulusConstantSetValue_Constant(NdStimulus stim, PetscReal value)
{
  PetscFunctionBegin;
  ((NdStimulus_Constant *)stim->data)->value = value;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetFromOptions_Constant(NdStimulus stim, NdOptionItems PetscOptionsObject)
{
  NdStimulus_Constant *c = (NdStimulus_Constant *)stim->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Constant stimulus: I(t) = value");
  PetscCall(
      PetscOptionsReal("-stim_value", "Input current I", "NdStimulusConstantSetValue", c->value, &c->value, NULL));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusView_Constant(NdStimulus stim, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "I(t) = %g\n", (double)((NdStimulus_Constant *)stim->data)->value));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusDestroy_Constant(NdStimulus stim)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusConstantSetValue_C", NULL));
  PetscCall(PetscFree(stim->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdStimulusCreate_Constant(NdStimulus stim)
{
  NdStimulus_Constant *c;

  PetscFunctionBegin;
  PetscCall(PetscNew(&c));
  stim->data                = c;
  stim->ops->evaluate       = NdStimulusEvaluate_Constant;
  stim->ops->setfromoptions = NdStimulusSetFromOptions_Constant;
  stim->ops->view           = NdStimulusView_Constant;
  stim->ops->destroy        = NdStimulusDestroy_Constant;
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusConstantSetValue_C",
                                       NdStimulusConstantSetValue_Constant));
  PetscFunctionReturn(PETSC_SUCCESS);
}
