/* The whole library's initialisation: every component registers its own classes, events and
   types in its NdXInitializePackage() (as PETSc's dlregis*.c); this, at the top of the library,
   calls them all, so that a command or a program finds every type registered (e.g. for -help and
   info). Each component's finalisation is registered with PetscRegisterFinalize(). */
#include <neurodyn/neurodyn.h>
#include <neurodyn/network.h>
#include <neurodyn/spectrum.h>

PetscErrorCode NdInitializePackage(void)
{
  PetscFunctionBegin;
  PetscCall(NdCoreInitializePackage());
  PetscCall(NdOutputInitializePackage());
  PetscCall(NdStimulusInitializePackage());
  PetscCall(NdSDEInitializePackage());
  PetscCall(NdSystemInitializePackage());
  PetscCall(NdSpectrumInitializePackage());
  PetscCall(NdNetworkInitializePackage());
  PetscCall(NdBinaryInitializePackage());
  PetscCall(NdContinuationInitializePackage());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every component's finalisation, highest first (PetscFinalize calls them too; each may run
   twice: it only destroys its lists and resets its flags) */
PetscErrorCode NdFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(NdContinuationFinalizePackage());
  PetscCall(NdBinaryFinalizePackage());
  PetscCall(NdNetworkFinalizePackage());
  PetscCall(NdSpectrumFinalizePackage());
  PetscCall(NdSystemFinalizePackage());
  PetscCall(NdStimulusFinalizePackage());
  PetscCall(NdOutputFinalizePackage());
  PetscCall(NdCoreFinalizePackage());
  PetscFunctionReturn(PETSC_SUCCESS);
}
