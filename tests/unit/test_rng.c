/* Unit test: Philox4x32-10 against Random123's known-answer vectors (exact), and the
   uniform and normal draws against their moments over 10^5 counters (tolerance 5 standard errors). */
#include <neurodyn/neurodyn.h>
#include <neurodyn/rng.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what)
{
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

static PetscBool Same(const unsigned int a[4], const unsigned int b[4])
{
  return (PetscBool)(a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3]);
}

int main(int argc, char **argv)
{
  const unsigned int zero[4] = {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
  const unsigned int pi[4]   = {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u};
  unsigned int       w[4];
  const PetscInt     n  = 100000;
  PetscReal          su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  NdPhilox(0, 0, 0, 0, w);
  Expect(Same(w, zero), "Philox4x32-10 known answer, counter and key 0");
  /* counter (243f6a88 85a308d3 13198a2e 03707344), key (a4093822 299f31d0) */
  NdPhilox(0xa4093822LL, 0x299f31d0LL, (PetscInt64)0x85a308d3243f6a88ULL, (PetscInt64)0x0370734413198a2eULL, w);
  Expect(Same(w, pi), "Philox4x32-10 known answer, digits of pi");
  for (PetscInt i = 0; i < n; i++) {
    PetscReal u = NdRandomUniform(7, 1, i, 3), z = NdRandomNormal(7, 2, i, 3);
    su += u;
    su2 += u * u;
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
  }
  su /= n;
  su2 /= n;
  sn /= n;
  sn2 /= n;
  sn4 /= n;
  Expect((PetscBool)(PetscAbsReal(su - 0.5) < 5 * PetscSqrtReal(1.0 / 12 / n)), "uniform mean 1/2");
  Expect((PetscBool)(PetscAbsReal(su2 - 1.0 / 3) < 5 * PetscSqrtReal(4.0 / 45 / n)), "uniform second moment 1/3");
  Expect((PetscBool)(PetscAbsReal(sn) < 5 * PetscSqrtReal(1.0 / n)), "normal mean 0");
  Expect((PetscBool)(PetscAbsReal(sn2 - 1) < 5 * PetscSqrtReal(2.0 / n)), "normal variance 1");
  Expect((PetscBool)(PetscAbsReal(sn4 - 3) < 5 * PetscSqrtReal(96.0 / n)), "normal fourth moment 3");
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
