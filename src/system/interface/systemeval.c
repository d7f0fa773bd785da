/* NdSystem evaluation: state vectors, RHS, Jacobian, parameter derivatives, and the PETSc TS set-up. */
#include <neurodyn/private/systemimpl.h>
#include <neurodyn/sde.h>

PetscErrorCode NdSystemCreateVector(NdSystem sys, Vec *x)
{
  PetscFunctionBegin;
  PetscCall(NdSystemSetUp(sys));
  PetscCall(VecCreate(PetscObjectComm((PetscObject)sys), x));
  PetscCall(VecSetSizes(*x, sys->nvar * sys->nnodes_local, sys->nvar * sys->nnodes));
  PetscCall(VecSetBlockSize(*x, sys->nvar));
  PetscCall(VecSetType(*x, VECSTANDARD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The defaults of the type, overridden by -init_<variable> */
PetscReal NdSystemGetInitialValue(NdSystem sys, PetscInt i)
{
  PetscReal value = sys->var[i].initial;

  for (PetscInt k = 0; k < sys->ninit; k++)
    if (!strcmp(sys->init[k].name, sys->var[i].name)) value = sys->init[k].value;
  return value;
}

PetscErrorCode NdSystemGetInitialState(NdSystem sys, Vec x)
{
  PetscScalar *xa;

  PetscFunctionBegin;
  PetscCall(NdSystemSetUp(sys));
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt i = 0; i < sys->nvar; i++) {
    PetscReal value = NdSystemGetInitialValue(sys, i);
    for (PetscInt n = 0; n < sys->nnodes_local; n++) xa[n * sys->nvar + i] = value;
  }
  PetscCall(VecRestoreArray(x, &xa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemComputeRHS(NdSystem sys, PetscReal t, Vec x, Vec f)
{
  PetscFunctionBegin;
  PetscCall((*sys->ops->rhs)(sys, t, x, f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The type's own matrix for coupled nodes; by default AIJ with the block-diagonal pattern of
   uncoupled nodes (nvar nonzeros per row) */
PetscErrorCode NdSystemCreateJacobianMatrix(NdSystem sys, Mat *J)
{
  PetscInt n;

  PetscFunctionBegin;
  PetscCall(NdSystemSetUp(sys));
  if (sys->ops->createjacobian) {
    PetscCall((*sys->ops->createjacobian)(sys, J));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  n = sys->nvar * sys->nnodes_local;
  PetscCall(MatCreate(PetscObjectComm((PetscObject)sys), J));
  PetscCall(MatSetSizes(*J, n, n, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetType(*J, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*J, sys->nvar, NULL));
  PetscCall(MatMPIAIJSetPreallocation(*J, sys->nvar, NULL, 0, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemComputeJacobian(NdSystem sys, PetscReal t, Vec x, Mat J)
{
  PetscFunctionBegin;
  PetscCheck(sys->ops->jacobian, PetscObjectComm((PetscObject)sys), PETSC_ERR_SUP,
             "system '%s' has no analytic Jacobian", ((PetscObject)sys)->type_name);
  PetscCall((*sys->ops->jacobian)(sys, t, x, J));
  if (!sys->ops->createjacobian) { /* a variable without self-dependence leaves a hole that ILU and LU reject */
    PetscBool missing, anymissing;
    PetscCall(MatMissingDiagonal(J, &missing, NULL)); /* of this rank's rows */
    PetscCall(MPIU_Allreduce(&missing, &anymissing, 1, MPIU_BOOL, MPI_LOR, PetscObjectComm((PetscObject)J)));
    if (anymissing) { /* once: then the pattern holds the diagonal */
      Vec zero;
      PetscCall(MatSetOption(J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
      PetscCall(MatCreateVecs(J, &zero, NULL));
      PetscCall(MatDiagonalSet(J, zero, ADD_VALUES));
      PetscCall(VecDestroy(&zero));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* dF/dp for parameter index p */
PetscErrorCode NdSystemComputeParameterDerivative(NdSystem sys, PetscReal t, Vec x, PetscInt p, Vec dfdp)
{
  PetscFunctionBegin;
  PetscCheck(p >= 0 && p < sys->nparam, PetscObjectComm((PetscObject)sys), PETSC_ERR_ARG_OUTOFRANGE,
             "parameter index %" PetscInt_FMT " out of range [0, %" PetscInt_FMT ")", p, sys->nparam);
  PetscCheck(sys->ops->paramderiv, PetscObjectComm((PetscObject)sys), PETSC_ERR_SUP,
             "system '%s' has no parameter derivatives", ((PetscObject)sys)->type_name);
  PetscCall((*sys->ops->paramderiv)(sys, t, x, p, dfdp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemHasNoise(NdSystem sys, PetscBool *noise)
{
  PetscFunctionBegin;
  *noise = (PetscBool)(sys->ops->diffusion != NULL);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdSystemComputeDiffusion(NdSystem sys, PetscReal t, Vec x, Vec g)
{
  PetscFunctionBegin;
  PetscCheck(sys->ops->diffusion, PetscObjectComm((PetscObject)sys), PETSC_ERR_SUP, "system '%s' has no noise",
             ((PetscObject)sys)->type_name);
  PetscCall((*sys->ops->diffusion)(sys, t, x, g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemTSDiffusion(TS ts, PetscReal t, Vec x, Vec g, void *ctx)
{
  PetscFunctionBegin;
  (void)ts;
  PetscCall(NdSystemComputeDiffusion((NdSystem)ctx, t, x, g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A stochastic system needs an SDE scheme, with a step it is stable at, and an SDE scheme a
   stochastic system */
PetscErrorCode NdSystemCheckTS(NdSystem sys, TS ts)
{
  PetscBool sde;
  PetscReal dt, dtmax;

  PetscFunctionBegin;
  PetscCall(NdTSIsSDE(ts, &sde));
  PetscCheck(!sys->ops->diffusion || sde, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "system '%s' is stochastic: -ts_type must be an SDE scheme (%s or %s), not %s",
             ((PetscObject)sys)->type_name, NDTSEM, NDTSHEUN, ((PetscObject)ts)->type_name);
  PetscCheck(sys->ops->diffusion || !sde, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "-ts_type %s integrates stochastic systems; system '%s' has no noise (use an ODE scheme, e.g. rk)",
             ((PetscObject)ts)->type_name, ((PetscObject)sys)->type_name);
  if (sde && sys->ops->maxstep) {
    PetscCall(TSGetTimeStep(ts, &dt));
    PetscCall((*sys->ops->maxstep)(sys, &dtmax));
    PetscCheck(dt <= dtmax, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
               "-ts_dt %g is beyond the stability limit %g of %s for system '%s' (its fastest noise filter): "
               "use a smaller -ts_dt",
               (double)dt, (double)dtmax, ((PetscObject)ts)->type_name, ((PetscObject)sys)->type_name);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemTSRHSFunction(TS ts, PetscReal t, Vec x, Vec f, void *ctx)
{
  PetscFunctionBegin;
  (void)ts;
  PetscCall(NdSystemComputeRHS((NdSystem)ctx, t, x, f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemTSRHSJacobian(TS ts, PetscReal t, Vec x, Mat A, Mat P, void *ctx)
{
  PetscFunctionBegin;
  (void)ts;
  PetscCall(NdSystemComputeJacobian((NdSystem)ctx, t, x, P));
  if (A != P) {
    PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A TS for the system: RHS and analytic Jacobian attached; defaults (all overridable with -ts_*):
   adaptive Dormand-Prince RK 5(4), rtol = atol = 1e-8, and steps that land on the sampling times.
   A stochastic system gets its diffusion and -sys_seed attached and the fixed-step SDE scheme
   nd_heun (sde.h) with dt = 1e-3. */
PetscErrorCode NdSystemCreateTS(NdSystem sys, TS *ts)
{
  Mat J;

  PetscFunctionBegin;
  PetscCall(NdSystemSetUp(sys));
  PetscCall(TSCreate(PetscObjectComm((PetscObject)sys), ts));
  PetscCall(TSSetProblemType(*ts, TS_NONLINEAR));
  PetscCall(TSSetType(*ts, TSRK));
  PetscCall(TSRKSetType(*ts, TSRK5DP));
  PetscCall(TSSetRHSFunction(*ts, NULL, NdSystemTSRHSFunction, sys));
  if (sys->ops->jacobian) {
    PetscCall(NdSystemCreateJacobianMatrix(sys, &J));
    PetscCall(TSSetRHSJacobian(*ts, J, J, NdSystemTSRHSJacobian, sys));
    PetscCall(MatDestroy(&J));
  }
  PetscCall(TSSetTolerances(*ts, 1e-8, NULL, 1e-8, NULL));
  PetscCall(TSSetTimeStep(*ts, 1e-3));
  PetscCall(TSSetExactFinalTime(*ts, TS_EXACTFINALTIME_MATCHSTEP));
  if (sys->ops->diffusion) {
    PetscCall(NdTSSetDiffusion(*ts, NdSystemTSDiffusion, sys, (uint64_t)sys->seed));
    PetscCall(TSSetType(*ts, NDTSHEUN));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
