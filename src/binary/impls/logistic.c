/* Logistic noise of temperature T_i (Glauber dynamics): P(nu_i = 1) = 1 / (1 + exp(-(mu_i - theta_i) / T_i)). */
#include <neurodyn/private/binaryimpl.h>

static PetscReal NdBinaryActivation_Logistic(NdBinary bin, PetscInt i, PetscReal x)
{
  return 1.0 / (1.0 + PetscExpReal(-x / bin->noise_scale[i]));
}

static PetscReal NdBinaryDensity_Logistic(NdBinary bin, PetscInt i, PetscReal x)
{
  const PetscReal T = bin->noise_scale[i], e = PetscExpReal(-PetscAbsReal(x) / T); /* symmetric; no overflow */

  return e / (T * (1 + e) * (1 + e));
}

static PetscReal NdBinaryVariance_Logistic(NdBinary bin, PetscInt i)
{
  return PETSC_PI * PETSC_PI * bin->noise_scale[i] * bin->noise_scale[i] / 3;
}

PETSC_EXTERN PetscErrorCode NdBinaryCreate_Logistic(NdBinary bin)
{
  PetscFunctionBegin;
  bin->noise_option    = "-bin_temperature";
  bin->noise_name      = "temperature";
  bin->noise_label     = "logistic (Glauber) noise";
  bin->ops->activation = NdBinaryActivation_Logistic;
  bin->ops->density    = NdBinaryDensity_Logistic;
  bin->ops->variance   = NdBinaryVariance_Logistic;
  PetscFunctionReturn(PETSC_SUCCESS);
}
