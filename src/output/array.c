/* Whole arrays written at once: a dataset of shape (rows, cols) (or (rows,) with cols = 0, or
   (rows, 0) with cols = ND_NO_COLUMNS) in which each rank writes its contiguous block of rows,
   collectively with MPI-IO. */
#include <neurodyn/private/outputimpl.h>

static PetscErrorCode NdOutputWriteBlock(NdOutput out, const char path[], hid_t type, PetscInt64 rows, PetscInt cols,
                                         PetscInt64 rstart, PetscInt64 nlocal, const void *data, const char units[])
{
  MPI_Comm      comm    = PetscObjectComm((PetscObject)out);
  const int     rank    = cols ? 2 : 1;
  const hsize_t ncols   = cols == ND_NO_COLUMNS ? 0 : (hsize_t)cols;
  hsize_t       dims[2] = {(hsize_t)rows, ncols}, start[2] = {(hsize_t)rstart, 0}, count[2] = {(hsize_t)nlocal, ncols};
  hid_t         fspace, mspace, dset, dxpl, group;
  char          parent[PETSC_MAX_PATH_LEN], *slash;
  PetscInt64    total;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(&nlocal, &total, 1, MPIU_INT64, MPI_SUM, comm));
  PetscCheck(total == rows, comm, PETSC_ERR_ARG_SIZ,
             "%s: the ranks' rows add up to %" PetscInt64_FMT ", not %" PetscInt64_FMT, path, total, rows);
  PetscCall(PetscStrncpy(parent, path, sizeof(parent)));
  slash = strrchr(parent, '/');
  PetscCheck(slash && slash != parent, comm, PETSC_ERR_ARG_WRONG, "array path '%s' must be /group/name", path);
  *slash = 0;
  PetscCall(NdOutputOpenGroup(out, parent, &group));
  NdCallHDF5Return(fspace, H5Screate_simple(rank, dims, NULL));
  NdCallHDF5Return(dset, H5Dcreate2(out->file, path, type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (nlocal)
    NdCallHDF5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL));
  else
    NdCallHDF5(H5Sselect_none(fspace));
  NdCallHDF5Return(mspace, H5Screate_simple(rank, count, NULL)); /* a rank without rows: 0 x cols, none selected */
  if (!nlocal) NdCallHDF5(H5Sselect_none(mspace));
  NdCallHDF5Return(dxpl, H5Pcreate(H5P_DATASET_XFER));
  NdCallHDF5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE));
  if (rows > 0 &&
      (rank == 1 || ncols > 0)) /* an empty dataset has nothing to write (MPI-IO rejects an empty collective write) */
    NdCallHDF5(H5Dwrite(dset, type, mspace, fspace, dxpl, data));
  PetscCall(NdOutputWriteUnits(out, dset, units));
  NdCallHDF5(H5Pclose(dxpl));
  NdCallHDF5(H5Sclose(mspace));
  NdCallHDF5(H5Sclose(fspace));
  NdCallHDF5(H5Dclose(dset));
  NdCallHDF5(H5Gclose(group));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteArray(NdOutput out, const char path[], PetscInt64 rows, PetscInt cols, PetscInt64 rstart,
                                  PetscInt64 nlocal, const PetscReal data[], const char units[])
{
  PetscFunctionBegin;
  PetscCall(NdOutputWriteBlock(out, path, H5T_NATIVE_DOUBLE, rows, cols, rstart, nlocal, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputWriteArrayInt64(NdOutput out, const char path[], PetscInt64 rows, PetscInt cols,
                                       PetscInt64 rstart, PetscInt64 nlocal, const int64_t data[], const char units[])
{
  PetscFunctionBegin;
  PetscCall(NdOutputWriteBlock(out, path, H5T_NATIVE_INT64, rows, cols, rstart, nlocal, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Append each rank's nlocal entries, in rank order, to a 1-D dataset that grows (created chunked
   and unlimited on the first call): for arrays written in pieces during a run */
static PetscErrorCode NdOutputAppendBlock(NdOutput out, const char path[], hid_t type, PetscInt64 nlocal,
                                          const void *data, const char units[])
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)out);
  hid_t      group, dset, fspace, mspace, dxpl;
  hsize_t    size = 0, start, count = (hsize_t)nlocal, total_h;
  PetscInt64 total, offset;
  char       parent[PETSC_MAX_PATH_LEN], *slash;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(&nlocal, &total, 1, MPIU_INT64, MPI_SUM, comm));
  PetscCallMPI(MPI_Exscan(&nlocal, &offset, 1, MPIU_INT64, MPI_SUM, comm));
  {
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (!rank) offset = 0;
  }
  PetscCall(PetscStrncpy(parent, path, sizeof(parent)));
  slash = strrchr(parent, '/');
  PetscCheck(slash && slash != parent, comm, PETSC_ERR_ARG_WRONG, "array path '%s' must be /group/name", path);
  *slash = 0;
  PetscCall(NdOutputOpenGroup(out, parent, &group));
  if (H5Lexists(out->file, path, H5P_DEFAULT) > 0) {
    NdCallHDF5Return(dset, H5Dopen2(out->file, path, H5P_DEFAULT));
    NdCallHDF5Return(fspace, H5Dget_space(dset));
    NdCallHDF5(H5Sget_simple_extent_dims(fspace, &size, NULL));
    NdCallHDF5(H5Sclose(fspace));
  } else {
    const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = 65536;
    hid_t         dcpl;
    NdCallHDF5Return(fspace, H5Screate_simple(1, &zero, &unlimited));
    NdCallHDF5Return(dcpl, H5Pcreate(H5P_DATASET_CREATE));
    NdCallHDF5(H5Pset_chunk(dcpl, 1, &chunk));
    NdCallHDF5Return(dset, H5Dcreate2(out->file, path, type, fspace, H5P_DEFAULT, dcpl, H5P_DEFAULT));
    NdCallHDF5(H5Pclose(dcpl));
    NdCallHDF5(H5Sclose(fspace));
    PetscCall(NdOutputWriteUnits(out, dset, units));
  }
  if (total > 0) {
    total_h = size + (hsize_t)total;
    start   = size + (hsize_t)offset;
    NdCallHDF5(H5Dset_extent(dset, &total_h));
    NdCallHDF5Return(fspace, H5Dget_space(dset));
    if (nlocal)
      NdCallHDF5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL));
    else
      NdCallHDF5(H5Sselect_none(fspace));
    NdCallHDF5Return(mspace, H5Screate_simple(1, nlocal ? &count : (hsize_t[]){1}, NULL));
    if (!nlocal) NdCallHDF5(H5Sselect_none(mspace));
    NdCallHDF5Return(dxpl, H5Pcreate(H5P_DATASET_XFER));
    NdCallHDF5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE));
    NdCallHDF5(H5Dwrite(dset, type, mspace, fspace, dxpl, data));
    NdCallHDF5(H5Pclose(dxpl));
    NdCallHDF5(H5Sclose(mspace));
    NdCallHDF5(H5Sclose(fspace));
  }
  NdCallHDF5(H5Dclose(dset));
  NdCallHDF5(H5Gclose(group));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputAppendArray(NdOutput out, const char path[], PetscInt64 nlocal, const PetscReal data[],
                                   const char units[])
{
  PetscFunctionBegin;
  PetscCall(NdOutputAppendBlock(out, path, H5T_NATIVE_DOUBLE, nlocal, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdOutputAppendArrayInt64(NdOutput out, const char path[], PetscInt64 nlocal, const int64_t data[],
                                        const char units[])
{
  PetscFunctionBegin;
  PetscCall(NdOutputAppendBlock(out, path, H5T_NATIVE_INT64, nlocal, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The same array on every rank: rank 0 writes it */
PetscErrorCode NdOutputWriteSharedArray(NdOutput out, const char path[], PetscInt64 rows, PetscInt cols,
                                        const PetscReal data[], const char units[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)out), &rank));
  PetscCall(NdOutputWriteArray(out, path, rows, cols, 0, rank ? 0 : rows, data, units));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A distributed vector as one row of a (1, N) dataset, each rank writing its own entries */
PetscErrorCode NdOutputWriteVecRow(NdOutput out, const char path[], Vec v, const char units[])
{
  NdDataset ds;
  PetscInt  n, N;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(v, &n));
  PetscCall(VecGetSize(v, &N));
  PetscCall(NdOutputCreateDataset(out, path, n, N, PETSC_FALSE, units, &ds));
  PetscCall(NdDatasetAppendVec(ds, v));
  PetscCall(NdDatasetDestroy(&ds));
  PetscFunctionReturn(PETSC_SUCCESS);
}
