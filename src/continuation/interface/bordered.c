/* Bordered matrices and extended vectors (see include/neurodyn/private/borderedimpl.h). */
#include <neurodyn/private/borderedimpl.h>

/* The extended layout of x: rank 0 holds one more entry */
PetscErrorCode NdExtendedVecCreate(Vec x, Vec *ext)
{
  PetscInt    n;
  PetscMPIInt rank;
  MPI_Comm    comm = PetscObjectComm((PetscObject)x);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecCreate(comm, ext));
  PetscCall(VecSetSizes(*ext, n + (rank == 0), PETSC_DETERMINE));
  PetscCall(VecSetType(*ext, VECSTANDARD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ext -> (x, s); s is broadcast from rank 0 */
PetscErrorCode NdExtendedVecSplit(Vec ext, Vec x, PetscReal *s)
{
  const PetscScalar *e;
  PetscScalar       *xa;
  PetscInt           n;
  PetscMPIInt        rank;
  PetscReal          value = 0;
  MPI_Comm           comm  = PetscObjectComm((PetscObject)ext);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecGetArrayRead(ext, &e));
  PetscCall(VecGetArray(x, &xa));
  PetscCall(PetscArraycpy(xa, e, n));
  if (rank == 0) value = PetscRealPart(e[n]);
  PetscCall(VecRestoreArray(x, &xa));
  PetscCall(VecRestoreArrayRead(ext, &e));
  PetscCallMPI(MPI_Bcast(&value, 1, MPIU_REAL, 0, comm));
  if (s) *s = value;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* (x, s) -> ext */
PetscErrorCode NdExtendedVecJoin(Vec x, PetscReal s, Vec ext)
{
  const PetscScalar *xa;
  PetscScalar       *e;
  PetscInt           n;
  PetscMPIInt        rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)ext), &rank));
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecGetArrayRead(x, &xa));
  PetscCall(VecGetArray(ext, &e));
  PetscCall(PetscArraycpy(e, xa, n));
  if (rank == 0) e[n] = s;
  PetscCall(VecRestoreArray(ext, &e));
  PetscCall(VecRestoreArrayRead(x, &xa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* global index in the extended layout of row/column i of A (n0: rows of A on rank 0) */
static inline PetscInt NdExtendedIndex(PetscInt i, PetscInt n0)
{
  return i < n0 ? i : i + 1;
}

static PetscErrorCode NdBorderedMatrixCreate(Mat A, Mat *M)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)A);
  PetscMPIInt rank;
  PetscInt    rstart, rend, n, N, n0, mstart, mlocal, *dnnz, *onnz;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  PetscCall(MatGetSize(A, &N, NULL));
  n  = rend - rstart;
  n0 = n;
  PetscCallMPI(MPI_Bcast(&n0, 1, MPIU_INT, 0, comm));
  mlocal = n + (rank == 0);
  mstart = rank == 0 ? 0 : rstart + 1;
  PetscCall(PetscCalloc2(mlocal, &dnnz, mlocal, &onnz));
  for (PetscInt i = rstart; i < rend; i++) {
    const PetscInt *cols;
    PetscInt        ncols;
    PetscCall(MatGetRow(A, i, &ncols, &cols, NULL));
    for (PetscInt k = 0; k < ncols; k++) {
      PetscInt j = NdExtendedIndex(cols[k], n0);
      if (j >= mstart && j < mstart + mlocal)
        dnnz[i - rstart]++;
      else
        onnz[i - rstart]++;
    }
    PetscCall(MatRestoreRow(A, i, &ncols, &cols, NULL));
    if (rank == 0)
      dnnz[i - rstart]++; /* the border column lives with rank 0 */
    else
      onnz[i - rstart]++;
  }
  if (rank == 0) { /* the dense border row */
    dnnz[n] = mlocal;
    onnz[n] = N + 1 - mlocal;
  }
  PetscCall(MatCreate(comm, M));
  PetscCall(MatSetSizes(*M, mlocal, mlocal, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetType(*M, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*M, 0, dnnz));
  PetscCall(MatMPIAIJSetPreallocation(*M, 0, dnnz, 0, onnz));
  PetscCall(PetscFree2(dnnz, onnz));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBorderedMatrixAssemble(Mat A, Vec b, Vec c, PetscReal d, Mat *M)
{
  MPI_Comm           comm = PetscObjectComm((PetscObject)A);
  PetscMPIInt        rank;
  PetscInt           rstart, rend, n0, col, *idx, maxcols;
  const PetscScalar *ba, *ca;

  PetscFunctionBegin;
  if (!*M) PetscCall(NdBorderedMatrixCreate(A, M));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  n0 = rend - rstart;
  PetscCallMPI(MPI_Bcast(&n0, 1, MPIU_INT, 0, comm));
  PetscCall(MatZeroEntries(*M));
  PetscCall(NdMatGetMaxLocalRowLength(A, &maxcols));
  PetscCall(PetscMalloc1(maxcols + 1, &idx));
  col = n0; /* global index of the border column */
  PetscCall(VecGetArrayRead(b, &ba));
  for (PetscInt i = rstart; i < rend; i++) {
    const PetscInt    *cols;
    const PetscScalar *vals;
    PetscInt           ncols, row = NdExtendedIndex(i, n0);
    PetscCall(MatGetRow(A, i, &ncols, &cols, &vals));
    for (PetscInt k = 0; k < ncols; k++) idx[k] = NdExtendedIndex(cols[k], n0);
    PetscCall(MatSetValues(*M, 1, &row, ncols, idx, vals, INSERT_VALUES));
    PetscCall(MatRestoreRow(A, i, &ncols, &cols, &vals));
    PetscCall(MatSetValue(*M, row, col, ba[i - rstart], INSERT_VALUES));
  }
  PetscCall(VecRestoreArrayRead(b, &ba));
  PetscCall(PetscFree(idx));
  /* the border row [c^T, d] lives on rank 0; each rank sets its own slice (sent at assembly) */
  PetscCall(PetscMalloc1(rend - rstart, &idx));
  for (PetscInt j = rstart; j < rend; j++) idx[j - rstart] = NdExtendedIndex(j, n0);
  PetscCall(VecGetArrayRead(c, &ca));
  PetscCall(MatSetValues(*M, 1, &col, rend - rstart, idx, ca, INSERT_VALUES));
  PetscCall(VecRestoreArrayRead(c, &ca));
  PetscCall(PetscFree(idx));
  if (rank == 0) PetscCall(MatSetValue(*M, col, col, d, INSERT_VALUES));
  PetscCall(MatAssemblyBegin(*M, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*M, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdBorderedNullVectors(KSP ksp, Vec rhs, Vec sol, Vec v, Vec w, PetscReal *g, const char what[])
{
  KSPConvergedReason reason;
  PetscReal          h;

  PetscFunctionBegin;
  PetscCall(VecSet(v, 0.0));
  PetscCall(NdExtendedVecJoin(v, 1.0, rhs));
  for (PetscInt transpose = 0; transpose < 2; transpose++) {
    PetscCall(transpose ? KSPSolveTranspose(ksp, rhs, sol) : KSPSolve(ksp, rhs, sol));
    PetscCall(KSPGetConvergedReason(ksp, &reason));
    PetscCheck(reason > 0, PetscObjectComm((PetscObject)ksp), PETSC_ERR_NOT_CONVERGED,
               "the bordered system of %s could not be solved (%s)", what, KSPConvergedReasons[reason]);
    PetscCall(NdExtendedVecSplit(sol, transpose ? w : v, transpose ? &h : g));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
