/* shooting: branches of periodic orbits by single shooting, started at a Hopf point.
   Unknowns y = (x0, T) (a point of the orbit and the period), lambda = p:
       H = ( phi_T(x0; p) - x0 ,  d . (x0 - x_ref) )
   phi is the flow over T with -cont_po_steps fixed RK4 steps (so that phi is a smooth function
   of x0, T and p, and finite differences of it are accurate); d . (x0 - x_ref) = 0 is the phase
   condition: a fixed Poincare section through the Hopf equilibrium x_ref, normal to the
   imaginary part d of the critical eigenvector, which every orbit encircling the equilibrium
   crosses. (A section moving with the branch, through the previous x0 normal to the vector
   field there, made the corrector diverge after the first step.) The Jacobian is
   [[M - I, f(phi)], [d^T, 0]] with the monodromy matrix M = dphi/dx0 from central differences
   (2n flows); the Floquet multipliers are the eigenvalues of M (SLEPc). The branch leaves the
   Hopf point along the real part of the critical eigenvector. */
#include <neurodyn/private/continuationimpl.h>
#include <neurodyn/private/systemimpl.h>

typedef struct {
  TS        ts;
  PetscInt  nsteps;
  Vec       phi, f, d, xref, xw, col, dp;
  Mat       A, Mono;
  EPS       eps;
  PetscReal lo, hi; /* range of the first variable along the last flow */
} NdContinuation_Shooting;

static PetscErrorCode NdPeriodicMonitor(TS ts, PetscInt step, PetscReal t, Vec X, void *ctx)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)ctx;
  const PetscScalar       *x;
  PetscInt                 n;

  PetscFunctionBegin;
  (void)ts;
  (void)t;
  PetscCall(VecGetLocalSize(X, &n));
  if (n) {
    PetscCall(VecGetArrayRead(X, &x));
    if (step == 0) po->lo = po->hi = PetscRealPart(x[0]);
    po->lo = PetscMin(po->lo, PetscRealPart(x[0]));
    po->hi = PetscMax(po->hi, PetscRealPart(x[0]));
    PetscCall(VecRestoreArrayRead(X, &x));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* phi = phi_T(x0; p) */
static PetscErrorCode NdPeriodicFlow(NdContinuation c, Vec x0, PetscReal T, PetscReal p, Vec phi)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;

  PetscFunctionBegin;
  PetscCheck(T > 0, PetscObjectComm((PetscObject)c), PETSC_ERR_NOT_CONVERGED, "the period became %g", (double)T);
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p));
  PetscCall(VecCopy(x0, phi));
  PetscCall(TSSetTime(po->ts, 0.0));
  PetscCall(TSSetStepNumber(po->ts, 0));
  PetscCall(TSSetTimeStep(po->ts, T / (PetscReal)po->nsteps));
  PetscCall(TSSetMaxTime(po->ts, T));
  PetscCall(TSSetMaxSteps(po->ts, po->nsteps + 1));
  PetscCall(TSSolve(po->ts, phi));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationResidual_Shooting(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;
  PetscReal                T, phase;

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, c->x, &T));
  PetscCall(NdPeriodicFlow(c, c->x, T, lambda, po->phi));
  PetscCall(VecAXPY(po->phi, -1.0, c->x));
  PetscCall(VecWAXPY(po->xw, -1.0, po->xref, c->x));
  PetscCall(VecDot(po->d, po->xw, &phase));
  PetscCall(NdExtendedVecJoin(po->phi, phase, H));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A = M - I by central differences of the flow, column by column */
static PetscErrorCode NdPeriodicMonodromy(NdContinuation c, Vec x0, PetscReal T, PetscReal p)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;
  PetscInt                 N, rstart, rend, *rows;
  PetscReal                xmax, h;

  PetscFunctionBegin;
  PetscCall(VecGetSize(x0, &N));
  PetscCall(VecGetOwnershipRange(x0, &rstart, &rend));
  PetscCall(VecNorm(x0, NORM_INFINITY, &xmax));
  h = 1e-5 * (1.0 + xmax);
  PetscCall(PetscMalloc1(rend - rstart, &rows));
  for (PetscInt i = rstart; i < rend; i++) rows[i - rstart] = i;
  for (PetscInt j = 0; j < N; j++) {
    const PetscScalar *colv;
    for (int sign = 1; sign >= -1; sign -= 2) {
      PetscCall(VecCopy(x0, po->xw));
      if (j >= rstart && j < rend) {
        PetscScalar *xa;
        PetscCall(VecGetArray(po->xw, &xa));
        xa[j - rstart] += sign * h;
        PetscCall(VecRestoreArray(po->xw, &xa));
      }
      PetscCall(NdPeriodicFlow(c, po->xw, T, p, sign > 0 ? po->col : po->phi));
    }
    PetscCall(VecAXPY(po->col, -1.0, po->phi));
    PetscCall(VecScale(po->col, 1.0 / (2 * h)));
    PetscCall(VecGetArrayRead(po->col, &colv));
    PetscCall(MatSetValues(po->A, rend - rstart, rows, 1, &j, colv, INSERT_VALUES));
    PetscCall(VecRestoreArrayRead(po->col, &colv));
  }
  PetscCall(PetscFree(rows));
  PetscCall(MatAssemblyBegin(po->A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(po->A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatShift(po->A, -1.0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* H_y = [[M - I, f(phi)], [d^T, 0]], H_lambda = [dphi/dp; 0] */
static PetscErrorCode NdContinuationJacobian_Shooting(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;
  PetscReal                T, hp = 1e-6 * (1.0 + PetscAbsReal(lambda));

  PetscFunctionBegin;
  PetscCall(NdExtendedVecSplit(y, c->x, &T));
  PetscCall(NdPeriodicMonodromy(c, c->x, T, lambda));
  PetscCall(NdPeriodicFlow(c, c->x, T, lambda + hp, po->dp));
  PetscCall(NdPeriodicFlow(c, c->x, T, lambda - hp, po->phi));
  PetscCall(VecAXPY(po->dp, -1.0, po->phi));
  PetscCall(VecScale(po->dp, 1.0 / (2 * hp)));
  PetscCall(NdPeriodicFlow(c, c->x, T, lambda, po->phi));
  PetscCall(NdSystemComputeRHS(c->sys, 0.0, po->phi, po->f));
  PetscCall(NdBorderedMatrixAssemble(po->A, po->f, po->d, 0.0, Hy));
  PetscCall(NdExtendedVecJoin(po->dp, 0.0, Hl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* x0 and the period */
static PetscErrorCode NdContinuationState_Shooting(NdContinuation c, Vec y, Vec x, PetscReal *period)
{
  PetscReal T;

  PetscFunctionBegin;
  (void)c;
  PetscCall(NdExtendedVecSplit(y, x, &T));
  if (period) *period = T;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Floquet multipliers (eigenvalues of M), and the peak-to-peak amplitude of the first variable */
static PetscErrorCode NdContinuationSpectrum_Shooting(NdContinuation c, Vec y, PetscReal lambda)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;
  PetscReal                T, range[2];
  PetscInt                 nconv;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(NdExtendedVecSplit(y, c->x, &T));
  PetscCall(NdPeriodicMonodromy(c, c->x, T, lambda));
  PetscCall(MatDestroy(&po->Mono));
  PetscCall(MatDuplicate(po->A, MAT_COPY_VALUES, &po->Mono));
  PetscCall(MatShift(po->Mono, 1.0));
  PetscCall(EPSSetOperators(po->eps, po->Mono, NULL));
  PetscCall(EPSSolve(po->eps));
  PetscCall(EPSGetConverged(po->eps, &nconv));
  for (PetscInt i = 0; i < c->nev; i++) {
    PetscScalar kr = NAN, ki = NAN;
    if (i < nconv) PetscCall(EPSGetEigenvalue(po->eps, i, &kr, &ki));
    c->eig_re[i] = PetscRealPart(kr);
    c->eig_im[i] = PetscRealPart(ki);
  }
  PetscCall(NdPeriodicFlow(c, c->x, T, lambda, po->phi)); /* the monitor records the range */
  range[0] = po->lo;
  range[1] = po->hi;
  PetscCallMPI(MPI_Bcast(range, 2, MPIU_REAL, 0, PetscObjectComm((PetscObject)c)));
  c->aux = range[1] - range[0];
  PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetFromOptions_Shooting(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Periodic orbits from a Hopf point (shooting)");
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_po_steps", "Fixed RK4 steps per period of the shooting flow", 0,
                         PETSC_MAX_INT, &po->nsteps, NULL));
  PetscOptionsHeadEnd();
  PetscCheck(po->nsteps >= 10, PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "-cont_po_steps must be at least 10 (got %" PetscInt_FMT ")", po->nsteps);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The flow's TS (options prefix -cont_po_: e.g. -cont_po_ts_rk_type 5dp) and the multipliers' EPS */
static PetscErrorCode NdContinuationCreateSolvers_Shooting(NdContinuation c)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;
  TSAdapt                  adapt;
  PetscInt                 N;

  PetscFunctionBegin;
  PetscCall(NdSystemCreateTS(c->sys, &po->ts));
  PetscCall(TSSetOptionsPrefix(po->ts, "cont_po_"));
  PetscCall(TSRKSetType(po->ts, TSRK4));
  PetscCall(TSGetAdapt(po->ts, &adapt));
  PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
  PetscCall(TSMonitorSet(po->ts, NdPeriodicMonitor, po, NULL));
  PetscCall(TSSetFromOptions(po->ts));
  PetscCall(VecGetSize(c->x, &N));
  c->nev = N; /* all the multipliers */
  PetscCall(EPSCreate(PetscObjectComm((PetscObject)c), &po->eps));
  PetscCall(EPSSetOptionsPrefix(po->eps, "cont_po_"));
  PetscCall(EPSSetProblemType(po->eps, EPS_NHEP));
  PetscCall(EPSSetWhichEigenpairs(po->eps, EPS_LARGEST_MAGNITUDE));
  PetscCall(EPSSetDimensions(po->eps, N, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(EPSSetType(po->eps, EPSLAPACK));
  PetscCall(EPSSetFromOptions(po->eps));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetUp_Shooting(NdContinuation c)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;
  PetscInt                 n, N;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(c->x, &po->phi));
  PetscCall(VecDuplicate(c->x, &po->f));
  PetscCall(VecDuplicate(c->x, &po->d));
  PetscCall(VecDuplicate(c->x, &po->xref));
  PetscCall(VecDuplicate(c->x, &po->xw));
  PetscCall(VecDuplicate(c->x, &po->col));
  PetscCall(VecDuplicate(c->x, &po->dp));
  PetscCall(VecGetLocalSize(c->x, &n));
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(MatCreate(PetscObjectComm((PetscObject)c), &po->A));
  PetscCall(MatSetSizes(po->A, n, n, N, N));
  PetscCall(MatSetType(po->A, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(po->A, N, NULL));
  PetscCall(MatMPIAIJSetPreallocation(po->A, n, NULL, N - n, NULL));
  PetscCall(MatSetOption(po->A, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  PetscCall(MatSetUp(po->A));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Locate the Hopf point by an equilibrium continuation, then leave it along the periodic branch */
static PetscErrorCode NdContinuationSolve_Shooting(NdContinuation c, Vec x0)
{
  NdContinuation_Shooting *po   = (NdContinuation_Shooting *)c->data;
  MPI_Comm                 comm = PetscObjectComm((PetscObject)c);
  NdContinuation           eq;
  NdSpecialPoint          *hb;
  PetscInt                 N;
  PetscReal                nrm, p0, omega;
  Vec                      vr, vi, y, ty;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p0));
  PetscCall(NdContinuationFindStart(c, x0, "HB", &eq, &hb));
  if (!c->quiet)
    PetscCall(PetscPrintf(comm, "  the Hopf cycle has period %.12g\n", (double)(2 * PETSC_PI / hb->omega)));

  /* the critical eigenvector at the Hopf point: the section's normal vi, the branch leaves along vr */
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(VecDuplicate(c->x, &vr));
  PetscCall(VecDuplicate(c->x, &vi));
  PetscCall(NdContinuationHopfEigenvector(eq, hb, vr, vi, &omega));
  PetscCall(VecNormalize(vi, &nrm));
  PetscCall(VecNormalize(vr, &nrm));
  PetscCall(VecCopy(hb->y, po->xref));
  PetscCall(VecCopy(vi, po->d));

  /* start: the Hopf point with period 2 pi / omega, tangent along vr, of unit weighted norm */
  PetscCall(NdExtendedVecCreate(c->x, &y));
  PetscCall(VecDuplicate(y, &ty));
  PetscCall(NdExtendedVecJoin(hb->y, 2 * PETSC_PI / hb->omega, y));
  PetscCall(VecScale(vr, PetscSqrtReal((PetscReal)(N + 1))));
  PetscCall(NdExtendedVecJoin(vr, 0.0, ty));
  c->kind         = ND_BRANCH_PERIODIC;
  c->lambda_index = c->ip;
  c->lambda_min   = c->pmin;
  c->lambda_max   = c->pmax;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, hb->lambda));
  PetscCall(NdBranchSetUp(c, y));
  PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(NdBranchRun(c, y, hb->lambda, ty, 0.0, 1));
  PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p0));
  PetscCall(VecDestroy(&vr));
  PetscCall(VecDestroy(&vi));
  PetscCall(VecDestroy(&y));
  PetscCall(VecDestroy(&ty));
  PetscCall(NdContinuationDestroy(&eq));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_Shooting(NdContinuation c)
{
  NdContinuation_Shooting *po = (NdContinuation_Shooting *)c->data;

  PetscFunctionBegin;
  PetscCall(TSDestroy(&po->ts));
  PetscCall(EPSDestroy(&po->eps));
  PetscCall(VecDestroy(&po->phi));
  PetscCall(VecDestroy(&po->f));
  PetscCall(VecDestroy(&po->d));
  PetscCall(VecDestroy(&po->xref));
  PetscCall(VecDestroy(&po->xw));
  PetscCall(VecDestroy(&po->col));
  PetscCall(VecDestroy(&po->dp));
  PetscCall(MatDestroy(&po->A));
  PetscCall(MatDestroy(&po->Mono));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_Shooting(NdContinuation c)
{
  NdContinuation_Shooting *po;

  PetscFunctionBegin;
  PetscCall(PetscNew(&po));
  po->nsteps             = 400;
  c->data                = po;
  c->ops->setfromoptions = NdContinuationSetFromOptions_Shooting;
  c->ops->createsolvers  = NdContinuationCreateSolvers_Shooting;
  c->ops->setup          = NdContinuationSetUp_Shooting;
  c->ops->residual       = NdContinuationResidual_Shooting;
  c->ops->jacobian       = NdContinuationJacobian_Shooting;
  c->ops->state          = NdContinuationState_Shooting;
  c->ops->spectrum       = NdContinuationSpectrum_Shooting;
  c->ops->solve          = NdContinuationSolve_Shooting;
  c->ops->destroy        = NdContinuationDestroy_Shooting;
  PetscFunctionReturn(PETSC_SUCCESS);
}
