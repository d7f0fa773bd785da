/* neurodyn spectrum: the fixed point of a system (SNES) and the eigenvalues of its Jacobian A
   (SLEPc): rightmost ones, near a target, or all of them; written to /spectrum. */
#include <neurodyn/app.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/output.h>
#include <neurodyn/spectrum.h>

/* How the eigensolver ended. Fewer converged eigenvalues than requested (the restart limit was
   hit) means the rightmost ones may be missing: a warning, and the attributes say so. */
static PetscErrorCode NdWriteConvergence(NdOutput out, EPS eps)
{
  EPSConvergedReason reason;
  PetscInt           nev, nconv, its;

  PetscFunctionBegin;
  PetscCall(EPSGetConvergedReason(eps, &reason));
  PetscCall(EPSGetDimensions(eps, &nev, NULL, NULL));
  PetscCall(EPSGetConverged(eps, &nconv));
  PetscCall(EPSGetIterationNumber(eps, &its));
  PetscCall(NdOutputWriteAttributeInt(out, "/spectrum", "requested", nev));
  PetscCall(NdOutputWriteAttributeInt(out, "/spectrum", "iterations", its));
  PetscCall(NdOutputWriteAttributeString(out, "/spectrum", "converged_reason", EPSConvergedReasons[reason]));
  if (nconv < nev)
    PetscCall(PetscPrintf(PetscObjectComm((PetscObject)eps),
                          "neurodyn: warning: %" PetscInt_FMT " of %" PetscInt_FMT
                          " requested eigenvalues converged in %" PetscInt_FMT
                          " restarts (%s); the rightmost may be missing: raise -eps_max_it or -eps_tol\n",
                          nconv, nev, its, EPSConvergedReasons[reason]));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* radius: of the circular-law bulk (rate networks; < 0: no bulk, as for a mass model) */
static PetscErrorCode NdWriteSpectrum(NdOutput out, EPS eps, Mat A, PetscBool vectors, PetscReal radius)
{
  PetscInt   nconv, n, N;
  PetscReal *re, *im, *err;
  Vec        xr, xi;
  NdDataset  dr = NULL, di = NULL;

  PetscFunctionBegin;
  PetscCall(EPSGetConverged(eps, &nconv));
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(MatCreateVecs(A, &xr, &xi));
  PetscCall(VecGetLocalSize(xr, &n));
  PetscCall(PetscMalloc3(nconv, &re, nconv, &im, nconv, &err));
  if (vectors) {
    PetscCall(NdOutputCreateDataset(out, "/spectrum/eigenvectors_real", n, N, PETSC_FALSE, "1", &dr));
    PetscCall(NdOutputCreateDataset(out, "/spectrum/eigenvectors_imag", n, N, PETSC_FALSE, "1", &di));
  }
  for (PetscInt i = 0; i < nconv; i++) {
    PetscCall(EPSGetEigenpair(eps, i, &re[i], &im[i], vectors ? xr : NULL, vectors ? xi : NULL));
    PetscCall(EPSComputeError(eps, i, EPS_ERROR_RELATIVE, &err[i]));
    if (vectors) {
      PetscCall(NdDatasetAppendVec(dr, xr));
      PetscCall(NdDatasetAppendVec(di, xi));
    }
  }
  PetscCall(NdDatasetDestroy(&dr));
  PetscCall(NdDatasetDestroy(&di));
  PetscCall(NdOutputWriteSharedArray(out, "/spectrum/eigenvalues_real", nconv, 0, re, "1/T"));
  PetscCall(NdOutputWriteSharedArray(out, "/spectrum/eigenvalues_imag", nconv, 0, im, "1/T"));
  PetscCall(NdOutputWriteSharedArray(out, "/spectrum/relative_error", nconv, 0, err, "1"));
  PetscCall(NdOutputWriteAttributeInt(out, "/spectrum", "N", N));
  if (radius >= 0) {
    PetscCall(NdOutputWriteAttributeReal(out, "/spectrum", "bulk_radius", radius));
    PetscCall(NdOutputWriteAttributeReal(out, "/spectrum", "bulk_center", -1.0));
  }
  PetscCall(NdWriteConvergence(out, eps));
  PetscCall(PetscFree3(re, im, err));
  PetscCall(VecDestroy(&xr));
  PetscCall(VecDestroy(&xi));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandSpectrum(const NdCommandLine *cl)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  NdSystem       sys;
  NdOutput       out;
  SNES           snes;
  EPS            eps;
  Mat            A;
  Vec            x;
  PetscBool      all = PETSC_FALSE, vectors = PETSC_FALSE, quiet = PETSC_FALSE, help;
  char           start[PETSC_MAX_PATH_LEN] = "";
  PetscInt       N, nconv;
  PetscReal      radius = -1;
  PetscBool      rate;
  PetscLogDouble wall0, wall1, wall2;

  PetscFunctionBegin;
  PetscCall(PetscTime(&wall0));
  PetscCall(NdInitializePackage());
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscOptionsBegin(comm, NULL, "Spectrum options", "neurodyn spectrum");
  PetscCall(
      NdOptionsFlag(PetscOptionsObject, "-spec_all", "Whole spectrum (dense LAPACK; moderate N)", all, &all, NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-spec_vectors", "Write the eigenvectors too", vectors, &vectors, NULL));
  PetscCall(PetscOptionsString("-spec_start", "Start Newton from the last state of this simulate output", "", start,
                               start, sizeof(start), NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No summary line", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdFixedPointCreateSNES(sys, &snes));
  PetscCall(NdSpectrumCreateEPS(comm, all, &eps));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) PetscCall(NdSystemSetUp(sys));
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  NdErrorSetConfiguring(PETSC_FALSE);
  if (help) {
    PetscCall(SNESDestroy(&snes));
    PetscCall(EPSDestroy(&eps));
    PetscCall(NdOutputDestroy(&out));
    PetscCall(NdSystemDestroy(&sys));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdEPSStopOnSignal(eps));
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(VecGetSize(x, &N)); /* unknowns: nodes times variables per node */
  PetscCall(NdSystemGetInitialState(sys, x));
  if (start[0]) PetscCall(NdReadFinalState(sys, start, "-spec_start", x));
  PetscCall(NdSystemCreateJacobianMatrix(sys, &A));
  PetscCall(PetscTime(&wall1));
  PetscCall(NdSystemSolveFixedPoint(sys, snes, x, A));
  PetscCall(NdSignalStop(comm, out, "after the fixed point"));
  PetscCall(PetscObjectTypeCompare((PetscObject)sys, NDSYSTEMRATE, &rate));
  if (rate) PetscCall(NdBulkRadius(A, &radius)); /* the circular law is that of a random J (docs/models/rate.md) */
  PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(EPSSetOperators(eps, A, NULL));
  PetscCall(NdSpectrumSetSize(eps, N, all));
  PetscCall(EPSSolve(eps));
  PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(NdSignalStop(comm, out, "in the eigenvalue solve"));
  PetscCall(PetscTime(&wall2));
  PetscCall(EPSGetConverged(eps, &nconv));

  PetscCall(NdOutputOpen(out));
  PetscCall(NdSystemWriteDescription(sys, out));
  PetscCall(NdSystemWriteState(sys, out, "/spectrum/fixed_point", x));
  PetscCall(NdWriteSpectrum(out, eps, A, vectors, radius));
  PetscCall(NdOutputWriteAttributeReal(out, "/spectrum", "solve_seconds", (PetscReal)(wall2 - wall1)));
  PetscCall(NdOutputMarkComplete(out));
  if (!quiet) {
    const char *name;
    char        first[64] = "", bulk[64] = "";
    if (nconv) {
      PetscReal kr, ki;
      PetscCall(EPSGetEigenpair(eps, 0, &kr, &ki, NULL, NULL));
      PetscCall(PetscSNPrintf(first, sizeof(first), ", first %g%+gi", (double)kr, (double)ki));
    }
    if (rate) PetscCall(PetscSNPrintf(bulk, sizeof(bulk), ", bulk radius %g", (double)radius));
    PetscCall(NdOutputGetFileName(out, &name));
    PetscCall(PetscPrintf(comm,
                          "neurodyn: %" PetscInt_FMT " eigenvalues of A (N = %" PetscInt_FMT
                          ")%s%s; fixed point and eigenvalues in %.2f s; wrote %s\n",
                          nconv, N, first, bulk, (double)(wall2 - wall1), name));
  }
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(VecDestroy(&x));
  PetscCall(MatDestroy(&A));
  PetscCall(SNESDestroy(&snes));
  PetscCall(EPSDestroy(&eps));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
