#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* PetscOptionsGetAll() writes the database as "-name value -flag -name value ", values verbatim, so
   a value with spaces cannot be told from further words by splitting the text. Each key's value is
   taken from the database instead: from PetscOptionsLeftGet() for an option nothing has read
   (asking for it would mark it used), else from PetscOptionsFindPair(), and the text is stepped over
   the key and its whole value. Which options count as used does not change. */
PetscErrorCode NdOptionsGetPairs(PetscInt *n, char ***names, char ***values)
{
  char    *all, *p, **left_names, **left_values;
  PetscInt room = 1, nleft;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetAll(NULL, &all));
  for (p = all; *p; p++) room += *p == '-'; /* every option starts with a dash */
  PetscCall(PetscCalloc1(room, names));
  PetscCall(PetscCalloc1(room, values));
  PetscCall(PetscOptionsLeftGet(NULL, &nleft, &left_names, &left_values));
  *n = 0;
  for (p = all; *p == ' '; p++) {}
  while (*p) {
    char       *end   = strchr(p, ' ');
    const char *value = NULL;
    PetscBool   used, found = PETSC_FALSE;
    size_t      len;

    PetscCheck(*p == '-' && *n < room, PETSC_COMM_SELF, PETSC_ERR_PLIB, "unexpected options text at '%s'", p);
    if (end) *end = 0;
    PetscCall(PetscOptionsUsed(NULL, p + 1, &used));
    if (used) PetscCall(PetscOptionsFindPair(NULL, NULL, p, &value, &found));
    for (PetscInt i = 0; i < nleft && !used && !found; i++)
      if (!strcasecmp(left_names[i], p + 1)) {
        value = left_values[i];
        found = PETSC_TRUE;
      }
    PetscCheck(found, PETSC_COMM_SELF, PETSC_ERR_PLIB, "option %s is in the text of the database but not in it", p);
    PetscCall(PetscStrallocpy(p + 1, &(*names)[*n]));
    if (value && value[0]) PetscCall(PetscStrallocpy(value, &(*values)[*n]));
    (*n)++;
    p = end ? end + 1 : p + strlen(p);
    if (value && value[0]) {
      len = strlen(value);
      PetscCheck(!strncmp(p, value, len) && (p[len] == ' ' || !p[len]), PETSC_COMM_SELF, PETSC_ERR_PLIB,
                 "the value of option %s is not where expected in the options text", (*names)[*n - 1]);
      p += len;
    }
    while (*p == ' ') p++;
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &nleft, &left_names, &left_values));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOptionsRestorePairs(PetscInt *n, char ***names, char ***values)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < *n; i++) {
    PetscCall(PetscFree((*names)[i]));
    PetscCall(PetscFree((*values)[i]));
  }
  PetscCall(PetscFree(*names));
  PetscCall(PetscFree(*values));
  *n = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}
