/* Counter-based random numbers (Random123 Philox4x32-10): every number is a pure function of
   (seed, stream, i, j) -- e.g. (neuron, synapse) or (row, column) -- so a run draws the same
   numbers on any number of ranks. The key is (seed folded to 32 bits, stream), the counter
   (i, j) as four 32-bit words. */
#ifndef NEURODYN_RNG_H
#define NEURODYN_RNG_H

#include <stdint.h>
#include <neurodyn/core.h>

/* The four raw 32-bit words of Philox4x32-10 for counter ctr[4] and key key[2] */
PETSC_EXTERN void NdPhilox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* Two independent uniforms in the open interval (0, 1), 53 bits each */
PETSC_EXTERN void NdRandomUniform2(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j, double u[2]);

/* Four uniforms in (0, 1) with 32 bits each (one per word): for draws that need no more, e.g. the
   inversion of a small Poisson mean */
PETSC_EXTERN void NdRandomUniform4(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j, double u[4]);

/* One uniform in (0, 1): the first of NdRandomUniform2 */
PETSC_EXTERN double NdRandomUniform(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j);

/* A standard normal number (Box-Muller on the two uniforms of the same counter) */
PETSC_EXTERN double NdRandomNormal(uint64_t seed, uint32_t stream, uint64_t i, uint64_t j);

/* k ~ Poisson(lambda) by inversion of one uniform u, for the small means of one time step;
   p0 = exp(-lambda), computed once by the caller */
static inline int64_t NdPoissonInversion(double lambda, double p0, double u)
{
  double  p = p0, cdf = p0;
  int64_t k = 0;
  while (u > cdf && p > 0) {
    k++;
    p *= lambda / (double)k;
    cdf += p;
  }
  return k;
}

#endif
