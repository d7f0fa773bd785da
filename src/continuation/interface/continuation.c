/* NdContinuation: the object, its options and its special-point table. The engine is in
   branch.c, the types in src/continuation/impls/. */
#include <neurodyn/private/continuationimpl.h>
#include <neurodyn/private/systemimpl.h>

PetscFunctionList NdContinuationList              = NULL;
PetscBool         NdContinuationRegisterAllCalled = PETSC_FALSE;
PetscClassId      ND_CONTINUATION_CLASSID;
PetscLogEvent     ND_EVENT_CONTINUE;

static PetscBool NdContinuationPackageInitialized = PETSC_FALSE;

/* as PETSc's XFinalizePackage(): what initialisation set is unset, so that a later
   PetscInitialize() + NdInitializePackage() registers everything again */
PetscErrorCode NdContinuationFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&NdContinuationList));
  NdContinuationRegisterAllCalled  = PETSC_FALSE;
  NdContinuationPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Idempotent; called by NdContinuationCreate() and by NdInitializePackage() */
PetscErrorCode NdContinuationInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdContinuationPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdContinuationPackageInitialized = PETSC_TRUE;
  PetscCall(NdSystemInitializePackage());
  PetscCall(NdSpectrumInitializePackage());
  PetscCall(PetscClassIdRegister("NdContinuation", &ND_CONTINUATION_CLASSID));
  PetscCall(PetscLogEventRegister("NdContinue", ND_CONTINUATION_CLASSID, &ND_EVENT_CONTINUE));
  PetscCall(NdContinuationRegisterAll());
  PetscCall(PetscRegisterFinalize(NdContinuationFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_Equilibrium(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationCreate_Fold(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationCreate_Shooting(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationCreate_Cycle(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationCreate_Hopf(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationCreate_LPC(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationCreate_PD(NdContinuation);

PetscErrorCode NdContinuationRegister(const char name[], PetscErrorCode (*create)(NdContinuation))
{
  PetscFunctionBegin;
  PetscCall(NdContinuationInitializePackage());
  PetscCall(PetscFunctionListAdd(&NdContinuationList, name, create));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationRegisterAll(void)
{
  PetscFunctionBegin;
  if (NdContinuationRegisterAllCalled) PetscFunctionReturn(PETSC_SUCCESS);
  NdContinuationRegisterAllCalled = PETSC_TRUE;
  PetscCall(NdContinuationRegister(NDCONTINUATIONEQUILIBRIUM, NdContinuationCreate_Equilibrium));
  PetscCall(NdContinuationRegister(NDCONTINUATIONFOLD, NdContinuationCreate_Fold));
  PetscCall(NdContinuationRegister(NDCONTINUATIONCYCLE, NdContinuationCreate_Cycle));
  PetscCall(NdContinuationRegister(NDCONTINUATIONPERIODIC, NdContinuationCreate_Cycle));
  PetscCall(NdContinuationRegister(NDCONTINUATIONSHOOTING, NdContinuationCreate_Shooting));
  PetscCall(NdContinuationRegister(NDCONTINUATIONHOPF, NdContinuationCreate_Hopf));
  PetscCall(NdContinuationRegister(NDCONTINUATIONLPC, NdContinuationCreate_LPC));
  PetscCall(NdContinuationRegister(NDCONTINUATIONPD, NdContinuationCreate_PD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationCreate(MPI_Comm comm, NdContinuation *cont)
{
  NdContinuation c;

  PetscFunctionBegin;
  PetscAssertPointer(cont, 2);
  PetscCall(NdContinuationInitializePackage());
  PetscCall(PetscHeaderCreate(c, ND_CONTINUATION_CLASSID, "NdContinuation", "Continuation and bifurcations",
                              "NdContinuation", comm, NdContinuationDestroy, NdContinuationView));
  c->ip = c->ip2 = -1;
  c->pmin = c->p2min = PETSC_MIN_REAL;
  c->pmax = c->p2max = PETSC_MAX_REAL;
  c->ds              = 0.01;
  c->ds_min          = 1e-9;
  c->ds_max          = 0.1;
  c->locate_tol      = 1e-12;
  c->residual_tol    = 1e-8;
  c->max_steps       = 1000;
  c->progress        = 5;
  c->min_tangent_dot = 0.9;
  c->multiplier_tol  = 1e-9;
  c->trivial_index   = -1;
  c->nev             = 6;
  c->store_state_max = 1000;
  *cont              = c;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSetType(NdContinuation c, NdContinuationType type)
{
  PetscErrorCode (*create)(NdContinuation);
  PetscBool same;
  char      known[256];

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)c, type, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFunctionListFind(NdContinuationList, type, &create));
  PetscCall(NdFunctionListNames(NdContinuationList, known, sizeof(known)));
  PetscCheck(create, PetscObjectComm((PetscObject)c), PETSC_ERR_ARG_UNKNOWN_TYPE,
             "unknown continuation type '%s' (known: %s)", type, known);
  if (c->ops->destroy) PetscCall((*c->ops->destroy)(c));
  PetscCall(PetscMemzero(c->ops, sizeof(struct _NdContinuationOps)));
  c->data        = NULL;
  c->setupcalled = PETSC_FALSE;
  PetscCall(PetscObjectChangeTypeName((PetscObject)c, type));
  PetscCall((*create)(c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSetSystem(NdContinuation c, NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectReference((PetscObject)sys));
  PetscCall(NdSystemDestroy(&c->sys));
  c->sys = sys;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSetOutput(NdContinuation c, NdOutput out)
{
  PetscFunctionBegin;
  if (out) PetscCall(PetscObjectReference((PetscObject)out));
  PetscCall(NdOutputDestroy(&c->out));
  c->out = out;
  if (out && c->sys) { /* branches are written as they are found: their units need the time unit now */
    const char *tunit;
    PetscCall(NdSystemGetTimeUnit(c->sys, &tunit));
    PetscCall(NdOutputSetTimeUnit(out, tunit));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The SNES, KSP and EPS objects, created and configured from the options once: by
   NdContinuationSetFromOptions (so that -snes_*, -ksp_*, -eps_* count as used options and show
   in -help) or else by NdContinuationSetUp */
static PetscErrorCode NdContinuationCreateSolvers(NdContinuation c)
{
  PetscInt N;

  PetscFunctionBegin;
  if (c->snes) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdSystemSetUp(c->sys));
  if (!c->x) PetscCall(NdSystemCreateVector(c->sys, &c->x));
  PetscCall(VecGetSize(c->x, &N));
  c->nev = PetscMin(c->nev, N);
  PetscCall(NdBranchCreateSolvers(c, N + 2));
  if (c->ops->createsolvers) PetscCall((*c->ops->createsolvers)(c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -cont_type, -cont_param, -cont_min, -cont_max, -cont_ds, -cont_ds_min, -cont_ds_max,
   -cont_max_steps, -cont_nev, -cont_direction, and the type's options */
PetscErrorCode NdContinuationSetFromOptions(NdContinuation c)
{
  const char *const directions[] = {"both", "forward", "backward", "NdContinuationDirection", "", NULL};
  PetscEnum         direction    = (PetscEnum)(c->direction == 0 ? 0 : c->direction > 0 ? 1 : 2);
  char              type[256];
  PetscBool         set, minset, maxset, help;

  PetscFunctionBegin;
  PetscObjectOptionsBegin((PetscObject)c);
  PetscCall(PetscOptionsFList("-cont_type", "What to continue", "NdContinuationSetType", NdContinuationList,
                              ((PetscObject)c)->type_name ? ((PetscObject)c)->type_name : NDCONTINUATIONEQUILIBRIUM,
                              type, sizeof(type), &set));
  if (set || !((PetscObject)c)->type_name) PetscCall(NdContinuationSetType(c, set ? type : NDCONTINUATIONEQUILIBRIUM));
  PetscCall(PetscOptionsString("-cont_param", "The parameter to continue in (a -params_ name)", "NdContinuationSetUp",
                               c->param, c->param, sizeof(c->param), NULL));
  PetscCall(PetscOptionsReal("-cont_min", "Lower bound of the parameter", "", c->pmin, &c->pmin, &minset));
  PetscCall(PetscOptionsReal("-cont_max", "Upper bound of the parameter", "", c->pmax, &c->pmax, &maxset));
  PetscCall(PetscOptionsReal("-cont_ds", "Initial arclength step", "", c->ds, &c->ds, NULL));
  PetscCall(PetscOptionsReal("-cont_ds_min", "Smallest arclength step", "", c->ds_min, &c->ds_min, NULL));
  PetscCall(PetscOptionsReal("-cont_ds_max", "Largest arclength step", "", c->ds_max, &c->ds_max, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_max_steps", "Largest number of steps per branch", 1, PETSC_MAX_INT,
                         &c->max_steps, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_nev", "Rightmost eigenvalues computed at each point", 1,
                         PETSC_MAX_INT, &c->nev, NULL));
  PetscCall(PetscOptionsEnum("-cont_direction", "Direction(s) from the start point", "", directions, direction,
                             &direction, NULL));
  c->direction = direction == 0 ? 0 : direction == 1 ? 1 : -1;
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_store_state_max",
                         "Store the full state of each point up to this many unknowns (else its norm only)", 0,
                         PETSC_MAX_INT, &c->store_state_max, NULL));
  PetscCall(NdOptionsInt(
      PetscOptionsObject, "-cont_start_index",
      "Curves (fold, hopf) and periodic orbits: start from the k-th fold or Hopf point along -cont_param (from 0)", 0,
      PETSC_MAX_INT, &c->start_index, NULL));
  PetscCall(PetscOptionsReal("-cont_locate_tol", "Special points: relative tolerance on the arclength", "",
                             c->locate_tol, &c->locate_tol, NULL));
  PetscCall(PetscOptionsReal("-cont_residual_tol",
                             "A corrected point is accepted when the largest component of its residual is below this",
                             "", c->residual_tol, &c->residual_tol, NULL));
  c->nuser = ND_MAX_USER_POINTS;
  PetscCall(PetscOptionsRealArray("-cont_user_points",
                                  "Values of the continued parameter (-cont_param2 on curves) at which points are "
                                  "located and labelled UZ",
                                  "", c->user, &c->nuser, NULL));
  PetscCall(PetscOptionsReal("-cont_progress", "Seconds between progress lines of a long branch (0: none)", "",
                             c->progress, &c->progress, NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No branch report on the screen", c->quiet, &c->quiet, NULL));
  if (c->ops->setfromoptions) PetscCall((*c->ops->setfromoptions)(c, PetscOptionsObject));
  PetscOptionsEnd();
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  PetscCheck(help || c->param[0], PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "no continuation parameter: set -cont_param (one of the system's -params_ names)");
  PetscCheck(help || (minset && maxset), PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "set the bounds of %s with -cont_min and -cont_max", c->param);
  PetscCheck(c->sys, PetscObjectComm((PetscObject)c), PETSC_ERR_ARG_WRONGSTATE,
             "NdContinuationSetSystem() must come before NdContinuationSetFromOptions()");
  PetscCall(NdContinuationCreateSolvers(c));
  c->setupcalled = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Checks a parameter name and its bounds against the system; returns its index */
static PetscErrorCode NdContinuationCheckParameter(NdContinuation c, const char name[], PetscReal lo, PetscReal hi,
                                                   const char *minopt, const char *maxopt, PetscInt *index)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)c);
  PetscReal value, lower, upper;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterIndex(c->sys, name, index));
  PetscCall(NdSystemGetParameterValue(c->sys, *index, &value));
  PetscCall(NdSystemGetParameterRange(c->sys, *index, &lower, &upper));
  PetscCheck(lo < hi, comm, PETSC_ERR_USER_INPUT, "%s (%g) must be less than %s (%g)", minopt, (double)lo, maxopt,
             (double)hi);
  PetscCheck(lo >= lower && hi <= upper, comm, PETSC_ERR_USER_INPUT,
             "the bounds [%g, %g] of %s leave its valid range [%g, %g]", (double)lo, (double)hi, name, (double)lower,
             (double)upper);
  PetscCheck(value >= lo && value <= hi, comm, PETSC_ERR_USER_INPUT,
             "the start value %s = %g lies outside [%s, %s] = [%g, %g]", name, (double)value, minopt, maxopt,
             (double)lo, (double)hi);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSetUp(NdContinuation c)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)c);

  PetscFunctionBegin;
  if (c->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCheck(c->sys, comm, PETSC_ERR_ARG_WRONGSTATE, "NdContinuationSetSystem() must come first");
  if (!((PetscObject)c)->type_name) PetscCall(NdContinuationSetType(c, NDCONTINUATIONEQUILIBRIUM));
  PetscCall(NdSystemSetUp(c->sys));
  PetscCall(NdContinuationCheckParameter(c, c->param, c->pmin, c->pmax, "-cont_min", "-cont_max", &c->ip));
  PetscCheck(c->ds > 0 && c->ds_min > 0 && c->ds_max >= c->ds && c->ds >= c->ds_min, comm, PETSC_ERR_USER_INPUT,
             "the steps must satisfy 0 < -cont_ds_min <= -cont_ds <= -cont_ds_max (got %g, %g, %g)", (double)c->ds_min,
             (double)c->ds, (double)c->ds_max);
  PetscCheck(c->max_steps > 0 && c->nev > 0, comm, PETSC_ERR_USER_INPUT,
             "-cont_max_steps and -cont_nev must be positive");
  for (PetscInt i = 0; i < c->nuser; i++) { /* values of the continued parameter: the second one of curves */
    PetscBool curve = (PetscBool)(c->param2[0] != 0);
    PetscReal lo = curve ? c->p2min : c->pmin, hi = curve ? c->p2max : c->pmax;
    PetscCheck(c->user[i] >= lo && c->user[i] <= hi, comm, PETSC_ERR_USER_INPUT,
               "-cont_user_points: %g lies outside [%s, %s] = [%g, %g]", (double)c->user[i],
               curve ? "-cont_min2" : "-cont_min", curve ? "-cont_max2" : "-cont_max", (double)lo, (double)hi);
  }
  PetscCheck(c->locate_tol > 0 && c->locate_tol < 1, comm, PETSC_ERR_USER_INPUT,
             "-cont_locate_tol must be in (0, 1) (got %g)", (double)c->locate_tol);
  PetscCheck(c->residual_tol > 0, comm, PETSC_ERR_USER_INPUT, "-cont_residual_tol must be positive (got %g)",
             (double)c->residual_tol);
  PetscCheck(c->store_state_max >= 0, comm, PETSC_ERR_USER_INPUT,
             "-cont_store_state_max must be >= 0 (got %" PetscInt_FMT ")", c->store_state_max);
  PetscCall(NdContinuationCreateSolvers(c));
  PetscCall(PetscMalloc2(c->nev, &c->eig_re, c->nev, &c->eig_im));
  if (c->ops->setup) PetscCall((*c->ops->setup)(c));
  c->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* x0: the initial guess of the start point (system layout) */
PetscErrorCode NdContinuationSolve(NdContinuation c, Vec x0)
{
  PetscFunctionBegin;
  PetscCall(NdContinuationSetUp(c));
  PetscCall((*c->ops->solve)(c, x0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationGetNumSpecialPoints(NdContinuation c, PetscInt *n)
{
  PetscFunctionBegin;
  *n = c->nspecial;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* label, the continuation parameter, and the first parameter (equal to it on equilibrium branches) */
PetscErrorCode NdContinuationGetSpecialPoint(NdContinuation c, PetscInt i, const char *label[], PetscReal *lambda,
                                             PetscReal *p1)
{
  PetscFunctionBegin;
  PetscCheck(i >= 0 && i < c->nspecial, PetscObjectComm((PetscObject)c), PETSC_ERR_ARG_OUTOFRANGE,
             "special point %" PetscInt_FMT " of %" PetscInt_FMT, i, c->nspecial);
  if (label) *label = c->special[i].label;
  if (lambda) *lambda = c->special[i].lambda;
  if (p1) *p1 = c->special[i].p1;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationView(NdContinuation c, PetscViewer viewer)
{
  PetscBool isascii;

  PetscFunctionBegin;
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)c), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (!isascii) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)c, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "parameter %s in [%g, %g], ds %g (min %g, max %g), at most %" PetscInt_FMT
                                   " steps, %" PetscInt_FMT " eigenvalues\n",
                                   c->param, (double)c->pmin, (double)c->pmax, (double)c->ds, (double)c->ds_min,
                                   (double)c->ds_max, c->max_steps, c->nev));
  if (c->ops->view) PetscCall((*c->ops->view)(c, viewer));
  for (PetscInt i = 0; i < c->nspecial; i++)
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s at %g\n", c->special[i].label, (double)c->special[i].lambda));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationDestroy(NdContinuation *cont)
{
  NdContinuation c = *cont;

  PetscFunctionBegin;
  if (!c) PetscFunctionReturn(PETSC_SUCCESS);
  if (--((PetscObject)c)->refct > 0) {
    *cont = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (c->ops->destroy) PetscCall((*c->ops->destroy)(c));
  PetscCall(NdBranchReset(c));
  PetscCall(SNESDestroy(&c->snes));
  PetscCall(KSPDestroy(&c->ksp_tangent));
  for (PetscInt i = 0; i < c->nspecial; i++) {
    PetscCall(VecDestroy(&c->special[i].y));
    PetscCall(VecDestroy(&c->special[i].ty));
  }
  PetscCall(PetscFree(c->special));
  PetscCall(PetscFree(c->branch_rows));
  if (c->restart) PetscCall(NdCheckpointClose(&c->restart));
  PetscCall(PetscFree2(c->eig_re, c->eig_im));
  PetscCall(EPSDestroy(&c->eps));
  if (c->warm) PetscCall(VecDestroyVecs(2 * c->nev, &c->warm));
  PetscCall(VecDestroy(&c->x));
  PetscCall(NdSystemDestroy(&c->sys));
  PetscCall(NdOutputDestroy(&c->out));
  PetscCall(PetscHeaderDestroy(cont));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -cont_param2, -cont_min2, -cont_max2: the second parameter of two-parameter curves */
PetscErrorCode NdContinuationSecondParameterSetFromOptions(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  PetscBool minset, maxset, help;

  PetscFunctionBegin;
  PetscCall(PetscOptionsString("-cont_param2", "The second parameter (the curve is continued in it)", "", c->param2,
                               c->param2, sizeof(c->param2), NULL));
  PetscCall(PetscOptionsReal("-cont_min2", "Lower bound of the second parameter", "", c->p2min, &c->p2min, &minset));
  PetscCall(PetscOptionsReal("-cont_max2", "Upper bound of the second parameter", "", c->p2max, &c->p2max, &maxset));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  PetscCheck(help || c->param2[0], PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "a %s curve needs a second parameter: set -cont_param2", ((PetscObject)c)->type_name);
  PetscCheck(help || (minset && maxset), PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "set the bounds of %s with -cont_min2 and -cont_max2", c->param2);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSecondParameterSetUp(NdContinuation c)
{
  PetscFunctionBegin;
  PetscCall(NdContinuationCheckParameter(c, c->param2, c->p2min, c->p2max, "-cont_min2", "-cont_max2", &c->ip2));
  PetscCheck(c->ip2 != c->ip, PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "-cont_param2 must differ from -cont_param (%s)", c->param);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A quiet equilibrium continuation in c's parameter over [lo, hi] from x0 (corrected at the
   parameter's current value), without output, with c's steps and tolerances */
static PetscErrorCode NdContinuationEquilibria(NdContinuation c, Vec x0, PetscReal lo, PetscReal hi, NdContinuation *eq)
{
  PetscFunctionBegin;
  PetscCall(NdContinuationCreate(PetscObjectComm((PetscObject)c), eq));
  PetscCall(NdContinuationSetType(*eq, NDCONTINUATIONEQUILIBRIUM));
  PetscCall(NdContinuationSetSystem(*eq, c->sys));
  PetscCall(PetscStrncpy((*eq)->param, c->param, sizeof((*eq)->param)));
  (*eq)->pmin = lo, (*eq)->pmax = hi, (*eq)->ds = c->ds, (*eq)->ds_min = c->ds_min, (*eq)->ds_max = c->ds_max;
  (*eq)->max_steps = c->max_steps, (*eq)->nev = 6, (*eq)->direction = 0, (*eq)->quiet = PETSC_TRUE,
  (*eq)->locate_tol = c->locate_tol, (*eq)->residual_tol = c->residual_tol;
  PetscCall(NdContinuationSolve(*eq, x0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The start of a curve: an equilibrium continuation in the first parameter from x0 (quiet, no
   output), and its special point number -cont_start_index with the given label. The returned
   continuation owns the point; destroy it when done. */
PetscErrorCode NdContinuationFindStart(NdContinuation c, Vec x0, const char label[], NdContinuation *eq,
                                       NdSpecialPoint **sp)
{
  MPI_Comm comm  = PetscObjectComm((PetscObject)c);
  PetscInt count = 0;

  PetscFunctionBegin;
  *sp = NULL;
  PetscCall(NdContinuationEquilibria(c, x0, c->pmin, c->pmax, eq));
  for (PetscInt i = 0; i < (*eq)->nspecial && !*sp; i++)
    if (!strcmp((*eq)->special[i].label, label) && count++ == c->start_index) *sp = &(*eq)->special[i];
  PetscCheck(*sp, comm, PETSC_ERR_USER_INPUT,
             "no %s point number %" PetscInt_FMT " along %s in [%g, %g] from the start point (%" PetscInt_FMT
             " found): the %s continuation starts from one (-cont_start_index)",
             label, c->start_index, c->param, (double)c->pmin, (double)c->pmax, count, ((PetscObject)c)->type_name);
  if (!c->quiet)
    PetscCall(
        PetscPrintf(comm, "  starting from the %s point at %s = %.12g\n", label, c->param, (double)(*sp)->lambda));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The point labelled `label` nearest to lambda on the equilibria through x0 (at the parameter's
   current value) within [lo, hi]; *sp NULL if there is none. Destroy eq when done. */
PetscErrorCode NdContinuationFindNearest(NdContinuation c, Vec x0, const char label[], PetscReal lo, PetscReal hi,
                                         PetscReal lambda, NdContinuation *eq, NdSpecialPoint **sp)
{
  PetscFunctionBegin;
  *sp = NULL;
  PetscCall(NdContinuationEquilibria(c, x0, lo, hi, eq));
  for (PetscInt i = 0; i < (*eq)->nspecial; i++)
    if (!strcmp((*eq)->special[i].label, label) &&
        (!*sp || PetscAbsReal((*eq)->special[i].lambda - lambda) < PetscAbsReal((*sp)->lambda - lambda)))
      *sp = &(*eq)->special[i];
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The critical eigenvector vr + i vi (eigenvalue ~ i omega; |vr|^2 + |vi|^2 = 1) at the
   Hopf point hb found by the equilibrium continuation eq: of its rightmost eigenvalues, the one
   of positive imaginary part nearest the imaginary axis */
PetscErrorCode NdContinuationHopfEigenvector(NdContinuation eq, const NdSpecialPoint *hb, Vec vr, Vec vi,
                                             PetscReal *omega)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)eq);
  PetscInt  nconv, pick = -1, nev = 0, ncv = 0, mpd = 0;
  PetscReal best    = PETSC_MAX_REAL, nrm, nr, ni;
  PetscBool widened = PETSC_FALSE;

  PetscFunctionBegin;
  /* Krylov-Schur's default subspace (ncv = 2 nev) may converge no complex pair among the clustered
     rightmost eigenvalues of a network of similar nodes (a node_network of 1000 MPR nodes); then
     once more with a subspace of at least 64 vectors */
  for (PetscInt attempt = 0; attempt < 2 && pick < 0; attempt++) {
    if (attempt == 1) {
      PetscInt n;
      PetscCall(VecGetSize(hb->y, &n));
      PetscCall(EPSGetDimensions(eq->eps, &nev, &ncv, &mpd));
      if (PetscMin(n, PetscMax(64, 2 * ncv)) <= ncv) break; /* no larger subspace (dense: exact) */
      PetscCall(EPSSetDimensions(eq->eps, nev, PetscMin(n, PetscMax(64, 2 * ncv)), PETSC_DEFAULT));
      widened = PETSC_TRUE;
    }
    PetscCall((*eq->ops->spectrum)(eq, hb->y, hb->lambda));
    PetscCall(EPSGetConverged(eq->eps, &nconv));
    for (PetscInt i = 0; i < nconv; i++) {
      PetscScalar kr, ki;
      PetscCall(EPSGetEigenvalue(eq->eps, i, &kr, &ki));
      if (PetscRealPart(ki) > 0 && PetscAbsReal(PetscRealPart(kr)) < best) {
        best   = PetscAbsReal(PetscRealPart(kr));
        pick   = i;
        *omega = PetscRealPart(ki);
      }
    }
  }
  PetscCheck(pick >= 0, comm, PETSC_ERR_NOT_CONVERGED, "no complex eigenvalue at the Hopf point %s = %g", eq->param,
             (double)hb->lambda);
  PetscCall(EPSGetEigenvector(eq->eps, pick, vr, vi));
  if (widened) PetscCall(EPSSetDimensions(eq->eps, nev, ncv, mpd));
  PetscCall(VecNorm(vr, NORM_2, &nr));
  PetscCall(VecNorm(vi, NORM_2, &ni));
  nrm = PetscSqrtReal(nr * nr + ni * ni);
  PetscCall(VecScale(vr, 1.0 / nrm));
  PetscCall(VecScale(vi, 1.0 / nrm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSetStartOrbit(NdContinuation c, PetscInt n, const PetscReal t[], const PetscReal x[])
{
  PetscFunctionBegin;
  PetscUseMethod(c, "NdContinuationSetStartOrbit_C", (NdContinuation, PetscInt, const PetscReal[], const PetscReal[]),
                 (c, n, t, x));
  PetscFunctionReturn(PETSC_SUCCESS);
}
