/* The spectrum component's registrations: the class NdLinearization, its types and the log event
   NdSpectrum. */
#include <neurodyn/spectrum.h>

PetscLogEvent ND_EVENT_SPECTRUM;

static PetscBool NdSpectrumPackageInitialized = PETSC_FALSE;

PetscErrorCode NdSpectrumFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdLinearizationList));
  NdLinearizationRegisterAllCalled = PETSC_FALSE;
  NdSpectrumPackageInitialized     = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by the spectrum's objects, by continuation's package and by
   NdInitializePackage() */
PetscErrorCode NdSpectrumInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdSpectrumPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdSpectrumPackageInitialized = PETSC_TRUE;
  PetscCall(NdSystemInitializePackage());
  PetscCall(PetscClassIdRegister("NdLinearization", &ND_LINEARIZATION_CLASSID));
  PetscCall(PetscLogEventRegister("NdSpectrum", ND_LINEARIZATION_CLASSID, &ND_EVENT_SPECTRUM));
  PetscCall(NdLinearizationRegisterAll());
  PetscCall(PetscRegisterFinalize(NdSpectrumFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}
