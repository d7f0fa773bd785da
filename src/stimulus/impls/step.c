/* step: I(t) = base + amplitude for t_on <= t < t_off, base otherwise */
#include <neurodyn/private/stimulusimpl.h>

typedef struct {
  PetscReal base, amplitude, t_on, t_off;
} NdStimulus_Step;

static PetscErrorCode NdStimulusEvaluate_Step(NdStimulus stim, PetscReal t, PetscReal *current)
{
  NdStimulus_Step *s = (NdStimulus_Step *)stim->data;

  *current = s->base + ((t >= s->t_on && t < s->t_off) ? s->amplitude : 0.0);
  return PETSC_SUCCESS;
}

static PetscErrorCode NdStimulusNextBreakpoint_Step(NdStimulus stim, PetscReal t, PetscReal *tb)
{
  NdStimulus_Step *s = (NdStimulus_Step *)stim->data;

  PetscFunctionBegin;
  if (t < s->t_on)
    *tb = s->t_on;
  else if (t < s->t_off)
    *tb = s->t_off;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusStepSetParameters_Step(NdStimulus stim, PetscReal base, PetscReal amplitude,
                                                       PetscReal t_on, PetscReal t_off)
{
  NdStimulus_Step *s = (NdStimulus_Step *)stim->data;

  PetscFunctionBegin;
  s->base      = base;
  s->amplitude = amplitude;
  s->t_on      = t_on;
  s->t_off     = t_off;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetUp_Step(NdStimulus stim)
{
  NdStimulus_Step *s = (NdStimulus_Step *)stim->data;

  PetscFunctionBegin;
  PetscCheck(s->t_off > s->t_on, PetscObjectComm((PetscObject)stim), PETSC_ERR_USER_INPUT,
             "step stimulus: -stim_t_off (%g) must be later than -stim_t_on (%g)", (double)s->t_off, (double)s->t_on);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetFromOptions_Step(NdStimulus stim, NdOptionItems PetscOptionsObject)
{
  NdStimulus_Step *s = (NdStimulus_Step *)stim->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Step stimulus: I = value, plus amplitude during [t_on, t_off)");
  PetscCall(PetscOptionsReal("-stim_value", "Input current outside the step", "NdStimulusStepSetParameters", s->base,
                             &s->base, NULL));
  PetscCall(PetscOptionsReal("-stim_amplitude", "Height of the step", "NdStimulusStepSetParameters", s->amplitude,
                             &s->amplitude, NULL));
  PetscCall(
      PetscOptionsReal("-stim_t_on", "Time the step starts", "NdStimulusStepSetParameters", s->t_on, &s->t_on, NULL));
  PetscCall(PetscOptionsReal("-stim_t_off", "Time the step ends (default: never)", "NdStimulusStepSetParameters",
                             s->t_off, &s->t_off, NULL));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusView_Step(NdStimulus stim, PetscViewer viewer)
{
  NdStimulus_Step *s = (NdStimulus_Step *)stim->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "I(t) = %g + %g on [%g, %g)\n", (double)s->base, (double)s->amplitude,
                                   (double)s->t_on, (double)s->t_off));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusDestroy_Step(NdStimulus stim)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusStepSetParameters_C", NULL));
  PetscCall(PetscFree(stim->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdStimulusCreate_Step(NdStimulus stim)
{
  NdStimulus_Step *s;

  PetscFunctionBegin;
  PetscCall(PetscNew(&s));
  s->t_off                  = PETSC_MAX_REAL;
  stim->data                = s;
  stim->ops->evaluate       = NdStimulusEvaluate_Step;
  stim->ops->nextbreakpoint = NdStimulusNextBreakpoint_Step;
  stim->ops->setup          = NdStimulusSetUp_Step;
  stim->ops->setfromoptions = NdStimulusSetFromOptions_Step;
  stim->ops->view           = NdStimulusView_Step;
  stim->ops->destroy        = NdStimulusDestroy_Step;
  PetscCall(
      PetscObjectComposeFunction((PetscObject)stim, "NdStimulusStepSetParameters_C", NdStimulusStepSetParameters_Step));
  PetscFunctionReturn(PETSC_SUCCESS);
}
