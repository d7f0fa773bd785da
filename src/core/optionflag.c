/* neurodyn's flags (options that may stand without a value), recorded as they are read.
   PETSc reads a number option given without a value (`-params_g` and nothing after it) as not set,
   so the default would run silently; the command line check (src/app/cli.c) tells a flag from a
   missing value by this record. */
#include <strings.h>
#include <neurodyn/core.h>

static char **NdFlagNames = NULL;
static size_t NdFlagCount = 0, NdFlagRoom = 0;

static PetscErrorCode NdFlagsDestroy(void)
{
  PetscFunctionBegin;
  for (size_t i = 0; i < NdFlagCount; i++) PetscCall(PetscFree(NdFlagNames[i]));
  PetscCall(PetscFree(NdFlagNames));
  NdFlagCount = NdFlagRoom = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Records "-<prefix><name>" once */
static PetscErrorCode NdFlagRecord(const char prefix[], const char opt[])
{
  char name[256];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(name, sizeof(name), "-%s%s", prefix ? prefix : "", opt + 1));
  if (NdOptionIsFlag(name)) PetscFunctionReturn(PETSC_SUCCESS);
  if (NdFlagCount == NdFlagRoom) {
    if (!NdFlagRoom) PetscCall(PetscRegisterFinalize(NdFlagsDestroy));
    NdFlagRoom = NdFlagRoom ? 2 * NdFlagRoom : 16;
    PetscCall(PetscRealloc(NdFlagRoom * sizeof(*NdFlagNames), &NdFlagNames));
  }
  PetscCall(PetscStrallocpy(name, &NdFlagNames[NdFlagCount++]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOptionsFlag(NdOptionItems PetscOptionsObject, const char opt[], const char text[], PetscBool current,
                             PetscBool *value, PetscBool *set)
{
  PetscFunctionBegin;
  PetscCall(PetscOptionsBool(opt, text, "", current, value, set));
  PetscCall(NdFlagRecord(PetscOptionsObject->prefix, opt));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscBool NdOptionIsFlag(const char name[])
{
  for (size_t i = 0; i < NdFlagCount; i++)
    if (!strcasecmp(NdFlagNames[i], name)) return PETSC_TRUE;
  return PETSC_FALSE;
}
