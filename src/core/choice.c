/* An option whose value is one word of a list. PETSc's enum options report an unknown word with
   PETSC_ERR_USER on one communicator per rank; this one names the option and the choices in a
   user-input error on the options' communicator, reported once. */
#include <strings.h>
#include <neurodyn/core.h>

PetscErrorCode NdOptionsChoice(NdOptionItems PetscOptionsObject, const char opt[], const char text[],
                               const char *const list[], PetscInt n, PetscInt *value, PetscBool *set)
{
  char      word[256], help[512], choices[256] = "";
  PetscBool flg;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < n; k++) {
    if (k) PetscCall(PetscStrlcat(choices, ", ", sizeof(choices)));
    PetscCall(PetscStrlcat(choices, list[k], sizeof(choices)));
  }
  PetscCall(PetscSNPrintf(help, sizeof(help), "%s (%s)", text, choices));
  PetscCall(PetscOptionsString(opt, help, "", list[*value], word, sizeof(word), &flg));
  if (set) *set = flg;
  if (!flg) PetscFunctionReturn(PETSC_SUCCESS);
  for (PetscInt k = 0; k < n; k++)
    if (!strcasecmp(word, list[k])) {
      *value = k;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  SETERRQ(PetscOptionsObject->comm, PETSC_ERR_USER_INPUT, "unknown value '%s' for %s (choices: %s)", word, opt,
          choices);
}
