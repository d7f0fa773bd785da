/* neurodyn spectrum, response and covariance: drivers of one NdLinearization each
   (src/spectrum: the fixed point, what the type computes there, written to the output), of the
   types eigen, response and covariance (docs/commands/spectrum.md, response.md, covariance.md). */
#include <neurodyn/app.h>
#include <neurodyn/spectrum.h>

static PetscErrorCode NdCommandLinearize(const NdCommandLine *cl, NdLinearizationType type)
{
  MPI_Comm        comm = PETSC_COMM_WORLD;
  NdSystem        sys;
  NdLinearization lin;
  NdOutput        out;
  PetscBool       help, quiet = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(NdInitializePackage());
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscCall(NdLinearizationCreate(comm, &lin));
  PetscCall(NdLinearizationSetSystem(lin, sys));
  PetscCall(NdLinearizationSetType(lin, type));
  PetscCall(NdLinearizationSetFromOptions(lin));
  PetscOptionsBegin(comm, NULL, "Output options", "neurodyn");
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No summary line", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) PetscCall(NdLinearizationSetUp(lin));
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  NdErrorSetConfiguring(PETSC_FALSE);
  if (!help) {
    PetscCall(NdLinearizationSolve(lin, out));
    PetscCall(NdOutputMarkComplete(out));
    if (!quiet) {
      char        summary[512];
      const char *name;
      PetscCall(NdLinearizationGetSummary(lin, summary, sizeof(summary)));
      PetscCall(NdOutputGetFileName(out, &name));
      PetscCall(PetscPrintf(comm, "neurodyn: %s; wrote %s\n", summary, name));
    }
    PetscCall(NdCommandLineWarnUnused(cl));
  }
  PetscCall(NdLinearizationDestroy(&lin));
  PetscCall(NdOutputDestroy(&out));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandSpectrum(const NdCommandLine *cl)
{
  PetscFunctionBegin;
  PetscCall(NdCommandLinearize(cl, NDLINEARIZATIONEIGEN));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandResponse(const NdCommandLine *cl)
{
  PetscFunctionBegin;
  PetscCall(NdCommandLinearize(cl, NDLINEARIZATIONRESPONSE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCommandCovariance(const NdCommandLine *cl)
{
  PetscFunctionBegin;
  PetscCall(NdCommandLinearize(cl, NDLINEARIZATIONCOVARIANCE));
  PetscFunctionReturn(PETSC_SUCCESS);
}
