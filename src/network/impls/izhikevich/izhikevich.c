/* izhikevich: Izhikevich neurons with spike-frequency adaptation and conductance-based synapses
   in the dimensionless form of Chen & Campbell (docs/models/izh_mf.md):

     dv/dt = v (v - alpha) - w + eta + I(t) + g s (e_r - v)
     dw/dt = a (b v - w),                 v >= v_peak: v <- v_reset, w <- w + w_jump
     ds/dt = -s / tau_s + arriving weights (s_jump/N per spike for all-to-all coupling s_jump)

   integrated by forward Euler on the fixed step, as the authors' network code does
   (dt = 1e-3, v_peak = -v_reset = 200 standing for infinity). -net_<pop>_reset reflect resets
   v <- -v instead, as that code does (docs/models/izh_mf.md#the-network-and-its-parameters): the overshoot past v_peak
   is kept. */
#include <neurodyn/private/networkimpl.h>

enum { IZ_ALPHA, IZ_A, IZ_B, IZ_WJUMP, IZ_G, IZ_ER, IZ_TAUS, IZ_ETA, IZ_VPEAK, IZ_VRESET };
enum { IZ_V, IZ_W, IZ_S };

/* The reset at a spike: to v_reset, or v <- -v */
typedef enum { IZ_RESET_FIXED, IZ_RESET_REFLECT } IzResetRule;
static const char *const IzResetRules[] = {"fixed", "reflect"};

static PetscErrorCode NdNeuronStep_Izhikevich(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                              PetscInt *nspiked)
{
  const PetscInt     n     = pop->nlocal;
  const NdParameter *p     = pop->param;
  const PetscReal    alpha = p[IZ_ALPHA].value, a = p[IZ_A].value, b = p[IZ_B].value, wjump = p[IZ_WJUMP].value;
  const PetscReal    g = p[IZ_G].value, er = p[IZ_ER].value, taus = p[IZ_TAUS].value, vpeak = p[IZ_VPEAK].value;
  const PetscReal    vreset = p[IZ_VRESET].value, dt = in->dt, cur = in->current, bcast = in->broadcast[0];
  const PetscBool    reflect = (PetscBool)(*(const PetscInt *)pop->data == IZ_RESET_REFLECT);
  PetscReal         *V = x + IZ_V * n, *W = x + IZ_W * n, *S = x + IZ_S * n, *input = in->input[0];
  PetscInt           ns = 0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal v = V[i], w = W[i], s = S[i];
    PetscReal       vn = v + dt * (v * (v - alpha) - w + NdPopulationParam(pop, IZ_ETA, i) + cur + g * s * (er - v));
    PetscReal       wn = w + dt * a * (b * v - w);
    S[i]               = s - dt * s / taus + input[i] + bcast;
    input[i]           = 0;
    if (vn >= vpeak) {
      spiked[ns++] = i;
      vn           = reflect ? -vn : vreset;
      wn += wjump;
    }
    V[i] = vn;
    W[i] = wn;
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronObserve_Izhikevich(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt n = pop->nlocal;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 3; k++)
    for (PetscInt i = 0; i < n; i++) sums[k] += x[k * n + i];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronSetFromOptions_Izhikevich(NdPopulation pop, NdOptionItems PetscOptionsObject)
{
  char opt[64];

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_reset", pop->name));
  PetscCall(NdOptionsChoice(PetscOptionsObject, opt, "Reset at a spike: to v_reset, or v -> -v (the authors' code)",
                            IzResetRules, 2, (PetscInt *)pop->data, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_Izhikevich(NdPopulation pop)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronSetUp_Izhikevich(NdPopulation pop)
{
  PetscFunctionBegin;
  PetscCheck(pop->param[IZ_VRESET].value < pop->param[IZ_VPEAK].value, PetscObjectComm((PetscObject)pop->net),
             PETSC_ERR_USER_INPUT, "izhikevich population %s: v_reset (%g) must be below v_peak (%g)", pop->name,
             (double)pop->param[IZ_VRESET].value, (double)pop->param[IZ_VPEAK].value);
  for (PetscInt k = 0; k < pop->nparam; k++)
    PetscCheck(k == IZ_ETA || pop->het[k].dist == ND_DIST_FIXED, PetscObjectComm((PetscObject)pop->net),
               PETSC_ERR_USER_INPUT,
               "izhikevich population %s: only eta may vary over the neurons (%s given a distribution or a file)",
               pop->name, pop->param[k].name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_Izhikevich(NdPopulation pop)
{
  const PetscReal lo = PETSC_MIN_REAL, hi = PETSC_MAX_REAL;

  PetscFunctionBegin;
  PetscCall(NdPopulationSetDescription(pop, "Izhikevich with adaptation, dimensionless (Chen & Campbell 2022)", "1"));
  PetscCall(NdPopulationSetEquations(
      pop, "  dv/dt = v (v - alpha) - w + eta + I(t) + g s (e_r - v)             (Chen & Campbell 2022)\n"
           "  dw/dt = a (b v - w);  ds/dt = -s/tau_s + arriving weights\n"
           "  v >= v_peak: spike, v = v_reset (or -v with -net_<population>_reset reflect), w += w_jump\n"
           "  step: forward Euler\n"));
  PetscCall(NdPopulationAddParameter(pop, "alpha", 0.6215, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "v(v - alpha): resting and threshold"));
  PetscCall(NdPopulationAddParameter(pop, "a", 0.0077, "1", 0, PETSC_TRUE, hi, PETSC_FALSE, "adaptation rate"));
  PetscCall(NdPopulationAddParameter(pop, "b", -0.0062, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "adaptation sensitivity to v"));
  PetscCall(NdPopulationAddParameter(pop, "w_jump", 0.0189, "1", 0, PETSC_FALSE, hi, PETSC_FALSE,
                                     "adaptation jump at a spike"));
  PetscCall(NdPopulationAddParameter(pop, "g", 1.2308, "1", 0, PETSC_FALSE, hi, PETSC_FALSE, "synaptic conductance"));
  PetscCall(
      NdPopulationAddParameter(pop, "e_r", 1, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "synaptic reversal potential"));
  PetscCall(NdPopulationAddParameter(pop, "tau_s", 2.6, "1", 0, PETSC_TRUE, hi, PETSC_FALSE, "synaptic time constant"));
  PetscCall(NdPopulationAddParameter(pop, "eta", 0.12, "1", lo, PETSC_FALSE, hi, PETSC_FALSE,
                                     "input current (centre of its distribution)"));
  PetscCall(NdPopulationAddParameter(pop, "v_peak", 200, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "spike cut-off"));
  PetscCall(NdPopulationAddParameter(pop, "v_reset", -200, "1", lo, PETSC_FALSE, hi, PETSC_FALSE, "reset value"));
  PetscCall(NdPopulationAddVariable(pop, "v", "1", 0, "membrane potential"));
  PetscCall(NdPopulationAddVariable(pop, "w", "1", 0, "adaptation current"));
  PetscCall(NdPopulationAddVariable(pop, "s", "1", 0, "synaptic gating"));
  PetscCall(NdPopulationAddObservable(pop, "v", "1"));
  PetscCall(NdPopulationAddObservable(pop, "w", "1"));
  PetscCall(NdPopulationAddObservable(pop, "s", "1"));
  PetscCall(PetscCalloc1(1, (PetscInt **)&pop->data)); /* the reset rule, IZ_RESET_FIXED */
  pop->nchannel           = 1;
  pop->ops.setfromoptions = NdNeuronSetFromOptions_Izhikevich;
  pop->ops.destroy        = NdNeuronDestroy_Izhikevich;
  pop->ops.setup          = NdNeuronSetUp_Izhikevich;
  pop->ops.step           = NdNeuronStep_Izhikevich;
  pop->ops.observe        = NdNeuronObserve_Izhikevich;
  pop->ops.finishobserve  = NdPopulationFinishObserveMean;
  PetscFunctionReturn(PETSC_SUCCESS);
}
