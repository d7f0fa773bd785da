/* Whole small arrays, identical on every rank, written at once (rank 0's copy). */
#include <neurodyn/private/outputimpl.h>

PetscErrorCode NdOutputWriteArray(NdOutput out, const char path[], PetscInt n, const PetscReal values[],
                                  const char units[])
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)out);
  PetscMPIInt rank;
  hid_t       space, dset, group;
  hsize_t     dim = (hsize_t)n;
  char        parent[PETSC_MAX_PATH_LEN], *slash;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscStrncpy(parent, path, sizeof(parent)));
  slash = strrchr(parent, '/');
  PetscCheck(slash && slash != parent, comm, PETSC_ERR_ARG_WRONG, "array path '%s' must be /group/name", path);
  *slash = 0;
  PetscCall(NdOutputOpenGroup(out, parent, &group));
  NdCallHDF5Return(comm, space, H5Screate_simple(1, &dim, NULL));
  NdCallHDF5Return(comm, dset,
                   H5Dcreate2(out->file, path, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (rank || !n) NdCallHDF5(comm, H5Sselect_none(space));
  NdCallHDF5(comm, H5Dwrite(dset, H5T_NATIVE_DOUBLE, space, space, H5P_DEFAULT, values));
  if (units) PetscCall(NdHDF5WriteStringAttribute(comm, dset, "units", units));
  NdCallHDF5(comm, H5Dclose(dset));
  NdCallHDF5(comm, H5Sclose(space));
  NdCallHDF5(comm, H5Gclose(group));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteVecRow(NdOutput out, const char path[], Vec v, const char units[])
{
  NdDataset          ds;
  PetscInt           n, N;
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(v, &n));
  PetscCall(VecGetSize(v, &N));
  PetscCall(NdOutputCreateDataset(out, path, n, N, PETSC_FALSE, units, &ds));
  PetscCall(VecGetArrayRead(v, &a));
  PetscCall(NdDatasetAppendRow(ds, a));
  PetscCall(VecRestoreArrayRead(v, &a));
  PetscCall(NdDatasetDestroy(&ds));
  PetscFunctionReturn(PETSC_SUCCESS);
}
