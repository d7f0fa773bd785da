/* Checkpoints in the /checkpoint group of an output file (include/neurodyn/checkpoint.h). A new
   checkpoint is written into /checkpoint.partial and renamed over /checkpoint when complete. */
#include <signal.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/private/outputimpl.h>

#define ND_CHECKPOINT         "/checkpoint"
#define ND_CHECKPOINT_PARTIAL "/checkpoint.partial"

struct _n_NdCheckpointReader {
  MPI_Comm comm;
  hid_t    file;
  char     filename[PETSC_MAX_PATH_LEN];
};

static PetscErrorCode NdCheckpointPath(const char group[], const char name[], char path[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(path, len, "%s/%s", group, name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Start a new checkpoint (a partial one left by a crash is discarded) */
PetscErrorCode NdCheckpointBegin(NdOutput out)
{
  hid_t g;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(ND_EVENT_CHECKPOINT, 0, 0, 0, 0));
  if (out->file < 0) PetscCall(NdOutputOpen(out));
  if (H5Lexists(out->file, ND_CHECKPOINT_PARTIAL, H5P_DEFAULT) > 0)
    NdCallHDF5(H5Ldelete(out->file, ND_CHECKPOINT_PARTIAL, H5P_DEFAULT));
  PetscCall(NdOutputOpenGroup(out, ND_CHECKPOINT_PARTIAL, &g));
  NdCallHDF5(H5Gclose(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A distributed array of global length N; this rank's entries are [offset, offset + nlocal) */
PetscErrorCode NdCheckpointWriteReal(NdOutput out, const char name[], PetscInt64 N, PetscInt64 offset,
                                     PetscInt64 nlocal, const PetscReal data[])
{
  char path[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(NdCheckpointPath(ND_CHECKPOINT_PARTIAL, name, path, sizeof(path)));
  PetscCall(NdOutputWriteArray(out, path, N, 0, offset, nlocal, data, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointWriteInt64(NdOutput out, const char name[], PetscInt64 N, PetscInt64 offset,
                                      PetscInt64 nlocal, const int64_t data[])
{
  char path[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(NdCheckpointPath(ND_CHECKPOINT_PARTIAL, name, path, sizeof(path)));
  PetscCall(NdOutputWriteArrayInt64(out, path, N, 0, offset, nlocal, data, NULL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Scalars are attributes of the checkpoint group; the value must be the same on every rank */
static PetscErrorCode NdCheckpointWriteScalar(NdOutput out, const char name[], hid_t type, const void *value)
{
  hid_t g, space, attr;

  PetscFunctionBegin;
  PetscCall(NdOutputOpenGroup(out, ND_CHECKPOINT_PARTIAL, &g));
  NdCallHDF5Return(space, H5Screate(H5S_SCALAR));
  NdCallHDF5Return(attr, H5Acreate2(g, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
  NdCallHDF5(H5Awrite(attr, type, value));
  NdCallHDF5(H5Aclose(attr));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Gclose(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointWriteScalarReal(NdOutput out, const char name[], PetscReal value)
{
  double v = (double)value;

  PetscFunctionBegin;
  PetscCall(NdCheckpointWriteScalar(out, name, H5T_NATIVE_DOUBLE, &v));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointWriteScalarInt64(NdOutput out, const char name[], int64_t value)
{
  PetscFunctionBegin;
  PetscCall(NdCheckpointWriteScalar(out, name, H5T_NATIVE_INT64, &value));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* kind names what wrote the checkpoint ("system", ...): a restart checks it. The new checkpoint
   replaces the old one and the file is flushed, so it is on disk when this returns. */
PetscErrorCode NdCheckpointEnd(NdOutput out, const char kind[])
{
  PetscFunctionBegin;
  PetscCall(NdOutputWriteAttributeString(out, ND_CHECKPOINT_PARTIAL, "kind", kind));
  if (H5Lexists(out->file, ND_CHECKPOINT, H5P_DEFAULT) > 0)
    NdCallHDF5(H5Ldelete(out->file, ND_CHECKPOINT, H5P_DEFAULT));
  NdCallHDF5(H5Lmove(out->file, ND_CHECKPOINT_PARTIAL, out->file, ND_CHECKPOINT, H5P_DEFAULT, H5P_DEFAULT));
  NdCallHDF5(H5Fflush(out->file, H5F_SCOPE_GLOBAL));
  PetscCall(PetscLogEventEnd(ND_EVENT_CHECKPOINT, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The string attribute name of obj (as NdOutputWriteAttributeString writes it), or NULL; free
   with H5free_memory */
static char *NdReadStringAttribute(hid_t obj, const char name[])
{
  char *value = NULL;
  hid_t attr, type;

  if (H5Aexists(obj, name) <= 0) return NULL;
  attr = H5Aopen(obj, name, H5P_DEFAULT);
  type = attr >= 0 ? H5Aget_type(attr) : -1;
  if (type < 0 || H5Aread(attr, type, &value) < 0) value = NULL;
  if (type >= 0) H5Tclose(type);
  if (attr >= 0) H5Aclose(attr);
  return value;
}

/* On rank 0: why the file cannot be restarted from as a checkpoint of this kind, or "" */
static PetscErrorCode NdCheckpointCheckFile(const char file[], const char kind[], char msg[], size_t len)
{
  hid_t f, g;
  char *found;

  PetscFunctionBegin;
  H5E_BEGIN_TRY
  {
    f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
  }
  H5E_END_TRY;
  if (f < 0) {
    PetscCall(PetscSNPrintf(msg, len, "-restart: cannot open '%s' as an HDF5 file", file));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (H5Lexists(f, ND_CHECKPOINT, H5P_DEFAULT) <= 0) {
    PetscCall(PetscSNPrintf(msg, len,
                            "-restart: '%s' has no checkpoint (write one with -checkpoint_interval, or stop a run "
                            "with SIGTERM or SIGUSR1)",
                            file));
    H5Fclose(f);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  g     = H5Gopen2(f, ND_CHECKPOINT, H5P_DEFAULT);
  found = NdReadStringAttribute(g, "kind");
  if (!found || strcmp(found, kind))
    PetscCall(PetscSNPrintf(msg, len, "-restart: '%s' holds a checkpoint of a %s run, not of a %s run", file,
                            found ? found : "(unknown)", kind));
  if (found) H5free_memory(found);
  H5Gclose(g);
  H5Fclose(f);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A checkpoint of a system run continues only a system of the same type (its /system type) */
PetscErrorCode NdCheckpointCheckSystemType(MPI_Comm comm, const char file[], const char type[])
{
  char        msg[PETSC_MAX_PATH_LEN + 256] = "";
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    hid_t f;
    H5E_BEGIN_TRY
    {
      f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT); /* not HDF5: NdCheckpointOpen says so */
    }
    H5E_END_TRY;
    if (f >= 0 && H5Lexists(f, "/system", H5P_DEFAULT) > 0) {
      hid_t g     = H5Gopen2(f, "/system", H5P_DEFAULT);
      char *found = NdReadStringAttribute(g, "type");
      if (found && strcmp(found, type))
        PetscCall(
            PetscSNPrintf(msg, sizeof(msg), "-restart: '%s' is a run of system type %s, not %s", file, found, type));
      if (found) H5free_memory(found);
      H5Gclose(g);
    }
    if (f >= 0) H5Fclose(f);
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_USER_INPUT, msg, sizeof(msg)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointOpen(MPI_Comm comm, const char file[], const char kind[], NdCheckpointReader *reader)
{
  NdCheckpointReader r;
  PetscMPIInt        rank;
  char               msg[2 * PETSC_MAX_PATH_LEN] = "";
  hid_t              fapl;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) PetscCall(NdCheckpointCheckFile(file, kind, msg, sizeof(msg)));
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  PetscCall(PetscNew(&r));
  r->comm = comm;
  PetscCall(PetscStrncpy(r->filename, file, sizeof(r->filename)));
  NdCallHDF5Return(fapl, H5Pcreate(H5P_FILE_ACCESS));
  NdCallHDF5(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL));
  NdCallHDF5Return(r->file, H5Fopen(file, H5F_ACC_RDONLY, fapl));
  NdCallHDF5(H5Pclose(fapl));
  *reader = r;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointGetFileName(NdCheckpointReader r, const char *name[])
{
  PetscFunctionBegin;
  *name = r->filename;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCheckpointOpenDataset(NdCheckpointReader r, const char path[], hid_t *dset)
{
  PetscFunctionBegin;
  PetscCheck(H5Lexists(r->file, path, H5P_DEFAULT) > 0, r->comm, PETSC_ERR_FILE_UNEXPECTED,
             "-restart: '%s' has no dataset %s (written by another version of neurodyn?)", r->filename, path);
  NdCallHDF5Return(*dset, H5Dopen2(r->file, path, H5P_DEFAULT));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointGetSize(NdCheckpointReader r, const char name[], PetscInt64 *N)
{
  char    path[PETSC_MAX_PATH_LEN];
  hid_t   dset, space;
  hsize_t dims[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(NdCheckpointPath(ND_CHECKPOINT, name, path, sizeof(path)));
  PetscCall(NdCheckpointOpenDataset(r, path, &dset));
  NdCallHDF5Return(space, H5Dget_space(dset));
  NdCallHDF5(H5Sget_simple_extent_dims(space, dims, NULL));
  *N = (PetscInt64)dims[0];
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Dclose(dset));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* rows x cols block at (row0, col0) of a 1-D (one column) or 2-D dataset; independent read */
PetscErrorCode NdCheckpointReadRecorded(NdCheckpointReader r, const char path[], PetscInt64 row0, PetscInt64 nrows,
                                        PetscInt64 col0, PetscInt64 ncols, PetscReal data[])
{
  hid_t   dset, fspace, mspace, type;
  hsize_t start[2] = {(hsize_t)row0, (hsize_t)col0}, count[2] = {(hsize_t)nrows, (hsize_t)ncols}, mcount;
  int     ndims;

  PetscFunctionBegin;
  if (!nrows || !ncols) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdCheckpointOpenDataset(r, path, &dset));
  NdCallHDF5Return(fspace, H5Dget_space(dset));
  ndims = H5Sget_simple_extent_ndims(fspace);
  NdCallHDF5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL));
  mcount = (hsize_t)(nrows * ncols);
  NdCallHDF5Return(mspace, H5Screate_simple(1, &mcount, NULL));
  type = H5T_NATIVE_DOUBLE;
  PetscCheck(ndims == 1 || ndims == 2, r->comm, PETSC_ERR_FILE_UNEXPECTED, "-restart: %s in '%s' is not 1-D or 2-D",
             path, r->filename);
  NdCallHDF5(H5Dread(dset, type, mspace, fspace, H5P_DEFAULT, data));
  NdCallHDF5(H5Sclose(mspace));
  NdCallHDF5(H5Sclose(fspace));
  NdCallHDF5(H5Dclose(dset));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rows [0, rows) of one recorded dataset of the checkpoint's file, this rank's columns
   [col0, col0 + n), appended to ds in blocks of rows (collective: every rank appends) */
PetscErrorCode NdCheckpointCopyRecorded(NdCheckpointReader r, const char path[], PetscInt64 rows, PetscInt64 col0,
                                        PetscInt n, NdDataset ds)
{
  const PetscInt64 block = PetscMax(1, (1 << 16) / PetscMax(n, 1));
  PetscReal       *buf;
  hid_t            dset, space;
  hsize_t          dims[2] = {0, 0};

  PetscFunctionBegin;
  /* the metadata must fit the data (the same file on every rank: a collective check) */
  PetscCall(NdCheckpointOpenDataset(r, path, &dset));
  NdCallHDF5Return(space, H5Dget_space(dset));
  PetscCheck(H5Sget_simple_extent_ndims(space) >= 1 && H5Sget_simple_extent_ndims(space) <= 2, r->comm,
             PETSC_ERR_FILE_UNEXPECTED, "-restart: %s in '%s' is not 1-D or 2-D", path, r->filename);
  NdCallHDF5(H5Sget_simple_extent_dims(space, dims, NULL));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Dclose(dset));
  PetscCheck(rows >= 0 && (hsize_t)rows <= dims[0], r->comm, PETSC_ERR_FILE_UNEXPECTED,
             "-restart: the checkpoint in '%s' counts %" PetscInt64_FMT " recorded rows, but %s has %llu: the file is "
             "damaged or was edited",
             r->filename, rows, path, (unsigned long long)dims[0]);
  PetscCall(PetscMalloc1(block * PetscMax(n, 1), &buf));
  for (PetscInt64 r0 = 0; r0 < rows; r0 += block) {
    PetscInt64 nr = PetscMin(block, rows - r0);
    PetscCall(NdCheckpointReadRecorded(r, path, r0, nr, col0, n, buf));
    for (PetscInt64 k = 0; k < nr; k++) PetscCall(NdDatasetAppendRow(ds, buf + k * n));
  }
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCheckpointReadArray(NdCheckpointReader r, const char name[], hid_t type, PetscInt64 offset,
                                            PetscInt64 nlocal, void *data)
{
  char    path[PETSC_MAX_PATH_LEN];
  hid_t   dset, fspace, mspace;
  hsize_t start = (hsize_t)offset, count = (hsize_t)nlocal;

  PetscFunctionBegin;
  if (!nlocal) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdCheckpointPath(ND_CHECKPOINT, name, path, sizeof(path)));
  PetscCall(NdCheckpointOpenDataset(r, path, &dset));
  NdCallHDF5Return(fspace, H5Dget_space(dset));
  NdCallHDF5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL));
  NdCallHDF5Return(mspace, H5Screate_simple(1, &count, NULL));
  NdCallHDF5(H5Dread(dset, type, mspace, fspace, H5P_DEFAULT, data));
  NdCallHDF5(H5Sclose(mspace));
  NdCallHDF5(H5Sclose(fspace));
  NdCallHDF5(H5Dclose(dset));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Entries [offset, offset + nlocal) of a distributed array, whatever number of ranks wrote it */
PetscErrorCode NdCheckpointReadReal(NdCheckpointReader r, const char name[], PetscInt64 offset, PetscInt64 nlocal,
                                    PetscReal data[])
{
  PetscFunctionBegin;
  PetscCall(NdCheckpointReadArray(r, name, H5T_NATIVE_DOUBLE, offset, nlocal, data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointReadInt64(NdCheckpointReader r, const char name[], PetscInt64 offset, PetscInt64 nlocal,
                                     int64_t data[])
{
  PetscFunctionBegin;
  PetscCall(NdCheckpointReadArray(r, name, H5T_NATIVE_INT64, offset, nlocal, data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdCheckpointReadScalar(NdCheckpointReader r, const char name[], hid_t type, void *value)
{
  hid_t g, attr;

  PetscFunctionBegin;
  NdCallHDF5Return(g, H5Gopen2(r->file, ND_CHECKPOINT, H5P_DEFAULT));
  PetscCheck(H5Aexists(g, name) > 0, r->comm, PETSC_ERR_FILE_UNEXPECTED,
             "-restart: the checkpoint in '%s' has no value %s (written by another version of neurodyn?)", r->filename,
             name);
  NdCallHDF5Return(attr, H5Aopen(g, name, H5P_DEFAULT));
  NdCallHDF5(H5Aread(attr, type, value));
  NdCallHDF5(H5Aclose(attr));
  NdCallHDF5(H5Gclose(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointReadScalarReal(NdCheckpointReader r, const char name[], PetscReal *value)
{
  double v;

  PetscFunctionBegin;
  PetscCall(NdCheckpointReadScalar(r, name, H5T_NATIVE_DOUBLE, &v));
  *value = (PetscReal)v;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointReadScalarInt64(NdCheckpointReader r, const char name[], int64_t *value)
{
  PetscFunctionBegin;
  PetscCall(NdCheckpointReadScalar(r, name, H5T_NATIVE_INT64, value));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCheckpointClose(NdCheckpointReader *r)
{
  PetscFunctionBegin;
  if (!*r) PetscFunctionReturn(PETSC_SUCCESS);
  NdCallHDF5(H5Fclose((*r)->file));
  PetscCall(PetscFree(*r));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Signals: the handler only records the signal; the run acts on it at the next step. The
   executable installs it once at start (src/main/neurodyn.c), so that a signal that arrives while
   a run is set up is acted on at its first check; installing it again keeps a caught signal. */
static volatile sig_atomic_t NdSignalCaught = 0;
static struct sigaction      NdSignalSaved[2];
static const int             NdSignals[2] = {SIGTERM, SIGUSR1};

static void NdSignalHandler(int signum)
{
  NdSignalCaught = signum;
}

/* the flag-only handler for signal i; the previous one into saved (NULL: not kept) */
static int NdSignalHandlerSet(int i, struct sigaction *saved)
{
  struct sigaction sa;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = NdSignalHandler;
  sigemptyset(&sa.sa_mask);
  return sigaction(NdSignals[i], &sa, saved);
}

PetscErrorCode NdCheckpointSignalsInstall(void)
{
  PetscFunctionBegin;
  for (int i = 0; i < 2; i++)
    PetscCheck(!NdSignalHandlerSet(i, &NdSignalSaved[i]), PETSC_COMM_SELF, PETSC_ERR_SYS,
               "cannot install the handler of signal %d", NdSignals[i]);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Once a signal has been caught the run is ending: the handler stays, so that a second signal
   (SLURM, a user pressing twice) cannot kill the process while it writes its last checkpoint */
PetscErrorCode NdCheckpointSignalsRestore(void)
{
  PetscFunctionBegin;
  if (NdSignalCaught) PetscFunctionReturn(PETSC_SUCCESS);
  for (int i = 0; i < 2; i++) (void)sigaction(NdSignals[i], &NdSignalSaved[i], NULL);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Before PetscFinalize, at the end of every run: PETSc's signal handler (pushed at
   PetscInitialize) is popped here, and the flag-only handler of SIGTERM and SIGUSR1 installed
   again at once, so that PetscFinalize finds nothing to pop and leaves them alone. Popping resets
   every signal PETSc handles to the default; inside PetscFinalize that left SIGTERM deadly for the
   whole of the finalize (a second SIGTERM, or the one mpiexec sends the other ranks when one
   exits 1 after an error or a signal, killed the rank: exit 143, likely with a slow finalize
   such as AddressSanitizer's); here it is deadly for two system calls. Blocking the signals
   instead does not work: they go to the MPI library's threads, which do not block them. */
void NdCheckpointSignalsBeforeFinalize(void)
{
  (void)PetscPopSignalHandler();
  for (int i = 0; i < 2; i++) (void)NdSignalHandlerSet(i, NULL);
}

PetscBool NdSignalPending(void)
{
  return (PetscBool)(NdSignalCaught != 0);
}

/* Collective: the signal (number) any rank has caught, or 0 */
PetscErrorCode NdCheckpointSignalReceived(MPI_Comm comm, int *signum)
{
  int local = (int)NdSignalCaught;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(&local, signum, 1, MPI_INT, MPI_MAX, comm));
  /* every rank ends now, as if it had caught the signal itself: it keeps the flag-only handler
     (NdCheckpointSignalsRestore), so that the SIGTERM mpiexec sends when another rank exits 1
     first cannot kill it before its output is closed */
  if (*signum) NdSignalCaught = *signum;
  PetscFunctionReturn(PETSC_SUCCESS);
}

const char *NdSignalName(int signum)
{
  return signum == SIGTERM ? "SIGTERM" : signum == SIGUSR1 ? "SIGUSR1" : "a signal";
}

/* Collective: when any rank has caught a signal, one error line (every rank exits 1) saying what
   was stopped and what is left of the output: the file, if opened, is closed by the error path
   with complete = 0 (src/main/neurodyn.c) */
PetscErrorCode NdSignalStop(MPI_Comm comm, NdOutput out, const char what[])
{
  int signum;

  PetscFunctionBegin;
  PetscCall(NdCheckpointSignalReceived(comm, &signum));
  if (!signum) PetscFunctionReturn(PETSC_SUCCESS);
  if (out && out->file >= 0)
    SETERRQ(comm, PETSC_ERR_SIG, "stopped by %s %s; %s is not complete (complete = 0)", NdSignalName(signum), what,
            out->filename);
  SETERRQ(comm, PETSC_ERR_SIG, "stopped by %s %s; no output written", NdSignalName(signum), what);
}
