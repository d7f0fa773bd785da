/* Stochastic differential equations dX = f(t, X) dt + g(t, X) dW with diagonal noise (each
   component its own Wiener process) as PETSc TS types. The drift f is the TS's RHS function; the
   diffusion amplitudes g are attached with NdTSSetDiffusion. Wiener increments come from the
   counter-based RNG (rng.h): component j of step n draws NdRandomNormal(seed, stream, n, j) with
   j the global index, so a run is bitwise identical on any number of ranks. */
#ifndef NEURODYN_SDE_H
#define NEURODYN_SDE_H

#include <stdint.h>
#include <petscts.h>
#include <neurodyn/core.h>

#define NDTSEM "nd_em" /* Euler-Maruyama: strong order 1/2, weak order 1 */
#define NDTSHEUN                                                                                                       \
  "nd_heun" /* predictor-corrector Heun, noise at the step start: Ito; strong order 1 for additive noise */

/* The RNG stream of SDE noise (the seed distinguishes runs) */
#define ND_RNG_STREAM_SDE 0x5DE0u

/* Diffusion amplitudes G (same layout as X) at (t, X) */
typedef PetscErrorCode (*NdTSDiffusionFn)(TS, PetscReal, Vec, Vec, void *);

PETSC_EXTERN PetscErrorCode NdTSRegisterSDE(void);
/* The SDE component: its TS types in PETSc's list (registered again after a re-initialisation,
   as PETSc's TSFinalizePackage empties that list); idempotent */
PETSC_EXTERN PetscErrorCode NdSDEInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdTSSetDiffusion(TS, NdTSDiffusionFn, void *, uint64_t);
PETSC_EXTERN PetscErrorCode NdTSIsSDE(TS, PetscBool *);
/* The Wiener increments dW_j ~ N(0, dt) of the TS's current step (dt = its current step size) */
PETSC_EXTERN PetscErrorCode NdTSComputeWienerIncrement(TS, Vec);
PETSC_EXTERN PetscErrorCode NdTSComputeDiffusion(TS, PetscReal, Vec, Vec);

#endif
