/* NdLinearization: a system linearised at its fixed point. The generic object finds the fixed
   point x (Newton, SNES) and the Jacobian A there; its types compute from A what a command asks
   for (src/spectrum/impls/): eigen (the rightmost or all eigenvalues), response (chi(omega)),
   covariance (the stationary covariance) and linear_equivalent (the covariance and the
   large-N cross-spectrum of a rate network), and write it through NdOutput. */
#include <neurodyn/private/linearizationimpl.h>

PetscClassId      ND_LINEARIZATION_CLASSID;
PetscFunctionList NdLinearizationList              = NULL;
PetscBool         NdLinearizationRegisterAllCalled = PETSC_FALSE;

PETSC_EXTERN PetscErrorCode NdLinearizationCreate_Eigen(NdLinearization);
PETSC_EXTERN PetscErrorCode NdLinearizationCreate_Response(NdLinearization);
PETSC_EXTERN PetscErrorCode NdLinearizationCreate_Covariance(NdLinearization);
PETSC_EXTERN PetscErrorCode NdLinearizationCreate_LinearEquivalent(NdLinearization);

PetscErrorCode NdLinearizationRegister(const char name[], PetscErrorCode (*create)(NdLinearization))
{
  PetscFunctionBegin;
  PetscCall(NdSpectrumInitializePackage());
  PetscCall(PetscFunctionListAdd(&NdLinearizationList, name, create));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationRegisterAll(void)
{
  PetscFunctionBegin;
  if (NdLinearizationRegisterAllCalled) PetscFunctionReturn(PETSC_SUCCESS);
  NdLinearizationRegisterAllCalled = PETSC_TRUE;
  PetscCall(NdLinearizationRegister(NDLINEARIZATIONEIGEN, NdLinearizationCreate_Eigen));
  PetscCall(NdLinearizationRegister(NDLINEARIZATIONRESPONSE, NdLinearizationCreate_Response));
  PetscCall(NdLinearizationRegister(NDLINEARIZATIONCOVARIANCE, NdLinearizationCreate_Covariance));
  PetscCall(NdLinearizationRegister(NDLINEARIZATIONLINEAREQUIVALENT, NdLinearizationCreate_LinearEquivalent));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationCreate(MPI_Comm comm, NdLinearization *linearization)
{
  NdLinearization lin;

  PetscFunctionBegin;
  PetscAssertPointer(linearization, 2);
  PetscCall(NdSpectrumInitializePackage());
  PetscCall(PetscHeaderCreate(lin, ND_LINEARIZATION_CLASSID, "NdLinearization", "System linearised at a fixed point",
                              "NdLinearization", comm, NdLinearizationDestroy, NdLinearizationView));
  lin->fixed_point  = PETSC_TRUE;
  lin->start_option = "-spec_start";
  *linearization    = lin;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The system (referenced); set before SetFromOptions */
PetscErrorCode NdLinearizationSetSystem(NdLinearization lin, NdSystem sys)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscCall(PetscObjectReference((PetscObject)sys));
  PetscCall(NdSystemDestroy(&lin->sys));
  lin->sys = sys;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationGetSystem(NdLinearization lin, NdSystem *sys)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  *sys = lin->sys;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationReset(NdLinearization lin)
{
  PetscFunctionBegin;
  if (lin->ops->destroy) PetscCall((*lin->ops->destroy)(lin));
  PetscCall(PetscMemzero(lin->ops, sizeof(struct _NdLinearizationOps)));
  lin->data        = NULL;
  lin->fixed_point = PETSC_TRUE;
  lin->setupcalled = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationSetType(NdLinearization lin, NdLinearizationType type)
{
  PetscErrorCode (*create)(NdLinearization);
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)lin, type, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdLinearizationRegisterAll());
  PetscCall(PetscFunctionListFind(NdLinearizationList, type, &create));
  if (!create) {
    char names[256];
    PetscCall(NdFunctionListNames(NdLinearizationList, names, sizeof(names)));
    SETERRQ(PetscObjectComm((PetscObject)lin), PETSC_ERR_USER_INPUT, "unknown linearisation type '%s' (known: %s)",
            type, names);
  }
  PetscCall(NdLinearizationReset(lin));
  PetscCall(PetscObjectChangeTypeName((PetscObject)lin, type));
  PetscCall((*create)(lin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationGetType(NdLinearization lin, NdLinearizationType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  *type = ((PetscObject)lin)->type_name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -spec_type (default: the type set, else eigen), the type's options under its own names (-spec_*,
   -resp_*, -cov_*: those of the commands spectrum, response and covariance), the start file
   (-spec_start, -resp_start or -cov_start), and the fixed point's SNES (-snes_*) */
PetscErrorCode NdLinearizationSetFromOptions(NdLinearization lin)
{
  char      type[64];
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscCheck(lin->sys, PetscObjectComm((PetscObject)lin), PETSC_ERR_ORDER,
             "NdLinearizationSetSystem() before NdLinearizationSetFromOptions()");
  PetscCall(NdLinearizationRegisterAll());
  PetscCall(PetscStrncpy(type, ((PetscObject)lin)->type_name ? ((PetscObject)lin)->type_name : NDLINEARIZATIONEIGEN,
                         sizeof(type)));
  PetscObjectOptionsBegin((PetscObject)lin);
  PetscCall(PetscOptionsFList("-spec_type", "What is computed at the fixed point", "NdLinearizationSetType",
                              NdLinearizationList, type, type, sizeof(type), &set));
  PetscCall(NdLinearizationSetType(lin, type));
  if (lin->ops->setfromoptions) PetscCall((*lin->ops->setfromoptions)(lin, PetscOptionsObject));
  PetscCall(PetscOptionsString(lin->start_option, "Start Newton from the last state of this simulate output", "",
                               lin->start, lin->start, sizeof(lin->start), NULL));
  PetscOptionsEnd();
  if (lin->ops->setsolvers) PetscCall((*lin->ops->setsolvers)(lin));
  PetscCall(SNESDestroy(&lin->snes));
  PetscCall(NdFixedPointCreateSNES(lin->sys, &lin->snes));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The system's set-up, the state vector and the type's checks that need N */
PetscErrorCode NdLinearizationSetUp(NdLinearization lin)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  if (lin->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  if (!((PetscObject)lin)->type_name) PetscCall(NdLinearizationSetType(lin, NDLINEARIZATIONEIGEN));
  if (!lin->snes) PetscCall(NdFixedPointCreateSNES(lin->sys, &lin->snes));
  PetscCall(NdSystemSetUp(lin->sys));
  PetscCall(VecDestroy(&lin->x));
  PetscCall(NdSystemCreateVector(lin->sys, &lin->x));
  PetscCall(VecGetSize(lin->x, &lin->N)); /* unknowns: nodes times variables per node */
  if (lin->ops->setup) PetscCall((*lin->ops->setup)(lin));
  lin->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The fixed point (from the initial state, or the last state of the start file) and the
   Jacobian there, then what the type computes, written through out when out is given (the type
   opens it when its results are ready); a signal caught on the way stops it with one line */
PetscErrorCode NdLinearizationSolve(NdLinearization lin, NdOutput out)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)lin);
  PetscLogDouble wall0, wall1;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscCall(NdLinearizationSetUp(lin));
  PetscCall(NdSystemGetInitialState(lin->sys, lin->x));
  if (lin->start[0]) PetscCall(NdReadFinalState(lin->sys, lin->start, lin->start_option, lin->x));
  PetscCall(MatDestroy(&lin->A));
  PetscCall(NdSystemCreateJacobianMatrix(lin->sys, &lin->A));
  PetscCall(PetscTime(&wall0));
  if (lin->fixed_point)
    PetscCall(NdSystemSolveFixedPoint(lin->sys, lin->snes, lin->x, lin->A));
  else
    PetscCall(NdSystemComputeJacobian(lin->sys, 0.0, lin->x, lin->A)); /* assembled: a theory may copy J from it */
  PetscCall(PetscTime(&wall1));
  lin->fixed_point_seconds = wall1 - wall0;
  PetscCall(NdSignalStop(comm, out, "after the fixed point"));
  PetscCall((*lin->ops->solve)(lin, out));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationOpenOutput(NdLinearization lin, NdOutput out, const char fixed_point_path[])
{
  PetscFunctionBegin;
  if (!out) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdOutputOpen(out));
  PetscCall(NdSystemWriteDescription(lin->sys, out));
  if (fixed_point_path) PetscCall(NdSystemWriteState(lin->sys, out, fixed_point_path, lin->x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationCheckRate(NdLinearization lin, const char option[], PetscBool *rate)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)lin->sys, NDSYSTEMRATE, rate));
  if (option)
    PetscCheck(*rate, PetscObjectComm((PetscObject)lin), PETSC_ERR_USER_INPUT,
               "%s is the theory of the rate network: needs -sys_type rate", option);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* One clause on what was computed, for the summary line of a command */
PetscErrorCode NdLinearizationGetSummary(NdLinearization lin, char buf[], size_t len)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  buf[0] = 0;
  if (lin->ops->summary) PetscCall((*lin->ops->summary)(lin, buf, len));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The fixed point and the Jacobian there (after NdLinearizationSolve; owned by the object) */
PetscErrorCode NdLinearizationGetFixedPoint(NdLinearization lin, Vec *x)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  *x = lin->x;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationGetJacobian(NdLinearization lin, Mat *A)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  *A = lin->A;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationSetFrequencies(NdLinearization lin, PetscInt n, const PetscReal omega[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscUseMethod(lin, "NdLinearizationSetFrequencies_C", (NdLinearization, PetscInt, const PetscReal[]),
                 (lin, n, omega));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationGetResponse(NdLinearization lin, PetscInt *n, const PetscReal *omega[],
                                          const PetscReal *gain[], const PetscReal *phase[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscUseMethod(lin, "NdLinearizationGetResponse_C",
                 (NdLinearization, PetscInt *, const PetscReal *[], const PetscReal *[], const PetscReal *[]),
                 (lin, n, omega, gain, phase));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationSetNoise(NdLinearization lin, PetscReal sigma)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscUseMethod(lin, "NdLinearizationSetNoise_C", (NdLinearization, PetscReal), (lin, sigma));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationGetCovariance(NdLinearization lin, PetscInt *N, const PetscReal *C[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  PetscUseMethod(lin, "NdLinearizationGetCovariance_C", (NdLinearization, PetscInt *, const PetscReal *[]),
                 (lin, N, C));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationGetEPS(NdLinearization lin, EPS *eps)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  *eps = lin->eps;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationView(NdLinearization lin, PetscViewer viewer)
{
  PetscBool isascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)lin), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)lin, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  if (lin->setupcalled) PetscCall(PetscViewerASCIIPrintf(viewer, "N = %" PetscInt_FMT " unknowns\n", lin->N));
  PetscCall(PetscViewerASCIIPrintf(viewer, "%s\n",
                                   lin->fixed_point ? "at the fixed point (Newton, SNES)"
                                                    : "at the initial state (no fixed point needed)"));
  if (lin->start[0]) PetscCall(PetscViewerASCIIPrintf(viewer, "Newton starts from the last state of %s\n", lin->start));
  if (lin->ops->view) PetscCall((*lin->ops->view)(lin, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearizationDestroy(NdLinearization *linearization)
{
  NdLinearization lin = *linearization;

  PetscFunctionBegin;
  if (!lin) PetscFunctionReturn(PETSC_SUCCESS);
  PetscValidHeaderSpecific(lin, ND_LINEARIZATION_CLASSID, 1);
  if (--((PetscObject)lin)->refct > 0) {
    *linearization = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdLinearizationReset(lin));
  PetscCall(SNESDestroy(&lin->snes));
  PetscCall(EPSDestroy(&lin->eps));
  PetscCall(VecDestroy(&lin->x));
  PetscCall(MatDestroy(&lin->A));
  PetscCall(NdSystemDestroy(&lin->sys));
  PetscCall(PetscHeaderDestroy(linearization));
  PetscFunctionReturn(PETSC_SUCCESS);
}
