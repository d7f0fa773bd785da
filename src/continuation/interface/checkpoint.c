/* Checkpoints of a continuation (docs/checkpoint.md): what a run needs to go on where it stopped,
   written into /checkpoint of its output with the NdCheckpoint API (parallel, read back by global
   index at any number of ranks): the branch in progress (index, rows written, steps taken, step
   size, its last point and tangent with their test functions), the rows of every finished branch,
   and the special points so far (with the point and tangent of folds and Hopf points). The rows
   themselves are in the output file; a restart copies them into its own output. */
#include <neurodyn/private/continuationimpl.h>

static PetscErrorCode NdContinuationCheckpointKind(NdContinuation c, char kind[], size_t len)
{
  PetscFunctionBegin;
  if (c->param2[0])
    PetscCall(PetscSNPrintf(kind, len, "continuation (%s, %s, %s)", ((PetscObject)c)->type_name, c->param, c->param2));
  else
    PetscCall(PetscSNPrintf(kind, len, "continuation (%s, %s)", ((PetscObject)c)->type_name, c->param));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationSetCheckpointInterval(NdContinuation c, PetscInt rows)
{
  PetscFunctionBegin;
  PetscCheck(rows >= 0, PetscObjectComm((PetscObject)c), PETSC_ERR_USER_INPUT,
             "-checkpoint_interval must be >= 0 (got %" PetscInt_FMT ")", rows);
  c->checkpoint_interval = rows;
  c->checkpointing       = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdContinuationGetSignal(NdContinuation c, int *signum)
{
  PetscFunctionBegin;
  *signum = c->signum;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* labels of at most three characters as one integer */
static int64_t NdLabelCode(const char label[])
{
  return (int64_t)label[0] | (int64_t)label[1] << 8 | (int64_t)label[2] << 16;
}

static void NdLabelDecode(int64_t code, char label[4])
{
  for (int i = 0; i < 3; i++) label[i] = (char)((code >> (8 * i)) & 0xff);
  label[3] = 0;
}

static PetscErrorCode NdCheckpointWriteVec(NdOutput out, const char name[], Vec v)
{
  const PetscScalar *a;
  PetscInt           N, lo, hi;

  PetscFunctionBegin;
  PetscCall(VecGetSize(v, &N));
  PetscCall(VecGetOwnershipRange(v, &lo, &hi));
  PetscCall(VecGetArrayRead(v, &a));
  PetscCall(NdCheckpointWriteReal(out, name, N, lo, hi - lo, a));
  PetscCall(VecRestoreArrayRead(v, &a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCheckpointReadVec(NdCheckpointReader r, const char name[], Vec v)
{
  PetscScalar *a;
  PetscInt     lo, hi;

  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(v, &lo, &hi));
  PetscCall(VecGetArray(v, &a));
  PetscCall(NdCheckpointReadReal(r, name, lo, hi - lo, a));
  PetscCall(VecRestoreArray(v, &a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Collective; the rows of the branch in progress have been flushed */
PetscErrorCode NdContinuationCheckpoint(NdContinuation c, const NdBranchPosition *pos, const NdBranchPoint *cur)
{
  NdOutput    out = c->out;
  PetscMPIInt rank;
  PetscInt    nstate, n = c->nspecial, root;
  int64_t    *ia;
  PetscReal  *ra;
  char        kind[256], name[64];

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_CHECKPOINT, 0, 0, 0, 0));
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)c), &rank));
  root = rank == 0;
  PetscCall(VecGetSize(c->x, &nstate));
  PetscCall(NdCheckpointBegin(out));
  PetscCall(NdCheckpointWriteScalarInt64(out, "state_size", nstate));
  PetscCall(NdCheckpointWriteScalarInt64(out, "branch", pos->branch));
  PetscCall(NdCheckpointWriteScalarInt64(out, "rows", pos->rows));
  PetscCall(NdCheckpointWriteScalarInt64(out, "step", pos->step));
  PetscCall(NdCheckpointWriteScalarReal(out, "ds", pos->ds));
  PetscCall(NdCheckpointWriteVec(out, "y", cur->y));
  PetscCall(NdCheckpointWriteVec(out, "ty", cur->ty));
  PetscCall(NdCheckpointWriteScalarReal(out, "lambda", cur->lambda));
  PetscCall(NdCheckpointWriteScalarReal(out, "tl", cur->tl));
  PetscCall(NdCheckpointWriteScalarReal(out, "norm", cur->norm));
  PetscCall(NdCheckpointWriteScalarReal(out, "p1", cur->p1));
  PetscCall(NdCheckpointWriteScalarReal(out, "aux", cur->aux));
  PetscCall(NdCheckpointWriteScalarReal(out, "hopf_test", cur->hopf_test));
  PetscCall(NdCheckpointWriteScalarReal(out, "omega", cur->omega));
  PetscCall(NdCheckpointWriteScalarReal(out, "real_test", cur->real_test));
  PetscCall(NdCheckpointWriteScalarInt64(out, "unstable_real", cur->nunstable_real));
  PetscCall(NdCheckpointWriteScalarInt64(out, "unstable_complex", cur->nunstable_complex));
  PetscCall(NdCheckpointWriteScalarInt64(out, "unstable_negative", cur->nunstable_negative));
  PetscCall(PetscMalloc2(PetscMax(n, pos->branch) + 1, &ia, n + 1, &ra));
  for (PetscInt b = 0; b < pos->branch; b++) ia[b] = c->branch_rows[b];
  if (pos->branch) PetscCall(NdCheckpointWriteInt64(out, "branch_rows", pos->branch, 0, root * pos->branch, ia));
  PetscCall(NdCheckpointWriteScalarInt64(out, "special_points", n));
  if (n) { /* rank 0 writes the table */
#define ND_SPECIAL_COLUMN(kindfn, arr, field, expr)                                                                    \
  do {                                                                                                                 \
    for (PetscInt i = 0; i < n; i++) arr[i] = expr(c->special[i].field);                                               \
    PetscCall(kindfn(out, "special_" #field, n, 0, root *n, arr));                                                     \
  } while (0)
#define ND_AS_IS(v) (v)
    ND_SPECIAL_COLUMN(NdCheckpointWriteInt64, ia, label, NdLabelCode);
    ND_SPECIAL_COLUMN(NdCheckpointWriteInt64, ia, branch, ND_AS_IS);
    ND_SPECIAL_COLUMN(NdCheckpointWriteInt64, ia, row, ND_AS_IS);
    ND_SPECIAL_COLUMN(NdCheckpointWriteInt64, ia, y, !!);
    ND_SPECIAL_COLUMN(NdCheckpointWriteReal, ra, lambda, ND_AS_IS);
    ND_SPECIAL_COLUMN(NdCheckpointWriteReal, ra, p1, ND_AS_IS);
    ND_SPECIAL_COLUMN(NdCheckpointWriteReal, ra, norm, ND_AS_IS);
    ND_SPECIAL_COLUMN(NdCheckpointWriteReal, ra, omega, ND_AS_IS);
#undef ND_AS_IS
#undef ND_SPECIAL_COLUMN
  }
  PetscCall(PetscFree2(ia, ra));
  for (PetscInt i = 0; i < n; i++) {
    if (!c->special[i].y) continue;
    PetscCall(PetscSNPrintf(name, sizeof(name), "special_%" PetscInt_FMT "_y", i));
    PetscCall(NdCheckpointWriteVec(out, name, c->special[i].y));
    PetscCall(PetscSNPrintf(name, sizeof(name), "special_%" PetscInt_FMT "_ty", i));
    PetscCall(NdCheckpointWriteVec(out, name, c->special[i].ty));
  }
  PetscCall(NdContinuationCheckpointKind(c, kind, sizeof(kind)));
  PetscCall(NdCheckpointEnd(out, kind));
  PetscCall(PetscLogEventEnd(ND_EVENT_CHECKPOINT, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Collective, after NdContinuationSetUp and before the output is written: the checkpoint must be
   one of this continuation (type, parameters) of a system of the same size */
PetscErrorCode NdContinuationSetRestart(NdContinuation c, const char file[])
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)c);
  char       kind[256];
  int64_t    v, n, *ia;
  PetscReal *ra;
  PetscInt   N;
  Vec        x;

  PetscFunctionBegin;
  PetscCall(NdContinuationCheckpointKind(c, kind, sizeof(kind)));
  PetscCall(NdCheckpointOpen(comm, file, kind, &c->restart));
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "state_size", &v));
  PetscCall(NdSystemCreateVector(c->sys, &x));
  PetscCall(VecGetSize(x, &N));
  PetscCall(VecDestroy(&x));
  PetscCheck(v == N, comm, PETSC_ERR_USER_INPUT,
             "-restart: the checkpoint in '%s' is of a system with %" PetscInt64_FMT
             " unknowns; this one has %" PetscInt_FMT,
             file, (PetscInt64)v, N);
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "branch", &v));
  c->resume.branch = (PetscInt)v;
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "rows", &v));
  c->resume.rows = (PetscInt)v;
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "step", &v));
  c->resume.step = (PetscInt)v;
  PetscCall(NdCheckpointReadScalarReal(c->restart, "ds", &c->resume.ds));
  PetscCall(PetscMalloc1(c->resume.branch + 1, &c->branch_rows));
  if (c->resume.branch) {
    PetscCall(PetscMalloc1(c->resume.branch, &ia));
    PetscCall(NdCheckpointReadInt64(c->restart, "branch_rows", 0, c->resume.branch, ia));
    for (PetscInt b = 0; b < c->resume.branch; b++) c->branch_rows[b] = (PetscInt)ia[b];
    PetscCall(PetscFree(ia));
  }
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "special_points", &n));
  PetscCall(PetscMalloc2(n + 1, &ia, n + 1, &ra));
  for (PetscInt i = 0; i < n; i++) PetscCall(NdContinuationAddSpecialPoint(c, "", 0, 0, 0, 0, 0, 0, NULL, NULL));
#define ND_SPECIAL_COLUMN(readfn, arr, field, expr)                                                                    \
  do {                                                                                                                 \
    if (n) PetscCall(readfn(c->restart, "special_" #field, 0, n, arr));                                                \
    for (PetscInt i = 0; i < n; i++) expr;                                                                             \
  } while (0)
  ND_SPECIAL_COLUMN(NdCheckpointReadInt64, ia, label, NdLabelDecode(ia[i], c->special[i].label));
  ND_SPECIAL_COLUMN(NdCheckpointReadInt64, ia, branch, c->special[i].branch = (PetscInt)ia[i]);
  ND_SPECIAL_COLUMN(NdCheckpointReadInt64, ia, row, c->special[i].row = (PetscInt)ia[i]);
  ND_SPECIAL_COLUMN(NdCheckpointReadInt64, ia, y, c->special[i].restart_vectors = (PetscBool)(ia[i] != 0));
  ND_SPECIAL_COLUMN(NdCheckpointReadReal, ra, lambda, c->special[i].lambda = ra[i]);
  ND_SPECIAL_COLUMN(NdCheckpointReadReal, ra, p1, c->special[i].p1 = ra[i]);
  ND_SPECIAL_COLUMN(NdCheckpointReadReal, ra, norm, c->special[i].norm = ra[i]);
  ND_SPECIAL_COLUMN(NdCheckpointReadReal, ra, omega, c->special[i].omega = ra[i]);
#undef ND_SPECIAL_COLUMN
  PetscCall(PetscFree2(ia, ra));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The branch in progress at the checkpoint: its last point (the layout of cur is the branch's),
   and the points and tangents of the special points, now that their layout is known */
PetscErrorCode NdContinuationRestartPoint(NdContinuation c, NdBranchPoint *cur)
{
  int64_t v;
  char    name[64];

  PetscFunctionBegin;
  PetscCall(NdCheckpointReadVec(c->restart, "y", cur->y));
  PetscCall(NdCheckpointReadVec(c->restart, "ty", cur->ty));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "lambda", &cur->lambda));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "tl", &cur->tl));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "norm", &cur->norm));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "p1", &cur->p1));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "aux", &cur->aux));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "hopf_test", &cur->hopf_test));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "omega", &cur->omega));
  PetscCall(NdCheckpointReadScalarReal(c->restart, "real_test", &cur->real_test));
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "unstable_real", &v));
  cur->nunstable_real = (PetscInt)v;
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "unstable_complex", &v));
  cur->nunstable_complex = (PetscInt)v;
  PetscCall(NdCheckpointReadScalarInt64(c->restart, "unstable_negative", &v));
  cur->nunstable_negative = (PetscInt)v;
  for (PetscInt i = 0; i < c->nspecial; i++) {
    NdSpecialPoint *sp = &c->special[i];
    if (!sp->restart_vectors) continue;
    PetscCall(VecDuplicate(cur->y, &sp->y));
    PetscCall(VecDuplicate(cur->y, &sp->ty));
    PetscCall(PetscSNPrintf(name, sizeof(name), "special_%" PetscInt_FMT "_y", i));
    PetscCall(NdCheckpointReadVec(c->restart, name, sp->y));
    PetscCall(PetscSNPrintf(name, sizeof(name), "special_%" PetscInt_FMT "_ty", i));
    PetscCall(NdCheckpointReadVec(c->restart, name, sp->ty));
    sp->restart_vectors = PETSC_FALSE;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The rows of a finished branch, for the checkpoints that follow */
PetscErrorCode NdContinuationFinishBranch(NdContinuation c, PetscInt branch, PetscInt rows)
{
  PetscFunctionBegin;
  if (!c->checkpointing) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)(branch + 1), &c->branch_rows));
  c->branch_rows[branch] = rows;
  PetscFunctionReturn(PETSC_SUCCESS);
}
