/* A vector of length N read from HDF5 (file.h5:/path, a 1-D dataset; each rank reads its rows). */
#include <neurodyn/spectrum.h>
#include <neurodyn/private/hdf5util.h>

PetscErrorCode NdVecLoadHDF5(const char option[], const char spec[], Vec v)
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)v);
  char         file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN] = "/u", msg[2 * PETSC_MAX_PATH_LEN + 128] = "";
  const char  *colon = strrchr(spec, ':');
  PetscMPIInt  rank;
  PetscInt     N, n, start;
  hid_t        f, d, space, mem;
  hsize_t      off, cnt;
  PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(file, spec, sizeof(file)));
  if (colon && colon[1] == '/') {
    file[colon - spec] = 0;
    PetscCall(PetscStrncpy(path, colon + 1, sizeof(path)));
  }
  PetscCall(VecGetSize(v, &N));
  PetscCall(VecGetLocalSize(v, &n));
  PetscCall(VecGetOwnershipRange(v, &start, NULL));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: cannot open '%s' as an HDF5 file", option, file));
    else if (H5Lexists(f, path, H5P_DEFAULT) <= 0)
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: '%s' has no dataset %s", option, file, path));
    else {
      hsize_t dims[2] = {0, 0};
      d               = H5Dopen2(f, path, H5P_DEFAULT);
      space           = d >= 0 ? H5Dget_space(d) : -1;
      if (space < 0 || H5Sget_simple_extent_ndims(space) != 1 || H5Sget_simple_extent_dims(space, dims, NULL) < 0 ||
          (PetscInt)dims[0] != N)
        PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: %s:%s must be a 1-D dataset of N = %" PetscInt_FMT " values",
                                option, file, path, N));
      if (space >= 0) H5Sclose(space);
      if (d >= 0) H5Dclose(d);
    }
    if (f >= 0) H5Fclose(f);
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
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
  {
    PetscReal norm;
    PetscCall(VecNorm(v, NORM_INFINITY, &norm));
    PetscCheck(!PetscIsInfOrNanReal(norm), comm, PETSC_ERR_USER_INPUT,
               "%s: %s has values that are not finite (NaN or Inf)", option, spec);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
