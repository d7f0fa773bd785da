/* lpc: curves of folds of cycles (limit points of cycles, LPC) in two parameters (p1, p2) by the
   minimally augmented system (Govaerts, Kuznetsov & Dhooge, SIAM J. Sci. Comput. 26 (2005); the
   LPC curves of MatCont), on the collocated orbits of cycle.c:
       y = (u, T, p1), lambda = p2,   H(y, lambda) = (G(u, T; p1, p2), g(u, T; p1, p2)),
   where G = 0 is the collocation system of the orbits (collocation, periodicity, phase condition)
   and g solves the bordered system
       [[G_(u,T), b], [c^T, 0]] [v; g] = [0; 1].
   At a fold of the branch of orbits in p1 the Jacobian G_(u,T) is singular (the branch's tangent
   is its null vector), so g = 0 on the curve; b and c follow the left and right null vectors
   along it. Derivatives of g: g_z = -w^T (d G_(u,T) / dz) v with w from the transposed system;
   d G_(u,T) / dz are central differences of the analytic collocation Jacobian, along v for the
   unknowns and in p1, p2 for the parameters. The curve starts from an LPC point found by a quiet
   continuation of the orbits in p1 (from a Hopf point, or from a recorded orbit with
   -cont_start); along the curve the orbits' mesh is adapted as on a branch of orbits. A turning
   point of the curve in p2 (a cusp of cycles) is labelled CPC. */
#include <neurodyn/private/collocationimpl.h>

typedef struct {
  NdContinuation cyc; /* the orbits in p1: their collocation system, mesh and phase reference */
  /* cycle layout (u, T) */
  Vec       yc, tyc, b, c, v, w, Gp1, Gp2, G, cwork, hwork;
  Vec       rhs, sol;   /* (u, T, g) */
  Vec       xmax, xmin; /* system layout */
  Mat       A, Aplus, Aminus, Mb;
  KSP       ksp;
  PetscBool factorization; /* the bordered solver's factorisation is configured */
} NdContinuation_LPC;

/* The collocation Jacobian A = G_(u,T) at (yc; p1, p2), the derivative of G in p1, and from the
   bordered solves v, w and g */
static PetscErrorCode NdLPCBordered(NdContinuation c, Vec yc, PetscReal p1, PetscReal p2, PetscReal *g)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  KSPConvergedReason  reason;
  PetscReal           gt;

  PetscFunctionBegin;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, yc, p1, &l->A, l->Gp1));
  PetscCall(NdBorderedMatrixAssemble(l->A, l->b, l->c, 0.0, &l->Mb));
  if (!l->factorization)
    PetscCall(NdCycleSetUpFactorization(l->ksp, l->Mb));
  else
    PetscCall(KSPSetOperators(l->ksp, l->Mb, l->Mb));
  l->factorization = PETSC_TRUE;
  PetscCall(VecSet(l->cwork, 0.0));
  PetscCall(NdExtendedVecJoin(l->cwork, 1.0, l->rhs));
  PetscCall(KSPSolve(l->ksp, l->rhs, l->sol));
  PetscCall(KSPGetConvergedReason(l->ksp, &reason));
  PetscCheck(reason > 0, PetscObjectComm((PetscObject)c), PETSC_ERR_NOT_CONVERGED,
             "the bordered collocation system of the fold of cycles at %s = %g, %s = %g could not be solved (%s)",
             c->param, (double)p1, c->param2, (double)p2, KSPConvergedReasons[reason]);
  PetscCall(NdExtendedVecSplit(l->sol, l->v, g));
  PetscCall(KSPSolveTranspose(l->ksp, l->rhs, l->sol));
  PetscCall(NdExtendedVecSplit(l->sol, l->w, &gt));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationResidual_LPC(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  PetscReal           p1, g;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, &p1));
  PetscCall(NdLPCBordered(c, l->yc, p1, lambda, &g));
  PetscCall((*l->cyc->ops->residual)(l->cyc, l->yc, p1, l->hwork));
  PetscCall(NdExtendedVecJoin(l->hwork, g, H));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* w^T A v with A the collocation Jacobian at (yc; p1) and the system's current p2 */
static PetscErrorCode NdLPCBilinear(NdContinuation c, Vec yc, PetscReal p1, Mat *A, PetscReal *wAv)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;

  PetscFunctionBegin;
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, yc, p1, A, l->hwork));
  PetscCall(MatMult(*A, l->v, l->hwork));
  PetscCall(VecDot(l->w, l->hwork, wAv));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the central-difference step for a change of size |dx|_inf of a quantity of size |x|_inf: the
   cube root of the machine epsilon, relative */
static PetscReal NdLPCStep(PetscReal x, PetscReal dx)
{
  return PetscPowReal(PETSC_MACHINE_EPSILON, 1.0 / 3.0) * (1 + x) / (dx > 0 ? dx : 1);
}

/* H_y = [[A, G_p1], [g_(u,T)^T, g_p1]] and H_lambda = [G_p2; g_p2] */
static PetscErrorCode NdContinuationJacobian_LPC(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  PetscReal           p1, g, gp1, gp2, plus, minus, ynorm, vnorm, h;
  PetscInt            ip = l->cyc->ip;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, &p1));
  PetscCall(NdLPCBordered(c, l->yc, p1, lambda, &g));
  /* g_(u,T) = -(d/de A(yc + e v))^T w */
  PetscCall(VecNorm(l->yc, NORM_INFINITY, &ynorm));
  PetscCall(VecNorm(l->v, NORM_INFINITY, &vnorm));
  h = NdLPCStep(ynorm, vnorm);
  PetscCall(VecWAXPY(l->cwork, h, l->v, l->yc));
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, l->cwork, p1, &l->Aplus, l->hwork));
  PetscCall(VecWAXPY(l->cwork, -h, l->v, l->yc));
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, l->cwork, p1, &l->Aminus, l->hwork));
  PetscCall(MatMultTranspose(l->Aplus, l->w, l->G));
  PetscCall(MatMultTranspose(l->Aminus, l->w, l->hwork));
  PetscCall(VecAXPY(l->G, -1.0, l->hwork));
  PetscCall(VecScale(l->G, -1.0 / (2 * h)));
  /* g_p1 and g_p2 */
  h = NdLPCStep(PetscAbsReal(p1), 1);
  PetscCall(NdLPCBilinear(c, l->yc, p1 + h, &l->Aplus, &plus));
  PetscCall(NdLPCBilinear(c, l->yc, p1 - h, &l->Aminus, &minus));
  gp1 = -(plus - minus) / (2 * h);
  h   = NdLPCStep(PetscAbsReal(lambda), 1);
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda + h));
  PetscCall(NdLPCBilinear(c, l->yc, p1, &l->Aplus, &plus));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda - h));
  PetscCall(NdLPCBilinear(c, l->yc, p1, &l->Aminus, &minus));
  gp2 = -(plus - minus) / (2 * h);
  /* G_p2: the orbits' Jacobian with p2 as their parameter (its H_lambda) at p1 */
  PetscCall(NdSystemSetParameterValue(c->sys, ip, p1));
  l->cyc->ip = c->ip2;
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, l->yc, lambda, &l->Aplus, l->Gp2));
  l->cyc->ip = ip;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda));
  PetscCall(NdBorderedMatrixAssemble(l->A, l->Gp1, l->G, gp1, Hy));
  PetscCall(NdExtendedVecJoin(l->Gp2, gp2, Hl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the orbit's point u(0) and p1; the type's per-point scalars: the period, and the largest range
   of a variable over the orbit (its amplitude: the curve ends where it vanishes) */
static PetscErrorCode NdContinuationState_LPC(NdContinuation c, Vec y, Vec x, PetscReal *p1)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  PetscReal           first, T;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, &first));
  PetscCall((*l->cyc->ops->extrema)(l->cyc, l->yc, l->xmax, l->xmin));
  PetscCall(VecAXPY(l->xmax, -1.0, l->xmin));
  PetscCall(VecMax(l->xmax, NULL, &c->aux2));
  PetscCall((*l->cyc->ops->state)(l->cyc, l->yc, x, &T));
  c->aux = T;
  if (p1) *p1 = first;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationExtrema_LPC(NdContinuation c, Vec y, Vec xmax, Vec xmin)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, NULL));
  PetscCall((*l->cyc->ops->extrema)(l->cyc, l->yc, xmax, xmin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At each accepted point: the orbits' mesh adapted as on a branch of orbits (the point and its
   tangent moved onto it), the orbit as the next phase reference, and new borders b, c along the
   left and right null vectors */
static PetscErrorCode NdContinuationAcceptPoint_LPC(NdContinuation c, Vec y, Vec ty, PetscReal lambda)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  PetscReal           p1, tp1, g, nrm;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, &p1));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda));
  if (ty) {
    PetscCall(NdExtendedVecSplit(ty, l->tyc, &tp1));
    PetscCall((*l->cyc->ops->acceptpoint)(l->cyc, l->yc, l->tyc, p1));
    PetscCall(NdExtendedVecJoin(l->yc, p1, y));
    PetscCall(NdExtendedVecJoin(l->tyc, tp1, ty));
  } else
    PetscCall(NdCycleSetPhaseReference(l->cyc, l->yc));
  PetscCall(NdLPCBordered(c, l->yc, p1, lambda, &g));
  PetscCall(VecNormalize(l->w, &nrm));
  PetscCall(VecNormalize(l->v, &nrm));
  PetscCall(VecCopy(l->w, l->b));
  PetscCall(VecCopy(l->v, l->c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -cont_param2 and its bounds, and the orbits' collocation options (-cont_ntst, -cont_ncol,
   -cont_adapt, ...) */
static PetscErrorCode NdContinuationSetFromOptions_LPC(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Folds of cycles (LPC) in two parameters");
  PetscCall(NdContinuationSecondParameterSetFromOptions(c, PetscOptionsObject));
  PetscOptionsHeadEnd();
  PetscCall((*l->cyc->ops->setfromoptions)(l->cyc, PetscOptionsObject));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* MUMPS for the corrector, the tangent and the bordered solves (options prefix -cont_lpc_), as
   for the orbits themselves */
static PetscErrorCode NdContinuationCreateSolvers_LPC(NdContinuation c)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  KSP                 ksp;

  PetscFunctionBegin;
  PetscCall(KSPCreate(PetscObjectComm((PetscObject)c), &l->ksp));
  PetscCall(KSPSetOptionsPrefix(l->ksp, "cont_lpc_"));
  PetscCall(SNESGetKSP(c->snes, &ksp));
  for (KSP k = ksp; k; k = (k == ksp ? c->ksp_tangent : k == c->ksp_tangent ? l->ksp : NULL)) {
    PC pc;
    PetscCall(KSPGetPC(k, &pc));
    PetscCall(KSPSetType(k, KSPPREONLY));
    PetscCall(PCSetType(pc, PCLU));
    PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
    PetscCall(KSPSetFromOptions(k));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The orbits' continuation takes this one's parameter, bounds, steps and tolerances; it runs
   quietly, without output, and keeps its LPC points up to number -cont_start_index, where it
   stops */
static PetscErrorCode NdContinuationSetUp_LPC(NdContinuation c)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  NdContinuation      o = l->cyc;

  PetscFunctionBegin;
  PetscCall(NdContinuationSecondParameterSetUp(c));
  PetscCall(NdContinuationSetSystem(o, c->sys));
  PetscCall(PetscStrncpy(o->param, c->param, sizeof(o->param)));
  o->pmin = c->pmin, o->pmax = c->pmax, o->ds = c->ds, o->ds_min = c->ds_min, o->ds_max = c->ds_max;
  o->max_steps = c->max_steps, o->direction = 0, o->quiet = PETSC_TRUE, o->locate_tol = c->locate_tol;
  o->residual_tol = c->residual_tol, o->multiplier_tol = c->multiplier_tol, o->progress = 0;
  ((NdContinuation_Cycle *)o->data)->keep_folds = c->start_index + 1;
  PetscCall(NdContinuationSetUp(o));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLPCCreateWork(NdContinuation c, Vec yc)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;
  Vec *v[]              = {&l->yc, &l->tyc, &l->b, &l->c, &l->v, &l->w, &l->Gp1, &l->Gp2, &l->G, &l->cwork, &l->hwork};

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) PetscCall(VecDuplicate(yc, v[i]));
  PetscCall(NdExtendedVecCreate(yc, &l->rhs));
  PetscCall(VecDuplicate(l->rhs, &l->sol));
  PetscCall(VecDuplicate(c->x, &l->xmax));
  PetscCall(VecDuplicate(c->x, &l->xmin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The curve's start y = (u, T, p1) at the fold f of the orbits: the orbit on its own mesh, as
   the phase reference; borders along the branch's tangent there (the null vector of the
   collocation Jacobian) */
static PetscErrorCode NdLPCStartPoint(NdContinuation c, const NdPendingBranch *f, Vec y)
{
  NdContinuation_LPC   *l  = (NdContinuation_LPC *)c->data;
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)l->cyc->data;
  PetscReal             nrm;

  PetscFunctionBegin;
  PetscCall(PetscArraycpy(cy->mesh.t, f->t, cy->ntst + 1));
  cy->accepted = 0;
  PetscCall(VecCopy(f->ty, l->b));
  PetscCall(VecNormalize(l->b, &nrm));
  PetscCall(VecCopy(l->b, l->c));
  PetscCall(NdCycleSetPhaseReference(l->cyc, f->y));
  PetscCall(NdExtendedVecJoin(f->y, f->lambda, y));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, f->lambda));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The start point corrected at p2 and accepted (new borders) */
static PetscErrorCode NdLPCStart(NdContinuation c, const NdPendingBranch *f, PetscReal p2, Vec y)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)c);
  PetscBool ok;

  PetscFunctionBegin;
  PetscCall(NdLPCStartPoint(c, f, y));
  PetscCall(NdBranchCorrectAtFixedParameter(c, y, p2, &ok));
  PetscCheck(ok, comm, PETSC_ERR_NOT_CONVERGED,
             "the LPC at %s = %g did not converge on the fold-of-cycles system (largest residual %g, "
             "-cont_residual_tol %g; try more mesh intervals, -cont_ntst)",
             c->param, (double)f->lambda, (double)c->residual, (double)c->residual_tol);
  PetscCall(NdContinuationAcceptPoint_LPC(c, y, NULL, p2));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The LPC point number -cont_start_index of the orbits in p1, then the curve through it in p2, in
   the directions -cont_direction asks for (each from the fold on its own mesh: a branch moves
   the mesh) */
static PetscErrorCode NdContinuationSolve_LPC(NdContinuation c, Vec x0)
{
  NdContinuation_LPC    *l    = (NdContinuation_LPC *)c->data;
  NdContinuation_Cycle  *cy   = (NdContinuation_Cycle *)l->cyc->data;
  MPI_Comm               comm = PetscObjectComm((PetscObject)c);
  const NdPendingBranch *f;
  PetscReal              p1, p2, T;
  Vec                    y;

  PetscFunctionBegin;
  PetscCheck(!c->restart, comm, PETSC_ERR_SUP,
             "-restart: a curve of folds of cycles cannot resume from a checkpoint (the orbits' mesh is not in it); "
             "rerun it");
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p1));
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip2, &p2));
  if (!c->quiet)
    PetscCall(PetscPrintf(comm, "  the periodic orbits along %s up to their fold (LPC) number %" PetscInt_FMT ":\n",
                          c->param, c->start_index));
  PetscCall(NdContinuationSolve(l->cyc, x0));
  if (!c->quiet)
    for (PetscInt k = 0; k < cy->nfolds; k++)
      PetscCall(
          PetscPrintf(comm, "    LPC %" PetscInt_FMT " at %s = %.12g\n", k, c->param, (double)cy->folds[k].lambda));
  PetscCheck(c->start_index < cy->nfolds, comm, PETSC_ERR_USER_INPUT,
             "no LPC point number %" PetscInt_FMT " on the periodic orbits along %s in [%g, %g] (%" PetscInt_FMT
             " found): the lpc curve starts from one (-cont_start_index)",
             c->start_index, c->param, (double)c->pmin, (double)c->pmax, cy->nfolds);
  f = &cy->folds[c->start_index];
  PetscCall(NdLPCCreateWork(c, f->y));
  PetscCall((*l->cyc->ops->state)(l->cyc, f->y, c->x, &T));
  if (!c->quiet)
    PetscCall(PetscPrintf(comm, "  starting from the LPC at %s = %.12g (period %.10g)\n", c->param, (double)f->lambda,
                          (double)T));
  PetscCall(NdExtendedVecCreate(f->y, &y));
  c->kind         = ND_BRANCH_CYCLE_FOLD;
  c->lambda_index = c->ip2;
  c->lambda_min   = c->p2min;
  c->lambda_max   = c->p2max;
  PetscCall(NdLPCStartPoint(c, f, y));
  PetscCall(NdBranchSetUp(c, y));
  {
    KSP ksp;
    PetscCall(SNESGetKSP(c->snes, &ksp));
    PetscCall(NdCycleSetUpFactorization(ksp, c->M));
    PetscCall(NdCycleSetUpFactorization(c->ksp_tangent, c->M));
  }
  PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  for (PetscInt dir = 1; dir >= -1; dir -= 2) {
    if (c->direction == -dir) continue;
    PetscCall(NdLPCStart(c, f, p2, y));
    PetscCall(NdBranchRun(c, y, p2, NULL, 0.0, dir));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p1));
  PetscCall(VecDestroy(&y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetStartOrbit_LPC(NdContinuation c, PetscInt n, const PetscReal t[],
                                                      const PetscReal x[])
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;

  PetscFunctionBegin;
  PetscCall(NdContinuationSetStartOrbit(l->cyc, n, t, x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationView_LPC(NdContinuation c, PetscViewer viewer)
{
  NdContinuation_LPC *l = (NdContinuation_LPC *)c->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "folds of cycles in (%s, %s); the orbits:\n", c->param, c->param2));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall((*l->cyc->ops->view)(l->cyc, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_LPC(NdContinuation c)
{
  NdContinuation_LPC *l   = (NdContinuation_LPC *)c->data;
  Vec                *v[] = {&l->yc, &l->tyc,   &l->b,     &l->c,   &l->v,   &l->w,    &l->Gp1, &l->Gp2,
                             &l->G,  &l->cwork, &l->hwork, &l->rhs, &l->sol, &l->xmax, &l->xmin};
  Mat                *m[] = {&l->A, &l->Aplus, &l->Aminus, &l->Mb};

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) PetscCall(VecDestroy(v[i]));
  for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) PetscCall(MatDestroy(m[i]));
  PetscCall(KSPDestroy(&l->ksp));
  PetscCall(NdContinuationDestroy(&l->cyc));
  PetscCall(PetscObjectComposeFunction((PetscObject)c, "NdContinuationSetStartOrbit_C", NULL));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_LPC(NdContinuation c)
{
  NdContinuation_LPC *l;

  PetscFunctionBegin;
  PetscCall(PetscNew(&l));
  PetscCall(NdContinuationCreate(PetscObjectComm((PetscObject)c), &l->cyc));
  PetscCall(NdContinuationSetType(l->cyc, NDCONTINUATIONCYCLE));
  c->min_tangent_dot     = 0; /* steps controlled by Newton's convergence, as for the orbits */
  c->data                = l;
  c->ops->setfromoptions = NdContinuationSetFromOptions_LPC;
  c->ops->setup          = NdContinuationSetUp_LPC;
  c->ops->createsolvers  = NdContinuationCreateSolvers_LPC;
  c->ops->residual       = NdContinuationResidual_LPC;
  c->ops->jacobian       = NdContinuationJacobian_LPC;
  c->ops->state          = NdContinuationState_LPC;
  c->ops->extrema        = NdContinuationExtrema_LPC;
  c->ops->acceptpoint    = NdContinuationAcceptPoint_LPC;
  c->ops->solve          = NdContinuationSolve_LPC;
  c->ops->view           = NdContinuationView_LPC;
  c->ops->destroy        = NdContinuationDestroy_LPC;
  PetscCall(
      PetscObjectComposeFunction((PetscObject)c, "NdContinuationSetStartOrbit_C", NdContinuationSetStartOrbit_LPC));
  PetscFunctionReturn(PETSC_SUCCESS);
}
