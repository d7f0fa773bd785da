/* The core's own registrations: the log stages and the events of phases that every component has
   (building objects, integrating in time). Each component registers its classes, events and
   types in its own NdXInitializePackage(); NdInitializePackage() (src/app/package.c) calls them
   all. Core knows no component. */
#include <neurodyn/core.h>

PetscLogEvent ND_EVENT_BUILD, ND_EVENT_INTEGRATE;
PetscLogStage ND_STAGE_SETUP, ND_STAGE_RUN;

static PetscBool NdCorePackageInitialized = PETSC_FALSE;

/* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
   PetscInitialize() + NdInitializePackage() in the same process registers everything again */
PetscErrorCode NdCoreFinalizePackage(void)
{
  PetscFunctionBegin;
  NdCorePackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by every component's NdXInitializePackage() */
PetscErrorCode NdCoreInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdCorePackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdCorePackageInitialized = PETSC_TRUE;
  PetscCall(PetscLogEventRegister("NdBuild", PETSC_OBJECT_CLASSID, &ND_EVENT_BUILD));
  PetscCall(PetscLogEventRegister("NdIntegrate", PETSC_OBJECT_CLASSID, &ND_EVENT_INTEGRATE));
  PetscCall(PetscLogStageRegister("NdSetup", &ND_STAGE_SETUP));
  PetscCall(PetscLogStageRegister("NdRun", &ND_STAGE_RUN));
  PetscCall(PetscRegisterFinalize(NdCoreFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdFunctionListNames(PetscFunctionList list, char names[], size_t len)
{
  const char **keys;
  int          n;

  PetscFunctionBegin;
  names[0] = 0;
  PetscCall(PetscFunctionListGet(list, &keys, &n));
  for (int i = 0; i < n; i++) {
    if (!keys[i] || !keys[i][0]) continue;
    if (names[0]) PetscCall(PetscStrlcat(names, ", ", len));
    PetscCall(PetscStrlcat(names, keys[i], len));
  }
  PetscCall(PetscFree(keys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
