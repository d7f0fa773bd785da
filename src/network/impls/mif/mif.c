/* mif: the Markovian integrate-and-fire neurons of the E/I networks of Cai, Chariker, Young and of
   seed 001 (docs/models/markov_ei.md), time in ms. The voltage is an integer V in {-M_r, ..., M}:

   - external drive: Poisson kicks at rate_ext, each V += 1;
   - V >= M: a spike; V = 0 and the neuron is refractory, leaving at rate refractory_rate (kicks
     that arrive meanwhile are lost);
   - a spike of an E (I) neuron gives each neuron of a target population a pending E (I) kick with
     probability P_E (P_I); each pending kick takes effect after an exponential delay of mean
     tau_E (tau_I): V += S_E for an E kick, V += S_I (V + M_r)/(M + M_r) for an I kick (a
     conductance-like kick towards the inhibitory reversal -M_r, clipped there); a non-integer
     kick is rounded up or down at random with the right mean.

   On the fixed step dt: Poisson(rate_ext dt) external kicks, Binomial(H, 1 - exp(-dt/tau)) of
   the H pending kicks of each kind take effect, refractory ends with probability
   1 - exp(-refractory_rate dt); spikes arriving in the step (their count, the projections'
   weights +1 for E sources and -1 for I sources) create Binomial(count, P) new pending kicks.
   All draws are keyed by (seed, population, neuron, step), so runs agree at any rank count. */
#include <math.h>
#include <neurodyn/private/networkimpl.h>
#include <neurodyn/rng.h>

enum { MIF_M, MIF_MR, MIF_RATE, MIF_REFR, MIF_PE, MIF_PI, MIF_SE, MIF_SI, MIF_TAUE, MIF_TAUI };
enum { MIF_V, MIF_R, MIF_HE, MIF_HI };

typedef struct {
  PetscReal pe, pi, pleave; /* per-step probabilities: a pending kick takes effect; refractory ends */
  PetscReal lambda, p0;     /* external kicks per step, and exp(-lambda) */
} MIFData;

/* Inversion of one uniform: Binomial(n, p), with small means per step */
static PetscInt NdBinomialDraw(PetscInt n, PetscReal p, PetscReal u)
{
  PetscReal q, cdf;
  PetscInt  k = 0;
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  q   = PetscPowReal(1 - p, (PetscReal)n);
  cdf = q;
  while (u > cdf && k < n) {
    q *= (PetscReal)(n - k) / (PetscReal)(k + 1) * p / (1 - p);
    k++;
    cdf += q;
  }
  return k;
}

/* x rounded down or up at random, with mean x */
static inline PetscReal NdStochasticRound(PetscReal x, PetscReal u)
{
  const PetscReal f = PetscFloorReal(x);
  return f + (u < x - f ? 1 : 0);
}

static PetscErrorCode NdNeuronSetUp_MIF(NdPopulation pop)
{
  MIFData        *d  = (MIFData *)pop->data;
  const PetscReal dt = pop->net->dt;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < pop->nparam; k++)
    PetscCheck(pop->het[k].dist == ND_DIST_FIXED, PetscObjectComm((PetscObject)pop->net), PETSC_ERR_USER_INPUT,
               "mif population %s: the network is homogeneous; %s cannot vary over the neurons", pop->name,
               pop->param[k].name);
  PetscCheck(pop->param[MIF_RATE].value * dt < 1, PetscObjectComm((PetscObject)pop->net), PETSC_ERR_USER_INPUT,
             "mif population %s: rate_ext * dt = %g external kicks per step; reduce -ts_dt (below %g ms)", pop->name,
             (double)(pop->param[MIF_RATE].value * dt), (double)(1 / pop->param[MIF_RATE].value));
  d->pe     = -expm1(-dt / pop->param[MIF_TAUE].value);
  d->pi     = -expm1(-dt / pop->param[MIF_TAUI].value);
  d->pleave = -expm1(-dt * pop->param[MIF_REFR].value);
  d->lambda = pop->param[MIF_RATE].value * dt;
  d->p0     = exp(-d->lambda);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronStep_MIF(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                       PetscInt *nspiked)
{
  MIFData           *d = (MIFData *)pop->data;
  const PetscInt     n = pop->nlocal;
  const NdParameter *p = pop->param;
  const PetscReal    M = p[MIF_M].value, Mr = p[MIF_MR].value;
  const PetscReal    PE = p[MIF_PE].value, PI = p[MIF_PI].value, SE = p[MIF_SE].value, SI = p[MIF_SI].value;
  const uint64_t     seed = (uint64_t)pop->net->seed, step = (uint64_t)pop->net->step;
  const uint32_t     stream = ND_STREAM(ND_STREAM_NEURON, pop->index);
  PetscReal         *V = x + MIF_V * n, *R = x + MIF_R * n, *HE = x + MIF_HE * n, *HI = x + MIF_HI * n;
  PetscReal         *inE = in->input[0], *inI = in->input[1];
  PetscInt           ns = 0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    const uint64_t j = (uint64_t)(pop->lstart + i);
    double         u[6];
    PetscInt       kE, kI;
    PetscReal      v = V[i];
    NdRandomUniform2(seed, stream, j, 3 * step, u);
    NdRandomUniform2(seed, stream, j, 3 * step + 1, u + 2);
    NdRandomUniform2(seed, stream, j, 3 * step + 2, u + 4);
    kE = NdBinomialDraw((PetscInt)HE[i], d->pe, u[0]);
    kI = NdBinomialDraw((PetscInt)HI[i], d->pi, u[1]);
    HE[i] -= (PetscReal)kE;
    HI[i] -= (PetscReal)kI;
    if (R[i] != 0) {
      if (u[2] < d->pleave) R[i] = 0;
    } else {
      v += (PetscReal)NdPoissonInversion(d->lambda, d->p0, u[3]) + NdStochasticRound((PetscReal)kE * SE, u[4]);
      for (PetscInt k = 0; k < kI; k++) { /* each kick rounded with its own number (the first: u[5]) */
        const PetscReal uk = k ? NdRandomUniform(seed, stream, j, ((uint64_t)1 << 61) + 64 * step + (uint64_t)k) : u[5];
        v                  = PetscMax(-Mr, v + NdStochasticRound(SI * (v + Mr) / (M + Mr), uk));
      }
      if (v >= M) {
        spiked[ns++] = i;
        v            = 0;
        R[i]         = 1;
      }
      V[i] = v;
    }
    {
      const PetscReal mE = PetscAbsReal(inE[i] + in->broadcast[0]), mI = PetscAbsReal(inI[i] + in->broadcast[1]);
      double          w[2];
      inE[i] = inI[i] = 0;
      if (mE > 0 || mI > 0) {
        NdRandomUniform2(seed, stream, j, ((uint64_t)1 << 62) + step, w);
        HE[i] += (PetscReal)NdBinomialDraw((PetscInt)(mE + 0.5), PE, w[0]);
        HI[i] += (PetscReal)NdBinomialDraw((PetscInt)(mI + 0.5), PI, w[1]);
      }
    }
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Mean V over the non-refractory neurons is not a plain mean: report the plain means of V, of the
   refractory indicator and of the pending kicks */
static PetscErrorCode NdNeuronObserve_MIF(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt n = pop->nlocal;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < 4; k++)
    for (PetscInt i = 0; i < n; i++) sums[k] += x[k * n + i];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_MIF(NdPopulation pop)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_MIF(NdPopulation pop)
{
  const PetscReal hi = PETSC_MAX_REAL;
  MIFData        *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  pop->data = d;
  PetscCall(NdPopulationSetDescription(
      pop, "Markovian integrate-and-fire, integer voltages, pending kicks (docs/models/markov_ei.md)", "ms"));
  PetscCall(NdPopulationSetEquations(
      pop, "  integer V in {-M_r, ..., M}; external Poisson kicks at rate_ext, each V += 1\n"
           "  V >= M: spike, V = 0, refractory until it leaves at refractory_rate\n"
           "  an E (I) spike gives each target a pending kick with probability P_E (P_I), taking effect after\n"
           "  an exponential delay tau_E (tau_I): V += S_E, or V += S_I (V + M_r)/(M + M_r)\n"
           "  step: Poisson, binomial and Bernoulli draws keyed by (seed, population, neuron, step)\n"));
  PetscCall(
      NdPopulationAddParameter(pop, "M", 100, "1", 1, PETSC_FALSE, hi, PETSC_FALSE, "threshold (integer voltage)"));
  PetscCall(
      NdPopulationAddParameter(pop, "M_r", 66, "1", 0, PETSC_FALSE, hi, PETSC_FALSE, "-M_r: inhibitory reversal"));
  pop->param[MIF_M].integer  = PETSC_TRUE; /* voltages are integers */
  pop->param[MIF_MR].integer = PETSC_TRUE;
  PetscCall(NdPopulationAddParameter(pop, "rate_ext", 7, "1/ms", 0, PETSC_FALSE, hi, PETSC_FALSE,
                                     "external Poisson kick rate"));
  PetscCall(NdPopulationAddParameter(pop, "refractory_rate", 0.4, "1/ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "rate of leaving the refractory state"));
  PetscCall(NdPopulationAddParameter(pop, "P_E", 0.15, "1", 0, PETSC_FALSE, 1, PETSC_FALSE,
                                     "probability that an E spike gives a pending kick"));
  PetscCall(NdPopulationAddParameter(pop, "P_I", 0.5, "1", 0, PETSC_FALSE, 1, PETSC_FALSE,
                                     "probability that an I spike gives a pending kick"));
  PetscCall(NdPopulationAddParameter(pop, "S_E", 5, "1", 0, PETSC_FALSE, hi, PETSC_FALSE, "E kick size"));
  PetscCall(NdPopulationAddParameter(pop, "S_I", -4.91, "1", PETSC_MIN_REAL, PETSC_FALSE, 0, PETSC_FALSE,
                                     "I kick strength (at V = M)"));
  PetscCall(NdPopulationAddParameter(pop, "tau_E", 1.3, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "mean delay of a pending E kick"));
  PetscCall(NdPopulationAddParameter(pop, "tau_I", 4.5, "ms", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                     "mean delay of a pending I kick"));
  PetscCall(NdPopulationAddVariable(pop, "V", "1", 0, "integer membrane potential"));
  PetscCall(NdPopulationAddVariable(pop, "R", "1", 0, "1 while refractory"));
  PetscCall(NdPopulationAddVariable(pop, "H_E", "1", 0, "pending E kicks"));
  PetscCall(NdPopulationAddVariable(pop, "H_I", "1", 0, "pending I kicks"));
  PetscCall(NdPopulationAddObservable(pop, "v", "1"));
  PetscCall(NdPopulationAddObservable(pop, "refractory", "1"));
  PetscCall(NdPopulationAddObservable(pop, "H_E", "1"));
  PetscCall(NdPopulationAddObservable(pop, "H_I", "1"));
  pop->nchannel          = 2;
  pop->ops.setup         = NdNeuronSetUp_MIF;
  pop->ops.step          = NdNeuronStep_MIF;
  pop->ops.observe       = NdNeuronObserve_MIF;
  pop->ops.finishobserve = NdPopulationFinishObserveMean;
  pop->ops.destroy       = NdNeuronDestroy_MIF;
  PetscFunctionReturn(PETSC_SUCCESS);
}
