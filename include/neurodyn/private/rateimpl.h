/* The rate network system type (src/system/impls/rate/): its connectivity options and builders. */
#ifndef NEURODYN_RATEIMPL_H
#define NEURODYN_RATEIMPL_H

#include <neurodyn/private/systemimpl.h>

typedef enum { ND_RATE_GAUSSIAN, ND_RATE_SPARSE, ND_RATE_EI, ND_RATE_LOWRANK, ND_RATE_FILE } NdRateConnectivity;

typedef enum { ND_PHI_TANH, ND_PHI_SIGMOID, ND_PHI_RELU, ND_PHI_ERF, ND_PHI_LINEAR } NdRatePhi;

/* phi(x) */
static inline PetscReal NdPhi(NdRatePhi phi, PetscReal x)
{
  switch (phi) {
  case ND_PHI_TANH:
    return PetscTanhReal(x);
  case ND_PHI_SIGMOID:
    return 1.0 / (1.0 + PetscExpReal(-x));
  case ND_PHI_RELU:
    return x > 0 ? x : 0;
  case ND_PHI_LINEAR:
    return x;
  default:
    return erf(x);
  }
}

/* phi'(x); for relu the derivative at 0 is taken as 0 */
static inline PetscReal NdPhiPrime(NdRatePhi phi, PetscReal x)
{
  switch (phi) {
  case ND_PHI_TANH: {
    PetscReal t = PetscTanhReal(x);
    return 1.0 - t * t;
  }
  case ND_PHI_SIGMOID: {
    PetscReal s = 1.0 / (1.0 + PetscExpReal(-x));
    return s * (1.0 - s);
  }
  case ND_PHI_RELU:
    return x > 0 ? 1.0 : 0.0;
  case ND_PHI_LINEAR:
    return 1.0;
  default:
    return 2.0 / PetscSqrtReal(PETSC_PI) * PetscExpReal(-x * x);
  }
}

/* Phi(x) = int_0^x phi for the odd phi the mean-field theory takes (tanh, erf, linear; dmft.c) */
static inline PetscReal NdPhiIntegral(NdRatePhi phi, PetscReal x)
{
  PetscReal ax = PetscAbsReal(x);

  if (phi == ND_PHI_TANH) return ax + log1p(PetscExpReal(-2 * ax)) - 0.69314718055994530942; /* log cosh */
  if (phi == ND_PHI_LINEAR) return 0.5 * x * x;
  return x * erf(x) + (PetscExpReal(-x * x) - 1) / PetscSqrtReal(PETSC_PI);
}

/* The dynamic mean-field theory of the network with J_ij i.i.d. of variance g^2/N, an odd phi and
   white noise sigma (dmft.c): the variance Delta0 of x, a = <phi'(x)>, and S_x(omega) at the given
   frequencies */
PETSC_EXTERN PetscErrorCode NdRateDMFT(NdRatePhi, PetscReal, PetscReal, PetscInt, const PetscReal[], PetscReal *,
                                       PetscReal *, PetscReal[]);

/* How the unit-gain connectivity J0 (J = g J0) is made: docs/models/rate.md */
typedef struct {
  NdRateConnectivity type;
  PetscInt           N;                        /* number of neurons (0: from the file) */
  PetscInt           K;                        /* inputs per neuron (sparse, ei) */
  PetscInt64         seed;                     /* Philox key */
  PetscReal          fE;                       /* fraction of excitatory neurons (ei) */
  PetscReal          m;                        /* strength of the rank-one part (lowrank) */
  PetscReal          mean;                     /* row sum added to the K weights (sparse, ei): an outlier */
  char               file[PETSC_MAX_PATH_LEN]; /* file.h5:/path (file) */
} NdRateConnectivitySpec;

/* J0 as an MPIAIJ matrix distributed by rows (PetscSplitOwnership of N), always holding its
   diagonal (explicit zeros if need be) so that -1 + g J0 D has the pattern of J0. */
PETSC_EXTERN PetscErrorCode NdRateBuildConnectivity(MPI_Comm, const NdRateConnectivitySpec *, Mat *);
#endif
