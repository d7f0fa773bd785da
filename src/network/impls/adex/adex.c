/* adex: adaptive exponential integrate-and-fire neurons (Brette & Gerstner 2005) with
   exponentially decaying synaptic currents, NEST's aeif_psc_exp (names and defaults), time in ms:

     C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th)/Delta_T) - w + I_ex + I_in + I_e + I(t)
     tau_w dw/dt = a (V - E_L) - w
     tau_syn_ex dI_ex/dt = -I_ex (+ weights of arriving spikes, pA), likewise I_in
     V >= V_peak: spike, V = V_reset, w += b; V clamped at V_reset for t_ref (w evolves).

   Each step takes `substeps` classical Runge-Kutta steps of (V, w) with the synaptic currents
   exact (they only decay within the step; arriving weights are added at its end, as in lif and
   NEST). The threshold is tested after every substep and the reset happens there, so the spike
   time error of the dynamics is one substep, while the spike is reported at the end of the step.
   A neuron spikes at most once per step: a second crossing in the same step is the first event
   of the next one. As NEST, the right-hand side reads V as min(V, V_peak), so that the
   exponential cannot overflow within a step. */
#include <math.h>
#include <neurodyn/private/networkimpl.h>

enum {
  AD_CM,
  AD_GL,
  AD_EL,
  AD_VTH,
  AD_DT,
  AD_TAUW,
  AD_A,
  AD_B,
  AD_VPEAK,
  AD_VRESET,
  AD_TREF,
  AD_TAUEX,
  AD_TAUIN,
  AD_IE
};
enum { AD_V, AD_W, AD_IEX, AD_IIN, AD_REF };

typedef struct {
  PetscInt   substeps;
  PetscReal  nref;         /* steps of the refractory period */
  PetscReal  P11ex, P11in; /* decay of the synaptic currents over a step */
  PetscReal *fex, *fin;    /* [substeps][3]: decay factors at the start, middle and end of each substep */
} AdExData;

static PetscErrorCode NdNeuronSetFromOptions_AdEx(NdPopulation pop, NdOptionItems PetscOptionsObject)
{
  AdExData *d = (AdExData *)pop->data;
  char      opt[96];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_substeps", pop->name));
  PetscCall(
      NdOptionsInt(PetscOptionsObject, opt, "Runge-Kutta substeps of adex per time step", 1, 1000, &d->substeps, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronSetUp_AdEx(NdPopulation pop)
{
  AdExData       *d = (AdExData *)pop->data;
  const PetscReal h = pop->net->dt, hs = h / (PetscReal)d->substeps;
  const PetscReal tex = pop->param[AD_TAUEX].value, tin = pop->param[AD_TAUIN].value;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++)
    PetscCheck(pop->het[k].dist == ND_DIST_FIXED || k == AD_IE || k == AD_EL || k == AD_VTH || k == AD_A || k == AD_B,
               PetscObjectComm((PetscObject)pop->net), PETSC_ERR_USER_INPUT,
               "adex population %s: only I_e, E_L, V_th, a and b may vary over the neurons (%s given a distribution "
               "or a file)",
               pop->name, pop->param[k].name);
  PetscCall(NdPopulationCheckBelow(pop, AD_VRESET, AD_VPEAK));
  PetscCall(NdPopulationCheckBelow(pop, AD_VTH, AD_VPEAK));
  d->nref  = PetscFloorReal(pop->param[AD_TREF].value / h + 0.5);
  d->P11ex = PetscExpReal(-h / tex);
  d->P11in = PetscExpReal(-h / tin);
  PetscCall(PetscMalloc2(3 * d->substeps, &d->fex, 3 * d->substeps, &d->fin));
  for (PetscInt j = 0; j < d->substeps; j++)
    for (PetscInt c = 0; c < 3; c++) {
      const PetscReal s = ((PetscReal)j + 0.5 * (PetscReal)c) * hs;
      d->fex[3 * j + c] = PetscExpReal(-s / tex);
      d->fin[3 * j + c] = PetscExpReal(-s / tin);
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* V not given: start at E_L */
static PetscErrorCode NdNeuronInitialize_AdEx(NdPopulation pop, PetscReal *x)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < pop->nlocal; i++)
    if (PetscIsNanReal(x[AD_V * pop->nlocal + i])) x[AD_V * pop->nlocal + i] = NdPopulationParam(pop, AD_EL, i);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The parameters of one neuron, and the right-hand side of (V, w) at synaptic current Isyn */
typedef struct {
  PetscReal C, gL, EL, VT, DT, tauw, a, vpeak, I0;
} AdExNeuron;

static inline void NdAdExRHS(const AdExNeuron *p, PetscBool clamped, PetscReal V, PetscReal w, PetscReal Isyn,
                             PetscReal *dV, PetscReal *dw)
{
  const PetscReal v = PetscMin(V, p->vpeak);

  *dV = clamped ? 0
                : (-p->gL * (v - p->EL) + p->gL * p->DT * PetscExpReal((v - p->VT) / p->DT) - w + Isyn + p->I0) / p->C;
  *dw = (p->a * (v - p->EL) - w) / p->tauw;
}

static PetscErrorCode NdNeuronStep_AdEx(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                        PetscInt *nspiked)
{
  const AdExData    *d = (const AdExData *)pop->data;
  const PetscInt     n = pop->nlocal, m = d->substeps;
  const NdParameter *p  = pop->param;
  const PetscReal    hs = in->dt / (PetscReal)m, vr = p[AD_VRESET].value;
  PetscReal *V = x + AD_V * n, *W = x + AD_W * n, *Iex = x + AD_IEX * n, *Iin = x + AD_IIN * n, *ref = x + AD_REF * n;
  PetscInt   ns = 0;
  AdExNeuron q  = {p[AD_CM].value, p[AD_GL].value, 0, 0, p[AD_DT].value, p[AD_TAUW].value, 0, p[AD_VPEAK].value, 0};

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    PetscReal v = V[i], w = W[i];
    PetscBool clamped = (PetscBool)(ref[i] > 0), fired = PETSC_FALSE;

    q.EL = NdPopulationParam(pop, AD_EL, i);
    q.VT = NdPopulationParam(pop, AD_VTH, i);
    q.a  = NdPopulationParam(pop, AD_A, i);
    q.I0 = NdPopulationParam(pop, AD_IE, i) + in->current + (in->icurrent ? in->icurrent[i] : 0);
    for (PetscInt j = 0; j < m; j++) {
      const PetscReal *fe = d->fex + 3 * j, *fi = d->fin + 3 * j;
      PetscReal        k1v, k1w, k2v, k2w, k3v, k3w, k4v, k4w;
      const PetscReal  I1 = Iex[i] * fe[0] + Iin[i] * fi[0], I2 = Iex[i] * fe[1] + Iin[i] * fi[1];
      const PetscReal  I3 = Iex[i] * (j + 1 < m ? fe[3] : d->P11ex) + Iin[i] * (j + 1 < m ? fi[3] : d->P11in);

      if (clamped) v = vr;
      NdAdExRHS(&q, clamped, v, w, I1, &k1v, &k1w);
      NdAdExRHS(&q, clamped, v + 0.5 * hs * k1v, w + 0.5 * hs * k1w, I2, &k2v, &k2w);
      NdAdExRHS(&q, clamped, v + 0.5 * hs * k2v, w + 0.5 * hs * k2w, I2, &k3v, &k3w);
      NdAdExRHS(&q, clamped, v + hs * k3v, w + hs * k3w, I3, &k4v, &k4w);
      v += hs / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
      w += hs / 6 * (k1w + 2 * k2w + 2 * k3w + k4w);
      if (!fired && v >= q.vpeak) {
        fired = PETSC_TRUE;
        v     = vr;
        w += NdPopulationParam(pop, AD_B, i);
        if (d->nref > 0) clamped = PETSC_TRUE;
      }
    }
    V[i]            = clamped ? vr : v;
    W[i]            = w;
    ref[i]          = fired ? d->nref : PetscMax(ref[i] - 1, 0);
    Iex[i]          = Iex[i] * d->P11ex + in->input[0][i] + in->broadcast[0];
    Iin[i]          = Iin[i] * d->P11in + in->input[1][i] + in->broadcast[1];
    in->input[0][i] = in->input[1][i] = 0;
    if (fired) spiked[ns++] = i;
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronObserve_AdEx(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt n = pop->nlocal;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 4; k++)
    for (PetscInt i = 0; i < n; i++) sums[k] += x[k * n + i];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_AdEx(NdPopulation pop)
{
  AdExData *d = (AdExData *)pop->data;

  PetscFunctionBegin;
  if (d) PetscCall(PetscFree2(d->fex, d->fin));
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_AdEx(NdPopulation pop)
{
  const PetscReal lo = PETSC_MIN_REAL, hi = PETSC_MAX_REAL;
  AdExData       *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  d->substeps        = 10;
  pop->data          = d;
  pop->takes_current = PETSC_TRUE; /* NdStepInput.icurrent */
  PetscCall(NdPopulationSetDescription(
      pop, "adaptive exponential integrate-and-fire, exponential synaptic currents (NEST aeif_psc_exp)", "ms"));
  PetscCall(NdPopulationSetWeightUnit(pop, "pA"));
  PetscCall(NdPopulationSetEquations(
      pop, "  C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th)/Delta_T) - w + I_ex + I_in + I_e + I(t)\n"
           "  tau_w dw/dt = a (V - E_L) - w                         (Brette & Gerstner 2005; NEST aeif_psc_exp)\n"
           "  tau_syn_ex dI_ex/dt = -I_ex + arriving weights w >= 0 (pA); I_in likewise (w < 0)\n"
           "  V >= V_peak: spike, V = V_reset, w += b; V clamped at V_reset for t_ref\n"
           "  step: -net_<population>_substeps (default 10) Runge-Kutta 4 substeps of (V, w), exact currents,\n"
           "  threshold and reset after each substep; at most one spike per step\n"));
  PetscCall(NdPopulationAddParameter(pop, "C_m", 281, "pF", 0, PETSC_TRUE, hi, PETSC_FALSE, "membrane capacitance"));
  PetscCall(NdPopulationAddParameter(pop, "g_L", 30, "nS", 0, PETSC_TRUE, hi, PETSC_FALSE, "leak conductance"));
  PetscCall(
      NdPopulationAddParameter(pop, "E_L", -70.6, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "leak reversal potential"));
  PetscCall(NdPopulationAddParameter(pop, "V_th", -50.4, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "threshold of the exponential (V_T)"));
  PetscCall(NdPopulationAddParameter(pop, "Delta_T", 2, "mV", 0, PETSC_TRUE, hi, PETSC_FALSE, "slope factor"));
  PetscCall(
      NdPopulationAddParameter(pop, "tau_w", 144, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE, "adaptation time constant"));
  PetscCall(NdPopulationAddParameter(pop, "a", 4, "nS", lo, PETSC_FALSE, hi, PETSC_FALSE, "subthreshold adaptation"));
  PetscCall(NdPopulationAddParameter(pop, "b", 80.5, "pA", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "spike-triggered adaptation (w += b)"));
  PetscCall(NdPopulationAddParameter(pop, "V_peak", 0, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "spike detection (V >= V_peak)"));
  PetscCall(NdPopulationAddParameter(pop, "V_reset", -60, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "reset potential"));
  PetscCall(NdPopulationAddParameter(pop, "t_ref", 0, "ms", 0, PETSC_FALSE, hi, PETSC_FALSE,
                                     "refractory period (V clamped at V_reset)"));
  PetscCall(NdPopulationAddParameter(pop, "tau_syn_ex", 0.2, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "excitatory synaptic time constant"));
  PetscCall(NdPopulationAddParameter(pop, "tau_syn_in", 2, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "inhibitory synaptic time constant"));
  PetscCall(NdPopulationAddParameter(pop, "I_e", 0, "pA", lo, PETSC_FALSE, hi, PETSC_FALSE, "constant input current"));
  PetscCall(NdPopulationAddVariable(pop, "V", "mV", NAN, "membrane potential (default E_L)"));
  PetscCall(NdPopulationAddVariable(pop, "w", "pA", 0, "adaptation current"));
  PetscCall(NdPopulationAddVariable(pop, "I_ex", "pA", 0, "excitatory synaptic current"));
  PetscCall(NdPopulationAddVariable(pop, "I_in", "pA", 0, "inhibitory synaptic current"));
  PetscCall(NdPopulationAddVariable(pop, "refractory", "1", 0, "steps left in the refractory period"));
  PetscCall(NdPopulationAddObservable(pop, "v", "mV"));
  PetscCall(NdPopulationAddObservable(pop, "w", "pA"));
  PetscCall(NdPopulationAddObservable(pop, "I_ex", "pA"));
  PetscCall(NdPopulationAddObservable(pop, "I_in", "pA"));
  pop->nchannel           = 2;
  pop->ops.setfromoptions = NdNeuronSetFromOptions_AdEx;
  pop->ops.setup          = NdNeuronSetUp_AdEx;
  pop->ops.initialize     = NdNeuronInitialize_AdEx;
  pop->ops.step           = NdNeuronStep_AdEx;
  pop->ops.observe        = NdNeuronObserve_AdEx;
  pop->ops.finishobserve  = NdPopulationFinishObserveMean;
  pop->ops.destroy        = NdNeuronDestroy_AdEx;
  PetscFunctionReturn(PETSC_SUCCESS);
}
