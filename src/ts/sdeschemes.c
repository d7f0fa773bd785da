/* Fixed-step SDE schemes as TS types, for dX = f dt + g dW with diagonal noise (sde.h):

     nd_em    X' = X + f(t, X) h + g(t, X) dW                              (Euler-Maruyama)
     nd_heun  P  = X + f(t, X) h + g(t, X) dW
              X' = X + (f(t, X) + f(t + h, P)) h/2 + g(t, X) dW         (Heun, Ito form)

   Both are Ito-consistent (g at the step start). For additive noise nd_heun has strong order 1
   and weak order 2; for state-dependent g both have strong order 1/2 and weak order 1. */
#include <petsc/private/tsimpl.h>
#include <neurodyn/sde.h>

typedef struct {
  PetscBool heun;
  Vec       f0, f1, g, dW, predictor;
} NdTS_SDE;

static PetscErrorCode TSStep_NdSDE(TS ts)
{
  NdTS_SDE *sde = (NdTS_SDE *)ts->data;
  Vec       X   = ts->vec_sol;
  PetscReal t = ts->ptime, h = ts->time_step;

  PetscFunctionBegin;
  PetscCall(TSPreStage(ts, t));
  PetscCall(TSComputeRHSFunction(ts, t, X, sde->f0));
  PetscCall(NdTSComputeDiffusion(ts, t, X, sde->g));
  PetscCall(NdTSComputeWienerIncrement(ts, sde->dW));
  PetscCall(VecPointwiseMult(sde->dW, sde->dW, sde->g)); /* dW := g dW */
  PetscCall(VecWAXPY(sde->predictor, h, sde->f0, X));
  PetscCall(VecAXPY(sde->predictor, 1.0, sde->dW));
  if (sde->heun) {
    PetscCall(TSPostStage(ts, t, 0, &sde->predictor));
    PetscCall(TSPreStage(ts, t + h));
    PetscCall(TSComputeRHSFunction(ts, t + h, sde->predictor, sde->f1));
    PetscCall(VecAXPBYPCZ(X, 0.5 * h, 0.5 * h, 1.0, sde->f0, sde->f1));
    PetscCall(VecAXPY(X, 1.0, sde->dW));
    PetscCall(TSPostStage(ts, t + h, 1, &X));
  } else {
    PetscCall(VecCopy(sde->predictor, X));
    PetscCall(TSPostStage(ts, t, 0, &X));
  }
  ts->ptime += h;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSSetUp_NdSDE(TS ts)
{
  NdTS_SDE *sde = (NdTS_SDE *)ts->data;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(ts->vec_sol, &sde->f0));
  PetscCall(VecDuplicate(ts->vec_sol, &sde->f1));
  PetscCall(VecDuplicate(ts->vec_sol, &sde->g));
  PetscCall(VecDuplicate(ts->vec_sol, &sde->dW));
  PetscCall(VecDuplicate(ts->vec_sol, &sde->predictor));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSReset_NdSDE(TS ts)
{
  NdTS_SDE *sde = (NdTS_SDE *)ts->data;

  PetscFunctionBegin;
  PetscCall(VecDestroy(&sde->f0));
  PetscCall(VecDestroy(&sde->f1));
  PetscCall(VecDestroy(&sde->g));
  PetscCall(VecDestroy(&sde->dW));
  PetscCall(VecDestroy(&sde->predictor));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSDestroy_NdSDE(TS ts)
{
  PetscFunctionBegin;
  PetscCall(TSReset_NdSDE(ts));
  PetscCall(PetscFree(ts->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSView_NdSDE(TS ts, PetscViewer viewer)
{
  NdTS_SDE *sde = (NdTS_SDE *)ts->data;
  PetscBool ascii;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &ascii));
  if (ascii)
    PetscCall(PetscViewerASCIIPrintf(viewer, "  SDE scheme: %s, fixed step, counter-based Wiener increments\n",
                                     sde->heun ? "Heun predictor-corrector (Ito)" : "Euler-Maruyama"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSCreate_NdSDE(TS ts, PetscBool heun)
{
  NdTS_SDE *sde;

  PetscFunctionBegin;
  PetscCall(PetscNew(&sde));
  sde->heun              = heun;
  ts->data               = sde;
  ts->ops->step          = TSStep_NdSDE;
  ts->ops->setup         = TSSetUp_NdSDE;
  ts->ops->reset         = TSReset_NdSDE;
  ts->ops->destroy       = TSDestroy_NdSDE;
  ts->ops->view          = TSView_NdSDE;
  ts->usessnes           = PETSC_FALSE;
  ts->default_adapt_type = TSADAPTNONE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSCreate_NdEM(TS ts)
{
  PetscFunctionBegin;
  PetscCall(TSCreate_NdSDE(ts, PETSC_FALSE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSCreate_NdHeun(TS ts)
{
  PetscFunctionBegin;
  PetscCall(TSCreate_NdSDE(ts, PETSC_TRUE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdTSRegisterSDE(void)
{
  PetscFunctionBegin;
  PetscCall(TSRegister(NDTSEM, TSCreate_NdEM));
  PetscCall(TSRegister(NDTSHEUN, TSCreate_NdHeun));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscBool NdSDEPackageInitialized = PETSC_FALSE;

static PetscErrorCode NdSDEFinalizePackage(void)
{
  PetscFunctionBegin;
  NdSDEPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSDEInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdSDEPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdSDEPackageInitialized = PETSC_TRUE;
  PetscCall(NdCoreInitializePackage());
  PetscCall(NdTSRegisterSDE());
  PetscCall(PetscRegisterFinalize(NdSDEFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}
