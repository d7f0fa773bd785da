/* Floquet multipliers of a collocated orbit: the eigenvalues of the monodromy matrix, obtained
   from the collocation matrix itself. The linearised collocation equations A0 v_0 + A1 v_{1..np-1}
   = 0 (rows: the collocation points; columns: the orbit's first point, and the others) give
   v(1) = M v(0) with M = -E A1^{-1} A0 (E: the last point). A1 is factored once per orbit
   (MUMPS); M is formed densely up to -cont_floquet_dense_max unknowns (all multipliers, LAPACK),
   else applied as a shell matrix to Krylov-Schur (the -cont_nev largest in modulus). The
   multiplier nearest 1 is the trivial one; its distance from 1 measures the discretisation. */
#include <neurodyn/private/collocationimpl.h>

/* y = M x */
static PetscErrorCode NdMonodromyApply(NdContinuation_Cycle *cy, Vec x, Vec y)
{
  const PetscScalar *wa;
  PetscScalar       *ya;
  PetscInt           M = cy->np - 1;

  PetscFunctionBegin;
  PetscCall(MatMult(cy->A0, x, cy->w));
  PetscCall(KSPSolve(cy->ksp, cy->w, cy->w1));
  PetscCall(VecGetArrayRead(cy->w1, &wa));
  PetscCall(VecGetArray(y, &ya));
  for (PetscInt c = 0; c < cy->nl; c++) ya[c] = -wa[c * M + M - 1];
  PetscCall(VecRestoreArray(y, &ya));
  PetscCall(VecRestoreArrayRead(cy->w1, &wa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdMonodromyMult(Mat mono, Vec x, Vec y)
{
  NdContinuation_Cycle *cy;

  PetscFunctionBegin;
  PetscCall(MatShellGetContext(mono, &cy));
  PetscCall(NdMonodromyApply(cy, x, y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the index sets of the collocation rows, of the first point's and of the other points' columns */
PetscErrorCode NdCycleMultipliersSetUp(NdContinuation c)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)c);
  PetscInt              M = cy->np - 1, y0 = cy->ystart[cy->rank], *rows, *c0, *c1, N;
  PC                    pc;

  PetscFunctionBegin;
  PetscCall(PetscMalloc3(cy->nl * M, &rows, cy->nl, &c0, cy->nl * M, &c1));
  for (PetscInt cc = 0; cc < cy->nl; cc++) {
    c0[cc] = y0 + cc * cy->np;
    for (PetscInt j = 0; j < M; j++) {
      rows[cc * M + j] = y0 + cc * cy->np + j;
      c1[cc * M + j]   = y0 + cc * cy->np + j + 1;
    }
  }
  PetscCall(ISCreateGeneral(comm, cy->nl * M, rows, PETSC_COPY_VALUES, &cy->isrow));
  PetscCall(ISCreateGeneral(comm, cy->nl, c0, PETSC_COPY_VALUES, &cy->iscol0));
  PetscCall(ISCreateGeneral(comm, cy->nl * M, c1, PETSC_COPY_VALUES, &cy->iscol1));
  PetscCall(PetscFree3(rows, c0, c1));
  PetscCall(VecCreateMPI(comm, cy->nl * M, PETSC_DETERMINE, &cy->w));
  PetscCall(VecDuplicate(cy->w, &cy->w1));
  PetscCall(VecDuplicate(c->x, &cy->v0));
  PetscCall(KSPCreate(comm, &cy->ksp));
  PetscCall(KSPSetOptionsPrefix(cy->ksp, "cont_floquet_"));
  PetscCall(KSPSetType(cy->ksp, KSPPREONLY));
  PetscCall(KSPGetPC(cy->ksp, &pc));
  PetscCall(PCSetType(pc, PCLU));
  PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  PetscCall(KSPSetFromOptions(cy->ksp));
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(EPSCreate(comm, &cy->eps));
  PetscCall(EPSSetOptionsPrefix(cy->eps, "cont_floquet_"));
  PetscCall(EPSSetProblemType(cy->eps, EPS_NHEP));
  PetscCall(EPSSetWhichEigenpairs(cy->eps, EPS_LARGEST_MAGNITUDE));
  PetscCall(EPSSetDimensions(cy->eps, c->nev, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(EPSSetType(cy->eps, N <= cy->dense_max ? EPSLAPACK : EPSKRYLOVSCHUR));
  PetscCall(EPSSetFromOptions(cy->eps));
  if (N <= cy->dense_max) {
    PetscCall(MatCreateDense(comm, cy->nl, cy->nl, N, N, NULL, &cy->mono));
  } else {
    PetscCall(MatCreateShell(comm, cy->nl, cy->nl, N, N, cy, &cy->mono));
    PetscCall(MatShellSetOperation(cy->mono, MATOP_MULT, (void (*)(void))NdMonodromyMult));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The trivial multiplier among the first n computed ones: the one whose eigenvector is the flow
   direction f(u(0)) (M f(u(0)) = f(u(0)) for the exact orbit), not merely the one nearest 1. A
   second multiplier can lie nearer 1 than the trivial one's discretisation error (weakly coupled
   copies of one oscillator: the relative phase is almost neutral); taking it for the trivial one
   counted the true trivial multiplier as unstable and labelled spurious changes of stability.
   The real multipliers within 0.1 of 1 are candidates; the nearest 1 decides between equally
   aligned ones and is the answer when no eigenvector is within 45 degrees of f(u(0)) (a mesh too
   coarse to tell) or when the orbit is an equilibrium (at a Hopf point f(u(0)) is rounding).
   *error: its distance from 1 (PETSC_MAX_REAL: no multiplier) */
static PetscErrorCode NdCycleTrivialMultiplier(NdContinuation c, Vec y, PetscInt n, PetscInt *trivial, PetscReal *error)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  const PetscScalar    *u;
  PetscScalar          *x;
  PetscReal             fnorm, xnorm, best_align = 0.5, best_dist = PETSC_MAX_REAL, nearest_dist = PETSC_MAX_REAL;
  PetscInt              nearest = -1;

  PetscFunctionBegin;
  *trivial = -1;
  *error   = PETSC_MAX_REAL;
  PetscCall(VecGetArrayRead(y, &u));
  PetscCall(VecGetArray(cy->xz, &x));
  for (PetscInt cc = 0; cc < cy->nl; cc++) x[cc] = u[cc * cy->np];
  PetscCall(VecRestoreArray(cy->xz, &x));
  PetscCall(VecRestoreArrayRead(y, &u));
  PetscCall(NdSystemComputeRHS(c->sys, 0.0, cy->xz, cy->fz));
  PetscCall(VecNorm(cy->fz, NORM_2, &fnorm));
  PetscCall(VecNorm(cy->xz, NORM_2, &xnorm));
  if (fnorm <= 1e-8 * (1 + xnorm)) fnorm = 0; /* an equilibrium: no flow direction */
  for (PetscInt i = 0; i < n; i++) {
    PetscReal   dist = PetscSqrtReal(PetscSqr(c->eig_re[i] - 1) + PetscSqr(c->eig_im[i])), vnorm, align;
    PetscScalar dot;
    if (PetscIsNanReal(dist)) continue;
    if (dist < nearest_dist) nearest_dist = dist, nearest = i;
    if (PetscAbsReal(c->eig_im[i]) > 0 || dist > 0.1 || fnorm == 0) continue;
    PetscCall(EPSGetEigenvector(cy->eps, i, c->x, NULL));
    PetscCall(VecDot(c->x, cy->fz, &dot));
    PetscCall(VecNorm(c->x, NORM_2, &vnorm));
    align = PetscAbsScalar(dot) / (vnorm * fnorm);
    if (align > best_align + 1e-3 || (align > best_align - 1e-3 && dist < best_dist)) {
      best_align = PetscMax(best_align, align);
      best_dist  = dist;
      *trivial   = i;
    }
  }
  if (*trivial < 0) *trivial = nearest, best_dist = nearest_dist;
  if (*trivial >= 0) *error = best_dist;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The multipliers at (y, lambda) into c->eig_re/eig_im (by decreasing modulus), the amplitude of
   the first variable into c->aux, the trivial multiplier's distance from 1 into c->aux2 */
PetscErrorCode NdCycleMultipliers(NdContinuation c, Vec y, PetscReal lambda)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)c);
  PetscInt              nconv, N, M = cy->np - 1;
  PetscReal             range[2] = {0, 0};
  PetscBool             dense;
  Vec                   xmax, xmin;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall((*c->ops->jacobian)(c, y, lambda, &c->Hy, c->Hl));
  if (!cy->A1) {
    PetscCall(MatCreateSubMatrix(c->Hy, cy->isrow, cy->iscol1, MAT_INITIAL_MATRIX, &cy->A1));
    PetscCall(NdCycleSetUpFactorization(cy->ksp, cy->A1));
  } else
    PetscCall(MatCreateSubMatrix(c->Hy, cy->isrow, cy->iscol1, MAT_REUSE_MATRIX, &cy->A1));
  PetscCall(MatCreateSubMatrix(c->Hy, cy->isrow, cy->iscol0, cy->A0 ? MAT_REUSE_MATRIX : MAT_INITIAL_MATRIX, &cy->A0));
  PetscCall(KSPSetOperators(cy->ksp, cy->A1, cy->A1));
  PetscCall(VecGetSize(c->x, &N));
  PetscCall(PetscObjectTypeCompare((PetscObject)cy->mono, MATSHELL, &dense));
  dense = (PetscBool)!dense;
  if (dense) { /* M by blocks of columns: X = A1^-1 A0[:, block], one multi-right-hand-side MUMPS
                  solve per block (a solve per column was latency-bound on several ranks) */
    PetscInt           lo, hi, lda, nrow, ncols, bs = PetscMin(N, 64);
    PetscScalar       *ma, *ba;
    const PetscScalar *xa;
    Mat                B, X;
    PetscCall(MatGetOwnershipRange(cy->mono, &lo, &hi));
    PetscCall(MatGetLocalSize(cy->A0, &nrow, NULL));
    PetscCall(MatCreateDense(comm, nrow, PETSC_DECIDE, PETSC_DETERMINE, bs, NULL, &B));
    PetscCall(MatCreateDense(comm, nrow, PETSC_DECIDE, PETSC_DETERMINE, bs, NULL, &X));
    PetscCall(MatDenseGetLDA(cy->mono, &lda));
    PetscCall(MatDenseGetArray(cy->mono, &ma)); /* column-major */
    for (PetscInt j0 = 0; j0 < N; j0 += bs) {
      PetscInt rlo, nb = PetscMin(bs, N - j0);
      PetscCall(MatGetOwnershipRange(cy->A0, &rlo, NULL));
      PetscCall(MatDenseGetArrayWrite(B, &ba));
      PetscCall(PetscArrayzero(ba, nrow * bs));
      for (PetscInt r = 0; r < nrow; r++) {
        const PetscInt    *cols;
        const PetscScalar *vals;
        PetscCall(MatGetRow(cy->A0, rlo + r, &ncols, &cols, &vals));
        for (PetscInt e = 0; e < ncols; e++)
          if (cols[e] >= j0 && cols[e] < j0 + nb) ba[(cols[e] - j0) * nrow + r] = vals[e];
        PetscCall(MatRestoreRow(cy->A0, rlo + r, &ncols, &cols, &vals));
      }
      PetscCall(MatDenseRestoreArrayWrite(B, &ba));
      PetscCall(KSPMatSolve(cy->ksp, B, X));
      PetscCall(MatDenseGetArrayRead(X, &xa));
      for (PetscInt j = 0; j < nb; j++)
        for (PetscInt c = 0; c < cy->nl; c++) ma[(j0 + j) * lda + c] = -xa[j * nrow + c * M + M - 1];
      PetscCall(MatDenseRestoreArrayRead(X, &xa));
    }
    PetscCall(MatDenseRestoreArray(cy->mono, &ma));
    PetscCall(MatDestroy(&B));
    PetscCall(MatDestroy(&X));
    PetscCall(MatAssemblyBegin(cy->mono, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(cy->mono, MAT_FINAL_ASSEMBLY));
  }
  PetscCall(EPSSetOperators(cy->eps, cy->mono, NULL));
  PetscCall(EPSSolve(cy->eps));
  PetscCall(EPSGetConverged(cy->eps, &nconv));
  for (PetscInt i = 0; i < c->nev; i++) {
    PetscScalar kr = NAN, ki = NAN;
    if (i < nconv) PetscCall(EPSGetEigenvalue(cy->eps, i, &kr, &ki));
    c->eig_re[i] = PetscRealPart(kr);
    c->eig_im[i] = PetscRealPart(ki);
  }
  PetscCall(NdCycleTrivialMultiplier(c, y, PetscMin(nconv, c->nev), &c->trivial_index, &cy->trivial_error));
  c->aux2           = cy->trivial_error;
  c->multiplier_tol = PetscMax(1e-9, 10 * cy->trivial_error);
  /* the amplitude of the first variable */
  PetscCall(VecDuplicate(c->x, &xmax));
  PetscCall(VecDuplicate(c->x, &xmin));
  PetscCall((*c->ops->extrema)(c, y, xmax, xmin));
  if (cy->nl > 0 && cy->lo == 0) {
    const PetscScalar *a, *b;
    PetscCall(VecGetArrayRead(xmax, &a));
    PetscCall(VecGetArrayRead(xmin, &b));
    range[0] = PetscRealPart(a[0]);
    range[1] = PetscRealPart(b[0]);
    PetscCall(VecRestoreArrayRead(xmin, &b));
    PetscCall(VecRestoreArrayRead(xmax, &a));
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, range, 2, MPIU_REAL, MPI_SUM, comm));
  c->aux = range[0] - range[1];
  PetscCall(VecDestroy(&xmax));
  PetscCall(VecDestroy(&xmin));
  PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At a period-doubling point (y, lambda): the eigenfunction v of the multiplier nearest -1 on
   the orbit's points (y layout, period slot 0): v(0) the monodromy matrix's eigenvector, the
   other points from the linearised collocation equations, v_{1..np-1} = -A1^{-1} A0 v(0); and
   the multiplier itself */
PetscErrorCode NdCyclePeriodDoublingVector(NdContinuation c, Vec y, PetscReal lambda, Vec v, PetscReal *mu)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  PetscInt              nconv, pick = -1, M = cy->np - 1;
  PetscReal             best = PETSC_MAX_REAL;
  const PetscScalar    *v0, *w1;
  PetscScalar          *va;

  PetscFunctionBegin;
  PetscCall(NdCycleMultipliers(c, y, lambda));
  PetscCall(EPSGetConverged(cy->eps, &nconv));
  for (PetscInt i = 0; i < nconv; i++) {
    PetscScalar kr, ki;
    PetscReal   d;
    PetscCall(EPSGetEigenvalue(cy->eps, i, &kr, &ki));
    d = PetscSqrtReal(PetscSqr(PetscRealPart(kr) + 1) + PetscSqr(PetscRealPart(ki)));
    if (d < best) best = d, pick = i, *mu = PetscRealPart(kr);
  }
  PetscCheck(pick >= 0 && best < 0.1, PetscObjectComm((PetscObject)c), PETSC_ERR_NOT_CONVERGED,
             "no Floquet multiplier near -1 at the period-doubling point %s = %g", c->param, (double)lambda);
  PetscCall(EPSGetEigenpair(cy->eps, pick, NULL, NULL, cy->v0, NULL));
  PetscCall(MatMult(cy->A0, cy->v0, cy->w));
  PetscCall(KSPSolve(cy->ksp, cy->w, cy->w1));
  PetscCall(VecSet(v, 0.0));
  PetscCall(VecGetArrayRead(cy->v0, &v0));
  PetscCall(VecGetArrayRead(cy->w1, &w1));
  PetscCall(VecGetArray(v, &va));
  for (PetscInt cc = 0; cc < cy->nl; cc++) {
    va[cc * cy->np] = v0[cc];
    for (PetscInt j = 0; j < M; j++) va[cc * cy->np + j + 1] = -w1[cc * M + j];
  }
  PetscCall(VecRestoreArray(v, &va));
  PetscCall(VecRestoreArrayRead(cy->w1, &w1));
  PetscCall(VecRestoreArrayRead(cy->v0, &v0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCycleMultipliersDestroy(NdContinuation_Cycle *cy)
{
  PetscFunctionBegin;
  PetscCall(ISDestroy(&cy->isrow));
  PetscCall(ISDestroy(&cy->iscol0));
  PetscCall(ISDestroy(&cy->iscol1));
  PetscCall(MatDestroy(&cy->A0));
  PetscCall(MatDestroy(&cy->A1));
  PetscCall(MatDestroy(&cy->mono));
  PetscCall(KSPDestroy(&cy->ksp));
  PetscCall(EPSDestroy(&cy->eps));
  PetscCall(VecDestroy(&cy->w));
  PetscCall(VecDestroy(&cy->w1));
  PetscCall(VecDestroy(&cy->v0));
  PetscFunctionReturn(PETSC_SUCCESS);
}
