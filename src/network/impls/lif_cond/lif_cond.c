/* lif_cond: leaky integrate-and-fire neurons with exponentially decaying synaptic conductances
   and reversal potentials, NEST's iaf_cond_exp (names and defaults), time in ms:

     C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e + I(t)
     tau_syn_ex dg_ex/dt = -g_ex (+ weights of arriving excitatory spikes, nS), likewise g_in
     V >= V_th: spike, V = V_reset, clamped for t_ref.

   The conductances decay exactly. V takes an exponential-Euler step with the conductances
   averaged over the step (the exact mean of an exponential decay, g tau (1 - e^{-h/tau}) / h):
   V <- V_inf + (V - V_inf) exp(-h G / C_m), G = g_L + <g_ex> + <g_in>,
   V_inf = (g_L E_L + <g_ex> E_ex + <g_in> E_in + I_e + I) / G. It is exact for constant
   conductances, and its error for decaying ones is O(h^2) per unit time (the test measures it
   against an accurate ODE solution). Arriving weights are conductance increments in nS: positive
   weights to g_ex, negative ones (their magnitude) to g_in. */
#include <math.h>
#include <neurodyn/private/networkimpl.h>

enum { LC_CM, LC_GL, LC_EL, LC_EEX, LC_EIN, LC_VTH, LC_VRESET, LC_TREF, LC_TAUEX, LC_TAUIN, LC_IE };
enum { LC_V, LC_GEX, LC_GIN, LC_REF };

typedef struct {
  PetscReal decay_ex, decay_in; /* e^{-h/tau} */
  PetscReal mean_ex, mean_in;   /* step average of an exponential decay from 1: tau (1 - e^{-h/tau}) / h */
  PetscReal nref;               /* steps of the refractory period */
} LIFCondData;

static PetscErrorCode NdNeuronSetUp_LIFCond(NdPopulation pop)
{
  LIFCondData    *d = (LIFCondData *)pop->data;
  const PetscReal h = pop->net->dt, tex = pop->param[LC_TAUEX].value, tin = pop->param[LC_TAUIN].value;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++)
    PetscCheck(
        pop->het[k].dist == ND_DIST_FIXED || k == LC_IE || k == LC_EL || k == LC_VTH,
        PetscObjectComm((PetscObject)pop->net), PETSC_ERR_USER_INPUT,
        "lif_cond population %s: only I_e, E_L and V_th may vary over the neurons (%s given a distribution or a file)",
        pop->name, pop->param[k].name);
  PetscCall(NdPopulationCheckBelow(pop, LC_VRESET, LC_VTH));
  d->decay_ex = exp(-h / tex);
  d->decay_in = exp(-h / tin);
  d->mean_ex  = -expm1(-h / tex) * tex / h;
  d->mean_in  = -expm1(-h / tin) * tin / h;
  d->nref     = PetscFloorReal(pop->param[LC_TREF].value / h + 0.5);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* V not given: start at E_L */
static PetscErrorCode NdNeuronInitialize_LIFCond(NdPopulation pop, PetscReal *x)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < pop->nlocal; i++)
    if (PetscIsNanReal(x[LC_V * pop->nlocal + i])) x[LC_V * pop->nlocal + i] = NdPopulationParam(pop, LC_EL, i);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronStep_LIFCond(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                           PetscInt *nspiked)
{
  const LIFCondData *d = (const LIFCondData *)pop->data;
  const PetscInt     n = pop->nlocal;
  const NdParameter *p = pop->param;
  const PetscReal    C = p[LC_CM].value, gL = p[LC_GL].value, Eex = p[LC_EEX].value, Ein = p[LC_EIN].value;
  const PetscReal    vr = p[LC_VRESET].value, h = in->dt;
  PetscReal         *V = x + LC_V * n, *gex = x + LC_GEX * n, *gin = x + LC_GIN * n, *ref = x + LC_REF * n;
  PetscReal         *wex = in->input[0], *win = in->input[1];
  PetscInt           ns = 0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal ge = gex[i] * d->mean_ex, gi = gin[i] * d->mean_in, G = gL + ge + gi;
    const PetscReal vinf = (gL * NdPopulationParam(pop, LC_EL, i) + ge * Eex + gi * Ein +
                            NdPopulationParam(pop, LC_IE, i) + in->current + (in->icurrent ? in->icurrent[i] : 0)) /
                           G;
    if (ref[i] > 0) {
      V[i] = vr;
      ref[i] -= 1;
    } else
      V[i] = vinf + (V[i] - vinf) * exp(-h * G / C);
    gex[i] = gex[i] * d->decay_ex + wex[i] + in->broadcast[0];
    gin[i] = gin[i] * d->decay_in - (win[i] + in->broadcast[1]); /* negative weights: conductance magnitudes */
    wex[i] = win[i] = 0;
    if (ref[i] <= 0 && V[i] >= NdPopulationParam(pop, LC_VTH, i)) {
      spiked[ns++] = i;
      V[i]         = vr;
      ref[i]       = d->nref;
    }
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronObserve_LIFCond(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt n = pop->nlocal;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 3; k++)
    for (PetscInt i = 0; i < n; i++) sums[k] += x[k * n + i];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_LIFCond(NdPopulation pop)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_LIFCond(NdPopulation pop)
{
  const PetscReal lo = PETSC_MIN_REAL, hi = PETSC_MAX_REAL;
  LIFCondData    *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  pop->data          = d;
  pop->takes_current = PETSC_TRUE; /* NdStepInput.icurrent */
  PetscCall(
      NdPopulationSetDescription(pop, "leaky integrate-and-fire, exponential conductances (NEST iaf_cond_exp)", "ms"));
  PetscCall(NdPopulationSetWeightUnit(pop, "nS"));
  PetscCall(NdPopulationSetEquations(
      pop, "  C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e + I(t)   (NEST iaf_cond_exp)\n"
           "  tau_syn_ex dg_ex/dt = -g_ex + arriving weights w >= 0 (nS); g_in likewise (|w| of w < 0)\n"
           "  V >= V_th: spike, V = V_reset, clamped for t_ref\n"
           "  step: exact decay of the conductances, exponential Euler for V with their step averages\n"));
  PetscCall(NdPopulationAddParameter(pop, "C_m", 250, "pF", 0, PETSC_TRUE, hi, PETSC_FALSE, "membrane capacitance"));
  PetscCall(NdPopulationAddParameter(pop, "g_L", 16.6667, "nS", 0, PETSC_TRUE, hi, PETSC_FALSE, "leak conductance"));
  PetscCall(
      NdPopulationAddParameter(pop, "E_L", -70, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "leak reversal potential"));
  PetscCall(NdPopulationAddParameter(pop, "E_ex", 0, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "excitatory reversal potential"));
  PetscCall(NdPopulationAddParameter(pop, "E_in", -85, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "inhibitory reversal potential"));
  PetscCall(NdPopulationAddParameter(pop, "V_th", -55, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "spike threshold"));
  PetscCall(NdPopulationAddParameter(pop, "V_reset", -60, "mV", lo, PETSC_FALSE, hi, PETSC_FALSE, "reset potential"));
  PetscCall(NdPopulationAddParameter(pop, "t_ref", 2, "ms", 0, PETSC_FALSE, hi, PETSC_FALSE, "refractory period"));
  PetscCall(NdPopulationAddParameter(pop, "tau_syn_ex", 0.2, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "excitatory conductance time constant"));
  PetscCall(NdPopulationAddParameter(pop, "tau_syn_in", 2, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "inhibitory conductance time constant"));
  PetscCall(NdPopulationAddParameter(pop, "I_e", 0, "pA", lo, PETSC_FALSE, hi, PETSC_FALSE, "constant input current"));
  PetscCall(NdPopulationAddVariable(pop, "V", "mV", NAN, "membrane potential (default E_L)"));
  PetscCall(NdPopulationAddVariable(pop, "g_ex", "nS", 0, "excitatory conductance"));
  PetscCall(NdPopulationAddVariable(pop, "g_in", "nS", 0, "inhibitory conductance"));
  PetscCall(NdPopulationAddVariable(pop, "refractory", "1", 0, "steps left in the refractory period"));
  PetscCall(NdPopulationAddObservable(pop, "v", "mV"));
  PetscCall(NdPopulationAddObservable(pop, "g_ex", "nS"));
  PetscCall(NdPopulationAddObservable(pop, "g_in", "nS"));
  pop->nchannel          = 2;
  pop->ops.setup         = NdNeuronSetUp_LIFCond;
  pop->ops.initialize    = NdNeuronInitialize_LIFCond;
  pop->ops.step          = NdNeuronStep_LIFCond;
  pop->ops.observe       = NdNeuronObserve_LIFCond;
  pop->ops.finishobserve = NdPopulationFinishObserveMean;
  pop->ops.destroy       = NdNeuronDestroy_LIFCond;
  PetscFunctionReturn(PETSC_SUCCESS);
}
