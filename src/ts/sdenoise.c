/* The noise of an SDE TS: diffusion amplitudes attached to the TS (independent of its type, so
   -ts_type may be set after NdTSSetDiffusion) and counter-based Wiener increments. */
#include <petsc/private/tsimpl.h>
#include <neurodyn/sde.h>
#include <neurodyn/rng.h>

typedef struct {
  NdTSDiffusionFn fn;
  void           *ctx;
  uint64_t        seed;
} NdTSNoise;

static PetscErrorCode NdTSGetNoise(TS ts, NdTSNoise **noise)
{
  PetscContainer container;

  PetscFunctionBegin;
  PetscCall(PetscObjectQuery((PetscObject)ts, "NdTSNoise", (PetscObject *)&container));
  PetscCheck(container, PetscObjectComm((PetscObject)ts), PETSC_ERR_ARG_WRONGSTATE,
             "TS type %s integrates SDEs but no diffusion was attached (NdTSSetDiffusion)",
             ((PetscObject)ts)->type_name);
  PetscCall(PetscContainerGetPointer(container, (void **)noise));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Attach the diffusion g(t, X; ctx) and the seed of the Wiener increments */
PetscErrorCode NdTSSetDiffusion(TS ts, NdTSDiffusionFn fn, void *ctx, uint64_t seed)
{
  PetscContainer container;
  NdTSNoise     *noise;

  PetscFunctionBegin;
  PetscCall(PetscNew(&noise));
  noise->fn   = fn;
  noise->ctx  = ctx;
  noise->seed = seed;
  PetscCall(PetscContainerCreate(PetscObjectComm((PetscObject)ts), &container));
  PetscCall(PetscContainerSetPointer(container, noise));
  PetscCall(PetscContainerSetUserDestroy(container, PetscContainerUserDestroyDefault));
  PetscCall(PetscObjectCompose((PetscObject)ts, "NdTSNoise", (PetscObject)container));
  PetscCall(PetscContainerDestroy(&container));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdTSComputeDiffusion(TS ts, PetscReal t, Vec X, Vec G)
{
  NdTSNoise *noise;

  PetscFunctionBegin;
  PetscCall(NdTSGetNoise(ts, &noise));
  PetscCall((*noise->fn)(ts, t, X, G, noise->ctx));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* dW_j = sqrt(dt) N(0,1), the normal keyed by (seed, SDE stream) at counter (step number, global j) */
PetscErrorCode NdTSComputeWienerIncrement(TS ts, Vec dW)
{
  NdTSNoise   *noise;
  PetscScalar *w;
  PetscInt     lo, hi;
  PetscReal    sqdt;

  PetscFunctionBegin;
  PetscCall(NdTSGetNoise(ts, &noise));
  sqdt = PetscSqrtReal(ts->time_step);
  PetscCall(VecGetOwnershipRange(dW, &lo, &hi));
  PetscCall(VecGetArray(dW, &w));
  for (PetscInt j = lo; j < hi; j++)
    w[j - lo] = sqdt * NdRandomNormal(noise->seed, ND_RNG_STREAM_SDE, (uint64_t)ts->steps, (uint64_t)j);
  PetscCall(VecRestoreArray(dW, &w));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdTSIsSDE(TS ts, PetscBool *sde)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompareAny((PetscObject)ts, sde, NDTSEM, NDTSHEUN, ""));
  PetscFunctionReturn(PETSC_SUCCESS);
}
