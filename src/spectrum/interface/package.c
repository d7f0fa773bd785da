/* The spectrum component's registrations: its log event (and, with NdLinearization, its class
   and types). */
#include <neurodyn/spectrum.h>

PetscLogEvent ND_EVENT_SPECTRUM;

static PetscBool NdSpectrumPackageInitialized = PETSC_FALSE;

PetscErrorCode NdSpectrumFinalizePackage(void)
{
  PetscFunctionBegin;
  NdSpectrumPackageInitialized = PETSC_FALSE;
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
  PetscCall(PetscLogEventRegister("NdSpectrum", PETSC_OBJECT_CLASSID, &ND_EVENT_SPECTRUM));
  PetscCall(PetscRegisterFinalize(NdSpectrumFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}
