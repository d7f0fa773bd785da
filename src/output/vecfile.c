/* A vector of length N a user brings: a 1-D HDF5 dataset (file.h5:/path), or a PETSc binary
   vector (VecView() to a binary viewer; named without a path). Rank 0 checks the file; then each
   rank reads its rows. */
#include <sys/stat.h>
#include <neurodyn/output.h>
#include <neurodyn/private/hdf5util.h>

/* msg set on any problem with the HDF5 dataset file:path of N values (rank 0) */
static void NdInspectHDF5Vec(const char option[], const char file[], const char path[], PetscInt N, char msg[],
                             size_t len)
{
  hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT), d, space;

  if (f < 0) {
    snprintf(msg, len, "%s: cannot open '%s' as an HDF5 file or a PETSc binary vector", option, file);
    return;
  }
  if (H5Lexists(f, path, H5P_DEFAULT) <= 0)
    snprintf(msg, len, "%s: '%s' has no dataset %s", option, file, path);
  else {
    hsize_t dims[2] = {0, 0};
    d               = H5Dopen2(f, path, H5P_DEFAULT);
    space           = d >= 0 ? H5Dget_space(d) : -1;
    if (space < 0 || H5Sget_simple_extent_ndims(space) != 1 || H5Sget_simple_extent_dims(space, dims, NULL) < 0 ||
        (PetscInt)dims[0] != N)
      snprintf(msg, len, "%s: %s:%s must be a 1-D dataset of N = %" PetscInt_FMT " values", option, file, path, N);
    else if (!NdHDF5DatasetIsReal(d))
      snprintf(msg, len, "%s: %s:%s does not hold real numbers (integers or floating point)", option, file, path);
    if (space >= 0) H5Sclose(space);
    if (d >= 0) H5Dclose(d);
  }
  H5Fclose(f);
}

static PetscErrorCode NdVecReadHDF5(const char file[], const char path[], Vec v)
{
  PetscInt     n, start;
  hid_t        f, d, space, mem;
  hsize_t      off, cnt;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(v, &n));
  PetscCall(VecGetOwnershipRange(v, &start, NULL));
  NdCallHDF5Return(f, H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT));
  NdCallHDF5Return(d, H5Dopen2(f, path, H5P_DEFAULT));
  NdCallHDF5Return(space, H5Dget_space(d));
  off = (hsize_t)start;
  cnt = (hsize_t)n;
  PetscCall(VecGetArray(v, &a));
  if (n) {
    NdCallHDF5(H5Sselect_hyperslab(space, H5S_SELECT_SET, &off, NULL, &cnt, NULL));
    NdCallHDF5Return(mem, H5Screate_simple(1, &cnt, NULL));
    NdCallHDF5(H5Dread(d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, a));
    NdCallHDF5(H5Sclose(mem));
  }
  PetscCall(VecRestoreArray(v, &a));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Dclose(d));
  NdCallHDF5(H5Fclose(f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* VecLoad() without the file's .info companion or options from the database (they would apply
   on the reading ranks only, behind the user's back) */
static PetscErrorCode NdVecReadPetscBinary(const char file[], Vec v)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(PetscViewerCreate(PetscObjectComm((PetscObject)v), &viewer));
  PetscCall(PetscViewerSetType(viewer, PETSCVIEWERBINARY));
  PetscCall(PetscViewerBinarySetSkipInfo(viewer, PETSC_TRUE));
  PetscCall(PetscViewerBinarySetSkipOptions(viewer, PETSC_TRUE));
  PetscCall(PetscViewerFileSetMode(viewer, FILE_MODE_READ));
  PetscCall(PetscViewerFileSetName(viewer, file));
  PetscCall(VecLoad(v, viewer));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdVecLoadFile(const char option[], const char spec[], Vec v)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)v);
  char        file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN] = "/u", msg[2 * PETSC_MAX_PATH_LEN + 128] = "";
  const char *colon = strrchr(spec, ':');
  PetscMPIInt rank;
  PetscInt    N;
  int         binary = 0;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(file, spec, sizeof(file)));
  if (colon && colon[1] == '/') {
    file[colon - spec] = 0;
    PetscCall(PetscStrncpy(path, colon + 1, sizeof(path)));
  }
  PetscCall(VecGetSize(v, &N));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    long long   header[2];
    struct stat st;
    if (!NdReadPetscBinaryHeader(file, 2, header)) header[0] = 0; /* too short for PETSc binary */
    binary = header[0] == VEC_FILE_CLASSID;
    if (header[0] == MAT_FILE_CLASSID)
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: '%s' holds a PETSc binary matrix, not a vector", option, file));
    else if (!binary)
      NdInspectHDF5Vec(option, file, path, N, msg, sizeof(msg));
    else if (colon && colon[1] == '/')
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: '%s' is a PETSc binary vector file: name it without %s", option,
                              file, colon));
    else if (header[1] != N)
      PetscCall(PetscSNPrintf(msg, sizeof(msg),
                              "%s: the PETSc binary vector '%s' has %lld values, not N = %" PetscInt_FMT, option, file,
                              header[1], N));
    else if (stat(file, &st) || (long long)st.st_size < (long long)(2 * sizeof(PetscInt) + N * sizeof(PetscScalar)))
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: '%s' is shorter than its header says: truncated?", option, file));
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(&binary, 1, MPI_INT, 0, comm));
  if (binary)
    PetscCall(NdVecReadPetscBinary(file, v));
  else
    PetscCall(NdVecReadHDF5(file, path, v));
  {
    PetscBool finite;
    PetscCall(NdVecAllFinite(v, &finite));
    PetscCheck(finite, comm, PETSC_ERR_USER_INPUT, "%s: %s has values that are not finite (NaN or Inf)", option, spec);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
