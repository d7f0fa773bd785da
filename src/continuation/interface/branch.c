/* The continuation engine: pseudo-arclength continuation of H(y, lambda) = 0 for any branch
   problem (the type supplies H and its derivatives). Newton corrector: SNES on the bordered
   system [[H_y, H_lambda], [w ty^T, tl]] (w = 1/dim y weighs the state against the parameter);
   tangents from the same bordered matrix; step-size control; test functions and their zeros
   located by a secant (Illinois) iteration in the arclength; rows of /branch/<k>. */
#include <neurodyn/private/continuationimpl.h>

/* The datasets of /branch/<k>; each also listed with its path and this rank's columns, to flush
   them for a checkpoint and to copy their rows from a restart file */
#define ND_BRANCH_DATASETS 14
typedef struct {
  NdDataset  lambda, p1, norm, state, eig_re, eig_im, unstable, aux, max, min, trivial, l1, orbit, orbit_t;
  Vec        xmin; /* work: the minima of an orbit */
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

/* c->failure: why a correction that ended with reason after its iterations was not accepted ("" if
   it was). A failed linear solve names its cause (a factorisation out of memory, a zero pivot),
   which no residual or mesh advice would cure. Collective: the preconditioner may fail on one rank. */
static PetscErrorCode NdBranchDescribeFailure(NdContinuation c, SNESConvergedReason reason, PetscInt its)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)c);

  PetscFunctionBegin;
  c->failure[0] = 0;
  if (reason > 0 && c->residual <= c->residual_tol) PetscFunctionReturn(PETSC_SUCCESS);
  if (reason > 0)
    PetscCall(PetscSNPrintf(c->failure, sizeof(c->failure),
                            "Newton stopped (%s) at a largest residual %g, above -cont_residual_tol %g",
                            SNESConvergedReasons[reason], (double)c->residual, (double)c->residual_tol));
  else if (reason == SNES_DIVERGED_LINEAR_SOLVE) {
    KSP            ksp;
    PC             pc;
    PCFailedReason pcreason;
    int            worst;

    PetscCall(SNESGetKSP(c->snes, &ksp));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCGetFailedReasonRank(pc, &pcreason));
    worst = (int)pcreason;
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MAX, comm));
    PetscCall(PetscSNPrintf(c->failure, sizeof(c->failure),
                            "Newton's linear solve failed at iteration %" PetscInt_FMT "%s%s%s", its,
                            worst > 0 ? " (" : "", worst > 0 ? PCFailedReasons[worst] : "",
                            worst == PC_FACTOR_OUTMEMORY ? "; a larger -mat_mumps_icntl_14 gives MUMPS more workspace)"
                            : worst > 0                  ? ")"
                                                         : ""));
  } else
    PetscCall(PetscSNPrintf(c->failure, sizeof(c->failure), "Newton stopped with %s after %" PetscInt_FMT " iterations",
                            SNESConvergedReasons[reason], its));
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
  /* a converged reason alone is not enough: SNES's relative tolerance is met far from a
     solution when Newton starts far from one; the residual itself must be small */
  if (reason > 0) {
    Vec F;
    PetscCall(SNESGetFunction(c->snes, &F, NULL, NULL));
    PetscCall(VecNorm(F, NORM_INFINITY, &c->residual));
  } else
    c->residual = PETSC_MAX_REAL;
  *ok = (PetscBool)(reason > 0 && c->residual <= c->residual_tol);
  if (*ok) PetscCall(NdExtendedVecSplit(c->U, y, lambda));
  PetscCall(NdBranchDescribeFailure(c, reason, *its));
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

/* (ty, tl) scaled to unit length in the arclength's norm: sqrt(w |ty|^2 + tl^2) = 1 */
PetscErrorCode NdBranchNormalizeTangent(NdContinuation c, Vec ty, PetscReal *tl)
{
  PetscReal nrm2;

  PetscFunctionBegin;
  PetscCall(VecDot(ty, ty, &nrm2));
  nrm2 = PetscSqrtReal(c->weight * nrm2 + (*tl) * (*tl));
  PetscCall(VecScale(ty, 1.0 / nrm2));
  *tl /= nrm2;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A new entry at the end of the list of n pending branches: a copy of y, a tangent vector like
   it (to be filled), lambda; the rest zero */
PetscErrorCode NdPendingBranchAdd(NdPendingBranch **list, PetscInt *n, Vec y, PetscReal lambda, NdPendingBranch **added)
{
  NdPendingBranch *b;

  PetscFunctionBegin;
  PetscCall(PetscRealloc(sizeof(NdPendingBranch) * (size_t)(*n + 1), list));
  b = &(*list)[(*n)++];
  PetscCall(PetscMemzero(b, sizeof(*b)));
  PetscCall(VecDuplicate(y, &b->y));
  PetscCall(VecCopy(y, b->y));
  PetscCall(VecDuplicate(y, &b->ty));
  b->lambda = lambda;
  *added    = b;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdPendingBranchesDestroy(NdPendingBranch **list, PetscInt *n)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < *n; k++) {
    PetscCall(VecDestroy(&(*list)[k].y));
    PetscCall(VecDestroy(&(*list)[k].ty));
    PetscCall(PetscFree((*list)[k].t));
  }
  PetscCall(PetscFree(*list));
  *n = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The unit tangent at (y, lambda), oriented along (ty_old, tl_old): solves
   [[H_y, H_lambda], [w ty_old^T, tl_old]] t = e_last */
static PetscErrorCode NdBranchTangent(NdContinuation c, Vec y, PetscReal lambda, Vec ty_old, PetscReal tl_old, Vec ty,
                                      PetscReal *tl)
{
  NdBranchConstraint *k = NdConstraint(c);
  Vec                 rhs, T;

  PetscFunctionBegin;
  PetscCall(NdBranchAssemble(c, y, lambda, ty_old, tl_old));
  PetscCall(VecDuplicate(c->U, &rhs));
  PetscCall(VecDuplicate(c->U, &T));
  PetscCall(VecSet(k->hwork, 0.0));
  PetscCall(NdExtendedVecJoin(k->hwork, 1.0, rhs));
  PetscCall(KSPSetOperators(c->ksp_tangent, c->M, c->M));
  PetscCall(KSPSolve(c->ksp_tangent, rhs, T));
  PetscCall(NdExtendedVecSplit(T, ty, tl));
  PetscCall(NdBranchNormalizeTangent(c, ty, tl));
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
  c->aux = c->aux2 = 0;
  PetscCall((*c->ops->state)(c, p->y, c->x, &p->p1));
  PetscCall(VecNorm(c->x, NORM_2, &p->norm));
  p->nunstable_real = p->nunstable_complex = p->nunstable_negative = 0;
  p->hopf_test = p->omega = 0;
  p->real_test            = PETSC_MAX_REAL;
  p->aux                  = c->aux;
  p->aux2                 = c->aux2;
  if (c->kind == ND_BRANCH_HOPF) p->omega = PetscAbsReal(c->aux);
  if (!c->ops->spectrum) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall((*c->ops->spectrum)(c, p->y, p->lambda));
  p->aux  = c->aux;
  p->aux2 = c->aux2;
  if (c->kind == ND_BRANCH_PERIODIC) { /* Floquet multipliers: outside the unit circle, not counting the trivial one */
    PetscInt  trivial = c->trivial_index;
    PetscReal dist    = PETSC_MAX_REAL;
    if (trivial < 0)
      for (PetscInt i = 0; i < c->nev; i++) {
        PetscReal d = PetscSqrtReal(PetscSqr(c->eig_re[i] - 1) + PetscSqr(c->eig_im[i]));
        if (!PetscIsNanReal(d) && d < dist) dist = d, trivial = i;
      }
    for (PetscInt i = 0; i < c->nev; i++) {
      PetscReal re = c->eig_re[i], im = c->eig_im[i];
      if (i == trivial || PetscIsNanReal(re) || PetscSqrtReal(re * re + im * im) <= 1 + c->multiplier_tol) continue;
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
  if (c->kind != ND_BRANCH_EQUILIBRIUM) /* the first parameter of curves, the period of orbits */
    PetscCall(NdBranchOutputAdd(c, o, branch, c->kind == ND_BRANCH_PERIODIC ? "period" : c->param,
                                c->kind == ND_BRANCH_PERIODIC ? "T" : u.first, 0, one, 1, PETSC_TRUE, &o->p1));
  if (c->kind == ND_BRANCH_PERIODIC || c->kind == ND_BRANCH_HOPF || c->kind == ND_BRANCH_CYCLE_FOLD)
    PetscCall(NdBranchOutputAdd(c, o, branch,
                                c->kind == ND_BRANCH_HOPF         ? "omega"
                                : c->kind == ND_BRANCH_CYCLE_FOLD ? "period"
                                                                  : "amplitude",
                                c->kind == ND_BRANCH_HOPF         ? "rad/T"
                                : c->kind == ND_BRANCH_CYCLE_FOLD ? "T"
                                                                  : u.variable0,
                                0, one, 1, PETSC_TRUE, &o->aux));
  PetscCall(NdBranchOutputAdd(c, o, branch, "norm", state, 0, one, 1, PETSC_TRUE, &o->norm));
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(VecGetLocalSize(c->x, &nlocal));
  PetscCall(VecGetOwnershipRange(c->x, &lo, NULL));
  if (N <= c->store_state_max)
    PetscCall(NdBranchOutputAdd(c, o, branch, "state", state, lo, nlocal, N, PETSC_FALSE, &o->state));
  if (c->ops->extrema && N <= c->store_state_max) { /* periodic orbits: max and min of each variable */
    PetscCall(NdBranchOutputAdd(c, o, branch, "max", state, lo, nlocal, N, PETSC_FALSE, &o->max));
    PetscCall(NdBranchOutputAdd(c, o, branch, "min", state, lo, nlocal, N, PETSC_FALSE, &o->min));
    PetscCall(VecDuplicate(c->x, &o->xmin));
  }
  if (c->ops->profile && N <= c->store_state_max) { /* orbits: each on its mesh */
    Vec        u;
    PetscReal *t;
    PetscInt   nu, nul, lou;
    PetscCall((*c->ops->profile)(c, NULL, &u, &t));
    PetscCall(VecGetSize(u, &nu));
    PetscCall(VecGetLocalSize(u, &nul));
    PetscCall(VecGetOwnershipRange(u, &lou, NULL));
    PetscCall(NdBranchOutputAdd(c, o, branch, "orbit", state, lou, nul, nu, PETSC_FALSE, &o->orbit));
    PetscCall(NdBranchOutputAdd(c, o, branch, "orbit_t", "1", 0, one * (nu / N), nu / N, PETSC_FALSE, &o->orbit_t));
  }
  if (c->kind == ND_BRANCH_PERIODIC)
    PetscCall(NdBranchOutputAdd(c, o, branch, "trivial_multiplier_error", "1", 0, one, 1, PETSC_TRUE, &o->trivial));
  if (c->kind == ND_BRANCH_HOPF) /* the first Lyapunov coefficient along Hopf curves */
    PetscCall(NdBranchOutputAdd(c, o, branch, "l1", NULL, 0, one, 1, PETSC_TRUE, &o->l1));
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
  if (c->kind == ND_BRANCH_PERIODIC && p->aux2 > ND_FLOQUET_UNRELIABLE) {
    if (!c->unreliable++) c->unreliable_lambda = p->lambda;
    c->unreliable_error = PetscMax(c->unreliable_error, p->aux2);
  }
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
  if (o->max) {
    PetscCall((*c->ops->extrema)(c, p->y, c->x, o->xmin));
    PetscCall(NdDatasetAppendVec(o->max, c->x));
    PetscCall(NdDatasetAppendVec(o->min, o->xmin));
  }
  if (o->orbit) {
    Vec        u;
    PetscReal *t;
    PetscCall((*c->ops->profile)(c, p->y, &u, &t));
    PetscCall(NdDatasetAppendVec(o->orbit, u));
    PetscCall(NdDatasetAppendRow(o->orbit_t, t));
  }
  if (o->trivial) PetscCall(NdDatasetAppendRow(o->trivial, &p->aux2));
  if (o->l1) PetscCall(NdDatasetAppendRow(o->l1, &p->aux2));
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
  PetscCall(NdDatasetDestroy(&o->max));
  PetscCall(NdDatasetDestroy(&o->min));
  PetscCall(NdDatasetDestroy(&o->trivial));
  PetscCall(NdDatasetDestroy(&o->l1));
  PetscCall(NdDatasetDestroy(&o->orbit));
  PetscCall(NdDatasetDestroy(&o->orbit_t));
  PetscCall(VecDestroy(&o->xmin));
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
    if (!strcmp(label, "HB") && p->omega > 0)
      PetscCall(PetscPrintf(comm, "                  frequency omega = %.12g\n", (double)p->omega));
    if (c->kind == ND_BRANCH_PERIODIC)
      PetscCall(
          PetscPrintf(comm, "                  period T = %.12g, amplitude %.6g\n", (double)p->p1, (double)p->aux));
  } else {
    PetscCall(PetscPrintf(comm,
                          "  %3" PetscInt_FMT " %5" PetscInt_FMT "  %-2s  %s = %-20.12g %s = %-20.12g |x| = %.6g\n",
                          branch, row, label, c->param2, (double)p->lambda, c->param, (double)p->p1, (double)p->norm));
    if (c->kind == ND_BRANCH_CYCLE_FOLD)
      PetscCall(PetscPrintf(comm, "                  period T = %.12g\n", (double)p->aux));
  }
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
typedef enum {
  ND_TEST_FOLD,
  ND_TEST_HOPF,
  ND_TEST_REAL,
  ND_TEST_LAMBDA,
  ND_TEST_P1,
  ND_TEST_L1,
  ND_TEST_NONE
} NdTestFunction;

static PetscReal NdTestValue(const NdBranchPoint *p, NdTestFunction f, PetscReal bound)
{
  switch (f) {
  case ND_TEST_FOLD:
    return p->tl;
  case ND_TEST_HOPF:
    return p->hopf_test;
  case ND_TEST_REAL:
    return p->real_test;
  case ND_TEST_L1: /* Hopf curves: the first Lyapunov coefficient (generalised Hopf points) */
    return p->aux2;
  case ND_TEST_LAMBDA:
    return p->lambda - bound;
  case ND_TEST_NONE: /* no test function: location by bisection on a count only */
    return PETSC_MAX_REAL;
  default:
    return p->p1 - bound;
  }
}

/* The zero of a test function between the points at arclengths a (value fa) and b (value fb,
   the point bnext) from base: Illinois iteration on s, each evaluation a corrected point; until
   the bracket in s is below -cont_locate_tol |ds| relative or the test function vanishes to
   rounding. */
static PetscErrorCode NdBranchTryLocateIn(NdContinuation c, const NdBranchPoint *base, PetscReal a, PetscReal fa,
                                          PetscReal b, PetscReal fb, const NdBranchPoint *bnext, PetscReal ds,
                                          NdTestFunction f, PetscReal bound, NdBranchPoint *at, PetscBool *ok)
{
  PetscInt side = 0, its;

  PetscFunctionBegin;
  *ok       = PETSC_TRUE;
  c->s_last = b;
  if (bnext != at) PetscCall(NdBranchPointCopy(bnext, at));
  for (PetscInt iter = 0; iter < 100 && fb != fa; iter++) {
    PetscReal s = b - fb * (b - a) / (fb - fa), fs;
    PetscCall(NdBranchStepFrom(c, base, s, at, ok, &its));
    if (!*ok) break;
    c->s_last = s;
    fs        = NdTestValue(at, f, bound);
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

/* A location between base and next failed: noted (the first failure of the step), so that no
   label follows and the branch ends at its last point, saying why (NdBranchEnd) */
static PetscErrorCode NdBranchLocateFailed(NdContinuation c, const NdBranchPoint *base, const NdBranchPoint *next)
{
  PetscFunctionBegin;
  if (c->locate_failed) PetscFunctionReturn(PETSC_SUCCESS);
  c->locate_failed = PETSC_TRUE;
  c->locate_lambda = 0.5 * (base->lambda + next->lambda);
  PetscCall(PetscStrncpy(c->locate_failure, c->failure, sizeof(c->locate_failure)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchLocateIn(NdContinuation c, const NdBranchPoint *base, PetscReal a, PetscReal fa,
                                       PetscReal b, PetscReal fb, const NdBranchPoint *bnext, PetscReal ds,
                                       NdTestFunction f, PetscReal bound, NdBranchPoint *at)
{
  PetscBool ok;

  PetscFunctionBegin;
  PetscCall(NdBranchTryLocateIn(c, base, a, fa, b, fb, bnext, ds, f, bound, at, &ok));
  if (!ok) PetscCall(NdBranchLocateFailed(c, base, bnext));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdBranchLocate(NdContinuation c, const NdBranchPoint *base, const NdBranchPoint *next,
                                     PetscReal ds, NdTestFunction f, PetscReal bound, NdBranchPoint *at)
{
  PetscFunctionBegin;
  PetscCall(NdBranchLocateIn(c, base, 0, NdTestValue(base, f, bound), ds, NdTestValue(next, f, bound), next, ds, f,
                             bound, at));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscInt NdUnstable(const NdBranchPoint *p)
{
  return p->nunstable_real + p->nunstable_complex;
}

/* A change in the number of unstable eigenvalues between base and next (arclength ds) that no
   test function saw change sign there (a pair that is real on one side, complex on the other,
   is invisible to the real part of the complex pair): bisection in the arclength on the count
   until the test function f is defined with opposite signs at the two ends of the bracket, then
   its zero by NdBranchLocateIn. *found is false if the bracket shrank below -cont_locate_tol
   without that (the crossing is then reported at the bracket's end, at). lo and probe: work. */
static PetscErrorCode NdBranchLocateCountChange(NdContinuation c, const NdBranchPoint *base, const NdBranchPoint *next,
                                                PetscReal ds, NdTestFunction f, NdBranchPoint *lo, NdBranchPoint *probe,
                                                NdBranchPoint *at, PetscBool *found)
{
  PetscReal a = 0, b = ds;
  PetscInt  its;
  PetscBool ok;

  PetscFunctionBegin;
  *found = PETSC_FALSE;
  PetscCall(NdBranchPointCopy(base, lo));
  PetscCall(NdBranchPointCopy(next, at));
  for (PetscInt iter = 0; iter < 64; iter++) {
    PetscReal fa = NdTestValue(lo, f, 0), fb = NdTestValue(at, f, 0), s;
    if (PetscAbsReal(fa) < PETSC_MAX_REAL && PetscAbsReal(fb) < PETSC_MAX_REAL && (fa > 0) != (fb > 0) &&
        (f != ND_TEST_HOPF || (lo->omega > 0 && at->omega > 0))) {
      PetscCall(NdBranchLocateIn(c, base, a, fa, b, fb, at, ds, f, 0, at));
      *found = PETSC_TRUE;
      break;
    }
    if (PetscAbsReal(b - a) < c->locate_tol * PetscAbsReal(ds)) break;
    s = 0.5 * (a + b);
    PetscCall(NdBranchStepFrom(c, base, s, probe, &ok, &its));
    if (!ok) {
      PetscCall(NdBranchLocateFailed(c, base, next));
      break;
    }
    if (NdUnstable(probe) == NdUnstable(base)) {
      a = s;
      PetscCall(NdBranchPointCopy(probe, lo));
    } else {
      b = s;
      PetscCall(NdBranchPointCopy(probe, at));
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
  sp->l1     = NAN;
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
  PetscReal l1 = c->kind == ND_BRANCH_HOPF ? p->aux2 : NAN; /* known along Hopf curves */

  PetscFunctionBegin;
  if (c->locate_failed) PetscFunctionReturn(PETSC_SUCCESS); /* p was not located: no label, no row */
  PetscCall(NdBranchPrint(c, branch, o->rows, label, p));
  if (!strcmp(label, "HB") && c->kind == ND_BRANCH_EQUILIBRIUM) {
    PetscCall(NdContinuationFirstLyapunovCoefficient(c, p->y, p->lambda, &l1));
    if (!c->quiet)
      PetscCall(PetscPrintf(PetscObjectComm((PetscObject)c),
                            "                  first Lyapunov coefficient l1 = %.6g (%s)\n", (double)l1,
                            l1 < 0 ? "supercritical" : "subcritical"));
  }
  if (c->ops->special) PetscCall((*c->ops->special)(c, label, p));
  PetscCall(NdContinuationAddSpecialPoint(c, label, branch, o->rows, p->lambda, p->p1, p->norm, p->omega,
                                          (!strcmp(label, "LP") || !strcmp(label, "HB")) ? p->y : NULL, p->ty));
  c->special[c->nspecial - 1].l1 = l1;
  PetscCall(NdBranchOutputRow(c, o, p));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The user points strictly between cur's parameter and end (next's, or the bound the step
   crossed), located between cur and next into pt and labelled UZ (on curves, those whose first
   parameter lies within its bounds); *located: whether there were any */
static PetscErrorCode NdBranchUserPoints(NdContinuation c, PetscInt branch, NdBranchOutput *o, const NdBranchPoint *cur,
                                         const NdBranchPoint *next, PetscReal ds, PetscReal end, NdBranchPoint *pt,
                                         PetscBool *located)
{
  PetscFunctionBegin;
  *located = PETSC_FALSE;
  for (PetscInt u = 0; u < c->nuser; u++)
    if ((cur->lambda - c->user[u]) * (end - c->user[u]) < 0) {
      PetscCall(NdBranchLocate(c, cur, next, ds, ND_TEST_LAMBDA, c->user[u], pt));
      if (c->lambda_index == c->ip || (pt->p1 <= c->pmax && pt->p1 >= c->pmin)) {
        PetscCall(NdBranchSpecial(c, branch, o, "UZ", pt));
        *located = PETSC_TRUE;
      }
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The branch ends at its last point, already written: labelled EP there */
static PetscErrorCode NdBranchEndAtLastPoint(NdContinuation c, PetscInt branch, const NdBranchOutput *o,
                                             const NdBranchPoint *last)
{
  PetscFunctionBegin;
  PetscCall(NdBranchPrint(c, branch, o->rows - 1, "EP", last));
  PetscCall(
      NdContinuationAddSpecialPoint(c, "EP", branch, o->rows - 1, last->lambda, last->p1, last->norm, 0, NULL, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The special-point table of a branch: /branch/<k>/special */
static PetscErrorCode NdBranchWriteSpecial(NdContinuation c, PetscInt branch)
{
  PetscMPIInt   rank;
  char          path[256], labels[4096] = "";
  NdDataset     row, lambda, p1 = NULL, norm, omega, l1;
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
  ND_SPECIAL_DATASET("l1", NULL, l1);
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
    PetscCall(NdDatasetAppendRow(l1, &sp->l1));
  }
  PetscCall(NdDatasetDestroy(&row));
  PetscCall(NdDatasetDestroy(&lambda));
  PetscCall(NdDatasetDestroy(&p1));
  PetscCall(NdDatasetDestroy(&norm));
  PetscCall(NdDatasetDestroy(&omega));
  PetscCall(NdDatasetDestroy(&l1));
  PetscCall(PetscSNPrintf(path, sizeof(path), "/branch/%" PetscInt_FMT "/special", branch));
  PetscCall(NdOutputWriteAttributeString(c->out, path, "labels", labels));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Why a branch ended: printed, and the attribute end_reason of /branch/<k> */
static const char *const NdEndReasons[] = {"bound", "max_steps", "min_step", "terminal", "signal", "locate_failed"};
typedef enum {
  ND_END_BOUND,
  ND_END_MAX_STEPS,
  ND_END_MIN_STEP,
  ND_END_TERMINAL,
  ND_END_SIGNAL,
  ND_END_LOCATE_FAILED
} NdEndReason;

static PetscErrorCode NdBranchEnd(NdContinuation c, PetscInt branch, NdEndReason reason, PetscReal ds)
{
  MPI_Comm    comm  = PetscObjectComm((PetscObject)c);
  const char *lname = c->lambda_index == c->ip ? c->param : c->param2;
  char        path[64];

  PetscFunctionBegin;
  if (c->out) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "/branch/%" PetscInt_FMT, branch));
    PetscCall(NdOutputWriteAttributeString(c->out, path, "end_reason", NdEndReasons[reason]));
  }
  if (c->unreliable) /* even with -quiet: the labels of this branch miss what the mesh cannot see */
    PetscCall(PetscFPrintf(comm, PETSC_STDERR,
                           "neurodyn: warning: branch %" PetscInt_FMT ": %" PetscInt_FMT
                           " orbits (the first at %s = %g) have no Floquet multiplier within %g of 1 (the trivial "
                           "multiplier is off by up to %.3g): the mesh is too coarse for them (raise -cont_ntst), "
                           "and their changes of stability are not labelled\n",
                           branch, c->unreliable, lname, (double)c->unreliable_lambda, ND_FLOQUET_UNRELIABLE,
                           (double)c->unreliable_error));
  if (c->quiet) PetscFunctionReturn(PETSC_SUCCESS);
  switch (reason) {
  case ND_END_BOUND:
    PetscCall(PetscPrintf(comm, "  branch %" PetscInt_FMT " ended: it reached a bound\n", branch));
    break;
  case ND_END_MAX_STEPS:
    PetscCall(PetscPrintf(comm, "  branch %" PetscInt_FMT " ended: -cont_max_steps = %" PetscInt_FMT " steps taken\n",
                          branch, c->max_steps));
    break;
  case ND_END_MIN_STEP:
    PetscCall(PetscPrintf(comm,
                          "  branch %" PetscInt_FMT
                          " ended (MX): Newton failed or the tangent turned at every step down to -cont_ds_min = %g "
                          "(last step %g)\n",
                          branch, (double)c->ds_min, (double)ds));
    break;
  case ND_END_TERMINAL:
    PetscCall(PetscPrintf(comm, "  branch %" PetscInt_FMT " ended at a terminal point of the %s curve\n", branch,
                          ((PetscObject)c)->type_name));
    break;
  case ND_END_LOCATE_FAILED:
    PetscCall(PetscPrintf(comm,
                          "  branch %" PetscInt_FMT
                          " ended at its last point: Newton failed while locating a special point near %s = %g (%s)\n",
                          branch, lname, (double)c->locate_lambda, c->locate_failure));
    break;
  case ND_END_SIGNAL:
    PetscCall(PetscPrintf(comm, "  branch %" PetscInt_FMT " stopped by signal %d at %s (checkpoint written)\n", branch,
                          c->signum, lname));
    break;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A progress line every -cont_progress seconds of a long branch (0: none) */
static PetscErrorCode NdBranchProgress(NdContinuation c, PetscInt branch, PetscInt rows, const NdBranchPoint *p,
                                       PetscReal ds, PetscLogDouble *last)
{
  PetscLogDouble now;

  PetscFunctionBegin;
  if (c->quiet || c->progress <= 0) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscTime(&now));
  if (now - *last < c->progress) PetscFunctionReturn(PETSC_SUCCESS);
  *last = now;
  PetscCall(PetscPrintf(PetscObjectComm((PetscObject)c),
                        "  ... branch %" PetscInt_FMT ": %" PetscInt_FMT " points, %s = %.10g, step %.3g\n", branch,
                        rows, c->lambda_index == c->ip ? c->param : c->param2, (double)p->lambda, (double)ds));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The amplitude of the orbits of a point (0 on branches without orbits): the range of the first
   variable on branches of orbits, the largest range of a variable on curves of folds of cycles */
static PetscReal NdBranchAmplitude(NdContinuation c, const NdBranchPoint *p)
{
  return c->kind == ND_BRANCH_PERIODIC ? p->aux : c->kind == ND_BRANCH_CYCLE_FOLD ? p->aux2 : 0;
}

/* orbits whose amplitude fell below 1e-3 of the largest on the branch so far: shrunk to an
   equilibrium (the same criterion as for a turning point near a Hopf point) */
static PetscBool NdBranchVanished(NdContinuation c, const NdBranchPoint *p, PetscReal maxaux)
{
  if (c->kind != ND_BRANCH_PERIODIC && c->kind != ND_BRANCH_CYCLE_FOLD) return PETSC_FALSE;
  return (PetscBool)(NdBranchAmplitude(c, p) < 1e-3 * maxaux);
}

/* Label of a fold of the branch: LP (equilibria), LPC (cycles), CP (a curve of equilibria turning
   in its second parameter), CPC (a curve of folds of cycles turning in it: a cusp of cycles) */
static const char *NdFoldLabel(NdContinuation c)
{
  if (c->turn_label) return c->turn_label;
  switch (c->kind) {
  case ND_BRANCH_FOLD:
  case ND_BRANCH_HOPF:
    return "CP";
  case ND_BRANCH_CYCLE_FOLD:
    return "CPC";
  case ND_BRANCH_PERIODIC:
    return "LPC";
  default:
    return "LP";
  }
}

/* The changes in the number of unstable eigenvalues (multipliers) between cur and next that no
   fold explains, located and labelled: by one for a real crossing (BP; PD if the multiplier is
   negative), by two for a pair (HB; NS). A pair meeting on the real axis changes nothing, and a
   neutral saddle (a real pair lambda, -lambda) changes no count: neither is labelled. When the
   count changes by more than one crossing explains (more than 2, or 2 without a Hopf test
   function that changed sign), the count just past the located change (1e-6 of the step
   further) says whether another follows in the same step (two Hopf points of a weakly coupled
   pair of nodes within one step were labelled once); the search then goes on from there. */
static PetscErrorCode NdBranchStabilityChange(NdContinuation c, PetscInt branch, NdBranchOutput *o,
                                              const NdBranchPoint *cur, NdBranchPoint *next, PetscReal ds,
                                              NdBranchPoint *lo, NdBranchPoint *probe, NdBranchPoint *at)
{
  const PetscBool      orbits = (PetscBool)(c->kind == ND_BRANCH_PERIODIC);
  const NdBranchPoint *start  = cur;
  NdBranchPoint        from;
  PetscBool            have_from = PETSC_FALSE;
  PetscReal            span      = ds;

  PetscFunctionBegin;
  if (NdUnstable(next) == NdUnstable(cur)) PetscFunctionReturn(PETSC_SUCCESS);
  /* multipliers that cannot be trusted at either end (counted and reported when the branch ends) */
  if (orbits && (cur->aux2 > ND_FLOQUET_UNRELIABLE || next->aux2 > ND_FLOQUET_UNRELIABLE))
    PetscFunctionReturn(PETSC_SUCCESS);
  for (PetscInt event = 0; event < 16 && NdUnstable(next) != NdUnstable(start); event++) {
    PetscInt       dunstable = NdUnstable(next) - NdUnstable(start), its;
    NdTestFunction f = orbits ? ND_TEST_NONE : dunstable % 2 ? ND_TEST_REAL : ND_TEST_HOPF; /* multipliers: the count */
    PetscReal      past;
    PetscBool      found, ok = PETSC_TRUE, more = PETSC_FALSE;
    const char    *label;

    PetscCall(NdBranchLocateCountChange(c, start, next, span, f, lo, probe, at, &found));
    if (c->locate_failed) break;
    past = c->s_last + 1e-6 * span;
    /* one real crossing, or a Hopf pair whose test function changed sign, explains the count;
       beyond that, look past the located point */
    if ((PetscAbsInt(dunstable) > 2 || (PetscAbsInt(dunstable) == 2 && !(f == ND_TEST_HOPF && found))) &&
        PetscAbsReal(past) < PetscAbsReal(span)) {
      PetscCall(NdBranchStepFrom(c, start, past, probe, &ok, &its));
      more = (PetscBool)(ok && NdUnstable(probe) != NdUnstable(next) && NdUnstable(probe) != NdUnstable(start));
    }
    if (more) dunstable = NdUnstable(probe) - NdUnstable(start); /* this change alone */
    if (orbits)
      label = dunstable % 2 ? (lo->nunstable_negative != at->nunstable_negative ? "PD" : "BP") : "NS";
    else {
      label = dunstable % 2 ? "BP" : "HB";
      if (!found && !c->quiet)
        PetscCall(PetscPrintf(PetscObjectComm((PetscObject)c),
                              "  (the %s below is where the number of unstable eigenvalues changes, located to "
                              "-cont_locate_tol in the arclength; its test function did not change sign)\n",
                              label));
    }
    PetscCall(NdBranchSpecial(c, branch, o, label, at));
    if (!ok) { /* the count past it is unknown: the changes left in the step would pass unlabelled */
      PetscCall(NdBranchLocateFailed(c, start, next));
      break;
    }
    if (!more) break;
    if (!have_from) PetscCall(NdBranchPointCreate(c, &from));
    have_from = PETSC_TRUE;
    PetscCall(NdBranchPointCopy(probe, &from));
    span -= past;
    start = &from;
  }
  if (have_from) PetscCall(NdBranchPointDestroy(&from));
  PetscCall(NdBranchAnalyse(c, next)); /* the located point's spectrum replaced next's */
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* One branch from the corrected point (y0, l0) in direction dir (+1 or -1 along the tangent).
   The tangent at the start is computed, unless ty0 (with tl0) gives it: at a Hopf point the
   periodic branch starts along the critical eigenvector, where the bordered matrix is singular
   (and the first step is not tested for bifurcations: at the Hopf point the multiplier 1 is
   double). */
PetscErrorCode NdBranchRun(NdContinuation c, Vec y0, PetscReal l0, Vec ty0, PetscReal tl0, PetscInt dir)
{
  MPI_Comm       comm   = PetscObjectComm((PetscObject)c);
  PetscInt       branch = c->nbranch++, its, step = 0;
  NdBranchOutput o;
  NdBranchPoint  cur, next, at, lo, probe;
  PetscReal      ds = c->ds, maxaux = 0; /* the largest orbit amplitude of the branch */
  PetscBool      ok, done = PETSC_FALSE, test = (PetscBool)!ty0;
  PetscBool      cur_accepted = PETSC_TRUE; /* the start point: by the type, before the branch */
  NdEndReason    reason       = ND_END_MAX_STEPS;
  PetscLogDouble last;
  const char    *lname = c->lambda_index == c->ip ? c->param : c->param2;

  PetscFunctionBegin;
  if (c->signum || c->stop) PetscFunctionReturn(PETSC_SUCCESS); /* stopped by a signal or the type before */
  c->unreliable = 0, c->unreliable_error = 0, c->locate_failed = PETSC_FALSE;
  PetscCall(PetscTime(&last));
  PetscCall(NdBranchPointCreate(c, &cur));
  PetscCall(NdBranchPointCreate(c, &next));
  PetscCall(NdBranchPointCreate(c, &at));
  PetscCall(NdBranchPointCreate(c, &lo));
  PetscCall(NdBranchPointCreate(c, &probe));
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
    test = PETSC_TRUE;
    if (!c->quiet)
      PetscCall(PetscPrintf(comm,
                            "  BR    PT  TY  (branch %" PetscInt_FMT " resumed at row %" PetscInt_FMT ", %s = %g)\n",
                            branch, o.rows, lname, (double)cur.lambda));
  } else {
    char curve[64]; /* curves of bifurcations of cycles: "lpc curve", "pd curve" */
    PetscCall(PetscSNPrintf(curve, sizeof(curve), "%s curve", ((PetscObject)c)->type_name));
    if (!c->quiet)
      PetscCall(PetscPrintf(comm, "  BR    PT  TY  (%s continuation in %s, direction %s)\n",
                            c->kind == ND_BRANCH_FOLD         ? "fold curve"
                            : c->kind == ND_BRANCH_HOPF       ? "Hopf curve"
                            : c->kind == ND_BRANCH_PERIODIC   ? "periodic orbit"
                            : c->kind == ND_BRANCH_CYCLE_FOLD ? curve
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

    if (c->checkpointing && c->out) { /* every interval of new rows, and on a signal (then stop) */
      PetscCall(NdCheckpointSignalReceived(comm, &c->signum));
      if (c->signum || (c->checkpoint_interval > 0 && o.rows - c->rows_at_checkpoint >= c->checkpoint_interval)) {
        NdBranchPosition pos = {branch, o.rows, step, ds};
        PetscCall(NdBranchOutputFlush(&o));
        PetscCall(NdContinuationCheckpoint(c, &pos, &cur));
        c->rows_at_checkpoint = o.rows;
      }
      if (c->signum) {
        reason = ND_END_SIGNAL;
        break;
      }
    }
    PetscCall(NdBranchProgress(c, branch, o.rows, &cur, ds, &last));
    if (!cur_accepted && c->ops->acceptpoint) {
      /* the type accepts the point steps start from (orbits: a new mesh onto which cur and its
         tangent move, and cur as the phase reference), so that the step's points, and the special
         points located in it, share one mesh with cur */
      PetscCall((*c->ops->acceptpoint)(c, cur.y, cur.ty, cur.lambda));
      cur_accepted = PETSC_TRUE;
    }
    PetscCall(NdBranchStepFrom(c, &cur, ds, &next, &ok, &its));
    if (ok) {
      PetscCall(VecDot(cur.ty, next.ty, &dot));
      dot = c->weight * dot + cur.tl * next.tl;
    }
    if (!ok || dot < c->min_tangent_dot) { /* Newton failed, or the tangent turned too far: a smaller step */
      ds /= 2;
      step--;
      if (ds < c->ds_min) {
        reason = ND_END_MIN_STEP;
        PetscCall(NdBranchSpecial(c, branch, &o, "MX", &cur));
        done = PETSC_TRUE;
      }
      continue;
    }
    maxaux = PetscMax(maxaux, PetscMax(NdBranchAmplitude(c, &cur), NdBranchAmplitude(c, &next)));

    /* leaving the bounds: the branch ends exactly on the bound */
    if (next.lambda > c->lambda_max || next.lambda < c->lambda_min ||
        (c->lambda_index != c->ip && (next.p1 > c->pmax || next.p1 < c->pmin))) {
      PetscBool located; /* user points before the bound, in this last step */
      PetscCall(NdBranchUserPoints(c, branch, &o, &cur, &next, ds,
                                   PetscMin(PetscMax(next.lambda, c->lambda_min), c->lambda_max), &probe, &located));
      if (next.lambda > c->lambda_max || next.lambda < c->lambda_min)
        PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_LAMBDA,
                                 next.lambda > c->lambda_max ? c->lambda_max : c->lambda_min, &at));
      else
        PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_P1, next.p1 > c->pmax ? c->pmax : c->pmin, &at));
      if ((c->kind == ND_BRANCH_EQUILIBRIUM || c->kind == ND_BRANCH_PERIODIC) && NdUnstable(&at) != NdUnstable(&cur)) {
        /* a change of stability in the last step, before the bound */
        PetscReal sb = c->s_last;
        PetscCall(NdBranchPointCopy(&at, &next));
        PetscCall(NdBranchStabilityChange(c, branch, &o, &cur, &next, sb, &lo, &probe, &at));
        PetscCall(NdBranchPointCopy(&next, &at));
      }
      PetscCall(NdBranchSpecial(c, branch, &o, "EP", &at));
      reason = ND_END_BOUND;
      done   = PETSC_TRUE;
      continue;
    }
    { /* user points passed in this step: values of the continued parameter (the second one of curves) */
      PetscBool located;
      PetscCall(NdBranchUserPoints(c, branch, &o, &cur, &next, ds, next.lambda, &at, &located));
      if (located) PetscCall(NdBranchAnalyse(c, &next)); /* the located points' spectra replaced next's */
    }
    if (!test) { /* the first step from a given tangent */
      test = PETSC_TRUE;
    } else if (c->kind == ND_BRANCH_HOPF && cur.aux * next.aux < 0) {
      /* the Hopf frequency passed through 0: a Bogdanov-Takens point (located where the curve
         turns, if it does; else flagged). Past it the defining system holds the mirror image of
         the same curve (omega -> -omega), so the branch ends. */
      if (cur.tl * next.tl < 0) PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_FOLD, 0, &at));
      PetscCall(NdBranchSpecial(c, branch, &o, "BT", cur.tl * next.tl < 0 ? &at : &next));
      reason = ND_END_TERMINAL;
      done   = PETSC_TRUE;
      continue;
    } else if (cur.tl * next.tl < 0 || NdBranchVanished(c, &next, maxaux)) {
      /* a turning point; or orbits that shrank to an equilibrium without one (a long step can pass
         the Hopf point, where the branch meets the constant solutions of any period, and go on
         along them: a spurious BP and orbits of period 0 followed) */
      PetscBool located = PETSC_TRUE, shrank,
                orbits  = (PetscBool)(c->kind == ND_BRANCH_PERIODIC || c->kind == ND_BRANCH_CYCLE_FOLD);
      if (cur.tl * next.tl >= 0) /* vanished: next is the orbit nearest the equilibrium */
        PetscCall(NdBranchPointCopy(&next, &at));
      else if (orbits) /* near a Hopf point the location may fail: handled below */
        PetscCall(NdBranchTryLocateIn(c, &cur, 0, cur.tl, ds, next.tl, &next, ds, ND_TEST_FOLD, 0, &at, &located));
      else
        PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_FOLD, 0, &at));
      shrank = (PetscBool)(orbits && (!located || NdBranchAmplitude(c, &at) < 1e-3 * maxaux));
      if (shrank && c->kind == ND_BRANCH_CYCLE_FOLD) {
        /* the folds of cycles shrank to an equilibrium: the curve ends at a generalised Hopf
           point there (where it meets the Hopf curve) */
        if (!located) PetscCall(NdBranchPointCopy(&cur, &at));
        if (!c->quiet)
          PetscCall(PetscPrintf(comm,
                                "  the folds of cycles shrank to an equilibrium near %s = %g, %s = %g (amplitude %.3g, "
                                "largest on the curve %.3g): the curve ends (EP) near a generalised Hopf point (GH), "
                                "which -cont_type hopf locates on the Hopf curve\n",
                                lname, (double)at.lambda, c->param, (double)at.p1, (double)NdBranchAmplitude(c, &at),
                                (double)maxaux));
        if (located)
          PetscCall(NdBranchSpecial(c, branch, &o, "EP", &at));
        else
          PetscCall(NdBranchEndAtLastPoint(c, branch, &o, &cur)); /* past it the step turned back */
        reason = ND_END_TERMINAL;
        done   = PETSC_TRUE;
        continue;
      }
      if (shrank) {
        /* orbits shrank to an equilibrium: the Hopf point, where the branch turns back onto the
           same orbits shifted by half a period; it ends there, at the Hopf point located on the
           equilibria (the turn of the collocated orbits, or the last orbit before it when Newton
           cannot follow them into the equilibrium, lies only near it) */
        PetscBool hopf = PETSC_FALSE;
        if (!located) PetscCall(NdBranchPointCopy(&cur, &at));
        if (c->ops->hopfend) {
          PetscCall((*c->ops->hopfend)(c, at.y, &at.lambda, &hopf));
          if (hopf) PetscCall(NdBranchAnalyse(c, &at));
        }
        if (!hopf && !c->quiet)
          PetscCall(
              PetscPrintf(comm,
                          "  the orbits shrank to an equilibrium near %s = %g, but no Hopf point was found on the "
                          "equilibria there: the branch ends (EP) at the last orbit\n",
                          lname, (double)at.lambda));
        PetscCall(NdBranchSpecial(c, branch, &o, hopf ? "HB" : "EP", &at));
        reason = ND_END_TERMINAL;
        done   = PETSC_TRUE;
        continue;
      }
      if (NdFoldLabel(c)[0]) { /* "": turning points are not labelled on this curve */
        PetscCall(NdBranchSpecial(c, branch, &o, NdFoldLabel(c), &at));
        PetscCall(NdBranchAnalyse(c, &next)); /* the located point's spectrum replaced next's */
      }
    } else if (c->kind == ND_BRANCH_EQUILIBRIUM || c->kind == ND_BRANCH_PERIODIC) {
      PetscCall(NdBranchStabilityChange(c, branch, &o, &cur, &next, ds, &lo, &probe, &at));
    } else if (c->kind == ND_BRANCH_HOPF && cur.aux2 * next.aux2 < 0) {
      /* l1 changes sign: a generalised Hopf (Bautin) point, where a fold of cycles is born */
      PetscCall(NdBranchLocate(c, &cur, &next, ds, ND_TEST_L1, 0, &at));
      PetscCall(NdBranchSpecial(c, branch, &o, "GH", &at));
      PetscCall(NdBranchAnalyse(c, &next)); /* the located point's spectrum replaced next's */
    }
    if (c->locate_failed) { /* next lies beyond a point that could not be located */
      done = PETSC_TRUE;
      continue;
    }
    PetscCall(NdBranchOutputRow(c, &o, &next));
    PetscCall(NdBranchPointCopy(&next, &cur));
    cur_accepted = PETSC_FALSE;
    if (c->stop) { /* the type found what it needed */
      reason = ND_END_TERMINAL;
      done   = PETSC_TRUE;
    }
    if (its <= 3)
      ds = PetscMin(1.5 * ds, c->ds_max);
    else if (its >= 7)
      ds *= 0.7;
  }
  if (c->locate_failed) reason = ND_END_LOCATE_FAILED;
  if ((!done || c->locate_failed) && !c->signum)
    PetscCall(NdBranchEndAtLastPoint(c, branch, &o, &cur)); /* the last point ends the branch */
  PetscCall(NdBranchOutputDestroy(&o));
  if (!c->signum) {
    PetscCall(NdBranchWriteSpecial(c, branch));
    PetscCall(NdContinuationFinishBranch(c, branch, o.rows));
  }
  if (!(c->restart && branch < c->resume.branch)) PetscCall(NdBranchEnd(c, branch, reason, ds));
  PetscCall(NdBranchPointDestroy(&cur));
  PetscCall(NdBranchPointDestroy(&next));
  PetscCall(NdBranchPointDestroy(&at));
  PetscCall(NdBranchPointDestroy(&lo));
  PetscCall(NdBranchPointDestroy(&probe));
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
