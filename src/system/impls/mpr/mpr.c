/* mpr: the exact mean field of a population of QIF neurons with Lorentzian heterogeneity
   (Montbrio, Pazo, Roxin, PRX 5:021028, 2015; docs/models/mpr.md), optionally with first-order
   synaptic kinetics (Devalle et al. 2017):

     tau dr/dt   = Delta/(pi tau) + 2 r v
     tau dv/dt   = v^2 + eta + J tau S - (pi tau r)^2 + I(t)
     tau_s ds/dt = -s + r              (only when tau_s > 0; then S = s, else S = r)

   State per node: (r, v) or (r, v, s). */
#include <neurodyn/private/systemimpl.h>

enum { MPR_ETA, MPR_J, MPR_DELTA, MPR_TAU, MPR_TAU_S, MPR_NPARAM };
enum { MPR_R, MPR_V, MPR_S };

typedef struct {
  PetscReal eta, J, Delta, tau, tau_s;
  PetscBool synapse; /* tau_s > 0: s is a state variable */
} MPRParams;

static inline MPRParams MPRGetParams(NdSystem sys)
{
  const NdParameter *p = sys->param;
  MPRParams          m = {p[MPR_ETA].value, p[MPR_J].value,     p[MPR_DELTA].value,
                          p[MPR_TAU].value, p[MPR_TAU_S].value, (PetscBool)(p[MPR_TAU_S].value > 0)};
  return m;
}

static PetscErrorCode NdSystemSetVariables_MPR(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemAddVariable(sys, "r", "1/T", 0.1, "population firing rate"));
  PetscCall(NdSystemSetVariableRange(sys, sys->nvar - 1, 0, PETSC_MAX_REAL));
  PetscCall(NdSystemAddVariable(sys, "v", "1", -2.0, "mean membrane potential"));
  if (MPRGetParams(sys).synapse)
    PetscCall(NdSystemAddVariable(sys, "s", "1/T", 0.1, "synaptic activation (present when tau_s > 0)"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_MPR(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  const MPRParams    m = MPRGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *f;
  PetscReal          current;
  const PetscInt     nv = sys->nvar;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * nv;
    PetscScalar       *fn = f + n * nv;
    const PetscReal    r = xn[MPR_R], v = xn[MPR_V], S = m.synapse ? xn[MPR_S] : r;
    const PetscReal    pitr = PETSC_PI * m.tau * r;

    fn[MPR_R] = (m.Delta / (PETSC_PI * m.tau) + 2.0 * r * v) / m.tau;
    fn[MPR_V] = (v * v + m.eta + m.J * m.tau * S - pitr * pitr + current) / m.tau;
    if (m.synapse) fn[MPR_S] = (r - xn[MPR_S]) / m.tau_s;
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemJacobian_MPR(NdSystem sys, PetscReal t, Vec X, Mat Jac)
{
  const MPRParams    m = MPRGetParams(sys);
  const PetscScalar *x;
  const PetscInt     nv = sys->nvar;

  PetscFunctionBegin;
  (void)t;
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * nv;
    const PetscReal    r = xn[MPR_R], v = xn[MPR_V];
    const PetscInt     row0 = (sys->node_start + n) * nv;
    PetscInt           idx[3];
    PetscScalar        a[9] = {0};

    for (PetscInt i = 0; i < nv; i++) idx[i] = row0 + i;
    /* row r */
    a[0 * nv + MPR_R] = 2.0 * v / m.tau;
    a[0 * nv + MPR_V] = 2.0 * r / m.tau;
    /* row v */
    a[1 * nv + MPR_R] = (m.synapse ? 0.0 : m.J) - 2.0 * PETSC_PI * PETSC_PI * m.tau * r;
    a[1 * nv + MPR_V] = 2.0 * v / m.tau;
    if (m.synapse) {
      a[1 * nv + MPR_S] = m.J;
      a[2 * nv + MPR_R] = 1.0 / m.tau_s;
      a[2 * nv + MPR_S] = -1.0 / m.tau_s;
    }
    PetscCall(MatSetValues(Jac, nv, idx, nv, idx, a, INSERT_VALUES));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(MatAssemblyBegin(Jac, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(Jac, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemParameterDerivative_MPR(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  const MPRParams    m = MPRGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *d;
  PetscReal          current;
  const PetscInt     nv = sys->nvar;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(D, &d));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * nv;
    PetscScalar       *dn = d + n * nv;
    const PetscReal    r = xn[MPR_R], v = xn[MPR_V], S = m.synapse ? xn[MPR_S] : r;

    for (PetscInt i = 0; i < nv; i++) dn[i] = 0.0;
    switch (p) {
    case MPR_ETA:
      dn[MPR_V] = 1.0 / m.tau;
      break;
    case MPR_J:
      dn[MPR_V] = S;
      break;
    case MPR_DELTA:
      dn[MPR_R] = 1.0 / (PETSC_PI * m.tau * m.tau);
      break;
    case MPR_TAU:
      dn[MPR_R] = -2.0 * m.Delta / (PETSC_PI * m.tau * m.tau * m.tau) - 2.0 * r * v / (m.tau * m.tau);
      dn[MPR_V] = -(v * v + m.eta + current) / (m.tau * m.tau) - PETSC_PI * PETSC_PI * r * r;
      break;
    case MPR_TAU_S:
      if (m.synapse) dn[MPR_S] = -(r - xn[MPR_S]) / (m.tau_s * m.tau_s);
      break;
    }
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(D, &d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_MPR(NdSystem sys, PetscViewer viewer)
{
  PetscFunctionBegin;
  (void)sys;
  PetscCall(PetscViewerASCIIPrintf(viewer, "equations (docs/models/mpr.md):\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  tau dr/dt   = Delta/(pi tau) + 2 r v\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  tau dv/dt   = v^2 + eta + J tau S - (pi tau r)^2 + I(t)\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  tau_s ds/dt = -s + r   (S = s when tau_s > 0, S = r when tau_s = 0)\n"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* eta, J, Delta, tau (in this order) of the MPR mean field and the models built on it; Delta > 0
   (open) where the model needs heterogeneity, else >= 0 */
PetscErrorCode NdMPRAddParameters(NdSystem sys, PetscReal eta, PetscReal J, PetscBool delta_open)
{
  PetscFunctionBegin;
  PetscCall(NdSystemAddParameter(sys, "eta", eta, "1", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "center of the Lorentzian distribution of excitabilities"));
  PetscCall(NdSystemAddParameter(sys, "J", J, "1", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "synaptic weight"));
  PetscCall(NdSystemAddParameter(sys, "Delta", 1.0, "1", 0.0, delta_open, PETSC_MAX_REAL, PETSC_FALSE,
                                 "half-width of the Lorentzian distribution of excitabilities"));
  PetscCall(NdSystemAddParameter(sys, "tau", 1.0, "T", 0.0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "membrane time constant"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_MPR(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemSetDescription(
      sys, "Montbrio-Pazo-Roxin exact mean field of a QIF population (firing rate r, mean potential v)"));
  PetscCall(NdMPRAddParameters(sys, -5.0, 15.0, PETSC_FALSE));
  PetscCall(NdSystemAddParameter(sys, "tau_s", 0.0, "T", 0.0, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "synaptic time constant (0: instantaneous synapses)"));
  sys->param[MPR_TAU_S].structural = PETSC_TRUE; /* tau_s = 0 removes the variable s */
  PetscCall(NdSystemSetInputUnit(sys, "1"));
  sys->ops->setvariables = NdSystemSetVariables_MPR;
  sys->ops->rhs          = NdSystemRHS_MPR;
  sys->ops->jacobian     = NdSystemJacobian_MPR;
  sys->ops->paramderiv   = NdSystemParameterDerivative_MPR;
  sys->ops->view         = NdSystemView_MPR;
  PetscFunctionReturn(PETSC_SUCCESS);
}
