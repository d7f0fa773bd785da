/* Integer options (sizes, counts, indices, seeds) read as 64-bit numbers and range-checked.
   PETSc's integer options convert the text with strtoll and cast it to the build's PetscInt, so that
   4294967306 becomes 10 with a 32-bit PetscInt, silently; here a value is parsed whole, and one
   outside its range is a user-input error naming the option, the value and the limit. */
#include <errno.h>
#include <stdlib.h>
#include <neurodyn/core.h>

/* What the largest value stands for, for the message */
static const char *NdLimitName(PetscInt64 max)
{
  if (max == PETSC_MAX_INT) return sizeof(PetscInt) == 4 ? ", the largest index of this build (32-bit PetscInt)" : "";
  return "";
}

/* One whole decimal integer (text: as the user wrote it, for messages) in [min, max] */
static PetscErrorCode NdParseInt64(MPI_Comm comm, const char opt[], const char text[], PetscInt64 min, PetscInt64 max,
                                   PetscInt64 *value)
{
  char     *end;
  long long v;

  PetscFunctionBegin;
  PetscCheck(text[0], comm, PETSC_ERR_USER_INPUT, "option %s needs a value", opt);
  errno = 0;
  v     = strtoll(text, &end, 10);
  PetscCheck(end != text && !*end, comm, PETSC_ERR_USER_INPUT, "option %s: '%s' is not a whole number", opt, text);
  PetscCheck(errno != ERANGE && v <= max, comm, PETSC_ERR_USER_INPUT, "%s must be <= %" PetscInt64_FMT "%s (got %s)",
             opt, max, NdLimitName(max), text);
  PetscCheck(v >= min, comm, PETSC_ERR_USER_INPUT, "%s must be >= %" PetscInt64_FMT " (got %s)", opt, min, text);
  *value = v;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOptionsInt64(NdOptionItems PetscOptionsObject, const char opt[], const char text[], PetscInt64 min,
                              PetscInt64 max, PetscInt64 *value, PetscBool *set)
{
  char      word[64], current[32];
  PetscBool flg;
  char      name[256];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(current, sizeof(current), "%" PetscInt64_FMT, *value));
  PetscCall(PetscOptionsString(opt, text, "", current, word, sizeof(word), &flg));
  if (set) *set = flg;
  if (!flg) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSNPrintf(name, sizeof(name), "-%s%s", PetscOptionsObject->prefix ? PetscOptionsObject->prefix : "",
                          opt + 1));
  PetscCall(NdParseInt64(PetscOptionsObject->comm, name, word, min, max, value));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOptionsInt(NdOptionItems PetscOptionsObject, const char opt[], const char text[], PetscInt min,
                            PetscInt max, PetscInt *value, PetscBool *set)
{
  PetscInt64 v = *value;

  PetscFunctionBegin;
  PetscCall(NdOptionsInt64(PetscOptionsObject, opt, text, min, max, &v, set));
  *value = (PetscInt)v;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOptionsIntArray(NdOptionItems PetscOptionsObject, const char opt[], const char text[], PetscInt min,
                                 PetscInt max, PetscInt values[], PetscInt *n, PetscBool *set)
{
  const char *raw;
  char       *list, *save = NULL, name[256];
  PetscBool   flg;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(name, sizeof(name), "-%s%s", PetscOptionsObject->prefix ? PetscOptionsObject->prefix : "",
                          opt + 1));
  PetscCall(PetscOptionsFindPair(PetscOptionsObject->options, PetscOptionsObject->prefix, opt, &raw, &flg));
  if (flg && raw) { /* each item a number or a range a-b (PETSc's a to b - 1) */
    PetscCall(PetscStrallocpy(raw, &list));
    for (char *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
      char      *dash = strchr(item + 1, '-');
      PetscInt64 a, b;

      if (dash) *dash = 0;
      PetscCall(NdParseInt64(PetscOptionsObject->comm, name, item, min, max, &a));
      if (!dash) continue;
      PetscCall(NdParseInt64(PetscOptionsObject->comm, name, dash + 1, min, (PetscInt64)max + 1, &b));
      PetscCheck(a < b, PetscOptionsObject->comm, PETSC_ERR_USER_INPUT,
                 "option %s: the range %" PetscInt64_FMT "-%" PetscInt64_FMT " is empty (a-b is a, ..., b - 1)", name,
                 a, b);
    }
    PetscCall(PetscFree(list));
  }
  PetscCall(PetscOptionsIntArray(opt, text, "", values, n, set));
  PetscFunctionReturn(PETSC_SUCCESS);
}
