/* NdOutput: the run's HDF5 file with provenance and a completion mark (docs/output.md). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <slepcversion.h>
#include <neurodyn/private/outputimpl.h>

PetscClassId  ND_OUTPUT_CLASSID;
PetscLogEvent ND_EVENT_RECORD, ND_EVENT_WRITE, ND_EVENT_CHECKPOINT;

static PetscBool NdOutputPackageInitialized = PETSC_FALSE;

PetscErrorCode NdOutputFinalizePackage(void)
{
  PetscFunctionBegin;
  NdOutputPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputInitializePackage(void)
{
  PetscFunctionBegin;
  if (NdOutputPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  NdOutputPackageInitialized = PETSC_TRUE;
  PetscCall(NdCoreInitializePackage());
  PetscCall(PetscClassIdRegister("NdOutput", &ND_OUTPUT_CLASSID));
  PetscCall(PetscLogEventRegister("NdRecord", ND_OUTPUT_CLASSID, &ND_EVENT_RECORD));
  PetscCall(PetscLogEventRegister("NdWrite", ND_OUTPUT_CLASSID, &ND_EVENT_WRITE));
  PetscCall(PetscLogEventRegister("NdCheckpoint", ND_OUTPUT_CLASSID, &ND_EVENT_CHECKPOINT));
  /* HDF5 failures are reported through PETSc errors with a message; silence HDF5's own stack dumps. */
  NdCallHDF5(H5Eset_auto2(H5E_DEFAULT, NULL, NULL));
  PetscCall(PetscRegisterFinalize(NdOutputFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputView(NdOutput out, PetscViewer viewer)
{
  PetscBool isascii;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(out, ND_OUTPUT_CLASSID, 1);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(PetscObjectComm((PetscObject)out), &viewer));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (isascii)
    PetscCall(
        PetscViewerASCIIPrintf(viewer, "NdOutput: HDF5 file %s\n", out->filename[0] ? out->filename : "(not set)"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputCreate(MPI_Comm comm, NdOutput *output)
{
  NdOutput out;

  PetscFunctionBegin;
  PetscAssertPointer(output, 2);
  PetscCall(NdOutputInitializePackage());
  PetscCall(PetscHeaderCreate(out, ND_OUTPUT_CLASSID, "NdOutput", "HDF5 output file", "NdOutput", comm, NdOutputDestroy,
                              NdOutputView));
  out->file = -1;
  *output   = out;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputSetFileName(NdOutput out, const char name[])
{
  PetscFunctionBegin;
  PetscCheck(!out->viewer, PetscObjectComm((PetscObject)out), PETSC_ERR_ARG_WRONGSTATE,
             "the output file is already open");
  PetscCall(PetscStrncpy(out->filename, name, sizeof(out->filename)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputSetOverwrite(NdOutput out, PetscBool overwrite)
{
  PetscFunctionBegin;
  out->overwrite = overwrite;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputGetFileName(NdOutput out, const char *name[])
{
  PetscFunctionBegin;
  *name = out->filename;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The command line recorded in /provenance */
PetscErrorCode NdOutputSetCommandLine(NdOutput out, int argc, char *const argv[])
{
  PetscFunctionBegin;
  out->argc = argc;
  out->argv = argv;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The error for an existing output file that may not be replaced */
static void NdOutputExistsMessage(const char filename[], char msg[], size_t len)
{
  snprintf(msg, len, "output file '%s' exists: give another -output, or -overwrite to replace it", filename);
}

/* -output FILE, -overwrite. An existing file without -overwrite is refused here already, before a
   command computes anything (NdOutputOpen() checks again when it creates the file). */
PetscErrorCode NdOutputSetFromOptions(NdOutput out)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)out);
  PetscMPIInt rank;
  char        msg[2 * PETSC_MAX_PATH_LEN] = "";
  struct stat st;

  PetscFunctionBegin;
  PetscObjectOptionsBegin((PetscObject)out);
  PetscCall(PetscOptionsString("-output", "HDF5 output file (its directory is created if missing)",
                               "NdOutputSetFileName", out->filename, out->filename, sizeof(out->filename), NULL));
  PetscCall(NdOptionsFlag(PetscOptionsObject, "-overwrite",
                          "Replace the output file if it exists (else that is an error)", out->overwrite,
                          &out->overwrite, NULL));
  PetscOptionsEnd();
  PetscCheck(out->filename[0], comm, PETSC_ERR_USER_INPUT, "no output file given: set -output FILE");
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0 && !stat(out->filename, &st)) {
    if (S_ISDIR(st.st_mode))
      snprintf(msg, sizeof(msg), "cannot write output file '%s': it is a directory", out->filename);
    else if (!out->overwrite)
      NdOutputExistsMessage(out->filename, msg, sizeof(msg));
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_OPEN, msg, sizeof(msg)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* mkdir -p of the file's directory, then check that the file can be written and, unless overwrite,
   that it does not exist yet (NEST's overwrite_files); on rank 0 */
static void NdPrepareOutputPath(const char *filename, PetscBool overwrite, char msg[], size_t len)
{
  char dir[PETSC_MAX_PATH_LEN];
  int  fd;

  snprintf(dir, sizeof(dir), "%s", filename);
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(dir, 0777) && errno != EEXIST) {
      snprintf(msg, len, "cannot write output file '%.1024s': cannot create directory '%.1024s': %s", filename, dir,
               strerror(errno));
      return;
    }
    *p = '/';
  }
  fd = open(filename, O_WRONLY | O_CREAT | (overwrite ? 0 : O_EXCL), 0666);
  if (fd < 0 && errno == EEXIST)
    NdOutputExistsMessage(filename, msg, len);
  else if (fd < 0)
    snprintf(msg, len, "cannot write output file '%s': %s", filename, strerror(errno));
  else
    close(fd);
}

/* A variable-length UTF-8 string attribute (h5py reads it as str) */
PetscErrorCode NdHDF5WriteStringAttribute(hid_t obj, const char name[], const char value[])
{
  hid_t       type, space, attr;
  const char *v = value ? value : "";

  PetscFunctionBegin;
  NdCallHDF5Return(type, H5Tcopy(H5T_C_S1));
  NdCallHDF5(H5Tset_size(type, H5T_VARIABLE));
  NdCallHDF5(H5Tset_cset(type, H5T_CSET_UTF8));
  NdCallHDF5Return(space, H5Screate(H5S_SCALAR));
  if (H5Aexists(obj, name) > 0) NdCallHDF5(H5Adelete(obj, name));
  NdCallHDF5Return(attr, H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
  NdCallHDF5(H5Awrite(attr, type, &v));
  NdCallHDF5(H5Aclose(attr));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Tclose(type));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdWriteNumericAttribute(hid_t obj, const char name[], hid_t type, const void *value)
{
  hid_t space, attr;

  PetscFunctionBegin;
  NdCallHDF5Return(space, H5Screate(H5S_SCALAR));
  if (H5Aexists(obj, name) > 0) {
    NdCallHDF5Return(attr, H5Aopen(obj, name, H5P_DEFAULT));
  } else {
    NdCallHDF5Return(attr, H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
  }
  NdCallHDF5(H5Awrite(attr, type, value));
  NdCallHDF5(H5Aclose(attr));
  NdCallHDF5(H5Sclose(space));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputOpenGroup(NdOutput out, const char path[], hid_t *group)
{
  char partial[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  if (out->file < 0) PetscCall(NdOutputOpen(out)); /* opened on first use: a run that fails before it leaves no file */
  /* create each missing ancestor: /a, /a/b, ... */
  PetscCall(PetscStrncpy(partial, path, sizeof(partial)));
  for (char *p = partial + 1;; p++) {
    if (*p == '/' || !*p) {
      char saved = *p;
      *p         = 0;
      if (H5Lexists(out->file, partial, H5P_DEFAULT) <= 0) {
        hid_t g;
        NdCallHDF5Return(g, H5Gcreate2(out->file, partial, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        NdCallHDF5(H5Gclose(g));
      }
      *p = saved;
      if (!saved) break;
    }
  }
  NdCallHDF5Return(*group, H5Gopen2(out->file, path, H5P_DEFAULT));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteAttributeString(NdOutput out, const char path[], const char name[], const char value[])
{
  hid_t g;

  PetscFunctionBegin;
  PetscCall(NdOutputOpenGroup(out, path, &g));
  PetscCall(NdHDF5WriteStringAttribute(g, name, value));
  NdCallHDF5(H5Gclose(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteAttributeReal(NdOutput out, const char path[], const char name[], PetscReal value)
{
  hid_t  g;
  double v = (double)value;

  PetscFunctionBegin;
  PetscCall(NdOutputOpenGroup(out, path, &g));
  PetscCall(NdWriteNumericAttribute(g, name, H5T_NATIVE_DOUBLE, &v));
  NdCallHDF5(H5Gclose(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteAttributeInt(NdOutput out, const char path[], const char name[], PetscInt value)
{
  hid_t     g;
  long long v = (long long)value;

  PetscFunctionBegin;
  PetscCall(NdOutputOpenGroup(out, path, &g));
  PetscCall(NdWriteNumericAttribute(g, name, H5T_NATIVE_LLONG, &v));
  NdCallHDF5(H5Gclose(g));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputSetTimeUnit(NdOutput out, const char unit[])
{
  PetscFunctionBegin;
  PetscCall(PetscStrncpy(out->time_unit, unit, sizeof(out->time_unit)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteUnits(NdOutput out, hid_t obj, const char units[])
{
  char resolved[64];

  PetscFunctionBegin;
  if (!units) PetscFunctionReturn(PETSC_SUCCESS);
  if (out->time_unit[0])
    NdUnitResolve(units, out->time_unit, resolved, sizeof(resolved));
  else
    PetscCall(PetscStrncpy(resolved, units, sizeof(resolved)));
  PetscCall(NdHDF5WriteStringAttribute(obj, "units", resolved));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A scalar dataset (e.g. a parameter value) with a units attribute; written by rank 0 */
PetscErrorCode NdOutputWriteScalar(NdOutput out, const char path[], PetscReal value, const char units[])
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)out);
  PetscMPIInt rank;
  hid_t       space, dset, group;
  double      v = (double)value;
  char        parent[PETSC_MAX_PATH_LEN], *slash;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscStrncpy(parent, path, sizeof(parent)));
  slash = strrchr(parent, '/');
  PetscCheck(slash && slash != parent, comm, PETSC_ERR_ARG_WRONG, "scalar path '%s' must be /group/name", path);
  *slash = 0;
  PetscCall(NdOutputOpenGroup(out, parent, &group));
  NdCallHDF5Return(space, H5Screate(H5S_SCALAR));
  NdCallHDF5Return(dset, H5Dcreate2(out->file, path, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (rank) NdCallHDF5(H5Sselect_none(space));
  NdCallHDF5(H5Dwrite(dset, H5T_NATIVE_DOUBLE, space, space, H5P_DEFAULT, &v));
  PetscCall(NdOutputWriteUnits(out, dset, units));
  NdCallHDF5(H5Dclose(dset));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Gclose(group));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* /provenance: who, what, when, where, with which options. Values come from rank 0 so that the
   collective attribute writes see identical data on every rank. */
static PetscErrorCode NdOutputWriteProvenance(NdOutput out)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)out);
  PetscMPIInt size, rank;
  struct {
    char date[64], host[256];
  } site = {"", ""};
  char     petsc[64], slepc[64], hdf5[64], *all, *cmdline, **names, **values;
  PetscInt n;
  size_t   len = 1;
  unsigned maj, min, rel;
  hid_t    g;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    time_t now = time(NULL);
    strftime(site.date, sizeof(site.date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    if (gethostname(site.host, sizeof(site.host) - 1)) snprintf(site.host, sizeof(site.host), "unknown");
  }
  PetscCallMPI(MPI_Bcast(&site, (PetscMPIInt)sizeof(site), MPI_BYTE, 0, comm));
  PetscCall(PetscGetVersion(petsc, sizeof(petsc)));
  PetscCall(PetscSNPrintf(slepc, sizeof(slepc), "SLEPc %d.%d.%d", SLEPC_VERSION_MAJOR, SLEPC_VERSION_MINOR,
                          SLEPC_VERSION_SUBMINOR));
  NdCallHDF5(H5get_libversion(&maj, &min, &rel));
  PetscCall(PetscSNPrintf(hdf5, sizeof(hdf5), "HDF5 %u.%u.%u", maj, min, rel));
  for (int i = 0; i < out->argc; i++) len += strlen(out->argv[i]) + 3;
  PetscCall(PetscCalloc1(len, &cmdline));
  for (int i = 0; i < out->argc; i++) {
    PetscBool quote = (PetscBool)(strchr(out->argv[i], ' ') != NULL);
    if (i) PetscCall(PetscStrlcat(cmdline, " ", len));
    if (quote) PetscCall(PetscStrlcat(cmdline, "'", len));
    PetscCall(PetscStrlcat(cmdline, out->argv[i], len));
    if (quote) PetscCall(PetscStrlcat(cmdline, "'", len));
  }
  PetscCall(PetscOptionsGetAll(NULL, &all));

  PetscCall(NdOutputOpenGroup(out, "/provenance", &g));
  PetscCall(NdHDF5WriteStringAttribute(g, "software", "neurodyn"));
  PetscCall(NdHDF5WriteStringAttribute(g, "version", NdVersion()));
  PetscCall(NdHDF5WriteStringAttribute(g, "git_commit", NdGitCommit()));
  PetscCall(NdHDF5WriteStringAttribute(g, "date", site.date));
  PetscCall(NdHDF5WriteStringAttribute(g, "host", site.host));
  PetscCall(NdWriteNumericAttribute(g, "ranks", H5T_NATIVE_INT, &size));
  PetscCall(NdHDF5WriteStringAttribute(g, "command_line", cmdline));
  PetscCall(NdHDF5WriteStringAttribute(g, "options", all));
  PetscCall(NdHDF5WriteStringAttribute(g, "petsc_version", petsc));
  PetscCall(NdHDF5WriteStringAttribute(g, "slepc_version", slepc));
  PetscCall(NdHDF5WriteStringAttribute(g, "hdf5_version", hdf5));
  NdCallHDF5(H5Gclose(g));

  /* /provenance/options: one attribute per option, name -> its whole value ("" for a flag) */
  PetscCall(NdOutputOpenGroup(out, "/provenance/options", &g));
  PetscCall(NdOptionsGetPairs(&n, &names, &values));
  for (PetscInt i = 0; i < n; i++) PetscCall(NdHDF5WriteStringAttribute(g, names[i], values[i] ? values[i] : ""));
  PetscCall(NdOptionsRestorePairs(&n, &names, &values));
  NdCallHDF5(H5Gclose(g));
  PetscCall(PetscFree(all));
  PetscCall(PetscFree(cmdline));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Create the file (collectively), mark it incomplete, write /provenance. */
PetscErrorCode NdOutputOpen(NdOutput out)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)out);
  PetscMPIInt rank;
  char        msg[2 * PETSC_MAX_PATH_LEN] = "";
  int         zero                        = 0;

  PetscFunctionBegin;
  PetscCheck(out->filename[0], comm, PETSC_ERR_USER_INPUT, "no output file given: set -output FILE");
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) NdPrepareOutputPath(out->filename, out->overwrite, msg, sizeof(msg));
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_OPEN, msg, sizeof(msg)));
  PetscCall(PetscViewerHDF5Open(comm, out->filename, FILE_MODE_WRITE, &out->viewer));
  PetscCall(PetscViewerHDF5GetFileId(out->viewer, &out->file));
  PetscCall(NdWriteNumericAttribute(out->file, "complete", H5T_NATIVE_INT, &zero));
  PetscCall(NdOutputWriteProvenance(out));
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The run ended well: set complete = 1 and flush. Datasets must have been flushed. */
PetscErrorCode NdOutputMarkComplete(NdOutput out)
{
  int one = 1;

  PetscFunctionBegin;
  PetscCall(NdWriteNumericAttribute(out->file, "complete", H5T_NATIVE_INT, &one));
  NdCallHDF5(H5Fflush(out->file, H5F_SCOPE_GLOBAL));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After a failed run, whose objects were not destroyed: close every HDF5 object still open, so
   that HDF5 does not close them itself inside MPI_Finalize. Collective where the files are;
   errors are ignored. Returns false when a file could not be closed (its last write failed: a
   full disk): HDF5 would crash closing it in MPI_Finalize, so the caller must not finalize. */
PetscBool NdOutputCloseAll(void)
{
  const unsigned types[] = {H5F_OBJ_ATTR, H5F_OBJ_DATASET, H5F_OBJ_DATATYPE, H5F_OBJ_GROUP, H5F_OBJ_FILE};

  H5E_BEGIN_TRY
  {
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
      ssize_t n = H5Fget_obj_count(H5F_OBJ_ALL, types[t]);
      hid_t  *ids;
      if (n <= 0 || !(ids = malloc((size_t)n * sizeof(hid_t)))) continue;
      n = H5Fget_obj_ids(H5F_OBJ_ALL, types[t], (size_t)n, ids);
      for (ssize_t k = 0; k < n; k++) {
        if (types[t] == H5F_OBJ_FILE)
          (void)H5Fclose(ids[k]);
        else if (types[t] == H5F_OBJ_ATTR)
          (void)H5Aclose(ids[k]);
        else
          (void)H5Oclose(ids[k]);
      }
      free(ids);
    }
  }
  H5E_END_TRY;
  return (PetscBool)(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE) == 0);
}

PetscErrorCode NdOutputDestroy(NdOutput *out)
{
  PetscFunctionBegin;
  if (!*out) PetscFunctionReturn(PETSC_SUCCESS);
  PetscValidHeaderSpecific(*out, ND_OUTPUT_CLASSID, 1);
  if (--((PetscObject)(*out))->refct > 0) {
    *out = NULL;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscViewerDestroy(&(*out)->viewer));
  PetscCall(PetscHeaderDestroy(out));
  PetscFunctionReturn(PETSC_SUCCESS);
}
