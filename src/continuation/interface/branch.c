/* The continuation engine: pseudo-arclength continuation of H(y, lambda) = 0 for any branch
   problem (the type supplies H and its derivatives). Newton corrector: SNES on the bordered
   system [[H_y, H_lambda], [w ty^T, tl]] (w = 1/dim y weighs the state against the parameter);
   tangents from the same bordered matrix; step-size control; test functions and their zeros
   located by a secant (Illinois) iteration in the arclength; rows of /branch/<k>. */
#include <neurodyn/private/continuationimpl.h>

/* The datasets of /branch/<k>; each also listed with its path and this rank's columns, to flush
   them for a checkpoint and to copy their rows from a restart file */
#define ND_BRANCH_DATASETS 8
typedef struct {
  NdDataset  lambda, p1, norm, state, eig_re, eig_im, unstable, aux;
  PetscInt   rows;
  PetscInt   n;
  NdDataset *list[ND_BRANCH_DATASETS];
  char       path[ND_BRANCH_DATASETS][256];
  PetscInt   col0[ND_BRANCH_DATASETS], ncol[ND_BRANCH_DATASETS];
} NdBranchOutput;

/* ---- the corrector ---- */

/* the arclength constraint of the current solve: w cty.(y - cypred) + ctl (lambda - clpred) = 0 */
typedef struct {
  Vec       cty, cypred, ywork, hwork, tywork;
  PetscReal ctl, clpred;
} NdBranchConstraint;

static NdBranchConstraint *NdConstraint(NdContinuation c)
{
  return (NdBranchConstraint *)c->data_engine;
}

static PetscErrorCode NdBranchFunction(SNES snes, Vec U, Vec R, void *ctx)
{
  NdContinuation      c = (NdContinuation)ctx;
  NdBranchConstraint *k = NdConstraint(c);
  PetscReal           lambda, dot;

  PetscFunctionBegin;
  (void)snes;
  PetscCall(NdExtendedVecSplit(U, k->ywork, &lambda));
  PetscCall((*c->ops->residual)(c, k->ywork, lambda, k->hwork));
  PetscCall(VecWAXPY(k->tywork, -1.0, k->cypred, k->ywork));
  PetscCall(VecDot(k->cty, k->tywork, &dot));
  PetscCall(NdExtendedVecJoin(k->hwork, c->weight * dot + k->ctl * (lambda - k->clpred), R));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* M = [[H_y, H_lambda], [w t_y^T, t_lambda]] at (y, lambda) */
static PetscErrorCode NdBranchAssemble(NdContinuation c, Vec y, PetscReal lambda, Vec ty, PetscReal tl)
{
  NdBranchConstraint *k = NdConstraint(c);

  PetscFunctionBegin;
  PetscCall((*c->ops->jacobian)(c, y, lambda, &c->Hy, c->Hl));
  PetscCall(VecCopy(ty, k->tywork));
  PetscCall(VecScale(k->tywork, c->weight));
  PetscCall(NdBorderedMatrixAssemble(c->Hy, c->Hl, k->tywork, tl, &c->M));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchJacobian(SNES snes, Vec U, Mat A, Mat P, void *ctx)
{
  NdContinuation      c = (NdContinuation)ctx;
  NdBranchConstraint *k = NdConstraint(c);
  PetscReal           lambda;

  PetscFunctionBegin;
  (void)snes;
  (void)A;
  (void)P;
  PetscCall(NdExtendedVecSplit(U, k->ywork, &lambda));
  PetscCall(NdBranchAssemble(c, k->ywork, lambda, k->cty, k->ctl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Newton from (y0, l0) under the current constraint; on success (y, lambda) hold the solution */
static PetscErrorCode NdBranchCorrect(NdContinuation c, Vec y0, PetscReal l0, Vec y, PetscReal *lambda, PetscBool *ok,
                                      PetscInt *its)
{
  SNESConvergedReason reason;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecJoin(y0, l0, c->U));
  PetscCall(SNESSolve(c->snes, NULL, c->U));
  PetscCall(SNESGetConvergedReason(c->snes, &reason));
  PetscCall(SNESGetIterationNumber(c->snes, its));
  *ok = (PetscBool)(reason > 0);
  if (*ok) PetscCall(NdExtendedVecSplit(c->U, y, lambda));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The corrector's SNES and the tangent's KSP, configured from the options before any branch:
   a direct solve with pivoting (MUMPS: the leading block H_y is singular at a fold, which
   defeats LU without pivoting) up to 1000 unknowns, GMRES with block Jacobi/ILU beyond (a
   direct factorisation of a large random connectivity fills in completely);
   -snes_*, -ksp_*, -pc_* (and -cont_tangent_ksp_*, -cont_tangent_pc_*) choose otherwise. */
PetscErrorCode NdBranchCreateSolvers(NdContinuation c, PetscInt N)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)c);
  KSP      ksp;

  PetscFunctionBegin;
  PetscCall(SNESCreate(comm, &c->snes));
  PetscCall(SNESSetTolerances(c->snes, 1e-12, 1e-10, 1e-14, 20, PETSC_DEFAULT));
  PetscCall(SNESGetKSP(c->snes, &ksp));
  PetscCall(KSPCreate(comm, &c->ksp_tangent));
  PetscCall(KSPSetOptionsPrefix(c->ksp_tangent, "cont_tangent_"));
  for (KSP k = ksp; k; k = (k == ksp ? c->ksp_tangent : NULL)) {
    PC pc;
    PetscCall(KSPGetPC(k, &pc));
    if (N <= 1000) {
      PetscCall(KSPSetType(k, KSPPREONLY));
      PetscCall(PCSetType(pc, PCLU));
      PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
    } else {
      PetscCall(KSPSetType(k, KSPGMRES));
      PetscCall(PCSetType(pc, PCBJACOBI));
      PetscCall(KSPSetTolerances(k, 1e-12, 1e-14, PETSC_DEFAULT, 1000));
    }
  }
  PetscCall(SNESSetFromOptions(c->snes));
  PetscCall(KSPSetFromOptions(c->ksp_tangent));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Work vectors and the bordered matrix for a branch whose unknowns y are laid out as ytemplate */
PetscErrorCode NdBranchSetUp(NdContinuation c, Vec ytemplate)
{
  NdBranchConstraint *k;
  PetscInt            N;
  PetscReal           lambda;

  PetscFunctionBegin;
  PetscCall(NdBranchReset(c));
  PetscCall(PetscNew(&k));
  c->data_engine = k;
  PetscCall(VecDuplicate(ytemplate, &c->y));
  PetscCall(VecDuplicate(ytemplate, &c->ty));
  PetscCall(VecDuplicate(ytemplate, &c->ypred));
  PetscCall(VecDuplicate(ytemplate, &c->Hl));
  PetscCall(VecDuplicate(ytemplate, &k->cty));
  PetscCall(VecDuplicate(ytemplate, &k->cypred));
  PetscCall(VecDuplicate(ytemplate, &k->ywork));
  PetscCall(VecDuplicate(ytemplate, &k->hwork));
  PetscCall(VecDuplicate(ytemplate, &k->tywork));
  PetscCall(NdExtendedVecCreate(ytemplate, &c->U));
  PetscCall(VecDuplicate(c->U, &c->R));
  PetscCall(VecGetSize(ytemplate, &N));
  c->weight = 1.0 / (PetscReal)N;
  /* the bordered matrix exists once the problem's Jacobian has been evaluated */
  PetscCall(VecCopy(ytemplate, k->ywork));
  PetscCall(NdSystemGetParameterValue(c->sys, c->lambda_index, &lambda));
  PetscCall(VecSet(k->cty, 0.0));
  k->ctl = 1.0;
  PetscCall(NdBranchAssemble(c, k->ywork, lambda, k->cty, k->ctl));
  PetscCall(SNESSetFunction(c->snes, c->R, NdBranchFunction, c));
  PetscCall(SNESSetJacobian(c->snes, c->M, c->M, NdBranchJacobian, c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBranchReset(NdContinuation c)
{
  NdBranchConstraint *k = NdConstraint(c);

  PetscFunctionBegin;
  if (k) {
    PetscCall(VecDestroy(&k->cty));
    PetscCall(VecDestroy(&k->cypred));
    PetscCall(VecDestroy(&k->ywork));
    PetscCall(VecDestroy(&k->hwork));
    PetscCall(VecDestroy(&k->tywork));
    PetscCall(PetscFree(c->data_engine));
  }
  PetscCall(VecDestroy(&c->y));
  PetscCall(VecDestroy(&c->ty));
  PetscCall(VecDestroy(&c->ypred));
  PetscCall(VecDestroy(&c->Hl));
  PetscCall(VecDestroy(&c->U));
  PetscCall(VecDestroy(&c->R));
  PetscCall(MatDestroy(&c->M));
  PetscCall(MatDestroy(&c->Hy));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Newton at a fixed parameter value (the constraint lambda = l0), from and into y */
PetscErrorCode NdBranchCorrectAtFixedParameter(NdContinuation c, Vec y, PetscReal l0, PetscBool *ok)
{
  NdBranchConstraint *k = NdConstraint(c);
  PetscReal           lambda;
  PetscInt            its;

  PetscFunctionBegin;
  PetscCall(VecSet(k->cty, 0.0));
  PetscCall(VecCopy(y, k->cypred));
  k->ctl    = 1.0;
  k->clpred = l0;
  PetscCall(NdBranchCorrect(c, y, l0, y, &lambda, ok, &its));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The unit tangent at (y, lambda), oriented along (ty_old, tl_old): solves
   [[H_y, H_lambda], [w ty_old^T, tl_old]] t = e_last */
static PetscErrorCode NdBranchTangent(NdContinuation c, Vec y, PetscReal lambda, Vec ty_old, PetscReal tl_old, Vec ty,
                                      PetscReal *tl)
{
  NdBranchConstraint *k = NdConstraint(c);
  Vec                 rhs, T;
  PetscReal           nrm2;

  PetscFunctionBegin;
  PetscCall(NdBranchAssemble(c, y, lambda, ty_old, tl_old));
  PetscCall(VecDuplicate(c->U, &rhs));
  PetscCall(VecDuplicate(c->U, &T));
  PetscCall(VecSet(k->hwork, 0.0));
  PetscCall(NdExtendedVecJoin(k->hwork, 1.0, rhs));
  PetscCall(KSPSetOperators(c->ksp_tangent, c->M, c->M));
  PetscCall(KSPSolve(c->ksp_tangent, rhs, T));
  PetscCall(NdExtendedVecSplit(T, ty, tl));
  PetscCall(VecDot(ty, ty, &nrm2));
  nrm2 = PetscSqrtReal(c->weight * nrm2 + (*tl) * (*tl));
  PetscCall(VecScale(ty, 1.0 / nrm2));
  *tl /= nrm2;
  PetscCall(VecDestroy(&rhs));
  PetscCall(VecDestroy(&T));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- points, test functions, output ---- */

static PetscErrorCode NdBranchPointCreate(NdContinuation c, NdBranchPoint *p)
{
  PetscFunctionBegin;
  PetscCall(PetscMemzero(p, sizeof(*p)));
  PetscCall(VecDuplicate(c->y, &p->y));
  PetscCall(VecDuplicate(c->y, &p->ty));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchPointCopy(const NdBranchPoint *from, NdBranchPoint *to)
{
  Vec y = to->y, ty = to->ty;

  PetscFunctionBegin;
  PetscCall(VecCopy(from->y, y));
  PetscCall(VecCopy(from->ty, ty));
  *to    = *from;
  to->y  = y;
  to->ty = ty;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchPointDestroy(NdBranchPoint *p)
{
  PetscFunctionBegin;
  PetscCall(VecDestroy(&p->y));
  PetscCall(VecDestroy(&p->ty));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* state norm, first parameter, spectrum and its test functions at p */
static PetscErrorCode NdBranchAnalyse(NdContinuation c, NdBranchPoint *p)
{
  PetscReal best = PETSC_MAX_REAL;

  PetscFunctionBegin;
  c->aux = 0;
  PetscCall((*c->ops->state)(c, p->y, c->x, &p->p1));
  PetscCall(VecNorm(c->x, NORM_2, &p->norm));
  p->nunstable_real = p->nunstable_complex = p->nunstable_negative = 0;
  p->hopf_test = p->omega = 0;
  p->real_test            = PETSC_MAX_REAL;
  p->aux                  = c->aux;
  if (c->kind == ND_BRANCH_HOPF) p->omega = PetscAbsReal(c->aux);
  if (!c->ops->spectrum) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall((*c->ops->spectrum)(c, p->y, p->lambda));
  p->aux = c->aux;
  if (c->kind == ND_BRANCH_PERIODIC) { /* Floquet multipliers: outside the unit circle, not counting the trivial one */
    PetscInt  trivial = -1;
    PetscReal dist    = PETSC_MAX_REAL;
    for (PetscInt i = 0; i < c->nev; i++) {
      PetscReal d = PetscSqrtReal(PetscSqr(c->eig_re[i] - 1) + PetscSqr(c->eig_im[i]));
      if (!PetscIsNanReal(d) && d < dist) dist = d, trivial = i;
    }
    for (PetscInt i = 0; i < c->nev; i++) {
      PetscReal re = c->eig_re[i], im = c->eig_im[i];
      if (i == trivial || PetscIsNanReal(re) || PetscSqrtReal(re * re + im * im) <= 1 + 1e-9) continue;
      if (PetscAbsReal(im) > 1e-9)
        p->nunstable_complex++;
      else {
        p->nunstable_real++;
        if (re < 0) p->nunstable_negative++;
      }
    }
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (PetscInt i = 0; i < c->nev; i++) {
    PetscReal re = c->eig_re[i], im = c->eig_im[i];
    PetscBool cplx = (PetscBool)(PetscAbsReal(im) > 1e-9 * (1 + PetscAbsReal(re)));
    if (PetscIsNanReal(re)) continue;
    if (re > 0) {
      if (cplx)
        p->nunstable_complex++;
      else
        p->nunstable_real++;
    }
    if (!cplx && PetscAbsReal(re) < PetscAbsReal(p->real_test)) p->real_test = re;
    if (cplx && im > 0 && PetscAbsReal(re) < best) { /* the complex pair nearest the imaginary axis */
      best         = PetscAbsReal(re);
      p->hopf_test = re;
      p->omega     = im;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The units of a branch's columns: the continued parameter (the second one of a curve), the first
   parameter, the state ("" when its variables differ in units), the first variable (of which
   periodic orbits record the amplitude), the eigenvalues (Floquet multipliers: none) */
typedef struct {
  char lambda[64], first[64], state[64], variable0[64], eig[8];
} NdBranchUnits;

static PetscErrorCode NdBranchGetUnits(NdContinuation c, NdBranchUnits *u)
{
  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterUnit(c->sys, c->ip, u->first, sizeof(u->first)));
  if (c->lambda_index == c->ip)
    PetscCall(PetscStrncpy(u->lambda, u->first, sizeof(u->lambda)));
  else
    PetscCall(NdSystemGetParameterUnit(c->sys, c->ip2, u->lambda, sizeof(u->lambda)));
  PetscCall(NdSystemGetStateUnit(c->sys, u->state, sizeof(u->state)));
  PetscCall(NdSystemGetVariableUnit(c->sys, 0, u->variable0, sizeof(u->variable0)));
  PetscCall(PetscStrncpy(u->eig, c->kind == ND_BRANCH_PERIODIC ? "1" : "1/T", sizeof(u->eig)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* /branch/<branch>/<name>: ncols columns of which this rank owns [col0, col0 + nlocal), in units
   (NULL: none, as for a state of variables with different units) */
static PetscErrorCode NdBranchOutputAdd(NdContinuation c, NdBranchOutput *o, PetscInt branch, const char name[],
                                        const char units[], PetscInt col0, PetscInt nlocal, PetscInt ncols,
                                        PetscBool scalar, NdDataset *ds)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(o->path[o->n], sizeof(o->path[o->n]), "/branch/%" PetscInt_FMT "/%s", branch, name));
  PetscCall(NdOutputCreateDataset(c->out, o->path[o->n], nlocal, ncols, scalar, units, ds));
  o->list[o->n] = ds;
  o->col0[o->n] = col0;
  o->ncol[o->n] = nlocal;
  o->n++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchOutputCreate(NdContinuation c, PetscInt branch, NdBranchOutput *o)
{
  MPI_Comm      comm = PetscObjectComm((PetscObject)c);
  PetscMPIInt   rank;
  char          path[256];
  const char   *state;
  NdBranchUnits u;
  PetscInt      nlocal, N, lo, one;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(o, sizeof(*o)));
  if (!c->out) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  one = rank == 0;
  PetscCall(PetscSNPrintf(path, sizeof(path), "/branch/%" PetscInt_FMT, branch));
  PetscCall(NdOutputWriteAttributeString(c->out, path, "type", ((PetscObject)c)->type_name));
  PetscCall(NdOutputWriteAttributeString(c->out, path, "parameter", c->lambda_index == c->ip ? c->param : c->param2));
  if (c->lambda_index != c->ip) PetscCall(NdOutputWriteAttributeString(c->out, path, "first_parameter", c->param));
  PetscCall(NdBranchGetUnits(c, &u));
  state = u.state[0] ? u.state : NULL;
  PetscCall(NdBranchOutputAdd(c, o, branch, c->lambda_index == c->ip ? c->param : c->param2, u.lambda, 0, one, 1,
                              PETSC_TRUE, &o->lambda));
  if (c->kind != ND_BRANCH_EQUILIBRIUM) /* the first parameter of fold curves, the period of orbits */
    PetscCall(NdBranchOutputAdd(c, o, branch, c->kind == ND_BRANCH_PERIODIC ? "period" : c->param,
                                c->kind == ND_BRANCH_PERIODIC ? "T" : u.first, 0, one, 1, PETSC_TRUE, &o->p1));
  if (c->kind == ND_BRANCH_PERIODIC || c->kind == ND_BRANCH_HOPF)
    PetscCall(NdBranchOutputAdd(c, o, branch, c->kind == ND_BRANCH_HOPF ? "omega" : "amplitude",
                                c->kind == ND_BRANCH_HOPF ? "rad/T" : u.variable0, 0, one, 1, PETSC_TRUE, &o->aux));
  PetscCall(NdBranchOutputAdd(c, o, branch, "norm", state, 0, one, 1, PETSC_TRUE, &o->norm));
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(VecGetLocalSize(c->x, &nlocal));
  PetscCall(VecGetOwnershipRange(c->x, &lo, NULL));
  if (N <= c->store_state_max)
    PetscCall(NdBranchOutputAdd(c, o, branch, "state", state, lo, nlocal, N, PETSC_FALSE, &o->state));
  if (c->ops->spectrum) {
    PetscCall(NdBranchOutputAdd(c, o, branch, "eig_re", u.eig, 0, one * c->nev, c->nev, PETSC_FALSE, &o->eig_re));
    PetscCall(NdBranchOutputAdd(c, o, branch, "eig_im", u.eig, 0, one * c->nev, c->nev, PETSC_FALSE, &o->eig_im));
    PetscCall(NdBranchOutputAdd(c, o, branch, "unstable", "1", 0, one, 1, PETSC_TRUE, &o->unstable));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The first rows of every dataset of the branch, from the restart file */
static PetscErrorCode NdBranchOutputCopy(NdContinuation c, NdBranchOutput *o, PetscInt rows)
{
  PetscFunctionBegin;
  o->rows = rows;
  if (!c->out) PetscFunctionReturn(PETSC_SUCCESS);
  for (PetscInt i = 0; i < o->n; i++)
    PetscCall(NdCheckpointCopyRecorded(c->restart, o->path[i], rows, o->col0[i], o->ncol[i], *o->list[i]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchOutputFlush(NdBranchOutput *o)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < o->n; i++) PetscCall(NdDatasetFlush(*o->list[i]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchOutputRow(NdContinuation c, NdBranchOutput *o, const NdBranchPoint *p)
{
  PetscReal unstable = (PetscReal)(p->nunstable_real + p->nunstable_complex);

  PetscFunctionBegin;
  o->rows++;
  if (!c->out) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdDatasetAppendRow(o->lambda, &p->lambda));
  if (o->p1) PetscCall(NdDatasetAppendRow(o->p1, &p->p1));
  if (o->aux) {
    PetscReal aux = c->kind == ND_BRANCH_HOPF ? PetscAbsReal(p->aux) : p->aux; /* the frequency |omega| */
    PetscCall(NdDatasetAppendRow(o->aux, &aux));
  }
  PetscCall(NdDatasetAppendRow(o->norm, &p->norm));
  if (o->state) {
    PetscCall((*c->ops->state)(c, p->y, c->x, NULL));
    PetscCall(NdDatasetAppendVec(o->state, c->x));
  }
  if (o->eig_re) {
    PetscCall(NdDatasetAppendRow(o->eig_re, c->eig_re));
    PetscCall(NdDatasetAppendRow(o->eig_im, c->eig_im));
    PetscCall(NdDatasetAppendRow(o->unstable, &unstable));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchOutputDestroy(NdBranchOutput *o)
{
  PetscFunctionBegin;
  PetscCall(NdDatasetDestroy(&o->lambda));
  PetscCall(NdDatasetDestroy(&o->p1));
  PetscCall(NdDatasetDestroy(&o->aux));
  PetscCall(NdDatasetDestroy(&o->norm));
  PetscCall(NdDatasetDestroy(&o->state));
  PetscCall(NdDatasetDestroy(&o->eig_re));
  PetscCall(NdDatasetDestroy(&o->eig_im));
  PetscCall(NdDatasetDestroy(&o->unstable));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchPrint(NdContinuation c, PetscInt branch, PetscInt row, const char *label,
                                    const NdBranchPoint *p)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)c);

  PetscFunctionBegin;
  if (c->quiet) PetscFunctionReturn(PETSC_SUCCESS);
  if (c->lambda_index == c->ip) {
    PetscCall(PetscPrintf(
        comm, "  %3" PetscInt_FMT " %5" PetscInt_FMT "  %-2s  %s = %-20.12g |x| = %-12.6g unstable %" PetscInt_FMT "\n",
        branch, row, label, c->param, (double)p->lambda, (double)p->norm, p->nunstable_real + p->nunstable_complex));
    if (!strcmp(label, "HB"))
      PetscCall(PetscPrintf(comm, "                  frequency omega = %.12g\n", (double)p->omega));
  } else
    PetscCall(PetscPrintf(comm,
                          "  %3" PetscInt_FMT " %5" PetscInt_FMT "  %-2s  %s = %-20.12g %s = %-20.12g |x| = %.6g\n",
                          branch, row, label, c->param2, (double)p->lambda, c->param, (double)p->p1, (double)p->norm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- stepping ---- */

/* From base, a step of arclength s: predictor, corrector, tangent (oriented along base's), analysis */
static PetscErrorCode NdBranchStepFrom(NdContinuation c, const NdBranchPoint *base, PetscReal s, NdBranchPoint *p,
                                       PetscBool *ok, PetscInt *its)
{
  NdBranchConstraint *k = NdConstraint(c);

  PetscFunctionBegin;
  PetscCall(VecWAXPY(c->ypred, s, base->ty, base->y));
  PetscCall(VecCopy(base->ty, k->cty));
  PetscCall(VecCopy(c->ypred, k->cypred));
  k->ctl    = base->tl;
  k->clpred = base->lambda + s * base->tl;
  PetscCall(NdBranchCorrect(c, c->ypred, k->clpred, p->y, &p->lambda, ok, its));
  if (!*ok) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdBranchTangent(c, p->y, p->lambda, base->ty, base->tl, p->ty, &p->tl));
  PetscCall(NdBranchAnalyse(c, p));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Test functions whose zeros are located: the parameter component of the tangent (folds, and
   cusps on fold curves), the real part of the complex pair nearest the imaginary axis (Hopf),
   the real eigenvalue nearest zero (branch points), and the distance of the continuation
   parameter or the first parameter to a bound. */
typedef enum { ND_TEST_FOLD, ND_TEST_HOPF, ND_TEST_REAL, ND_TEST_LAMBDA, ND_TEST_P1 } NdTestFunction;

static PetscReal NdTestValue(const NdBranchPoint *p, NdTestFunction f, PetscReal bound)
{
  switch (f) {
  case ND_TEST_FOLD:
    return p->tl;
  case ND_TEST_HOPF:
    return p->hopf_test;
  case ND_TEST_REAL:
    return p->real_test;
  case ND_TEST_LAMBDA:
    return p->lambda - bound;
  default:
    return p->p1 - bound;
  }
}

/* The zero of a test function between base (s = 0) and next (s = ds): Illinois iteration on s,
   each evaluation a corrected point; until the bracket in s is below 1e-12 |ds| relative or the
   test function vanishes to rounding. */
static PetscErrorCode NdBranchLocate(NdContinuation c, const NdBranchPoint *base, const NdBranchPoint *next,
                                     PetscReal ds, NdTestFunction f, PetscReal bound, NdBranchPoint *at)
{
  PetscReal a = 0, b = ds, fa = NdTestValue(base, f, bound), fb = NdTestValue(next, f, bound);
  PetscInt  side = 0, its;
  PetscBool ok;

  PetscFunctionBegin;
  PetscCall(NdBranchPointCopy(next, at));
  for (PetscInt iter = 0; iter < 100 && fb != fa; iter++) {
    PetscReal s = b - fb * (b - a) / (fb - fa), fs;
    PetscCall(NdBranchStepFrom(c, base, s, at, &ok, &its));
    PetscCheck(ok, PetscObjectComm((PetscObject)c), PETSC_ERR_NOT_CONVERGED,
               "Newton failed while locating a special point near %s = %g",
               c->lambda_index == c->ip ? c->param : c->param2, (double)at->lambda);
    fs = NdTestValue(at, f, bound);
    if (PetscAbsReal(fs) < 1e-13 || PetscAbsReal(b - a) < c->locate_tol * PetscAbsReal(ds)) break;
    if ((fs > 0) == (fb > 0)) {
      b  = s;
      fb = fs;
      if (side == -1) fa /= 2;
      side = -1;
    } else {
      a  = s;
      fa = fs;
      if (side == 1) fb /= 2;
      side = 1;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationAddSpecialPoint(NdContinuation c, const char label[], PetscInt branch, PetscInt row,
                                             PetscReal lambda, PetscReal p1, PetscReal norm, PetscReal omega, Vec y,
                                             Vec ty)
{
  NdSpecialPoint *sp;

  PetscFunctionBegin;
  PetscCall(PetscRealloc(sizeof(NdSpecialPoint) * (size_t)(c->nspecial + 1), &c->special));
  sp = &c->special[c->nspecial++];
  PetscCall(PetscMemzero(sp, sizeof(*sp)));
  PetscCall(PetscStrncpy(sp->label, label, sizeof(sp->label)));
  sp->branch = branch;
  sp->row    = row;
  sp->lambda = lambda;
  sp->p1     = p1;
  sp->norm   = norm;
  sp->omega  = omega;
  if (y) {
    PetscCall(VecDuplicate(y, &sp->y));
    PetscCall(VecCopy(y, sp->y));
    PetscCall(VecDuplicate(ty, &sp->ty));
    PetscCall(VecCopy(ty, sp->ty));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchSpecial(NdContinuation c, PetscInt branch, NdBranchOutput *o, const char *label,
                                      const NdBranchPoint *p)
{
  PetscFunctionBegin;
  PetscCall(NdBranchPrint(c, branch, o->rows, label, p));
  PetscCall(NdContinuationAddSpecialPoint(c, label, branch, o->rows, p->lambda, p->p1, p->norm, p->omega,
                                          (!strcmp(label, "LP") || !strcmp(label, "HB")) ? p->y : NULL, p->ty));
  PetscCall(NdBranchOutputRow(c, o, p));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The special-point table of a branch: /branch/<k>/special */
static PetscErrorCode NdBranchWriteSpecial(NdContinuation c, PetscInt branch)
{
  PetscMPIInt   rank;
  char          path[256], labels[4096] = "";
  NdDataset     row, lambda, p1 = NULL, norm, omega;
  PetscBool     fold = (PetscBool)(c->lambda_index != c->ip);
  NdBranchUnits u;

  PetscFunctionBegin;
  if (!c->out) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)c), &rank));
  PetscCall(NdBranchGetUnits(c, &u));
#define ND_SPECIAL_DATASET(name, units, ds)                                                                            \
  do {                                                                                                                 \
    PetscCall(PetscSNPrintf(path, sizeof(path), "/branch/%" PetscInt_FMT "/special/%s", branch, name));                \
    PetscCall(NdOutputCreateDataset(c->out, path, rank == 0, 1, PETSC_TRUE, units, &ds));                              \
  } while (0)
  ND_SPECIAL_DATASET("row", NULL, row);
  ND_SPECIAL_DATASET(fold ? c->param2 : c->param, u.lambda, lambda);
  if (fold) ND_SPECIAL_DATASET(c->param, u.first, p1);
  ND_SPECIAL_DATASET("norm", u.state[0] ? u.state : NULL, norm);
  ND_SPECIAL_DATASET("omega", "rad/T", omega);
#undef ND_SPECIAL_DATASET
  for (PetscInt i = 0; i < c->nspecial; i++) {
    const NdSpecialPoint *sp = &c->special[i];
    PetscReal             r  = (PetscReal)sp->row;
    if (sp->branch != branch) continue;
    if (labels[0]) PetscCall(PetscStrlcat(labels, ",", sizeof(labels)));
    PetscCall(PetscStrlcat(labels, sp->label, sizeof(labels)));
    PetscCall(NdDatasetAppendRow(row, &r));
    PetscCall(NdDatasetAppendRow(lambda, &sp->lambda));
    if (p1) PetscCall(NdDatasetAppendRow(p1, &sp->p1));
    PetscCall(NdDatasetAppendRow(norm, &sp->norm));
    PetscCall(NdDatasetAppendRow(omega, &sp->omega));
  }
  PetscCall(NdDatasetDestroy(&row));
  PetscCall(NdDatasetDestroy(&lambda));
  PetscCall(NdDatasetDestroy(&p1));
  PetscCall(NdDatasetDestroy(&norm));
  PetscCall(NdDatasetDestroy(&omega));
  PetscCall(PetscSNPrintf(path, sizeof(path), "/branch/%" PetscInt_FMT "/special", branch));
  PetscCall(NdOutputWriteAttributeString(c->out, path, "labels", labels));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* One branch from the corrected point (y0, l0) in direction dir (+1 or -1 along the tangent).
   The tangent at the start is computed, unless ty0 (with tl0) gives it: at a Hopf point the
   periodic branch starts along the critical eigenvector, where the bordered matrix is singular. */
PetscErrorCode NdBranchRun(NdContinuation c, Vec y0, PetscReal l0, Vec ty0, PetscReal tl0, PetscInt dir)
{
  MPI_Comm       comm   = PetscObjectComm((PetscObject)c);
  PetscInt       branch = c->nbranch++, its, step = 0;
  NdBranchOutput o;
  NdBranchPoint  cur, next, at;
  PetscReal      ds = c->ds;
  PetscBool      ok, done = PETSC_FALSE;
  const char    *lname = c->lambda_index == c->ip ? c->param : c->param2;

  PetscFunctionBegin;
  if (c->signum) PetscFunctionReturn(PETSC_SUCCESS); /* stopped by a signal in an earlier branch */
  PetscCall(NdBranchPointCreate(c, &cur));
  PetscCall(NdBranchPointCreate(c, &next));
  PetscCall(NdBranchPointCreate(c, &at));
  PetscCall(NdBranchOutputCreate(c, branch, &o));
  if (c->restart && branch < c->resume.branch) { /* finished before the checkpoint: its rows as they were */
    PetscCall(NdBranchOutputCopy(c, &o, c->branch_rows[branch]));
    done = PETSC_TRUE;
    step = c->max_steps;
  } else if (c->restart && branch == c->resume.branch) { /* in progress at the checkpoint: go on from there */
    PetscCall(NdBranchOutputCopy(c, &o, c->resume.rows));
    PetscCall(NdContinuationRestartPoint(c, &cur));
    step = c->resume.step;
    ds   = c->resume.ds;
    if (!c->quiet)
      PetscCall(PetscPrintf(comm,
                            "  BR    PT  TY  (branch %" PetscInt_FMT " resumed at row %" PetscInt_FMT ", %s = %g)\n",
                            branch, o.rows, lname, (double)cur.lambda));
  } else {
    if (!c->quiet)
      PetscCall(PetscPrintf(comm, "  BR    PT  TY  (%s continuation in %s, direction %s)\n",
                            c->kind == ND_BRANCH_FOLD       ? "fold curve"
                            : c->kind == ND_BRANCH_HOPF     ? "Hopf curve"
                            : c->kind == ND_BRANCH_PERIODIC ? "periodic orbit"
                                                            : "equilibrium",
                            lname, dir > 0 ? "+" : "-"));

    /* the start point and its tangent, pointing in the requested direction */
    PetscCall(VecCopy(y0, cur.y));
    cur.lambda = l0;
    if (ty0) {
      PetscCall(VecCopy(ty0, cur.ty));
      cur.tl = tl0;
    } else {
      PetscCall(VecSet(c->ypred, 0.0));
      PetscCall(NdBranchTangent(c, cur.y, cur.lambda, c->ypred, 1.0, cur.ty, &cur.tl));
    }
    PetscCall(VecScale(cur.ty, (PetscReal)dir));
    cur.tl *= (PetscReal)dir;
    PetscCall(NdBranchAnalyse(c, &cur));
    PetscCall(NdBranchSpecial(c, branch, &o, "EP", &cur));
  }
  c->rows_at_checkpoint = o.rows;

  for (; step < c->max_steps && !done; step++) {
    PetscReal dot = 0;
    PetscInt  dunstable;

    if (c->checkpointing && c->out) { /* every interval of new rows, and on a signal (then stop) */
      PetscCall(NdCheckpointSignalReceived(comm, &c->signum));
      if (c->signum || (c->checkpoint_interval > 0 && o.rows - c->rows_at_checkpoint >= c->checkpoint_interval)) {
        NdBranchPosition pos = {branch, o.rows, step, ds};
        PetscCall(NdBranchOutputFlush(&o));
        PetscCall(NdContinuationCheckpoint(c, &pos, &cur));
        c->rows_at_checkpoint = o.rows;
      }
      if (c->signum) break;
    }
    PetscCall(NdBranchStepFrom(c, &cur, ds, &next, &ok, &its));
    if (ok) {
      PetscCall(VecDot(cur.ty, next.ty, &dot));
      dot = c->weight * dot + cur.tl * next.tl;
    }
    if (!ok || dot < 0.9) { /* Newton failed, or the tangent turned too far: a smaller step */
      ds /= 2;
      step--;
      if (ds < c->ds_min) {
        if (!c->quiet)
          PetscCall(PetscPrintf(comm, "  continuation stopped near %s = %g: the step fell below -cont_ds_min = %g\n",
                                lname, (double)cur.lambda, (double)c->ds_min));
        break;
      }
      continue;
    }
    if (c->ops->acceptpoint) PetscCall((*c->ops->acceptpoint)(c, next.y, next.lambda));

    /* leaving the bounds: the branch ends exactly on the bound */
    if (next.lambda > c->lambda_max || next.lambda < c->lambda_min ||
        ((c->kind == ND_BRANCH_FOLD || c->kind == ND_BRANCH_HOPF) && (next.p1 > c->pmax || next.p1 < c->pmin))) {
      if (next.lambda > c->lambda_max || next.lambda < c->lambda_min)
        PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_LAMBDA,
                                 next.lambda > c->lambda_max ? c->lambda_max : c->lambda_min, &at));
      else
        PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_P1, next.p1 > c->pmax ? c->pmax : c->pmin, &at));
      PetscCall(NdBranchSpecial(c, branch, &o, "EP", &at));
      done = PETSC_TRUE;
      continue;
    }
    /* an eigenvalue (multiplier) crossing changes the number of unstable ones: by one for a real
       crossing (BP; PD if the multiplier is negative), by two for a pair (HB; NS); a pair meeting
       on the real axis changes nothing */
    dunstable = next.nunstable_real + next.nunstable_complex - cur.nunstable_real - cur.nunstable_complex;
    if (c->kind == ND_BRANCH_HOPF && cur.aux * next.aux < 0) {
      /* the Hopf frequency passed through 0: a Bogdanov-Takens point (located where the curve
         turns, if it does; else flagged). Past it the defining system holds the mirror image of
         the same curve (omega -> -omega), so the branch ends. */
      if (cur.tl * next.tl < 0) PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_FOLD, 0, &at));
      PetscCall(NdBranchSpecial(c, branch, &o, "BT", cur.tl * next.tl < 0 ? &at : &next));
      done = PETSC_TRUE;
      continue;
    } else if (cur.tl * next.tl < 0) {
      PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_FOLD, 0, &at));
      PetscCall(
          NdBranchSpecial(c, branch, &o, (c->kind == ND_BRANCH_FOLD || c->kind == ND_BRANCH_HOPF) ? "CP" : "LP", &at));
      PetscCall(NdBranchAnalyse(c, &next)); /* the located point's spectrum replaced next's */
    } else if (dunstable % 2 && c->kind == ND_BRANCH_EQUILIBRIUM && PetscAbsReal(cur.real_test) < PETSC_MAX_REAL &&
               PetscAbsReal(next.real_test) < PETSC_MAX_REAL && (cur.real_test > 0) != (next.real_test > 0)) {
      /* a real eigenvalue crossed zero without a fold: a branch point, located */
      PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_REAL, 0, &at));
      PetscCall(NdBranchSpecial(c, branch, &o, "BP", &at));
      PetscCall(NdBranchAnalyse(c, &next));
    } else if (dunstable % 2) {
      /* flagged, not located */
      PetscCall(NdBranchSpecial(
          c, branch, &o,
          c->kind == ND_BRANCH_PERIODIC && cur.nunstable_negative != next.nunstable_negative ? "PD" : "BP", &next));
      PetscCall(NdBranchPointCopy(&next, &cur));
      continue;
    } else if (dunstable && c->kind == ND_BRANCH_PERIODIC) {
      PetscCall(NdBranchSpecial(c, branch, &o, "NS",
                                &next)); /* a complex pair of multipliers left or entered the circle: flagged */
      PetscCall(NdBranchPointCopy(&next, &cur));
      continue;
    } else if (dunstable && c->kind == ND_BRANCH_EQUILIBRIUM && (cur.hopf_test > 0) != (next.hopf_test > 0)) {
      PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_HOPF, 0, &at));
      PetscCall(NdBranchSpecial(c, branch, &o, "HB", &at));
      PetscCall(NdBranchAnalyse(c, &next));
    }
    PetscCall(NdBranchOutputRow(c, &o, &next));
    PetscCall(NdBranchPointCopy(&next, &cur));
    if (its <= 3)
      ds = PetscMin(1.5 * ds, c->ds_max);
    else if (its >= 7)
      ds *= 0.7;
  }
  if (!done && !c->signum) { /* the last point ends the branch */
    PetscCall(NdBranchPrint(c, branch, o.rows - 1, "EP", &cur));
    PetscCall(NdContinuationAddSpecialPoint(c, "EP", branch, o.rows - 1, cur.lambda, cur.p1, cur.norm, 0, NULL, NULL));
  }
  PetscCall(NdBranchOutputDestroy(&o));
  if (!c->signum) {
    PetscCall(NdBranchWriteSpecial(c, branch));
    PetscCall(NdContinuationFinishBranch(c, branch, o.rows));
  }
  PetscCall(NdBranchPointDestroy(&cur));
  PetscCall(NdBranchPointDestroy(&next));
  PetscCall(NdBranchPointDestroy(&at));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The branches from a corrected start point in the directions asked for (-cont_direction) */
PetscErrorCode NdBranchRunDirections(NdContinuation c, Vec y0, PetscReal l0)
{
  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  if (c->direction >= 0) PetscCall(NdBranchRun(c, y0, l0, NULL, 0, 1));
  if (c->direction <= 0) PetscCall(NdBranchRun(c, y0, l0, NULL, 0, -1));
  PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}
