/* No noise: nu_i = H(mu_i - theta_i) with H(0) = 1 (a neuron exactly at threshold fires, docs/models/binary.md). */
#include <neurodyn/private/binaryimpl.h>

static PetscReal NdBinaryActivation_Deterministic(NdBinary bin, PetscInt i, PetscReal x)
{
  (void)bin;
  (void)i;
  return x >= 0 ? 1.0 : 0.0;
}

static PetscReal NdBinaryVariance_Deterministic(NdBinary bin, PetscInt i)
{
  (void)bin;
  (void)i;
  return 0;
}

PETSC_EXTERN PetscErrorCode NdBinaryCreate_Deterministic(NdBinary bin)
{
  PetscFunctionBegin;
  bin->noise_option    = NULL;
  bin->noise_name      = NULL;
  bin->noise_label     = "no noise (deterministic)";
  bin->ops->activation = NdBinaryActivation_Deterministic;
  bin->ops->variance   = NdBinaryVariance_Deterministic;
  PetscFunctionReturn(PETSC_SUCCESS);
}
