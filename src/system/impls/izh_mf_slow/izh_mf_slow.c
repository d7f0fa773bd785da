/* izh_mf_slow: the slow-adaptation mean field of an all-to-all Izhikevich network (Nicola and
   Campbell 2013, the b = 0 variant quoted in docs/models/izh_mf_slow.md), kept for comparison with the
   exact mean field izh_mf (Chen and Campbell 2022). Parameter names and units are those of izh_mf.

   With adaptation slow, each neuron sees frozen s and w and fires periodically; completing the
   square, u = v - c with c = (alpha + g s)/2 obeys u' = u^2 + H with

     H(s, w) = eta + I(t) + g e_r s - w - c^2,

   so the firing rate is the inverse travel time from v_reset to v_peak,

     R(s, w) = sqrt(H) / [atan((v_peak - c)/sqrt(H)) - atan((v_reset - c)/sqrt(H))]   (H > 0),
     R = 0 (H <= 0),

   and the network reduces to

     ds/dt = -s / tau_s + s_jump R,    dw/dt = -a w + w_jump R.

   R is piecewise smooth: continuous at H = 0 but dR/dH ~ 1/(2 pi sqrt(H)) diverges there. The
   Jacobian and dF/dp are exact for H > 0 and zero for H <= 0 (the one-sided derivative). */
#include <neurodyn/private/systemimpl.h>

enum {
  SLOW_ALPHA,
  SLOW_A,
  SLOW_WJUMP,
  SLOW_G,
  SLOW_ER,
  SLOW_SJUMP,
  SLOW_TAUS,
  SLOW_ETA,
  SLOW_VPEAK,
  SLOW_VRESET,
  SLOW_NPARAM
};
enum { SLOW_S, SLOW_W, SLOW_NVAR };

typedef struct {
  PetscReal alpha, a, wjump, g, er, sjump, taus, eta, vpeak, vreset;
} SlowParams;

/* The rate R and its partial derivatives with respect to H, c, v_peak and v_reset */
typedef struct {
  PetscReal R, dH, dc, dpeak, dreset;
} SlowRate;

static inline SlowParams SlowGetParams(NdSystem sys)
{
  const NdParameter *p = sys->param;
  SlowParams         m = {p[SLOW_ALPHA].value, p[SLOW_A].value,     p[SLOW_WJUMP].value, p[SLOW_G].value,
                          p[SLOW_ER].value,    p[SLOW_SJUMP].value, p[SLOW_TAUS].value,  p[SLOW_ETA].value,
                          p[SLOW_VPEAK].value, p[SLOW_VRESET].value};
  return m;
}

static inline PetscReal SlowCentre(const SlowParams *m, PetscReal s)
{
  return 0.5 * (m->alpha + m->g * s);
}

static inline PetscReal SlowH(const SlowParams *m, PetscReal current, PetscReal s, PetscReal w)
{
  const PetscReal c = SlowCentre(m, s);
  return m->eta + current + m->g * m->er * s - w - c * c;
}

static SlowRate SlowComputeRate(const SlowParams *m, PetscReal H, PetscReal c)
{
  SlowRate rate = {0, 0, 0, 0, 0};

  if (H > 0) {
    const PetscReal q = PetscSqrtReal(H), xp = m->vpeak - c, xr = m->vreset - c;
    const PetscReal A    = PetscAtanReal(xp / q) - PetscAtanReal(xr / q); /* sqrt(H) times the travel time */
    const PetscReal dAdq = -xp / (H + xp * xp) + xr / (H + xr * xr), dAdc = -q / (H + xp * xp) + q / (H + xr * xr);
    rate.R      = q / A;
    rate.dH     = (1 / A - q / (A * A) * dAdq) / (2 * q);
    rate.dc     = -q / (A * A) * dAdc;
    rate.dpeak  = -q / (A * A) * (q / (H + xp * xp));
    rate.dreset = q / (A * A) * (q / (H + xr * xr));
  }
  return rate;
}

static PetscErrorCode NdSystemSetVariables_IzhMFSlow(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemAddVariable(sys, "s", "1", 0.0, "synaptic gating"));
  PetscCall(NdSystemAddVariable(sys, "w", "1", 0.0, "mean adaptation current"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetUp_IzhMFSlow(NdSystem sys)
{
  const SlowParams m = SlowGetParams(sys);

  PetscFunctionBegin;
  PetscCheck(m.vreset < m.vpeak, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "izh_mf_slow: -params_v_reset (%g) must be below -params_v_peak (%g)", (double)m.vreset, (double)m.vpeak);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_IzhMFSlow(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  const SlowParams   m = SlowGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *f;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscReal s = x[n * SLOW_NVAR + SLOW_S], w = x[n * SLOW_NVAR + SLOW_W];
    const SlowRate  rate = SlowComputeRate(&m, SlowH(&m, current, s, w), SlowCentre(&m, s));

    f[n * SLOW_NVAR + SLOW_S] = -s / m.taus + m.sjump * rate.R;
    f[n * SLOW_NVAR + SLOW_W] = -m.a * w + m.wjump * rate.R;
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemJacobian_IzhMFSlow(NdSystem sys, PetscReal t, Vec X, Mat Jac)
{
  const SlowParams   m = SlowGetParams(sys);
  const PetscScalar *x;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscReal s = x[n * SLOW_NVAR + SLOW_S], w = x[n * SLOW_NVAR + SLOW_W], c = SlowCentre(&m, s);
    const SlowRate  rate = SlowComputeRate(&m, SlowH(&m, current, s, w), c);
    /* dH/ds = g e_r - 2 c dc/ds with dc/ds = g/2 */
    const PetscReal   dRds = rate.dH * (m.g * m.er - m.g * c) + rate.dc * 0.5 * m.g, dRdw = -rate.dH;
    const PetscInt    row0 = (sys->node_start + n) * SLOW_NVAR, idx[SLOW_NVAR] = {row0, row0 + 1};
    const PetscScalar a[SLOW_NVAR * SLOW_NVAR] = {-1 / m.taus + m.sjump * dRds, m.sjump * dRdw, m.wjump * dRds,
                                                  -m.a + m.wjump * dRdw};

    PetscCall(MatSetValues(Jac, SLOW_NVAR, idx, SLOW_NVAR, idx, a, INSERT_VALUES));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(MatAssemblyBegin(Jac, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(Jac, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* dR/dp for the parameters that enter R (through H, c or the integration limits) */
static PetscReal SlowRateParameterDerivative(const SlowParams *m, const SlowRate *rate, PetscInt p, PetscReal s)
{
  const PetscReal c = SlowCentre(m, s);

  switch (p) {
  case SLOW_ALPHA:
    return -c * rate->dH + 0.5 * rate->dc;
  case SLOW_G:
    return (m->er * s - c * s) * rate->dH + 0.5 * s * rate->dc;
  case SLOW_ER:
    return m->g * s * rate->dH;
  case SLOW_ETA:
    return rate->dH;
  case SLOW_VPEAK:
    return rate->dpeak;
  case SLOW_VRESET:
    return rate->dreset;
  default:
    return 0;
  }
}

static PetscErrorCode NdSystemParameterDerivative_IzhMFSlow(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  const SlowParams   m = SlowGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *d;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(D, &d));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscReal s = x[n * SLOW_NVAR + SLOW_S], w = x[n * SLOW_NVAR + SLOW_W];
    const SlowRate  rate = SlowComputeRate(&m, SlowH(&m, current, s, w), SlowCentre(&m, s));
    const PetscReal dR   = SlowRateParameterDerivative(&m, &rate, p, s);
    PetscScalar    *dn   = d + n * SLOW_NVAR;

    dn[SLOW_S] = m.sjump * dR;
    dn[SLOW_W] = m.wjump * dR;
    switch (p) {
    case SLOW_A:
      dn[SLOW_W] = -w;
      break;
    case SLOW_WJUMP:
      dn[SLOW_W] = rate.R;
      break;
    case SLOW_SJUMP:
      dn[SLOW_S] = rate.R;
      break;
    case SLOW_TAUS:
      dn[SLOW_S] = s / (m.taus * m.taus);
      break;
    }
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(D, &d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_IzhMFSlow(NdSystem sys, PetscViewer viewer)
{
  PetscFunctionBegin;
  (void)sys;
  PetscCall(
      PetscViewerASCIIPrintf(viewer, "equations (docs/models/izh_mf_slow.md, Nicola-Campbell 2013 with b = 0):\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  c = (alpha + g s)/2,  H = eta + I(t) + g e_r s - w - c^2\n"));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "  R = sqrt(H) / [atan((v_peak - c)/sqrt(H)) - atan((v_reset - c)/sqrt(H))] for H > 0, else 0\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  ds/dt = -s/tau_s + s_jump R,  dw/dt = -a w + w_jump R\n"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_IzhMFSlow(NdSystem sys)
{
  const PetscReal lo = PETSC_MIN_REAL, hi = PETSC_MAX_REAL;

  PetscFunctionBegin;
  PetscCall(NdSystemSetDescription(sys, "Nicola-Campbell slow-adaptation mean field of an Izhikevich network "
                                        "(synapse s, adaptation w; rate R(s, w))"));
  PetscCall(NdSystemAddParameter(sys, "alpha", 0.6215, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "v(v - alpha): distance between resting and threshold potentials"));
  PetscCall(NdSystemAddParameter(sys, "a", 0.0077, "1/T", 0, PETSC_TRUE, hi, PETSC_FALSE, "adaptation rate (1/tau_W)"));
  PetscCall(
      NdSystemAddParameter(sys, "w_jump", 0.0189, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "adaptation jump per spike"));
  PetscCall(NdSystemAddParameter(sys, "g", 1.2308, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "synaptic conductance"));
  PetscCall(
      NdSystemAddParameter(sys, "e_r", 1.0, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "synaptic reversal potential"));
  PetscCall(NdSystemAddParameter(sys, "s_jump", 1.2308, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "synaptic jump per spike (times 1/N)"));
  PetscCall(NdSystemAddParameter(sys, "tau_s", 2.6, "T", 0, PETSC_TRUE, hi, PETSC_FALSE, "synaptic time constant"));
  PetscCall(NdSystemAddParameter(sys, "eta", 0.12, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "input current of every neuron (the homogeneous network)"));
  PetscCall(NdSystemAddParameter(sys, "v_peak", 200, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "spike cut-off (200: the 'infinity' of the Chen-Campbell code)"));
  PetscCall(NdSystemAddParameter(sys, "v_reset", -200, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                 "reset potential (below v_peak)"));
  PetscCall(NdSystemSetInputUnit(sys, "1"));
  sys->ops->setvariables = NdSystemSetVariables_IzhMFSlow;
  sys->ops->setup        = NdSystemSetUp_IzhMFSlow;
  sys->ops->rhs          = NdSystemRHS_IzhMFSlow;
  sys->ops->jacobian     = NdSystemJacobian_IzhMFSlow;
  sys->ops->paramderiv   = NdSystemParameterDerivative_IzhMFSlow;
  sys->ops->view         = NdSystemView_IzhMFSlow;
  PetscFunctionReturn(PETSC_SUCCESS);
}
