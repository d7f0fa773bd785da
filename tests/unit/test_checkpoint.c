/* Unit test of the checkpoint API (include/neurodyn/checkpoint.h) that other components plug
   their state into: real and int64 arrays (values beyond 2^32) read back in sub-ranges by
   global index, scalars, replacement of an earlier checkpoint and of an unfinished one, and the
   errors for a wrong kind and a file without checkpoint. Exact comparisons. */
#include <stdio.h>
#include <neurodyn/neurodyn.h>

static int failures = 0;

static void Expect(int ok, const char *what)
{
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

static PetscErrorCode WriteCheckpoint(NdOutput out, PetscReal shift, PetscBool finish)
{
  PetscReal a[10];
  int64_t   b[6];

  PetscFunctionBegin;
  for (int i = 0; i < 10; i++) a[i] = shift + 0.1 * i;
  for (int i = 0; i < 6; i++) b[i] = ((int64_t)1 << 40) + 3 * i;
  PetscCall(NdCheckpointBegin(out));
  PetscCall(NdCheckpointWriteReal(out, "a", 10, 0, 10, a));
  PetscCall(NdCheckpointWriteInt64(out, "b", 6, 0, 6, b));
  PetscCall(NdCheckpointWriteScalarReal(out, "t", shift));
  PetscCall(NdCheckpointWriteScalarInt64(out, "counter", ((int64_t)1 << 50) + 7));
  if (finish) PetscCall(NdCheckpointEnd(out, "test"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode Run(void)
{
  NdOutput           out;
  NdCheckpointReader r;
  PetscInt64         N;
  PetscReal          a[4], t;
  int64_t            b[3], counter;
  PetscErrorCode     ierr;
  PetscBool          same = PETSC_TRUE;

  PetscFunctionBegin;
  PetscCall(NdOutputCreate(PETSC_COMM_WORLD, &out));
  PetscCall(NdOutputSetFileName(out, "checkpoint_unit.h5"));
  PetscCall(NdOutputSetOverwrite(out, PETSC_TRUE)); /* the file of an earlier run is replaced */
  PetscCall(WriteCheckpoint(out, 1.0, PETSC_TRUE));
  PetscCall(WriteCheckpoint(out, 2.0, PETSC_FALSE)); /* unfinished: discarded by the next Begin */
  PetscCall(WriteCheckpoint(out, 3.0, PETSC_TRUE));  /* replaces the first */
  PetscCall(NdOutputDestroy(&out));

  PetscCall(NdCheckpointOpen(PETSC_COMM_WORLD, "checkpoint_unit.h5", "test", &r));
  PetscCall(NdCheckpointGetSize(r, "a", &N));
  Expect(N == 10, "the size of a distributed array");
  PetscCall(NdCheckpointReadReal(r, "a", 3, 4, a));
  for (int i = 0; i < 4; i++) same = (PetscBool)(same && a[i] == 3.0 + 0.1 * (3 + i));
  Expect(same, "entries [3, 7) of a real array, from the latest checkpoint");
  PetscCall(NdCheckpointReadInt64(r, "b", 3, 3, b));
  Expect(b[0] == ((int64_t)1 << 40) + 9 && b[2] == ((int64_t)1 << 40) + 15,
         "entries [3, 6) of an int64 array beyond 2^32");
  PetscCall(NdCheckpointReadScalarReal(r, "t", &t));
  PetscCall(NdCheckpointReadScalarInt64(r, "counter", &counter));
  Expect(t == 3.0 && counter == ((int64_t)1 << 50) + 7, "real and int64 scalars");
  PetscCall(NdCheckpointClose(&r));

  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = NdCheckpointOpen(PETSC_COMM_WORLD, "checkpoint_unit.h5", "network", &r);
  Expect(ierr == PETSC_ERR_FILE_READ, "a checkpoint of another kind is refused");
  ierr = NdCheckpointOpen(PETSC_COMM_WORLD, "no_such_file.h5", "test", &r);
  Expect(ierr == PETSC_ERR_FILE_READ, "a missing file is refused");
  PetscCall(PetscPopErrorHandler());
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char **argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(Run());
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
