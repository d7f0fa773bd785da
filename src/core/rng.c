/* Counter-based random numbers: Random123's Philox4x32-10 (see include/neurodyn/rng.h). */
#include <Random123/philox.h>
#include <neurodyn/rng.h>

void NdPhilox(PetscInt64 seed, PetscInt64 stream, PetscInt64 i, PetscInt64 j, unsigned int out[4])
{
  philox4x32_key_t key = {{(uint32_t)seed ^ (uint32_t)((uint64_t)seed >> 32), (uint32_t)stream}};
  philox4x32_ctr_t ctr = {{(uint32_t)i, (uint32_t)((uint64_t)i >> 32), (uint32_t)j, (uint32_t)((uint64_t)j >> 32)}};
  philox4x32_ctr_t r   = philox4x32(ctr, key);

  for (int k = 0; k < 4; k++) out[k] = r.v[k];
}

/* (w + 0.5) / 2^32: never 0 or 1 */
static inline PetscReal NdWordToUniform(unsigned int w)
{
  return ((PetscReal)w + 0.5) / 4294967296.0;
}

PetscReal NdRandomUniform(PetscInt64 seed, PetscInt64 stream, PetscInt64 i, PetscInt64 j)
{
  unsigned int w[4];

  NdPhilox(seed, stream, i, j, w);
  return NdWordToUniform(w[0]);
}

PetscReal NdRandomNormal(PetscInt64 seed, PetscInt64 stream, PetscInt64 i, PetscInt64 j)
{
  unsigned int w[4];
  PetscReal    u1, u2;

  NdPhilox(seed, stream, i, j, w);
  u1 = NdWordToUniform(w[0]);
  u2 = NdWordToUniform(w[1]);
  return PetscSqrtReal(-2.0 * PetscLogReal(u1)) * PetscCosReal(2.0 * PETSC_PI * u2);
}
