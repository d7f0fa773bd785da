/* Matrix helpers that several components use. */
#include <neurodyn/core.h>

PetscErrorCode NdMatGetMaxLocalRowLength(Mat A, PetscInt *max)
{
  PetscInt rstart, rend;

  PetscFunctionBegin;
  *max = 0;
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  for (PetscInt i = rstart; i < rend; i++) {
    PetscInt ncols;
    PetscCall(MatGetRow(A, i, &ncols, NULL, NULL));
    *max = PetscMax(*max, ncols);
    PetscCall(MatRestoreRow(A, i, &ncols, NULL, NULL));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
