/* NdInputFile: an HDF5 file read on one rank, for the components that read a user's or an
   earlier run's datasets (stimulus tables, recorded states) without calling HDF5 themselves. */
#include <neurodyn/output.h>
#include <neurodyn/private/hdf5util.h>

struct _n_NdInputFile {
  hid_t file;
};

PetscErrorCode NdInputFileOpen(const char name[], NdInputFile *f)
{
  hid_t id;

  PetscFunctionBegin;
  PetscCall(NdOutputInitializePackage()); /* HDF5's own error printing off */
  *f = NULL;
  id = H5Fopen(name, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscNew(f));
  (*f)->file = id;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdInputFileGetShape(NdInputFile f, const char path[], PetscBool *exists, PetscInt *ndims,
                                   PetscInt64 dims[])
{
  char  prefix[PETSC_MAX_PATH_LEN];
  hid_t d, space;
  int   nd;

  PetscFunctionBegin;
  *exists = PETSC_FALSE;
  *ndims  = 0;
  /* every group on the way must exist: H5Lexists fails on a missing parent */
  PetscCall(PetscStrncpy(prefix, path, sizeof(prefix)));
  for (char *c = prefix + 1; *c; c++) {
    if (*c != '/') continue;
    *c = 0;
    if (H5Lexists(f->file, prefix, H5P_DEFAULT) <= 0) PetscFunctionReturn(PETSC_SUCCESS);
    *c = '/';
  }
  if (H5Lexists(f->file, path, H5P_DEFAULT) <= 0) PetscFunctionReturn(PETSC_SUCCESS);
  d = H5Dopen2(f->file, path, H5P_DEFAULT);
  if (d < 0) PetscFunctionReturn(PETSC_SUCCESS);
  NdCallHDF5Return(space, H5Dget_space(d));
  nd = H5Sget_simple_extent_ndims(space);
  if (nd >= 0 && nd <= 2) {
    hsize_t h[2] = {0, 0};
    H5Sget_simple_extent_dims(space, h, NULL);
    dims[0] = (PetscInt64)h[0];
    if (nd == 2) dims[1] = (PetscInt64)h[1];
  }
  *ndims  = nd;
  *exists = PETSC_TRUE;
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Dclose(d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdInputFileRead(NdInputFile f, const char path[], const PetscInt64 offset[], const PetscInt64 count[],
                               PetscReal buf[])
{
  hid_t d, space, mem = H5S_ALL;

  PetscFunctionBegin;
  NdCallHDF5Return(d, H5Dopen2(f->file, path, H5P_DEFAULT));
  NdCallHDF5Return(space, H5Dget_space(d));
  if (offset) {
    int     nd = H5Sget_simple_extent_ndims(space);
    hsize_t off[2], cnt[2], n = 1;
    PetscCheck(nd >= 1 && nd <= 2, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s is not a 1-D or 2-D dataset", path);
    for (int i = 0; i < nd; i++) {
      off[i] = (hsize_t)offset[i];
      cnt[i] = (hsize_t)count[i];
      n *= cnt[i];
    }
    NdCallHDF5(H5Sselect_hyperslab(space, H5S_SELECT_SET, off, NULL, cnt, NULL));
    NdCallHDF5Return(mem, H5Screate_simple(1, &n, NULL));
  }
  NdCallHDF5(H5Dread(d, H5T_NATIVE_DOUBLE, mem, offset ? space : H5S_ALL, H5P_DEFAULT, buf));
  if (offset) NdCallHDF5(H5Sclose(mem));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Dclose(d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdInputFileClose(NdInputFile *f)
{
  PetscFunctionBegin;
  if (!*f) PetscFunctionReturn(PETSC_SUCCESS);
  NdCallHDF5(H5Fclose((*f)->file));
  PetscCall(PetscFree(*f));
  PetscFunctionReturn(PETSC_SUCCESS);
}
