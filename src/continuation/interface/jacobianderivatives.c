/* Second derivatives of a system's equations, for the defining systems of fold and Hopf curves:
   central differences of the analytic Jacobian along a direction of the state and in a
   parameter. */
#include <neurodyn/private/continuationimpl.h>

/* D = (J(x + e q) - J(x - e q)) / 2e, i.e. d/dx (J(x) v) applied as D v = (d/dx J q) v by the
   symmetry of second derivatives; work and scratch are workspace like x and D */
PetscErrorCode NdJacobianDirectionalDerivative(NdSystem sys, Vec x, Vec q, Vec work, Mat scratch, Mat D)
{
  PetscReal qn, xn, e;

  PetscFunctionBegin;
  PetscCall(VecNorm(q, NORM_2, &qn));
  PetscCall(VecNorm(x, NORM_INFINITY, &xn));
  e = 1e-5 * (1.0 + xn) / qn;
  PetscCall(VecWAXPY(work, e, q, x));
  PetscCall(NdSystemComputeJacobian(sys, 0.0, work, D));
  PetscCall(VecWAXPY(work, -e, q, x));
  PetscCall(NdSystemComputeJacobian(sys, 0.0, work, scratch));
  PetscCall(MatAXPY(D, -1.0, scratch, SAME_NONZERO_PATTERN));
  PetscCall(MatScale(D, 1.0 / (2 * e)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* D = dJ/dp at x for parameter index ip (the parameter is restored after) */
PetscErrorCode NdJacobianParameterDerivative(NdSystem sys, Vec x, PetscInt ip, Mat scratch, Mat D)
{
  PetscReal p, e;

  PetscFunctionBegin;
  PetscCall(NdSystemGetParameterValue(sys, ip, &p));
  e = 1e-5 * (1.0 + PetscAbsReal(p));
  PetscCall(NdSystemSetParameterValue(sys, ip, p + e));
  PetscCall(NdSystemComputeJacobian(sys, 0.0, x, D));
  PetscCall(NdSystemSetParameterValue(sys, ip, p - e));
  PetscCall(NdSystemComputeJacobian(sys, 0.0, x, scratch));
  PetscCall(NdSystemSetParameterValue(sys, ip, p));
  PetscCall(MatAXPY(D, -1.0, scratch, SAME_NONZERO_PATTERN));
  PetscCall(MatScale(D, 1.0 / (2 * e)));
  PetscFunctionReturn(PETSC_SUCCESS);
}
