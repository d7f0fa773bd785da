/* Conduction delays of a node network (see NdNodeDelays in nodenetworkimpl.h): the history of
   the coupled variable at the sources of the local rows, in a ring buffer of fixed steps. */
#include <neurodyn/output.h>
#include <neurodyn/private/nodenetworkimpl.h>
#include <neurodyn/private/rateimpl.h>

/* The delay of every local edge of W: uniform, or looked up in the delay matrix's rows */
static PetscErrorCode NdNodeDelaysRead(Mat W, PetscReal uniform, const char file[], NdNodeDelays *d,
                                       const PetscInt gcol[])
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)W);
  PetscInt     N, rstart, *ia = NULL, *ja = NULL, missing = -1, anymissing, twice, anytwice;
  PetscScalar *va = NULL;

  PetscFunctionBegin;
  if (!file[0]) {
    for (PetscInt k = 0; k < d->nedges; k++) d->tau[k] = uniform;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(MatGetSize(W, &N, NULL));
  PetscCall(MatGetOwnershipRange(W, &rstart, NULL));
  {
    PetscInt Nd;
    PetscCall(NdReadSquareMatrixSize(comm, "-node_delay_file", file, "/J", &Nd));
    PetscCheck(Nd == N, comm, PETSC_ERR_USER_INPUT,
               "-node_delay_file %s is %" PetscInt_FMT " x %" PetscInt_FMT " but the connectome has %" PetscInt_FMT
               " nodes",
               file, Nd, Nd, N);
  }
  PetscCall(NdReadMatrixRows(comm, "-node_delay_file", file, "/J", "data", N, rstart, d->nlocal, &ia, &ja, &va));
  PetscCall(NdMatrixRowsSumDuplicates(d->nlocal, ia, ja, va, &twice));
  PetscCallMPI(MPI_Allreduce(&twice, &anytwice, 1, MPIU_INT, MPI_MAX, comm));
  PetscCheck(!anytwice, comm, PETSC_ERR_USER_INPUT,
             "-node_delay_file %s gives a connection twice (a column repeated in a row): one delay per connection",
             file);
  for (PetscInt r = 0; r < d->nlocal; r++) {
    for (PetscInt k = d->ia[r]; k < d->ia[r + 1]; k++) {
      PetscInt at;
      PetscCall(PetscFindInt(gcol[k], ia[r + 1] - ia[r], ja + ia[r], &at));
      if (at < 0) {
        if (missing < 0) missing = (rstart + r) * N + gcol[k];
        d->tau[k] = 0;
      } else
        d->tau[k] = PetscRealPart(va[ia[r] + at]);
    }
  }
  PetscCall(PetscFree(ia));
  PetscCall(PetscFree(ja));
  PetscCall(PetscFree(va));
  PetscCallMPI(MPI_Allreduce(&missing, &anymissing, 1, MPIU_INT, MPI_MAX, comm));
  PetscCheck(anymissing < 0, comm, PETSC_ERR_USER_INPUT,
             "-node_delay_file %s has no delay for the connection from node %" PetscInt_FMT " to node %" PetscInt_FMT,
             file, anymissing % N, anymissing / N);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNodeDelaysCreate(Mat W, PetscReal uniform, const char file[], NdNodeDelays **delays)
{
  NdNodeDelays *d;
  PetscInt      rstart, rend, *gcol, *sources;
  IS            from;
  Vec           xout;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  PetscCall(MatGetOwnershipRange(W, &rstart, &rend));
  d->nlocal = rend - rstart;
  PetscCall(PetscMalloc1(d->nlocal + 1, &d->ia));
  d->ia[0] = 0;
  for (PetscInt r = 0; r < d->nlocal; r++) {
    PetscInt ncols;
    PetscCall(MatGetRow(W, rstart + r, &ncols, NULL, NULL));
    d->ia[r + 1] = d->ia[r] + ncols;
    PetscCall(MatRestoreRow(W, rstart + r, &ncols, NULL, NULL));
  }
  d->nedges = d->ia[d->nlocal];
  PetscCall(PetscMalloc4(d->nedges, &d->col, d->nedges, &d->w, d->nedges, &d->tau, d->nedges, &d->steps));
  PetscCall(PetscMalloc1(d->nedges, &gcol));
  for (PetscInt r = 0; r < d->nlocal; r++) {
    PetscInt           ncols;
    const PetscInt    *cols;
    const PetscScalar *vals;
    PetscCall(MatGetRow(W, rstart + r, &ncols, &cols, &vals));
    for (PetscInt k = 0; k < ncols; k++) {
      gcol[d->ia[r] + k] = cols[k];
      d->w[d->ia[r] + k] = PetscRealPart(vals[k]);
    }
    PetscCall(MatRestoreRow(W, rstart + r, &ncols, &cols, &vals));
  }
  PetscCall(NdNodeDelaysRead(W, uniform, file, d, gcol));
  /* the distinct sources, gathered once per step */
  PetscCall(PetscMalloc1(d->nedges, &sources));
  PetscCall(PetscArraycpy(sources, gcol, d->nedges));
  d->nsrc = d->nedges;
  PetscCall(PetscSortRemoveDupsInt(&d->nsrc, sources));
  for (PetscInt k = 0; k < d->nedges; k++) PetscCall(PetscFindInt(gcol[k], d->nsrc, sources, &d->col[k]));
  PetscCall(ISCreateGeneral(PETSC_COMM_SELF, d->nsrc, sources, PETSC_OWN_POINTER, &from));
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, d->nsrc, &d->src));
  PetscCall(MatCreateVecs(W, &xout, NULL));
  PetscCall(VecScatterCreate(xout, from, d->src, NULL, &d->gather));
  PetscCall(VecDestroy(&xout));
  PetscCall(ISDestroy(&from));
  PetscCall(PetscFree(gcol));
  *delays = d;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNodeDelaysStore(NdNodeDelays *d, Vec xout)
{
  const PetscScalar *s;

  PetscFunctionBegin;
  PetscCall(VecScatterBegin(d->gather, xout, d->src, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(d->gather, xout, d->src, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(d->src, &s));
  for (PetscInt k = 0; k < d->nsrc; k++) d->history[d->head * d->nsrc + k] = PetscRealPart(s[k]);
  PetscCall(VecRestoreArrayRead(d->src, &s));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNodeDelaysBegin(NdNodeDelays *d, MPI_Comm comm, PetscReal dt, PetscReal t0, Vec xout)
{
  PetscInt maxsteps = 1, bad = -1, anybad;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < d->nedges; k++) {
    const PetscReal q = d->tau[k] / dt;
    d->steps[k]       = (PetscInt)PetscFloorReal(q + 0.5);
    if (d->steps[k] < 1 || PetscAbsReal(q - (PetscReal)d->steps[k]) > 1e-9 * PetscMax(1.0, q)) bad = k;
    maxsteps = PetscMax(maxsteps, d->steps[k]);
  }
  PetscCallMPI(MPI_Allreduce(&bad, &anybad, 1, MPIU_INT, MPI_MAX, comm));
  if (anybad >= 0) {
    PetscReal tau = bad >= 0 ? d->tau[bad] : 0, worst;
    PetscCallMPI(MPI_Allreduce(&tau, &worst, 1, MPIU_REAL, MPI_MAX, comm));
    SETERRQ(comm, PETSC_ERR_USER_INPUT,
            "every conduction delay must be a positive multiple of the time step -ts_dt %g (a delay is %g)", (double)dt,
            (double)worst);
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &maxsteps, 1, MPIU_INT, MPI_MAX, comm)); /* the same ring on every rank */
  PetscCall(PetscFree(d->history));
  d->nslots = maxsteps + 1;
  PetscCall(PetscMalloc1((size_t)d->nslots * PetscMax(d->nsrc, 1), &d->history));
  d->dt     = dt;
  d->t0     = t0;
  d->n_head = 0;
  for (d->head = 0; d->head < d->nslots; d->head++) PetscCall(NdNodeDelaysStore(d, xout)); /* constant past */
  d->head    = d->nslots - 1;
  d->started = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Steps must end on the grid t0 + n dt. A step of rounding size (the sampler's correction of
   accumulated round-off in t) refreshes the newest entry instead of adding one. */
PetscErrorCode NdNodeDelaysPush(NdNodeDelays *d, MPI_Comm comm, PetscReal t, Vec xout)
{
  const PetscReal q = (t - d->t0) / d->dt;
  const PetscInt  n = (PetscInt)PetscFloorReal(q + 0.5);

  PetscFunctionBegin;
  PetscCheck((n == d->n_head || n == d->n_head + 1) && PetscAbsReal(q - (PetscReal)n) <= 1e-6, comm,
             PETSC_ERR_USER_INPUT,
             "a network with conduction delays needs steps of exactly -ts_dt %g, but a step went from t = %g to %g "
             "(make -sample_dt and the stimulus's switching times multiples of -ts_dt)",
             (double)d->dt, (double)(d->t0 + d->n_head * d->dt), (double)t);
  if (n > d->n_head) d->head = (d->head + 1) % d->nslots;
  d->n_head = n;
  PetscCall(NdNodeDelaysStore(d, xout));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNodeDelaysApply(NdNodeDelays *d, MPI_Comm comm, PetscReal t, PetscScalar coupling[])
{
  const PetscReal t_head = d->t0 + (PetscReal)d->n_head * d->dt;
  const PetscReal q      = (t - t_head) / d->dt;            /* position within the step from the newest state, */
  const PetscReal c      = PetscMin(PetscMax(q, 0.0), 1.0); /* up to the round-off of the TS's accumulated t */

  PetscFunctionBegin;
  PetscCheck(d->started, comm, PETSC_ERR_USER_INPUT,
             "a network with conduction delays can only be integrated in time (simulate with a fixed step), not "
             "continued or linearised");
  PetscCheck(q > -1e-6 && q < 1 + 1e-6, comm, PETSC_ERR_PLIB,
             "delayed coupling evaluated at t = %g outside the step [%g, %g]", (double)t, (double)t_head,
             (double)(t_head + d->dt));
  for (PetscInt r = 0; r < d->nlocal; r++) {
    PetscReal sum = 0;
    for (PetscInt k = d->ia[r]; k < d->ia[r + 1]; k++) {
      const PetscInt  older = (d->head - d->steps[k] + d->nslots) % d->nslots, newer = (older + 1) % d->nslots;
      const PetscReal x0 = d->history[older * d->nsrc + d->col[k]], x1 = d->history[newer * d->nsrc + d->col[k]];
      sum += d->w[k] * ((1 - c) * x0 + c * x1);
    }
    coupling[r] = sum;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNodeDelaysDestroy(NdNodeDelays **d)
{
  PetscFunctionBegin;
  if (!*d) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFree4((*d)->col, (*d)->w, (*d)->tau, (*d)->steps));
  PetscCall(PetscFree((*d)->ia));
  PetscCall(VecScatterDestroy(&(*d)->gather));
  PetscCall(VecDestroy(&(*d)->src));
  PetscCall(PetscFree((*d)->history));
  PetscCall(PetscFree(*d));
  PetscFunctionReturn(PETSC_SUCCESS);
}
