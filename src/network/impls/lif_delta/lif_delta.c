/* lif_delta: leaky integrate-and-fire neurons whose synapses make the membrane potential jump,
   NEST's iaf_psc_delta (names and defaults), time in ms:

     C_m dV/dt = -(C_m/tau_m)(V - E_L) + I_e + I(t) + C_m sum_k w_k delta(t - t_k)
     V >= V_th: spike, V = V_reset, clamped for t_ref.

   Exact integration on the fixed step: V <- E_L + P33 (V - E_L) + P30 (I_e + I(t)) + (weights
   arriving in the step, mV), P33 = e^{-h/tau_m}, P30 = (tau_m/C_m)(1 - P33), unless refractory;
   then the threshold. Input arriving while a neuron is refractory is lost, as in NEST (its
   refractory_input = false). One input channel: a weight is the jump in mV, of either sign. */
#include <math.h>
#include <neurodyn/private/networkimpl.h>

enum { LD_CM, LD_TAUM, LD_EL, LD_VTH, LD_VRESET, LD_TREF, LD_IE };
enum { LD_V, LD_REF };

typedef struct {
  PetscReal  P33, P30, nref;
  PetscReal *base;  /* per neuron: E_L (1 - P33) + P30 I_e, the constant part of the V update */
  PetscReal *reset; /* per neuron: V_reset */
  PetscBool  het;   /* E_L, I_e or V_reset differ between the neurons */
} LIFDeltaData;

static PetscErrorCode NdNeuronSetUp_LIFDelta(NdPopulation pop)
{
  LIFDeltaData   *d  = (LIFDeltaData *)pop->data;
  const PetscReal tm = pop->param[LD_TAUM].value, h = pop->net->dt;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++)
    PetscCheck(pop->het[k].dist == ND_DIST_FIXED || k == LD_IE || k == LD_VTH || k == LD_EL || k == LD_VRESET,
               PetscObjectComm((PetscObject)pop->net), PETSC_ERR_USER_INPUT,
               "lif_delta population %s: only I_e, E_L, V_th and V_reset may vary over the neurons (%s given a "
               "distribution or a file)",
               pop->name, pop->param[k].name);
  PetscCall(NdPopulationCheckBelow(pop, LD_VRESET, LD_VTH));
  d->P33  = PetscExpReal(-h / tm);
  d->P30  = tm / pop->param[LD_CM].value * -expm1(-h / tm);
  d->nref = PetscFloorReal(pop->param[LD_TREF].value / h + 0.5);
  d->het  = (PetscBool)(pop->het[LD_EL].local || pop->het[LD_IE].local || pop->het[LD_VRESET].local);
  PetscCall(PetscMalloc2(PetscMax(pop->nlocal, 1), &d->base, PetscMax(pop->nlocal, 1), &d->reset));
  for (PetscInt i = 0; i < pop->nlocal; i++) {
    d->base[i]  = NdPopulationParam(pop, LD_EL, i) * (1 - d->P33) + d->P30 * NdPopulationParam(pop, LD_IE, i);
    d->reset[i] = NdPopulationParam(pop, LD_VRESET, i);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* V not given: start at E_L */
static PetscErrorCode NdNeuronInitialize_LIFDelta(NdPopulation pop, PetscReal *x)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < pop->nlocal; i++)
    if (PetscIsNanReal(x[LD_V * pop->nlocal + i])) x[LD_V * pop->nlocal + i] = NdPopulationParam(pop, LD_EL, i);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* One step of every neuron but the threshold, without branches (vectorised): V propagates and
   takes the arriving jumps unless refractory (then it stays at V_reset and the input is lost).
   With het false (a compile-time constant after inlining) E_L, I_e and V_reset come from registers. */
static inline void NdLIFDeltaPropagate(PetscInt n, const LIFDeltaData *d, PetscBool het, PetscReal current,
                                       const PetscReal *restrict icur, PetscReal *restrict V, PetscReal *restrict ref,
                                       PetscReal *restrict w, PetscReal bw)
{
  const PetscReal  P33 = d->P33, drive = d->P30 * current, base0 = d->base[0], reset0 = d->reset[0];
  const PetscReal *base = d->base, *reset = d->reset;

  for (PetscInt i = 0; i < n; i++) {
    const PetscReal vn = P33 * V[i] + (het ? base[i] : base0) + drive + (icur ? d->P30 * icur[i] : 0) + w[i] + bw;
    const PetscReal r = ref[i], rm = r - 1, vr = het ? reset[i] : reset0;
    V[i]   = r > 0 ? vr : vn;
    ref[i] = rm > 0 ? rm : 0;
    w[i]   = 0;
  }
}

static PetscErrorCode NdNeuronStep_LIFDelta(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                            PetscInt *nspiked)
{
  LIFDeltaData    *d = (LIFDeltaData *)pop->data;
  const PetscInt   n = pop->nlocal;
  PetscReal       *V = x + LD_V * n, *ref = x + LD_REF * n;
  const PetscReal *Vth = pop->het[LD_VTH].local;
  PetscInt         ns  = 0;

  PetscFunctionBegin;
  if (!n) PetscFunctionReturn(PETSC_SUCCESS);
  if (in->icurrent) /* per-neuron currents: the general path */
    NdLIFDeltaPropagate(n, d, PETSC_TRUE, in->current, in->icurrent, V, ref, in->input[0], in->broadcast[0]);
  else if (d->het)
    NdLIFDeltaPropagate(n, d, PETSC_TRUE, in->current, NULL, V, ref, in->input[0], in->broadcast[0]);
  else
    NdLIFDeltaPropagate(n, d, PETSC_FALSE, in->current, NULL, V, ref, in->input[0], in->broadcast[0]);
  /* the threshold (a refractory neuron, at V_reset, is below it) */
  if (Vth) {
    for (PetscInt i = 0; i < n; i++)
      if (V[i] >= Vth[i]) spiked[ns++] = i;
  } else
    ns = NdThresholdCrossings(n, V, pop->param[LD_VTH].value, spiked);
  for (PetscInt k = 0; k < ns; k++) {
    V[spiked[k]]   = d->reset[spiked[k]];
    ref[spiked[k]] = d->nref;
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronObserve_LIFDelta(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < pop->nlocal; i++) sums[0] += x[LD_V * pop->nlocal + i];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_LIFDelta(NdPopulation pop)
{
  LIFDeltaData *d = (LIFDeltaData *)pop->data;

  PetscFunctionBegin;
  if (d) PetscCall(PetscFree2(d->base, d->reset));
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_LIFDelta(NdPopulation pop)
{
  const PetscReal lo = PETSC_MIN_REAL, hi = PETSC_MAX_REAL;
  LIFDeltaData   *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  pop->data          = d;
  pop->takes_current = PETSC_TRUE; /* NdStepInput.icurrent */
  PetscCall(NdPopulationSetDescription(
      pop, "leaky integrate-and-fire, voltage jumps per spike (delta synapses, NEST iaf_psc_delta)", "ms"));
  PetscCall(NdPopulationSetWeightUnit(pop, "mV"));
  PetscCall(NdPopulationSetEquations(
      pop, "  C_m dV/dt = -(C_m/tau_m)(V - E_L) + I_e + I(t); an arriving spike moves V by its weight w (mV)\n"
           "  V >= V_th: spike, V = V_reset, clamped for t_ref; input arriving while refractory is lost\n"
           "  (NEST iaf_psc_delta)\n"
           "  step: V <- E_L + e^{-h/tau_m} (V - E_L) + (tau_m/C_m)(1 - e^{-h/tau_m})(I_e + I) + arriving w\n"));
  PetscCall(NdPopulationAddParameter(pop, "C_m", 250, "pF", 0, PETSC_TRUE, hi, PETSC_FALSE, "membrane capacitance"));
  PetscCall(NdPopulationAddParameter(pop, "tau_m", 10, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE, "membrane time constant"));
  PetscCall(NdPopulationAddParameter(pop, "E_L", -70, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "resting potential"));
  PetscCall(NdPopulationAddParameter(pop, "V_th", -55, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "spike threshold"));
  PetscCall(NdPopulationAddParameter(pop, "V_reset", -70, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "reset potential"));
  PetscCall(NdPopulationAddParameter(pop, "t_ref", 2, "ms", 0, PETSC_FALSE, hi, PETSC_FALSE,
                                     "refractory period (input arriving in it is lost)"));
  PetscCall(NdPopulationAddParameter(pop, "I_e", 0, "pA", lo, PETSC_FALSE, hi, PETSC_FALSE, "constant input current"));
  PetscCall(NdPopulationAddVariable(pop, "V", "mV", NAN, "membrane potential (default E_L)"));
  PetscCall(NdPopulationAddVariable(pop, "refractory", "1", 0, "steps left in the refractory period"));
  PetscCall(NdPopulationAddObservable(pop, "v", "mV"));
  pop->nchannel          = 1;
  pop->ops.setup         = NdNeuronSetUp_LIFDelta;
  pop->ops.initialize    = NdNeuronInitialize_LIFDelta;
  pop->ops.step          = NdNeuronStep_LIFDelta;
  pop->ops.observe       = NdNeuronObserve_LIFDelta;
  pop->ops.finishobserve = NdPopulationFinishObserveMean;
  pop->ops.destroy       = NdNeuronDestroy_LIFDelta;
  PetscFunctionReturn(PETSC_SUCCESS);
}
