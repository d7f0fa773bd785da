/* response: the linear response chi(omega) = (i omega - A)^{-1} u of a system at its fixed point
   over a frequency grid (docs/models/rate.md), and the effective-gain theory beside it for a rate
   network; written to /response (docs/commands/response.md). */
#include <neurodyn/private/linearizationimpl.h>

/* The input vector u (-resp_input) and the theory beside chi (-resp_theory) */
typedef enum { ND_RESP_INPUT_ALL, ND_RESP_INPUT_NEURON, ND_RESP_INPUT_FILE } NdResponseInput;
static const char *const NdResponseInputs[] = {"all", "neuron", "file"};
typedef enum { ND_RESP_THEORY_NONE, ND_RESP_THEORY_EFFECTIVE_GAIN } NdResponseTheory;
static const char *const NdResponseTheories[] = {"none", "effective_gain"};

typedef struct {
  PetscReal omega_min, omega_max, *omega;
  PetscInt  nomega;
  PetscBool log, full, shifted; /* shifted: all frequencies from one Krylov basis */
  PetscInt  input;              /* NdResponseInput */
  char      input_file[PETSC_MAX_PATH_LEN], readout_file[PETSC_MAX_PATH_LEN];
  PetscInt  neuron;
  PetscInt  theory;                        /* NdResponseTheory */
  PetscReal gain;                          /* of the effective-gain picture; < 0: <phi'(x*)> or <phi'(x(t))> */
  char      gain_from[PETSC_MAX_PATH_LEN]; /* the simulate output to average phi' over */
  PetscReal gain_tmin;                     /* from this time on */
  PetscBool exact;                         /* chi at the fixed point too (false: theory only) */
  PetscBool listed;                        /* the frequencies given one by one (or by the caller) */
  /* the solve */
  NdResponse     resp; /* -resp_ksp_*, -resp_max_krylov */
  Vec            u, w, xr, xi;
  PetscReal     *cgain, *cphase, *its, *tgain, *tphase; /* |w^T chi u| and its phase, per frequency */
  PetscInt       total, basis, samples, done;
  PetscLogDouble seconds;
} NdResponseOptions;

static PetscErrorCode NdResponseReadOptions(MPI_Comm comm, NdOptionItems PetscOptionsObject, NdResponseOptions *o)
{
  PetscInt  nlist = 4097;
  PetscBool listed, gain_set, tmin_set, neuron_set;

  PetscFunctionBegin;
  PetscCall(PetscFree(o->omega));
  PetscCall(PetscMalloc1(nlist, &o->omega));
  PetscCall(PetscOptionsReal("-resp_omega_min", "Lowest angular frequency", "", o->omega_min, &o->omega_min, NULL));
  PetscCall(PetscOptionsReal("-resp_omega_max", "Highest angular frequency", "", o->omega_max, &o->omega_max, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-resp_n", "Number of frequencies", 1, PETSC_MAX_INT, &o->nomega, NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-resp_log", "Logarithmic frequency grid", o->log, &o->log, NULL));
  PetscCall(
      PetscOptionsRealArray("-resp_omega", "Explicit list of angular frequencies", "", o->omega, &nlist, &listed));
  PetscCall(NdOptionsChoice(PetscOptionsObject, "-resp_input", "Input vector u", NdResponseInputs, 3, &o->input, NULL));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-resp_neuron",
                         "The unit receiving (and read out, with -resp_input neuron)", 0, PETSC_MAX_INT, &o->neuron,
                         &neuron_set));
  PetscCall(PetscOptionsString("-resp_input_file",
                               "u from a vector file: file.h5:/path (1-D, length N) or PETSc binary", "", o->input_file,
                               o->input_file, sizeof(o->input_file), NULL));
  PetscCall(PetscOptionsString(
      "-resp_readout_file",
      "The readout w from a vector file (file.h5:/path, 1-D, or PETSc binary; default: the population mean)", "",
      o->readout_file, o->readout_file, sizeof(o->readout_file), NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-resp_full", "Write chi u for every unit (/response/chi_real, chi_imag)",
                          o->full, &o->full, NULL));
  PetscCall(
      NdOptionsFlag(PetscOptionsObject, "-resp_shifted",
                    "All frequencies from one shared Krylov basis (multi-shift GMRES); false: GMRES per frequency",
                    o->shifted, &o->shifted, NULL));
  PetscCall(NdOptionsChoice(PetscOptionsObject, "-resp_theory",
                            "Also the theory beside chi (effective_gain, rate: (i omega + 1 - a J)^{-1} u)",
                            NdResponseTheories, 2, &o->theory, NULL));
  PetscCall(PetscOptionsReal("-resp_gain", "The gain a of the effective-gain picture (default: <phi'(x*)>)", "",
                             o->gain, &o->gain, &gain_set));
  PetscCall(PetscOptionsString("-resp_gain_from",
                               "The gain a as <phi'(x)> over the units and the samples of this simulate output", "",
                               o->gain_from, o->gain_from, sizeof(o->gain_from), NULL));
  PetscCall(PetscOptionsReal("-resp_gain_tmin", "Samples of -resp_gain_from from this time on (skip the transient)", "",
                             o->gain_tmin, &o->gain_tmin, &tmin_set));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-resp_exact",
                          "chi at the fixed point (false: the theory alone, e.g. above instability)", o->exact,
                          &o->exact, NULL));
  if (listed) PetscCall(NdOptionsCheckListRoom(comm, "-resp_omega", nlist, 4096));
  o->listed = listed;
  if (listed)
    o->nomega = nlist;
  else {
    PetscCheck(o->omega_max >= o->omega_min, comm, PETSC_ERR_USER_INPUT,
               "-resp_omega_max (%g) must not be below -resp_omega_min (%g)", (double)o->omega_max,
               (double)o->omega_min);
    PetscCheck(!o->log || o->omega_min > 0, comm, PETSC_ERR_USER_INPUT, "-resp_log needs -resp_omega_min > 0 (got %g)",
               (double)o->omega_min);
    /* every rank holds 8 numbers per frequency (omega, gain, phase, iterations, theory, ...) */
    PetscCall(NdCheckMemory(comm, 0, "-memory_limit", "the frequency grid (-resp_n)", 64.0 * o->nomega,
                            "take a smaller -resp_n"));
    PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)o->nomega, &o->omega));
    for (PetscInt k = 0; k < o->nomega; k++) {
      PetscReal s = o->nomega > 1 ? (PetscReal)k / (o->nomega - 1) : 0;
      o->omega[k] = o->log ? o->omega_min * PetscPowReal(o->omega_max / o->omega_min, s)
                           : o->omega_min + s * (o->omega_max - o->omega_min);
    }
  }
  for (PetscInt k = 0; k < o->nomega; k++)
    PetscCheck(o->omega[k] >= 0, comm, PETSC_ERR_USER_INPUT,
               "angular frequencies must be >= 0 (chi(-omega) is the complex conjugate of chi(omega)); got %g",
               (double)o->omega[k]);
  {
    PetscBool file   = (PetscBool)(o->input == ND_RESP_INPUT_FILE),
              theory = (PetscBool)(o->theory != ND_RESP_THEORY_NONE);
    PetscCheck(!file || o->input_file[0], comm, PETSC_ERR_USER_INPUT,
               "-resp_input file needs -resp_input_file file.h5:/u");
    PetscCheck(file || !o->input_file[0], comm, PETSC_ERR_USER_INPUT, "-resp_input_file needs -resp_input file");
    PetscCheck(!neuron_set || o->input == ND_RESP_INPUT_NEURON, comm, PETSC_ERR_USER_INPUT,
               "-resp_neuron needs -resp_input neuron");
    PetscCheck(!gain_set || theory, comm, PETSC_ERR_USER_INPUT, "-resp_gain needs -resp_theory effective_gain");
    PetscCheck(!o->gain_from[0] || theory, comm, PETSC_ERR_USER_INPUT,
               "-resp_gain_from needs -resp_theory effective_gain");
    PetscCheck(!gain_set || !o->gain_from[0], comm, PETSC_ERR_USER_INPUT,
               "-resp_gain and -resp_gain_from: give one of them");
    PetscCheck(!tmin_set || o->gain_from[0], comm, PETSC_ERR_USER_INPUT, "-resp_gain_tmin needs -resp_gain_from");
    PetscCheck(!gain_set || o->gain >= 0, comm, PETSC_ERR_USER_INPUT,
               "-resp_gain must be >= 0 (the mean slope of phi; got %g)", (double)o->gain);
    PetscCheck(o->exact || !o->full, comm, PETSC_ERR_USER_INPUT,
               "-resp_full writes the exact chi of every unit: not with -resp_exact false");
    PetscCheck(o->exact || theory, comm, PETSC_ERR_USER_INPUT,
               "-resp_exact false leaves nothing to compute without -resp_theory effective_gain");
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* u; and the readout w (population mean, the chosen neuron, or from a file) */
static PetscErrorCode NdResponseVectors(const NdResponseOptions *o, Vec u, Vec w)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)u);
  PetscInt  N;
  PetscBool neuron = (PetscBool)(o->input == ND_RESP_INPUT_NEURON);

  PetscFunctionBegin;
  PetscCall(VecGetSize(u, &N));
  PetscCheck(!neuron || (o->neuron >= 0 && o->neuron < N), comm, PETSC_ERR_USER_INPUT,
             "-resp_neuron %" PetscInt_FMT " is not a unit of the network (0 .. %" PetscInt_FMT ")", o->neuron, N - 1);
  PetscCall(VecSet(u, neuron ? 0.0 : 1.0));
  PetscCall(VecSet(w, neuron ? 0.0 : 1.0 / N));
  if (neuron) {
    PetscCall(VecSetValue(u, o->neuron, 1.0, INSERT_VALUES));
    PetscCall(VecSetValue(w, o->neuron, 1.0, INSERT_VALUES));
  }
  PetscCall(VecAssemblyBegin(u));
  PetscCall(VecAssemblyEnd(u));
  PetscCall(VecAssemblyBegin(w));
  PetscCall(VecAssemblyEnd(w));
  if (o->input == ND_RESP_INPUT_FILE) PetscCall(NdVecLoadFile("-resp_input_file", o->input_file, u));
  if (o->readout_file[0]) PetscCall(NdVecLoadFile("-resp_readout_file", o->readout_file, w));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* chi at every frequency, read out by w: gain, phase, Krylov vectors per frequency; with dr, di
   every unit's chi appended as rows. A signal caught by any rank ends the sweep before its next
   frequency: *done (< nomega) frequencies are solved, and the caller writes them before stopping. */
static PetscErrorCode NdResponseSweep(NdResponse resp, const NdResponseOptions *o, Vec u, Vec w, Vec xr, Vec xi,
                                      PetscReal gain[], PetscReal phase[], PetscReal its[], NdDataset dr, NdDataset di,
                                      PetscInt *done, PetscInt *total, PetscInt *basis)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)u);

  PetscFunctionBegin;
  *total = *basis = *done = 0;
  if (o->shifted) PetscCall(NdResponseSolveShifts(resp, o->nomega, o->omega, u, basis));
  for (PetscInt k = 0; k < o->nomega; k++, *done = k) {
    PetscInt  it, used = 0;
    PetscReal re, im;
    int       signum;
    PetscCall(NdCheckpointSignalReceived(comm, &signum));
    if (signum) break;
    if (o->shifted)
      PetscCall(NdResponseGetShiftSolution(resp, k, u, xr, xi, &used, &it));
    else
      PetscCall(NdResponseSolve(resp, o->omega[k], u, xr, xi, &it));
    PetscCall(VecDot(xr, w, &re));
    PetscCall(VecDot(xi, w, &im));
    gain[k]  = PetscSqrtReal(re * re + im * im);
    phase[k] = PetscAtan2Real(im, re);
    its[k]   = (PetscReal)(used + it); /* Krylov vectors of this frequency */
    *total += it;
    if (dr && di) {
      PetscCall(NdDatasetAppendVec(dr, xr));
      PetscCall(NdDatasetAppendVec(di, xi));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After a sweep stopped by a signal (done < nomega): the solved frequencies are in the file (the
   caller has written its arrays of length done, entry k belonging to /response/omega[k]);
   /response's attribute frequencies_solved says how many, and the command stops with one line */
static PetscErrorCode NdResponseStopPartial(MPI_Comm comm, NdOutput out, const char what[], PetscInt done,
                                            PetscInt nomega)
{
  char where[160];

  PetscFunctionBegin;
  if (done == nomega) PetscFunctionReturn(PETSC_SUCCESS);
  if (out) PetscCall(NdOutputWriteAttributeInt(out, "/response", "frequencies_solved", done));
  PetscCall(PetscSNPrintf(where, sizeof(where),
                          "before frequency %" PetscInt_FMT " of %" PetscInt_FMT " (%s: the first %" PetscInt_FMT
                          " written)",
                          done + 1, nomega, what, done));
  PetscCall(NdSignalStop(comm, out, where));
  SETERRQ(comm, PETSC_ERR_PLIB, "a response sweep ended early without a signal");
}

typedef struct {
  NdSystem  sys;
  PetscReal sum;
} NdGainAverage;

static PetscErrorCode NdGainAccumulate(PetscReal t, Vec x, void *ctx)
{
  NdGainAverage *avg = (NdGainAverage *)ctx;
  PetscReal      a;

  PetscFunctionBegin;
  (void)t;
  PetscCall(NdSystemRateGetMeanGain(avg->sys, x, &a));
  avg->sum += a;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* a = <phi'> over the units at the fixed point, or over the units and the recorded states of a
   simulation (-resp_gain_from): above instability the network lives on its attractor, not at x*
   (docs/models/rate.md#theory-at-fixed-j) */
static PetscErrorCode NdResponseEffectiveGain(NdSystem sys, NdResponseOptions *o, Vec xstar, PetscInt *samples)
{
  NdGainAverage avg = {sys, 0};
  Vec           x;

  PetscFunctionBegin;
  *samples = 0;
  if (!o->gain_from[0]) {
    PetscCall(NdSystemRateGetMeanGain(sys, xstar, &o->gain));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(VecDuplicate(xstar, &x));
  PetscCall(VecCopy(xstar, x)); /* variables that are not recorded keep these values */
  PetscCall(
      NdForEachRecordedState(sys, o->gain_from, "-resp_gain_from", o->gain_tmin, x, NdGainAccumulate, &avg, samples));
  PetscCall(VecDestroy(&x));
  o->gain = avg.sum / (PetscReal)*samples;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSetFromOptions_Response(NdLinearization lin, NdOptionItems PetscOptionsObject)
{
  NdResponseOptions *o    = (NdResponseOptions *)lin->data;
  MPI_Comm           comm = PetscObjectComm((PetscObject)lin);
  PetscBool          rate;

  PetscFunctionBegin;
  PetscCall(NdResponseReadOptions(comm, PetscOptionsObject, o));
  if (o->theory == ND_RESP_THEORY_EFFECTIVE_GAIN)
    PetscCall(NdLinearizationCheckRate(lin, "-resp_theory effective_gain", &rate));
  /* the fixed point is needed for chi and for the default gain <phi'(x*)>; the theory alone with a
     given gain does without (above instability Newton may not even converge) */
  lin->fixed_point = (PetscBool)(o->exact || (o->gain < 0 && !o->gain_from[0]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSetSolvers_Response(NdLinearization lin)
{
  NdResponseOptions *o = (NdResponseOptions *)lin->data;

  PetscFunctionBegin;
  PetscCall(NdResponseDestroy(&o->resp));
  PetscCall(NdResponseCreate(PetscObjectComm((PetscObject)lin), "resp_", &o->resp));
  PetscCall(NdResponseSetFromOptions(o->resp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSetUp_Response(NdLinearization lin)
{
  NdResponseOptions *o = (NdResponseOptions *)lin->data;

  PetscFunctionBegin;
  if (!o->resp) {
    PetscCall(NdResponseCreate(PetscObjectComm((PetscObject)lin), "resp_", &o->resp));
    PetscCall(NdResponseSetFromOptions(o->resp));
  }
  PetscCall(VecDestroy(&o->u));
  PetscCall(VecDestroy(&o->w));
  PetscCall(VecDuplicate(lin->x, &o->u));
  PetscCall(VecDuplicate(lin->x, &o->w));
  PetscCall(NdResponseVectors(o, o->u, o->w));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSolve_Response(NdLinearization lin, NdOutput out)
{
  NdResponseOptions *o      = (NdResponseOptions *)lin->data;
  MPI_Comm           comm   = PetscObjectComm((PetscObject)lin);
  PetscBool          theory = (PetscBool)(o->theory == ND_RESP_THEORY_EFFECTIVE_GAIN);
  PetscInt           n, N = lin->N;
  NdDataset          dr = NULL, di = NULL;
  PetscLogDouble     wall0 = 0, wall1 = 0;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(lin->x, &n));
  PetscCall(VecDestroy(&o->xr));
  PetscCall(VecDestroy(&o->xi));
  PetscCall(VecDuplicate(lin->x, &o->xr));
  PetscCall(VecDuplicate(lin->x, &o->xi));
  if (theory && o->gain < 0) PetscCall(NdResponseEffectiveGain(lin->sys, o, lin->x, &o->samples));
  PetscCall(NdSignalStop(comm, out, "after the fixed point"));
  PetscCall(NdResponseSetOperator(o->resp, lin->A));
  PetscCall(PetscFree3(o->cgain, o->cphase, o->its));
  PetscCall(PetscFree2(o->tgain, o->tphase));
  PetscCall(PetscMalloc3(o->nomega, &o->cgain, o->nomega, &o->cphase, o->nomega, &o->its));

  PetscCall(NdLinearizationOpenOutput(lin, out, lin->fixed_point ? "/response/fixed_point" : NULL));
  if (out) {
    PetscCall(NdOutputWriteVecRow(out, "/response/input", o->u, "1"));
    PetscCall(NdOutputWriteVecRow(out, "/response/readout", o->w, "1"));
    PetscCall(NdOutputWriteSharedArray(out, "/response/omega", o->nomega, 0, o->omega, "rad/T"));
  }
  if (o->exact) {
    if (o->full && out) {
      PetscCall(NdOutputCreateDataset(out, "/response/chi_real", n, N, PETSC_FALSE, "T", &dr));
      PetscCall(NdOutputCreateDataset(out, "/response/chi_imag", n, N, PETSC_FALSE, "T", &di));
    }
    PetscCall(PetscTime(&wall0));
    PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
    PetscCall(NdResponseSweep(o->resp, o, o->u, o->w, o->xr, o->xi, o->cgain, o->cphase, o->its, dr, di, &o->done,
                              &o->total, &o->basis));
    PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
    PetscCall(PetscTime(&wall1));
    o->seconds = wall1 - wall0;
    PetscCall(NdDatasetDestroy(&dr));
    PetscCall(NdDatasetDestroy(&di));
    if (out) {
      PetscCall(NdOutputWriteSharedArray(out, "/response/gain", o->done, 0, o->cgain, "T"));
      PetscCall(NdOutputWriteSharedArray(out, "/response/phase", o->done, 0, o->cphase, "rad"));
      PetscCall(NdOutputWriteSharedArray(out, "/response/iterations", o->done, 0, o->its, "1"));
    }
    PetscCall(NdResponseStopPartial(comm, out, "chi", o->done, o->nomega));
    if (out) {
      PetscCall(NdOutputWriteAttributeReal(out, "/response", "solve_seconds", (PetscReal)o->seconds));
      PetscCall(NdOutputWriteAttributeString(out, "/response", "method", o->shifted ? "multi-shift GMRES" : "GMRES"));
      PetscCall(NdOutputWriteAttributeInt(out, "/response", "shared_krylov_vectors", o->basis));
    }
  }
  if (theory) { /* the same sweep with A = -1 + a J (the Jacobian is not needed any more) */
    PetscInt ttotal, tbasis;
    PetscCall(PetscMalloc2(o->nomega, &o->tgain, o->nomega, &o->tphase));
    PetscCall(NdSystemRateEffectiveJacobian(lin->sys, o->gain, lin->A));
    PetscCall(NdResponseSweep(o->resp, o, o->u, o->w, o->xr, o->xi, o->tgain, o->tphase, o->its, NULL, NULL, &o->done,
                              &ttotal, &tbasis));
    if (out) {
      PetscCall(NdOutputWriteSharedArray(out, "/response/theory_gain", o->done, 0, o->tgain, "T"));
      PetscCall(NdOutputWriteSharedArray(out, "/response/theory_phase", o->done, 0, o->tphase, "rad"));
    }
    PetscCall(NdResponseStopPartial(comm, out, "theory", o->done, o->nomega));
    if (out) {
      PetscCall(NdOutputWriteAttributeString(
          out, "/response", "theory",
          "effective gain: (i omega + 1 - a J)^{-1} u (docs/models/rate.md#theory-at-fixed-j)"));
      PetscCall(NdOutputWriteAttributeReal(out, "/response", "effective_gain", o->gain));
      PetscCall(NdOutputWriteAttributeInt(out, "/response", "effective_gain_samples", o->samples));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSummary_Response(NdLinearization lin, char buf[], size_t len)
{
  NdResponseOptions *o         = (NdResponseOptions *)lin->data;
  char               work[160] = "", th[160] = "";

  PetscFunctionBegin;
  if (o->exact && o->shifted)
    PetscCall(PetscSNPrintf(work, sizeof(work),
                            "gain %g at omega = %g, one Krylov basis of %" PetscInt_FMT " vectors (and %" PetscInt_FMT
                            " single-frequency GMRES iterations), %.2f s",
                            (double)o->cgain[0], (double)o->omega[0], o->basis, o->total, (double)o->seconds));
  else if (o->exact)
    PetscCall(PetscSNPrintf(work, sizeof(work),
                            "gain %g at omega = %g, %" PetscInt_FMT " GMRES iterations in all, %.2f s",
                            (double)o->cgain[0], (double)o->omega[0], o->total, (double)o->seconds));
  if (o->theory == ND_RESP_THEORY_EFFECTIVE_GAIN)
    PetscCall(PetscSNPrintf(th, sizeof(th), "%seffective-gain theory with a = %g: gain %g at omega = %g",
                            o->exact ? "; " : "", (double)o->gain, (double)o->tgain[0], (double)o->omega[0]));
  PetscCall(PetscSNPrintf(buf, len, "chi at %" PetscInt_FMT " frequencies (N = %" PetscInt_FMT "), %s%s", o->nomega,
                          lin->N, work, th));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The frequencies (from C; overrides -resp_omega and the grid) */
static PetscErrorCode NdLinearizationSetFrequencies_Response(NdLinearization lin, PetscInt n, const PetscReal omega[])
{
  NdResponseOptions *o = (NdResponseOptions *)lin->data;

  PetscFunctionBegin;
  PetscCheck(n >= 1, PetscObjectComm((PetscObject)lin), PETSC_ERR_ARG_OUTOFRANGE, "give at least one frequency");
  for (PetscInt k = 0; k < n; k++)
    PetscCheck(omega[k] >= 0, PetscObjectComm((PetscObject)lin), PETSC_ERR_ARG_OUTOFRANGE,
               "angular frequencies must be >= 0 (got %g)", (double)omega[k]);
  PetscCall(PetscFree(o->omega));
  PetscCall(PetscMalloc1(n, &o->omega));
  PetscCall(PetscArraycpy(o->omega, omega, n));
  o->nomega = n;
  o->listed = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* chi read out by w at each frequency: gain |w^T chi u| and phase (after NdLinearizationSolve) */
static PetscErrorCode NdLinearizationGetResponse_Response(NdLinearization lin, PetscInt *n, const PetscReal *omega[],
                                                          const PetscReal *gain[], const PetscReal *phase[])
{
  NdResponseOptions *o = (NdResponseOptions *)lin->data;

  PetscFunctionBegin;
  if (n) *n = o->done;
  if (omega) *omega = o->omega;
  if (gain) *gain = o->cgain;
  if (phase) *phase = o->cphase;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationView_Response(NdLinearization lin, PetscViewer viewer)
{
  NdResponseOptions *o = (NdResponseOptions *)lin->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "chi(omega) at %" PetscInt_FMT " frequencies, input %s%s%s\n", o->nomega,
                                   NdResponseInputs[o->input], o->shifted ? ", multi-shift GMRES" : ", GMRES",
                                   o->theory ? ", with the effective-gain theory" : ""));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationDestroy_Response(NdLinearization lin)
{
  NdResponseOptions *o = (NdResponseOptions *)lin->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(o->omega));
  PetscCall(PetscFree3(o->cgain, o->cphase, o->its));
  PetscCall(PetscFree2(o->tgain, o->tphase));
  PetscCall(VecDestroy(&o->u));
  PetscCall(VecDestroy(&o->w));
  PetscCall(VecDestroy(&o->xr));
  PetscCall(VecDestroy(&o->xi));
  PetscCall(NdResponseDestroy(&o->resp));
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationSetFrequencies_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationGetResponse_C", NULL));
  PetscCall(PetscFree(lin->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdLinearizationCreate_Response(NdLinearization lin)
{
  NdResponseOptions *o;

  PetscFunctionBegin;
  PetscCall(PetscNew(&o));
  o->omega_max = 10;
  o->nomega    = 20;
  o->shifted   = PETSC_TRUE;
  o->gain      = -1;
  o->exact     = PETSC_TRUE;
  PetscCall(PetscMalloc1(o->nomega, &o->omega));
  for (PetscInt k = 0; k < o->nomega; k++) o->omega[k] = o->omega_max * k / (o->nomega - 1);
  lin->data                = o;
  lin->start_option        = "-resp_start";
  lin->ops->setfromoptions = NdLinearizationSetFromOptions_Response;
  lin->ops->setsolvers     = NdLinearizationSetSolvers_Response;
  lin->ops->setup          = NdLinearizationSetUp_Response;
  lin->ops->solve          = NdLinearizationSolve_Response;
  lin->ops->summary        = NdLinearizationSummary_Response;
  lin->ops->view           = NdLinearizationView_Response;
  lin->ops->destroy        = NdLinearizationDestroy_Response;
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationSetFrequencies_C",
                                       NdLinearizationSetFrequencies_Response));
  PetscCall(PetscObjectComposeFunction((PetscObject)lin, "NdLinearizationGetResponse_C",
                                       NdLinearizationGetResponse_Response));
  PetscFunctionReturn(PETSC_SUCCESS);
}
