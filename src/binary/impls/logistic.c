/* Logistic noise of temperature T (Glauber dynamics): P(nu_i = 1) = 1 / (1 + exp(-(mu_i - theta_i) / T)). */
#include <neurodyn/private/binaryimpl.h>

static PetscReal NdBinaryActivation_Logistic(NdBinary bin, PetscReal x)
{
  return 1.0 / (1.0 + PetscExpReal(-x / bin->noise_scale));
}

static PetscReal NdBinaryDensity_Logistic(NdBinary bin, PetscReal x)
{
  const PetscReal T = bin->noise_scale, e = PetscExpReal(-PetscAbsReal(x) / T); /* symmetric; no overflow */

  return e / (T * (1 + e) * (1 + e));
}

static PetscReal NdBinaryVariance_Logistic(NdBinary bin)
{
  return PETSC_PI * PETSC_PI * bin->noise_scale * bin->noise_scale / 3;
}

static PetscErrorCode NdBinarySetFromOptions_Logistic(NdBinary bin, NdOptionItems PetscOptionsObject)
{
  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Logistic (Glauber) noise");
  PetscCall(PetscOptionsReal("-bin_temperature", "Temperature T of the logistic noise", "", bin->noise_scale,
                             &bin->noise_scale, NULL));
  PetscOptionsHeadEnd();
  PetscCheck(bin->noise_scale > 0, PetscObjectComm((PetscObject)bin), PETSC_ERR_ARG_OUTOFRANGE,
             "-bin_temperature must be > 0 (got %g)", (double)bin->noise_scale);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBinaryView_Logistic(NdBinary bin, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "logistic noise, temperature %g\n", (double)bin->noise_scale));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdBinaryCreate_Logistic(NdBinary bin)
{
  PetscFunctionBegin;
  bin->noise_scale         = 1;
  bin->ops->activation     = NdBinaryActivation_Logistic;
  bin->ops->density        = NdBinaryDensity_Logistic;
  bin->ops->variance       = NdBinaryVariance_Logistic;
  bin->ops->setfromoptions = NdBinarySetFromOptions_Logistic;
  bin->ops->view           = NdBinaryView_Logistic;
  PetscFunctionReturn(PETSC_SUCCESS);
}
