/* Reading a user's dense array (a plain HDF5 dataset, 1-D or 2-D) named 'file.h5:/path': rank 0
   reads, every rank gets the data, and a problem is one collective error naming file and path. */
#include <neurodyn/private/outputimpl.h>

static PetscErrorCode NdReadOnRoot(const char spec[], PetscInt *rows, PetscInt *cols, PetscReal **data, char msg[],
                                   size_t len)
{
  const char *sep = strstr(spec, ":/");
  char        file[PETSC_MAX_PATH_LEN];
  hid_t       f, d, space;
  int         ndims;
  hsize_t     dims[2] = {0, 1};

  PetscFunctionBegin;
  if (!sep) {
    PetscCall(PetscSNPrintf(msg, len, "'%s' must name an HDF5 dataset as file.h5:/path", spec));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscStrncpy(file, spec, PetscMin((size_t)(sep - spec) + 1, sizeof(file))));
  f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    PetscCall(PetscSNPrintf(msg, len, "cannot open HDF5 file '%s'", file));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  d = H5Dopen2(f, sep + 1, H5P_DEFAULT);
  if (d < 0) {
    PetscCall(PetscSNPrintf(msg, len, "no dataset '%s' in '%s'", sep + 1, file));
    H5Fclose(f);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  space = H5Dget_space(d);
  ndims = H5Sget_simple_extent_ndims(space);
  if (ndims == 1 || ndims == 2) H5Sget_simple_extent_dims(space, dims, NULL);
  if (ndims != 1 && ndims != 2)
    PetscCall(PetscSNPrintf(msg, len, "dataset '%s' in '%s' must be 1-D or 2-D", sep + 1, file));
  else {
    *rows = (PetscInt)dims[0];
    *cols = (PetscInt)dims[1];
    PetscCall(PetscMalloc1(PetscMax(*rows * *cols, 1), data));
    if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
      PetscCall(PetscSNPrintf(msg, len, "cannot read dataset '%s' in '%s' as numbers", sep + 1, file));
  }
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* rows x cols (cols = 1 for a 1-D dataset), row-major; free with PetscFree */
PetscErrorCode NdReadDenseArray(MPI_Comm comm, const char spec[], PetscInt *rows, PetscInt *cols, PetscReal **data)
{
  PetscMPIInt rank;
  PetscInt    shape[2]                    = {0, 0};
  char        msg[2 * PETSC_MAX_PATH_LEN] = "";

  PetscFunctionBegin;
  *data = NULL;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) PetscCall(NdReadOnRoot(spec, &shape[0], &shape[1], data, msg, sizeof(msg)));
  if (!rank && msg[0]) PetscCall(PetscFree(*data));
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(shape, 2, MPIU_INT, 0, comm));
  if (rank) PetscCall(PetscMalloc1(PetscMax(shape[0] * shape[1], 1), data));
  PetscCallMPI(MPI_Bcast(*data, (PetscMPIInt)(shape[0] * shape[1]), MPIU_REAL, 0, comm));
  *rows = shape[0];
  *cols = shape[1];
  PetscFunctionReturn(PETSC_SUCCESS);
}
