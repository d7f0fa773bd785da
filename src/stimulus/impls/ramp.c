/* ramp (up and down): I = low until t_start, rises linearly to high over t_rise, holds for t_hold,
   falls linearly back to low over t_fall, then stays at low. The slow sweep of a hysteresis loop. */
#include <neurodyn/private/stimulusimpl.h>

typedef struct {
  PetscReal low, high, t_start, t_rise, t_hold, t_fall;
} NdStimulus_Ramp;

static PetscErrorCode NdStimulusEvaluate_Ramp(NdStimulus stim, PetscReal t, PetscReal *current)
{
  NdStimulus_Ramp *r      = (NdStimulus_Ramp *)stim->data;
  PetscReal        t_top  = r->t_start + r->t_rise;
  PetscReal        t_down = t_top + r->t_hold;

  if (t <= r->t_start)
    *current = r->low;
  else if (t < t_top)
    *current = r->low + (r->high - r->low) * (t - r->t_start) / r->t_rise;
  else if (t <= t_down)
    *current = r->high;
  else if (t < t_down + r->t_fall)
    *current = r->high - (r->high - r->low) * (t - t_down) / r->t_fall;
  else
    *current = r->low;
  return PETSC_SUCCESS;
}

static PetscErrorCode NdStimulusNextBreakpoint_Ramp(NdStimulus stim, PetscReal t, PetscReal *tb)
{
  NdStimulus_Ramp *r        = (NdStimulus_Ramp *)stim->data;
  const PetscReal  kinks[4] = {r->t_start, r->t_start + r->t_rise, r->t_start + r->t_rise + r->t_hold,
                               r->t_start + r->t_rise + r->t_hold + r->t_fall};

  PetscFunctionBegin;
  for (int k = 0; k < 4; k++)
    if (kinks[k] > t) {
      *tb = kinks[k];
      break;
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusRampSetParameters_Ramp(NdStimulus stim, PetscReal low, PetscReal high,
                                                       PetscReal t_start, PetscReal t_rise, PetscReal t_hold,
                                                       PetscReal t_fall)
{
  NdStimulus_Ramp *r = (NdStimulus_Ramp *)stim->data;

  PetscFunctionBegin;
  r->low     = low;
  r->high    = high;
  r->t_start = t_start;
  r->t_rise  = t_rise;
  r->t_hold  = t_hold;
  r->t_fall  = t_fall;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetUp_Ramp(NdStimulus stim)
{
  NdStimulus_Ramp *r    = (NdStimulus_Ramp *)stim->data;
  MPI_Comm         comm = PetscObjectComm((PetscObject)stim);

  PetscFunctionBegin;
  PetscCheck(r->t_rise > 0, comm, PETSC_ERR_USER_INPUT, "ramp stimulus: -stim_t_rise must be > 0 (got %g)",
             (double)r->t_rise);
  PetscCheck(r->t_fall > 0, comm, PETSC_ERR_USER_INPUT, "ramp stimulus: -stim_t_fall must be > 0 (got %g)",
             (double)r->t_fall);
  PetscCheck(r->t_hold >= 0, comm, PETSC_ERR_USER_INPUT, "ramp stimulus: -stim_t_hold must be >= 0 (got %g)",
             (double)r->t_hold);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetFromOptions_Ramp(NdStimulus stim, NdOptionItems PetscOptionsObject)
{
  NdStimulus_Ramp *r        = (NdStimulus_Ramp *)stim->data;
  PetscBool        fall_set = PETSC_FALSE;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject,
                        "Ramp stimulus: low -> high over t_rise, hold t_hold, back to low over t_fall");
  PetscCall(PetscOptionsReal("-stim_low", "Input current before and after the ramp", "NdStimulusRampSetParameters",
                             r->low, &r->low, NULL));
  PetscCall(PetscOptionsReal("-stim_high", "Input current at the top of the ramp", "NdStimulusRampSetParameters",
                             r->high, &r->high, NULL));
  PetscCall(PetscOptionsReal("-stim_t_start", "Time the ramp starts", "NdStimulusRampSetParameters", r->t_start,
                             &r->t_start, NULL));
  PetscCall(PetscOptionsReal("-stim_t_rise", "Duration of the rise", "NdStimulusRampSetParameters", r->t_rise,
                             &r->t_rise, NULL));
  PetscCall(PetscOptionsReal("-stim_t_hold", "Time held at the top", "NdStimulusRampSetParameters", r->t_hold,
                             &r->t_hold, NULL));
  PetscCall(PetscOptionsReal("-stim_t_fall", "Duration of the fall (default: t_rise)", "NdStimulusRampSetParameters",
                             r->t_fall, &r->t_fall, &fall_set));
  if (!fall_set) r->t_fall = r->t_rise;
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusView_Ramp(NdStimulus stim, PetscViewer viewer)
{
  NdStimulus_Ramp *r = (NdStimulus_Ramp *)stim->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "I(t): %g until t = %g, up to %g over %g, hold %g, down over %g\n",
                                   (double)r->low, (double)r->t_start, (double)r->high, (double)r->t_rise,
                                   (double)r->t_hold, (double)r->t_fall));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusDestroy_Ramp(NdStimulus stim)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusRampSetParameters_C", NULL));
  PetscCall(PetscFree(stim->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdStimulusCreate_Ramp(NdStimulus stim)
{
  NdStimulus_Ramp *r;

  PetscFunctionBegin;
  PetscCall(PetscNew(&r));
  r->high                   = 1.0;
  r->t_rise                 = 1.0;
  r->t_fall                 = 1.0;
  stim->data                = r;
  stim->ops->evaluate       = NdStimulusEvaluate_Ramp;
  stim->ops->nextbreakpoint = NdStimulusNextBreakpoint_Ramp;
  stim->ops->setup          = NdStimulusSetUp_Ramp;
  stim->ops->setfromoptions = NdStimulusSetFromOptions_Ramp;
  stim->ops->view           = NdStimulusView_Ramp;
  stim->ops->destroy        = NdStimulusDestroy_Ramp;
  PetscCall(
      PetscObjectComposeFunction((PetscObject)stim, "NdStimulusRampSetParameters_C", NdStimulusRampSetParameters_Ramp));
  PetscFunctionReturn(PETSC_SUCCESS);
}
