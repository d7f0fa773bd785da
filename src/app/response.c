/* neurodyn response: the linear response chi(omega) = (i omega - A)^{-1} u of a system at its
   fixed point over a frequency grid (docs/models/rate.md); written to /response. */
#include <neurodyn/app.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/output.h>
#include <neurodyn/spectrum.h>

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
  char      input_file[PETSC_MAX_PATH_LEN], readout_file[PETSC_MAX_PATH_LEN], start[PETSC_MAX_PATH_LEN];
  PetscInt  neuron;
  PetscInt  theory;                        /* NdResponseTheory */
  PetscReal gain;                          /* of the effective-gain picture; < 0: <phi'(x*)> or <phi'(x(t))> */
  char      gain_from[PETSC_MAX_PATH_LEN]; /* the simulate output to average phi' over */
  PetscReal gain_tmin;                     /* from this time on */
  PetscBool exact;                         /* chi at the fixed point too (false: theory only) */
  PetscBool quiet;
} NdResponseOptions;

static PetscErrorCode NdResponseReadOptions(MPI_Comm comm, NdResponseOptions *o)
{
  PetscInt  nlist = 4097;
  PetscBool listed, gain_set, tmin_set, neuron_set;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(nlist, &o->omega));
  PetscOptionsBegin(comm, NULL, "Response options", "neurodyn response");
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
  PetscCall(PetscOptionsString("-resp_start", "Start Newton from the last state of this simulate output", "", o->start,
                               o->start, sizeof(o->start), NULL));
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
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No summary line", o->quiet, &o->quiet, NULL));
  PetscOptionsEnd();
  if (listed) PetscCall(NdOptionsCheckListRoom(comm, "-resp_omega", nlist, 4096));
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
  PetscCall(NdOutputWriteAttributeInt(out, "/response", "frequencies_solved", done));
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

PetscErrorCode NdCommandResponse(const NdCommandLine *cl)
{
  MPI_Comm          comm = PETSC_COMM_WORLD;
  NdSystem          sys;
  NdOutput          out;
  SNES              snes;
  NdResponse        resp;
  Mat               A;
  Vec               x, u, w, xr, xi;
  NdResponseOptions o = {.omega_max = 10, .nomega = 20, .shifted = PETSC_TRUE, .gain = -1, .exact = PETSC_TRUE};
  PetscBool         help, theory, fixed_point;
  PetscReal        *gain = NULL, *phase = NULL, *its = NULL, *tgain = NULL, *tphase = NULL;
  PetscInt          n, N, total = 0, basis = 0, samples = 0, done = 0;
  NdDataset         dr = NULL, di = NULL;
  PetscLogDouble    wall0 = 0, wall1 = 0;

  PetscFunctionBegin;
  PetscCall(NdInitializePackage());
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscCall(NdResponseReadOptions(comm, &o));
  theory = (PetscBool)(o.theory == ND_RESP_THEORY_EFFECTIVE_GAIN);
  if (theory) {
    PetscBool rate;
    PetscCall(PetscObjectTypeCompare((PetscObject)sys, NDSYSTEMRATE, &rate));
    PetscCheck(rate, comm, PETSC_ERR_USER_INPUT,
               "-resp_theory effective_gain is the theory of the rate network: needs -sys_type rate");
  }
  PetscCall(NdFixedPointCreateSNES(sys, &snes));
  PetscCall(NdResponseCreate(comm, "resp_", &resp));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscCall(NdSystemSetUp(sys));
    PetscCall(NdSystemCreateVector(sys, &x));
    PetscCall(VecDuplicate(x, &u));
    PetscCall(VecDuplicate(x, &w));
    PetscCall(NdResponseVectors(&o, u, w));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  NdErrorSetConfiguring(PETSC_FALSE);
  if (help) {
    PetscCall(PetscFree(o.omega));
    PetscCall(SNESDestroy(&snes));
    PetscCall(NdResponseDestroy(&resp));
    PetscCall(NdOutputDestroy(&out));
    PetscCall(NdSystemDestroy(&sys));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdSystemGetInitialState(sys, x));
  if (o.start[0]) PetscCall(NdReadFinalState(sys, o.start, "-resp_start", x));
  PetscCall(NdSystemCreateJacobianMatrix(sys, &A));
  PetscCall(VecDuplicate(x, &xr));
  PetscCall(VecDuplicate(x, &xi));
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecGetSize(x, &N));
  /* the fixed point is needed for chi and for the default gain <phi'(x*)>; the theory alone with a
     given gain does without (above instability Newton may not even converge) */
  fixed_point = (PetscBool)(o.exact || (o.gain < 0 && !o.gain_from[0]));
  if (fixed_point)
    PetscCall(NdSystemSolveFixedPoint(sys, snes, x, A));
  else
    PetscCall(NdSystemComputeJacobian(sys, 0.0, x, A)); /* assembled: the theory's operator is copied into it */
  if (theory && o.gain < 0) PetscCall(NdResponseEffectiveGain(sys, &o, x, &samples));
  PetscCall(NdSignalStop(comm, out, "after the fixed point"));
  PetscCall(NdResponseSetOperator(resp, A));
  PetscCall(PetscMalloc3(o.nomega, &gain, o.nomega, &phase, o.nomega, &its));

  PetscCall(NdOutputOpen(out));
  PetscCall(NdSystemWriteDescription(sys, out));
  if (fixed_point) PetscCall(NdSystemWriteState(sys, out, "/response/fixed_point", x));
  PetscCall(NdOutputWriteVecRow(out, "/response/input", u, "1"));
  PetscCall(NdOutputWriteVecRow(out, "/response/readout", w, "1"));
  PetscCall(NdOutputWriteSharedArray(out, "/response/omega", o.nomega, 0, o.omega, "rad/T"));
  if (o.exact) {
    if (o.full) {
      PetscCall(NdOutputCreateDataset(out, "/response/chi_real", n, N, PETSC_FALSE, "T", &dr));
      PetscCall(NdOutputCreateDataset(out, "/response/chi_imag", n, N, PETSC_FALSE, "T", &di));
    }
    PetscCall(PetscTime(&wall0));
    PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
    PetscCall(NdResponseSweep(resp, &o, u, w, xr, xi, gain, phase, its, dr, di, &done, &total, &basis));
    PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
    PetscCall(PetscTime(&wall1));
    PetscCall(NdDatasetDestroy(&dr));
    PetscCall(NdDatasetDestroy(&di));
    PetscCall(NdOutputWriteSharedArray(out, "/response/gain", done, 0, gain, "T"));
    PetscCall(NdOutputWriteSharedArray(out, "/response/phase", done, 0, phase, "rad"));
    PetscCall(NdOutputWriteSharedArray(out, "/response/iterations", done, 0, its, "1"));
    PetscCall(NdResponseStopPartial(comm, out, "chi", done, o.nomega));
    PetscCall(NdOutputWriteAttributeReal(out, "/response", "solve_seconds", (PetscReal)(wall1 - wall0)));
    PetscCall(NdOutputWriteAttributeString(out, "/response", "method", o.shifted ? "multi-shift GMRES" : "GMRES"));
    PetscCall(NdOutputWriteAttributeInt(out, "/response", "shared_krylov_vectors", basis));
  }
  if (theory) { /* the same sweep with A = -1 + a J (the Jacobian is not needed any more) */
    PetscInt ttotal, tbasis;
    PetscCall(PetscMalloc2(o.nomega, &tgain, o.nomega, &tphase));
    PetscCall(NdSystemRateEffectiveJacobian(sys, o.gain, A));
    PetscCall(NdResponseSweep(resp, &o, u, w, xr, xi, tgain, tphase, its, NULL, NULL, &done, &ttotal, &tbasis));
    PetscCall(NdOutputWriteSharedArray(out, "/response/theory_gain", done, 0, tgain, "T"));
    PetscCall(NdOutputWriteSharedArray(out, "/response/theory_phase", done, 0, tphase, "rad"));
    PetscCall(NdResponseStopPartial(comm, out, "theory", done, o.nomega));
    PetscCall(NdOutputWriteAttributeString(
        out, "/response", "theory",
        "effective gain: (i omega + 1 - a J)^{-1} u (docs/models/rate.md#theory-at-fixed-j)"));
    PetscCall(NdOutputWriteAttributeReal(out, "/response", "effective_gain", o.gain));
    PetscCall(NdOutputWriteAttributeInt(out, "/response", "effective_gain_samples", samples));
  }
  PetscCall(NdOutputMarkComplete(out));
  if (!o.quiet) {
    const char *name;
    char        work[160] = "";
    PetscCall(NdOutputGetFileName(out, &name));
    if (o.exact && o.shifted)
      PetscCall(PetscSNPrintf(work, sizeof(work),
                              "gain %g at omega = %g, one Krylov basis of %" PetscInt_FMT " vectors (and %" PetscInt_FMT
                              " single-frequency GMRES iterations), %.2f s",
                              (double)gain[0], (double)o.omega[0], basis, total, (double)(wall1 - wall0)));
    else if (o.exact)
      PetscCall(PetscSNPrintf(work, sizeof(work),
                              "gain %g at omega = %g, %" PetscInt_FMT " GMRES iterations in all, %.2f s",
                              (double)gain[0], (double)o.omega[0], total, (double)(wall1 - wall0)));
    PetscCall(PetscPrintf(comm, "neurodyn: chi at %" PetscInt_FMT " frequencies (N = %" PetscInt_FMT "), %s", o.nomega,
                          N, work));
    if (theory)
      PetscCall(PetscPrintf(comm, "%seffective-gain theory with a = %g: gain %g at omega = %g", o.exact ? "; " : "",
                            (double)o.gain, (double)tgain[0], (double)o.omega[0]));
    PetscCall(PetscPrintf(comm, "; wrote %s\n", name));
  }
  PetscCall(PetscFree2(tgain, tphase));
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(PetscFree3(gain, phase, its));
  PetscCall(PetscFree(o.omega));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&w));
  PetscCall(VecDestroy(&xr));
  PetscCall(VecDestroy(&xi));
  PetscCall(MatDestroy(&A));
  PetscCall(SNESDestroy(&snes));
  PetscCall(NdResponseDestroy(&resp));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
