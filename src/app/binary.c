/* neurodyn binary: exact analyses of a finite-size binary network (docs/models/binary.md). The
   analysis is an option, -bin_analysis bifurcations|stationary|patterns, so that it can live in
   the input file like every other setting (the word after a command names the input file). */
#include <sys/resource.h>
#include <neurodyn/app.h>
#include <neurodyn/binary.h>
#include <neurodyn/output.h>

typedef enum {
  ND_ANALYSIS_NONE,
  ND_ANALYSIS_BIFURCATIONS,
  ND_ANALYSIS_STATIONARY,
  ND_ANALYSIS_PATTERNS
} NdBinaryAnalysis;
static const char *const NdBinaryAnalyses[] = {"none", "bifurcations", "stationary", "patterns"};

PetscErrorCode NdCommandBinary(const NdCommandLine *cl)
{
  MPI_Comm         comm = PETSC_COMM_WORLD;
  NdBinary         bin;
  NdOutput         out;
  NdBinaryAnalysis analysis = ND_ANALYSIS_NONE;
  PetscBool        quiet    = PETSC_FALSE, help;
  PetscLogDouble   wall0, wall1;
  const char      *name;
  PetscInt         N;

  PetscFunctionBegin;
  PetscCall(PetscTime(&wall0));
  PetscCall(NdInitializePackage());
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdBinaryCreate(comm, &bin));
  PetscOptionsBegin(comm, NULL, "Binary network analysis", "neurodyn binary");
  {
    PetscInt a = (PetscInt)analysis;
    PetscCall(NdOptionsChoice(PetscOptionsObject, "-bin_analysis", "The analysis", NdBinaryAnalyses, 4, &a, NULL));
    analysis = (NdBinaryAnalysis)a;
  }
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-quiet", "No progress or summary lines", quiet, &quiet, NULL));
  PetscOptionsEnd();
  PetscCall(NdBinarySetFromOptions(bin));
  PetscCall(NdCommandLineCreateOutput(cl, &out));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  if (!help) {
    PetscCheck(analysis != ND_ANALYSIS_NONE, comm, PETSC_ERR_USER_INPUT,
               "no analysis: set -bin_analysis bifurcations, stationary or patterns");
    PetscCall(NdBinarySetUp(bin));
    if (analysis == ND_ANALYSIS_BIFURCATIONS)
      PetscCall(NdBinaryBifurcationsCheck(bin));
    else if (analysis == ND_ANALYSIS_STATIONARY)
      PetscCall(NdBinaryStationaryCheck(bin));
    else
      PetscCall(NdBinaryPatternsCheck(bin));
  }
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  if (help) {
    NdErrorSetConfiguring(PETSC_FALSE);
    PetscCall(NdBinaryDestroy(&bin));
    PetscCall(NdOutputDestroy(&out));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (!quiet) PetscCall(NdBinaryView(bin, NULL));

  NdErrorSetConfiguring(PETSC_FALSE);
  PetscCall(NdOutputOpen(out));
  PetscCall(NdBinaryWriteDescription(bin, out));
  PetscCall(NdOutputWriteAttributeString(out, "/binary", "analysis", NdBinaryAnalyses[analysis]));
  switch (analysis) {
  case ND_ANALYSIS_BIFURCATIONS:
    PetscCall(NdBinaryBifurcations(bin, out, (PetscBool)!quiet));
    break;
  case ND_ANALYSIS_STATIONARY:
    PetscCall(NdBinaryStationary(bin, out, (PetscBool)!quiet));
    break;
  default:
    PetscCall(NdBinaryPatterns(bin, out, (PetscBool)!quiet));
  }
  PetscCall(NdOutputMarkComplete(out));
  PetscCall(PetscTime(&wall1));
  PetscCall(NdOutputGetFileName(out, &name));
  PetscCall(NdBinaryGetSize(bin, &N, NULL));
  { /* the peak resident memory of the largest rank, for scaling studies */
    struct rusage usage;
    double        mb;
    getrusage(RUSAGE_SELF, &usage);
    mb = (double)usage.ru_maxrss / 1024;
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &mb, 1, MPI_DOUBLE, MPI_MAX, comm));
    if (!quiet)
      PetscCall(PetscPrintf(
          comm, "neurodyn: binary %s, N = %" PetscInt_FMT ", %.2f s, peak memory %.0f MB per rank; wrote %s\n",
          NdBinaryAnalyses[analysis], N, (double)(wall1 - wall0), mb, name));
  }
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(NdBinaryDestroy(&bin));
  PetscCall(NdOutputDestroy(&out));
  PetscFunctionReturn(PETSC_SUCCESS);
}
