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

/* H5Literate callback: collect the names of a group's links */
typedef struct {
  PetscInt n, max;
  char   **names;
} NdLinkNames;

static herr_t NdInputFileCollectLink(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
  NdLinkNames *l = (NdLinkNames *)ctx;

  (void)g;
  (void)info;
  if (l->n == l->max) return 1; /* stop: the caller's list is full */
  if (PetscStrallocpy(name, &l->names[l->n])) return -1;
  l->n++;
  return 0;
}

PetscErrorCode NdInputFileListGroup(NdInputFile f, const char path[], PetscInt max, PetscInt *n, char *names[])
{
  NdLinkNames l = {0, max, names};
  hid_t       g;
  hsize_t     idx = 0;

  PetscFunctionBegin;
  *n = -1;
  if (H5Lexists(f->file, path, H5P_DEFAULT) <= 0 && strcmp(path, "/")) PetscFunctionReturn(PETSC_SUCCESS);
  g = H5Gopen2(f->file, path, H5P_DEFAULT);
  if (g < 0) PetscFunctionReturn(PETSC_SUCCESS);
  NdCallHDF5(H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, NdInputFileCollectLink, &l));
  NdCallHDF5(H5Gclose(g));
  *n = l.n;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdInputFileGetAttributeString(NdInputFile f, const char path[], const char attr[], char buf[],
                                             size_t len, PetscBool *exists)
{
  hid_t o, a, type, mem;

  PetscFunctionBegin;
  *exists = PETSC_FALSE;
  buf[0]  = 0;
  if (H5Lexists(f->file, path, H5P_DEFAULT) <= 0) PetscFunctionReturn(PETSC_SUCCESS);
  o = H5Oopen(f->file, path, H5P_DEFAULT);
  if (o < 0) PetscFunctionReturn(PETSC_SUCCESS);
  if (H5Aexists(o, attr) <= 0) {
    NdCallHDF5(H5Oclose(o));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  NdCallHDF5Return(a, H5Aopen(o, attr, H5P_DEFAULT));
  NdCallHDF5Return(type, H5Aget_type(a));
  if (H5Tget_class(type) == H5T_STRING) {
    if (H5Tis_variable_str(type) > 0) {
      char *s = NULL;
      NdCallHDF5Return(mem, H5Tcopy(H5T_C_S1));
      NdCallHDF5(H5Tset_size(mem, H5T_VARIABLE));
      NdCallHDF5(H5Tset_cset(mem, H5Tget_cset(type)));
      NdCallHDF5(H5Aread(a, mem, &s));
      if (s) {
        PetscCall(PetscStrncpy(buf, s, len));
        H5free_memory(s);
      }
    } else {
      size_t size = H5Tget_size(type);
      char  *s;
      PetscCall(PetscCalloc1(size + 1, &s));
      NdCallHDF5Return(mem, H5Tcopy(H5T_C_S1));
      NdCallHDF5(H5Tset_size(mem, size + 1));
      NdCallHDF5(H5Tset_cset(mem, H5Tget_cset(type)));
      NdCallHDF5(H5Aread(a, mem, s));
      PetscCall(PetscStrncpy(buf, s, len));
      PetscCall(PetscFree(s));
    }
    NdCallHDF5(H5Tclose(mem));
    *exists = PETSC_TRUE;
  }
  NdCallHDF5(H5Tclose(type));
  NdCallHDF5(H5Aclose(a));
  NdCallHDF5(H5Oclose(o));
  PetscFunctionReturn(PETSC_SUCCESS);
}
