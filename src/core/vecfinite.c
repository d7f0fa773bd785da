/* Whether every entry of a vector is finite. Not with a norm: a maximum over ranks (MPI_MAX) or
   over entries can pass over a NaN, which compares false with everything. */
#include <neurodyn/core.h>

PetscErrorCode NdVecAllFinite(Vec v, PetscBool *finite)
{
  const PetscScalar *a;
  PetscInt           n;
  PetscBool          bad = PETSC_FALSE, anybad;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(v, &n));
  PetscCall(VecGetArrayRead(v, &a));
  for (PetscInt i = 0; i < n && !bad; i++) bad = PetscIsInfOrNanScalar(a[i]);
  PetscCall(VecRestoreArrayRead(v, &a));
  PetscCallMPI(MPI_Allreduce(&bad, &anybad, 1, MPIU_BOOL, MPI_LOR, PetscObjectComm((PetscObject)v)));
  *finite = (PetscBool)!anybad;
  PetscFunctionReturn(PETSC_SUCCESS);
}
