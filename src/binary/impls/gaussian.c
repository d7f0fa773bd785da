/* Gaussian noise of standard deviation sigma_i: P(nu_i = 1) = Phi((mu_i - theta_i) / sigma_i). */
#include <neurodyn/private/binaryimpl.h>

static PetscReal NdBinaryActivation_Gaussian(NdBinary bin, PetscInt i, PetscReal x)
{
  return 0.5 * erfc(-x / (bin->noise_scale[i] * PETSC_SQRT2));
}

static PetscReal NdBinaryDensity_Gaussian(NdBinary bin, PetscInt i, PetscReal x)
{
  const PetscReal s = bin->noise_scale[i];

  return PetscExpReal(-0.5 * x * x / (s * s)) / (s * PetscSqrtReal(2 * PETSC_PI));
}

static PetscReal NdBinaryVariance_Gaussian(NdBinary bin, PetscInt i)
{
  return bin->noise_scale[i] * bin->noise_scale[i];
}

PETSC_EXTERN PetscErrorCode NdBinaryCreate_Gaussian(NdBinary bin)
{
  PetscFunctionBegin;
  bin->noise_option    = "-bin_sigma";
  bin->noise_name      = "sigma";
  bin->noise_label     = "Gaussian noise";
  bin->ops->activation = NdBinaryActivation_Gaussian;
  bin->ops->density    = NdBinaryDensity_Gaussian;
  bin->ops->variance   = NdBinaryVariance_Gaussian;
  PetscFunctionReturn(PETSC_SUCCESS);
}
