/* lif: leaky integrate-and-fire neurons with exponentially decaying synaptic currents, integrated
   exactly on the fixed step (Rotter & Diesmann 1999), as NEST's iaf_psc_exp:

     C_m dV/dt = -(C_m/tau_m)(V - E_L) + I_ex + I_in + I_e + I(t)
     tau_syn_ex dI_ex/dt = -I_ex (+ weights of arriving spikes, pA), likewise I_in
     V >= V_th: spike, V = V_reset, clamped for t_ref.

   Per step: V <- E_L + P22 (V - E_L) + P21ex I_ex + P21in I_in + P20 (I_e + I(t)) unless
   refractory; I <- P11 I + arriving weights; then the threshold. Time in ms, V in mV, I in pA,
   C_m in pF. Weights >= 0 go to I_ex, negative ones to I_in (or as the projection's receptor). */
#include <math.h>
#include <neurodyn/private/networkimpl.h>

enum { LIF_CM, LIF_TAUM, LIF_EL, LIF_VTH, LIF_VRESET, LIF_TREF, LIF_TAUEX, LIF_TAUIN, LIF_IE };
enum { LIF_V, LIF_IEX, LIF_IIN, LIF_REF };

typedef struct {
  PetscReal  nref;  /* steps of the refractory period */
  PetscReal *base;  /* per neuron: E_L (1 - P22) + P20 I_e, the constant part of the V update */
  PetscReal *reset; /* per neuron: V_reset */
  PetscBool  het;   /* E_L, I_e or V_reset differ between the neurons */
  PetscReal  P22, P20, P21ex, P21in, P11ex, P11in;
} LIFData;

/* Propagator from a synaptic current decaying with tau_s to V: (1/C) int_0^h e^{-(h-u)/tau_m} e^{-u/tau_s} du,
   written with expm1 so that tau_s -> tau_m is exact */
static PetscReal NdLIFPropagator(PetscReal tau_s, PetscReal tau_m, PetscReal C, PetscReal h)
{
  const PetscReal a = 1 / tau_m - 1 / tau_s;
  return PetscExpReal(-h / tau_m) * (PetscAbsReal(a * h) > 1e-12 ? expm1(a * h) / a : h) / C;
}

static PetscErrorCode NdNeuronSetUp_LIF(NdPopulation pop)
{
  LIFData        *d = (LIFData *)pop->data;
  const PetscReal C = pop->param[LIF_CM].value, tm = pop->param[LIF_TAUM].value, h = pop->net->dt;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++)
    PetscCheck(pop->het[k].dist == ND_DIST_FIXED || k == LIF_IE || k == LIF_VTH || k == LIF_EL || k == LIF_VRESET,
               PetscObjectComm((PetscObject)pop->net), PETSC_ERR_USER_INPUT,
               "lif population %s: only I_e, E_L, V_th and V_reset may vary over the neurons (%s given a distribution "
               "or a file)",
               pop->name, pop->param[k].name);
  d->P22   = PetscExpReal(-h / tm);
  d->P20   = tm / C * -expm1(-h / tm);
  d->P21ex = NdLIFPropagator(pop->param[LIF_TAUEX].value, tm, C, h);
  d->P21in = NdLIFPropagator(pop->param[LIF_TAUIN].value, tm, C, h);
  d->P11ex = PetscExpReal(-h / pop->param[LIF_TAUEX].value);
  d->P11in = PetscExpReal(-h / pop->param[LIF_TAUIN].value);
  d->nref  = PetscFloorReal(pop->param[LIF_TREF].value / h + 0.5);
  PetscCall(PetscMalloc2(PetscMax(pop->nlocal, 1), &d->base, PetscMax(pop->nlocal, 1), &d->reset));
  d->het = (PetscBool)(pop->het[LIF_EL].local || pop->het[LIF_IE].local || pop->het[LIF_VRESET].local);
  PetscCall(NdPopulationCheckBelow(pop, LIF_VRESET, LIF_VTH));
  for (PetscInt i = 0; i < pop->nlocal; i++) {
    d->base[i]  = NdPopulationParam(pop, LIF_EL, i) * (1 - d->P22) + d->P20 * NdPopulationParam(pop, LIF_IE, i);
    d->reset[i] = NdPopulationParam(pop, LIF_VRESET, i);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* V not given: start at E_L */
static PetscErrorCode NdNeuronInitialize_LIF(NdPopulation pop, PetscReal *x)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < pop->nlocal; i++)
    if (PetscIsNanReal(x[LIF_V * pop->nlocal + i])) x[LIF_V * pop->nlocal + i] = NdPopulationParam(pop, LIF_EL, i);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* One step of every neuron but the threshold, without branches so that the compiler vectorises
   it: V propagates unless refractory (then it stays at V_reset, where the spike put it), the
   refractory countdown runs down, the currents decay and take the arriving weights. With het
   false (a compile-time constant after inlining) E_L, I_e and V_reset are the same for all
   neurons and come from registers, not arrays: less memory traffic in this memory-bound loop. */
static inline void NdLIFPropagate(PetscInt n, const LIFData *d, PetscBool het, PetscReal current,
                                  const PetscReal *restrict icur, PetscReal *restrict V, PetscReal *restrict Iex,
                                  PetscReal *restrict Iin, PetscReal *restrict ref, PetscReal *restrict wex,
                                  PetscReal *restrict win, PetscReal bex, PetscReal bin)
{
  const PetscReal  P22 = d->P22, P21ex = d->P21ex, P21in = d->P21in, P11ex = d->P11ex, P11in = d->P11in;
  const PetscReal  drive = d->P20 * current, base0 = d->base[0], reset0 = d->reset[0];
  const PetscReal *base = d->base, *reset = d->reset;

  for (PetscInt i = 0; i < n; i++) {
    /* every operand computed first: the selects then need no branches */
    const PetscReal vn =
        P22 * V[i] + P21ex * Iex[i] + P21in * Iin[i] + (het ? base[i] : base0) + drive + (icur ? d->P20 * icur[i] : 0);
    const PetscReal r = ref[i], rm = r - 1, vr = het ? reset[i] : reset0;
    V[i]   = r > 0 ? vr : vn;
    ref[i] = rm > 0 ? rm : 0;
    Iex[i] = P11ex * Iex[i] + wex[i] + bex;
    Iin[i] = P11in * Iin[i] + win[i] + bin;
    wex[i] = 0;
    win[i] = 0;
  }
}

static PetscErrorCode NdNeuronStep_LIF(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                       PetscInt *nspiked)
{
  LIFData         *d = (LIFData *)pop->data;
  const PetscInt   n = pop->nlocal;
  PetscReal       *V = x + LIF_V * n, *ref = x + LIF_REF * n;
  const PetscReal *Vth = pop->het[LIF_VTH].local, vth = pop->param[LIF_VTH].value;
  PetscInt         ns = 0;

  PetscFunctionBegin;
  if (!n) PetscFunctionReturn(PETSC_SUCCESS);
  if (in->icurrent) /* per-neuron currents: the general path */
    NdLIFPropagate(n, d, PETSC_TRUE, in->current, in->icurrent, V, x + LIF_IEX * n, x + LIF_IIN * n, ref, in->input[0],
                   in->input[1], in->broadcast[0], in->broadcast[1]);
  else if (d->het)
    NdLIFPropagate(n, d, PETSC_TRUE, in->current, NULL, V, x + LIF_IEX * n, x + LIF_IIN * n, ref, in->input[0],
                   in->input[1], in->broadcast[0], in->broadcast[1]);
  else
    NdLIFPropagate(n, d, PETSC_FALSE, in->current, NULL, V, x + LIF_IEX * n, x + LIF_IIN * n, ref, in->input[0],
                   in->input[1], in->broadcast[0], in->broadcast[1]);
  /* the threshold (a refractory neuron, at V_reset, is below it) */
  if (Vth) {
    for (PetscInt i = 0; i < n; i++)
      if (V[i] >= Vth[i]) spiked[ns++] = i;
  } else
    ns = NdThresholdCrossings(n, V, vth, spiked);
  for (PetscInt k = 0; k < ns; k++) {
    V[spiked[k]]   = d->reset[spiked[k]];
    ref[spiked[k]] = d->nref;
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronObserve_LIF(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt n = pop->nlocal;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    sums[0] += x[LIF_V * n + i];
    sums[1] += x[LIF_IEX * n + i];
    sums[2] += x[LIF_IIN * n + i];
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_LIF(NdPopulation pop)
{
  LIFData *d = (LIFData *)pop->data;

  PetscFunctionBegin;
  if (d) PetscCall(PetscFree2(d->base, d->reset));
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_LIF(NdPopulation pop)
{
  LIFData *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  pop->data          = d;
  pop->takes_current = PETSC_TRUE; /* NdStepInput.icurrent */
  PetscCall(
      NdPopulationSetDescription(pop, "leaky integrate-and-fire, exponential synaptic currents (exact step)", "ms"));
  PetscCall(NdPopulationSetWeightUnit(pop, "pA"));
  PetscCall(NdPopulationSetEquations(
      pop, "  C_m dV/dt = -(C_m/tau_m)(V - E_L) + I_ex + I_in + I_e + I(t)        (NEST iaf_psc_exp)\n"
           "  tau_syn_ex dI_ex/dt = -I_ex + sum of arriving weights w >= 0 (pA); I_in likewise (w < 0)\n"
           "  V >= V_th: spike, V = V_reset, clamped for t_ref\n"
           "  step: exact integration (Rotter & Diesmann 1999); arriving weights enter the currents at the\n"
           "  end of their step; the stimulus I(t) is held over the step\n"));
  PetscCall(NdPopulationAddParameter(pop, "C_m", 250, "pF", 0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "membrane capacitance"));
  PetscCall(NdPopulationAddParameter(pop, "tau_m", 10, "ms", 0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "membrane time constant"));
  PetscCall(NdPopulationAddParameter(pop, "E_L", -70, "mV", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "resting potential"));
  PetscCall(NdPopulationAddParameter(pop, "V_th", -55, "mV", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "spike threshold"));
  PetscCall(NdPopulationAddParameter(pop, "V_reset", -70, "mV", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL,
                                     PETSC_FALSE, "reset potential"));
  PetscCall(NdPopulationAddParameter(pop, "t_ref", 2, "ms", 0, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "refractory period"));
  PetscCall(NdPopulationAddParameter(pop, "tau_syn_ex", 2, "ms", 0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "excitatory synaptic time constant"));
  PetscCall(NdPopulationAddParameter(pop, "tau_syn_in", 2, "ms", 0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "inhibitory synaptic time constant"));
  PetscCall(NdPopulationAddParameter(pop, "I_e", 0, "pA", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "constant input current"));
  PetscCall(NdPopulationAddVariable(pop, "V", "mV", NAN, "membrane potential (default E_L)"));
  PetscCall(NdPopulationAddVariable(pop, "I_ex", "pA", 0, "excitatory synaptic current"));
  PetscCall(NdPopulationAddVariable(pop, "I_in", "pA", 0, "inhibitory synaptic current"));
  PetscCall(NdPopulationAddVariable(pop, "refractory", "1", 0, "steps left in the refractory period"));
  PetscCall(NdPopulationAddObservable(pop, "v", "mV"));
  PetscCall(NdPopulationAddObservable(pop, "I_ex", "pA"));
  PetscCall(NdPopulationAddObservable(pop, "I_in", "pA"));
  pop->nchannel          = 2;
  pop->ops.setup         = NdNeuronSetUp_LIF;
  pop->ops.initialize    = NdNeuronInitialize_LIF;
  pop->ops.step          = NdNeuronStep_LIF;
  pop->ops.observe       = NdNeuronObserve_LIF;
  pop->ops.finishobserve = NdPopulationFinishObserveMean;
  pop->ops.destroy       = NdNeuronDestroy_LIF;
  PetscFunctionReturn(PETSC_SUCCESS);
}
