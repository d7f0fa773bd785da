/* NdSystem: the generic object (parameters, variables, layout, options, view). Types live in
   src/system/impls/; evaluation and TS glue in the other files of this folder. */
#include <neurodyn/private/systemimpl.h>
#include <neurodyn/sde.h>

PetscFunctionList NdSystemList              = NULL;
PetscBool         NdSystemRegisterAllCalled = PETSC_FALSE;
PetscClassId      ND_SYSTEM_CLASSID;

static PetscBool NdSystemPackageInitialized = PETSC_FALSE;

/* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
   PetscInitialize() + NdInitializePackage() registers everything again */
PetscErrorCode NdSystemFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdSystemList));
  NdSystemRegisterAllCalled  = PETSC_FALSE;
  NdSystemPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by NdSystemCreate() and by NdInitializePackage() */
PetscErrorCode NdSystemInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdSystemPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdSystemPackageInitialized = PETSC_TRUE;
  PetscCall(NdCoreInitializePackage());
  PetscCall(NdOutputInitializePackage());
  PetscCall(NdStimulusInitializePackage());
  PetscCall(NdSDEInitializePackage());
  PetscCall(PetscClassIdRegister("NdSystem", &ND_SYSTEM_CLASSID));
  PetscCall(NdSystemRegisterAll());
  PetscCall(PetscRegisterFinalize(NdSystemFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemRegister(const char name[], PetscErrorCode (*create)(NdSystem))
{
  PetscFunctionBegin;
  PetscCall(NdSystemInitializePackage());
  PetscCall(PetscFunctionListAdd(&NdSystemList, name, create));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_MPR(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemCreate_IzhMF(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemCreate_IzhMFSlow(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemCreate_Rate(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemCreate_MarkovEI(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemCreate_NodeNetwork(NdSystem);
PETSC_EXTERN PetscErrorCode NdSystemCreate_MPRShotNoise(NdSystem);

PetscErrorCode NdSystemRegisterAll(void)
{
  PetscFunctionBegin;
  if (NdSystemRegisterAllCalled) PetscFunctionReturn(PETSC_SUCCESS);
  NdSystemRegisterAllCalled = PETSC_TRUE;
  PetscCall(NdSystemRegister(NDSYSTEMMPR, NdSystemCreate_MPR));
  PetscCall(NdSystemRegister(NDSYSTEMIZHMF, NdSystemCreate_IzhMF));
  PetscCall(NdSystemRegister(NDSYSTEMIZHMFSLOW, NdSystemCreate_IzhMFSlow));
  PetscCall(NdSystemRegister(NDSYSTEMRATE, NdSystemCreate_Rate));
  PetscCall(NdSystemRegister(NDSYSTEMMARKOVEI, NdSystemCreate_MarkovEI));
  PetscCall(NdSystemRegister(NDSYSTEMNODENETWORK, NdSystemCreate_NodeNetwork));
  PetscCall(NdSystemRegister(NDSYSTEMMPRSHOTNOISE, NdSystemCreate_MPRShotNoise));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemCreate(MPI_Comm comm, NdSystem *system)
{
  NdSystem sys;

  PetscFunctionBegin;
  PetscAssertPointer(system, 2);
  PetscCall(NdSystemInitializePackage());
  PetscCall(PetscHeaderCreate(sys, ND_SYSTEM_CLASSID, "NdSystem", "Smooth dynamical system", "NdSystem", comm,
                              NdSystemDestroy, NdSystemView));
  sys->nnodes = 1;
  PetscCall(PetscStrncpy(sys->time_unit, "1", sizeof(sys->time_unit)));
  *system = sys;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemReset(NdSystem sys)
{
  PetscFunctionBegin;
  if (sys->ops->destroy) PetscCall((*sys->ops->destroy)(sys));
  PetscCall(PetscMemzero(sys->ops, sizeof(struct _NdSystemOps)));
  PetscCall(PetscFree(sys->param));
  PetscCall(PetscFree(sys->var));
  PetscCall(PetscFree(sys->obs));
  sys->nparam = sys->nvar = sys->nobs = 0;
  sys->data                           = NULL;
  sys->description[0]                 = 0;
  sys->input_unit[0]                  = 0;
  sys->nnodes                         = 1;
  sys->setupcalled                    = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetType(NdSystem sys, NdSystemType type)
{
  PetscErrorCode (*create)(NdSystem);
  PetscBool same;
  char      known[256];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(sys, ND_SYSTEM_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)sys, type, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFunctionListFind(NdSystemList, type, &create));
  PetscCall(NdFunctionListNames(NdSystemList, known, sizeof(known)));
  PetscCheck(create, PetscObjectComm((PetscObject)sys), PETSC_ERR_ARG_UNKNOWN_TYPE,
             "unknown system type '%s' (known: %s)", type, known);
  PetscCall(NdSystemReset(sys));
  PetscCall(PetscObjectChangeTypeName((PetscObject)sys, type));
  PetscCall((*create)(sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetType(NdSystem sys, NdSystemType *type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(sys, ND_SYSTEM_CLASSID, 1);
  *type = ((PetscObject)sys)->type_name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetOptionsPrefix(NdSystem sys, const char prefix[])
{
  PetscFunctionBegin;
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)sys, prefix));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- declarations made by the types ---- */

PetscErrorCode NdSystemSetDescription(NdSystem sys, const char text[])
{
  PetscFunctionBegin;
  PetscCall(PetscStrncpy(sys->description, text, sizeof(sys->description)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemAddParameter(NdSystem sys, const char name[], PetscReal value, const char unit[],
                                    PetscReal lower, PetscBool lower_open, PetscReal upper, PetscBool upper_open,
                                    const char description[])
{
  PetscFunctionBegin;
  PetscCall(
      NdParameterAdd(&sys->nparam, &sys->param, name, value, unit, lower, lower_open, upper, upper_open, description));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemClearVariables(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(sys->var));
  PetscCall(PetscFree(sys->obs));
  sys->nvar = sys->nobs = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemAddVariable(NdSystem sys, const char name[], const char unit[], PetscReal initial,
                                   const char description[])
{
  NdVariable *v;

  PetscFunctionBegin;
  PetscCall(PetscRealloc(sizeof(NdVariable) * (size_t)(sys->nvar + 1), &sys->var));
  v = &sys->var[sys->nvar++];
  PetscCall(PetscMemzero(v, sizeof(*v)));
  PetscCall(PetscStrncpy(v->name, name, sizeof(v->name)));
  PetscCall(PetscStrncpy(v->unit, unit, sizeof(v->unit)));
  PetscCall(PetscStrncpy(v->description, description, sizeof(v->description)));
  v->initial  = initial;
  v->lower    = PETSC_MIN_REAL;
  v->upper    = PETSC_MAX_REAL;
  v->recorded = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetVariableRecorded(NdSystem sys, PetscInt i, PetscBool recorded)
{
  PetscFunctionBegin;
  PetscCheck(i >= 0 && i < sys->nvar, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "no variable %" PetscInt_FMT, i);
  sys->var[i].recorded = recorded;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetVariableRange(NdSystem sys, PetscInt i, PetscReal lower, PetscReal upper)
{
  PetscFunctionBegin;
  PetscCheck(i >= 0 && i < sys->nvar, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "no variable %" PetscInt_FMT, i);
  sys->var[i].lower = lower;
  sys->var[i].upper = upper;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemAddObservable(NdSystem sys, const char name[], const char unit[], const char description[])
{
  NdObservable *o;

  PetscFunctionBegin;
  PetscCall(PetscRealloc(sizeof(NdObservable) * (size_t)(sys->nobs + 1), &sys->obs));
  o = &sys->obs[sys->nobs++];
  PetscCall(PetscMemzero(o, sizeof(*o)));
  PetscCall(PetscStrncpy(o->name, name, sizeof(o->name)));
  PetscCall(PetscStrncpy(o->unit, unit, sizeof(o->unit)));
  PetscCall(PetscStrncpy(o->description, description, sizeof(o->description)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetInputUnit(NdSystem sys, const char unit[])
{
  PetscFunctionBegin;
  PetscCall(PetscStrncpy(sys->input_unit, unit, sizeof(sys->input_unit)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetNumNodes(NdSystem sys, PetscInt nnodes)
{
  PetscFunctionBegin;
  PetscCheck(nnodes > 0, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "a system needs at least one node (got %" PetscInt_FMT ")", nnodes);
  sys->nnodes = nnodes;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemDeclareVariables(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemClearVariables(sys));
  PetscCall((*sys->ops->setvariables)(sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- parameters ---- */

PetscErrorCode NdSystemGetNumParameters(NdSystem sys, PetscInt *n)
{
  PetscFunctionBegin;
  *n = sys->nparam;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetParameterIndex(NdSystem sys, const char name[], PetscInt *index)
{
  char known[512] = "";

  PetscFunctionBegin;
  for (PetscInt i = 0; i < sys->nparam; i++) {
    PetscBool match;
    PetscCall(PetscStrcasecmp(sys->param[i].name, name, &match));
    if (match) {
      *index = i;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    if (i) PetscCall(PetscStrlcat(known, ", ", sizeof(known)));
    PetscCall(PetscStrlcat(known, sys->param[i].name, sizeof(known)));
  }
  SETERRQ(PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
          "system '%s' has no parameter '%s' (its parameters: %s)", ((PetscObject)sys)->type_name, name, known);
}

PetscErrorCode NdSystemGetParameterName(NdSystem sys, PetscInt i, const char *name[])
{
  PetscFunctionBegin;
  PetscCheck(i >= 0 && i < sys->nparam, PetscObjectComm((PetscObject)sys), PETSC_ERR_ARG_OUTOFRANGE,
             "parameter index %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", i, sys->nparam);
  *name = sys->param[i].name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemCheckParameter(NdSystem, PetscInt);

/* Sets and range-checks a parameter */
PetscErrorCode NdSystemSetParameter(NdSystem sys, const char name[], PetscReal value)
{
  PetscInt i;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterIndex(sys, name, &i));
  sys->param[i].value = value;
  PetscCall(NdSystemCheckParameter(sys, i));
  if (sys->param[i].structural) sys->setupcalled = PETSC_FALSE; /* the variables are declared anew */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetParameter(NdSystem sys, const char name[], PetscReal *value)
{
  PetscInt i;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterIndex(sys, name, &i));
  *value = sys->param[i].value;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetParameterUnit(NdSystem sys, PetscInt i, char unit[], size_t len)
{
  PetscFunctionBegin;
  NdUnitResolve(sys->param[i].unit, sys->time_unit, unit, len);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemCheckParameter(NdSystem sys, PetscInt i)
{
  const NdParameter *p = &sys->param[i];
  char               owner[64], option[64];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(owner, sizeof(owner), "system '%s'", ((PetscObject)sys)->type_name));
  PetscCall(PetscSNPrintf(option, sizeof(option), "-params_%s", p->name));
  PetscCall(NdParameterCheck(PetscObjectComm((PetscObject)sys), p, p->value, owner, option));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemCheckParameters(NdSystem sys)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < sys->nparam; i++) PetscCall(NdSystemCheckParameter(sys, i));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- variables and layout ---- */

PetscErrorCode NdSystemGetNumVariables(NdSystem sys, PetscInt *n)
{
  PetscFunctionBegin;
  *n = sys->nvar;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetVariableName(NdSystem sys, PetscInt i, const char *name[])
{
  PetscFunctionBegin;
  *name = sys->var[i].name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetVariableRecorded(NdSystem sys, PetscInt i, PetscBool *recorded)
{
  PetscFunctionBegin;
  *recorded = sys->var[i].recorded;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetVariableUnit(NdSystem sys, PetscInt i, char unit[], size_t len)
{
  PetscFunctionBegin;
  NdUnitResolve(sys->var[i].unit, sys->time_unit, unit, len);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetObservableUnit(NdSystem sys, PetscInt i, char unit[], size_t len)
{
  PetscFunctionBegin;
  NdUnitResolve(sys->obs[i].unit, sys->time_unit, unit, len);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetInputUnit(NdSystem sys, char unit[], size_t len)
{
  PetscFunctionBegin;
  NdUnitResolve(sys->input_unit[0] ? sys->input_unit : "1", sys->time_unit, unit, len);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetTimeUnit(NdSystem sys, const char *unit[])
{
  PetscFunctionBegin;
  *unit = sys->time_unit;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* total nodes, local nodes, first local node */
PetscErrorCode NdSystemGetNodes(NdSystem sys, PetscInt *nnodes, PetscInt *nlocal, PetscInt *start)
{
  PetscFunctionBegin;
  if (nnodes) *nnodes = sys->nnodes;
  if (nlocal) *nlocal = sys->nnodes_local;
  if (start) *start = sys->node_start;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetStimulus(NdSystem sys, NdStimulus stim)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(stim, ND_STIMULUS_CLASSID, 2);
  PetscCall(PetscObjectReference((PetscObject)stim));
  PetscCall(NdStimulusDestroy(&sys->stimulus));
  sys->stimulus = stim;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetStimulus(NdSystem sys, NdStimulus *stim)
{
  PetscFunctionBegin;
  if (!sys->stimulus) {
    PetscCall(NdStimulusCreate(PetscObjectComm((PetscObject)sys), &sys->stimulus));
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)sys->stimulus, ((PetscObject)sys)->prefix));
  }
  *stim = sys->stimulus;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Unknown -params_<name> options get a message that lists the system's parameters. */
static PetscErrorCode NdSystemCheckParameterOptions(NdSystem sys)
{
  PetscInt    n;
  char      **names, **values;
  char        pre[256];
  size_t      len;
  const char *prefix = ((PetscObject)sys)->prefix;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(pre, sizeof(pre), "%sparams_", prefix ? prefix : ""));
  PetscCall(PetscStrlen(pre, &len));
  PetscCall(PetscOptionsLeftGet(((PetscObject)sys)->options, &n, &names, &values));
  for (PetscInt i = 0; i < n; i++) {
    PetscBool match;
    PetscInt  index;
    PetscCall(PetscStrncmp(names[i], pre, len, &match));
    if (match) {
      char name[256];
      PetscCall(PetscStrncpy(name, names[i] + len, sizeof(name)));
      PetscCall(PetscOptionsLeftRestore(((PetscObject)sys)->options, &n, &names, &values));
      PetscCall(NdSystemGetParameterIndex(sys, name, &index)); /* errors, naming the known parameters */
    }
  }
  PetscCall(PetscOptionsLeftRestore(((PetscObject)sys)->options, &n, &names, &values));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -sys_type, -sys_time_unit, -params_<name>, the type's options, -init_<variable>, and the stimulus (-stim_*) */
PetscErrorCode NdSystemSetFromOptions(NdSystem sys)
{
  char       type[256], known[256], opt[64], text[256];
  PetscBool  set;
  NdStimulus stim;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(sys, ND_SYSTEM_CLASSID, 1);
  PetscCall(NdFunctionListNames(NdSystemList, known, sizeof(known)));
  PetscObjectOptionsBegin((PetscObject)sys);
  PetscCall(PetscOptionsFList("-sys_type", "System type", "NdSystemSetType", NdSystemList,
                              ((PetscObject)sys)->type_name ? ((PetscObject)sys)->type_name : "", type, sizeof(type),
                              &set));
  if (set) PetscCall(NdSystemSetType(sys, type));
  if (!((PetscObject)sys)->type_name && PetscOptionsObject->printhelp) {
    /* -help without a system: list the options with the first type, so that the command's own
       options are listed too (they come after the system's) */
    PetscCall((*PetscHelpPrintf)(PetscObjectComm((PetscObject)sys),
                                 "  (no -sys_type given: the options below are those of -sys_type %s)\n", NDSYSTEMMPR));
    PetscCall(NdSystemSetType(sys, NDSYSTEMMPR));
  }
  if (((PetscObject)sys)->type_name) {
    PetscCall(PetscOptionsString("-sys_time_unit", "Unit of time of the parameters and of t (\"1\": dimensionless)",
                                 "NdSystemGetTimeUnit", sys->time_unit, sys->time_unit, sizeof(sys->time_unit), NULL));
    for (PetscInt i = 0; i < sys->nparam; i++) {
      NdParameter *p = &sys->param[i];
      PetscCall(PetscSNPrintf(opt, sizeof(opt), "-params_%s", p->name));
      PetscCall(PetscOptionsReal(opt, p->description, "NdSystemSetParameter", p->value, &p->value, NULL));
    }
    if (sys->ops->setfromoptions) PetscCall((*sys->ops->setfromoptions)(sys, PetscOptionsObject));
    if (sys->ops->diffusion) {
      PetscCall(NdOptionsInt(PetscOptionsObject, "-sys_seed", "Seed of the Wiener increments of the noise", 0,
                             PETSC_MAX_INT, &sys->seed, NULL));
    }
    PetscCall(NdSystemDeclareVariables(sys));
    for (PetscInt i = 0; i < sys->nvar; i++) {
      PetscReal value = sys->var[i].initial;
      PetscCall(PetscSNPrintf(opt, sizeof(opt), "-init_%s", sys->var[i].name));
      PetscCall(PetscSNPrintf(text, sizeof(text), "Initial value of %s", sys->var[i].description));
      PetscCall(PetscOptionsReal(opt, text, "NdSystemGetInitialState", value, &value, &set));
      if (set && (value < sys->var[i].lower || value > sys->var[i].upper)) {
        char range[64];
        PetscCall(NdRangeString(sys->var[i].lower, PETSC_FALSE, sys->var[i].upper, PETSC_FALSE, range, sizeof(range)));
        SETERRQ(PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
                "%s %g is out of range: valid values of the %s are %s", opt, (double)value, sys->var[i].description,
                range);
      }
      if (set) {
        PetscCall(PetscRealloc(sizeof(NdInitialValue) * (size_t)(sys->ninit + 1), &sys->init));
        PetscCall(PetscStrncpy(sys->init[sys->ninit].name, sys->var[i].name, ND_NAME_LEN));
        sys->init[sys->ninit++].value = value;
      }
    }
  }
  PetscCall(PetscObjectProcessOptionsHandlers((PetscObject)sys, PetscOptionsObject));
  PetscOptionsEnd();
  PetscCheck(((PetscObject)sys)->type_name, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "no system given: set -sys_type (known types: %s)", known);
  PetscCall(NdSystemCheckParameterOptions(sys));
  PetscCall(NdSystemGetStimulus(sys, &stim));
  PetscCall(NdStimulusSetFromOptions(stim));
  sys->setupcalled = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemSetUp(NdSystem sys)
{
  NdStimulus stim;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(sys, ND_SYSTEM_CLASSID, 1);
  if (sys->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCheck(((PetscObject)sys)->type_name, PetscObjectComm((PetscObject)sys), PETSC_ERR_ARG_WRONGSTATE,
             "NdSystemSetType() or -sys_type must come before NdSystemSetUp()");
  PetscCall(NdSystemCheckParameters(sys));
  PetscCall(NdSystemDeclareVariables(sys));
  if (sys->ops->setup) PetscCall((*sys->ops->setup)(sys));
  sys->nnodes_local = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(PetscObjectComm((PetscObject)sys), &sys->nnodes_local, &sys->nnodes));
  PetscCallMPI(MPI_Scan(&sys->nnodes_local, &sys->node_start, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)sys)));
  sys->node_start -= sys->nnodes_local;
  PetscCall(NdSystemGetStimulus(sys, &stim));
  PetscCall(NdStimulusSetUp(stim));
  sys->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Internal variables (not recorded) are many alike (noise filter states): a count and the first
   and last, which -init_<name> also accepts */
static PetscErrorCode NdSystemViewInternalVariables(NdSystem sys, PetscViewer viewer)
{
  PetscInt n = 0, first = -1, last = -1;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < sys->nvar; i++)
    if (!sys->var[i].recorded) {
      if (first < 0) first = i;
      last = i;
      n++;
    }
  if (n)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  and %" PetscInt_FMT " internal variables, not recorded: %s ... %s (%s)\n", n,
                                     sys->var[first].name, sys->var[last].name, sys->var[first].description));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemView(NdSystem sys, PetscViewer viewer)
{
  PetscBool isascii;
  char      unit[ND_NAME_LEN], range[64];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(sys, ND_SYSTEM_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)sys), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)sys, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  if (sys->description[0]) PetscCall(PetscViewerASCIIPrintf(viewer, "%s\n", sys->description));
  if (sys->ops->view) PetscCall((*sys->ops->view)(sys, viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "time unit: %s\n", sys->time_unit));
  PetscCall(PetscViewerASCIIPrintf(viewer, "variables (initial value with -init_<name>), %" PetscInt_FMT " node%s:\n",
                                   sys->nnodes, sys->nnodes > 1 ? "s" : ""));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  %-8s %-8s %-10s %-10s %s\n", "name", "unit", "initial", "range",
                                   "description"));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    PetscReal initial = sys->var[i].initial;
    char      range[64];
    if (!sys->var[i].recorded) continue;
    for (PetscInt k = 0; k < sys->ninit; k++)
      if (!strcmp(sys->init[k].name, sys->var[i].name)) initial = sys->init[k].value;
    PetscCall(NdSystemGetVariableUnit(sys, i, unit, sizeof(unit)));
    PetscCall(NdRangeString(sys->var[i].lower, PETSC_FALSE, sys->var[i].upper, PETSC_FALSE, range, sizeof(range)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %-8s %-8s %-10g %-10s %s\n", sys->var[i].name, unit, (double)initial,
                                     range, sys->var[i].description));
  }
  PetscCall(NdSystemViewInternalVariables(sys, viewer));
  if (sys->nobs)
    PetscCall(PetscViewerASCIIPrintf(viewer, "observables (recorded in /timeseries beside the variables):\n"));
  for (PetscInt i = 0; i < sys->nobs; i++) {
    PetscCall(NdSystemGetObservableUnit(sys, i, unit, sizeof(unit)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %-8s %-8s %s\n", sys->obs[i].name, unit, sys->obs[i].description));
  }
  PetscCall(PetscViewerASCIIPrintf(viewer, "parameters (set with -params_<name>):\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  %-8s %-10s %-10s %-8s %-14s %s\n", "name", "value", "default", "unit",
                                   "valid range", "description"));
  for (PetscInt i = 0; i < sys->nparam; i++) {
    const NdParameter *p = &sys->param[i];
    PetscCall(NdSystemGetParameterUnit(sys, i, unit, sizeof(unit)));
    PetscCall(NdParameterRangeString(p, range, sizeof(range)));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %-8s %-10g %-10g %-8s %-14s %s\n", p->name, (double)p->value,
                                     (double)p->default_value, unit, range, p->description));
  }
  if (sys->stimulus) PetscCall(NdStimulusView(sys->stimulus, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemViewFromOptions(NdSystem sys, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscCall(PetscObjectViewFromOptions((PetscObject)sys, obj, name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemDestroy(NdSystem *sys)
{
  PetscFunctionBegin;
  if (!*sys) PetscFunctionReturn(PETSC_SUCCESS);
  PetscValidHeaderSpecific(*sys, ND_SYSTEM_CLASSID, 1);
  if (--((PetscObject)(*sys))->refct > 0) {
    *sys = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdSystemReset(*sys));
  PetscCall(PetscFree((*sys)->init));
  PetscCall(NdStimulusDestroy(&(*sys)->stimulus));
  PetscCall(PetscHeaderDestroy(sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Fast access by index for solvers that move a parameter (continuation): no range check and no
   new set-up; parameters that change the state layout cannot be moved this way. */
PetscErrorCode NdSystemSetParameterValue(NdSystem sys, PetscInt i, PetscReal value)
{
  PetscFunctionBegin;
  PetscCheck(!sys->param[i].structural, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "parameter %s of system '%s' changes the set of state variables and cannot be continued",
             sys->param[i].name, ((PetscObject)sys)->type_name);
  sys->param[i].value = value;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemGetParameterValue(NdSystem sys, PetscInt i, PetscReal *value)
{
  PetscFunctionBegin;
  *value = sys->param[i].value;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The valid range [lower, upper] (open or closed, see NdParameter) */
PetscErrorCode NdSystemGetParameterRange(NdSystem sys, PetscInt i, PetscReal *lower, PetscReal *upper)
{
  PetscFunctionBegin;
  *lower = sys->param[i].lower;
  *upper = sys->param[i].upper;
  PetscFunctionReturn(PETSC_SUCCESS);
}
