/* mpr_shotnoise: the MPR mean field of N QIF neurons with the finite-size shot noise of their
   population rate (Klinshov & Kirillov 2022; docs/models/mpr_shotnoise.md) as an SDE.
   In the dimensionless time s = t/tau, with rates r^ = tau r and xi^ = tau xi:

     dr^/ds = Delta/pi + 2 r^ v
     dv/ds  = v^2 + eta + J (r^ + xi^) - (pi r^)^2 + I(t),          xi^ = sum_k xi_k

   xi_k is harmonic k of the shot noise of N uncoupled neurons at the drive e = eta + J r^ + I.
   A neuron with drive e > 0 fires periodically at nu = sqrt(e)/pi; harmonic k of its spike train
   lies at omega = 2 pi k nu; with e Lorentzian (centre e, half-width Delta) over the neurons,
   harmonic k of the population rate has the spectrum (docs/models/mpr_shotnoise.md)

     S_k(omega) = c |omega|^3 / |omega^2 - 4 k^2 q^2|^2,   c = 4 Delta/(pi^2 N),  q = sqrt(e + i Delta),

   i.e. c |omega|^3 / |P_k(i omega)|^2 with P_k(z) = z^2 + 2 g_k z + W_k^2, g_k = 2 k Im q,
   W_k^2 = 4 k^2 |q|^2. As an SDE: pink noise U_k (spectrum c/|omega|, a sum of Ornstein-Uhlenbeck
   processes u_ki with rates t_i spaced by e in log t, 1/|w| = (2/pi) int dt/(w^2 + t^2)) drives the
   oscillator x_k'' + 2 g_k x_k' + W_k^2 x_k = U_k, whose acceleration is xi_k:

     dx_k/ds = p_k,   dp_k/ds = xi_k = U_k - 2 g_k p_k - W_k^2 x_k,   U_k = sum_i sqrt(c a_i) u_ki
     du_ki   = -t_i u_ki ds + dW_ki(s),                                   a_i = (2/pi) t_i

   The noise is additive; g_k and W_k follow the mean field's drive. State per node:
   (r, v, then per harmonic x_k, p_k, u_k0 .. u_k(n-1)); observables xi, R = r + xi, and the time
   integral of xi, sum_k p_k (dp_k/dt = xi_k / tau), from which bin averages of xi follow exactly:
   xi has a component too fast to be sampled without aliasing (harmonic k's filter passes its pink
   noise above W_k unattenuated). */
#include <neurodyn/private/systemimpl.h>

enum { SN_ETA, SN_J, SN_DELTA, SN_TAU, SN_N };
enum { SN_R, SN_V, SN_HARMONICS };
enum { SN_X, SN_P, SN_U };

/* 1/|w| is approximated on [band_low, band_high] with this many rates per e-fold beyond each end */
#define SN_BAND_MARGIN 2.0

typedef struct {
  PetscInt   harmonics;           /* K */
  PetscReal  band_low, band_high; /* where the pink noise is 1/|w| (units of 1/tau) */
  PetscInt   nrates;              /* n Ornstein-Uhlenbeck processes per harmonic */
  PetscReal *rate, *sqrt_a;       /* t_i and sqrt(a_i) */
} ShotNoise;

typedef struct {
  PetscReal eta, J, Delta, tau, N;
} ShotNoiseParams;

static inline ShotNoiseParams ShotNoiseGetParams(NdSystem sys)
{
  const NdParameter *p = sys->param;
  ShotNoiseParams    m = {p[SN_ETA].value, p[SN_J].value, p[SN_DELTA].value, p[SN_TAU].value, p[SN_N].value};
  return m;
}

static inline PetscInt ShotNoiseBlock(const ShotNoise *sn)
{
  return 2 + sn->nrates;
}

/* The oscillator of harmonic k at drive e: damping g_k, squared frequency W2_k, and their
   derivatives in e and in Delta (q = sqrt(e + i Delta): dq/de = 1/(2q), dq/dDelta = i/(2q)) */
typedef struct {
  PetscReal g, W2, dg_de, dW2_de, dg_dDelta, dW2_dDelta;
} ShotNoiseOscillator;

static ShotNoiseOscillator ShotNoiseOscillatorAt(PetscInt k, PetscReal e, PetscReal Delta)
{
  const PetscReal     mod = PetscSqrtReal(e * e + Delta * Delta);                             /* |q|^2 */
  const PetscReal     a = PetscSqrtReal(0.5 * (mod + e)), b = PetscSqrtReal(0.5 * (mod - e)); /* q = a + i b */
  ShotNoiseOscillator o;

  o.g          = 2.0 * k * b;
  o.W2         = 4.0 * k * k * mod;
  o.dg_de      = -k * b / mod; /* 2 k Im(1/(2q)) */
  o.dW2_de     = 4.0 * k * k * e / mod;
  o.dg_dDelta  = k * a / mod; /* 2 k Im(i/(2q)) */
  o.dW2_dDelta = 4.0 * k * k * Delta / mod;
  return o;
}

/* Harmonic k's pink noise U_k at one node (block b) */
static inline PetscReal ShotNoisePink(const ShotNoise *sn, PetscReal sqrt_c, const PetscScalar *b)
{
  PetscReal U = 0;
  for (PetscInt i = 0; i < sn->nrates; i++) U += sn->sqrt_a[i] * b[SN_U + i];
  return sqrt_c * U;
}

static inline PetscReal ShotNoiseSqrtC(const ShotNoiseParams *m)
{
  return 2.0 * PetscSqrtReal(m->Delta / m->N) / PETSC_PI;
}

static inline PetscReal ShotNoiseDrive(const ShotNoiseParams *m, PetscReal r, PetscReal current)
{
  return m->eta + m->J * m->tau * r + current;
}

/* xi^ = sum_k xi_k of one node, and (when dxi_de is not NULL) its derivative in e */
static PetscReal ShotNoiseXi(const ShotNoise *sn, const ShotNoiseParams *m, PetscReal e, const PetscScalar *xn,
                             PetscReal *dxi_de)
{
  const PetscReal sqrt_c = ShotNoiseSqrtC(m);
  PetscReal       xi = 0, d = 0;

  for (PetscInt k = 1; k <= sn->harmonics; k++) {
    const PetscScalar        *b = xn + SN_HARMONICS + (k - 1) * ShotNoiseBlock(sn);
    const ShotNoiseOscillator o = ShotNoiseOscillatorAt(k, e, m->Delta);

    xi += ShotNoisePink(sn, sqrt_c, b) - 2.0 * o.g * b[SN_P] - o.W2 * b[SN_X];
    d += -2.0 * o.dg_de * b[SN_P] - o.dW2_de * b[SN_X];
  }
  if (dxi_de) *dxi_de = d;
  return xi;
}

static PetscErrorCode NdSystemSetFromOptions_ShotNoise(NdSystem sys, NdOptionItems PetscOptionsObject)
{
  ShotNoise *sn   = (ShotNoise *)sys->data;
  MPI_Comm   comm = PetscObjectComm((PetscObject)sys);

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "mpr_shotnoise options");
  PetscCall(NdOptionsInt(PetscOptionsObject, "-sys_shot_harmonics",
                         "Harmonics K of the firing frequency in the shot noise", 1, 1000, &sn->harmonics, NULL));
  PetscCall(PetscOptionsReal("-sys_shot_band_low", "Lowest angular frequency (units of 1/tau) the noise reproduces", "",
                             sn->band_low, &sn->band_low, NULL));
  PetscCall(PetscOptionsReal("-sys_shot_band_high", "Highest angular frequency (units of 1/tau) the noise reproduces",
                             "", sn->band_high, &sn->band_high, NULL));
  PetscOptionsHeadEnd();

  PetscCheck(sn->band_low > 0 && sn->band_high > sn->band_low, comm, PETSC_ERR_USER_INPUT,
             "the shot-noise band needs 0 < -sys_shot_band_low < -sys_shot_band_high (got %g and %g)",
             (double)sn->band_low, (double)sn->band_high);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The Ornstein-Uhlenbeck rates t_i = exp(u_i), u_i spaced by 1 from ln(band_low) - margin to
   ln(band_high) + margin, and the weights a_i = (2/pi) t_i of the trapezoidal rule in ln t */
static PetscErrorCode ShotNoiseSetRates(ShotNoise *sn)
{
  const PetscReal u0 = PetscLogReal(sn->band_low) - SN_BAND_MARGIN, u1 = PetscLogReal(sn->band_high) + SN_BAND_MARGIN;

  PetscFunctionBegin;
  PetscCall(PetscFree2(sn->rate, sn->sqrt_a));
  sn->nrates = (PetscInt)PetscFloorReal(u1 - u0) + 1;
  PetscCall(PetscMalloc2(sn->nrates, &sn->rate, sn->nrates, &sn->sqrt_a));
  for (PetscInt i = 0; i < sn->nrates; i++) {
    sn->rate[i]   = PetscExpReal(u0 + i);
    sn->sqrt_a[i] = PetscSqrtReal(2.0 * sn->rate[i] / PETSC_PI);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetVariables_ShotNoise(NdSystem sys)
{
  ShotNoise *sn = (ShotNoise *)sys->data;
  char       name[ND_NAME_LEN];

  PetscFunctionBegin;
  PetscCall(ShotNoiseSetRates(sn));
  PetscCall(NdSystemAddVariable(sys, "r", "1/T", 1.0, "population firing rate (mean field)"));
  PetscCall(NdSystemSetVariableRange(sys, sys->nvar - 1, 0, PETSC_MAX_REAL));
  PetscCall(NdSystemAddVariable(sys, "v", "1", -0.15, "mean membrane potential"));
  for (PetscInt k = 1; k <= sn->harmonics; k++) {
    PetscCall(PetscSNPrintf(name, sizeof(name), "x%" PetscInt_FMT, k));
    PetscCall(NdSystemAddVariable(sys, name, "1", 0.0, "shot-noise filter state"));
    PetscCall(PetscSNPrintf(name, sizeof(name), "p%" PetscInt_FMT, k));
    PetscCall(NdSystemAddVariable(sys, name, "1", 0.0, "shot-noise filter state"));
    for (PetscInt i = 0; i < sn->nrates; i++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "u%" PetscInt_FMT "_%" PetscInt_FMT, k, i));
      PetscCall(NdSystemAddVariable(sys, name, "1", 0.0, "shot-noise filter state"));
    }
  }
  for (PetscInt i = SN_HARMONICS; i < sys->nvar; i++) PetscCall(NdSystemSetVariableRecorded(sys, i, PETSC_FALSE));
  PetscCall(NdSystemAddObservable(sys, "xi", "1/T", "shot noise of the population rate"));
  PetscCall(NdSystemAddObservable(sys, "R", "1/T", "rate of the finite network, r + xi"));
  PetscCall(NdSystemAddObservable(sys, "xi_integral", "1",
                                  "int_0^t xi dt' = sum_k p_k (its increments over a bin give the bin-averaged xi)"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_ShotNoise(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  const ShotNoise      *sn     = (ShotNoise *)sys->data;
  const ShotNoiseParams m      = ShotNoiseGetParams(sys);
  const PetscReal       sqrt_c = ShotNoiseSqrtC(&m);
  const PetscInt        nv = sys->nvar, nb = ShotNoiseBlock(sn);
  const PetscScalar    *x;
  PetscScalar          *f;
  PetscReal             current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * nv;
    PetscScalar       *fn = f + n * nv;
    const PetscReal    r = xn[SN_R], v = xn[SN_V], pitr = PETSC_PI * m.tau * r;
    const PetscReal    e  = ShotNoiseDrive(&m, r, current);
    PetscReal          xi = 0;

    for (PetscInt k = 1; k <= sn->harmonics; k++) {
      const PetscScalar        *b  = xn + SN_HARMONICS + (k - 1) * nb;
      PetscScalar              *fb = fn + SN_HARMONICS + (k - 1) * nb;
      const ShotNoiseOscillator o  = ShotNoiseOscillatorAt(k, e, m.Delta);
      const PetscReal           xk = ShotNoisePink(sn, sqrt_c, b) - 2.0 * o.g * b[SN_P] - o.W2 * b[SN_X];

      fb[SN_X] = b[SN_P] / m.tau;
      fb[SN_P] = xk / m.tau;
      for (PetscInt i = 0; i < sn->nrates; i++) fb[SN_U + i] = -sn->rate[i] * b[SN_U + i] / m.tau;
      xi += xk;
    }
    fn[SN_R] = (m.Delta / (PETSC_PI * m.tau) + 2.0 * r * v) / m.tau;
    fn[SN_V] = (v * v + m.eta + m.J * (m.tau * r + xi) - pitr * pitr + current) / m.tau;
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Unit white noise for each u_ki in the time s = t/tau: dW(s) = dW(t)/sqrt(tau) */
static PetscErrorCode NdSystemDiffusion_ShotNoise(NdSystem sys, PetscReal t, Vec X, Vec G)
{
  const ShotNoise *sn  = (ShotNoise *)sys->data;
  const PetscReal  tau = sys->param[SN_TAU].value, amplitude = 1.0 / PetscSqrtReal(tau);
  const PetscInt   nv = sys->nvar, nb = ShotNoiseBlock(sn);
  PetscScalar     *g;

  PetscFunctionBegin;
  (void)t;
  (void)X;
  PetscCall(VecSet(G, 0.0));
  PetscCall(VecGetArray(G, &g));
  for (PetscInt n = 0; n < sys->nnodes_local; n++)
    for (PetscInt k = 1; k <= sn->harmonics; k++)
      for (PetscInt i = 0; i < sn->nrates; i++) g[n * nv + SN_HARMONICS + (k - 1) * nb + SN_U + i] = amplitude;
  PetscCall(VecRestoreArray(G, &g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemObserve_ShotNoise(NdSystem sys, PetscReal t, const PetscScalar *xn, PetscReal *obs)
{
  const ShotNoise      *sn = (ShotNoise *)sys->data;
  const ShotNoiseParams m  = ShotNoiseGetParams(sys);
  PetscReal             current, xi;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  xi     = ShotNoiseXi(sn, &m, ShotNoiseDrive(&m, xn[SN_R], current), xn, NULL) / m.tau;
  obs[0] = xi;
  obs[1] = xn[SN_R] + xi;
  obs[2] = 0;
  for (PetscInt k = 1; k <= sn->harmonics; k++) obs[2] += xn[SN_HARMONICS + (k - 1) * ShotNoiseBlock(sn) + SN_P];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemJacobian_ShotNoise(NdSystem sys, PetscReal t, Vec X, Mat Jac)
{
  const ShotNoise      *sn     = (ShotNoise *)sys->data;
  const ShotNoiseParams m      = ShotNoiseGetParams(sys);
  const PetscReal       sqrt_c = ShotNoiseSqrtC(&m), de_dr = m.J * m.tau;
  const PetscInt        nv = sys->nvar, nb = ShotNoiseBlock(sn);
  const PetscScalar    *x;
  PetscReal             current;
  PetscInt             *cols;
  PetscScalar          *vrow, *prow;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(PetscMalloc3(nv, &cols, nv, &vrow, nb, &prow));
  PetscCall(MatZeroEntries(Jac));
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn   = x + n * nv;
    const PetscInt     row0 = (sys->node_start + n) * nv;
    const PetscReal    r = xn[SN_R], v = xn[SN_V], e = ShotNoiseDrive(&m, r, current);
    PetscReal          dxi_de, a;
    PetscInt           row;

    (void)ShotNoiseXi(sn, &m, e, xn, &dxi_de);
    for (PetscInt j = 0; j < nv; j++) {
      cols[j] = row0 + j;
      vrow[j] = 0;
    }
    /* row r */
    row = row0 + SN_R;
    a   = 2.0 * v / m.tau;
    PetscCall(MatSetValues(Jac, 1, &row, 1, &cols[SN_R], &a, INSERT_VALUES));
    a = 2.0 * r / m.tau;
    PetscCall(MatSetValues(Jac, 1, &row, 1, &cols[SN_V], &a, INSERT_VALUES));
    /* row v: through r^, through e in xi^, and through every filter state in xi^ */
    vrow[SN_R] = (m.J * m.tau - 2.0 * PETSC_PI * PETSC_PI * m.tau * m.tau * r + m.J * dxi_de * de_dr) / m.tau;
    vrow[SN_V] = 2.0 * v / m.tau;
    for (PetscInt k = 1; k <= sn->harmonics; k++) {
      const PetscInt            off = SN_HARMONICS + (k - 1) * nb;
      const PetscScalar        *b   = xn + off;
      const ShotNoiseOscillator o   = ShotNoiseOscillatorAt(k, e, m.Delta);

      /* row x_k */
      row = row0 + off + SN_X;
      a   = 1.0 / m.tau;
      PetscCall(MatSetValues(Jac, 1, &row, 1, &cols[off + SN_P], &a, INSERT_VALUES));
      /* row p_k: xi_k / tau */
      prow[SN_X] = -o.W2 / m.tau;
      prow[SN_P] = -2.0 * o.g / m.tau;
      for (PetscInt i = 0; i < sn->nrates; i++) prow[SN_U + i] = sqrt_c * sn->sqrt_a[i] / m.tau;
      row = row0 + off + SN_P;
      PetscCall(MatSetValues(Jac, 1, &row, nb, &cols[off], prow, INSERT_VALUES));
      a = (-2.0 * o.dg_de * b[SN_P] - o.dW2_de * b[SN_X]) * de_dr / m.tau;
      PetscCall(MatSetValues(Jac, 1, &row, 1, &cols[SN_R], &a, INSERT_VALUES));
      for (PetscInt j = 0; j < nb; j++) vrow[off + j] = m.J * prow[j];
      /* rows u_ki */
      for (PetscInt i = 0; i < sn->nrates; i++) {
        row = row0 + off + SN_U + i;
        a   = -sn->rate[i] / m.tau;
        PetscCall(MatSetValues(Jac, 1, &row, 1, &cols[off + SN_U + i], &a, INSERT_VALUES));
      }
    }
    row = row0 + SN_V;
    PetscCall(MatSetValues(Jac, 1, &row, nv, cols, vrow, INSERT_VALUES));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(PetscFree3(cols, vrow, prow));
  PetscCall(MatAssemblyBegin(Jac, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(Jac, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* dF/dp. With e = eta + J tau r + I, a parameter acts on xi_k through e (eta, J, tau), through q
   and c (Delta), through c (N); every row carries the factor 1/tau. */
static PetscErrorCode NdSystemParameterDerivative_ShotNoise(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  const ShotNoise      *sn     = (ShotNoise *)sys->data;
  const ShotNoiseParams m      = ShotNoiseGetParams(sys);
  const PetscReal       sqrt_c = ShotNoiseSqrtC(&m);
  const PetscInt        nv = sys->nvar, nb = ShotNoiseBlock(sn);
  const PetscScalar    *x;
  PetscScalar          *d;
  PetscReal             current;
  Vec                   F = NULL;
  const PetscScalar    *f = NULL;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  if (p == SN_TAU) { /* every row is (...)/tau */
    PetscCall(VecDuplicate(X, &F));
    PetscCall(NdSystemRHS_ShotNoise(sys, t, X, F));
    PetscCall(VecGetArrayRead(F, &f));
  }
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(D, &d));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    const PetscScalar *xn = x + n * nv;
    PetscScalar       *dn = d + n * nv;
    const PetscReal    r = xn[SN_R], e = ShotNoiseDrive(&m, r, current);
    PetscReal          de  = 0; /* de/dp */
    PetscReal          dxi = 0;

    for (PetscInt i = 0; i < nv; i++) dn[i] = 0.0;
    if (p == SN_ETA) de = 1.0;
    if (p == SN_J) de = m.tau * r;
    if (p == SN_TAU) de = m.J * r;
    for (PetscInt k = 1; k <= sn->harmonics; k++) {
      const PetscInt            off = SN_HARMONICS + (k - 1) * nb;
      const PetscScalar        *b   = xn + off;
      const ShotNoiseOscillator o   = ShotNoiseOscillatorAt(k, e, m.Delta);
      const PetscReal           U   = ShotNoisePink(sn, sqrt_c, b);
      PetscReal                 dxk = (-2.0 * o.dg_de * b[SN_P] - o.dW2_de * b[SN_X]) * de;

      if (p == SN_DELTA) dxk += U / (2.0 * m.Delta) - 2.0 * o.dg_dDelta * b[SN_P] - o.dW2_dDelta * b[SN_X];
      if (p == SN_N) dxk += -U / (2.0 * m.N);
      dn[off + SN_P] = dxk / m.tau;
      dxi += dxk;
    }
    switch (p) {
    case SN_ETA:
      dn[SN_V] = (1.0 + m.J * dxi) / m.tau;
      break;
    case SN_J:
      dn[SN_V] = (m.tau * r + ShotNoiseXi(sn, &m, e, xn, NULL) + m.J * dxi) / m.tau;
      break;
    case SN_DELTA:
      dn[SN_R] = 1.0 / (PETSC_PI * m.tau * m.tau);
      dn[SN_V] = m.J * dxi / m.tau;
      break;
    case SN_N:
      dn[SN_V] = m.J * dxi / m.tau;
      break;
    case SN_TAU: /* d/dtau of g/tau = -F/tau + (dg/dtau)/tau */
      for (PetscInt i = 0; i < nv; i++) dn[i] += -f[n * nv + i] / m.tau;
      dn[SN_R] += -m.Delta / (PETSC_PI * m.tau * m.tau * m.tau);
      dn[SN_V] += (m.J * r - 2.0 * PETSC_PI * PETSC_PI * m.tau * r * r + m.J * dxi) / m.tau;
      break;
    }
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(D, &d));
  if (F) {
    PetscCall(VecRestoreArrayRead(F, &f));
    PetscCall(VecDestroy(&F));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Euler-Maruyama and Heun are stable on du = -t u ds for t h < 2; the fastest filter has
   t = t_max/tau. 10% margin. (Accurate for t h < ~0.3: the default band needs dt <= 1e-3 tau for
   every filter to be right; coarser steps up to this limit only damp the pink noise above the band.) */
static PetscErrorCode NdSystemMaxStep_ShotNoise(NdSystem sys, PetscReal *dtmax)
{
  const ShotNoise *sn = (ShotNoise *)sys->data;

  PetscFunctionBegin;
  *dtmax = 1.8 * sys->param[SN_TAU].value / sn->rate[sn->nrates - 1];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_ShotNoise(NdSystem sys, PetscViewer viewer)
{
  const ShotNoise *sn = (ShotNoise *)sys->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "equations (docs/models/mpr_shotnoise.md), s = t/tau:\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  dr^/ds = Delta/pi + 2 r^ v,  r^ = tau r\n"));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "  dv/ds  = v^2 + eta + J (r^ + xi^) - (pi r^)^2 + I(t),  xi^ = tau xi = sum_k xi_k\n"));
  PetscCall(PetscViewerASCIIPrintf(
      viewer, "  xi_k: harmonic k of the shot noise of N neurons at the drive e = eta + J r^ + I,\n"));
  PetscCall(
      PetscViewerASCIIPrintf(viewer, "        spectrum 4 Delta/(pi^2 N) |w|^3 / |w^2 - 4 k^2 (e + i Delta)|^2\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "  shot noise: %" PetscInt_FMT " harmonics, band [%g, %g]/tau, %" PetscInt_FMT
                                   " Ornstein-Uhlenbeck rates per harmonic (%g to %g)/tau\n",
                                   sn->harmonics, (double)sn->band_low, (double)sn->band_high, sn->nrates,
                                   (double)sn->rate[0], (double)sn->rate[sn->nrates - 1]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemDestroy_ShotNoise(NdSystem sys)
{
  ShotNoise *sn = (ShotNoise *)sys->data;

  PetscFunctionBegin;
  PetscCall(PetscFree2(sn->rate, sn->sqrt_a));
  PetscCall(PetscFree(sys->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_MPRShotNoise(NdSystem sys)
{
  ShotNoise *sn;

  PetscFunctionBegin;
  PetscCall(PetscNew(&sn));
  sn->harmonics = 10;
  sn->band_low  = 0.1;
  sn->band_high = 100.0;
  sys->data     = sn;
  PetscCall(NdSystemSetDescription(
      sys, "MPR mean field with the finite-size shot noise of N QIF neurons (Klinshov-Kirillov), an SDE"));
  PetscCall(NdMPRAddParameters(sys, 0.0, 10.0, PETSC_TRUE));
  PetscCall(NdSystemAddParameter(sys, "N", 10000.0, "1", 0.0, PETSC_TRUE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "number of neurons (the noise variance is proportional to 1/N)"));
  PetscCall(NdSystemSetInputUnit(sys, "1"));
  sys->ops->setfromoptions = NdSystemSetFromOptions_ShotNoise;
  sys->ops->setvariables   = NdSystemSetVariables_ShotNoise;
  sys->ops->rhs            = NdSystemRHS_ShotNoise;
  sys->ops->jacobian       = NdSystemJacobian_ShotNoise;
  sys->ops->paramderiv     = NdSystemParameterDerivative_ShotNoise;
  sys->ops->diffusion      = NdSystemDiffusion_ShotNoise;
  sys->ops->observe        = NdSystemObserve_ShotNoise;
  sys->ops->maxstep        = NdSystemMaxStep_ShotNoise;
  sys->ops->view           = NdSystemView_ShotNoise;
  sys->ops->destroy        = NdSystemDestroy_ShotNoise;
  PetscFunctionReturn(PETSC_SUCCESS);
}
