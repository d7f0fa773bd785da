/* neurodyn covariance -cov_theory linear_equivalent: the large-N cross-spectral matrix of a rate
   network at its fixed J (docs/models/rate.md#theory-at-fixed-j, seed 004's proof of the Shen-Hu ansatz),
   C(omega) = R (S_r J J^T + sigma^2) R^H, R = ((1 + i omega) - a J)^{-1}, beside the direct
   result. The gain a = <phi'> and the residual spectrum S_r = S_phi - a^2 S_x are population
   averages: from a simulation of the network (-cov_from, Welch spectra of x and phi(x)), from the
   mean-field theory (-cov_dmft), or given (-cov_gain, -cov_residual_psd). Every unit (dense, on
   rank 0) or the block of chosen units (-cov_units, matrix-free, any N). Written to
   /covariance/linear_equivalent. */
#include <neurodyn/private/linearizationimpl.h>

struct _n_NdLinearEquivalent {
  MPI_Comm   comm;
  PetscBool  on, matrix;
  PetscInt   nomega, samples, segments;
  PetscReal *omega, *residual, *psd_x, *psd_phi; /* measured (-cov_from); psd_x: or the mean-field one */
  PetscReal  gain, tmin, segment, sigma, seconds;
  PetscBool  gain_set, dmft; /* dmft: a and S_r from the mean-field theory (-cov_dmft) */
  PetscReal  delta0;         /* its variance <x^2> */
  char       from[PETSC_MAX_PATH_LEN];
  PetscInt   nunits, *units; /* -cov_units: the block of these units, matrix-free (any N) */
  PetscReal *its;            /* Krylov vectors per frequency (units) */
  NdResponse resp;           /* their solves, options -cov_ksp_*, -cov_max_krylov */
  /* results on rank 0 (every rank with -cov_units): per frequency the statistics, the eigenvalues
     and variances (N each; N = the number of units listed), and C itself with -cov_matrix or
     -cov_units */
  PetscInt   N;
  PetscReal *pr, *mean_coh, *std_coh, *rms_coh, *eig, *power, *Cre, *Cim;
};

PetscErrorCode NdLinearEquivalentCreate(MPI_Comm comm, NdLinearEquivalent *le)
{
  NdLinearEquivalent l;

  PetscFunctionBegin;
  PetscCall(PetscNew(&l));
  l->comm    = comm;
  l->segment = 20;
  l->nomega  = 1;
  PetscCall(PetscMalloc1(1, &l->omega));
  l->omega[0] = 1;
  *le         = l;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdLinearEquivalentSetFromOptions - -cov_theory, -cov_omega, -cov_from, -cov_tmin, -cov_segment,
    -cov_dmft, -cov_gain, -cov_residual_psd, -cov_units; matrix: whether C(omega) itself is to be
    written @*/
PetscErrorCode NdLinearEquivalentSetFromOptions(NdOptionItems PetscOptionsObject, NdLinearEquivalent l,
                                                PetscBool matrix, PetscBool on)
{
  char      theory[32];
  PetscInt  nlist = 4097, nres = 4097, units[4097], nunits = 4097;
  PetscReal list[4097], res[4097];
  PetscBool listed, tmin_set, seg_set, res_set, none, units_set;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(theory, on ? "linear_equivalent" : "none", sizeof(theory)));
  PetscCall(PetscOptionsString("-cov_theory",
                               "Also the theory beside C: none, linear_equivalent (rate: the large-N cross-spectrum "
                               "R (S_r J J^T + sigma^2) R^H)",
                               "", theory, theory, sizeof(theory), NULL));
  PetscCall(PetscOptionsRealArray("-cov_omega", "Angular frequencies of the cross-spectrum (default 1)", "", list,
                                  &nlist, &listed));
  PetscCall(PetscOptionsString("-cov_from", "The gain a and the residual spectrum S_r from this simulate output", "",
                               l->from, l->from, sizeof(l->from), NULL));
  PetscCall(PetscOptionsReal("-cov_tmin", "Samples of -cov_from from this time on (skip the transient)", "", l->tmin,
                             &l->tmin, &tmin_set));
  PetscCall(PetscOptionsReal("-cov_segment", "Welch segment length (time units) for the spectra of -cov_from", "",
                             l->segment, &l->segment, &seg_set));
  PetscCall(PetscOptionsReal("-cov_gain", "The gain a (default: <phi'(x*)> at the fixed point)", "", l->gain, &l->gain,
                             &l->gain_set));
  PetscCall(PetscOptionsRealArray("-cov_residual_psd", "S_r at each -cov_omega (one value: the same at all)", "", res,
                                  &nres, &res_set));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-cov_dmft",
                          "a and S_r from the mean-field theory (J i.i.d. of variance g^2/N, phi tanh, erf or linear, "
                          "no input; chaos g > 1 or noise)",
                          l->dmft, &l->dmft, NULL));
  PetscCall(NdOptionsIntArray(PetscOptionsObject, "-cov_units",
                              "The cross-spectrum of these units only, matrix-free for any N (e.g. 0,5,9 or 0-100)", 0,
                              PETSC_MAX_INT, units, &nunits, &units_set));
  if (listed) PetscCall(NdOptionsCheckListRoom(l->comm, "-cov_omega", nlist, 4096));
  if (res_set) PetscCall(NdOptionsCheckListRoom(l->comm, "-cov_residual_psd", nres, 4096));
  if (units_set) PetscCall(NdOptionsCheckListRoom(l->comm, "-cov_units", nunits, 4096));
  PetscCall(PetscStrcmp(theory, "linear_equivalent", &l->on));
  PetscCall(PetscStrcmp(theory, "none", &none));
  PetscCheck(l->on || none, l->comm, PETSC_ERR_USER_INPUT,
             "-cov_theory: unknown value '%s' (known: none, linear_equivalent)", theory);
  if (!l->on) {
    PetscCheck(!listed && !l->from[0] && !l->gain_set && !res_set && !units_set && !l->dmft, l->comm,
               PETSC_ERR_USER_INPUT,
               "-cov_omega, -cov_from, -cov_dmft, -cov_gain, -cov_residual_psd and -cov_units need -cov_theory "
               "linear_equivalent");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  l->matrix = matrix;
  if (units_set) {
    PetscCheck(nunits >= 1, l->comm, PETSC_ERR_USER_INPUT, "-cov_units: give at least one unit");
    l->nunits = nunits;
    PetscCall(PetscMalloc1(nunits, &l->units));
    PetscCall(PetscArraycpy(l->units, units, nunits));
  }
  if (listed) {
    PetscCheck(nlist >= 1, l->comm, PETSC_ERR_USER_INPUT, "-cov_omega: give at least one frequency");
    l->nomega = nlist;
    PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)nlist, &l->omega));
    PetscCall(PetscArraycpy(l->omega, list, nlist));
  }
  for (PetscInt k = 0; k < l->nomega; k++)
    PetscCheck(l->omega[k] >= 0, l->comm, PETSC_ERR_USER_INPUT,
               "-cov_omega: angular frequencies must be >= 0 (C(-omega) is the complex conjugate of C(omega)); got %g",
               (double)l->omega[k]);
  PetscCheck(!l->from[0] || (!res_set && !l->gain_set), l->comm, PETSC_ERR_USER_INPUT,
             "-cov_from measures a and S_r: not with -cov_gain or -cov_residual_psd");
  PetscCheck(!l->dmft || (!l->from[0] && !res_set && !l->gain_set), l->comm, PETSC_ERR_USER_INPUT,
             "-cov_dmft computes a and S_r: not with -cov_from, -cov_gain or -cov_residual_psd");
  PetscCheck(l->from[0] || res_set || l->dmft, l->comm, PETSC_ERR_USER_INPUT,
             "-cov_theory linear_equivalent needs the residual spectrum: -cov_from SIM.h5 (measured), -cov_dmft "
             "(mean-field theory) or -cov_residual_psd (given)");
  PetscCheck(l->from[0] || (!tmin_set && !seg_set), l->comm, PETSC_ERR_USER_INPUT,
             "-cov_tmin and -cov_segment need -cov_from");
  PetscCheck(!l->gain_set || l->gain >= 0, l->comm, PETSC_ERR_USER_INPUT,
             "-cov_gain must be >= 0 (the mean slope of phi; got %g)", (double)l->gain);
  PetscCall(PetscMalloc3(l->nomega, &l->residual, l->nomega, &l->psd_x, l->nomega, &l->psd_phi));
  if (res_set) {
    PetscCheck(nres == 1 || nres == l->nomega, l->comm, PETSC_ERR_USER_INPUT,
               "-cov_residual_psd has %" PetscInt_FMT " values for %" PetscInt_FMT
               " frequencies (give 1 or %" PetscInt_FMT ")",
               nres, l->nomega, l->nomega);
    for (PetscInt k = 0; k < l->nomega; k++) {
      l->residual[k] = res[nres == 1 ? 0 : k];
      PetscCheck(l->residual[k] >= 0, l->comm, PETSC_ERR_USER_INPUT,
                 "-cov_residual_psd: a power spectral density is >= 0 (got %g)", (double)l->residual[k]);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The solver of the -cov_units block (-cov_ksp_*, -cov_max_krylov), after the options block */
PetscErrorCode NdLinearEquivalentCreateSolver(NdLinearEquivalent l)
{
  PetscFunctionBegin;
  PetscCall(NdResponseDestroy(&l->resp));
  if (!l->on) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdResponseCreate(l->comm, "cov_", &l->resp));
  PetscCall(NdResponseSetFromOptions(l->resp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* on: -cov_theory linear_equivalent; dense: of every unit, on rank 0 (no -cov_units) */
PetscErrorCode NdLinearEquivalentIsOn(NdLinearEquivalent l, PetscBool *on, PetscBool *dense)
{
  PetscFunctionBegin;
  *on    = l->on;
  *dense = (PetscBool)(l->on && !l->nunits);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Whether a must be <phi'(x*)> at the fixed point (neither given nor measured) */
PetscErrorCode NdLinearEquivalentNeedsFixedPoint(NdLinearEquivalent l, PetscBool *need)
{
  PetscFunctionBegin;
  *need = (PetscBool)(l->on && !l->gain_set && !l->from[0] && !l->dmft);
  PetscFunctionReturn(PETSC_SUCCESS);
}

typedef struct {
  NdSystem  sys;
  NdWelch   wx, wphi;
  Vec       phi;
  PetscReal gain;
} NdRecordingSpectra;

static PetscErrorCode NdRecordingSpectraVisit(PetscReal t, Vec x, void *ctx)
{
  NdRecordingSpectra *r = (NdRecordingSpectra *)ctx;
  const PetscScalar  *xa, *pa;
  PetscReal           a;

  PetscFunctionBegin;
  PetscCall(NdSystemRateGetMeanGain(r->sys, x, &a));
  r->gain += a;
  PetscCall(NdSystemRateGetActivation(r->sys, x, r->phi));
  PetscCall(VecGetArrayRead(x, &xa));
  PetscCall(VecGetArrayRead(r->phi, &pa));
  PetscCall(NdWelchAddSample(r->wx, t, xa));
  PetscCall(NdWelchAddSample(r->wphi, t, pa));
  PetscCall(VecRestoreArrayRead(x, &xa));
  PetscCall(VecRestoreArrayRead(r->phi, &pa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* a = <phi'(x)> over the units and samples; S_x, S_phi by Welch; S_r = S_phi - a^2 S_x */
static PetscErrorCode NdLinearEquivalentMeasure(NdLinearEquivalent l, NdSystem sys, Vec x)
{
  NdRecordingSpectra r = {sys, NULL, NULL, NULL, 0};
  PetscInt           n, segments;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecDuplicate(x, &r.phi));
  PetscCall(NdWelchCreate(l->comm, n, l->nomega, l->omega, l->segment, &r.wx));
  PetscCall(NdWelchCreate(l->comm, n, l->nomega, l->omega, l->segment, &r.wphi));
  PetscCall(NdForEachRecordedState(sys, l->from, "-cov_from", l->tmin, x, NdRecordingSpectraVisit, &r, &l->samples));
  PetscCall(NdWelchGetSpectrum(r.wx, l->psd_x, &l->segments));
  PetscCall(NdWelchGetSpectrum(r.wphi, l->psd_phi, &segments));
  l->gain = r.gain / l->samples;
  for (PetscInt k = 0; k < l->nomega; k++) {
    l->residual[k] = l->psd_phi[k] - l->gain * l->gain * l->psd_x[k];
    /* >= 0 for Gaussian x (Bussgang); a linear phi leaves rounding around 0 */
    PetscCheck(l->residual[k] >= -1e-8 * l->psd_phi[k], l->comm, PETSC_ERR_USER_INPUT,
               "-cov_from: the residual spectrum S_phi - a^2 S_x = %g - %g^2 * %g is negative at omega = %g: x is far "
               "from Gaussian there and the linear-equivalent picture does not apply",
               (double)l->psd_phi[k], (double)l->gain, (double)l->psd_x[k], (double)l->omega[k]);
    l->residual[k] = PetscMax(l->residual[k], 0);
  }
  PetscCall(NdWelchDestroy(&r.wx));
  PetscCall(NdWelchDestroy(&r.wphi));
  PetscCall(VecDestroy(&r.phi));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Room for the statistics of every frequency (one block, broadcast at once) and for the
   eigenvalues and powers of m units each */
static PetscErrorCode NdLinearEquivalentAllocateResults(NdLinearEquivalent l, PetscInt m)
{
  const PetscInt K = l->nomega;

  PetscFunctionBegin;
  l->N = m;
  PetscCall(PetscCalloc1(4 * K, &l->pr));
  l->mean_coh = l->pr + K;
  l->std_coh  = l->pr + 2 * K;
  l->rms_coh  = l->pr + 3 * K;
  PetscCall(PetscMalloc2((size_t)K * m, &l->eig, (size_t)K * m, &l->power));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The statistics of C(omega_k) (m x m, Re and Im column-major) into the results of frequency k */
static PetscErrorCode NdLinearEquivalentStatistics(NdLinearEquivalent l, PetscInt k, const PetscReal re[],
                                                   const PetscReal im[])
{
  NdCovStats s = {.eig = l->eig + (size_t)k * l->N, .var = l->power + (size_t)k * l->N};

  PetscFunctionBegin;
  PetscCall(NdCovarianceStatistics(l->N, re, im, &s));
  l->pr[k]       = s.pr;
  l->mean_coh[k] = s.mean_corr;
  l->std_coh[k]  = s.std_corr;
  l->rms_coh[k]  = s.rms_coh;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The block of the listed units, matrix-free: A = -1 + J on entry becomes J (no copy: at N = 10^6
   each copy is 12 bytes per connection), and -1 + a J^T is formed from it; the statistics on
   every rank */
static PetscErrorCode NdLinearEquivalentUnits(NdLinearEquivalent l, Mat A)
{
  Mat      J = A, At;
  PetscInt m = l->nunits, K = l->nomega;

  PetscFunctionBegin;
  PetscCall(MatShift(J, 1.0));
  PetscCall(MatTranspose(J, MAT_INITIAL_MATRIX, &At));
  PetscCall(MatScale(At, l->gain));
  PetscCall(MatShift(At, -1.0));
  PetscCall(NdResponseSetOperator(l->resp, At));
  PetscCall(NdLinearEquivalentAllocateResults(l, m));
  PetscCall(PetscMalloc2(K * m * m, &l->Cre, K * m * m, &l->Cim));
  PetscCall(PetscMalloc1(K, &l->its));
  PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(NdLinearEquivalentCrossSpectrumUnits(l->resp, J, m, l->units, K, l->omega, l->residual, l->sigma, l->Cre,
                                                 l->Cim, l->its));
  PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  for (PetscInt k = 0; k < K; k++) /* the same numbers on every rank */
    PetscCall(NdLinearEquivalentStatistics(l, k, l->Cre + k * m * m, l->Cim + k * m * m));
  l->matrix = PETSC_TRUE; /* the block is small: always written */
  PetscCall(MatDestroy(&At));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdLinearEquivalentCompute - a and S_r (measured, given, or a = <phi'(x)> at x), then C(omega)
    and its statistics on rank 0 at every frequency. A is a matrix from
    NdSystemCreateJacobianMatrix, assembled; it is overwritten. @*/
PetscErrorCode NdLinearEquivalentCompute(NdLinearEquivalent l, NdSystem sys, Vec x, Mat A, PetscReal sigma)
{
  PetscMPIInt    rank;
  PetscReal     *J, *Cre = NULL, *Cim = NULL;
  PetscInt       N;
  PetscLogDouble t0, t1;
  char           msg[256] = "";

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(l->comm, &rank));
  PetscCall(PetscTime(&t0));
  l->sigma = sigma;
  if (l->from[0]) {
    Vec y;
    PetscCall(VecDuplicate(x, &y));
    PetscCall(VecCopy(x, y)); /* variables that are not recorded keep these values */
    PetscCall(NdLinearEquivalentMeasure(l, sys, y));
    PetscCall(VecDestroy(&y));
  } else if (l->dmft) { /* a, S_x and S_phi of the mean-field theory */
    PetscCall(NdSystemRateDMFT(sys, sigma, l->nomega, l->omega, &l->delta0, &l->gain, l->psd_x, l->psd_phi));
    for (PetscInt k = 0; k < l->nomega; k++)
      l->residual[k] = PetscMax(l->psd_phi[k] - l->gain * l->gain * l->psd_x[k], 0); /* 0 for linear units */
  } else if (!l->gain_set)
    PetscCall(NdSystemRateGetMeanGain(sys, x, &l->gain));
  PetscCall(VecGetSize(x, &N));
  PetscCall(NdOptionsCheckUnitList(l->comm, "-cov_units", l->nunits, l->units, N));
  PetscCall(NdSystemRateEffectiveJacobian(sys, 1.0, A)); /* -1 + J */
  if (l->nunits) {
    PetscCall(NdLinearEquivalentUnits(l, A));
    PetscCall(PetscTime(&t1));
    l->seconds = (PetscReal)(t1 - t0);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdMatGatherDense(A, &J));
  PetscCall(NdLinearEquivalentAllocateResults(l, rank ? 0 : N));
  l->N = N;
  if (!rank) {
    for (PetscInt i = 0; i < N; i++) J[(size_t)i * N + i] += 1.0;
    if (l->matrix)
      PetscCall(PetscMalloc2((size_t)l->nomega * N * N, &l->Cre, (size_t)l->nomega * N * N, &l->Cim));
    else
      PetscCall(PetscMalloc2((size_t)N * N, &Cre, (size_t)N * N, &Cim));
    for (PetscInt k = 0; k < l->nomega && !msg[0]; k++) {
      PetscReal *re = l->matrix ? l->Cre + (size_t)k * N * N : Cre, *im = l->matrix ? l->Cim + (size_t)k * N * N : Cim;
      PetscBool  singular;
      PetscCall(NdLinearEquivalentCrossSpectrum(N, J, l->gain, l->residual[k], sigma, l->omega[k], re, im, &singular));
      if (singular) {
        PetscCall(PetscSNPrintf(msg, sizeof(msg),
                                "-cov_theory linear_equivalent: (1 + i omega) - a J is singular at omega = %g (a = %g)",
                                (double)l->omega[k], (double)l->gain));
        break;
      }
      PetscCall(NdLinearEquivalentStatistics(l, k, re, im));
    }
    PetscCall(PetscFree2(Cre, Cim));
  }
  PetscCall(PetscFree(J));
  PetscCall(NdRootCheck(l->comm, PETSC_ERR_USER_INPUT, msg, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(l->pr, (PetscMPIInt)(4 * l->nomega), MPIU_REAL, 0, l->comm));
  PetscCall(PetscTime(&t1));
  l->seconds = (PetscReal)(t1 - t0);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdLinearEquivalentWrite - /covariance/linear_equivalent (collective) @*/
PetscErrorCode NdLinearEquivalentWrite(NdLinearEquivalent l, NdOutput out)
{
  const char *g = "/covariance/linear_equivalent";
  char        path[128];
  PetscMPIInt rank;
  PetscInt    K = l->nomega, N = l->N, rows = K * N;
  PetscBool   from = (PetscBool)(l->from[0] != 0);
  struct {
    const char      *name, *unit;
    const PetscReal *v;
    PetscBool        on;
  } const series[] = {{"omega", "rad/T", l->omega, PETSC_TRUE},        {"residual_psd", "T", l->residual, PETSC_TRUE},
                      {"participation_ratio", "1", l->pr, PETSC_TRUE}, {"mean_coherence", "1", l->mean_coh, PETSC_TRUE},
                      {"std_coherence", "1", l->std_coh, PETSC_TRUE},  {"rms_coherence", "1", l->rms_coh, PETSC_TRUE},
                      {"measured_psd_x", "T", l->psd_x, from},         {"measured_psd_phi", "T", l->psd_phi, from},
                      {"dmft_psd_x", "T", l->psd_x, l->dmft}};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(l->comm, &rank));
  for (size_t q = 0; q < sizeof(series) / sizeof(series[0]); q++) {
    if (!series[q].on) continue;
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s", g, series[q].name));
    PetscCall(NdOutputWriteSharedArray(out, path, K, 0, series[q].v, series[q].unit));
  }
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/power", g));
  PetscCall(NdOutputWriteArray(out, path, K, N, 0, rank ? 0 : K, l->power, "T"));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/eigenvalues", g));
  PetscCall(NdOutputWriteArray(out, path, K, N, 0, rank ? 0 : K, l->eig, "T"));
  if (l->matrix) { /* rows k N + i: C_ij(omega_k); Im C is antisymmetric, so column-major -> rows */
    for (PetscInt k = 0; k < K && !rank; k++)
      for (PetscInt j = 0; j < N; j++)
        for (PetscInt i = 0; i < j; i++) {
          PetscReal *c = l->Cim + (size_t)k * N * N, t = c[(size_t)j * N + i];
          c[(size_t)j * N + i] = c[(size_t)i * N + j];
          c[(size_t)i * N + j] = t;
        }
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/C_real", g));
    PetscCall(NdOutputWriteArray(out, path, rows, N, 0, rank ? 0 : rows, l->Cre, "T"));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/C_imag", g));
    PetscCall(NdOutputWriteArray(out, path, rows, N, 0, rank ? 0 : rows, l->Cim, "T"));
  }
  if (l->nunits) {
    int64_t *ids;
    PetscCall(PetscMalloc1(l->nunits, &ids));
    for (PetscInt i = 0; i < l->nunits; i++) ids[i] = l->units[i];
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/units", g));
    PetscCall(NdOutputWriteArrayInt64(out, path, l->nunits, 0, 0, rank ? 0 : l->nunits, ids, NULL));
    PetscCall(PetscFree(ids));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/iterations", g));
    PetscCall(NdOutputWriteSharedArray(out, path, K, 0, l->its, "1"));
  }
  PetscCall(
      NdOutputWriteAttributeString(out, g, "theory",
                                   "linear equivalent: C(omega) = R (S_r J J^T + sigma^2) R^H, R = ((1 + i omega) - "
                                   "a J)^{-1}, S_r = S_phi - a^2 S_x (docs/models/rate.md#theory-at-fixed-j)"));
  PetscCall(NdOutputWriteAttributeReal(out, g, "gain", l->gain));
  PetscCall(NdOutputWriteAttributeReal(out, g, "sigma", l->sigma));
  PetscCall(NdOutputWriteAttributeReal(out, g, "solve_seconds", l->seconds));
  if (l->from[0]) {
    PetscCall(NdOutputWriteAttributeString(out, g, "measured_from", l->from));
    PetscCall(NdOutputWriteAttributeInt(out, g, "samples", l->samples));
    PetscCall(NdOutputWriteAttributeInt(out, g, "segments", l->segments));
    PetscCall(NdOutputWriteAttributeReal(out, g, "segment_time", l->segment));
    PetscCall(NdOutputWriteAttributeReal(out, g, "tmin", l->tmin));
  }
  if (l->dmft) PetscCall(NdOutputWriteAttributeReal(out, g, "dmft_variance", l->delta0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdLinearEquivalentSummary - one clause for the command's summary line @*/
PetscErrorCode NdLinearEquivalentSummary(NdLinearEquivalent l, char buf[], size_t len)
{
  char units[64] = "";

  PetscFunctionBegin;
  if (l->nunits) PetscCall(PetscSNPrintf(units, sizeof(units), " of %" PetscInt_FMT " units", l->nunits));
  PetscCall(PetscSNPrintf(buf, len,
                          "linear-equivalent cross-spectrum%s at %" PetscInt_FMT
                          " frequencies (a = %g): participation ratio %g, rms coherence %g at omega = %g; %.2f s",
                          units, l->nomega, (double)l->gain, (double)l->pr[0], (double)l->rms_coh[0],
                          (double)l->omega[0], (double)l->seconds));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdLinearEquivalentDestroy(NdLinearEquivalent *le)
{
  NdLinearEquivalent l = *le;

  PetscFunctionBegin;
  if (!l) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFree(l->omega));
  PetscCall(PetscFree3(l->residual, l->psd_x, l->psd_phi));
  PetscCall(PetscFree(l->pr));
  PetscCall(PetscFree2(l->eig, l->power));
  PetscCall(PetscFree2(l->Cre, l->Cim));
  PetscCall(PetscFree(l->units));
  PetscCall(PetscFree(l->its));
  PetscCall(NdResponseDestroy(&l->resp));
  PetscCall(PetscFree(l));
  *le = NULL;
  PetscFunctionReturn(PETSC_SUCCESS);
}
