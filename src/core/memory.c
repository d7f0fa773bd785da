/* Memory estimates checked before an allocation that grows with an option: a size that does not
   fit stops with a message saying how much it needs and what to change, instead of a run that is
   killed by the system (or an out-of-memory trace from deep inside PETSc or HDF5). */
#include <neurodyn/core.h>

/* MemAvailable of /proc/meminfo in bytes (0 when unknown) */
static PetscLogDouble NdAvailableMemory(void)
{
  FILE          *fp = fopen("/proc/meminfo", "r");
  char           line[256];
  PetscLogDouble bytes = 0;

  if (!fp) return 0;
  while (fgets(line, sizeof(line), fp)) {
    double kb;
    if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1) bytes = kb * 1024;
  }
  fclose(fp);
  return bytes;
}

PetscErrorCode NdMemoryLimit(MPI_Comm comm, PetscReal limit_mb, PetscLogDouble *bytes)
{
  PetscMPIInt rank, size;
  PetscReal   mb  = 0;
  PetscBool   set = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  if (limit_mb <= 0) PetscCall(PetscOptionsGetReal(NULL, NULL, "-memory_limit", &mb, &set));
  PetscCheck(!set || mb > 0, comm, PETSC_ERR_USER_INPUT, "-memory_limit must be > 0 MB (got %g)", (double)mb);
  if (limit_mb > 0 || set)
    *bytes = (limit_mb > 0 ? limit_mb : mb) * 1048576.0;
  else {
    *bytes = rank ? 0 : NdAvailableMemory() / size; /* all ranks on one node: the worst case */
    PetscCallMPI(MPI_Bcast(bytes, 1, MPI_DOUBLE, 0, comm));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckMemory(MPI_Comm comm, PetscReal limit_mb, const char option[], const char what[],
                             PetscLogDouble bytes, const char change[])
{
  PetscMPIInt    size;
  PetscLogDouble limit;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(NdMemoryLimit(comm, limit_mb, &limit));
  PetscCheck(limit <= 0 || bytes <= limit, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "%s needs %.3g GB per rank (%.3g GB on %d ranks), more than the %.3g GB available per rank: %s, use more "
             "nodes, or set %s (MB) if you know better",
             what, bytes / 1073741824.0, bytes * size / 1073741824.0, (int)size, limit / 1073741824.0, change, option);
  PetscFunctionReturn(PETSC_SUCCESS);
}
