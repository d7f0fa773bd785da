/* markov_ei: the Markov approximation of the homogeneous E/I network of Markovian integrate-and-
   fire neurons (seed 001, Chang, Li, Wang, Tao, Xiao 2025; docs/models/markov_ei.md).
   The network being approximated is the `mif` network type; parameters carry the names of docs/models/markov_ei.md,
   time is in ms and rates are per ms, as in `mif`. Derivation: docs/models/markov_ei.md.

   Per population Q in {E, I}: p_Q(v), the fraction of neurons at voltage v in {-M_r, ..., M-1},
   p_Q(ref), the refractory fraction, and H_QE, H_QI, the mean numbers of pending E and I kicks per
   neuron of Q. With the pending kicks treated as independent of the voltages (fast
   self-decorrelation), each neuron is a Markov chain on these states, driven by the kick rates

     lambda = rate_ext (+1),  kappa_QE = H_QE / tau_QE (+S_QE),  kappa_QI = H_QI / tau_I (+S_QI (v + M_r)/(M + M_r)),

   a non-integer kick x going to v + floor(x) + 1 with probability x - floor(x) (else v + floor(x)),
   a target >= M being a spike (to ref), a target below -M_r being clipped to -M_r; ref -> 0 at
   refractory_rate. The spike flux F_Q (spikes per neuron per ms) feeds the pending kicks:

     dH_QQ'/dt = N_Q' P_QQ' F_Q' - H_QQ' / tau_QQ'.

   One node holds 2 (M + M_r + 3) variables; the Jacobian is assembled sparse: every state couples
   to the few states one kick away, every H_QQ' column is dense over population Q, and the H rows
   see only the states a kick takes across threshold. */
#include <neurodyn/private/systemimpl.h>

enum {
  MK_M,
  MK_MR,
  MK_RATE,
  MK_REFR,
  MK_NE,
  MK_NI,
  MK_PEE,
  MK_PIE,
  MK_PEI,
  MK_PII,
  MK_SEE,
  MK_SIE,
  MK_SEI,
  MK_SII,
  MK_TAUEE,
  MK_TAUIE,
  MK_TAUI,
  MK_NPARAM
};
enum { MK_E, MK_I, MK_NPOP };
enum { MK_EXT, MK_KICK_E, MK_KICK_I, MK_NKIND };

/* The forward equations conserve sum_v p_Q(v) + p_Q(ref) = 1, which makes F_x singular (a zero
   eigenvalue with left eigenvector (1, ..., 1)) and equilibria non-isolated, so that Newton and
   continuation fail. The term MK_NORMALIZATION_RATE (1 - sum) added to dp_Q(0)/dt vanishes on
   the physical manifold sum = 1 and turns that zero eigenvalue into -MK_NORMALIZATION_RATE,
   leaving every other eigenvalue unchanged (their eigenvectors have zero sum). Per ms. */
#define MK_NORMALIZATION_RATE 1.0

typedef struct {
  PetscInt   M, Mr, nv, block; /* threshold, reversal, voltage states M + M_r, variables per population nv + 3 */
  PetscBool *pattern;          /* nonzero pattern of one node's Jacobian, block^2 * 4 entries */
} MarkovData;

/* Parameters seen from population q as the target */
typedef struct {
  PetscReal lambda, refr, M, Mr;
  PetscReal N[MK_NPOP];          /* source population sizes */
  PetscReal P[MK_NPOP][MK_NPOP]; /* P[target][source] */
  PetscReal S[MK_NPOP][MK_NPOP]; /* S[target][source] */
  PetscReal tau[MK_NPOP][MK_NPOP];
} MarkovParams;

/* One kick of population q from voltage index src: a fraction w[j] of the flow rate * p[src] goes to
   dest[j]; unit = d rate / d H (kicks by pending kicks), H its column, dxdS = d shift / d S */
typedef struct {
  PetscInt  q, kind, src, dest[2], H;
  PetscReal w[2], rate, unit, dxdS;
} MarkovKick;

static MarkovParams MarkovGetParams(NdSystem sys)
{
  const NdParameter *p = sys->param;
  MarkovParams       m;

  m.lambda          = p[MK_RATE].value;
  m.refr            = p[MK_REFR].value;
  m.M               = p[MK_M].value;
  m.Mr              = p[MK_MR].value;
  m.N[MK_E]         = p[MK_NE].value;
  m.N[MK_I]         = p[MK_NI].value;
  m.P[MK_E][MK_E]   = p[MK_PEE].value;
  m.P[MK_I][MK_E]   = p[MK_PIE].value;
  m.P[MK_E][MK_I]   = p[MK_PEI].value;
  m.P[MK_I][MK_I]   = p[MK_PII].value;
  m.S[MK_E][MK_E]   = p[MK_SEE].value;
  m.S[MK_I][MK_E]   = p[MK_SIE].value;
  m.S[MK_E][MK_I]   = p[MK_SEI].value;
  m.S[MK_I][MK_I]   = p[MK_SII].value;
  m.tau[MK_E][MK_E] = p[MK_TAUEE].value;
  m.tau[MK_I][MK_E] = p[MK_TAUIE].value;
  m.tau[MK_E][MK_I] = m.tau[MK_I][MK_I] = p[MK_TAUI].value;
  return m;
}

/* Local indices within a node */
static inline PetscInt MarkovState(const MarkovData *d, PetscInt q, PetscInt i)
{
  return q * d->block + i;
}
static inline PetscInt MarkovRefractory(const MarkovData *d, PetscInt q)
{
  return q * d->block + d->nv;
}
static inline PetscInt MarkovPending(const MarkovData *d, PetscInt q, PetscInt source)
{
  return q * d->block + d->nv + 1 + source;
}

/* Where a kick of shift x from voltage v (index i = v + M_r) goes */
static void MarkovKickTargets(const MarkovData *d, PetscInt q, PetscInt i, PetscReal x, MarkovKick *k)
{
  const PetscReal fl = PetscFloorReal(x);
  k->w[1]            = x - fl;
  k->w[0]            = 1 - k->w[1];
  for (PetscInt j = 0; j < 2; j++) {
    const PetscInt target = i + (PetscInt)fl + j; /* as an index */
    k->dest[j]            = target >= d->nv ? MarkovRefractory(d, q) : MarkovState(d, q, PetscMax(target, 0));
  }
}

typedef PetscErrorCode (*MarkovKickVisitor)(const MarkovData *, const MarkovParams *, const MarkovKick *, void *);

/* Call visit for every kick of every population from every voltage state, at pending kicks H */
static PetscErrorCode MarkovVisitKicks(const MarkovData *d, const MarkovParams *m, const PetscScalar *x,
                                       MarkovKickVisitor visit, void *ctx)
{
  PetscFunctionBegin;
  for (PetscInt q = 0; q < MK_NPOP; q++) {
    for (PetscInt i = 0; i < d->nv; i++) {
      for (PetscInt kind = 0; kind < MK_NKIND; kind++) {
        MarkovKick k;
        PetscReal  shift;
        k.q    = q;
        k.kind = kind;
        k.src  = MarkovState(d, q, i);
        if (kind == MK_EXT) {
          shift  = 1;
          k.H    = -1;
          k.unit = 0;
          k.rate = m->lambda;
          k.dxdS = 0;
        } else {
          const PetscInt source = kind == MK_KICK_E ? MK_E : MK_I;
          k.H                   = MarkovPending(d, q, source);
          k.unit                = 1 / m->tau[q][source];
          k.rate                = k.unit * PetscRealPart(x[k.H]);
          /* the I kick is conductance-like: proportional to the distance v + M_r from the reversal */
          k.dxdS = source == MK_E ? 1 : (PetscReal)i / (m->M + m->Mr);
          shift  = m->S[q][source] * k.dxdS;
        }
        MarkovKickTargets(d, q, i, shift, &k);
        PetscCall(visit(d, m, &k, ctx));
      }
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The right-hand side of one node: f = F(x) */
typedef struct {
  const PetscScalar *x;
  PetscScalar       *f;
  PetscReal          flux[MK_NPOP];
} MarkovRHSCtx;

static PetscErrorCode MarkovRHSKick(const MarkovData *d, const MarkovParams *m, const MarkovKick *k, void *vctx)
{
  MarkovRHSCtx *c = (MarkovRHSCtx *)vctx;

  PetscFunctionBegin;
  (void)m;
  for (PetscInt j = 0; j < 2; j++) {
    const PetscReal flow = k->rate * k->w[j] * PetscRealPart(c->x[k->src]);
    c->f[k->dest[j]] += flow;
    c->f[k->src] -= flow;
    if (k->dest[j] == MarkovRefractory(d, k->q)) c->flux[k->q] += flow;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode MarkovNodeRHS(const MarkovData *d, const MarkovParams *m, const PetscScalar *x, PetscScalar *f)
{
  MarkovRHSCtx c = {x, f, {0, 0}};

  PetscFunctionBegin;
  for (PetscInt i = 0; i < 2 * d->block; i++) f[i] = 0;
  PetscCall(MarkovVisitKicks(d, m, x, MarkovRHSKick, &c));
  for (PetscInt q = 0; q < MK_NPOP; q++) {
    const PetscReal out = m->refr * PetscRealPart(x[MarkovRefractory(d, q)]);
    PetscReal       sum = 0;
    f[MarkovRefractory(d, q)] -= out;
    f[MarkovState(d, q, d->Mr)] += out; /* back to V = 0 */
    for (PetscInt i = 0; i <= d->nv; i++) sum += PetscRealPart(x[MarkovState(d, q, i)]);
    f[MarkovState(d, q, d->Mr)] += MK_NORMALIZATION_RATE * (1 - sum);
    for (PetscInt s = 0; s < MK_NPOP; s++) {
      const PetscInt h = MarkovPending(d, q, s);
      f[h]             = m->N[s] * m->P[q][s] * c.flux[s] - x[h] / m->tau[q][s];
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The Jacobian of one node, accumulated in a dense block (n x n, n = 2 block) and its pattern */
typedef struct {
  PetscInt           n;
  const PetscScalar *x;
  PetscScalar       *J;
  PetscBool         *pattern;
} MarkovJacCtx;

static inline void MarkovJacAdd(MarkovJacCtx *c, PetscInt row, PetscInt col, PetscReal value)
{
  c->J[row * c->n + col] += value;
  c->pattern[row * c->n + col] = PETSC_TRUE;
}

static PetscErrorCode MarkovJacobianKick(const MarkovData *d, const MarkovParams *m, const MarkovKick *k, void *vctx)
{
  MarkovJacCtx   *c = (MarkovJacCtx *)vctx;
  const PetscReal p = PetscRealPart(c->x[k->src]);

  PetscFunctionBegin;
  for (PetscInt j = 0; j < 2; j++) {
    MarkovJacAdd(c, k->dest[j], k->src, k->rate * k->w[j]);
    MarkovJacAdd(c, k->src, k->src, -k->rate * k->w[j]);
    if (k->H >= 0) {
      MarkovJacAdd(c, k->dest[j], k->H, k->unit * k->w[j] * p);
      MarkovJacAdd(c, k->src, k->H, -k->unit * k->w[j] * p);
    }
    if (k->dest[j] == MarkovRefractory(d, k->q)) /* the spike flux of q feeds H_{t q} of both targets t */
      for (PetscInt t = 0; t < MK_NPOP; t++) {
        const PetscReal fan = m->N[k->q] * m->P[t][k->q];
        MarkovJacAdd(c, MarkovPending(d, t, k->q), k->src, fan * k->rate * k->w[j]);
        if (k->H >= 0) MarkovJacAdd(c, MarkovPending(d, t, k->q), k->H, fan * k->unit * k->w[j] * p);
      }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode MarkovNodeJacobian(const MarkovData *d, const MarkovParams *m, const PetscScalar *x,
                                         PetscScalar *J, PetscBool *pattern)
{
  MarkovJacCtx c = {2 * d->block, x, J, pattern};

  PetscFunctionBegin;
  PetscCall(PetscArrayzero(J, c.n * c.n));
  PetscCall(MarkovVisitKicks(d, m, x, MarkovJacobianKick, &c));
  for (PetscInt q = 0; q < MK_NPOP; q++) {
    MarkovJacAdd(&c, MarkovRefractory(d, q), MarkovRefractory(d, q), -m->refr);
    MarkovJacAdd(&c, MarkovState(d, q, d->Mr), MarkovRefractory(d, q), m->refr);
    for (PetscInt i = 0; i <= d->nv; i++)
      MarkovJacAdd(&c, MarkovState(d, q, d->Mr), MarkovState(d, q, i), -MK_NORMALIZATION_RATE);
    for (PetscInt s = 0; s < MK_NPOP; s++)
      MarkovJacAdd(&c, MarkovPending(d, q, s), MarkovPending(d, q, s), -1 / m->tau[q][s]);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* dF/dp of one node */
typedef struct {
  PetscInt           param;
  const PetscScalar *x;
  PetscScalar       *D;
  PetscReal          dflux[MK_NPOP]; /* d F_q / d param */
} MarkovParamCtx;

/* The derivative of the kick's flows with respect to the parameter: through its rate (rate_ext,
   the tau) or its shift (the S, with the stochastic rounding linear inside an integer interval) */
static PetscErrorCode MarkovParamKick(const MarkovData *d, const MarkovParams *m, const MarkovKick *k, void *vctx)
{
  MarkovParamCtx *c      = (MarkovParamCtx *)vctx;
  const PetscReal p      = PetscRealPart(c->x[k->src]);
  const PetscInt  source = k->kind == MK_KICK_E ? MK_E : MK_I;
  PetscReal       dw[2]  = {0, 0};

  PetscFunctionBegin;
  if (k->kind == MK_EXT && c->param == MK_RATE) dw[0] = k->w[0], dw[1] = k->w[1];
  if (k->kind != MK_EXT) {
    const PetscInt tau = k->q == MK_E ? (source == MK_E ? MK_TAUEE : MK_TAUI) : (source == MK_E ? MK_TAUIE : MK_TAUI);
    const PetscInt S   = k->q == MK_E ? (source == MK_E ? MK_SEE : MK_SEI) : (source == MK_E ? MK_SIE : MK_SII);
    if (c->param == tau) { /* rate = H / tau */
      dw[0] = -k->rate / m->tau[k->q][source] * k->w[0];
      dw[1] = -k->rate / m->tau[k->q][source] * k->w[1];
    }
    if (c->param == S) {
      dw[0] = -k->rate * k->dxdS;
      dw[1] = k->rate * k->dxdS;
    }
  }
  for (PetscInt j = 0; j < 2; j++) {
    c->D[k->dest[j]] += dw[j] * p;
    c->D[k->src] -= dw[j] * p;
    if (k->dest[j] == MarkovRefractory(d, k->q)) c->dflux[k->q] += dw[j] * p;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode MarkovNodeParameterDerivative(const MarkovData *d, const MarkovParams *m, const PetscScalar *x,
                                                    PetscInt param, PetscScalar *D)
{
  MarkovParamCtx c            = {param, x, D, {0, 0}};
  const PetscInt Pidx[2][2]   = {{MK_PEE, MK_PEI}, {MK_PIE, MK_PII}},
                 tauidx[2][2] = {{MK_TAUEE, MK_TAUI}, {MK_TAUIE, MK_TAUI}};
  PetscReal    flux[MK_NPOP];
  PetscScalar *f;

  PetscFunctionBegin;
  /* the fluxes themselves, for the derivatives in N and P */
  PetscCall(PetscMalloc1(2 * d->block, &f));
  {
    MarkovRHSCtx r = {x, f, {0, 0}};
    for (PetscInt i = 0; i < 2 * d->block; i++) f[i] = 0;
    PetscCall(MarkovVisitKicks(d, m, x, MarkovRHSKick, &r));
    flux[MK_E] = r.flux[MK_E];
    flux[MK_I] = r.flux[MK_I];
  }
  PetscCall(PetscFree(f));
  for (PetscInt i = 0; i < 2 * d->block; i++) D[i] = 0;
  PetscCall(MarkovVisitKicks(d, m, x, MarkovParamKick, &c));
  for (PetscInt q = 0; q < MK_NPOP; q++) {
    const PetscInt ref = MarkovRefractory(d, q);
    if (param == MK_REFR) {
      D[ref] -= PetscRealPart(x[ref]);
      D[MarkovState(d, q, d->Mr)] += PetscRealPart(x[ref]);
    }
    for (PetscInt s = 0; s < MK_NPOP; s++) {
      const PetscInt h = MarkovPending(d, q, s);
      D[h]             = m->N[s] * m->P[q][s] * c.dflux[s];
      if (param == (s == MK_E ? MK_NE : MK_NI)) D[h] += m->P[q][s] * flux[s];
      if (param == Pidx[q][s]) D[h] += m->N[s] * flux[s];
      if (param == tauidx[q][s]) D[h] += x[h] / (m->tau[q][s] * m->tau[q][s]);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetVariables_MarkovEI(NdSystem sys)
{
  MarkovData *d            = (MarkovData *)sys->data;
  const char *pop[MK_NPOP] = {"E", "I"};
  char        name[ND_NAME_LEN], desc[128];

  PetscFunctionBegin;
  d->M     = (PetscInt)sys->param[MK_M].value;
  d->Mr    = (PetscInt)sys->param[MK_MR].value;
  d->nv    = d->M + d->Mr;
  d->block = d->nv + 3;
  for (PetscInt q = 0; q < MK_NPOP; q++) {
    for (PetscInt i = 0; i < d->nv; i++) {
      const PetscInt v = i - d->Mr;
      /* p<Q>_<v>, with m for a minus sign so that -init_pE_m3 is a valid option name */
      PetscCall(PetscSNPrintf(name, sizeof(name), "p%s_%s%" PetscInt_FMT, pop[q], v < 0 ? "m" : "", PetscAbsInt(v)));
      PetscCall(PetscSNPrintf(desc, sizeof(desc), "fraction of %s neurons at V = %" PetscInt_FMT, pop[q], v));
      PetscCall(NdSystemAddVariable(sys, name, "1", v == 0 ? 1.0 : 0.0, desc));
      PetscCall(NdSystemSetVariableRange(sys, sys->nvar - 1, 0, 1));
    }
    PetscCall(PetscSNPrintf(name, sizeof(name), "p%s_ref", pop[q]));
    PetscCall(PetscSNPrintf(desc, sizeof(desc), "refractory fraction of %s neurons", pop[q]));
    PetscCall(NdSystemAddVariable(sys, name, "1", 0.0, desc));
    PetscCall(NdSystemSetVariableRange(sys, sys->nvar - 1, 0, 1));
    for (PetscInt s = 0; s < MK_NPOP; s++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "H_%s%s", pop[q], pop[s]));
      PetscCall(PetscSNPrintf(desc, sizeof(desc), "mean pending %s kicks per %s neuron", pop[s], pop[q]));
      PetscCall(NdSystemAddVariable(sys, name, "1", 0.0, desc));
      PetscCall(NdSystemSetVariableRange(sys, sys->nvar - 1, 0, PETSC_MAX_REAL));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetUp_MarkovEI(NdSystem sys)
{
  MarkovData        *d = (MarkovData *)sys->data;
  const MarkovParams m = MarkovGetParams(sys);
  const PetscInt     n = 2 * d->block;
  PetscScalar       *x, *J;

  PetscFunctionBegin;
  /* the occupation fractions of a population add up to 1 (docs/models/markov_ei.md; the dynamics only relax
     their sum towards 1, at MK_NORMALIZATION_RATE, through an unphysical transient) */
  for (PetscInt q = 0; q < MK_NPOP; q++) {
    PetscReal sum = 0;
    for (PetscInt i = 0; i <= d->nv; i++) /* the nv voltage states, then the refractory one */
      sum += NdSystemGetInitialValue(sys, MarkovState(d, q, i));
    PetscCheck(PetscAbsReal(sum - 1) <= 1e-12, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
               "the initial fractions of %s neurons (-init_p%s_*) add up to %.15g, not 1", q ? "I" : "E", q ? "I" : "E",
               (double)sum);
  }
  /* the pattern: every kick with both destinations, at unit occupations and kick counts */
  PetscCall(PetscFree(d->pattern));
  PetscCall(PetscCalloc1(n * n, &d->pattern));
  PetscCall(PetscMalloc2(n, &x, n * n, &J));
  for (PetscInt i = 0; i < n; i++) x[i] = 1;
  PetscCall(MarkovNodeJacobian(d, &m, x, J, d->pattern));
  PetscCall(PetscFree2(x, J));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_MarkovEI(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  MarkovData        *d = (MarkovData *)sys->data;
  MarkovParams       m = MarkovGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *f;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  m.lambda += current; /* the stimulus adds to the external kick rate */
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt k = 0; k < sys->nnodes_local; k++)
    PetscCall(MarkovNodeRHS(d, &m, x + k * sys->nvar, f + k * sys->nvar));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemCreateJacobian_MarkovEI(NdSystem sys, Mat *J)
{
  MarkovData *d = (MarkovData *)sys->data;
  PetscInt    n = sys->nvar, *nnz;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n * sys->nnodes_local, &nnz));
  for (PetscInt row = 0; row < n; row++) {
    PetscInt count = 0;
    for (PetscInt col = 0; col < n; col++) count += d->pattern[row * n + col] ? 1 : 0;
    for (PetscInt k = 0; k < sys->nnodes_local; k++) nnz[k * n + row] = count;
  }
  PetscCall(MatCreate(PetscObjectComm((PetscObject)sys), J));
  PetscCall(MatSetSizes(*J, n * sys->nnodes_local, n * sys->nnodes_local, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetType(*J, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*J, 0, nnz));
  PetscCall(MatMPIAIJSetPreallocation(*J, 0, nnz, 0, NULL));
  /* a kick size moved across an integer by continuation reaches new states */
  PetscCall(MatSetOption(*J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  PetscCall(PetscFree(nnz));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemJacobian_MarkovEI(NdSystem sys, PetscReal t, Vec X, Mat Jac)
{
  MarkovData        *d = (MarkovData *)sys->data;
  MarkovParams       m = MarkovGetParams(sys);
  const PetscInt     n = sys->nvar;
  const PetscScalar *x;
  PetscScalar       *J, *vals;
  PetscBool         *pattern;
  PetscInt          *cols;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  m.lambda += current;
  PetscCall(PetscMalloc4(n * n, &J, n * n, &pattern, n, &cols, n, &vals));
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt k = 0; k < sys->nnodes_local; k++) {
    const PetscInt row0 = (sys->node_start + k) * n;
    PetscCall(PetscArraycpy(pattern, d->pattern, n * n));
    PetscCall(MarkovNodeJacobian(d, &m, x + k * n, J, pattern));
    for (PetscInt row = 0; row < n; row++) {
      PetscInt nc = 0, grow = row0 + row;
      for (PetscInt col = 0; col < n; col++)
        if (pattern[row * n + col]) {
          cols[nc]   = row0 + col;
          vals[nc++] = J[row * n + col];
        }
      PetscCall(MatSetValues(Jac, 1, &grow, nc, cols, vals, INSERT_VALUES));
    }
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(PetscFree4(J, pattern, cols, vals));
  PetscCall(MatAssemblyBegin(Jac, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(Jac, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemParameterDerivative_MarkovEI(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  MarkovData        *d = (MarkovData *)sys->data;
  MarkovParams       m = MarkovGetParams(sys);
  const PetscScalar *x;
  PetscScalar       *dd;
  PetscReal          current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  m.lambda += current;
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(D, &dd));
  for (PetscInt k = 0; k < sys->nnodes_local; k++)
    PetscCall(MarkovNodeParameterDerivative(d, &m, x + k * sys->nvar, p, dd + k * sys->nvar));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(D, &dd));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_MarkovEI(NdSystem sys, PetscViewer viewer)
{
  PetscFunctionBegin;
  (void)sys;
  PetscCall(PetscViewerASCIIPrintf(viewer, "equations (docs/models/markov_ei.md), time in ms:\n"));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "  dp_Q/dt = G_Q(rate_ext, H_QE/tau_QE, H_QI/tau_I) p_Q  (voltage states -M_r..M-1 and ref)\n"));
  PetscCall(
      PetscViewerASCIIPrintf(viewer, "  dH_QQ'/dt = N_Q' P_QQ' F_Q' - H_QQ'/tau_QQ'  (F: spike flux per neuron)\n"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemDestroy_MarkovEI(NdSystem sys)
{
  MarkovData *d = (MarkovData *)sys->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(d->pattern));
  PetscCall(PetscFree(sys->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_MarkovEI(NdSystem sys)
{
  const PetscReal hi = PETSC_MAX_REAL;
  MarkovData     *d;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  sys->data = d;
  PetscCall(NdSystemSetDescription(sys, "Markov approximation of the homogeneous E/I network of Markovian "
                                        "integrate-and-fire neurons (occupations pE_*, pI_*; pending kicks H_*)"));
  PetscCall(NdSystemAddParameter(sys, "M", 100, "1", 1, PETSC_FALSE, hi, PETSC_FALSE, "threshold (integer voltage)"));
  PetscCall(NdSystemAddParameter(sys, "M_r", 66, "1", 0, PETSC_FALSE, hi, PETSC_FALSE, "-M_r: inhibitory reversal"));
  PetscCall(NdSystemAddParameter(sys, "rate_ext", 7, "1/T", 0, PETSC_FALSE, hi, PETSC_FALSE,
                                 "external Poisson kick rate per neuron (+1 each; plus the stimulus)"));
  PetscCall(NdSystemAddParameter(sys, "refractory_rate", 0.4, "1/T", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                 "rate of leaving the refractory state"));
  PetscCall(NdSystemAddParameter(sys, "N_E", 300, "1", 0, PETSC_TRUE, hi, PETSC_FALSE, "number of E neurons"));
  PetscCall(NdSystemAddParameter(sys, "N_I", 100, "1", 0, PETSC_TRUE, hi, PETSC_FALSE, "number of I neurons"));
  PetscCall(NdSystemAddParameter(sys, "P_EE", 0.15, "1", 0, PETSC_FALSE, 1, PETSC_FALSE,
                                 "probability of an E->E pending kick per spike"));
  PetscCall(NdSystemAddParameter(sys, "P_IE", 0.5, "1", 0, PETSC_FALSE, 1, PETSC_FALSE,
                                 "probability of an E->I pending kick per spike"));
  PetscCall(NdSystemAddParameter(sys, "P_EI", 0.5, "1", 0, PETSC_FALSE, 1, PETSC_FALSE,
                                 "probability of an I->E pending kick per spike"));
  PetscCall(NdSystemAddParameter(sys, "P_II", 0.4, "1", 0, PETSC_FALSE, 1, PETSC_FALSE,
                                 "probability of an I->I pending kick per spike"));
  PetscCall(NdSystemAddParameter(sys, "S_EE", 5, "1", 0, PETSC_FALSE, hi, PETSC_FALSE, "E->E kick size"));
  PetscCall(NdSystemAddParameter(sys, "S_IE", 2, "1", 0, PETSC_FALSE, hi, PETSC_FALSE, "E->I kick size"));
  PetscCall(NdSystemAddParameter(sys, "S_EI", -4.91, "1", PETSC_MIN_REAL, PETSC_FALSE, 0, PETSC_FALSE,
                                 "I->E kick strength at V = M: V += S_EI (V + M_r)/(M + M_r)"));
  PetscCall(NdSystemAddParameter(sys, "S_II", -4.91, "1", PETSC_MIN_REAL, PETSC_FALSE, 0, PETSC_FALSE,
                                 "I->I kick strength at V = M: V += S_II (V + M_r)/(M + M_r)"));
  PetscCall(NdSystemAddParameter(sys, "tau_EE", 1.3, "T", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                 "mean delay of an E->E pending kick"));
  PetscCall(NdSystemAddParameter(sys, "tau_IE", 0.95, "T", 0, PETSC_TRUE, hi, PETSC_FALSE,
                                 "mean delay of an E->I pending kick"));
  PetscCall(
      NdSystemAddParameter(sys, "tau_I", 4.5, "T", 0, PETSC_TRUE, hi, PETSC_FALSE, "mean delay of a pending I kick"));
  sys->param[MK_M].structural  = PETSC_TRUE; /* M and M_r set the voltage states */
  sys->param[MK_MR].structural = PETSC_TRUE;
  sys->param[MK_M].integer     = PETSC_TRUE;
  sys->param[MK_MR].integer    = PETSC_TRUE;
  PetscCall(NdSystemSetInputUnit(sys, "1/T"));
  PetscCall(PetscStrncpy(sys->time_unit, "ms", sizeof(sys->time_unit))); /* as the mif network */
  sys->ops->setvariables   = NdSystemSetVariables_MarkovEI;
  sys->ops->setup          = NdSystemSetUp_MarkovEI;
  sys->ops->rhs            = NdSystemRHS_MarkovEI;
  sys->ops->createjacobian = NdSystemCreateJacobian_MarkovEI;
  sys->ops->jacobian       = NdSystemJacobian_MarkovEI;
  sys->ops->paramderiv     = NdSystemParameterDerivative_MarkovEI;
  sys->ops->view           = NdSystemView_MarkovEI;
  sys->ops->destroy        = NdSystemDestroy_MarkovEI;
  PetscFunctionReturn(PETSC_SUCCESS);
}
