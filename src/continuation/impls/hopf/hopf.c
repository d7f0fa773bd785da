/* hopf: curves of Hopf points in two parameters (p1, p2) by the standard defining system
   (Kuznetsov, Elements of Applied Bifurcation Theory, section 10.2):
       F(x) = 0,   J q_r + omega q_i = 0,   J q_i - omega q_r = 0,   c.q_r = 1,   c.q_i = 0
   i.e. J (q_r + i q_i) = i omega (q_r + i q_i) with a normalised eigenvector. Unknowns
   y = (x, q_r, q_i, omega, p1), lambda = p2. Laid out per rank as [x, q_r, q_i] of its own
   nodes, omega and p1 last on rank 0. Derivatives of J q in x are central differences of the
   analytic Jacobian along q (d/dx_k (J q) = (d/de J(x + e q)) e_k by symmetry of second
   derivatives), those in p1, p2 central differences in the parameter. The curve starts from a
   Hopf point found by an equilibrium continuation in p1; a turning point in p2 is labelled CP. */
#include <neurodyn/private/continuationimpl.h>

typedef struct {
  PetscInt       n, nglobal, xstart, ystart, *ranges, *ystarts; /* x layout and y block starts per rank */
  PetscMPIInt    size;
  Vec            qr, qi, c, t1, t2, Fp1, Fp2, xw;
  Mat            J, Jp, Jm, Dqr, Dqi, Jp1, Jp2; /* J; scratch; d/de J(x + e q); dJ/dp */
  NdContinuation eq;                            /* the equilibria the curve started from: eigenvalues and l1 */
} NdContinuation_Hopf;

enum { HOPF_X, HOPF_QR, HOPF_QI };

/* global y index of block entry k (global node-variable index) */
static PetscInt NdHopfIndex(const NdContinuation_Hopf *h, PetscInt block, PetscInt k)
{
  PetscMPIInt r = 0;
  while (k >= h->ranges[r + 1]) r++;
  return h->ystarts[r] + block * (h->ranges[r + 1] - h->ranges[r]) + (k - h->ranges[r]);
}

static PetscInt NdHopfOmegaIndex(const NdContinuation_Hopf *h)
{
  return h->ystarts[0] + 3 * (h->ranges[1] - h->ranges[0]);
}

/* y <-> (x, qr, qi, omega, p1); omega and p1 broadcast from rank 0 */
static PetscErrorCode NdHopfSplit(NdContinuation c, Vec y, Vec x, Vec qr, Vec qi, PetscReal *omega, PetscReal *p1)
{
  NdContinuation_Hopf *h = (NdContinuation_Hopf *)c->data;
  const PetscScalar   *ya;
  PetscScalar         *a;
  PetscReal            extra[2] = {0, 0};
  PetscMPIInt          rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)c), &rank));
  PetscCall(VecGetArrayRead(y, &ya));
  Vec parts[3] = {x, qr, qi};
  for (PetscInt b = 0; b < 3; b++) {
    if (!parts[b]) continue;
    PetscCall(VecGetArray(parts[b], &a));
    PetscCall(PetscArraycpy(a, ya + b * h->n, h->n));
    PetscCall(VecRestoreArray(parts[b], &a));
  }
  if (rank == 0) extra[0] = PetscRealPart(ya[3 * h->n]), extra[1] = PetscRealPart(ya[3 * h->n + 1]);
  PetscCall(VecRestoreArrayRead(y, &ya));
  PetscCallMPI(MPI_Bcast(extra, 2, MPIU_REAL, 0, PetscObjectComm((PetscObject)c)));
  if (omega) *omega = extra[0];
  if (p1) *p1 = extra[1];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdHopfJoin(NdContinuation c, Vec x, Vec qr, Vec qi, PetscReal omega, PetscReal p1, Vec y)
{
  NdContinuation_Hopf *h = (NdContinuation_Hopf *)c->data;
  PetscScalar         *ya;
  const PetscScalar   *a;
  PetscMPIInt          rank;
  Vec                  parts[3] = {x, qr, qi};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)c), &rank));
  PetscCall(VecGetArray(y, &ya));
  for (PetscInt b = 0; b < 3; b++) {
    PetscCall(VecGetArrayRead(parts[b], &a));
    PetscCall(PetscArraycpy(ya + b * h->n, a, h->n));
    PetscCall(VecRestoreArrayRead(parts[b], &a));
  }
  if (rank == 0) ya[3 * h->n] = omega, ya[3 * h->n + 1] = p1;
  PetscCall(VecRestoreArray(y, &ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdHopfSetParameters(NdContinuation c, PetscReal p1, PetscReal p2)
{
  PetscFunctionBegin;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p1));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationResidual_Hopf(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  NdContinuation_Hopf *h = (NdContinuation_Hopf *)c->data;
  PetscReal            omega, p1, cr, ci;

  PetscFunctionBegin;
  PetscCall(NdHopfSplit(c, y, c->x, h->qr, h->qi, &omega, &p1));
  PetscCall(NdHopfSetParameters(c, p1, lambda));
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, c->x, h->J));
  PetscCall(NdSystemComputeRHS(c->sys, 0.0, c->x, h->xw));
  PetscCall(MatMult(h->J, h->qr, h->t1)); /* J qr + omega qi */
  PetscCall(VecAXPY(h->t1, omega, h->qi));
  PetscCall(MatMult(h->J, h->qi, h->t2)); /* J qi - omega qr */
  PetscCall(VecAXPY(h->t2, -omega, h->qr));
  PetscCall(VecDot(h->c, h->qr, &cr));
  PetscCall(VecDot(h->c, h->qi, &ci));
  PetscCall(NdHopfJoin(c, h->xw, h->t1, h->t2, cr - 1.0, ci, H));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* set the entries of matrix A (system layout), scaled, into rows of block rb and columns of block cb */
static PetscErrorCode NdHopfInsertBlock(NdContinuation_Hopf *h, Mat Hy, Mat A, PetscReal scale, PetscInt rb,
                                        PetscInt cb)
{
  PetscInt     rstart, rend, maxc, *idx;
  PetscScalar *v;

  PetscFunctionBegin;
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  PetscCall(NdMatGetMaxLocalRowLength(A, &maxc));
  PetscCall(PetscMalloc2(maxc, &idx, maxc, &v));
  for (PetscInt i = rstart; i < rend; i++) {
    const PetscInt    *cols;
    const PetscScalar *vals;
    PetscInt           ncols, row = NdHopfIndex(h, rb, i);
    PetscCall(MatGetRow(A, i, &ncols, &cols, &vals));
    for (PetscInt k = 0; k < ncols; k++) idx[k] = NdHopfIndex(h, cb, cols[k]), v[k] = scale * vals[k];
    PetscCall(MatSetValues(Hy, 1, &row, ncols, idx, v, ADD_VALUES));
    PetscCall(MatRestoreRow(A, i, &ncols, &cols, &vals));
  }
  PetscCall(PetscFree2(idx, v));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* a vector v (system layout) into column col, rows of block rb */
static PetscErrorCode NdHopfInsertColumn(NdContinuation_Hopf *h, Mat Hy, Vec v, PetscReal scale, PetscInt rb,
                                         PetscInt col)
{
  const PetscScalar *va;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(v, &va));
  for (PetscInt i = 0; i < h->n; i++) {
    PetscInt    row = NdHopfIndex(h, rb, h->xstart + i);
    PetscScalar val = scale * va[i];
    PetscCall(MatSetValues(Hy, 1, &row, 1, &col, &val, ADD_VALUES));
  }
  PetscCall(VecRestoreArrayRead(v, &va));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationJacobian_Hopf(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  NdContinuation_Hopf *h = (NdContinuation_Hopf *)c->data;
  PetscReal            omega, p1;
  PetscInt             iw, ip1;

  PetscFunctionBegin;
  PetscCall(NdHopfSplit(c, y, c->x, h->qr, h->qi, &omega, &p1));
  PetscCall(NdHopfSetParameters(c, p1, lambda));
  if (!*Hy) { /* at most 3 (J entries per row) + 3 per row, and the two dense normalisation rows */
    PetscInt nlocal, N, maxrow;
    PetscCall(VecGetLocalSize(y, &nlocal));
    PetscCall(VecGetSize(y, &N));
    PetscCall(NdSystemComputeJacobian(c->sys, 0.0, c->x, h->J));
    PetscCall(NdMatGetMaxLocalRowLength(h->J, &maxrow));
    PetscCall(MatCreate(PetscObjectComm((PetscObject)c), Hy));
    PetscCall(MatSetSizes(*Hy, nlocal, nlocal, N, N));
    PetscCall(MatSetType(*Hy, MATAIJ));
    PetscCall(MatSeqAIJSetPreallocation(*Hy, 3 * maxrow + 3, NULL));
    PetscCall(MatMPIAIJSetPreallocation(*Hy, 3 * maxrow + 3, NULL, 3 * maxrow + 3, NULL));
    PetscCall(MatSetOption(*Hy, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE)); /* the dense normalisation rows */
    PetscCall(MatSetUp(*Hy));
  }
  PetscCall(MatZeroEntries(*Hy));
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, c->x, h->J));
  PetscCall(NdJacobianDirectionalDerivative(c->sys, c->x, h->qr, h->xw, h->Jm, h->Dqr));
  PetscCall(NdJacobianDirectionalDerivative(c->sys, c->x, h->qi, h->xw, h->Jm, h->Dqi));
  PetscCall(NdJacobianParameterDerivative(c->sys, c->x, c->ip, h->Jm, h->Jp1));
  PetscCall(NdJacobianParameterDerivative(c->sys, c->x, c->ip2, h->Jm, h->Jp2));
  PetscCall(NdSystemComputeParameterDerivative(c->sys, 0.0, c->x, c->ip, h->Fp1));
  PetscCall(NdSystemComputeParameterDerivative(c->sys, 0.0, c->x, c->ip2, h->Fp2));
  iw  = NdHopfOmegaIndex(h);
  ip1 = iw + 1;
  /* F rows */
  PetscCall(NdHopfInsertBlock(h, *Hy, h->J, 1.0, HOPF_X, HOPF_X));
  PetscCall(NdHopfInsertColumn(h, *Hy, h->Fp1, 1.0, HOPF_X, ip1));
  /* J qr + omega qi rows */
  PetscCall(NdHopfInsertBlock(h, *Hy, h->Dqr, 1.0, HOPF_QR, HOPF_X));
  PetscCall(NdHopfInsertBlock(h, *Hy, h->J, 1.0, HOPF_QR, HOPF_QR));
  PetscCall(NdHopfInsertColumn(h, *Hy, h->qi, 1.0, HOPF_QR, iw));
  for (PetscInt i = 0; i < h->n; i++) {
    PetscInt row = NdHopfIndex(h, HOPF_QR, h->xstart + i), col = NdHopfIndex(h, HOPF_QI, h->xstart + i);
    PetscCall(MatSetValue(*Hy, row, col, omega, ADD_VALUES));
    row = NdHopfIndex(h, HOPF_QI, h->xstart + i);
    col = NdHopfIndex(h, HOPF_QR, h->xstart + i);
    PetscCall(MatSetValue(*Hy, row, col, -omega, ADD_VALUES));
  }
  PetscCall(MatMult(h->Jp1, h->qr, h->t1));
  PetscCall(NdHopfInsertColumn(h, *Hy, h->t1, 1.0, HOPF_QR, ip1));
  /* J qi - omega qr rows */
  PetscCall(NdHopfInsertBlock(h, *Hy, h->Dqi, 1.0, HOPF_QI, HOPF_X));
  PetscCall(NdHopfInsertBlock(h, *Hy, h->J, 1.0, HOPF_QI, HOPF_QI));
  PetscCall(NdHopfInsertColumn(h, *Hy, h->qr, -1.0, HOPF_QI, iw));
  PetscCall(MatMult(h->Jp1, h->qi, h->t2));
  PetscCall(NdHopfInsertColumn(h, *Hy, h->t2, 1.0, HOPF_QI, ip1));
  /* normalisation rows c.qr = 1, c.qi = 0 (owned by rank 0; each rank adds its slice) */
  {
    const PetscScalar *ca;
    PetscCall(VecGetArrayRead(h->c, &ca));
    for (PetscInt i = 0; i < h->n; i++) {
      PetscInt k = h->xstart + i;
      PetscCall(MatSetValue(*Hy, iw, NdHopfIndex(h, HOPF_QR, k), ca[i], ADD_VALUES));
      PetscCall(MatSetValue(*Hy, ip1, NdHopfIndex(h, HOPF_QI, k), ca[i], ADD_VALUES));
    }
    PetscCall(VecRestoreArrayRead(h->c, &ca));
  }
  PetscCall(MatAssemblyBegin(*Hy, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*Hy, MAT_FINAL_ASSEMBLY));
  /* H_lambda = [F_p2; J_p2 qr; J_p2 qi; 0; 0] */
  PetscCall(MatMult(h->Jp2, h->qr, h->t1));
  PetscCall(MatMult(h->Jp2, h->qi, h->t2));
  PetscCall(NdHopfJoin(c, h->Fp2, h->t1, h->t2, 0.0, 0.0, Hl));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* x and p1; omega is the per-point scalar of Hopf curves (signed: the defining system is
   symmetric under q -> conj(q), omega -> -omega; it vanishes at a Bogdanov-Takens point) */
static PetscErrorCode NdContinuationState_Hopf(NdContinuation c, Vec y, Vec x, PetscReal *p1)
{
  PetscFunctionBegin;
  PetscCall(NdHopfSplit(c, y, x, NULL, NULL, &c->aux, p1));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At each point of the curve: the eigenvalues of the Jacobian and the first Lyapunov coefficient
   (its sign change along the curve is a generalised Hopf point, GH; NaN where the frequency is
   below 1e-6, at a Bogdanov-Takens point). c->aux keeps the frequency, c->aux2 holds l1. */
static PetscErrorCode NdContinuationSpectrum_Hopf(NdContinuation c, Vec y, PetscReal lambda)
{
  NdContinuation_Hopf *h  = (NdContinuation_Hopf *)c->data;
  NdContinuation       eq = h->eq;
  PetscReal            omega, p1, l1 = NAN;

  PetscFunctionBegin;
  PetscCall(NdHopfSplit(c, y, c->x, NULL, NULL, &omega, &p1));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda));
  if (PetscAbsReal(omega) > 1e-6) /* a complex pair: l1 (its computation fills eq's eigenvalues) */
    PetscCall(NdContinuationFirstLyapunovCoefficient(eq, c->x, p1, &l1));
  else
    PetscCall((*eq->ops->spectrum)(eq, c->x, p1));
  for (PetscInt i = 0; i < c->nev; i++) {
    c->eig_re[i] = i < eq->nev ? eq->eig_re[i] : NAN;
    c->eig_im[i] = i < eq->nev ? eq->eig_im[i] : NAN;
  }
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, lambda)); /* the l1 computation set p1 only */
  c->aux  = omega;
  c->aux2 = l1;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetFromOptions_Hopf(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Hopf curves in two parameters");
  PetscCall(NdContinuationSecondParameterSetFromOptions(c, PetscOptionsObject));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The layout of y: per rank [x, q_r, q_i] of its nodes, then omega and p1 on rank 0 */
static PetscErrorCode NdContinuationSetUp_Hopf(NdContinuation c)
{
  NdContinuation_Hopf *h    = (NdContinuation_Hopf *)c->data;
  MPI_Comm             comm = PetscObjectComm((PetscObject)c);
  const PetscInt      *ranges;

  PetscFunctionBegin;
  PetscCall(NdContinuationSecondParameterSetUp(c));
  PetscCallMPI(MPI_Comm_size(comm, &h->size));
  PetscCall(VecGetLocalSize(c->x, &h->n));
  PetscCall(VecGetSize(c->x, &h->nglobal));
  PetscCall(VecGetOwnershipRange(c->x, &h->xstart, NULL));
  PetscCall(VecGetOwnershipRanges(c->x, &ranges));
  PetscCall(PetscMalloc2(h->size + 1, &h->ranges, h->size + 1, &h->ystarts));
  for (PetscMPIInt r = 0; r <= h->size; r++) h->ranges[r] = ranges[r];
  h->ystarts[0] = 0;
  for (PetscMPIInt r = 0; r < h->size; r++)
    h->ystarts[r + 1] = h->ystarts[r] + 3 * (ranges[r + 1] - ranges[r]) + (r == 0 ? 2 : 0);
  PetscCall(VecDuplicate(c->x, &h->qr));
  PetscCall(VecDuplicate(c->x, &h->qi));
  PetscCall(VecDuplicate(c->x, &h->c));
  PetscCall(VecDuplicate(c->x, &h->t1));
  PetscCall(VecDuplicate(c->x, &h->t2));
  PetscCall(VecDuplicate(c->x, &h->Fp1));
  PetscCall(VecDuplicate(c->x, &h->Fp2));
  PetscCall(VecDuplicate(c->x, &h->xw));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &h->J));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &h->Jm));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &h->Dqr));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &h->Dqi));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &h->Jp1));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &h->Jp2));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Find the Hopf point along p1, take its critical eigenvector normalised by c.q = 1, and
   continue the curve in p2 in both directions */
static PetscErrorCode NdContinuationSolve_Hopf(NdContinuation c, Vec x0)
{
  NdContinuation_Hopf *h    = (NdContinuation_Hopf *)c->data;
  MPI_Comm             comm = PetscObjectComm((PetscObject)c);
  NdContinuation       eq;
  NdSpecialPoint      *hb;
  EPS                  eps;
  PetscInt             nconv, pick = -1, nlocal, N;
  PetscReal            best = PETSC_MAX_REAL, p2, nrm, a, b;
  PetscBool            ok;
  Vec                  y;

  PetscFunctionBegin;
  PetscCall(NdContinuationFindStart(c, x0, "HB", &eq, &hb));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, hb->lambda));
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, hb->y, h->J));
  PetscCall(EPSCreate(comm, &eps));
  PetscCall(EPSSetOperators(eps, h->J, NULL));
  PetscCall(EPSSetProblemType(eps, EPS_NHEP));
  PetscCall(EPSSetType(eps, EPSLAPACK));
  PetscCall(EPSSolve(eps));
  PetscCall(EPSGetConverged(eps, &nconv));
  for (PetscInt i = 0; i < nconv; i++) {
    PetscScalar kr, ki;
    PetscCall(EPSGetEigenvalue(eps, i, &kr, &ki));
    if (PetscRealPart(ki) > 0 && PetscAbsReal(PetscRealPart(kr)) < best)
      best = PetscAbsReal(PetscRealPart(kr)), pick = i;
  }
  PetscCheck(pick >= 0, comm, PETSC_ERR_NOT_CONVERGED, "no complex eigenvalue at the Hopf point");
  PetscCall(EPSGetEigenvector(eps, pick, h->qr, h->qi));
  PetscCall(EPSDestroy(&eps));
  /* c = q_r / |q_r|, then q <- q / (c.q) so that c.q_r = 1 and c.q_i = 0 */
  PetscCall(VecCopy(h->qr, h->c));
  PetscCall(VecNormalize(h->c, &nrm));
  PetscCall(VecDot(h->c, h->qr, &a));
  PetscCall(VecDot(h->c, h->qi, &b));
  PetscCall(VecCopy(h->qr, h->t1));
  PetscCall(VecScale(h->t1, a / (a * a + b * b)));
  PetscCall(VecAXPY(h->t1, b / (a * a + b * b), h->qi));
  PetscCall(VecScale(h->qi, a / (a * a + b * b)));
  PetscCall(VecAXPY(h->qi, -b / (a * a + b * b), h->qr));
  PetscCall(VecCopy(h->t1, h->qr));

  PetscCall(VecGetLocalSize(c->x, &nlocal));
  PetscCall(VecGetSize(c->x, &N));
  {
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    PetscCall(VecCreate(comm, &y));
    PetscCall(VecSetSizes(y, 3 * nlocal + (rank == 0 ? 2 : 0), 3 * N + 2));
    PetscCall(VecSetType(y, VECSTANDARD));
  }
  PetscCall(NdHopfJoin(c, hb->y, h->qr, h->qi, hb->omega, hb->lambda, y));
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip2, &p2));
  c->kind         = ND_BRANCH_HOPF;
  c->lambda_index = c->ip2;
  c->lambda_min   = c->p2min;
  c->lambda_max   = c->p2max;
  PetscCall(NdBranchSetUp(c, y));
  PetscCall(NdBranchCorrectAtFixedParameter(c, y, p2, &ok));
  PetscCheck(ok, comm, PETSC_ERR_NOT_CONVERGED,
             "the Hopf point at %s = %g did not converge on the Hopf-curve system (%s)", c->param, (double)hb->lambda,
             c->failure);
  h->eq = eq;
  PetscCall(NdBranchRunDirections(c, y, p2));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip2, p2));
  PetscCall(VecDestroy(&y));
  h->eq = NULL;
  PetscCall(NdContinuationDestroy(&eq));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_Hopf(NdContinuation c)
{
  NdContinuation_Hopf *h = (NdContinuation_Hopf *)c->data;

  PetscFunctionBegin;
  PetscCall(PetscFree2(h->ranges, h->ystarts));
  PetscCall(VecDestroy(&h->qr));
  PetscCall(VecDestroy(&h->qi));
  PetscCall(VecDestroy(&h->c));
  PetscCall(VecDestroy(&h->t1));
  PetscCall(VecDestroy(&h->t2));
  PetscCall(VecDestroy(&h->Fp1));
  PetscCall(VecDestroy(&h->Fp2));
  PetscCall(VecDestroy(&h->xw));
  PetscCall(MatDestroy(&h->J));
  PetscCall(MatDestroy(&h->Jm));
  PetscCall(MatDestroy(&h->Dqr));
  PetscCall(MatDestroy(&h->Dqi));
  PetscCall(MatDestroy(&h->Jp1));
  PetscCall(MatDestroy(&h->Jp2));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_Hopf(NdContinuation c)
{
  NdContinuation_Hopf *h;

  PetscFunctionBegin;
  PetscCall(PetscNew(&h));
  c->data                = h;
  c->ops->setfromoptions = NdContinuationSetFromOptions_Hopf;
  c->ops->setup          = NdContinuationSetUp_Hopf;
  c->ops->residual       = NdContinuationResidual_Hopf;
  c->ops->jacobian       = NdContinuationJacobian_Hopf;
  c->ops->state          = NdContinuationState_Hopf;
  c->ops->spectrum       = NdContinuationSpectrum_Hopf;
  c->ops->solve          = NdContinuationSolve_Hopf;
  c->ops->destroy        = NdContinuationDestroy_Hopf;
  PetscFunctionReturn(PETSC_SUCCESS);
}
