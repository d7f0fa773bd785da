/* sine: I(t) = offset + amplitude sin(2 pi frequency t + phase), phase in radians */
#include <neurodyn/private/stimulusimpl.h>

typedef struct {
  PetscReal offset, amplitude, frequency, phase;
} NdStimulus_Sine;

static PetscErrorCode NdStimulusEvaluate_Sine(NdStimulus stim, PetscReal t, PetscReal *current)
{
  NdStimulus_Sine *s = (NdStimulus_Sine *)stim->data;

  *current = s->offset + s->amplitude * PetscSinReal(2.0 * PETSC_PI * s->frequency * t + s->phase);
  return PETSC_SUCCESS;
}

static PetscErrorCode NdStimulusSineSetParameters_Sine(NdStimulus stim, PetscReal offset, PetscReal amplitude,
                                                       PetscReal frequency, PetscReal phase)
{
  NdStimulus_Sine *s = (NdStimulus_Sine *)stim->data;

  PetscFunctionBegin;
  s->offset    = offset;
  s->amplitude = amplitude;
  s->frequency = frequency;
  s->phase     = phase;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetUp_Sine(NdStimulus stim)
{
  NdStimulus_Sine *s = (NdStimulus_Sine *)stim->data;

  PetscFunctionBegin;
  PetscCheck(s->frequency >= 0, PetscObjectComm((PetscObject)stim), PETSC_ERR_USER_INPUT,
             "sine stimulus: -stim_frequency must be >= 0 (got %g)", (double)s->frequency);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetFromOptions_Sine(NdStimulus stim, NdOptionItems PetscOptionsObject)
{
  NdStimulus_Sine *s = (NdStimulus_Sine *)stim->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Sine stimulus: I = offset + amplitude sin(2 pi frequency t + phase)");
  PetscCall(PetscOptionsReal("-stim_offset", "Mean input current", "NdStimulusSineSetParameters", s->offset, &s->offset,
                             NULL));
  PetscCall(PetscOptionsReal("-stim_amplitude", "Amplitude", "NdStimulusSineSetParameters", s->amplitude, &s->amplitude,
                             NULL));
  PetscCall(PetscOptionsReal("-stim_frequency", "Frequency (cycles per unit time)", "NdStimulusSineSetParameters",
                             s->frequency, &s->frequency, NULL));
  PetscCall(
      PetscOptionsReal("-stim_phase", "Phase (radians)", "NdStimulusSineSetParameters", s->phase, &s->phase, NULL));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusView_Sine(NdStimulus stim, PetscViewer viewer)
{
  NdStimulus_Sine *s = (NdStimulus_Sine *)stim->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "I(t) = %g + %g sin(2 pi %g t + %g)\n", (double)s->offset,
                                   (double)s->amplitude, (double)s->frequency, (double)s->phase));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusDestroy_Sine(NdStimulus stim)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusSineSetParameters_C", NULL));
  PetscCall(PetscFree(stim->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdStimulusCreate_Sine(NdStimulus stim)
{
  NdStimulus_Sine *s;

  PetscFunctionBegin;
  PetscCall(PetscNew(&s));
  stim->data                = s;
  stim->ops->evaluate       = NdStimulusEvaluate_Sine;
  stim->ops->setup          = NdStimulusSetUp_Sine;
  stim->ops->setfromoptions = NdStimulusSetFromOptions_Sine;
  stim->ops->view           = NdStimulusView_Sine;
  stim->ops->destroy        = NdStimulusDestroy_Sine;
  PetscCall(
      PetscObjectComposeFunction((PetscObject)stim, "NdStimulusSineSetParameters_C", NdStimulusSineSetParameters_Sine));
  PetscFunctionReturn(PETSC_SUCCESS);
}
