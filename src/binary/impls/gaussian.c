/* Gaussian noise of standard deviation sigma: P(nu_i = 1) = Phi((mu_i - theta_i) / sigma). */
#include <neurodyn/private/binaryimpl.h>

static PetscReal NdBinaryActivation_Gaussian(NdBinary bin, PetscReal x)
{
  return 0.5 * erfc(-x / (bin->noise_scale * PETSC_SQRT2));
}

static PetscReal NdBinaryDensity_Gaussian(NdBinary bin, PetscReal x)
{
  const PetscReal s = bin->noise_scale;

  return PetscExpReal(-0.5 * x * x / (s * s)) / (s * PetscSqrtReal(2 * PETSC_PI));
}

static PetscReal NdBinaryVariance_Gaussian(NdBinary bin)
{
  return bin->noise_scale * bin->noise_scale;
}

static PetscErrorCode NdBinarySetFromOptions_Gaussian(NdBinary bin, NdOptionItems PetscOptionsObject)
{
  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Gaussian noise");
  PetscCall(PetscOptionsReal("-bin_sigma", "Standard deviation of the Gaussian noise", "", bin->noise_scale,
                             &bin->noise_scale, NULL));
  PetscOptionsHeadEnd();
  PetscCheck(bin->noise_scale > 0, PetscObjectComm((PetscObject)bin), PETSC_ERR_ARG_OUTOFRANGE,
             "-bin_sigma must be > 0 (got %g)", (double)bin->noise_scale);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBinaryView_Gaussian(NdBinary bin, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "Gaussian noise, sigma %g\n", (double)bin->noise_scale));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdBinaryCreate_Gaussian(NdBinary bin)
{
  PetscFunctionBegin;
  bin->noise_scale         = 1;
  bin->ops->activation     = NdBinaryActivation_Gaussian;
  bin->ops->density        = NdBinaryDensity_Gaussian;
  bin->ops->variance       = NdBinaryVariance_Gaussian;
  bin->ops->setfromoptions = NdBinarySetFromOptions_Gaussian;
  bin->ops->view           = NdBinaryView_Gaussian;
  PetscFunctionReturn(PETSC_SUCCESS);
}
