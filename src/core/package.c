/* Registration of neurodyn's classes, types and log events, in one place. */
#include <neurodyn/private/hdf5util.h>
#include <neurodyn/system.h>
#include <neurodyn/continuation.h>
#include <neurodyn/stimulus.h>
#include <neurodyn/binary.h>
#include <neurodyn/sde.h>
#include <neurodyn/network.h>

PetscClassId ND_SYSTEM_CLASSID, ND_STIMULUS_CLASSID, ND_OUTPUT_CLASSID, ND_CONTINUATION_CLASSID, ND_BINARY_CLASSID,
    ND_NETWORK_CLASSID;
PetscLogEvent ND_EVENT_BUILD, ND_EVENT_INTEGRATE, ND_EVENT_RECORD, ND_EVENT_WRITE, ND_EVENT_CONTINUE, ND_EVENT_SPECTRUM,
    ND_EVENT_BINARY_ENUMERATE, ND_EVENT_BINARY_SOLVE, ND_EVENT_UPDATE, ND_EVENT_EXCHANGE, ND_EVENT_DELIVER,
    ND_EVENT_CHECKPOINT;

PetscLogStage ND_STAGE_SETUP, ND_STAGE_RUN;

static PetscBool NdPackageInitialized = PETSC_FALSE;

PetscErrorCode NdFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdSystemList));
  PetscCall(PetscFunctionListDestroy(&NdStimulusList));
  PetscCall(PetscFunctionListDestroy(&NdContinuationList));
  PetscCall(PetscFunctionListDestroy(&NdBinaryList));
  PetscCall(PetscFunctionListDestroy(&NdNeuronModelList));
  /* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
     PetscInitialize() + NdInitializePackage() in the same process registers everything again */
  NdSystemRegisterAllCalled       = PETSC_FALSE;
  NdStimulusRegisterAllCalled     = PETSC_FALSE;
  NdContinuationRegisterAllCalled = PETSC_FALSE;
  NdBinaryRegisterAllCalled       = PETSC_FALSE;
  NdNeuronModelRegisterAllCalled  = PETSC_FALSE;
  NdPackageInitialized            = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Called by every NdXCreate(); idempotent. */
PetscErrorCode NdInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdPackageInitialized = PETSC_TRUE;
  PetscCall(PetscClassIdRegister("NdSystem", &ND_SYSTEM_CLASSID));
  PetscCall(PetscClassIdRegister("NdStimulus", &ND_STIMULUS_CLASSID));
  PetscCall(PetscClassIdRegister("NdOutput", &ND_OUTPUT_CLASSID));
  PetscCall(PetscClassIdRegister("NdContinuation", &ND_CONTINUATION_CLASSID));
  PetscCall(PetscClassIdRegister("NdBinary", &ND_BINARY_CLASSID));
  PetscCall(PetscClassIdRegister("NdNetwork", &ND_NETWORK_CLASSID));
  PetscCall(PetscLogEventRegister("NdBuild", ND_SYSTEM_CLASSID, &ND_EVENT_BUILD));
  PetscCall(PetscLogEventRegister("NdIntegrate", ND_SYSTEM_CLASSID, &ND_EVENT_INTEGRATE));
  PetscCall(PetscLogEventRegister("NdRecord", ND_OUTPUT_CLASSID, &ND_EVENT_RECORD));
  PetscCall(PetscLogEventRegister("NdWrite", ND_OUTPUT_CLASSID, &ND_EVENT_WRITE));
  PetscCall(PetscLogEventRegister("NdContinue", ND_CONTINUATION_CLASSID, &ND_EVENT_CONTINUE));
  PetscCall(PetscLogEventRegister("NdSpectrum", ND_CONTINUATION_CLASSID, &ND_EVENT_SPECTRUM));
  PetscCall(PetscLogEventRegister("NdBinEnumerate", ND_BINARY_CLASSID, &ND_EVENT_BINARY_ENUMERATE));
  PetscCall(PetscLogEventRegister("NdBinSolve", ND_BINARY_CLASSID, &ND_EVENT_BINARY_SOLVE));
  PetscCall(PetscLogEventRegister("NdCheckpoint", ND_OUTPUT_CLASSID, &ND_EVENT_CHECKPOINT));
  PetscCall(PetscLogEventRegister("NdUpdate", ND_NETWORK_CLASSID, &ND_EVENT_UPDATE));
  PetscCall(PetscLogEventRegister("NdExchange", ND_NETWORK_CLASSID, &ND_EVENT_EXCHANGE));
  PetscCall(PetscLogEventRegister("NdDeliver", ND_NETWORK_CLASSID, &ND_EVENT_DELIVER));
  PetscCall(PetscLogStageRegister("NdSetup", &ND_STAGE_SETUP));
  PetscCall(PetscLogStageRegister("NdRun", &ND_STAGE_RUN));
  PetscCall(NdSystemRegisterAll());
  PetscCall(NdNeuronModelRegisterAll());
  PetscCall(NdStimulusRegisterAll());
  PetscCall(NdContinuationRegisterAll());
  PetscCall(NdBinaryRegisterAll());
  PetscCall(NdTSRegisterSDE());
  /* HDF5 failures are reported through PETSc errors with a message; silence HDF5's own stack dumps. */
  NdCallHDF5(H5Eset_auto2(H5E_DEFAULT, NULL, NULL));
  PetscCall(PetscRegisterFinalize(NdFinalizePackage));
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
