/* Unit test: Philox4x32-10 against Random123's published known-answer vectors (exact), and the
   uniform and normal numbers' first two moments over 10^6 counters (5 standard errors), and the
   dependence on (seed, stream, i, j). */
#include <math.h>
#include <stdio.h>
#include <neurodyn/rng.h>

static int failures = 0;

static void Expect(int ok, const char *what)
{
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

int main(void)
{
  /* Random123 kat_vectors: philox4x32 10 (counter, key, expected output) */
  const uint32_t ctr[3][4] = {
      {0, 0, 0, 0}, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}};
  const uint32_t key[3][2]    = {{0, 0}, {0xffffffff, 0xffffffff}, {0xa4093822, 0x299f31d0}};
  const uint32_t expect[3][4] = {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                                 {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                                 {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}};
  const int      n            = 1000000;
  double         su = 0, suu = 0, sz = 0, szz = 0, umin = 1, umax = 0;

  for (int k = 0; k < 3; k++) {
    uint32_t out[4];
    char     what[64];
    NdPhilox4x32(ctr[k], key[k], out);
    snprintf(what, sizeof(what), "Philox4x32-10 known-answer vector %d", k);
    Expect(out[0] == expect[k][0] && out[1] == expect[k][1] && out[2] == expect[k][2] && out[3] == expect[k][3], what);
  }
  for (int i = 0; i < n; i++) {
    double u[2], z = NdRandomNormal(7, 3, (uint64_t)i, 5);
    NdRandomUniform2(7, 1, (uint64_t)i, 0, u);
    su += u[0];
    suu += u[0] * u[0];
    umin = fmin(umin, fmin(u[0], u[1]));
    umax = fmax(umax, fmax(u[0], u[1]));
    sz += z;
    szz += z * z;
  }
  Expect(fabs(su / n - 0.5) < 5 * sqrt(1.0 / 12 / n), "uniform mean 1/2");
  Expect(fabs(suu / n - 1.0 / 3) < 5 * sqrt(4.0 / 45 / n), "uniform second moment 1/3");
  Expect(umin > 0 && umax < 1, "uniforms in the open interval (0, 1)");
  Expect(fabs(sz / n) < 5 / sqrt((double)n), "normal mean 0");
  Expect(fabs(szz / n - 1) < 5 * sqrt(2.0 / n), "normal variance 1");
  Expect(NdRandomNormal(7, 3, 12345, 2) == NdRandomNormal(7, 3, 12345, 2) &&
             NdRandomNormal(7, 3, 1, 2) != NdRandomNormal(8, 3, 1, 2) &&
             NdRandomNormal(7, 3, 1, 2) != NdRandomNormal(7, 4, 1, 2) &&
             NdRandomNormal(7, 3, 1, 2) != NdRandomNormal(7, 3, 2, 1) &&
             NdRandomUniform(7, 1, 9, 0) == NdRandomUniform(7, 1, 9, 0),
         "a number depends on (seed, stream, i, j) only, and on each of them");
  return failures ? 1 : 0;
}
