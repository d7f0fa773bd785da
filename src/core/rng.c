/* Counter-based random numbers on Random123's Philox4x32-10 (header-only). The key is
   (seed, stream), the counter (i, j): no state, so the numbers do not depend on the rank layout. */
#include <math.h>
#include <Random123/philox.h>
#include <neurodyn/rng.h>

void NdPhilox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
  philox4x32_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
  philox4x32_key_t k = {{key[0], key[1]}};
  philox4x32_ctr_t r = philox4x32(c, k);

  for (int i = 0; i < 4; i++) out[i] = r.v[i];
}

/* 53 random bits mapped to the centre of one of 2^53 equal cells of (0, 1): never 0 or 1 */
static double NdUnitFromBits(uint32_t hi, uint32_t lo)
{
  uint64_t bits = (((uint64_t)hi << 32) | lo) >> 11;

  return ((double)bits + 0.5) * 0x1.0p-53;
}

void NdRandomUniform2(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j, double u[2])
{
  const uint32_t ctr[4] = {(uint32_t)i, (uint32_t)(i >> 32), (uint32_t)j, (uint32_t)(j >> 32)};
  const uint32_t key[2] = {(uint32_t)seed ^ (uint32_t)(seed >> 32), stream};
  uint32_t       r[4];

  NdPhilox4x32(ctr, key, r);
  u[0] = NdUnitFromBits(r[0], r[1]);
  u[1] = NdUnitFromBits(r[2], r[3]);
}

void NdRandomUniform4(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j, double u[4])
{
  const uint32_t ctr[4] = {(uint32_t)i, (uint32_t)(i >> 32), (uint32_t)j, (uint32_t)(j >> 32)};
  const uint32_t key[2] = {(uint32_t)seed ^ (uint32_t)(seed >> 32), stream};
  uint32_t       r[4];

  NdPhilox4x32(ctr, key, r);
  for (int k = 0; k < 4; k++) u[k] = ((double)r[k] + 0.5) * (1.0 / 4294967296.0); /* (0, 1), 32 bits */
}

double NdRandomUniform(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j)
{
  double u[2];

  NdRandomUniform2(seed, stream, i, j, u);
  return u[0];
}

double NdRandomNormal(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j)
{
  double u[2];

  NdRandomUniform2(seed, stream, i, j, u);
  return sqrt(-2.0 * log(u[0])) * cos(2.0 * PETSC_PI * u[1]);
}
