/* Error policy of the executable.
   A user's mistake (bad option value, unknown type, missing file, ...) is detected identically
   on every rank, so it is reported once, by rank 0, as one line, and every rank exits cleanly
   with a non-zero status. Any other error that was raised on a communicator smaller than
   MPI_COMM_WORLD may have happened on one rank only: it is reported by that rank and the job is
   aborted with MPI_Abort, so that no rank is left waiting in a collective call.
   Out of memory is the exception between the two: it may strike every rank at once (an even
   share of a problem too large) or one rank alone, and the ranks that fail first agree, within a
   few seconds, whether all of them did (NdErrorAgreeOutOfMemory): then one line and a clean exit,
   else one line from the first failing rank and MPI_Abort. */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <ctype.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <neurodyn/core.h>

static struct {
  PetscBool      configuring; /* reading options: every rank sees the same options */
  PetscErrorCode code;
  PetscBool      collective;
  char           message[1024];
  char           where[256];
  PetscBool      oom;        /* an allocation failed: named by the function that asked for it */
  double         oom_bytes;  /* how much it asked for (0: not told) */
  char           oom_in[64]; /* that function */
  char           oom_nd[64]; /* the first of neurodyn's functions on the way out, if oom_in is not */
} NdFirstError;

/* What the last allocation through PETSc asked for: PETSc 3.18's allocator loses the amount of a
   failed request on its way to the error handler, so it is noted here before each request */
static struct {
  PetscErrorCode (*malloc)(size_t, PetscBool, int, const char[], const char[], void **);
  PetscErrorCode (*realloc)(size_t, int, const char[], const char[], void **);
  size_t      bytes;
  const char *function;
} NdLastRequest;
static MPI_Comm NdErrorComm = MPI_COMM_NULL; /* out-of-memory agreement, apart from any other message */

static PetscErrorCode NdNotedMalloc(size_t bytes, PetscBool clear, int line, const char function[], const char file[],
                                    void **result)
{
  NdLastRequest.bytes    = bytes;
  NdLastRequest.function = function;
  return NdLastRequest.malloc(bytes, clear, line, function, file, result);
}

static PetscErrorCode NdNotedRealloc(size_t bytes, int line, const char function[], const char file[], void **result)
{
  NdLastRequest.bytes    = bytes;
  NdLastRequest.function = function;
  return NdLastRequest.realloc(bytes, line, function, file, result);
}

void NdErrorSetConfiguring(PetscBool flag)
{
  NdFirstError.configuring = flag;
}

static PetscBool NdErrorIsUserInput(PetscErrorCode code)
{
  switch (code) {
  case PETSC_ERR_USER_INPUT:
  case PETSC_ERR_USER: /* PETSc's own: an unknown word for an enum option (PetscOptionsGetEList) */
  case PETSC_ERR_ARG_OUTOFRANGE:
  case PETSC_ERR_ARG_WRONG:
  case PETSC_ERR_ARG_UNKNOWN_TYPE:
  case PETSC_ERR_ARG_INCOMP:
  case PETSC_ERR_FILE_OPEN:
  case PETSC_ERR_FILE_READ:
  case PETSC_ERR_FILE_UNEXPECTED:
  case PETSC_ERR_NOT_CONVERGED: /* a solver that did not converge: the message says what to try */
    return PETSC_TRUE;
  default:
    return PETSC_FALSE;
  }
}

/* PETSc's allocators: a failure in one of them is out of memory, whatever code and message it
   carries (Debian's PETSc 3.18 passes the caller's line and name as code and message) */
static PetscBool NdErrorIsAllocator(const char *fun)
{
  static const char *const names[] = {"PetscMallocAlign",     "PetscReallocAlign",     "PetscMallocA", "PetscReallocA",
                                      "PetscTrMallocDefault", "PetscTrReallocDefault", "PetscCallocA", NULL};

  for (const char *const *n = names; fun && *n; n++)
    if (!strcmp(fun, *n)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* The first frame of an out-of-memory error outside the allocators names what ran out */
static void NdErrorNoteOutOfMemory(const char *fun, const char *mess)
{
  if (!NdFirstError.oom_bytes && mess) (void)sscanf(mess, "Memory requested %lf", &NdFirstError.oom_bytes);
  if (!fun || !fun[0] || NdErrorIsAllocator(fun)) return;
  if (!NdFirstError.oom_in[0])
    snprintf(NdFirstError.oom_in, sizeof(NdFirstError.oom_in), "%s", fun);
  else if (!NdFirstError.oom_nd[0] && strncmp(NdFirstError.oom_in, "Nd", 2) && !strncmp(fun, "Nd", 2))
    snprintf(NdFirstError.oom_nd, sizeof(NdFirstError.oom_nd), "%s", fun);
}

static PetscErrorCode NdErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode code,
                                     PetscErrorType type, const char *mess, void *ctx)
{
  PetscMPIInt comm_size = 1, world_size = 1;

  (void)ctx;
  if (NdFirstError.oom) NdErrorNoteOutOfMemory(fun, mess);
  if (type != PETSC_ERROR_INITIAL || NdFirstError.code) return code;
  if (code == PETSC_ERR_MEM || NdErrorIsAllocator(fun)) {
    NdFirstError.oom = PETSC_TRUE;
    code             = PETSC_ERR_MEM;
    NdErrorNoteOutOfMemory(NULL, mess);
    if (NdErrorIsAllocator(fun) && NdLastRequest.function) { /* the request that failed (NdNotedMalloc) */
      NdFirstError.oom_bytes = (double)NdLastRequest.bytes;
      NdErrorNoteOutOfMemory(NdLastRequest.function, NULL);
    }
    /* a message that is a bare identifier is the allocating function (see NdErrorIsAllocator) */
    if (mess && mess[0] && !strchr(mess, ' ')) NdErrorNoteOutOfMemory(mess, NULL);
    /* HDF5 out of memory (include/neurodyn/private/hdf5util.h): the call, then neurodyn's function */
    if (mess && !strncmp(mess, "HDF5 call failed: ", 18)) {
      size_t len = strcspn(mess + 18, "(:");
      snprintf(NdFirstError.oom_in, sizeof(NdFirstError.oom_in), "%.*s", (int)PetscMin(len, 63), mess + 18);
      NdErrorNoteOutOfMemory(fun, NULL);
    }
  }
  if (comm != MPI_COMM_NULL) MPI_Comm_size(comm, &comm_size);
  MPI_Comm_size(PETSC_COMM_WORLD, &world_size);
  NdFirstError.code = code;
  NdFirstError.collective =
      (PetscBool)(comm_size == world_size || (NdFirstError.configuring && NdErrorIsUserInput(code)));
  snprintf(NdFirstError.message, sizeof(NdFirstError.message), "%s", mess && mess[0] ? mess : "(no message)");
  snprintf(NdFirstError.where, sizeof(NdFirstError.where), "%s() at %s:%d", fun ? fun : "?", file ? file : "?", line);
  return code;
}

/* MPI_Abort after neurodyn's own error line. Open MPI 4 adds a banner of eight lines ("MPI_ABORT was
   invoked on rank ...") and, in about half of the runs, garbles it into "ORTE_ERROR_LOG: Out of
   resource in file ../../../orte/util/show_help.c" lines (a race with the kill of the job, seen
   with a program of ten lines as well). Its -quiet flag (mpiexec -q, orte_execute_quiet), set in
   this process just before the abort, suppresses both; other MPI libraries keep their banner. */
void NdErrorAbort(void)
{
  bool *quiet = (bool *)dlsym(RTLD_DEFAULT, "orte_execute_quiet");

  if (quiet) *quiet = true;
  MPI_Abort(MPI_COMM_WORLD, 1);
}

/* Before PetscFinalize: the out-of-memory agreement's communicator is no longer needed, and
   PETSc's own allocators are put back (PetscFinalize's -malloc_dump and the like look for them) */
void NdErrorBeforeFinalize(void)
{
  if (NdErrorComm != MPI_COMM_NULL) (void)MPI_Comm_free(&NdErrorComm);
  if (PetscTrMalloc == NdNotedMalloc) {
    PetscTrMalloc  = NdLastRequest.malloc;
    PetscTrRealloc = NdLastRequest.realloc;
  }
}

PetscErrorCode NdErrorHandlerPush(void)
{
  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(NdErrorHandler, NULL));
  /* wraps whatever PETSc chose (-malloc_debug or not); frees unchanged. While it is in place,
     PetscMallocGetDebug reports no debugging allocator (PETSc's SIGSEGV handler then skips its
     heap check) */
  if (PetscTrMalloc != NdNotedMalloc) {
    NdLastRequest.malloc  = PetscTrMalloc;
    NdLastRequest.realloc = PetscTrRealloc;
    PetscTrMalloc         = NdNotedMalloc;
    PetscTrRealloc        = NdNotedRealloc;
  }
  if (NdErrorComm == MPI_COMM_NULL) PetscCallMPI(MPI_Comm_dup(PETSC_COMM_WORLD, &NdErrorComm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Optimal string alignment distance (an adjacent transposition counts 1), case-insensitive */
size_t NdEditDistance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b), d[64][64];

  if (la >= 64 || lb >= 64) return 64;
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]), best = d[i - 1][j - 1] + cost;
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

/* An error that asks for an option that is not set (-sys_type) when the user gave a misspelling of
   it (-sys_tpye, not read): the misspelling is the problem to report. Returns whether it rewrote. */
static PetscBool NdErrorNameMisspelling(void)
{
  PetscInt  n;
  char    **names, **values;
  PetscBool found = PETSC_FALSE;

  if (PetscOptionsLeftGet(NULL, &n, &names, &values)) return PETSC_FALSE;
  for (const char *p = strchr(NdFirstError.message, '-'); p && !found; p = strchr(p + 1, '-')) {
    char      wanted[128], key[130];
    size_t    len = 0;
    PetscBool set;

    if (!isalpha((unsigned char)p[1]) || (p > NdFirstError.message && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
      continue;
    while (len + 1 < sizeof(wanted) && (isalnum((unsigned char)p[1 + len]) || p[1 + len] == '_')) {
      wanted[len] = p[1 + len];
      len++;
    }
    wanted[len] = 0;
    snprintf(key, sizeof(key), "-%s", wanted);
    if (PetscOptionsHasName(NULL, NULL, key, &set) || set) continue; /* given: its value is the problem */
    for (PetscInt i = 0; i < n && !found; i++)
      if (strcasecmp(names[i], wanted) && NdEditDistance(names[i], wanted) <= 2) {
        snprintf(NdFirstError.message, sizeof(NdFirstError.message), "unknown option -%s; did you mean -%s?", names[i],
                 wanted);
        found = PETSC_TRUE;
      }
  }
  (void)PetscOptionsLeftRestore(NULL, &n, &names, &values);
  return found;
}

/* PETSc's message for a value it cannot read names the value, not the option ("Input string five
   has no numeric value"): the option that holds it is named instead */
static void NdErrorNameUnparsedOption(void)
{
  char        value[256], **names = NULL, **values = NULL;
  const char *kind = NULL;
  PetscInt    n    = 0;

  if (sscanf(NdFirstError.message, "Input string %255s has no", value) == 1)
    kind = strstr(NdFirstError.message, "has no integer value") ? "a whole number" : "a number";
  else if (sscanf(NdFirstError.message, "Unknown logical value: %255s", value) == 1)
    kind = "true or false";
  if (!kind || NdOptionsGetPairs(&n, &names, &values)) return;
  for (PetscInt i = 0; i < n; i++) {
    const char *item = values[i];
    size_t      len  = strlen(value);

    for (; item; item = strchr(item, ',') ? strchr(item, ',') + 1 : NULL) /* each item of a list */
      if (!strncmp(item, value, len) && (item[len] == ',' || !item[len])) {
        snprintf(NdFirstError.message, sizeof(NdFirstError.message), "option -%s: '%s' is not %s", names[i], value,
                 kind);
        (void)NdOptionsRestorePairs(&n, &names, &values);
        return;
      }
  }
  (void)NdOptionsRestorePairs(&n, &names, &values);
}

/* How long the first of the ranks to run out of memory waits for the others, in seconds: an even
   share of a problem too large fails on every rank within a moment of each other */
#define ND_OOM_WAIT 2.0

static double NdErrorNow(void)
{
  struct timespec t;

  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void NdErrorNap(void)
{
  const struct timespec t = {0, 1000000}; /* 1 ms */

  nanosleep(&t, NULL);
}

typedef enum {
  ND_OOM_EVERY_RANK, /* every rank ran out: rank 0 reports, all end cleanly */
  ND_OOM_REPORTED,   /* rank 0 ran out too and reports: this rank aborts silently */
  ND_OOM_ALONE       /* no word from rank 0 (it is busy, or waits for this rank): report, abort */
} NdOutOfMemoryVerdict;

/* The ranks that ran out of memory tell rank 0 (on a communicator of the error handler's own, by
   point-to-point messages: the other ranks may be in a collective call or computing). If rank 0
   ran out too, it waits up to ND_OOM_WAIT seconds for the others and sends each its verdict. A
   rank that hears nothing from rank 0 within 2.5 ND_OOM_WAIT reports for itself. *failed: how
   many ranks rank 0 knows to have run out. */
static NdOutOfMemoryVerdict NdErrorAgreeOutOfMemory(PetscMPIInt rank, PetscMPIInt size, int *failed)
{
  enum { NOTICE = 1, VERDICT = 2 };
  int        flag, verdict = ND_OOM_ALONE, one = 1;
  MPI_Status status;
  double     t0 = NdErrorNow();

  *failed = 1;
  if (size == 1) return ND_OOM_EVERY_RANK;
  if (NdErrorComm == MPI_COMM_NULL) return ND_OOM_ALONE;
  if (rank == 0) {
    char *told = calloc((size_t)size, 1);

    while (*failed < size && NdErrorNow() - t0 < ND_OOM_WAIT) {
      if (MPI_Iprobe(MPI_ANY_SOURCE, NOTICE, NdErrorComm, &flag, &status) || !flag) {
        NdErrorNap();
        continue;
      }
      if (MPI_Recv(&one, 1, MPI_INT, status.MPI_SOURCE, NOTICE, NdErrorComm, MPI_STATUS_IGNORE)) break;
      if (told && status.MPI_SOURCE > 0 && status.MPI_SOURCE < size) told[status.MPI_SOURCE] = 1;
      (*failed)++;
    }
    verdict = *failed == size ? ND_OOM_EVERY_RANK : ND_OOM_REPORTED;
    for (PetscMPIInt r = 1; told && r < size; r++) /* a few bytes each: sent at once (eager) */
      if (told[r]) (void)MPI_Send(&verdict, 1, MPI_INT, r, VERDICT, NdErrorComm);
    free(told);
    return (NdOutOfMemoryVerdict)verdict;
  }
  {
    MPI_Request send;

    if (MPI_Isend(&one, 1, MPI_INT, 0, NOTICE, NdErrorComm, &send)) return ND_OOM_ALONE;
    while (NdErrorNow() - t0 < 2.5 * ND_OOM_WAIT) {
      if (!MPI_Iprobe(0, VERDICT, NdErrorComm, &flag, MPI_STATUS_IGNORE) && flag) {
        (void)MPI_Recv(&verdict, 1, MPI_INT, 0, VERDICT, NdErrorComm, MPI_STATUS_IGNORE);
        break;
      }
      NdErrorNap();
    }
    if (verdict == ND_OOM_EVERY_RANK)
      (void)MPI_Wait(&send, MPI_STATUS_IGNORE); /* received by rank 0 */
    else
      (void)MPI_Request_free(&send);
  }
  return (NdOutOfMemoryVerdict)verdict;
}

/* Out of memory: one line that says where, how much and what to do; PETSC_TRUE when every rank ran
   out (all end cleanly), PETSC_FALSE when the caller must MPI_Abort */
static PetscBool NdErrorReportOutOfMemory(PetscMPIInt rank)
{
  char                 amount[64] = "", from[80] = "", limit[160], who[64];
  PetscMPIInt          size = 1;
  PetscReal            mb   = 0;
  PetscBool            set  = PETSC_FALSE;
  int                  failed;
  NdOutOfMemoryVerdict verdict;

  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  verdict = NdErrorAgreeOutOfMemory(rank, size, &failed);
  if (verdict != ND_OOM_ALONE && rank != 0) return (PetscBool)(verdict == ND_OOM_EVERY_RANK); /* rank 0 speaks */
  if (size == 1)
    snprintf(who, sizeof(who), "out of memory");
  else if (verdict == ND_OOM_EVERY_RANK)
    snprintf(who, sizeof(who), "out of memory on all %d ranks", (int)size);
  else if (failed > 1)
    snprintf(who, sizeof(who), "out of memory on %d of %d ranks", failed, (int)size);
  else
    snprintf(who, sizeof(who), "out of memory on rank %d of %d", (int)rank, (int)size);
  if (NdFirstError.oom_bytes > 0)
    snprintf(amount, sizeof(amount), ", which asked for %.3g GB%s", NdFirstError.oom_bytes / 1073741824.0,
             size > 1 && (verdict == ND_OOM_EVERY_RANK || failed > 1) ? " on rank 0" : "");
  if (NdFirstError.oom_nd[0]) snprintf(from, sizeof(from), " (called from %s)", NdFirstError.oom_nd);
  (void)PetscOptionsGetReal(NULL, NULL, "-memory_limit", &mb, &set);
  if (set)
    snprintf(
        limit, sizeof(limit),
        ", more ranks or nodes, or lower -memory_limit (%g MB per rank given) to what a rank has, so that neurodyn "
        "stops before it allocates",
        (double)mb);
  else /* the default limit is what a rank has: the estimate, not the limit, fell short */
    snprintf(limit, sizeof(limit),
             " or more ranks or nodes (neurodyn's estimate of what the run needs, which it checks against "
             "-memory_limit, missed this allocation)");
  fprintf(stderr, "neurodyn: error: %s in %s%s%s: take a smaller problem%s\n", who,
          NdFirstError.oom_in[0] ? NdFirstError.oom_in : "an allocation", from, amount, limit);
  fflush(stderr);
  return (PetscBool)(verdict == ND_OOM_EVERY_RANK);
}

/* Print the first error of the run. Returns PETSC_TRUE when every rank is known to have failed
   the same way (safe to finalize), PETSC_FALSE when the caller must MPI_Abort. */
PetscBool NdErrorReport(PetscErrorCode code)
{
  PetscMPIInt rank = 0;

  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (!NdFirstError.code) { /* an error that did not pass through PetscError() */
    NdFirstError.code = code;
    snprintf(NdFirstError.message, sizeof(NdFirstError.message), "failed with error code %d", (int)code);
  }
  if (NdFirstError.collective && NdErrorIsUserInput(NdFirstError.code)) {
    NdErrorNameUnparsedOption();
    (void)NdErrorNameMisspelling();
  }
  if (NdFirstError.oom) return NdErrorReportOutOfMemory(rank);
  if (NdFirstError.collective) {
    if (rank == 0) {
      if (NdErrorIsUserInput(NdFirstError.code) ||
          NdFirstError.code == PETSC_ERR_SIG) /* SIG: stopped and checkpointed */
        fprintf(stderr, "neurodyn: error: %s\n", NdFirstError.message);
      else
        fprintf(stderr, "neurodyn: error: %s [PETSc error %d in %s]\n", NdFirstError.message, (int)NdFirstError.code,
                NdFirstError.where);
    }
  } else {
    fprintf(stderr, "neurodyn: error on rank %d: %s [PETSc error %d in %s]\n", rank, NdFirstError.message,
            (int)NdFirstError.code, NdFirstError.where);
  }
  fflush(stderr);
  return NdFirstError.collective;
}

PetscErrorCode NdRootCheck(MPI_Comm comm, PetscErrorCode code, char msg[], size_t len)
{
  PetscFunctionBegin;
  PetscCallMPI(MPI_Bcast(msg, (int)len, MPI_CHAR, 0, comm));
  PetscCheck(!msg[0], comm, code, "%s", msg);
  PetscFunctionReturn(PETSC_SUCCESS);
}
