/* eigen: the eigenvalues of the Jacobian A at the fixed point (SLEPc): the rightmost ones, near a
   target (-eps_target, -st_type sinvert), or all of them (-spec_all, dense LAPACK); written to
   /spectrum (docs/commands/spectrum.md). */
#include <neurodyn/private/linearizationimpl.h>

typedef struct {
  PetscBool      all, vectors;
  PetscBool      rate;    /* a rate network: the circular-law bulk of its random J is written */
  PetscReal      radius;  /* of that bulk (< 0: none) */
  PetscInt       nconv;   /* eigenvalues converged */
  PetscLogDouble seconds; /* fixed point and eigenvalues */
} NdLinearization_Eigen;

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

static PetscErrorCode NdLinearizationSetFromOptions_Eigen(NdLinearization lin, NdOptionItems PetscOptionsObject)
{
  NdLinearization_Eigen *e = (NdLinearization_Eigen *)lin->data;

  PetscFunctionBegin;
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-spec_all", "Whole spectrum (dense LAPACK; moderate N)", e->all, &e->all,
                          NULL));
  PetscCall(
      NdOptionsFlag(PetscOptionsObject, "-spec_vectors", "Write the eigenvectors too", e->vectors, &e->vectors, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSetSolvers_Eigen(NdLinearization lin)
{
  NdLinearization_Eigen *e = (NdLinearization_Eigen *)lin->data;

  PetscFunctionBegin;
  PetscCall(EPSDestroy(&lin->eps));
  PetscCall(NdEPSCreateRightmost(PetscObjectComm((PetscObject)lin), 10, e->all, 1e-12, 5000, &lin->eps));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSolve_Eigen(NdLinearization lin, NdOutput out)
{
  NdLinearization_Eigen *e    = (NdLinearization_Eigen *)lin->data;
  MPI_Comm               comm = PetscObjectComm((PetscObject)lin);
  PetscLogDouble         wall0, wall1;

  PetscFunctionBegin;
  if (!lin->eps) PetscCall(NdEPSCreateRightmost(comm, 10, e->all, 1e-12, 5000, &lin->eps));
  /* the file first (the fixed point, complete = 0): a signal in the solve leaves it readable */
  PetscCall(NdLinearizationOpenOutput(lin, out, "/spectrum/fixed_point"));
  PetscCall(PetscTime(&wall0));
  PetscCall(NdEPSStopOnSignal(lin->eps));
  PetscCall(NdLinearizationCheckRate(lin, NULL, &e->rate));
  e->radius = -1;
  if (e->rate) PetscCall(NdBulkRadius(lin->A, &e->radius)); /* the circular law is that of a random J */
  PetscCall(PetscLogEventBegin(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(EPSSetOperators(lin->eps, lin->A, NULL));
  PetscCall(NdSpectrumSetSize(lin->eps, lin->N, e->all));
  PetscCall(EPSSolve(lin->eps));
  PetscCall(PetscLogEventEnd(ND_EVENT_SPECTRUM, 0, 0, 0, 0));
  PetscCall(NdSignalStop(comm, out, "in the eigenvalue solve"));
  PetscCall(PetscTime(&wall1));
  e->seconds = lin->fixed_point_seconds + (wall1 - wall0);
  PetscCall(EPSGetConverged(lin->eps, &e->nconv));
  if (!out) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdWriteSpectrum(out, lin->eps, lin->A, e->vectors, e->radius));
  PetscCall(NdOutputWriteAttributeReal(out, "/spectrum", "solve_seconds", (PetscReal)e->seconds));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationSummary_Eigen(NdLinearization lin, char buf[], size_t len)
{
  NdLinearization_Eigen *e         = (NdLinearization_Eigen *)lin->data;
  char                   first[64] = "", bulk[64] = "";

  PetscFunctionBegin;
  if (e->nconv) {
    PetscReal kr, ki;
    PetscCall(EPSGetEigenpair(lin->eps, 0, &kr, &ki, NULL, NULL));
    PetscCall(PetscSNPrintf(first, sizeof(first), ", first %g%+gi", (double)kr, (double)ki));
  }
  if (e->rate) PetscCall(PetscSNPrintf(bulk, sizeof(bulk), ", bulk radius %g", (double)e->radius));
  PetscCall(PetscSNPrintf(
      buf, len, "%" PetscInt_FMT " eigenvalues of A (N = %" PetscInt_FMT ")%s%s; fixed point and eigenvalues in %.2f s",
      e->nconv, lin->N, first, bulk, (double)e->seconds));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationView_Eigen(NdLinearization lin, PetscViewer viewer)
{
  NdLinearization_Eigen *e = (NdLinearization_Eigen *)lin->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "%s eigenvalues of A%s\n", e->all ? "all" : "the rightmost",
                                   e->vectors ? ", with eigenvectors" : ""));
  if (lin->eps) PetscCall(EPSView(lin->eps, viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdLinearizationDestroy_Eigen(NdLinearization lin)
{
  PetscFunctionBegin;
  PetscCall(EPSDestroy(&lin->eps));
  PetscCall(PetscFree(lin->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdLinearizationCreate_Eigen(NdLinearization lin)
{
  NdLinearization_Eigen *e;

  PetscFunctionBegin;
  PetscCall(PetscNew(&e));
  e->radius                = -1;
  lin->data                = e;
  lin->start_option        = "-spec_start";
  lin->ops->setfromoptions = NdLinearizationSetFromOptions_Eigen;
  lin->ops->setsolvers     = NdLinearizationSetSolvers_Eigen;
  lin->ops->solve          = NdLinearizationSolve_Eigen;
  lin->ops->summary        = NdLinearizationSummary_Eigen;
  lin->ops->view           = NdLinearizationView_Eigen;
  lin->ops->destroy        = NdLinearizationDestroy_Eigen;
  PetscFunctionReturn(PETSC_SUCCESS);
}
