/* Memory estimates checked before an allocation that grows with an option: a size that does not
   fit stops with a message saying how much it needs and what to change, instead of a run that is
   killed by the system (or an out-of-memory trace from deep inside PETSc or HDF5). */
#include <neurodyn/core.h>
#include <sys/resource.h>

/* the first number after "key" in a file of lines "key value" (0 when absent) */
static double NdReadKeyValue(const char *path, const char *key)
{
  FILE  *fp = fopen(path, "r");
  char   line[256];
  double value = 0;
  size_t len   = strlen(key);

  if (!fp) return 0;
  while (fgets(line, sizeof(line), fp))
    if (!strncmp(line, key, len) && sscanf(line + len, " %lf", &value) == 1) break;
  fclose(fp);
  return value;
}

/* a file holding one number (a cgroup's limit or usage): < 0 when absent or "max" (no limit) */
static double NdReadNumber(const char *path)
{
  FILE  *fp = fopen(path, "r");
  double value;

  if (!fp) return -1;
  if (fscanf(fp, "%lf", &value) != 1) value = -1;
  fclose(fp);
  return value;
}

/* What the memory cgroup of this process (a SLURM job's --mem, a container's limit) leaves, in
   bytes: the least of limit - usage over its cgroup and the cgroups above it (cgroup v2), or of its
   v1 memory cgroup; < 0 when there is no limit */
static PetscLogDouble NdCgroupMemoryLeft(void)
{
  FILE          *fp = fopen("/proc/self/cgroup", "r");
  char           line[PETSC_MAX_PATH_LEN], dir[PETSC_MAX_PATH_LEN + 64], file[PETSC_MAX_PATH_LEN + 96];
  PetscLogDouble left = -1;

  if (!fp) return -1;
  while (fgets(line, sizeof(line), fp)) {
    char       *path = strrchr(line, ':'), *slash;
    PetscBool   v2 = (PetscBool)!strncmp(line, "0::", 3), v1 = (PetscBool)(strstr(line, ":memory:") != NULL);
    const char *root = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
    if (!path || !(v1 || v2)) continue;
    path[strcspn(path, "\n")] = 0;
    snprintf(dir, sizeof(dir), "%s%s", root, path + 1);
    for (;;) { /* this cgroup and each above it: a parent's limit binds its children */
      double limit, usage;
      snprintf(file, sizeof(file), "%s/%s", dir, v2 ? "memory.max" : "memory.limit_in_bytes");
      limit = NdReadNumber(file);
      snprintf(file, sizeof(file), "%s/%s", dir, v2 ? "memory.current" : "memory.usage_in_bytes");
      usage = NdReadNumber(file);
      if (limit > 0 && limit < 1e18 && usage >= 0) /* v1 writes "no limit" as a huge number */
        left = left < 0 ? PetscMax(limit - usage, 0) : PetscMin(left, PetscMax(limit - usage, 0));
      slash = strrchr(dir, '/');
      if (!slash || (size_t)(slash - dir) < strlen(root)) break;
      *slash = 0;
    }
  }
  fclose(fp);
  return left;
}

/* What the node has for this job, in bytes: MemAvailable of /proc/meminfo, or less when the
   memory cgroup leaves less (0 when unknown) */
static PetscLogDouble NdAvailableMemory(void)
{
  PetscLogDouble bytes = NdReadKeyValue("/proc/meminfo", "MemAvailable:") * 1024, cgroup = NdCgroupMemoryLeft();

  if (cgroup >= 0 && (bytes <= 0 || cgroup < bytes)) bytes = cgroup;
  return bytes;
}

/* What this process may still map, in bytes (ulimit -v: RLIMIT_AS less its VmSize); < 0 when
   unlimited. A limit per process, so per rank */
static PetscLogDouble NdAddressSpaceLeft(void)
{
  struct rlimit rl;
  double        vmsize_kb;

  if (getrlimit(RLIMIT_AS, &rl) || rl.rlim_cur == RLIM_INFINITY) return -1;
  vmsize_kb = NdReadKeyValue("/proc/self/status", "VmSize:");
  return PetscMax((PetscLogDouble)rl.rlim_cur - vmsize_kb * 1024, 0);
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
    PetscLogDouble node = rank ? 0 : NdAvailableMemory() / size, own, mine; /* all ranks on one node: the worst case */
    PetscCallMPI(MPI_Bcast(&node, 1, MPI_DOUBLE, 0, comm));
    mine = node > 0 ? node : PETSC_MAX_REAL; /* unknown: no limit (0 to NdCheckMemory) */
    own  = NdAddressSpaceLeft();             /* each rank's own cap (ulimit -v); the least of them binds every rank */
    if (own >= 0) mine = PetscMin(mine, own);
    PetscCallMPI(MPI_Allreduce(&mine, bytes, 1, MPI_DOUBLE, MPI_MIN, comm));
    if (*bytes == PETSC_MAX_REAL) *bytes = 0;
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
