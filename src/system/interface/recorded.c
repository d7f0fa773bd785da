/* The states a simulate run recorded, as input to another computation: its last state as the
   start of Newton (continue -cont_start, spectrum -spec_start, response -resp_start, covariance
   -cov_start), or every state after a time, e.g. to average over an attractor (response
   -resp_gain_from) or to estimate spectra (covariance -cov_from) */
#include <neurodyn/system.h>

/* Checks, once on rank 0 and reported collectively, that the file is a simulate output of this
   system; returns the number of samples on every rank */
static PetscErrorCode NdRecordedStatesCheck(NdSystem sys, const char file[], const char option[], PetscInt *nsamples)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)sys);
  PetscMPIInt rank;
  char        msg[PETSC_MAX_PATH_LEN + 256] = "";
  PetscInt    nvar, nnodes, nlocal, start, count = 0;
  NdInputFile f;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdSystemGetNumVariables(sys, &nvar));
  PetscCall(NdSystemGetNodes(sys, &nnodes, &nlocal, &start));
  if (rank == 0) {
    PetscCall(NdInputFileOpen(file, &f));
    if (!f) PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: cannot open '%s' as HDF5", option, file));
    for (PetscInt i = -1; i < nvar && f && !msg[0]; i++) { /* i = -1: the times */
      const char *name = "t";
      char        path[128];
      PetscInt64  dims[2] = {0, 1};
      PetscInt    nd;
      PetscBool   recorded = PETSC_TRUE, exists;
      if (i >= 0) {
        PetscCall(NdSystemGetVariableRecorded(sys, i, &recorded));
        PetscCall(NdSystemGetVariableName(sys, i, &name));
      }
      if (!recorded) continue;
      PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", name));
      PetscCall(NdInputFileGetShape(f, path, &exists, &nd, dims));
      if (!exists) {
        PetscCall(PetscSNPrintf(msg, sizeof(msg),
                                "%s: '%s' has no %s (is it the output of a simulate run of the same system?)", option,
                                file, path));
        break;
      }
      if (i < 0)
        count = (PetscInt)dims[0];
      else if (dims[0] != (PetscInt64)count || (nd == 1 ? 1 : (PetscInt)dims[1]) != nnodes)
        PetscCall(PetscSNPrintf(msg, sizeof(msg),
                                "%s: %s in '%s' has %llu samples of %llu nodes; the system has %" PetscInt_FMT
                                " nodes and /timeseries/t %" PetscInt_FMT " samples",
                                option, path, file, (unsigned long long)dims[0],
                                (unsigned long long)(nd == 1 ? 1 : dims[1]), nnodes, count));
    }
    if (!msg[0] && count == 0) PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: '%s' holds no samples", option, file));
    PetscCall(NdInputFileClose(&f));
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(&count, 1, MPIU_INT, 0, comm));
  *nsamples = count;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* x <- sample k of the recorded variables; each rank reads the columns of its own nodes.
   Internal variables, which are not recorded, keep their values. */
static PetscErrorCode NdRecordedStatesRead(NdSystem sys, NdInputFile f, PetscInt k, Vec x)
{
  PetscInt     nvar, nnodes, nlocal, start;
  PetscScalar *xa;
  PetscReal   *buf;

  PetscFunctionBegin;
  PetscCall(NdSystemGetNumVariables(sys, &nvar));
  PetscCall(NdSystemGetNodes(sys, &nnodes, &nlocal, &start));
  PetscCall(PetscMalloc1(nlocal, &buf));
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt i = 0; i < nvar && nlocal > 0; i++) {
    const char *name;
    char        path[128];
    PetscInt64  offset[2] = {k, start}, count[2] = {1, nlocal};
    PetscBool   recorded;
    PetscCall(NdSystemGetVariableRecorded(sys, i, &recorded));
    if (!recorded) continue;
    PetscCall(NdSystemGetVariableName(sys, i, &name));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", name));
    /* a 1-D dataset (one node) is selected by its first coordinate alone */
    PetscCall(NdInputFileRead(f, path, offset, count, buf));
    for (PetscInt n = 0; n < nlocal; n++) xa[n * nvar + i] = buf[n];
  }
  PetscCall(VecRestoreArray(x, &xa));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The file, checked on rank 0 already, opened on every rank */
static PetscErrorCode NdRecordedStatesOpen(const char file[], NdInputFile *f)
{
  PetscFunctionBegin;
  PetscCall(NdInputFileOpen(file, f));
  PetscCheck(*f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open '%s' as HDF5 on this rank", file);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdReadFinalState(NdSystem sys, const char file[], const char option[], Vec x)
{
  PetscInt    nsamples;
  NdInputFile f;

  PetscFunctionBegin;
  PetscCall(NdRecordedStatesCheck(sys, file, option, &nsamples));
  PetscCall(NdRecordedStatesOpen(file, &f));
  PetscCall(NdRecordedStatesRead(sys, f, nsamples - 1, x));
  PetscCall(NdInputFileClose(&f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdForEachRecordedState(NdSystem sys, const char file[], const char option[], PetscReal tmin, Vec x,
                                      PetscErrorCode (*visit)(PetscReal, Vec, void *), void *ctx, PetscInt *visited)
{
  PetscInt    nsamples;
  PetscReal  *t, tlast;
  NdInputFile f;

  PetscFunctionBegin;
  PetscCall(NdRecordedStatesCheck(sys, file, option, &nsamples));
  PetscCall(NdRecordedStatesOpen(file, &f));
  PetscCall(PetscMalloc1(nsamples, &t));
  PetscCall(NdInputFileRead(f, "/timeseries/t", NULL, NULL, t));
  *visited = 0;
  for (PetscInt k = 0; k < nsamples; k++) {
    if (t[k] < tmin) continue;
    PetscCall(NdRecordedStatesRead(sys, f, k, x));
    PetscCall(visit(t[k], x, ctx));
    (*visited)++;
  }
  tlast = t[nsamples - 1];
  PetscCall(PetscFree(t));
  PetscCall(NdInputFileClose(&f));
  PetscCheck(*visited > 0, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "%s: '%s' has no sample at t >= %g (its last is at %g)", option, file, (double)tmin, tlast);
  PetscFunctionReturn(PETSC_SUCCESS);
}

typedef struct {
  PetscInt   n, cap, nl;
  PetscReal *t, *x;
} NdRecordedSeries;

static PetscErrorCode NdRecordedSeriesAppend(PetscReal t, Vec x, void *ctx)
{
  NdRecordedSeries  *s = (NdRecordedSeries *)ctx;
  const PetscScalar *xa;

  PetscFunctionBegin;
  if (s->n == s->cap) {
    s->cap = PetscMax(64, 2 * s->cap);
    PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)s->cap, &s->t));
    PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)s->cap * (size_t)PetscMax(s->nl, 1), &s->x));
  }
  s->t[s->n] = t;
  PetscCall(VecGetArrayRead(x, &xa));
  for (PetscInt i = 0; i < s->nl; i++) s->x[s->n * s->nl + i] = PetscRealPart(xa[i]);
  PetscCall(VecRestoreArrayRead(x, &xa));
  s->n++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every recorded state (this rank's part, n x local size, row-major) and its time, to start
   periodic orbits from (continue -cont_type cycle -cont_start); x holds the last state */
PetscErrorCode NdReadRecordedSeries(NdSystem sys, const char file[], const char option[], Vec x, PetscInt *n,
                                    PetscReal **t, PetscReal **states)
{
  NdRecordedSeries s = {0, 0, 0, NULL, NULL};

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(x, &s.nl));
  PetscCall(NdForEachRecordedState(sys, file, option, PETSC_MIN_REAL, x, NdRecordedSeriesAppend, &s, n));
  *t      = s.t;
  *states = s.x;
  PetscFunctionReturn(PETSC_SUCCESS);
}
