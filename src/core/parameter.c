/* Named parameters with units and valid ranges (see include/neurodyn/private/parameterimpl.h). */
#include <neurodyn/private/parameterimpl.h>

PetscErrorCode NdParameterAdd(PetscInt *n, NdParameter **params, const char name[], PetscReal value, const char unit[],
                              PetscReal lower, PetscBool lower_open, PetscReal upper, PetscBool upper_open,
                              const char description[])
{
  NdParameter *p;

  PetscFunctionBegin;
  PetscCall(PetscRealloc(sizeof(NdParameter) * (size_t)(*n + 1), params));
  p = &(*params)[(*n)++];
  PetscCall(PetscMemzero(p, sizeof(*p)));
  PetscCall(PetscStrncpy(p->name, name, sizeof(p->name)));
  PetscCall(PetscStrncpy(p->unit, unit, sizeof(p->unit)));
  PetscCall(PetscStrncpy(p->description, description, sizeof(p->description)));
  p->value = p->default_value = value;
  p->lower                    = lower;
  p->upper                    = upper;
  p->lower_open               = lower_open;
  p->upper_open               = upper_open;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdRangeString(PetscReal lower, PetscBool lower_open, PetscReal upper, PetscBool upper_open, char out[],
                             size_t len)
{
  PetscFunctionBegin;
  if (lower <= PETSC_MIN_REAL && upper >= PETSC_MAX_REAL)
    PetscCall(PetscSNPrintf(out, len, "any"));
  else if (upper >= PETSC_MAX_REAL)
    PetscCall(PetscSNPrintf(out, len, "%s %g", lower_open ? ">" : ">=", (double)lower));
  else if (lower <= PETSC_MIN_REAL)
    PetscCall(PetscSNPrintf(out, len, "%s %g", upper_open ? "<" : "<=", (double)upper));
  else
    PetscCall(PetscSNPrintf(out, len, "%s%g, %g%s", lower_open ? "(" : "[", (double)lower, (double)upper,
                            upper_open ? ")" : "]"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdParameterRangeString(const NdParameter *p, char out[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(NdRangeString(p->lower, p->lower_open, p->upper, p->upper_open, out, len));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscBool NdParameterInRange(const NdParameter *p, PetscReal value)
{
  return (PetscBool)(!PetscIsNanReal(value) && (p->lower_open ? value > p->lower : value >= p->lower) &&
                     (p->upper_open ? value < p->upper : value <= p->upper));
}

PetscErrorCode NdParameterCheck(MPI_Comm comm, const NdParameter *p, PetscReal value, const char owner[],
                                const char option[])
{
  char range[64];

  PetscFunctionBegin;
  PetscCheck(!p->integer || value == PetscFloorReal(value), comm, PETSC_ERR_USER_INPUT,
             "%s must be an integer (got %g): parameter %s of %s", option, (double)value, p->name, owner);
  if (NdParameterInRange(p, value)) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdParameterRangeString(p, range, sizeof(range)));
  SETERRQ(comm, PETSC_ERR_USER_INPUT, "parameter %s = %g of %s is out of range: it must be %s (set with %s)", p->name,
          (double)value, owner, range, option);
}
