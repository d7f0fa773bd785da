/* cycle (alias periodic): branches of periodic orbits by orthogonal collocation
   (include/neurodyn/private/collocationimpl.h), started at a Hopf point. y = (u, T), lambda = p:
       collocation:  sum_k l_k'(z_m) u_{i,k} - h_i T f(u(t_i + h_i z_m); p) = 0   (interval i, Gauss point m)
       periodicity:  u(1) - u(0) = 0
       phase:        int_0^1 u(t) . u_ref'(t) dt = 0   (u_ref: the previous orbit of the branch)
   H_y is a sparse MPIAIJ matrix: per collocation point a block row of the system's Jacobian
   over the ncol + 1 points of the interval, the period column, the dense phase row. The
   bordered corrector and tangent solve it with MUMPS. Every -cont_adapt accepted orbits the mesh
   is adapted (mesh.c). The Floquet multipliers come from the same matrix (multipliers.c). */
#include <neurodyn/private/collocationimpl.h>
#include <neurodyn/private/systemimpl.h>

/* global row/column of component g (any rank's) at point j */
PetscErrorCode NdCycleGlobalIndex(const NdContinuation_Cycle *cy, PetscInt g, PetscInt j, PetscInt *index)
{
  PetscInt lo = 0, hi = cy->size;

  PetscFunctionBegin;
  while (hi - lo > 1) { /* the rank owning g */
    PetscInt mid = (lo + hi) / 2;
    if (cy->xstart[mid] <= g)
      lo = mid;
    else
      hi = mid;
  }
  *index = cy->ystart[lo] + (g - cy->xstart[lo]) * cy->np + j;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the period, held by rank 0 (a Newton iterate may make it negative: the residual then says so) */
static PetscErrorCode NdCycleGetPeriod(NdContinuation c, Vec y, PetscReal *T)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  const PetscScalar    *ya;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(y, &ya));
  if (cy->rank == 0) *T = PetscRealPart(ya[cy->nl * cy->np]);
  PetscCall(VecRestoreArrayRead(y, &ya));
  PetscCallMPI(MPI_Bcast(T, 1, MPIU_REAL, 0, PetscObjectComm((PetscObject)c)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The factorisations of the collocation matrices (the bordered corrector and tangent on A, the
   monodromy's block): MUMPS with nearly partial pivoting (CNTL(1) = 0.9; MUMPS's default 0.01 lets
   the factors grow on orbits with slow and fast phases: on izh_mf its solutions had relative
   residuals of 1e-2 and Newton converged linearly, the steps shrinking to 1e-8). A solver chosen
   with -pc_factor_mat_solver_type is left alone; -mat_mumps_cntl_1 (with the KSP's prefix) still
   overrides. */
PetscErrorCode NdCycleSetUpFactorization(KSP ksp, Mat A)
{
  PC        pc;
  Mat       F;
  PetscBool lu;

  PetscFunctionBegin;
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCLU, &lu));
  if (!lu) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PCFactorSetUpMatSolverType(pc));
  PetscCall(PCFactorGetMatrix(pc, &F));
  /* threshold pivoting (CNTL(1) = 0.9: the collocation matrices of slow-fast orbits need it)
     delays pivots, and the workspace MUMPS estimates with its default 20% margin (ICNTL(14)) can
     then run out: FACTOR_OUTMEMORY on the orbits of two weakly coupled oscillators at NTST 50.
     Both are defaults: -mat_mumps_cntl_1 and -mat_mumps_icntl_14 override them. Nothing for
     another solver. */
  PetscCall(MatMumpsSetCntl(F, 1, 0.9));
  PetscCall(MatMumpsSetIcntl(F, 14, 100));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* cy->xz = u at Gauss point m of interval i */
static PetscErrorCode NdCycleEvaluate(NdContinuation_Cycle *cy, const PetscScalar *u, PetscInt i, PetscInt m)
{
  PetscScalar *xa;

  PetscFunctionBegin;
  PetscCall(VecGetArray(cy->xz, &xa));
  for (PetscInt c = 0; c < cy->nl; c++) {
    PetscScalar v = 0;
    for (PetscInt k = 0; k <= cy->ncol; k++) v += cy->mesh.L[m][k] * u[c * cy->np + i * cy->ncol + k];
    xa[c] = v;
  }
  PetscCall(VecRestoreArray(cy->xz, &xa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationResidual_Cycle(NdContinuation c, Vec y, PetscReal lambda, Vec H)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  const NdCycleMesh    *mesh = &cy->mesh;
  PetscInt              np = cy->np, ncol = cy->ncol;
  const PetscScalar    *u, *f;
  PetscScalar          *h, phase;
  PetscReal             T;

  PetscFunctionBegin;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, lambda));
  PetscCall(NdCycleGetPeriod(c, y, &T));
  if (!(T > 0)) { /* not an orbit: an infinite residual makes Newton fail, and the step shorter */
    PetscCall(VecSet(H, PETSC_INFINITY));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(VecDot(cy->phase, y, &phase));
  PetscCall(VecGetArrayRead(y, &u));
  PetscCall(VecGetArray(H, &h));
  for (PetscInt i = 0; i < cy->ntst; i++) {
    PetscReal hi = mesh->t[i + 1] - mesh->t[i];
    for (PetscInt m = 0; m < ncol; m++) {
      PetscCall(NdCycleEvaluate(cy, u, i, m));
      PetscCall(NdSystemComputeRHS(c->sys, 0.0, cy->xz, cy->fz));
      PetscCall(VecGetArrayRead(cy->fz, &f));
      for (PetscInt cc = 0; cc < cy->nl; cc++) {
        PetscScalar du = 0;
        for (PetscInt k = 0; k <= ncol; k++) du += mesh->dL[m][k] * u[cc * np + i * ncol + k];
        h[cc * np + i * ncol + m] = du - hi * T * f[cc];
      }
      PetscCall(VecRestoreArrayRead(cy->fz, &f));
    }
  }
  for (PetscInt cc = 0; cc < cy->nl; cc++) h[cc * np + np - 1] = u[cc * np + np - 1] - u[cc * np];
  if (cy->rank == 0) h[cy->nl * np] = phase;
  PetscCall(VecRestoreArray(H, &h));
  PetscCall(VecRestoreArrayRead(y, &u));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* H_y, preallocated by rows: a collocation row holds ncol + 1 copies of a row of the system's
   Jacobian (plus the identity terms) and the period; periodicity rows two entries; the phase row
   (rank 0) all columns */
static PetscErrorCode NdCycleCreateMatrix(NdContinuation c, Vec y, Mat *A)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  PetscInt              nlocal, N, *dnnz, *onnz;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(y, &nlocal));
  PetscCall(VecGetSize(y, &N));
  PetscCall(PetscMalloc2(nlocal, &dnnz, nlocal, &onnz));
  for (PetscInt r = 0; r < nlocal; r++) {
    dnnz[r] = PetscMin(nlocal, (cy->ncol + 1) * (cy->maxrow + 1) + 1);
    onnz[r] = PetscMin(N - nlocal, (cy->ncol + 1) * cy->maxrow + 1);
  }
  if (cy->rank == 0) {
    dnnz[nlocal - 1] = nlocal;
    onnz[nlocal - 1] = N - nlocal;
  }
  PetscCall(MatCreate(PetscObjectComm((PetscObject)c), A));
  PetscCall(MatSetSizes(*A, nlocal, nlocal, N, N));
  PetscCall(MatSetType(*A, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*A, 0, dnnz));
  PetscCall(MatMPIAIJSetPreallocation(*A, 0, dnnz, 0, onnz));
  PetscCall(MatSetOption(*A, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  PetscCall(PetscFree2(dnnz, onnz));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationJacobian_Cycle(NdContinuation c, Vec y, PetscReal lambda, Mat *Hy, Vec Hl)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  const NdCycleMesh    *mesh = &cy->mesh;
  PetscInt              np = cy->np, ncol = cy->ncol, y0 = cy->ystart[cy->rank];
  const PetscScalar    *u, *f, *dfdp, *ph;
  PetscScalar          *hl;
  PetscReal             T;
  PetscBool             assembled;

  PetscFunctionBegin;
  if (!*Hy) PetscCall(NdCycleCreateMatrix(c, y, Hy));
  PetscCall(MatAssembled(*Hy, &assembled)); /* values are added: a matrix assembled before starts from zero */
  if (assembled) PetscCall(MatZeroEntries(*Hy));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, lambda));
  PetscCall(NdCycleGetPeriod(c, y, &T));
  PetscCall(VecSet(Hl, 0.0));
  PetscCall(VecGetArrayRead(y, &u));
  PetscCall(VecGetArray(Hl, &hl));
  for (PetscInt i = 0; i < cy->ntst; i++) {
    PetscReal hi = mesh->t[i + 1] - mesh->t[i];
    for (PetscInt m = 0; m < ncol; m++) {
      PetscCall(NdCycleEvaluate(cy, u, i, m));
      PetscCall(NdSystemComputeJacobian(c->sys, 0.0, cy->xz, cy->J));
      PetscCall(NdSystemComputeRHS(c->sys, 0.0, cy->xz, cy->fz));
      PetscCall(NdSystemComputeParameterDerivative(c->sys, 0.0, cy->xz, c->ip, cy->dfz));
      PetscCall(VecGetArrayRead(cy->fz, &f));
      PetscCall(VecGetArrayRead(cy->dfz, &dfdp));
      for (PetscInt cc = 0; cc < cy->nl; cc++) {
        PetscInt           g = cy->lo + cc, row = y0 + cc * np + i * ncol + m, ncols, n = 0;
        const PetscInt    *jcols;
        const PetscScalar *jvals;
        PetscScalar        mf = -hi * f[cc];
        PetscCall(MatGetRow(cy->J, g, &ncols, &jcols, &jvals));
        PetscCheck(ncols <= cy->maxrow, PETSC_COMM_SELF, PETSC_ERR_PLIB, "the Jacobian's pattern grew");
        for (PetscInt k = 0; k <= ncol; k++) {
          for (PetscInt e = 0; e < ncols; e++) {
            PetscCall(NdCycleGlobalIndex(cy, jcols[e], i * ncol + k, &cy->cols[n]));
            cy->vals[n++] = -hi * T * mesh->L[m][k] * jvals[e];
          }
          cy->cols[n]   = y0 + cc * np + i * ncol + k;
          cy->vals[n++] = mesh->dL[m][k];
        }
        PetscCall(MatRestoreRow(cy->J, g, &ncols, &jcols, &jvals));
        PetscCall(MatSetValues(*Hy, 1, &row, n, cy->cols, cy->vals, ADD_VALUES));
        if (!cy->flip) PetscCall(MatSetValues(*Hy, 1, &row, 1, &cy->yT, &mf, ADD_VALUES));
        hl[cc * np + i * ncol + m] = -hi * T * dfdp[cc];
      }
      PetscCall(VecRestoreArrayRead(cy->fz, &f));
      PetscCall(VecRestoreArrayRead(cy->dfz, &dfdp));
    }
  }
  PetscCall(VecRestoreArray(Hl, &hl));
  PetscCall(VecRestoreArrayRead(y, &u));
  for (PetscInt cc = 0; cc < cy->nl; cc++) { /* periodicity: u(1) - u(0); flip: v(1) + v(0) */
    PetscInt    row = y0 + cc * np + np - 1, cols[2] = {y0 + cc * np, row};
    PetscScalar vals[2] = {cy->flip ? 1.0 : -1.0, 1.0};
    PetscCall(MatSetValues(*Hy, 1, &row, 2, cols, vals, ADD_VALUES));
  }
  if (cy->flip) { /* the period's row and column: the identity */
    PetscScalar one = 1.0;
    if (cy->rank == 0) PetscCall(MatSetValues(*Hy, 1, &cy->yT, 1, &cy->yT, &one, ADD_VALUES));
  } else { /* the phase row: each rank its own columns (sent to rank 0 at assembly) */
    PetscCall(VecGetArrayRead(cy->phase, &ph));
    for (PetscInt cc = 0; cc < cy->nl; cc++)
      for (PetscInt j = 0; j < np; j++) {
        PetscInt col = y0 + cc * np + j;
        PetscCall(MatSetValues(*Hy, 1, &cy->yT, 1, &col, &ph[cc * np + j], ADD_VALUES));
      }
    PetscCall(VecRestoreArrayRead(cy->phase, &ph));
  }
  PetscCall(MatAssemblyBegin(*Hy, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*Hy, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The phase row from the reference orbit r (y layout; its period slot unused):
   int_0^1 u . r' dt = sum_i sum_m w_m u(z_im) . sum_k' l_k''(z_m) r_{i,k'}  (h_i cancels) */
PetscErrorCode NdCycleSetPhaseReference(NdContinuation c, Vec r)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  const NdCycleMesh    *mesh = &cy->mesh;
  PetscInt              np = cy->np, ncol = cy->ncol;
  const PetscScalar    *ra;
  PetscScalar          *pa;

  PetscFunctionBegin;
  PetscCall(VecSet(cy->phase, 0.0));
  PetscCall(VecGetArrayRead(r, &ra));
  PetscCall(VecGetArray(cy->phase, &pa));
  for (PetscInt cc = 0; cc < cy->nl; cc++)
    for (PetscInt i = 0; i < cy->ntst; i++)
      for (PetscInt m = 0; m < ncol; m++) {
        PetscScalar dr = 0;
        for (PetscInt k = 0; k <= ncol; k++) dr += mesh->dL[m][k] * ra[cc * np + i * ncol + k];
        for (PetscInt k = 0; k <= ncol; k++) pa[cc * np + i * ncol + k] += mesh->w[m] * mesh->L[m][k] * dr;
      }
  PetscCall(VecRestoreArray(cy->phase, &pa));
  PetscCall(VecRestoreArrayRead(r, &ra));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* a new mesh every -cont_adapt accepted orbits (the orbit and its tangent moved onto it), and
   the accepted orbit as the phase reference of the next */
static PetscErrorCode NdContinuationAcceptPoint_Cycle(NdContinuation c, Vec y, Vec ty, PetscReal lambda)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;

  PetscFunctionBegin;
  (void)lambda;
  if (cy->adapt > 0 && ++cy->accepted % cy->adapt == 0) {
    PetscScalar *ya, *ta;
    PetscCall(VecGetArray(y, &ya));
    PetscCall(VecGetArray(ty, &ta));
    PetscCall(NdCycleMeshAdapt(PetscObjectComm((PetscObject)c), &cy->mesh, cy->nl, ya, 1, &ta));
    PetscCall(VecRestoreArray(ty, &ta));
    PetscCall(VecRestoreArray(y, &ya));
  }
  PetscCall(NdCycleSetPhaseReference(c, y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the point u(0) of the orbit, and the period */
static PetscErrorCode NdContinuationState_Cycle(NdContinuation c, Vec y, Vec x, PetscReal *period)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  const PetscScalar    *ya;
  PetscScalar          *xa;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(y, &ya));
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt cc = 0; cc < cy->nl; cc++) xa[cc] = ya[cc * cy->np];
  PetscCall(VecRestoreArray(x, &xa));
  PetscCall(VecRestoreArrayRead(y, &ya));
  if (period) PetscCall(NdCycleGetPeriod(c, y, period));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the orbit y without its period, and its mesh points' times */
static PetscErrorCode NdContinuationProfile_Cycle(NdContinuation c, Vec y, Vec *u, PetscReal **t)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;

  PetscFunctionBegin;
  if (y) {
    PetscCall(NdExtendedVecSplit(y, cy->prof, NULL));
    for (PetscInt j = 0; j < cy->np; j++) cy->proft[j] = NdCycleMeshPointTime(&cy->mesh, j);
  }
  *u = cy->prof;
  *t = cy->proft;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* max and min of each variable over the orbit's points */
static PetscErrorCode NdContinuationExtrema_Cycle(NdContinuation c, Vec y, Vec xmax, Vec xmin)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  const PetscScalar    *ya;
  PetscScalar          *hi, *lo;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(y, &ya));
  PetscCall(VecGetArray(xmax, &hi));
  PetscCall(VecGetArray(xmin, &lo));
  for (PetscInt cc = 0; cc < cy->nl; cc++) {
    hi[cc] = lo[cc] = ya[cc * cy->np];
    for (PetscInt j = 1; j < cy->np; j++) {
      hi[cc] = PetscMax(PetscRealPart(hi[cc]), PetscRealPart(ya[cc * cy->np + j]));
      lo[cc] = PetscMin(PetscRealPart(lo[cc]), PetscRealPart(ya[cc * cy->np + j]));
    }
  }
  PetscCall(VecRestoreArray(xmin, &lo));
  PetscCall(VecRestoreArray(xmax, &hi));
  PetscCall(VecRestoreArrayRead(y, &ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetFromOptions_Cycle(NdContinuation c, NdOptionItems PetscOptionsObject)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)c);

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Periodic orbits by orthogonal collocation");
  PetscCall(
      NdOptionsInt(PetscOptionsObject, "-cont_ntst", "Mesh intervals of the orbit", 0, PETSC_MAX_INT, &cy->ntst, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_ncol", "Gauss collocation points per interval (1 to 7)", 0,
                         PETSC_MAX_INT, &cy->ncol, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_adapt", "Adapt the mesh every this many orbits (0: never)", 0,
                         PETSC_MAX_INT, &cy->adapt, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_switch_pd",
                         "Follow the period-doubled branch born at each PD point, for this many doublings (0: none)", 0,
                         PETSC_MAX_INT, &cy->switch_pd, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-cont_floquet_dense_max",
                         "Up to this many unknowns all Floquet multipliers (dense monodromy matrix, LAPACK); "
                         "beyond, the -cont_nev largest (Krylov-Schur)",
                         0, PETSC_MAX_INT, &cy->dense_max, NULL));
  PetscOptionsHeadEnd();
  PetscCheck(cy->ntst >= 4, comm, PETSC_ERR_USER_INPUT,
             "-cont_ntst %" PetscInt_FMT " is too few mesh intervals for a periodic orbit (at least 4; AUTO uses 20 to "
             "100)",
             cy->ntst);
  PetscCheck(cy->ncol >= 1 && cy->ncol <= ND_CYCLE_MAX_NCOL, comm, PETSC_ERR_USER_INPUT,
             "-cont_ncol must be between 1 and %d (got %" PetscInt_FMT ")", ND_CYCLE_MAX_NCOL, cy->ncol);
  PetscCheck(cy->adapt >= 0 && cy->dense_max >= 0 && cy->switch_pd >= 0, comm, PETSC_ERR_USER_INPUT,
             "-cont_adapt, -cont_floquet_dense_max and -cont_switch_pd must be >= 0");
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* MUMPS for the corrector and the tangent whatever the system's size (the collocation matrix is
   banded: a direct factorisation fills in little); all multipliers when the system is small */
static PetscErrorCode NdContinuationCreateSolvers_Cycle(NdContinuation c)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  KSP                   ksp;
  PetscInt              N;

  PetscFunctionBegin;
  PetscCall(SNESGetKSP(c->snes, &ksp));
  for (KSP k = ksp; k; k = (k == ksp ? c->ksp_tangent : NULL)) {
    PC pc;
    PetscCall(KSPGetPC(k, &pc));
    PetscCall(KSPSetType(k, KSPPREONLY));
    PetscCall(PCSetType(pc, PCLU));
    PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
    PetscCall(KSPSetFromOptions(k));
  }
  PetscCall(VecGetSize(c->x, &N));
  if (N <= cy->dense_max) c->nev = N;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetUp_Cycle(NdContinuation c)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)c);
  const PetscInt       *ranges;
  PetscInt              hi;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &cy->size));
  PetscCallMPI(MPI_Comm_rank(comm, &cy->rank));
  PetscCall(NdCycleMeshCreate(cy->ntst, cy->ncol, &cy->mesh));
  cy->np = cy->ntst * cy->ncol + 1;
  PetscCall(VecGetOwnershipRange(c->x, &cy->lo, &hi));
  cy->nl = hi - cy->lo;
  PetscCall(PetscMalloc2(cy->size + 1, &cy->xstart, cy->size + 1, &cy->ystart));
  PetscCall(VecGetOwnershipRanges(c->x, &ranges));
  for (PetscMPIInt r = 0; r <= cy->size; r++) {
    cy->xstart[r] = ranges[r];
    cy->ystart[r] = ranges[r] * cy->np + (r > 0); /* the period follows rank 0's points */
  }
  cy->yT = cy->ystart[1] - 1;
  PetscCall(VecDuplicate(c->x, &cy->xz));
  PetscCall(VecDuplicate(c->x, &cy->fz));
  PetscCall(VecDuplicate(c->x, &cy->dfz));
  PetscCall(NdSystemCreateJacobianMatrix(c->sys, &cy->J));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The unknowns' layout (y: this rank's points, then the period on rank 0), the phase vector, and
   the work space of a Jacobian row (sized by the system's Jacobian at x) */
static PetscErrorCode NdCycleCreateUnknowns(NdContinuation c, Vec x, Vec *y)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  Vec                   prof;

  PetscFunctionBegin;
  PetscCall(NdSystemComputeJacobian(c->sys, 0.0, x, cy->J));
  PetscCall(NdMatGetMaxLocalRowLength(cy->J, &cy->maxrow));
  PetscCall(PetscMalloc2((cy->ncol + 1) * (cy->maxrow + 1), &cy->cols, (cy->ncol + 1) * (cy->maxrow + 1), &cy->vals));
  PetscCall(VecCreateMPI(PetscObjectComm((PetscObject)c), cy->nl * cy->np, PETSC_DETERMINE, &prof));
  PetscCall(NdExtendedVecCreate(prof, y));
  PetscCall(VecDestroy(&cy->prof));
  cy->prof = prof;
  PetscCall(PetscFree(cy->proft));
  PetscCall(PetscMalloc1(cy->np, &cy->proft));
  PetscCall(VecDuplicate(*y, &cy->phase));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The engine's set-up for branches of orbits at the parameter value lambda */
static PetscErrorCode NdCycleBranchSetUp(NdContinuation c, Vec y, PetscReal lambda)
{
  KSP ksp;

  PetscFunctionBegin;
  c->kind         = ND_BRANCH_PERIODIC;
  c->lambda_index = c->ip;
  c->lambda_min   = c->pmin;
  c->lambda_max   = c->pmax;
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, lambda));
  PetscCall(NdBranchSetUp(c, y));
  PetscCall(SNESGetKSP(c->snes, &ksp));
  PetscCall(NdCycleSetUpFactorization(ksp, c->M));
  PetscCall(NdCycleSetUpFactorization(c->ksp_tangent, c->M));
  PetscCall(NdCycleMultipliersSetUp(c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* y = the constant orbit x (a Hopf point's equilibrium) with period T */
static PetscErrorCode NdCycleConstantOrbit(NdContinuation c, Vec x, PetscReal T, Vec y)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  const PetscScalar    *xa;
  PetscScalar          *ya;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(x, &xa));
  PetscCall(VecGetArray(y, &ya));
  for (PetscInt cc = 0; cc < cy->nl; cc++)
    for (PetscInt j = 0; j < cy->np; j++) ya[cc * cy->np + j] = xa[cc];
  if (cy->rank == 0) ya[cy->nl * cy->np] = T;
  PetscCall(VecRestoreArray(y, &ya));
  PetscCall(VecRestoreArrayRead(x, &xa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Orbits that shrank to an equilibrium near (y, lambda): the branch of collocated orbits may slide
   there onto the constant orbits (u(t) = an equilibrium, any T: solutions of the collocation
   equations too) a little away from the Hopf point. The Hopf point is located on the equilibria
   through u(0) within 1% of the parameter's range, and y becomes the constant orbit at it with
   the Hopf period 2 pi / omega. */
static PetscErrorCode NdContinuationHopfEnd_Cycle(NdContinuation c, Vec y, PetscReal *lambda, PetscBool *found)
{
  NdContinuation  eq;
  NdSpecialPoint *hb;
  PetscReal       w = 0.01 * (c->pmax - c->pmin), p0;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p0));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, *lambda));
  PetscCall(NdContinuationState_Cycle(c, y, c->x, NULL));
  PetscCall(NdContinuationFindNearest(c, c->x, "HB", PetscMax(c->pmin, *lambda - w), PetscMin(c->pmax, *lambda + w),
                                      *lambda, &eq, &hb));
  *found = (PetscBool)(hb && hb->omega > 0);
  if (*found) {
    *lambda = hb->lambda;
    PetscCall(NdCycleConstantOrbit(c, hb->y, 2 * PETSC_PI / hb->omega, y));
  }
  PetscCall(NdContinuationDestroy(&eq));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The orbits born at the Hopf point number -cont_start_index along -cont_param: u(t) = x_H, T =
   2 pi / omega, leaving along Re(q e^{2 pi i t}) (q: the critical eigenvector), which is also
   the first phase reference */
static PetscErrorCode NdCycleSolveFromHopf(NdContinuation c, Vec x0)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)c);
  NdContinuation        eq;
  NdSpecialPoint       *hb;
  PetscReal             p0, omega, tl = 0;
  Vec                   vr, vi, y, ty;
  const PetscScalar    *ar, *ai;
  PetscScalar          *ta;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p0));
  PetscCall(NdContinuationFindStart(c, x0, "HB", &eq, &hb));
  PetscCall(VecDuplicate(c->x, &vr));
  PetscCall(VecDuplicate(c->x, &vi));
  PetscCall(NdContinuationHopfEigenvector(eq, hb, vr, vi, &omega));
  if (!c->quiet) PetscCall(PetscPrintf(comm, "  the Hopf cycle has period %.12g\n", (double)(2 * PETSC_PI / omega)));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, hb->lambda));
  PetscCall(NdCycleCreateUnknowns(c, hb->y, &y));
  PetscCall(VecDuplicate(y, &ty));
  PetscCall(VecGetArrayRead(vr, &ar));
  PetscCall(VecGetArrayRead(vi, &ai));
  PetscCall(NdCycleConstantOrbit(c, hb->y, 2 * PETSC_PI / omega, y));
  PetscCall(VecGetArray(ty, &ta));
  for (PetscInt cc = 0; cc < cy->nl; cc++)
    for (PetscInt j = 0; j < cy->np; j++) {
      PetscReal t         = NdCycleMeshPointTime(&cy->mesh, j);
      ta[cc * cy->np + j] = ar[cc] * PetscCosReal(2 * PETSC_PI * t) - ai[cc] * PetscSinReal(2 * PETSC_PI * t);
    }
  if (cy->rank == 0) ta[cy->nl * cy->np] = 0;
  PetscCall(VecRestoreArray(ty, &ta));
  PetscCall(VecRestoreArrayRead(vi, &ai));
  PetscCall(VecRestoreArrayRead(vr, &ar));
  PetscCall(NdCycleSetPhaseReference(c, ty));
  PetscCall(NdCycleBranchSetUp(c, y, hb->lambda));
  PetscCall(NdBranchNormalizeTangent(c, ty, &tl));
  PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(NdBranchRun(c, y, hb->lambda, ty, 0.0, c->direction < 0 ? -1 : 1));
  PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p0));
  PetscCall(VecDestroy(&vr));
  PetscCall(VecDestroy(&vi));
  PetscCall(VecDestroy(&y));
  PetscCall(VecDestroy(&ty));
  PetscCall(NdContinuationDestroy(&eq));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSetStartOrbit_Cycle(NdContinuation c, PetscInt n, const PetscReal t[],
                                                        const PetscReal x[])
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  PetscInt              nl;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(c->x, &nl));
  PetscCall(PetscFree2(cy->orbit_t, cy->orbit_x));
  PetscCall(PetscMalloc2(n, &cy->orbit_t, n * nl, &cy->orbit_x));
  PetscCall(PetscArraycpy(cy->orbit_t, t, n));
  PetscCall(PetscArraycpy(cy->orbit_x, x, n * nl));
  cy->norbit = n;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* From the recorded orbit: the period from the last two upward crossings of the first variable
   through its mean in the second half of the samples, the profile of that period by linear
   interpolation; the orbit is then corrected at the start value of the parameter. A recording
   without two such periods, or whose state after one period differs from the start by more than
   5% of its range, is not a periodic orbit: an error. */
static PetscErrorCode NdCycleStartFromOrbit(NdContinuation c, Vec y)
{
  NdContinuation_Cycle *cy   = (NdContinuation_Cycle *)c->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)c);
  PetscInt              n = cy->norbit, nl = cy->nl, first = n / 2, k = first;
  PetscReal             tc[2] = {-1, -1}, mismatch[2] = {0, 0}, T, mean = 0;
  PetscScalar          *ya;

  PetscFunctionBegin;
  if (cy->lo == 0 && nl > 0) { /* the first variable's owner finds the crossings */
    PetscInt ncross = 0;
    for (PetscInt i = first; i < n; i++) mean += cy->orbit_x[i * nl] / (n - first);
    for (PetscInt i = first; i + 1 < n; i++) {
      PetscReal a = cy->orbit_x[i * nl] - mean, b = cy->orbit_x[(i + 1) * nl] - mean;
      if (a < 0 && b >= 0) {
        tc[0] = tc[1];
        tc[1] = cy->orbit_t[i] + (cy->orbit_t[i + 1] - cy->orbit_t[i]) * (-a) / (b - a);
        ncross++;
      }
    }
    if (ncross < 3) tc[0] = tc[1] = -1;
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, tc, 2, MPIU_REAL, MPI_MAX, comm));
  PetscCheck(tc[0] >= 0, comm, PETSC_ERR_USER_INPUT,
             "-cont_start: the second half of the recording holds fewer than two periods (upward crossings of the "
             "first variable through its mean): not a periodic orbit; simulate longer or record more often");
  T = tc[1] - tc[0];
  /* the profile over [tc0, tc0 + T] on the mesh, and the mismatch after one period */
  PetscCall(VecGetArray(y, &ya));
  for (PetscInt j = 0; j < cy->np; j++) {
    PetscReal tj = tc[0] + NdCycleMeshPointTime(&cy->mesh, j) * T, s;
    while (k + 2 < n && cy->orbit_t[k + 1] < tj) k++;
    s = (tj - cy->orbit_t[k]) / (cy->orbit_t[k + 1] - cy->orbit_t[k]);
    for (PetscInt cc = 0; cc < nl; cc++)
      ya[cc * cy->np + j] = (1 - s) * cy->orbit_x[k * nl + cc] + s * cy->orbit_x[(k + 1) * nl + cc];
  }
  for (PetscInt cc = 0; cc < nl; cc++) {
    PetscReal lo = PETSC_MAX_REAL, hi = PETSC_MIN_REAL;
    for (PetscInt j = 0; j < cy->np; j++) {
      lo = PetscMin(lo, PetscRealPart(ya[cc * cy->np + j]));
      hi = PetscMax(hi, PetscRealPart(ya[cc * cy->np + j]));
    }
    mismatch[0] = PetscMax(mismatch[0], PetscAbsReal(PetscRealPart(ya[cc * cy->np + cy->np - 1] - ya[cc * cy->np])));
    mismatch[1] = PetscMax(mismatch[1], hi - lo);
  }
  if (cy->rank == 0) ya[nl * cy->np] = T;
  PetscCall(VecRestoreArray(y, &ya));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, mismatch, 2, MPIU_REAL, MPI_MAX, comm));
  PetscCheck(mismatch[0] <= 0.05 * mismatch[1], comm, PETSC_ERR_USER_INPUT,
             "-cont_start: after one period (T = %g) the recorded state differs from the start by %g, more than 5%% of "
             "its range %g: not a periodic orbit (still a transient?)",
             (double)T, (double)mismatch[0], (double)mismatch[1]);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The orbits through the recorded one (NdCycleStartFromOrbit), corrected at the parameter's start
   value, in the directions -cont_direction asks for */
static PetscErrorCode NdCycleSolveFromOrbit(NdContinuation c, Vec x0)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  PetscReal             p0, *mesh0;
  PetscBool             ok;
  Vec                   y;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p0));
  PetscCall(NdCycleCreateUnknowns(c, x0, &y));
  PetscCall(NdCycleStartFromOrbit(c, y));
  PetscCall(NdCycleSetPhaseReference(c, y));
  PetscCall(NdCycleBranchSetUp(c, y, p0));
  PetscCall(NdBranchCorrectAtFixedParameter(c, y, p0, &ok));
  PetscCheck(ok, PetscObjectComm((PetscObject)c), PETSC_ERR_NOT_CONVERGED,
             "-cont_start: Newton's method found no periodic orbit near the recorded one at %s = %g (%s; try more "
             "samples per period, -sample_dt, or more mesh intervals, -cont_ntst)",
             c->param, (double)p0, c->failure);
  PetscCall(NdCycleSetPhaseReference(c, y));
  if (!c->quiet) {
    PetscReal T;
    PetscCall(NdContinuationState_Cycle(c, y, c->x, &T));
    PetscCall(
        PetscPrintf(PetscObjectComm((PetscObject)c), "  the recorded orbit, corrected: period %.12g\n", (double)T));
  }
  /* each direction from the corrected orbit on its own mesh (a branch moves the mesh) */
  PetscCall(PetscMalloc1(cy->ntst + 1, &mesh0));
  PetscCall(PetscArraycpy(mesh0, cy->mesh.t, cy->ntst + 1));
  PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  for (PetscInt dir = 1; dir >= -1; dir -= 2) {
    if (c->direction == -dir) continue;
    PetscCall(PetscArraycpy(cy->mesh.t, mesh0, cy->ntst + 1));
    PetscCall(NdCycleSetPhaseReference(c, y));
    cy->accepted = 0;
    PetscCall(NdBranchRun(c, y, p0, NULL, 0.0, dir));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  PetscCall(PetscFree(mesh0));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p0));
  PetscCall(VecDestroy(&y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At a PD point of a branch of generation < -cont_switch_pd: the period-doubled branch's start
   (the orbit twice, period 2T; tangent along the PD eigenfunction continued antiperiodically,
   which satisfies the phase condition: its two halves cancel), queued to be followed after the
   branches in progress */
static PetscErrorCode NdContinuationSpecial_Cycle(NdContinuation c, const char label[], const NdBranchPoint *p)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  NdPendingBranch      *sw;
  NdCycleMesh           m2;
  PetscScalar          *ya, *ta;
  PetscReal             mu, T;

  PetscFunctionBegin;
  if (cy->keep_folds > 0 && !strcmp(label, cy->keep_label)) {
    /* the start of a curve of LPC or PD points (cyclecurve.c) with its mesh, and along sw->ty the
       null vector of its bordered operator: the tangent at a fold, the flip eigenfunction at a PD */
    PetscCall(NdPendingBranchAdd(&cy->folds, &cy->nfolds, p->y, p->lambda, &sw));
    if (!strcmp(label, "PD"))
      PetscCall(NdCyclePeriodDoublingVector(c, p->y, p->lambda, sw->ty, &mu));
    else
      PetscCall(VecCopy(p->ty, sw->ty));
    sw->tl = p->tl;
    PetscCall(PetscMalloc1(cy->ntst + 1, &sw->t));
    PetscCall(PetscArraycpy(sw->t, cy->mesh.t, cy->ntst + 1));
    if (cy->nfolds >= cy->keep_folds) c->stop = PETSC_TRUE; /* as many as asked for */
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (strcmp(label, "PD") || cy->generation >= cy->switch_pd) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdPendingBranchAdd(&cy->pending, &cy->npending, p->y, p->lambda, &sw));
  sw->generation = cy->generation + 1;
  PetscCall(NdCyclePeriodDoublingVector(c, p->y, p->lambda, sw->ty, &mu));
  PetscCall(NdCycleGetPeriod(c, p->y, &T));
  m2 = cy->mesh;
  PetscCall(PetscMalloc1(cy->ntst + 1, &sw->t));
  PetscCall(PetscArraycpy(sw->t, cy->mesh.t, cy->ntst + 1));
  m2.t = sw->t;
  PetscCall(VecGetArray(sw->y, &ya));
  PetscCall(VecGetArray(sw->ty, &ta));
  PetscCall(NdCycleMeshDouble(&m2, cy->nl, ya, ta));
  if (cy->rank == 0) {
    ya[cy->nl * cy->np] = 2 * T;
    ta[cy->nl * cy->np] = 0;
  }
  PetscCall(VecRestoreArray(sw->ty, &ta));
  PetscCall(VecRestoreArray(sw->y, &ya));
  PetscCall(NdBranchNormalizeTangent(c, sw->ty, &sw->tl));
  if (!c->quiet)
    PetscCall(PetscPrintf(PetscObjectComm((PetscObject)c),
                          "                  multiplier %.10g; the period-doubled branch (period %.12g) follows\n",
                          (double)mu, (double)(2 * T)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The period-doubled branches queued at PD points (more may be queued on the way), each from
   its PD point in the direction of its eigenfunction: the other direction gives the same orbits
   shifted by half their period */
static PetscErrorCode NdCycleFollowPeriodDoublings(NdContinuation c)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < cy->npending; k++) {
    NdPendingBranch sw = cy->pending[k]; /* the array may grow while the branch runs */
    if (!c->quiet)
      PetscCall(PetscPrintf(PetscObjectComm((PetscObject)c),
                            "  switching onto the period-doubled branch at the PD point %s = %.12g\n", c->param,
                            (double)sw.lambda));
    PetscCall(PetscArraycpy(cy->mesh.t, sw.t, cy->ntst + 1));
    cy->accepted   = 0;
    cy->generation = sw.generation;
    PetscCall(NdCycleSetPhaseReference(c, sw.y));
    PetscCall(NdSystemSetParameterValue(c->sys, c->ip, sw.lambda));
    PetscCall(PetscLogEventBegin(ND_EVENT_CONTINUE, 0, 0, 0, 0));
    PetscCall(NdBranchRun(c, sw.y, sw.lambda, sw.ty, sw.tl, 1));
    PetscCall(PetscLogEventEnd(ND_EVENT_CONTINUE, 0, 0, 0, 0));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationSolve_Cycle(NdContinuation c, Vec x0)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;
  PetscReal             p0;

  PetscFunctionBegin;
  PetscCheck(!(cy->switch_pd && c->restart), PetscObjectComm((PetscObject)c), PETSC_ERR_SUP,
             "-cont_switch_pd cannot resume from a checkpoint (-restart): the PD points of finished branches are not "
             "in it; run without -cont_switch_pd, or rerun the whole continuation");
  PetscCall(NdSystemGetParameterValue(c->sys, c->ip, &p0));
  cy->generation = 0;
  if (cy->norbit)
    PetscCall(NdCycleSolveFromOrbit(c, x0));
  else
    PetscCall(NdCycleSolveFromHopf(c, x0));
  PetscCall(NdCycleFollowPeriodDoublings(c));
  PetscCall(NdPendingBranchesDestroy(&cy->pending, &cy->npending));
  PetscCall(NdSystemSetParameterValue(c->sys, c->ip, p0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationView_Cycle(NdContinuation c, PetscViewer viewer)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "orthogonal collocation: %" PetscInt_FMT " intervals x %" PetscInt_FMT
                                   " Gauss points, mesh adapted every %" PetscInt_FMT " orbits\n",
                                   cy->ntst, cy->ncol, cy->adapt));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdContinuationDestroy_Cycle(NdContinuation c)
{
  NdContinuation_Cycle *cy = (NdContinuation_Cycle *)c->data;

  PetscFunctionBegin;
  PetscCall(NdCycleMultipliersDestroy(cy));
  PetscCall(NdPendingBranchesDestroy(&cy->pending, &cy->npending));
  PetscCall(NdPendingBranchesDestroy(&cy->folds, &cy->nfolds));
  PetscCall(NdCycleMeshDestroy(&cy->mesh));
  PetscCall(PetscFree2(cy->xstart, cy->ystart));
  PetscCall(PetscFree2(cy->orbit_t, cy->orbit_x));
  PetscCall(PetscObjectComposeFunction((PetscObject)c, "NdContinuationSetStartOrbit_C", NULL));
  PetscCall(PetscFree2(cy->cols, cy->vals));
  PetscCall(VecDestroy(&cy->xz));
  PetscCall(VecDestroy(&cy->fz));
  PetscCall(VecDestroy(&cy->dfz));
  PetscCall(VecDestroy(&cy->phase));
  PetscCall(VecDestroy(&cy->prof));
  PetscCall(PetscFree(cy->proft));
  PetscCall(MatDestroy(&cy->J));
  PetscCall(PetscFree(c->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdContinuationCreate_Cycle(NdContinuation c)
{
  NdContinuation_Cycle *cy;

  PetscFunctionBegin;
  PetscCall(PetscNew(&cy));
  cy->ntst      = 50;
  cy->ncol      = 4;
  cy->adapt     = 3;
  cy->dense_max = 400;
  /* steps are controlled by Newton's convergence (as in AUTO): the tangent of slow-fast orbits turns fast */
  c->min_tangent_dot = 0;
  /* a larger largest step than equilibria's 0.1 (in the mean square of the orbit's points): with
     0.1, 211 of the 298 steps of izh_mf's bursting cycles ran at the bound, with 0.5 the branch
     takes 107 points instead of 263 (AUTO: 66), the same LPC and Hopf end */
  c->ds_max              = 0.5;
  c->data                = cy;
  c->ops->setfromoptions = NdContinuationSetFromOptions_Cycle;
  c->ops->createsolvers  = NdContinuationCreateSolvers_Cycle;
  c->ops->setup          = NdContinuationSetUp_Cycle;
  c->ops->residual       = NdContinuationResidual_Cycle;
  c->ops->jacobian       = NdContinuationJacobian_Cycle;
  c->ops->state          = NdContinuationState_Cycle;
  c->ops->extrema        = NdContinuationExtrema_Cycle;
  c->ops->profile        = NdContinuationProfile_Cycle;
  c->ops->acceptpoint    = NdContinuationAcceptPoint_Cycle;
  c->ops->spectrum       = NdCycleMultipliers;
  c->ops->special        = NdContinuationSpecial_Cycle;
  c->ops->hopfend        = NdContinuationHopfEnd_Cycle;
  c->ops->solve          = NdContinuationSolve_Cycle;
  c->ops->view           = NdContinuationView_Cycle;
  c->ops->destroy        = NdContinuationDestroy_Cycle;
  PetscCall(
      PetscObjectComposeFunction((PetscObject)c, "NdContinuationSetStartOrbit_C", NdContinuationSetStartOrbit_Cycle));
  PetscFunctionReturn(PETSC_SUCCESS);
}
