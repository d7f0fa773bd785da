#ifndef NEURODYN_STIMULUSIMPL_H
#define NEURODYN_STIMULUSIMPL_H

#include <petsc/private/petscimpl.h>
#include <petscviewer.h>
#include <neurodyn/stimulus.h>
#include <neurodyn/output.h>

typedef struct _NdStimulusOps *NdStimulusOps;
struct _NdStimulusOps {
  PetscErrorCode (*setfromoptions)(NdStimulus, NdOptionItems);
  PetscErrorCode (*setup)(NdStimulus);
  PetscErrorCode (*evaluate)(NdStimulus, PetscReal, PetscReal *);
  PetscErrorCode (*nextbreakpoint)(NdStimulus, PetscReal, PetscReal *); /* next time > t where I or dI/dt jumps */
  PetscErrorCode (*view)(NdStimulus, PetscViewer);
  PetscErrorCode (*destroy)(NdStimulus);
};

struct _p_NdStimulus {
  PETSCHEADER(struct _NdStimulusOps);
  PetscBool setupcalled;
  void     *data;
};

#endif
