/* equilibrium: branches of F(x; p) = 0 in one parameter p, with the rightmost eigenvalues of
   dF/dx at every point (SLEPc EPS). y = x, lambda = p. */
#include <math.h>
#include <neurodyn/private/continuationimpl.h>

static PetscErrorCode NdContinuationResidual_Equilibrium(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  PetscFunctionBegin;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, lambda));
  PetscCall(NdSystemComputeRHS(c->sys, 0.0, y, H));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationJacobian_Equilibrium(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  PetscFunctionBegin;
  if (!*Hy) PetscCall(NdSystemCreateJacobianMatrix(c->sys, Hy));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, lambda));
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, y, *Hy));
  PetscCall(NdSystemComputeParameterDerivative(c->sys, 0.0, y, c->ip, Hl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationState_Equilibrium(NdContinuation c, Vec y, Vec x, PetscReal *p1)
{
  PetscFunctionBegin;
  PetscCall(VecCopy(y, x));
  if (p1) PetscCall(NdSystemGetParameterValue(c->sys, c->ip, p1));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The nev eigenvalues of largest real part of dF/dx at (y, lambda), sorted by real part.
   Dense LAPACK for small systems, Krylov-Schur beyond; -eps_* and -st_* choose otherwise. */
static PetscErrorCode NdContinuationSpectrum_Equilibrium(NdContinuation c, Vec y, PetscReal lambda)
{
  PetscInt nconv;
  Vec      dummy;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(VecDuplicate(y, &dummy));
  PetscCall(NdContinuationJacobian_Equilibrium(c, y, lambda, &c->Hy, dummy));
  PetscCall(VecDestroy(&dummy));
  PetscCall(EPSSetOperators(c->eps, c->Hy, NULL));
  if (c->nwarm) PetscCall(EPSSetInitialSpace(c->eps, c->nwarm, c->warm));
  PetscCall(EPSSolve(c->eps));
  PetscCall(EPSGetConverged(c->eps, &nconv));
  if (c->warm) { /* the next point starts from these eigenvectors (real and imaginary parts) */
    c->nwarm = 0;
    for (PetscInt i = 0; i < PetscMin(nconv, c->nev) && c->nwarm + 1 < 2 * c->nev; i++) {
      PetscScalar kr, ki;
      PetscCall(EPSGetEigenpair(c->eps, i, &kr, &ki, c->warm[c->nwarm], c->warm[c->nwarm + 1]));
      c->nwarm += PetscRealPart(ki) != 0 ? 2 : 1;
      if (PetscRealPart(ki) != 0) i++; /* the conjugate adds nothing */
    }
  }
  for (PetscInt i = 0; i < c->nev; i++) {
    PetscScalar kr = NAN, ki = NAN; /* fewer converged than asked for */
    if (i < nconv) PetscCall(EPSGetEigenvalue(c->eps, i, &kr, &ki));
    c->eig_re[i] = PetscRealPart(kr);
    c->eig_im[i] = PetscRealPart(ki);
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The eigensolver, configured from the options at set-up: the nev eigenvalues of largest real
   part, by dense LAPACK up to 400 unknowns and Krylov-Schur beyond (-eps_*, -st_*: e.g.
   shift-and-invert near a target for large sparse systems). Beyond 400 unknowns each point's
   solve starts from the eigenvectors of the previous point. */
static PetscErrorCode NdContinuationCreateSolvers_Equilibrium(NdContinuation c)
{
  PetscInt N;

  PetscFunctionBegin;
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(NdEPSCreateRightmost(PetscObjectComm((PetscObject)c), c->nev, (PetscBool)(N <= 400), PETSC_DEFAULT,
                                 PETSC_DEFAULT, &c->eps));
  PetscCall(EPSGetDimensions(c->eps, &c->nev, NULL, NULL)); /* -eps_nev, when given, overrides -cont_nev */
  if (N > 400)
    PetscCall(VecDuplicateVecs(c->x, 2 * c->nev, &c->warm)); /* warm starts of Krylov solvers along the branch */
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Branches through branch points, followed after the branches in progress (-cont_switch_bp) */
typedef struct {
  PetscBool        switch_bp;
  PetscInt         npending;
  NdPendingBranch *pending;
} NdContinuation_Equilibrium;

/* At a branch point of a primary branch: the other branch's tangent. The null space of
   [F_x, F_p] is two-dimensional there; beside the branch's own tangent t1 it holds (phi, 0)
   (phi: the eigenvector of the real eigenvalue nearest zero) up to a multiple of t1, so the
   other branch leaves along t2 = (phi, 0) - <(phi, 0), t1> t1 (weighted inner product of the
   arclength). This is exact for the symmetry-breaking pitchforks of odd systems, where t1 has no
   phi component; in general the corrector, constrained across t2, falls onto the other branch
   for steps that are not too small. */
static PetscErrorCode NdContinuationSpecial_Equilibrium(NdContinuation c, const char label[], const NdBranchPoint *p)
{
  NdContinuation_Equilibrium *e = (NdContinuation_Equilibrium *)c->data;
  NdPendingBranch            *b;
  PetscInt                    nconv, pick = -1;
  PetscReal                   best = PETSC_MAX_REAL, dot;
  Vec                         phi;

  PetscFunctionBegin;
  if (strcmp(label, "BP") || !e->switch_bp || c->nbranch > (c->direction ? 1 : 2)) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdContinuationSpectrum_Equilibrium(c, p->y, p->lambda));
  PetscCall(EPSGetConverged(c->eps, &nconv));
  for (PetscInt i = 0; i < nconv; i++) {
    PetscScalar kr, ki;
    PetscCall(EPSGetEigenvalue(c->eps, i, &kr, &ki));
    if (PetscRealPart(ki) == 0 && PetscAbsReal(PetscRealPart(kr)) < best)
      best = PetscAbsReal(PetscRealPart(kr)), pick = i;
  }
  PetscCheck(pick >= 0, PetscObjectComm((PetscObject)c), PETSC_ERR_NOT_CONVERGED,
             "no real eigenvalue at the branch point %s = %g (raise -cont_nev)", c->param, (double)p->lambda);
  PetscCall(NdPendingBranchAdd(&e->pending, &e->npending, p->y, p->lambda, &b));
  PetscCall(VecDuplicate(p->y, &phi));
  PetscCall(EPSGetEigenpair(c->eps, pick, NULL, NULL, phi, NULL));
  PetscCall(VecDot(phi, p->ty, &dot));
  dot *= c->weight; /* <(phi, 0), t1> */
  PetscCall(VecWAXPY(b->ty, -dot, p->ty, phi));
  b->tl = -dot * p->tl;
  PetscCall(NdBranchNormalizeTangent(c, b->ty, &b->tl));
  PetscCall(VecDestroy(&phi));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The other branch through each branch point found, in both directions */
static PetscErrorCode NdEquilibriumFollowBranchPoints(NdContinuation c)
{
  NdContinuation_Equilibrium *e = (NdContinuation_Equilibrium *)c->data;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < e->npending; k++) {
    const NdPendingBranch *b = &e->pending[k];
    if (!c->quiet)
      PetscCall(PetscPrintf(PetscObjectComm((PetscObject)c),
                            "  switching onto the other branch at the BP point %s = %.12g\n", c->param,
                            (double)b->lambda));
    PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
    for (PetscInt dir = 1; dir >= -1; dir -= 2) PetscCall(NdBranchRun(c, b->y, b->lambda, b->ty, b->tl, dir));
    PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetFromOptions_Equilibrium(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  NdContinuation_Equilibrium *e = (NdContinuation_Equilibrium *)c->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Equilibria");
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-cont_switch_bp",
                          "Follow the other branch through each branch point (BP) of the first branches", e->switch_bp,
                          &e->switch_bp, NULL));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_Equilibrium(NdContinuation c)
{
  NdContinuation_Equilibrium *e = (NdContinuation_Equilibrium *)c->data;

  PetscFunctionBegin;
  PetscCall(NdPendingBranchesDestroy(&e->pending, &e->npending));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Correct the start point at the parameter's value, then one branch per direction, then the
   branches through its branch points (-cont_switch_bp). The parameter is restored afterwards. */
static PetscErrorCode NdContinuationSolve_Equilibrium(NdContinuation c, Vec x0)
{
  NdContinuation_Equilibrium *e = (NdContinuation_Equilibrium *)c->data;
  PetscReal                   p0;
  PetscBool                   ok;
  Vec                         y;

  PetscFunctionBegin;
  c->kind         = ND_BRANCH_EQUILIBRIUM;
  c->lambda_index = c->ip;
  c->lambda_min   = c->pmin;
  c->lambda_max   = c->pmax;
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p0));
  PetscCall(NdBranchSetUp(c, x0));
  PetscCall(VecDuplicate(x0, &y));
  PetscCall(VecCopy(x0, y));
  PetscCall(NdBranchCorrectAtFixedParameter(c, y, p0, &ok));
  PetscCheck(ok, PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "the start point did not converge: Newton's method found no equilibrium at %s = %g from the initial "
             "state (%s); start closer to one (-init_<variable>, or -cont_start with the output of a simulate run)",
             c->param, (double)p0, c->failure);
  PetscCheck(
      !(e->switch_bp && c->restart), PetscObjectComm((PetscObject)c), PETSC_ERR_SUP,
      "-cont_switch_bp cannot resume from a checkpoint (-restart): the branch points of finished branches are not "
      "in it; rerun the whole continuation");
  PetscCall(NdBranchRunDirections(c, y, p0));
  PetscCall(NdEquilibriumFollowBranchPoints(c));
  PetscCall(NdPendingBranchesDestroy(&e->pending, &e->npending));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p0));
  PetscCall(VecDestroy(&y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_Equilibrium(NdContinuation c)
{
  NdContinuation_Equilibrium *e;

  PetscFunctionBegin;
  PetscCall(PetscNew(&e));
  c->data                = e;
  c->ops->setfromoptions = NdContinuationSetFromOptions_Equilibrium;
  c->ops->special        = NdContinuationSpecial_Equilibrium;
  c->ops->destroy        = NdContinuationDestroy_Equilibrium;
  c->ops->residual       = NdContinuationResidual_Equilibrium;
  c->ops->jacobian       = NdContinuationJacobian_Equilibrium;
  c->ops->state          = NdContinuationState_Equilibrium;
  c->ops->spectrum       = NdContinuationSpectrum_Equilibrium;
  c->ops->solve          = NdContinuationSolve_Equilibrium;
  c->ops->createsolvers  = NdContinuationCreateSolvers_Equilibrium;
  PetscFunctionReturn(PETSC_SUCCESS);
}
