/* rate: a network of N rate units with fixed connectivity (docs/models/rate.md, seed 004)

     dx_i/dt = -x_i + g sum_j J0_ij phi(x_j) + I + I(t) + sigma xi_i(t)

   J = g J0 is an MPIAIJ matrix (rows = postsynaptic, distributed over the ranks) generated from
   counter-based random numbers or read from HDF5; phi is tanh, sigmoid, threshold-linear (relu),
   erf or linear. One variable x per node; the Jacobian -1 + g J0 D, D = diag(phi'(x)), has the
   pattern of J0. With -rate_sigma > 0 the network is an SDE with independent white noise on
   every unit (simulate uses the SDE schemes; covariance takes sigma from it). */
#include <neurodyn/private/rateimpl.h>
#include <neurodyn/output.h>

enum { RATE_G, RATE_I, RATE_NPARAM };
static const char *const NdRatePhiNames[]  = {"tanh", "sigmoid", "relu", "erf", "linear", NULL};
static const char *const NdRateConnNames[] = {"gaussian", "sparse", "ei", "lowrank", "file", NULL};

/* The options of some connectivity types only, and which (a bit per NdRateConnectivity) */
#define ND_RATE_BIT(t) (1u << (t))
static const struct {
  const char *name;
  unsigned    types;
} NdRateConnOptions[] = {
    {"-rate_seed", ND_RATE_BIT(ND_RATE_GAUSSIAN) | ND_RATE_BIT(ND_RATE_SPARSE) | ND_RATE_BIT(ND_RATE_EI) |
                       ND_RATE_BIT(ND_RATE_LOWRANK)},
    {"-rate_K", ND_RATE_BIT(ND_RATE_SPARSE) | ND_RATE_BIT(ND_RATE_EI)},
    {"-rate_mean", ND_RATE_BIT(ND_RATE_SPARSE) | ND_RATE_BIT(ND_RATE_EI)},
    {"-rate_fE", ND_RATE_BIT(ND_RATE_EI)},
    {"-rate_lowrank_m", ND_RATE_BIT(ND_RATE_LOWRANK)},
};

static PetscBool NdRateConnUses(NdRateConnectivity type, const char opt[])
{
  for (size_t k = 0; k < sizeof(NdRateConnOptions) / sizeof(NdRateConnOptions[0]); k++)
    if (!strcmp(NdRateConnOptions[k].name, opt)) return (PetscBool) !!(NdRateConnOptions[k].types & ND_RATE_BIT(type));
  return PETSC_FALSE;
}

/* An option of another connectivity type is an error that names the types it belongs to (it would
   otherwise be reported as an unknown option) */
static PetscErrorCode NdRateConnCheckOptions(MPI_Comm comm, NdRateConnectivity type)
{
  PetscFunctionBegin;
  for (size_t k = 0; k < sizeof(NdRateConnOptions) / sizeof(NdRateConnOptions[0]); k++) {
    PetscBool given;
    char      types[64] = "";
    if (NdRateConnOptions[k].types & ND_RATE_BIT(type)) continue;
    PetscCall(PetscOptionsHasName(NULL, NULL, NdRateConnOptions[k].name, &given));
    if (!given) continue;
    for (int t = ND_RATE_GAUSSIAN; t <= ND_RATE_FILE; t++)
      if (NdRateConnOptions[k].types & ND_RATE_BIT(t)) {
        if (types[0]) PetscCall(PetscStrlcat(types, ", ", sizeof(types)));
        PetscCall(PetscStrlcat(types, NdRateConnNames[t], sizeof(types)));
      }
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s is an option of -rate_J_type %s, not of %s (this network's connectivity)",
            NdRateConnOptions[k].name, types, NdRateConnNames[type]);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

typedef struct {
  NdRateConnectivitySpec spec;
  NdRatePhi              phi;
  PetscReal              sigma;    /* white noise sigma xi on every unit (0: an ODE) */
  Mat                    J0;       /* unit-gain connectivity */
  Vec                    work, wd; /* phi(x), phi'(x) */
} NdSystem_Rate;

/* name -> index in a NULL-terminated list, or a user error listing the choices */
static PetscErrorCode NdChoose(MPI_Comm comm, const char opt[], const char value[], const char *const names[],
                               PetscInt *index)
{
  char known[256] = "";

  PetscFunctionBegin;
  for (PetscInt i = 0; names[i]; i++) {
    PetscBool match;
    PetscCall(PetscStrcasecmp(value, names[i], &match));
    if (match) {
      *index = i;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    if (i) PetscCall(PetscStrlcat(known, ", ", sizeof(known)));
    PetscCall(PetscStrlcat(known, names[i], sizeof(known)));
  }
  SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: unknown value '%s' (known: %s)", opt, value, known);
}

/* dx = F dt + sigma dW: additive noise of the same amplitude on every unit */
static PetscErrorCode NdSystemDiffusion_Rate(NdSystem sys, PetscReal t, Vec X, Vec G)
{
  PetscFunctionBegin;
  (void)t;
  (void)X;
  PetscCall(VecSet(G, ((NdSystem_Rate *)sys->data)->sigma));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetFromOptions_Rate(NdSystem sys, NdOptionItems PetscOptionsObject)
{
  NdSystem_Rate     *rate = (NdSystem_Rate *)sys->data;
  MPI_Comm           comm = PetscObjectComm((PetscObject)sys);
  char               phi[64], conn[64];
  PetscInt           index;
  PetscBool          Nset, fileset, typeset;
  NdRateConnectivity type;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(phi, NdRatePhiNames[rate->phi], sizeof(phi)));
  PetscCall(PetscStrncpy(conn, NdRateConnNames[rate->spec.type], sizeof(conn)));
  PetscOptionsHeadBegin(PetscOptionsObject, "Rate network (docs/models/rate.md)");
  PetscCall(NdOptionsInt(PetscOptionsObject, "-rate_N",
                         "Number of neurons (with -rate_J_file: must match the file, or is read from it)", 1,
                         PETSC_MAX_INT, &rate->spec.N, &Nset));
  PetscCall(PetscOptionsString("-rate_phi", "Transfer function: tanh, sigmoid, relu (threshold-linear), erf, linear",
                               "", phi, phi, sizeof(phi), NULL));
  PetscCall(PetscOptionsReal("-rate_sigma", "Amplitude of white noise on every unit (simulate integrates an SDE)", "",
                             rate->sigma, &rate->sigma, NULL));
  PetscCall(PetscOptionsString("-rate_J_type", "Connectivity: gaussian, sparse, ei, lowrank, file", "", conn, conn,
                               sizeof(conn), &typeset));
  PetscCall(PetscOptionsString("-rate_J_file",
                               "Connectivity from a matrix file: file.h5:/path (CSR or dense), or PETSc binary", "",
                               rate->spec.file, rate->spec.file, sizeof(rate->spec.file), &fileset));
  PetscCall(NdChoose(comm, "-rate_J_type", conn, NdRateConnNames, &index));
  rate->spec.type = (NdRateConnectivity)index;
  PetscCheck(!fileset || !typeset || rate->spec.type == ND_RATE_FILE, comm, PETSC_ERR_USER_INPUT,
             "-rate_J_type %s and -rate_J_file: give one connectivity", conn);
  if (fileset) rate->spec.type = ND_RATE_FILE;
  /* only the chosen connectivity's options are read; another's is an error */
  type = rate->spec.type;
  PetscCall(NdRateConnCheckOptions(comm, type));
  if (NdRateConnUses(type, "-rate_seed"))
    PetscCall(NdOptionsInt64(PetscOptionsObject, "-rate_seed", "Random seed of the connectivity", 0, INT64_MAX,
                             &rate->spec.seed, NULL));
  if (NdRateConnUses(type, "-rate_K"))
    PetscCall(NdOptionsInt(PetscOptionsObject, "-rate_K", "Inputs per neuron (sparse, ei)", 1, PETSC_MAX_INT,
                           &rate->spec.K, NULL));
  if (NdRateConnUses(type, "-rate_mean"))
    PetscCall(PetscOptionsReal(
        "-rate_mean", "Mean coupling added to the K weights of a row (sparse, ei): row sums, an outlier near g mean",
        "", rate->spec.mean, &rate->spec.mean, NULL));
  if (NdRateConnUses(type, "-rate_fE"))
    PetscCall(
        PetscOptionsReal("-rate_fE", "Fraction of excitatory neurons (ei)", "", rate->spec.fE, &rate->spec.fE, NULL));
  if (NdRateConnUses(type, "-rate_lowrank_m"))
    PetscCall(PetscOptionsReal("-rate_lowrank_m", "Strength m of the rank-one part m u u^T/N (lowrank)", "",
                               rate->spec.m, &rate->spec.m, NULL));
  PetscOptionsHeadEnd();
  PetscCall(NdChoose(comm, "-rate_phi", phi, NdRatePhiNames, &index));
  rate->phi = (NdRatePhi)index;
  PetscCheck(rate->spec.type != ND_RATE_FILE || rate->spec.file[0], comm, PETSC_ERR_USER_INPUT,
             "-rate_J_type file needs -rate_J_file file.h5:/path");
  if (rate->spec.type == ND_RATE_FILE) {
    PetscInt N;
    PetscCall(NdReadSquareMatrixSize(comm, "-rate_J_file", rate->spec.file, "/J", &N));
    PetscCheck(!Nset || N == rate->spec.N, comm, PETSC_ERR_USER_INPUT,
               "-rate_J_file %s is %" PetscInt_FMT " x %" PetscInt_FMT " but -rate_N is %" PetscInt_FMT,
               rate->spec.file, N, N, rate->spec.N);
    rate->spec.N = N;
  }
  PetscCheck(rate->spec.N >= 1, comm, PETSC_ERR_USER_INPUT, "-rate_N must be >= 1 (got %" PetscInt_FMT ")",
             rate->spec.N);
  PetscCheck(rate->sigma >= 0, comm, PETSC_ERR_USER_INPUT, "-rate_sigma must be >= 0 (got %g)", (double)rate->sigma);
  sys->ops->diffusion = rate->sigma > 0 ? NdSystemDiffusion_Rate : NULL;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetVariables_Rate(NdSystem sys)
{
  PetscFunctionBegin;
  PetscCall(NdSystemAddVariable(sys, "x", "1", 0.0, "activation of a rate unit"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetUp_Rate(NdSystem sys)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;

  PetscFunctionBegin;
  PetscCall(NdSystemSetNumNodes(sys, rate->spec.N));
  PetscCall(MatDestroy(&rate->J0));
  PetscCall(VecDestroy(&rate->work));
  PetscCall(VecDestroy(&rate->wd));
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdRateBuildConnectivity(PetscObjectComm((PetscObject)sys), &rate->spec, &rate->J0));
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(MatCreateVecs(rate->J0, &rate->work, NULL));
  PetscCall(VecDuplicate(rate->work, &rate->wd));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* work <- phi(x) */
static PetscErrorCode NdRateApplyPhi(NdSystem_Rate *rate, Vec X, Vec out, PetscBool derivative)
{
  const PetscScalar *x;
  PetscScalar       *y;
  PetscInt           n;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(X, &n));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(out, &y));
  for (PetscInt i = 0; i < n; i++) y[i] = derivative ? NdPhiPrime(rate->phi, x[i]) : NdPhi(rate->phi, x[i]);
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(VecRestoreArray(out, &y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_Rate(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;
  PetscReal      current;

  PetscFunctionBegin;
  PetscCall(NdSystemGetInput(sys, t, &current));
  PetscCall(NdRateApplyPhi(rate, X, rate->work, PETSC_FALSE));
  PetscCall(MatMult(rate->J0, rate->work, F));
  /* F <- g J0 phi(x) - x + I + I(t) */
  PetscCall(VecAXPBY(F, -1.0, sys->param[RATE_G].value, X));
  PetscCall(VecShift(F, sys->param[RATE_I].value + current));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemCreateJacobian_Rate(NdSystem sys, Mat *A)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;

  PetscFunctionBegin;
  PetscCall(MatDuplicate(rate->J0, MAT_DO_NOT_COPY_VALUES, A));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A = -1 + a g J0 diag(slopes): the Jacobian (slopes phi'(x), a = 1) and the effective-gain
   operator of docs/models/rate.md#theory-at-fixed-j (no slopes: every phi'(x_i) replaced by the one gain a) */
static PetscErrorCode NdRateLinearOperator(NdSystem sys, Vec slopes, PetscReal a, Mat A)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;

  PetscFunctionBegin;
  PetscCall(MatCopy(rate->J0, A, SAME_NONZERO_PATTERN));
  if (slopes) PetscCall(MatDiagonalScale(A, NULL, slopes));
  PetscCall(MatScale(A, a * sys->param[RATE_G].value));
  PetscCall(MatShift(A, -1.0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A = -1 + g J0 D, D = diag(phi'(x)) */
static PetscErrorCode NdSystemJacobian_Rate(NdSystem sys, PetscReal t, Vec X, Mat A)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;

  PetscFunctionBegin;
  (void)t;
  PetscCall(NdRateApplyPhi(rate, X, rate->wd, PETSC_TRUE));
  PetscCall(NdRateLinearOperator(sys, rate->wd, 1.0, A));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* a = <phi'(x_i)> over the units: the gain of the effective-gain picture (docs/models/rate.md#theory-at-fixed-j) */
static PetscErrorCode NdSystemRateGetMeanGain_Rate(NdSystem sys, Vec X, PetscReal *a)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;
  PetscScalar    sum;
  PetscInt       N;

  PetscFunctionBegin;
  PetscCall(NdRateApplyPhi(rate, X, rate->wd, PETSC_TRUE));
  PetscCall(VecSum(rate->wd, &sum));
  PetscCall(VecGetSize(X, &N));
  *a = PetscRealPart(sum) / N;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The mean-field theory of this network (dmft.c), which takes J as i.i.d. with variance g^2/N
   (the generated J0 have unit row norms; a J from a file is the user's to judge), with white noise
   sigma (the network's own -rate_sigma unless the caller's theory uses another) */
static PetscErrorCode NdSystemRateDMFT_Rate(NdSystem sys, PetscReal sigma, PetscInt n, const PetscReal omega[],
                                            PetscReal *delta0, PetscReal *a, PetscReal Sx[], PetscReal Sphi[])
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;
  MPI_Comm       comm = PetscObjectComm((PetscObject)sys);
  PetscReal      g    = sys->param[RATE_G].value;

  PetscFunctionBegin;
  PetscCheck(rate->phi == ND_PHI_TANH || rate->phi == ND_PHI_ERF || rate->phi == ND_PHI_LINEAR, comm,
             PETSC_ERR_USER_INPUT, "the mean-field theory needs an odd phi: -rate_phi tanh, erf or linear (not %s)",
             NdRatePhiNames[rate->phi]);
  PetscCheck(sys->param[RATE_I].value == 0, comm, PETSC_ERR_USER_INPUT,
             "the mean-field theory here is for the network without input (-params_I %g)",
             (double)sys->param[RATE_I].value);
  PetscCheck(
      g > 0 && (g > 1 || sigma > 0), comm, PETSC_ERR_USER_INPUT,
      "the mean-field theory needs fluctuations: g > 1 (chaos) or noise sigma > 0 (g = %g, sigma = %g), and g > 0",
      (double)g, (double)sigma);
  PetscCheck(rate->phi != ND_PHI_LINEAR || g < 1, comm, PETSC_ERR_USER_INPUT,
             "the linear network has no stationary state for g >= 1 (g = %g)", (double)g);
  PetscCall(NdRateDMFT(rate->phi, g, sigma, n, omega, delta0, a, Sx));
  /* the self-consistency (1 + omega^2) S_x = g^2 S_phi + sigma^2 gives S_phi */
  for (PetscInt k = 0; Sphi && k < n; k++) Sphi[k] = ((1 + omega[k] * omega[k]) * Sx[k] - sigma * sigma) / (g * g);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* phi <- phi(x) unit by unit: the activity whose spectrum enters the linear-equivalent covariance */
static PetscErrorCode NdSystemRateGetActivation_Rate(NdSystem sys, Vec X, Vec phi)
{
  PetscFunctionBegin;
  PetscCall(NdRateApplyPhi((NdSystem_Rate *)sys->data, X, phi, PETSC_FALSE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A = -1 + a g J0, whose response is chi(omega) = (i omega + 1 - a J)^{-1} (docs/models/rate.md#theory-at-fixed-j) */
static PetscErrorCode NdSystemRateEffectiveJacobian_Rate(NdSystem sys, PetscReal a, Mat A)
{
  PetscFunctionBegin;
  PetscCall(NdRateLinearOperator(sys, NULL, a, A));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdSystemRateGetMeanGain - the mean slope <phi'(x_i)> of the units of a rate network at X @*/
PetscErrorCode NdSystemRateGetMeanGain(NdSystem sys, Vec X, PetscReal *a)
{
  PetscFunctionBegin;
  PetscUseMethod(sys, "NdSystemRateGetMeanGain_C", (NdSystem, Vec, PetscReal *), (sys, X, a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdSystemRateDMFT - the mean-field theory of a rate network (chaotic, or driven by white noise
    sigma): Delta0 = <x^2>, a = <phi'(x)>, and S_x and S_phi (of phi(x); may be NULL) at the n
    frequencies omega @*/
PetscErrorCode NdSystemRateDMFT(NdSystem sys, PetscReal sigma, PetscInt n, const PetscReal omega[], PetscReal *delta0,
                                PetscReal *a, PetscReal Sx[], PetscReal Sphi[])
{
  PetscFunctionBegin;
  PetscUseMethod(sys, "NdSystemRateDMFT_C",
                 (NdSystem, PetscReal, PetscInt, const PetscReal[], PetscReal *, PetscReal *, PetscReal[], PetscReal[]),
                 (sys, sigma, n, omega, delta0, a, Sx, Sphi));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdSystemRateGetActivation - phi <- phi(X), the activities of the units of a rate network @*/
PetscErrorCode NdSystemRateGetActivation(NdSystem sys, Vec X, Vec phi)
{
  PetscFunctionBegin;
  PetscUseMethod(sys, "NdSystemRateGetActivation_C", (NdSystem, Vec, Vec), (sys, X, phi));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdSystemRateEffectiveJacobian - A = -1 + a J (J = g J0), a matrix from NdSystemCreateJacobianMatrix @*/
PetscErrorCode NdSystemRateEffectiveJacobian(NdSystem sys, PetscReal a, Mat A)
{
  PetscFunctionBegin;
  PetscUseMethod(sys, "NdSystemRateEffectiveJacobian_C", (NdSystem, PetscReal, Mat), (sys, a, A));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemParameterDerivative_Rate(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;

  PetscFunctionBegin;
  (void)t;
  if (p == RATE_G) { /* dF/dg = J0 phi(x) */
    PetscCall(NdRateApplyPhi(rate, X, rate->work, PETSC_FALSE));
    PetscCall(MatMult(rate->J0, rate->work, D));
  } else
    PetscCall(VecSet(D, 1.0)); /* dF/dI */
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_Rate(NdSystem sys, PetscViewer viewer)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;
  char           extra[PETSC_MAX_PATH_LEN + 64];

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "equations (docs/models/rate.md):\n"));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  dx_i/dt = -x_i + g sum_j J0_ij phi(x_j) + I + I(t)\n"));
  if (rate->spec.type == ND_RATE_FILE)
    PetscCall(PetscSNPrintf(extra, sizeof(extra), " %s", rate->spec.file));
  else if (rate->spec.type == ND_RATE_SPARSE || rate->spec.type == ND_RATE_EI)
    PetscCall(PetscSNPrintf(extra, sizeof(extra), ", K = %" PetscInt_FMT ", seed %" PetscInt64_FMT, rate->spec.K,
                            rate->spec.seed));
  else
    PetscCall(PetscSNPrintf(extra, sizeof(extra), ", seed %" PetscInt64_FMT, rate->spec.seed));
  PetscCall(PetscViewerASCIIPrintf(viewer, "N = %" PetscInt_FMT ", phi = %s, connectivity %s%s, noise sigma = %g\n",
                                   rate->spec.N, NdRatePhiNames[rate->phi], NdRateConnNames[rate->spec.type], extra,
                                   (double)rate->sigma));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemDestroy_Rate(NdSystem sys)
{
  NdSystem_Rate *rate = (NdSystem_Rate *)sys->data;

  PetscFunctionBegin;
  PetscCall(MatDestroy(&rate->J0));
  PetscCall(VecDestroy(&rate->work));
  PetscCall(VecDestroy(&rate->wd));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateGetMeanGain_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateEffectiveJacobian_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateGetActivation_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateDMFT_C", NULL));
  PetscCall(PetscFree(sys->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_Rate(NdSystem sys)
{
  NdSystem_Rate *rate;

  PetscFunctionBegin;
  PetscCall(PetscNew(&rate));
  rate->spec.type = ND_RATE_GAUSSIAN;
  rate->spec.N    = 100;
  rate->spec.K    = 10;
  rate->spec.seed = 1;
  rate->spec.fE   = 0.8;
  rate->spec.m    = 2.0;
  rate->phi       = ND_PHI_TANH;
  sys->data       = rate;
  PetscCall(NdSystemSetDescription(sys, "network of N rate units with fixed connectivity J = g J0"));
  PetscCall(NdSystemAddParameter(sys, "g", 0.5, "1", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "coupling gain (J = g J0; the bulk of eig(J) has radius g)"));
  PetscCall(NdSystemAddParameter(sys, "I", 0.0, "1", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "constant input to every unit"));
  PetscCall(NdSystemSetInputUnit(sys, "1"));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateGetMeanGain_C", NdSystemRateGetMeanGain_Rate));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateEffectiveJacobian_C",
                                       NdSystemRateEffectiveJacobian_Rate));
  PetscCall(
      PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateGetActivation_C", NdSystemRateGetActivation_Rate));
  PetscCall(PetscObjectComposeFunction((PetscObject)sys, "NdSystemRateDMFT_C", NdSystemRateDMFT_Rate));
  sys->ops->setfromoptions = NdSystemSetFromOptions_Rate;
  sys->ops->setvariables   = NdSystemSetVariables_Rate;
  sys->ops->setup          = NdSystemSetUp_Rate;
  sys->ops->rhs            = NdSystemRHS_Rate;
  sys->ops->createjacobian = NdSystemCreateJacobian_Rate;
  sys->ops->jacobian       = NdSystemJacobian_Rate;
  sys->ops->paramderiv     = NdSystemParameterDerivative_Rate;
  sys->ops->view           = NdSystemView_Rate;
  sys->ops->destroy        = NdSystemDestroy_Rate;
  PetscFunctionReturn(PETSC_SUCCESS);
}
