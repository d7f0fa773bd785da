/* izh_mf: the exact mean field of an all-to-all network of Izhikevich neurons with spike-
   frequency adaptation and Lorentzian heterogeneity (Chen and Campbell, J. Comput. Neurosci.
   2022, arXiv 2203.08341; docs/models/izh_mf.md), dimensionless:

     dr/dt = Delta/pi + 2 r v - (alpha + g s) r
     dv/dt = v^2 - alpha v - w + eta + I(t) + g s (e_r - v) - pi^2 r^2
     dw/dt = a (b v - w) + w_jump r
     ds/dt = -s / tau_s + s_jump r

   (Lorentzian ansatz for v with centre v and half-width pi r, closed with the mean adaptation
   w.) One time unit is C / (k |V_R|) = 1.538 ms for the default parameters (docs/models/izh_mf.md). */
#include <neurodyn/private/systemimpl.h>

enum { IZH_ALPHA, IZH_A, IZH_B, IZH_WJUMP, IZH_G, IZH_ER, IZH_SJUMP, IZH_TAUS, IZH_DELTA, IZH_ETA, IZH_NPARAM };
enum { IZH_R, IZH_V, IZH_W, IZH_S, IZH_NVAR };

typedef struct {
  PetscReal alpha, a, b, wjump, g, er, sjump, taus, Delta, eta;
} IzhParams;

static inline IzhParams IzhGetParams(NdSystem sys)
{
  const NdParameter *p = sys->param;
  IzhParams          m = {p[IZH_ALPHA].value, p[IZH_A].value,     p[IZH_B].value,    p[IZH_WJUMP].value, p[IZH_G].value,
                          p[IZH_ER].value,    p[IZH_SJUMP].value, p[IZH_TAUS].value, p[IZH_DELTA].value, p[IZH_ETA].value};
  return m;
}

static PetscErrorCode NdSystemSetVariables_IzhMF(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemAddVariable(sys, "r", "1/T", 0.01, "population firing rate"));
  PetscCall(NdSystemSetVariableRange(sys, sys->nvar - 1, 0, PETSC_MAX_REAL));
  PetscCall(NdSystemAddVariable(sys, "v", "1", 0.0, "mean membrane potential"));
  PetscCall(NdSystemAddVariable(sys, "w", "1", 0.0, "mean adaptation current"));
  PetscCall(NdSystemAddVariable(sys, "s", "1", 0.0, "synaptic gating"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_IzhMF(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  const IzhParams    m = IzhGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *f;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * IZH_NVAR;
    PetscScalar       *fn = f + n * IZH_NVAR;
    const PetscReal    r = xn[IZH_R], v = xn[IZH_V], w = xn[IZH_W], s = xn[IZH_S];

    fn[IZH_R] = m.Delta / PETSC_PI + 2 * r * v - (m.alpha + m.g * s) * r;
    fn[IZH_V] = v * v - m.alpha * v - w + m.eta + current + m.g * s * (m.er - v) - PETSC_PI * PETSC_PI * r * r;
    fn[IZH_W] = m.a * (m.b * v - w) + m.wjump * r;
    fn[IZH_S] = -s / m.taus + m.sjump * r;
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemJacobian_IzhMF(NdSystem sys, PetscReal t, Vec X, Mat Jac)
{
  const IzhParams    m = IzhGetParams(sys);
  const PetscScalar *x;

  PetscFunctionBegin;
  (void)t;
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * IZH_NVAR;
    const PetscReal    r = xn[IZH_R], v = xn[IZH_V], s = xn[IZH_S];
    const PetscInt     row0                   = (sys->node_start + n) * IZH_NVAR;
    PetscInt           idx[IZH_NVAR]          = {row0, row0 + 1, row0 + 2, row0 + 3};
    const PetscScalar  a[IZH_NVAR * IZH_NVAR] = {
         2 * v - (m.alpha + m.g * s),
         2 * r,
         0,
         -m.g * r, /* r */
         -2 * PETSC_PI * PETSC_PI * r,
         2 * v - m.alpha - m.g * s,
         -1,
         m.g * (m.er - v), /* v */
         m.wjump,
         m.a * m.b,
         -m.a,
         0, /* w */
         m.sjump,
         0,
         0,
         -1 / m.taus /* s */
    };
    PetscCall(MatSetValues(Jac, IZH_NVAR, idx, IZH_NVAR, idx, a, INSERT_VALUES));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(MatAssemblyBegin(Jac, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(Jac, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemParameterDerivative_IzhMF(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  const IzhParams    m = IzhGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *d;

  PetscFunctionBegin;
  (void)t;
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(D, &d));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * IZH_NVAR;
    PetscScalar       *dn = d + n * IZH_NVAR;
    const PetscReal    r = xn[IZH_R], v = xn[IZH_V], w = xn[IZH_W], s = xn[IZH_S];

    dn[IZH_R] = dn[IZH_V] = dn[IZH_W] = dn[IZH_S] = 0;
    switch (p) {
    case IZH_ALPHA:
      dn[IZH_R] = -r;
      dn[IZH_V] = -v;
      break;
    case IZH_A:
      dn[IZH_W] = m.b * v - w;
      break;
    case IZH_B:
      dn[IZH_W] = m.a * v;
      break;
    case IZH_WJUMP:
      dn[IZH_W] = r;
      break;
    case IZH_G:
      dn[IZH_R] = -s * r;
      dn[IZH_V] = s * (m.er - v);
      break;
    case IZH_ER:
      dn[IZH_V] = m.g * s;
      break;
    case IZH_SJUMP:
      dn[IZH_S] = r;
      break;
    case IZH_TAUS:
      dn[IZH_S] = s / (m.taus * m.taus);
      break;
    case IZH_DELTA:
      dn[IZH_R] = 1 / PETSC_PI;
      break;
    case IZH_ETA:
      dn[IZH_V] = 1;
      break;
    }
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(D, &d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_IzhMF(NdSystem sys, PetscViewer viewer)
{
  PetscFunctionBegin;
  (void)sys;
  PetscCall(PetscViewerASCIIPrintf(
      viewer,
      "equations (docs/models/izh_mf.md; dimensionless, 1 time unit = 1.538 ms for the default parameters):\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  dr/dt = Delta/pi + 2 r v - (alpha + g s) r\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  dv/dt = v^2 - alpha v - w + eta + I(t) + g s (e_r - v) - pi^2 r^2\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  dw/dt = a (b v - w) + w_jump r\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  ds/dt = -s/tau_s + s_jump r\n"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_IzhMF(NdSystem sys)
{
  const PetscReal lo = PETSC_MIN_REAL, hi = PETSC_MAX_REAL;

  PetscFunctionBegin;
  PetscCall(NdSystemSetDescription(sys, "Chen-Campbell exact mean field of an Izhikevich network with adaptation (rate "
                                        "r, potential v, adaptation w, synapse s)"));
  PetscCall(NdSystemAddParameter(sys, "alpha", 0.6215, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "v(v - alpha): distance between resting and threshold potentials"));
  PetscCall(NdSystemAddParameter(sys, "a", 0.0077, "1/T", 0, PETSC_TRUE, hi, PETSC_FALSE, "adaptation rate (1/tau_W)"));
  PetscCall(NdSystemAddParameter(sys, "b", -0.0062, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "subthreshold adaptation coupling"));
  PetscCall(
      NdSystemAddParameter(sys, "w_jump", 0.0189, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "adaptation jump per spike"));
  PetscCall(NdSystemAddParameter(sys, "g", 1.2308, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "synaptic conductance"));
  PetscCall(
      NdSystemAddParameter(sys, "e_r", 1.0, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "synaptic reversal potential"));
  PetscCall(NdSystemAddParameter(sys, "s_jump", 1.2308, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "synaptic jump per spike (times 1/N)"));
  PetscCall(NdSystemAddParameter(sys, "tau_s", 2.6, "T", 0, PETSC_TRUE, hi, PETSC_FALSE, "synaptic time constant"));
  PetscCall(NdSystemAddParameter(sys, "Delta", 0.02, "1", 0, PETSC_FALSE, hi, PETSC_FALSE,
                                 "half-width of the Lorentzian distribution of eta"));
  PetscCall(NdSystemAddParameter(sys, "eta", 0.12, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "centre of the Lorentzian distribution of eta (0.12: bursting, 0.25: equilibrium)"));
  PetscCall(NdSystemSetInputUnit(sys, "1"));
  sys->ops->setvariables = NdSystemSetVariables_IzhMF;
  sys->ops->rhs          = NdSystemRHS_IzhMF;
  sys->ops->jacobian     = NdSystemJacobian_IzhMF;
  sys->ops->paramderiv   = NdSystemParameterDerivative_IzhMF;
  sys->ops->view         = NdSystemView_IzhMF;
  PetscFunctionReturn(PETSC_SUCCESS);
}
