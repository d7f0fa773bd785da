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
  PetscReal  nref;                    /* steps of the refractory period */
  PetscReal *base;                    /* per neuron: E_L (1 - P22) + P20 I_e, the constant part of the V update */
  PetscReal *reset;                   /* per neuron: V_reset */
  PetscBool  het;                     /* E_L, I_e or V_reset differ between the neurons */
  PetscInt  *refractory, nrefractory; /* the local neurons whose refractory count is not 0 */
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
  PetscCall(PetscMalloc3(PetscMax(pop->nlocal, 1), &d->base, PetscMax(pop->nlocal, 1), &d->reset,
                         PetscMax(pop->nlocal, 1), &d->refractory));
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

/* One step of the lif neurons, in one pass over their state: V propagates, the currents decay and
   take the arriving weights (read from the ring buffer, which is cleared), and the new V is
   compared with the threshold. The refractory neurons (a few percent: those that spiked in the
   last t_ref) are not in this pass: it propagates their V as any other's, and the sparse pass
   after it (NdNeuronStep_LIF) clamps them again at V_reset and counts their refractory steps
   down. So the dense pass moves 80 bytes per neuron (V, I_ex, I_in and the two inputs, read and
   written) and has no selects. A block of NDLIF_BLOCK neurons where some V reached the threshold is
   scanned again one by one (spikes are rare); a neuron refractory at the step's start does not
   spike (its V is V_reset after the clamp). With het false (a compile-time constant after
   inlining) E_L, I_e and V_reset are the same for all neurons and come from registers. */
#define NDLIF_BLOCK 16

typedef struct {
  PetscInt         n;
  PetscReal       *V, *Iex, *Iin, *wex, *win; /* state, and the inputs of this step (cleared) */
  const PetscReal *ref, *icur, *Vth;          /* refractory steps left, per-neuron currents (or NULL), V_th (or NULL) */
  PetscReal        current, bex, bin, vth;    /* the shared stimulus, the all-to-all inputs, the shared V_th */
  PetscInt        *spiked;
} LIFStep;

/* The neurons of [i, i + m) at or above the threshold and not refractory into spiked */
static inline PetscInt NdLIFScan(const LIFStep *a, PetscInt i, PetscInt m, PetscInt ns)
{
  for (PetscInt j = i; j < i + m; j++)
    if (a->V[j] >= (a->Vth ? a->Vth[j] : a->vth) && !(a->ref[j] > 0)) a->spiked[ns++] = j;
  return ns;
}

/* The dense pass; returns the number of spikes. fused: the threshold test in the same loop as
   the update (vectorised with AVX2 and wider); else in a second loop over the block, while it is in
   the first-level cache (SSE2 has no vector form of the test's reduction, and the update alone
   vectorises). The arrays are restrict parameters (restrict locals left GCC checking for overlap in
   every block) and the constants locals: the stores into the arrays cannot change them. */
static inline PetscInt NdLIFPass(const LIFData *d, const LIFStep *a, PetscBool het, PetscBool fused, PetscInt n,
                                 PetscReal *restrict V, PetscReal *restrict Iex, PetscReal *restrict Iin,
                                 PetscReal *restrict wex, PetscReal *restrict win, const PetscReal *restrict base,
                                 const PetscReal *restrict icur, const PetscReal *restrict Vth)
{
  const PetscReal P22 = d->P22, P21ex = d->P21ex, P21in = d->P21in, P11ex = d->P11ex, P11in = d->P11in, P20 = d->P20;
  const PetscReal drive = d->P20 * a->current, base0 = d->base[0], vth = a->vth, bex = a->bex, bin = a->bin;
  PetscInt        ns = 0, i = 0, j;

#define NDLIF_NEURON(j)                                                                                                \
  do {                                                                                                                 \
    V[j] =                                                                                                             \
        P22 * V[j] + P21ex * Iex[j] + P21in * Iin[j] + (het ? base[j] : base0) + drive + (icur ? P20 * icur[j] : 0);   \
    Iex[j] = P11ex * Iex[j] + wex[j] + bex;                                                                            \
    Iin[j] = P11in * Iin[j] + win[j] + bin;                                                                            \
    wex[j] = 0;                                                                                                        \
    win[j] = 0;                                                                                                        \
  } while (0)
  for (; i + NDLIF_BLOCK <= n; i += NDLIF_BLOCK) {
    PetscInt any = 0;
    if (fused) {
      for (j = i; j < i + NDLIF_BLOCK; j++) {
        NDLIF_NEURON(j);
        any |= V[j] >= (Vth ? Vth[j] : vth);
      }
    } else {
      for (j = i; j < i + NDLIF_BLOCK; j++) NDLIF_NEURON(j);
      for (j = i; j < i + NDLIF_BLOCK; j++) any |= V[j] >= (Vth ? Vth[j] : vth);
    }
    if (any) ns = NdLIFScan(a, i, NDLIF_BLOCK, ns);
  }
  for (j = i; j < n; j++) NDLIF_NEURON(j);
#undef NDLIF_NEURON
  return NdLIFScan(a, i, n - i, ns);
}

/* The pass for each kind of population (per-neuron currents; E_L, I_e or V_reset per neuron; all
   the same), once per instruction set */
#define NDLIF_PASSES(suffix, target, fused)                                                                            \
  target static PetscInt NdLIFPass_##suffix(const LIFData *d, const LIFStep *a)                                        \
  {                                                                                                                    \
    if (a->icur)                                                                                                       \
      return NdLIFPass(d, a, PETSC_TRUE, fused, a->n, a->V, a->Iex, a->Iin, a->wex, a->win, d->base, a->icur, a->Vth); \
    if (d->het)                                                                                                        \
      return NdLIFPass(d, a, PETSC_TRUE, fused, a->n, a->V, a->Iex, a->Iin, a->wex, a->win, d->base, NULL, a->Vth);    \
    return NdLIFPass(d, a, PETSC_FALSE, fused, a->n, a->V, a->Iex, a->Iin, a->wex, a->win, d->base, NULL, a->Vth);     \
  }
NDLIF_PASSES(baseline, , PETSC_FALSE)
#if defined(ND_HAVE_SIMD_VERSIONS)
NDLIF_PASSES(avx2, ND_TARGET_AVX2, PETSC_TRUE)
NDLIF_PASSES(avx512, ND_TARGET_AVX512, PETSC_TRUE)
#endif

static PetscErrorCode NdNeuronStep_LIF(NdPopulation pop, const NdStepInput *in, PetscReal *x, PetscInt *spiked,
                                       PetscInt *nspiked)
{
  LIFData       *d = (LIFData *)pop->data;
  const PetscInt n = pop->nlocal;
  PetscReal     *V = x + LIF_V * n, *ref = x + LIF_REF * n;
  LIFStep        a = {n,
                      V,
                      x + LIF_IEX * n,
                      x + LIF_IIN * n,
                      in->input[0],
                      in->input[1],
                      ref,
                      in->icurrent,
                      pop->het[LIF_VTH].local,
                      in->current,
                      in->broadcast[0],
                      in->broadcast[1],
                      pop->param[LIF_VTH].value,
                      spiked};
  PetscInt       ns, kept = 0;

  PetscFunctionBegin;
  if (!n) PetscFunctionReturn(PETSC_SUCCESS);
  if (in->fresh) { /* the refractory neurons from the state: any with a count other than 0 */
    d->nrefractory = 0;
    for (PetscInt i = 0; i < n; i++)
      if (ref[i] != 0) d->refractory[d->nrefractory++] = i;
  }
  switch (in->simd) {
#if defined(ND_HAVE_SIMD_VERSIONS)
  case ND_SIMD_AVX512:
    ns = NdLIFPass_avx512(d, &a);
    break;
  case ND_SIMD_AVX2:
    ns = NdLIFPass_avx2(d, &a);
    break;
#endif
  default:
    ns = NdLIFPass_baseline(d, &a);
  }
  /* the refractory neurons: clamped at V_reset, one step counted down (as NEST: refractory while
     the count is > 0; a count <= 0 or NaN becomes 0) */
  for (PetscInt k = 0; k < d->nrefractory; k++) {
    const PetscInt  i = d->refractory[k];
    const PetscReal r = ref[i], rm = r - 1;
    if (r > 0) V[i] = d->reset[i];
    ref[i] = rm > 0 ? rm : 0;
    if (ref[i] != 0) d->refractory[kept++] = i;
  }
  d->nrefractory = kept;
  for (PetscInt k = 0; k < ns; k++) {
    V[spiked[k]]   = d->reset[spiked[k]];
    ref[spiked[k]] = d->nref;
    if (d->nref != 0) d->refractory[d->nrefractory++] = spiked[k];
  }
  *nspiked = ns;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The sum of x[0..n) as eight interleaved partial sums added pairwise at the end: vectorised with any
   instruction set (each lane its own sum, no reassociation), and the same order on every machine. The
   sequential sum waited four cycles per neuron on the previous addition: at 4,000 neurons, sampled
   every 10 steps, that was a tenth of the run. */
static PetscReal NdSum8(PetscInt n, const PetscReal *restrict x)
{
  PetscReal s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  PetscInt  i    = 0;

  for (; i + 8 <= n; i += 8)
    for (PetscInt k = 0; k < 8; k++) s[k] += x[i + k];
  for (; i < n; i++) s[i - (n / 8) * 8] += x[i];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static PetscErrorCode NdNeuronObserve_LIF(NdPopulation pop, const PetscReal *x, PetscReal sums[])
{
  const PetscInt n = pop->nlocal;

  PetscFunctionBegin;
  sums[0] += NdSum8(n, x + LIF_V * n);
  sums[1] += NdSum8(n, x + LIF_IEX * n);
  sums[2] += NdSum8(n, x + LIF_IIN * n);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNeuronDestroy_LIF(NdPopulation pop)
{
  LIFData *d = (LIFData *)pop->data;

  PetscFunctionBegin;
  if (d) PetscCall(PetscFree3(d->base, d->reset, d->refractory));
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
