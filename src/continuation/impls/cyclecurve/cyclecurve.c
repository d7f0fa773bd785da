/* lpc and pd: curves of bifurcations of cycles in two parameters (p1, p2) by minimally augmented
   systems (Govaerts, Kuznetsov & Dhooge, SIAM J. Sci. Comput. 26 (2005); the LPC and PD curves of
   MatCont), on the collocated orbits of cycle.c:
       y = (u, T, p1), lambda = p2,   H(y, lambda) = (G(u, T; p1, p2), g(u, T; p1, p2)),
   where G = 0 is the collocation system of the orbits (collocation, periodicity, phase condition)
   and g solves the bordered system
       [[B, b], [c^T, 0]] [v; g] = [0; 1]
   with B an operator that is singular on the curve:
   - lpc (folds of cycles, limit points of cycles): B = G_(u,T), the Jacobian of the orbits, singular
     exactly at a fold of the branch of orbits in p1 (the branch's tangent is its null vector);
   - pd (period doublings, flips): B = the linearised collocation equations with the antiperiodic
     condition v(1) + v(0) = 0 (and the identity for the period), singular exactly where a Floquet
     multiplier is -1 (the flip eigenfunction is its null vector).
   g = 0 on the curve; b and c follow the left and right null vectors along it. Derivatives of g:
   g_z = -w^T (dB/dz) v with w from the transposed system; dB/dz are central differences of the
   analytic collocation operator, along v for the unknowns and in p1, p2 for the parameters. The
   curve starts from an LPC (PD) point found by a quiet continuation of the orbits in p1 (from a
   Hopf point, or from a recorded orbit with -cont_start); along the curve the orbits' mesh is
   adapted as on a branch of orbits. A turning point of an LPC curve in p2 (a cusp of cycles) is
   labelled CPC. */
#include <neurodyn/private/collocationimpl.h>

typedef struct {
  NdContinuation cyc; /* the orbits in p1: their collocation system, mesh and phase reference */
  /* cycle layout (u, T) */
  Vec         yc, tyc, b, c, v, w, Gp1, Gp2, G, cwork, hwork, twork;
  Vec         rhs, sol;             /* (u, T, g) */
  Vec         xmax, xmin;           /* system layout */
  Mat         A, Ap2;               /* PD: the orbits' Jacobian G_(u,T); with p2 as their parameter */
  Mat         B, Bplus, Bminus, Mb; /* the singular operator, at perturbed points, bordered */
  KSP         ksp;
  PetscBool   pd;            /* a curve of period doublings (else of folds of cycles) */
  const char *label;         /* of the points it is made of: PD or LPC */
  PetscBool   factorization; /* the bordered solver's factorisation is configured */
} NdContinuation_CycleCurve;

/* The operator B at (yc; p1) and the system's current p2: the orbits' Jacobian G_(u,T) (lpc) or
   the period-doubling operator (pd); and G_p1 into Gp1 (the same for both: the operators differ
   only in the period's column and the boundary and phase rows, where G_p1 is zero) */
static PetscErrorCode NdCycleCurveOperator(NdContinuation c, Vec yc, PetscReal p1, Mat *B, Vec Gp1)
{
  NdContinuation_CycleCurve *l  = (NdContinuation_CycleCurve *)c->data;
  NdContinuation_Cycle      *cy = (NdContinuation_Cycle *)l->cyc->data;

  PetscFunctionBegin;
  cy->flip = l->pd;
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, yc, p1, B, Gp1));
  cy->flip = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* B and G_p1 at (yc; p1, p2), and from the bordered solves v, w and g */
static PetscErrorCode NdCycleCurveBordered(NdContinuation c, Vec yc, PetscReal p1, PetscReal p2, PetscReal *g)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  char                       what[256];

  PetscFunctionBegin;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall(NdCycleCurveOperator(c, yc, p1, &l->B, l->Gp1));
  PetscCall(NdBorderedMatrixAssemble(l->B, l->b, l->c, 0.0, &l->Mb));
  if (!l->factorization)
    PetscCall(NdCycleSetUpFactorization(l->ksp, l->Mb));
  else
    PetscCall(KSPSetOperators(l->ksp, l->Mb, l->Mb));
  l->factorization = PETSC_TRUE;
  PetscCall(PetscSNPrintf(what, sizeof(what), "the %s curve at %s = %g, %s = %g", ((PetscObject)c)->type_name, c->param,
                          (double)p1, c->param2, (double)p2));
  PetscCall(NdBorderedNullVectors(l->ksp, l->rhs, l->sol, l->v, l->w, g, what));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationResidual_CycleCurve(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  PetscReal                  p1, g;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, &p1));
  PetscCall(NdCycleCurveBordered(c, l->yc, p1, lambda, &g));
  PetscCall((*l->cyc->ops->residual)(l->cyc, l->yc, p1, l->hwork));
  PetscCall(NdExtendedVecJoin(l->hwork, g, H));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* w^T B v with B the operator at (yc; p1) and the system's current p2 */
static PetscErrorCode NdCycleCurveBilinear(NdContinuation c, Vec yc, PetscReal p1, Mat *B, PetscReal *wBv)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;

  PetscFunctionBegin;
  PetscCall(NdCycleCurveOperator(c, yc, p1, B, l->hwork));
  PetscCall(MatMult(*B, l->v, l->twork));
  PetscCall(VecDot(l->w, l->twork, wBv));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the central-difference step for a change of size |dx|_inf of a quantity of size |x|_inf: the
   cube root of the machine epsilon, relative */
static PetscReal NdCycleCurveStep(PetscReal x, PetscReal dx)
{
  return PetscPowReal(PETSC_MACHINE_EPSILON, 1.0 / 3.0) * (1 + x) / (dx > 0 ? dx : 1);
}

/* PD curves: the period's entry of g_(u,T), -w^T (dB/dT) v, by central differences in T. (The
   directional derivative along v gives the others: B is the Jacobian of the flip-conditioned
   collocation map in u, so that w^T (dB/du_j) v = ((d/de B(u + e v))^T w)_j; not in T, whose
   column of B is the identity's, and v_T = 0.) */
static PetscErrorCode NdCycleCurvePeriodTerm(NdContinuation c, PetscReal p1)
{
  NdContinuation_CycleCurve *l  = (NdContinuation_CycleCurve *)c->data;
  NdContinuation_Cycle      *cy = (NdContinuation_Cycle *)l->cyc->data;
  PetscReal                  T, h, plus, minus;
  PetscScalar               *a;

  PetscFunctionBegin;
  PetscCall((*l->cyc->ops->state)(l->cyc, l->yc, c->x, &T));
  h = NdCycleCurveStep(T, 1);
  PetscCall(VecCopy(l->yc, l->cwork));
  PetscCall(VecGetArray(l->cwork, &a));
  if (cy->rank == 0) a[cy->nl * cy->np] = T + h;
  PetscCall(VecRestoreArray(l->cwork, &a));
  PetscCall(NdCycleCurveBilinear(c, l->cwork, p1, &l->Bplus, &plus));
  PetscCall(VecGetArray(l->cwork, &a));
  if (cy->rank == 0) a[cy->nl * cy->np] = T - h;
  PetscCall(VecRestoreArray(l->cwork, &a));
  PetscCall(NdCycleCurveBilinear(c, l->cwork, p1, &l->Bminus, &minus));
  PetscCall(VecGetArray(l->G, &a));
  if (cy->rank == 0) a[cy->nl * cy->np] = -(plus - minus) / (2 * h);
  PetscCall(VecRestoreArray(l->G, &a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* H_y = [[A, G_p1], [g_(u,T)^T, g_p1]] and H_lambda = [G_p2; g_p2] */
static PetscErrorCode NdContinuationJacobian_CycleCurve(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  PetscReal                  p1, g, gp1, gp2, plus, minus, ynorm, vnorm, h;
  PetscInt                   ip = l->cyc->ip;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, &p1));
  PetscCall(NdCycleCurveBordered(c, l->yc, p1, lambda, &g));
  /* g_(u,T) = -(d/de B(yc + e v))^T w */
  PetscCall(VecNorm(l->yc, NORM_INFINITY, &ynorm));
  PetscCall(VecNorm(l->v, NORM_INFINITY, &vnorm));
  h = NdCycleCurveStep(ynorm, vnorm);
  PetscCall(VecWAXPY(l->cwork, h, l->v, l->yc));
  PetscCall(NdCycleCurveOperator(c, l->cwork, p1, &l->Bplus, l->hwork));
  PetscCall(VecWAXPY(l->cwork, -h, l->v, l->yc));
  PetscCall(NdCycleCurveOperator(c, l->cwork, p1, &l->Bminus, l->hwork));
  PetscCall(MatMultTranspose(l->Bplus, l->w, l->G));
  PetscCall(MatMultTranspose(l->Bminus, l->w, l->hwork));
  PetscCall(VecAXPY(l->G, -1.0, l->hwork));
  PetscCall(VecScale(l->G, -1.0 / (2 * h)));
  if (l->pd) PetscCall(NdCycleCurvePeriodTerm(c, p1));
  /* g_p1 and g_p2 */
  h = NdCycleCurveStep(PetscAbsReal(p1), 1);
  PetscCall(NdCycleCurveBilinear(c, l->yc, p1 + h, &l->Bplus, &plus));
  PetscCall(NdCycleCurveBilinear(c, l->yc, p1 - h, &l->Bminus, &minus));
  gp1 = -(plus - minus) / (2 * h);
  h   = NdCycleCurveStep(PetscAbsReal(lambda), 1);
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda + h));
  PetscCall(NdCycleCurveBilinear(c, l->yc, p1, &l->Bplus, &plus));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda - h));
  PetscCall(NdCycleCurveBilinear(c, l->yc, p1, &l->Bminus, &minus));
  gp2 = -(plus - minus) / (2 * h);
  /* G_p2: the orbits' Jacobian with p2 as their parameter (its H_lambda) at p1; G_(u,T) at (p1,
     p2) is B itself on LPC curves, assembled on PD curves */
  PetscCall(NdSystemSetParameterValue(c->sys, ip, p1));
  l->cyc->ip = c->ip2;
  PetscCall((*l->cyc->ops->jacobian)(l->cyc, l->yc, lambda, &l->Ap2, l->Gp2));
  l->cyc->ip = ip;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda));
  if (l->pd) PetscCall((*l->cyc->ops->jacobian)(l->cyc, l->yc, p1, &l->A, l->hwork));
  PetscCall(NdBorderedMatrixAssemble(l->pd ? l->A : l->B, l->Gp1, l->G, gp1, Hy));
  PetscCall(NdExtendedVecJoin(l->Gp2, gp2, Hl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the orbit's point u(0) and p1; the type's per-point scalars: the period, and the largest range
   of a variable over the orbit (its amplitude: the curve ends where it vanishes) */
static PetscErrorCode NdContinuationState_CycleCurve(NdContinuation c, Vec y, Vec x, PetscReal *p1)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  PetscReal                  first, T;

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

static PetscErrorCode NdContinuationExtrema_CycleCurve(NdContinuation c, Vec y, Vec xmax, Vec xmin)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, l->yc, NULL));
  PetscCall((*l->cyc->ops->extrema)(l->cyc, l->yc, xmax, xmin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationProfile_CycleCurve(NdContinuation c, Vec y, Vec *u, PetscReal **t)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;

  PetscFunctionBegin;
  if (y) PetscCall(NdExtendedVecSplit(y, l->yc, NULL));
  PetscCall((*l->cyc->ops->profile)(l->cyc, y ? l->yc : NULL, u, t));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At each accepted point: the orbits' mesh adapted as on a branch of orbits (the point and its
   tangent moved onto it), the orbit as the next phase reference, and new borders b, c along the
   left and right null vectors */
static PetscErrorCode NdContinuationAcceptPoint_CycleCurve(NdContinuation c, Vec y, Vec ty, PetscReal lambda)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  PetscReal                  p1, tp1, g, nrm;

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
  PetscCall(NdCycleCurveBordered(c, l->yc, p1, lambda, &g));
  PetscCall(VecNormalize(l->w, &nrm));
  PetscCall(VecNormalize(l->v, &nrm));
  PetscCall(VecCopy(l->w, l->b));
  PetscCall(VecCopy(l->v, l->c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -cont_param2 and its bounds, and the orbits' collocation options (-cont_ntst, -cont_ncol,
   -cont_adapt, ...) */
static PetscErrorCode NdContinuationSetFromOptions_CycleCurve(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject,
                        l->pd ? "Period doublings (PD) in two parameters" : "Folds of cycles (LPC) in two parameters");
  PetscCall(NdContinuationSecondParameterSetFromOptions(c, PetscOptionsObject));
  PetscOptionsHeadEnd();
  PetscCall((*l->cyc->ops->setfromoptions)(l->cyc, PetscOptionsObject));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* MUMPS for the corrector, the tangent and the bordered solves (options prefix -cont_lpc_ or
   -cont_pd_), as for the orbits themselves */
static PetscErrorCode NdContinuationCreateSolvers_CycleCurve(NdContinuation c)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  KSP                        ksp;

  PetscFunctionBegin;
  PetscCall(KSPCreate(PetscObjectComm((PetscObject)c), &l->ksp));
  PetscCall(KSPSetOptionsPrefix(l->ksp, l->pd ? "cont_pd_" : "cont_lpc_"));
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
   quietly, without output, and keeps its LPC (PD) points up to number -cont_start_index, where it
   stops */
static PetscErrorCode NdContinuationSetUp_CycleCurve(NdContinuation c)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  NdContinuation             o = l->cyc;

  PetscFunctionBegin;
  PetscCall(NdContinuationSecondParameterSetUp(c));
  PetscCall(NdContinuationSetSystem(o, c->sys));
  PetscCall(PetscStrncpy(o->param, c->param, sizeof(o->param)));
  o->pmin = c->pmin, o->pmax = c->pmax, o->ds = c->ds, o->ds_min = c->ds_min, o->ds_max = c->ds_max;
  o->max_steps = c->max_steps, o->direction = 0, o->quiet = PETSC_TRUE, o->locate_tol = c->locate_tol;
  o->residual_tol = c->residual_tol, o->multiplier_tol = c->multiplier_tol, o->progress = 0;
  ((NdContinuation_Cycle *)o->data)->keep_folds = c->start_index + 1;
  ((NdContinuation_Cycle *)o->data)->keep_label = l->label;
  PetscCall(NdContinuationSetUp(o));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCycleCurveCreateWork(NdContinuation c, Vec yc)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;
  Vec *v[] = {&l->yc, &l->tyc, &l->b, &l->c, &l->v, &l->w, &l->Gp1, &l->Gp2, &l->G, &l->cwork, &l->hwork, &l->twork};

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) PetscCall(VecDuplicate(yc, v[i]));
  PetscCall(NdExtendedVecCreate(yc, &l->rhs));
  PetscCall(VecDuplicate(l->rhs, &l->sol));
  PetscCall(VecDuplicate(c->x, &l->xmax));
  PetscCall(VecDuplicate(c->x, &l->xmin));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The curve's start y = (u, T, p1) at the point f of the orbits: the orbit on its own mesh, as
   the phase reference; borders along the null vector of the operator there (the branch's tangent
   at a fold, the flip eigenfunction at a period doubling) */
static PetscErrorCode NdCycleCurveStartPoint(NdContinuation c, const NdPendingBranch *f, Vec y)
{
  NdContinuation_CycleCurve *l  = (NdContinuation_CycleCurve *)c->data;
  NdContinuation_Cycle      *cy = (NdContinuation_Cycle *)l->cyc->data;
  PetscReal                  nrm;

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
static PetscErrorCode NdCycleCurveStart(NdContinuation c, const NdPendingBranch *f, PetscReal p2, Vec y)
{
  NdContinuation_CycleCurve *l    = (NdContinuation_CycleCurve *)c->data;
  MPI_Comm                   comm = PetscObjectComm((PetscObject)c);
  PetscBool                  ok;

  PetscFunctionBegin;
  PetscCall(NdCycleCurveStartPoint(c, f, y));
  PetscCall(NdBranchCorrectAtFixedParameter(c, y, p2, &ok));
  PetscCheck(ok, comm, PETSC_ERR_NOT_CONVERGED,
             "the %s point at %s = %g did not converge on the %s curve's system (%s; try more mesh intervals, "
             "-cont_ntst)",
             l->label, c->param, (double)f->lambda, ((PetscObject)c)->type_name, c->failure);
  PetscCall(NdContinuationAcceptPoint_CycleCurve(c, y, NULL, p2));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The LPC (PD) point number -cont_start_index of the orbits in p1, then the curve through it in
   p2, in the directions -cont_direction asks for (each from the point on its own mesh: a branch
   moves the mesh) */
static PetscErrorCode NdContinuationSolve_CycleCurve(NdContinuation c, Vec x0)
{
  NdContinuation_CycleCurve *l    = (NdContinuation_CycleCurve *)c->data;
  NdContinuation_Cycle      *cy   = (NdContinuation_Cycle *)l->cyc->data;
  MPI_Comm                   comm = PetscObjectComm((PetscObject)c);
  const NdPendingBranch     *f;
  PetscReal                  p1, p2, T;
  Vec                        y;

  PetscFunctionBegin;
  PetscCheck(!c->restart, comm, PETSC_ERR_SUP,
             "-restart: a %s curve cannot resume from a checkpoint (the orbits' mesh is not in it); rerun it",
             ((PetscObject)c)->type_name);
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p1));
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip2, &p2));
  if (!c->quiet)
    PetscCall(PetscPrintf(comm, "  the periodic orbits along %s up to their %s point number %" PetscInt_FMT ":\n",
                          c->param, l->label, c->start_index));
  PetscCall(NdContinuationSolve(l->cyc, x0));
  if (!c->quiet)
    for (PetscInt k = 0; k < cy->nfolds; k++)
      PetscCall(PetscPrintf(comm, "    %s %" PetscInt_FMT " at %s = %.12g\n", l->label, k, c->param,
                            (double)cy->folds[k].lambda));
  PetscCheck(c->start_index < cy->nfolds, comm, PETSC_ERR_USER_INPUT,
             "no %s point number %" PetscInt_FMT " on the periodic orbits along %s in [%g, %g] (%" PetscInt_FMT
             " found): the %s curve starts from one (-cont_start_index)",
             l->label, c->start_index, c->param, (double)c->pmin, (double)c->pmax, cy->nfolds,
             ((PetscObject)c)->type_name);
  f = &cy->folds[c->start_index];
  PetscCall(NdCycleCurveCreateWork(c, f->y));
  PetscCall((*l->cyc->ops->state)(l->cyc, f->y, c->x, &T));
  if (!c->quiet)
    PetscCall(PetscPrintf(comm, "  starting from the %s point at %s = %.12g (period %.10g)\n", l->label, c->param,
                          (double)f->lambda, (double)T));
  PetscCall(NdExtendedVecCreate(f->y, &y));
  c->kind         = ND_BRANCH_CYCLE_FOLD;
  c->lambda_index = c->ip2;
  c->lambda_min   = c->p2min;
  c->lambda_max   = c->p2max;
  PetscCall(NdCycleCurveStartPoint(c, f, y));
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
    PetscCall(NdCycleCurveStart(c, f, p2, y));
    PetscCall(NdBranchRun(c, y, p2, NULL, 0.0, dir));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p1));
  PetscCall(VecDestroy(&y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetStartOrbit_CycleCurve(NdContinuation c, PetscInt n, const PetscReal t[],
                                                             const PetscReal x[])
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;

  PetscFunctionBegin;
  PetscCall(NdContinuationSetStartOrbit(l->cyc, n, t, x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationView_CycleCurve(NdContinuation c, PetscViewer viewer)
{
  NdContinuation_CycleCurve *l = (NdContinuation_CycleCurve *)c->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "%s in (%s, %s); the orbits:\n",
                                   l->pd ? "period doublings" : "folds of cycles", c->param, c->param2));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall((*l->cyc->ops->view)(l->cyc, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_CycleCurve(NdContinuation c)
{
  NdContinuation_CycleCurve *l   = (NdContinuation_CycleCurve *)c->data;
  Vec                       *v[] = {&l->yc, &l->tyc,   &l->b,     &l->c,     &l->v,   &l->w,   &l->Gp1,  &l->Gp2,
                                    &l->G,  &l->cwork, &l->hwork, &l->twork, &l->rhs, &l->sol, &l->xmax, &l->xmin};
  Mat                       *m[] = {&l->A, &l->Ap2, &l->B, &l->Bplus, &l->Bminus, &l->Mb};

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) PetscCall(VecDestroy(v[i]));
  for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) PetscCall(MatDestroy(m[i]));
  PetscCall(KSPDestroy(&l->ksp));
  PetscCall(NdContinuationDestroy(&l->cyc));
  PetscCall(PetscObjectComposeFunction((PetscObject)c, "NdContinuationSetStartOrbit_C", NULL));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationCreate_CycleCurve(NdContinuation c, PetscBool pd)
{
  NdContinuation_CycleCurve *l;

  PetscFunctionBegin;
  PetscCall(PetscNew(&l));
  l->pd    = pd;
  l->label = pd ? "PD" : "LPC";
  /* a turning point in p2: a cusp of cycles on LPC curves; not a bifurcation on PD curves */
  c->turn_label = pd ? "" : "CPC";
  PetscCall(NdContinuationCreate(PetscObjectComm((PetscObject)c), &l->cyc));
  PetscCall(NdContinuationSetType(l->cyc, NDCONTINUATIONCYCLE));
  c->min_tangent_dot     = 0; /* steps controlled by Newton's convergence, as for the orbits */
  c->data                = l;
  c->ops->setfromoptions = NdContinuationSetFromOptions_CycleCurve;
  c->ops->setup          = NdContinuationSetUp_CycleCurve;
  c->ops->createsolvers  = NdContinuationCreateSolvers_CycleCurve;
  c->ops->residual       = NdContinuationResidual_CycleCurve;
  c->ops->jacobian       = NdContinuationJacobian_CycleCurve;
  c->ops->state          = NdContinuationState_CycleCurve;
  c->ops->extrema        = NdContinuationExtrema_CycleCurve;
  c->ops->profile        = NdContinuationProfile_CycleCurve;
  c->ops->acceptpoint    = NdContinuationAcceptPoint_CycleCurve;
  c->ops->solve          = NdContinuationSolve_CycleCurve;
  c->ops->view           = NdContinuationView_CycleCurve;
  c->ops->destroy        = NdContinuationDestroy_CycleCurve;
  PetscCall(PetscObjectComposeFunction((PetscObject)c, "NdContinuationSetStartOrbit_C",
                                       NdContinuationSetStartOrbit_CycleCurve));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_LPC(NdContinuation c)
{
  PetscFunctionBegin;
  PetscCall(NdContinuationCreate_CycleCurve(c, PETSC_FALSE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_PD(NdContinuation c)
{
  PetscFunctionBegin;
  PetscCall(NdContinuationCreate_CycleCurve(c, PETSC_TRUE));
  PetscFunctionReturn(PETSC_SUCCESS);
}
