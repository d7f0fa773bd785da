/* qif: quadratic integrate-and-fire neurons in the theta form (docs/models/mpr.md),

     tau dV/dt = V^2 + eta + I(t) + tau s,   s = synaptic input (instantaneous or first order),

   advanced by the exact solution for the drive c = eta + I + tau s held over the step. The flow of
   tau dV/dt = V^2 + c is a Moebius map of V: V(t + dt) = (V + c g) / (1 - V g), with
   g = tan(sqrt(c) dt/tau)/sqrt(c) (c > 0), tanh(sqrt(-c) dt/tau)/sqrt(-c) (c < 0), dt/tau (c = 0).
   V passes through +infinity to -infinity (a spike; theta = 2 atan V crosses pi) exactly when the
   denominator changes sign: the limit V_peak = -V_reset -> infinity of the mean-field theory,
   with no threshold, reset or time-to-infinity correction needed. Instantaneous synapses
   (tau_s = 0) make V jump by the arriving weight (J/N per spike for all-to-all coupling J);
   first-order synapses: tau_s ds/dt = -s + sum_k w_k delta(t - t_k). */
#include <neurodyn/private/networkimpl.h>

enum { QIF_TAU, QIF_ETA, QIF_TAUS };
enum { QIF_V, QIF_S };

typedef struct {
  PetscBool too_coarse; /* a step turned theta by more than pi/2: the step is too long for the drive */
  PetscReal worst;
} QIFData;

static PetscErrorCode NdNeuronStep_QIF(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                       PetscInt *nspiked)
{
  QIFData        *q   = (QIFData *)pop->data;
  const PetscInt  n   = pop->nlocal;
  const PetscReal tau = pop->param[QIF_TAU].value, taus = pop->param[QIF_TAUS].value, dt = in->dt;
  const PetscReal decay = taus > 0 ? PetscExpReal(-dt / taus) : 0;
  PetscReal      *V = x + QIF_V * n, *S = x + QIF_S * n, *w = in->input[0];
  const PetscReal bcast = in->broadcast[0];
  PetscInt        ns    = 0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    PetscReal       v = V[i], c = NdPopulationParam(pop, QIF_ETA, i) + in->current, g, den;
    const PetscReal arriving = w[i] + bcast;
    w[i]                     = 0;
    if (taus > 0) {
      c += tau * S[i];
      S[i] = S[i] * decay + arriving / taus;
    } else
      v += arriving;
    if (c > 0) {
      const PetscReal sc = PetscSqrtReal(c), th = sc * dt / tau;
      if (th >= 0.5 * PETSC_PI) {
        q->too_coarse = PETSC_TRUE;
        q->worst      = PetscMax(q->worst, c);
      }
      g = PetscTanReal(th) / sc;
    } else if (c < 0) {
      const PetscReal sc = PetscSqrtReal(-c);
      g                  = PetscTanhReal(sc * dt / tau) / sc;
    } else
      g = dt / tau;
    den = 1 - v * g;
    if (den <= 0) { /* through infinity: a spike */
      spiked[ns++] = i;
      if (den > -1e-300) den = -1e-300;
    }
    V[i] = (v + c * g) / den;
  }
  *nspiked = ns;
  PetscCheck(
      !q->too_coarse, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT,
      "qif population %s: a drive eta + I + tau s of %g turns theta by more than pi/2 in one step; reduce -ts_dt "
      "below %g",
      pop->name, (double)q->worst, (double)(0.5 * PETSC_PI * tau / PetscSqrtReal(q->worst)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Sums of cos(theta), sin(theta) with theta = 2 atan V, and of s */
static PetscErrorCode NdNeuronObserve_QIF(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt   n = pop->nlocal;
  const PetscReal *V = x + QIF_V * n, *S = x + QIF_S * n;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal v2 = V[i] * V[i], d = 1 / (1 + v2);
    sums[0] += (1 - v2) * d;
    sums[1] += 2 * V[i] * d;
    sums[2] += S[i];
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The Kuramoto order parameter Z = <exp(i theta)> gives the Lorentzian's centre v and half-width
   pi tau r through W = pi tau r + i v = (1 - conj Z) / (1 + conj Z) (Montbrio et al. 2015) */
static PetscErrorCode NdNeuronFinishObserve_QIF(NdPopulation pop, const PetscReal sums[], PetscReal obs[])
{
  const PetscReal zr = sums[0] / (PetscReal)pop->size, zi = -sums[1] / (PetscReal)pop->size; /* conj Z */
  const PetscReal d  = (1 + zr) * (1 + zr) + zi * zi;
  const PetscReal wr = ((1 - zr) * (1 + zr) - zi * zi) / d, wi = (-zi * (1 + zr) - (1 - zr) * zi) / d;

  PetscFunctionBegin;
  obs[0] = wi;
  obs[1] = wr / (PETSC_PI * pop->param[QIF_TAU].value);
  obs[2] = sums[2] / (PetscReal)pop->size;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_QIF(NdPopulation pop)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(pop->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdNeuronModelCreate_QIF(NdPopulation pop)
{
  QIFData *q;

  PetscFunctionBegin;
  PetscCall(PetscNew(&q));
  pop->data = q;
  PetscCall(NdPopulationSetDescription(pop, "quadratic integrate-and-fire, theta form (exact step)", "1"));
  PetscCall(NdPopulationSetEquations(
      pop, "  tau dV/dt = V^2 + eta + I(t) + tau s                         (docs/models/mpr.md; theta = 2 atan V)\n"
           "  tau_s = 0: an arriving weight w moves V by w; tau_s > 0: tau_s ds/dt = -s + sum w delta(t - t_k)\n"
           "  spike: V passes through +infinity to -infinity (theta crosses pi)\n"
           "  step: the exact Moebius map of V for the drive held over the step\n"));
  PetscCall(NdPopulationAddParameter(pop, "tau", 1, "1", 0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "membrane time constant"));
  PetscCall(NdPopulationAddParameter(pop, "eta", -5, "1", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "excitability (centre of its distribution)"));
  PetscCall(NdPopulationAddParameter(pop, "tau_s", 0, "1", 0, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                     "synaptic time constant (0: instantaneous synapses)"));
  PetscCall(NdPopulationAddVariable(pop, "V", "1", -2, "membrane potential"));
  PetscCall(NdPopulationAddVariable(pop, "s", "1", 0, "synaptic input (first-order synapses)"));
  PetscCall(NdPopulationAddObservable(pop, "v", "1"));
  PetscCall(NdPopulationAddObservable(pop, "r_kuramoto", "1"));
  PetscCall(NdPopulationAddObservable(pop, "s", "1"));
  pop->nchannel          = 1;
  pop->ops.step          = NdNeuronStep_QIF;
  pop->ops.observe       = NdNeuronObserve_QIF;
  pop->ops.finishobserve = NdNeuronFinishObserve_QIF;
  pop->ops.destroy       = NdNeuronDestroy_QIF;
  PetscFunctionReturn(PETSC_SUCCESS);
}
