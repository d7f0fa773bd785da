/* NdDataset: an extendible HDF5 dataset filled row by row. Rows are buffered on each rank and
   written collectively (MPI-IO) when the buffer is full; every rank appends the same number of
   rows, so every rank flushes at the same time. */
#include <neurodyn/private/outputimpl.h>

#if !defined(PETSC_USE_REAL_DOUBLE)
#  error "neurodyn writes PetscReal as HDF5 doubles: build PETSc with double precision"
#endif

struct _n_NdDataset {
  NdOutput   out;
  hid_t      dset, dxpl;
  PetscBool  scalar; /* 1-D dataset: one value per row */
  PetscInt   ncols, nlocal, cstart;
  PetscInt   nbuf, capacity;
  PetscReal *buf;
  hsize_t    nwritten;
};

/* path: "/group/name"; ncols_local columns owned by this rank, in rank order */
PetscErrorCode NdOutputCreateDataset(NdOutput out, const char path[], PetscInt nlocal, PetscInt ncols, PetscBool scalar,
                                     const char units[], NdDataset *dataset)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)out);
  NdDataset ds;
  const int rank    = scalar ? 1 : 2;
  hsize_t   dims[2] = {0, (hsize_t)ncols}, maxdims[2] = {H5S_UNLIMITED, (hsize_t)ncols}, chunk[2];
  hid_t     space, dcpl, group;
  char      parent[PETSC_MAX_PATH_LEN];
  char     *slash;
  PetscInt  sum;

  PetscFunctionBegin;
  PetscCheck(!scalar || ncols == 1, comm, PETSC_ERR_ARG_WRONG, "a scalar dataset has one column, not %" PetscInt_FMT,
             ncols);
  PetscCallMPI(MPI_Allreduce(&nlocal, &sum, 1, MPIU_INT, MPI_SUM, comm));
  PetscCheck(sum == ncols, comm, PETSC_ERR_ARG_SIZ, "local columns add up to %" PetscInt_FMT ", not %" PetscInt_FMT,
             sum, ncols);
  PetscCall(PetscNew(&ds));
  ds->out    = out;
  ds->scalar = scalar;
  ds->ncols  = ncols;
  ds->nlocal = nlocal;
  PetscCallMPI(MPI_Scan(&nlocal, &ds->cstart, 1, MPIU_INT, MPI_SUM, comm));
  ds->cstart -= nlocal;
  ds->capacity = PetscMax(16, (1 << 17) / PetscMax(ncols, 1));
  PetscCall(PetscMalloc1(ds->capacity * PetscMax(nlocal, 1), &ds->buf));

  PetscCall(PetscStrncpy(parent, path, sizeof(parent)));
  slash = strrchr(parent, '/');
  PetscCheck(slash && slash[1], comm, PETSC_ERR_ARG_WRONG, "dataset path '%s' must be /group/name", path);
  if (slash == parent)
    slash[1] = 0;
  else
    *slash = 0;
  PetscCall(NdOutputOpenGroup(out, parent, &group));

  /* HDF5 allocates whole chunks: about 64 KB each (at least 16 rows), so that a short run of a
     system with hundreds of variables does not write a megabyte per variable. */
  chunk[1] = (hsize_t)PetscMin(ncols, 4096);
  chunk[0] = (hsize_t)PetscMin(ds->capacity, PetscMax(16, 8192 / (PetscInt)chunk[1]));
  NdCallHDF5Return(space, H5Screate_simple(rank, dims, maxdims));
  NdCallHDF5Return(dcpl, H5Pcreate(H5P_DATASET_CREATE));
  NdCallHDF5(H5Pset_chunk(dcpl, rank, chunk));
  NdCallHDF5Return(ds->dset, H5Dcreate2(out->file, path, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  NdCallHDF5(H5Pclose(dcpl));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Gclose(group));
  NdCallHDF5Return(ds->dxpl, H5Pcreate(H5P_DATASET_XFER));
  NdCallHDF5(H5Pset_dxpl_mpio(ds->dxpl, H5FD_MPIO_COLLECTIVE));
  PetscCall(NdOutputWriteUnits(out, ds->dset, units));
  *dataset = ds;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Append this rank's part of one row (nlocal values). Collective only when the buffer fills. */
PetscErrorCode NdDatasetAppendRow(NdDataset ds, const PetscReal row[])
{
  PetscFunctionBegin;
  PetscCall(PetscArraycpy(ds->buf + ds->nbuf * ds->nlocal, row, ds->nlocal));
  if (++ds->nbuf == ds->capacity) PetscCall(NdDatasetFlush(ds));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Append a distributed vector as one row, each rank its own entries (nlocal of them) */
PetscErrorCode NdDatasetAppendVec(NdDataset ds, Vec v)
{
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(v, &a));
  PetscCall(NdDatasetAppendRow(ds, a));
  PetscCall(VecRestoreArrayRead(v, &a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdDatasetFlush(NdDataset ds)
{
  hsize_t extent[2], start[2], count[2];
  hid_t   filespace, memspace;
  double *data = (double *)ds->buf;

  PetscFunctionBegin;
  if (!ds->nbuf) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscLogEventBegin(ND_EVENT_WRITE, 0, 0, 0, 0));
  extent[0] = ds->nwritten + (hsize_t)ds->nbuf;
  extent[1] = (hsize_t)ds->ncols;
  NdCallHDF5(H5Dset_extent(ds->dset, extent));
  NdCallHDF5Return(filespace, H5Dget_space(ds->dset));
  start[0] = ds->nwritten;
  start[1] = (hsize_t)ds->cstart;
  count[0] = (hsize_t)ds->nbuf;
  count[1] = (hsize_t)ds->nlocal;
  if (ds->nlocal) {
    NdCallHDF5(H5Sselect_hyperslab(filespace, H5S_SELECT_SET, start, NULL, count, NULL));
    NdCallHDF5Return(memspace, H5Screate_simple(ds->scalar ? 1 : 2, count, NULL));
  } else { /* this rank owns no column: it takes part in the collective write with an empty selection */
    hsize_t one = 1;
    NdCallHDF5(H5Sselect_none(filespace));
    NdCallHDF5Return(memspace, H5Screate_simple(1, &one, NULL));
    NdCallHDF5(H5Sselect_none(memspace));
  }
  NdCallHDF5(H5Dwrite(ds->dset, H5T_NATIVE_DOUBLE, memspace, filespace, ds->dxpl, data));
  NdCallHDF5(H5Sclose(memspace));
  NdCallHDF5(H5Sclose(filespace));
  ds->nwritten += (hsize_t)ds->nbuf;
  ds->nbuf = 0;
  PetscCall(PetscLogEventEnd(ND_EVENT_WRITE, 0, 0, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Flushes what is buffered (collective), then closes the dataset. */
PetscErrorCode NdDatasetDestroy(NdDataset *ds)
{
  PetscFunctionBegin;
  if (!*ds) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdDatasetFlush(*ds));
  NdCallHDF5(H5Pclose((*ds)->dxpl));
  NdCallHDF5(H5Dclose((*ds)->dset));
  PetscCall(PetscFree((*ds)->buf));
  PetscCall(PetscFree(*ds));
  PetscFunctionReturn(PETSC_SUCCESS);
}
