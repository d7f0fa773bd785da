/* Units given relative to a system's time unit: "T" (time), "1/T" (rate), "rad/T" (angular
   frequency), resolved when the time unit is known (-sys_time_unit; "1" is dimensionless). */
#include <neurodyn/core.h>

void NdUnitResolve(const char declared[], const char time_unit[], char out[], size_t len)
{
  const PetscBool dimensionless = (PetscBool)!strcmp(time_unit, "1");

  if (!strcmp(declared, "T"))
    snprintf(out, len, "%s", time_unit);
  else if (!strcmp(declared, "1/T"))
    snprintf(out, len, dimensionless ? "1" : "1/%s", time_unit);
  else if (!strcmp(declared, "rad/T"))
    snprintf(out, len, dimensionless ? "rad" : "rad/%s", time_unit);
  else
    snprintf(out, len, "%s", declared);
}
