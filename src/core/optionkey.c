#include <ctype.h>
#include <stdlib.h>
#include <neurodyn/core.h>

/* As PetscOptionsValidKey: "-name" or "--name" starting with a letter, and not a number such as -1e3 or -inf. */
PetscBool NdIsOptionKey(const char token[])
{
  char *end;

  if (token[0] != '-') return PETSC_FALSE;
  if (token[1] == '-') token++;
  if (!isalpha((unsigned char)token[1])) return PETSC_FALSE;
  (void)strtod(token, &end);
  return (PetscBool) !(end != token && !(*end == '_' || isalnum((unsigned char)*end)));
}

/* PETSc's array options stop silently when the buffer is full: the caller offers room + 1 entries,
   and a list that fills them all was longer than room and would have been cut */
PetscErrorCode NdOptionsCheckListRoom(MPI_Comm comm, const char opt[], PetscInt n, PetscInt room)
{
  PetscFunctionBegin;
  PetscCheck(n <= room, comm, PETSC_ERR_USER_INPUT, "%s: at most %" PetscInt_FMT " values", opt, room);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A list of unit indices: each in 0 .. N - 1, none twice */
PetscErrorCode NdOptionsCheckUnitList(MPI_Comm comm, const char opt[], PetscInt n, const PetscInt units[], PetscInt N)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    PetscCheck(units[i] >= 0 && units[i] < N, comm, PETSC_ERR_USER_INPUT,
               "%s: unit %" PetscInt_FMT " is not in 0 .. N - 1 = %" PetscInt_FMT, opt, units[i], N - 1);
    for (PetscInt j = 0; j < i; j++)
      PetscCheck(units[i] != units[j], comm, PETSC_ERR_USER_INPUT, "%s: unit %" PetscInt_FMT " is listed twice", opt,
                 units[i]);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
