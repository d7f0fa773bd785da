/* fold: curves of fold (saddle-node) points in two parameters (p1, p2) by the minimally
   augmented system (Govaerts, Numerical Methods for Bifurcations of Dynamical Equilibria, 2000):
   y = (x, p1), lambda = p2, H(y, lambda) = (F(x; p1, p2), g(x; p1, p2)) where g solves
       [[J, b], [c^T, 0]] [v; g] = [0; 1],      J = dF/dx,
   so g = 0 exactly where J is singular; b and c are updated along the curve to the left and
   right null vectors. Derivatives of g: g_z = -w^T (dJ/dz) v, with w from the transposed
   system; the second derivatives of F are central differences of the analytic Jacobian.
   The curve starts from a fold found by an equilibrium continuation in p1; a turning point of
   the curve in p2 (e.g. the cusp of two fold curves) is labelled CP. */
#include <neurodyn/private/continuationimpl.h>

typedef struct {
  Vec b, c, v, w, Fp1, Fp2, G, xwork, rhs, sol;
  Mat J, Jplus, Jminus, Mf;
  KSP ksp;
} NdContinuation_Fold;

/* J, v, w and g at (x; p1, p2) */
static PetscErrorCode NdFoldBordered(NdContinuation c, Vec x, PetscReal p1, PetscReal p2, PetscReal *g)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;
  char                 what[256];

  PetscFunctionBegin;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p1));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, x, f->J));
  PetscCall(NdBorderedMatrixAssemble(f->J, f->b, f->c, 0.0, &f->Mf));
  PetscCall(KSPSetOperators(f->ksp, f->Mf, f->Mf));
  PetscCall(PetscSNPrintf(what, sizeof(what), "the fold curve at %s = %g, %s = %g", c->param, (double)p1, c->param2,
                          (double)p2));
  PetscCall(NdBorderedNullVectors(f->ksp, f->rhs, f->sol, f->v, f->w, g, what));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationResidual_Fold(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;
  PetscReal            p1, g;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, c->x, &p1));
  PetscCall(NdFoldBordered(c, c->x, p1, lambda, &g));
  PetscCall(NdSystemComputeRHS(c->sys, 0.0, c->x, f->xwork));
  PetscCall(NdExtendedVecJoin(f->xwork, g, H));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* -w^T (dJ/dp) v for parameter index ip */
static PetscErrorCode NdFoldParameterTerm(NdContinuation c, Vec x, PetscInt ip, PetscReal *dg)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;

  PetscFunctionBegin;
  PetscCall(NdJacobianParameterDerivative(c->sys, x, ip, f->Jminus, f->Jplus));
  PetscCall(MatMult(f->Jplus, f->v, f->xwork));
  PetscCall(VecDot(f->w, f->xwork, dg));
  *dg = -*dg;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* H_y = [[J, F_p1], [g_x^T, g_p1]] and H_lambda = [F_p2; g_p2] */
static PetscErrorCode NdContinuationJacobian_Fold(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;
  PetscReal            p1, g, gp1, gp2;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, c->x, &p1));
  PetscCall(NdFoldBordered(c, c->x, p1, lambda, &g));
  PetscCall(NdSystemComputeParameterDerivative(c->sys, 0.0, c->x, c->ip, f->Fp1));
  PetscCall(NdSystemComputeParameterDerivative(c->sys, 0.0, c->x, c->ip2, f->Fp2));
  /* g_x = -(d/de J(x + e v))^T w */
  PetscCall(NdJacobianDirectionalDerivative(c->sys, c->x, f->v, f->xwork, f->Jminus, f->Jplus));
  PetscCall(MatMultTranspose(f->Jplus, f->w, f->G));
  PetscCall(VecScale(f->G, -1.0));
  PetscCall(NdFoldParameterTerm(c, c->x, c->ip, &gp1));
  PetscCall(NdFoldParameterTerm(c, c->x, c->ip2, &gp2));
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, c->x, f->J));
  PetscCall(NdBorderedMatrixAssemble(f->J, f->Fp1, f->G, gp1, Hy));
  PetscCall(NdExtendedVecJoin(f->Fp2, gp2, Hl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationState_Fold(NdContinuation c, Vec y, Vec x, PetscReal *p1)
{
  PetscReal first;

  PetscFunctionBegin;
  (void)c;
  PetscCall(NdExtendedVecSplit(y, x, &first));
  if (p1) *p1 = first;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* New borders at each accepted point: b, c along the left and right null vectors */
static PetscErrorCode NdContinuationAcceptPoint_Fold(NdContinuation c, Vec y, Vec ty, PetscReal lambda)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;
  PetscReal            p1, g, nrm;

  PetscFunctionBegin;
  (void)ty;
  PetscCall(NdExtendedVecSplit(y, c->x, &p1));
  PetscCall(NdFoldBordered(c, c->x, p1, lambda, &g));
  PetscCall(VecNormalize(f->w, &nrm));
  PetscCall(VecNormalize(f->v, &nrm));
  PetscCall(VecCopy(f->w, f->b));
  PetscCall(VecCopy(f->v, f->c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetFromOptions_Fold(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Fold curves in two parameters");
  PetscCall(NdContinuationSecondParameterSetFromOptions(c, PetscOptionsObject));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The bordered solves [[J, b], [c^T, 0]]: direct with pivoting (J is singular on the curve);
   options prefix -cont_fold_ */
static PetscErrorCode NdContinuationCreateSolvers_Fold(NdContinuation c)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;
  PC                   pc;

  PetscFunctionBegin;
  PetscCall(KSPCreate(PetscObjectComm((PetscObject)c), &f->ksp));
  PetscCall(KSPSetOptionsPrefix(f->ksp, "cont_fold_"));
  PetscCall(KSPSetType(f->ksp, KSPPREONLY));
  PetscCall(KSPGetPC(f->ksp, &pc));
  PetscCall(PCSetType(pc, PCLU));
  PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  PetscCall(KSPSetFromOptions(f->ksp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetUp_Fold(NdContinuation c)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;

  PetscFunctionBegin;
  PetscCall(NdContinuationSecondParameterSetUp(c));
  PetscCall(VecDuplicate(c->x, &f->b));
  PetscCall(VecDuplicate(c->x, &f->c));
  PetscCall(VecDuplicate(c->x, &f->v));
  PetscCall(VecDuplicate(c->x, &f->w));
  PetscCall(VecDuplicate(c->x, &f->Fp1));
  PetscCall(VecDuplicate(c->x, &f->Fp2));
  PetscCall(VecDuplicate(c->x, &f->G));
  PetscCall(VecDuplicate(c->x, &f->xwork));
  PetscCall(NdExtendedVecCreate(c->x, &f->rhs));
  PetscCall(VecDuplicate(f->rhs, &f->sol));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &f->J));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &f->Jplus));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &f->Jminus));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Find the folds in p1 by an equilibrium continuation, then continue the chosen one in p2 */
static PetscErrorCode NdContinuationSolve_Fold(NdContinuation c, Vec x0)
{
  NdContinuation_Fold *f    = (NdContinuation_Fold *)c->data;
  MPI_Comm             comm = PetscObjectComm((PetscObject)c);
  NdContinuation       eq;
  NdSpecialPoint      *lp;
  PetscReal            p2, nrm;
  PetscBool            ok;
  Vec                  y;

  PetscFunctionBegin;
  PetscCall(NdContinuationFindStart(c, x0, "LP", &eq, &lp));

  /* borders from the null vector at the fold (the state part of the tangent there) */
  PetscCall(VecCopy(lp->ty, f->b));
  PetscCall(VecNormalize(f->b, &nrm));
  PetscCall(VecCopy(f->b, f->c));
  PetscCall(NdExtendedVecCreate(c->x, &y));
  PetscCall(NdExtendedVecJoin(lp->y, lp->lambda, y));
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip2, &p2));
  c->kind         = ND_BRANCH_FOLD;
  c->lambda_index = c->ip2;
  c->lambda_min   = c->p2min;
  c->lambda_max   = c->p2max;
  PetscCall(NdBranchSetUp(c, y));
  PetscCall(NdBranchCorrectAtFixedParameter(c, y, p2, &ok));
  PetscCheck(ok, comm, PETSC_ERR_NOT_CONVERGED,
             "the fold point at %s = %g did not converge on the fold-curve system "
             "(largest residual %g, -cont_residual_tol %g)",
             c->param, (double)lp->lambda, (double)c->residual, (double)c->residual_tol);
  PetscCall(NdContinuationAcceptPoint_Fold(c, y, NULL, p2));
  PetscCall(NdBranchRunDirections(c, y, p2));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, eq->special[0].lambda));
  PetscCall(VecDestroy(&y));
  PetscCall(NdContinuationDestroy(&eq));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_Fold(NdContinuation c)
{
  NdContinuation_Fold *f = (NdContinuation_Fold *)c->data;

  PetscFunctionBegin;
  PetscCall(VecDestroy(&f->b));
  PetscCall(VecDestroy(&f->c));
  PetscCall(VecDestroy(&f->v));
  PetscCall(VecDestroy(&f->w));
  PetscCall(VecDestroy(&f->Fp1));
  PetscCall(VecDestroy(&f->Fp2));
  PetscCall(VecDestroy(&f->G));
  PetscCall(VecDestroy(&f->xwork));
  PetscCall(VecDestroy(&f->rhs));
  PetscCall(VecDestroy(&f->sol));
  PetscCall(MatDestroy(&f->J));
  PetscCall(MatDestroy(&f->Jplus));
  PetscCall(MatDestroy(&f->Jminus));
  PetscCall(MatDestroy(&f->Mf));
  PetscCall(KSPDestroy(&f->ksp));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_Fold(NdContinuation c)
{
  NdContinuation_Fold *f;

  PetscFunctionBegin;
  PetscCall(PetscNew(&f));
  c->data                = f;
  c->ops->setfromoptions = NdContinuationSetFromOptions_Fold;
  c->ops->setup          = NdContinuationSetUp_Fold;
  c->ops->createsolvers  = NdContinuationCreateSolvers_Fold;
  c->ops->residual       = NdContinuationResidual_Fold;
  c->ops->jacobian       = NdContinuationJacobian_Fold;
  c->ops->state          = NdContinuationState_Fold;
  c->ops->acceptpoint    = NdContinuationAcceptPoint_Fold;
  c->ops->solve          = NdContinuationSolve_Fold;
  c->ops->destroy        = NdContinuationDestroy_Fold;
  PetscFunctionReturn(PETSC_SUCCESS);
}
