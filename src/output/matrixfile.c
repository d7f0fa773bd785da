/* Matrices a user brings in HDF5 (DESIGN.md "Data inputs"): `file.h5:/path` names either a group
   holding CSR arrays indptr, indices, data and an attribute shape = (rows, cols) (scipy.sparse
   csr_matrix; rows are postsynaptic), or a plain 2-D dataset (dense). Rank 0 checks the file;
   then each rank reads its own rows. A CSR group may hold further arrays aligned with data
   (e.g. delays), read by name. Messages name the option the file was given with. */
#include <neurodyn/output.h>
#include <neurodyn/private/hdf5util.h>
#include <neurodyn/private/matrixfileimpl.h>

/* "file.h5:/path" -> file and path (or the default path) */
static PetscErrorCode NdSplitFileSpec(const char spec[], const char default_path[], char file[], char path[],
                                      size_t len)
{
  const char *colon = strrchr(spec, ':');

  PetscFunctionBegin;
  if (colon && colon[1] == '/') {
    PetscCall(PetscStrncpy(file, spec, PetscMin(len, (size_t)(colon - spec) + 1)));
    PetscCall(PetscStrncpy(path, colon + 1, len));
  } else {
    PetscCall(PetscStrncpy(file, spec, len));
    PetscCall(PetscStrncpy(path, default_path, len));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscBool NdIsCSRGroup(hid_t obj)
{
  return (PetscBool)(H5Lexists(obj, "indptr", H5P_DEFAULT) > 0 && H5Lexists(obj, "indices", H5P_DEFAULT) > 0 &&
                     H5Lexists(obj, "data", H5P_DEFAULT) > 0 && H5Aexists(obj, "shape") > 0);
}

/* The number of entries of the dataset obj/name (0 if it cannot be read) */
static hsize_t NdDatasetLength(hid_t obj, const char name[])
{
  hid_t    d = H5Dopen2(obj, name, H5P_DEFAULT), sp;
  hssize_t n;

  if (d < 0) return 0;
  sp = H5Dget_space(d);
  n  = H5Sget_simple_extent_npoints(sp);
  H5Sclose(sp);
  H5Dclose(d);
  return n > 0 ? (hsize_t)n : 0;
}

/* A CSR group's row pointers start at 0 and end at the length of indices and data; msg set
   otherwise. Rank 0 reads these two entries only: each rank checks the pointers of its own rows
   as it reads them (NdCheckRowPointers), so that no rank holds all of them. */
static void NdInspectRowPointers(const char option[], const char file[], const char path[], hid_t obj, hsize_t n,
                                 char msg[], size_t len)
{
  long long ends[2] = {0, 0};
  hsize_t at[2] = {0, n - 1}, two = 2, nindices = NdDatasetLength(obj, "indices"), ndata = NdDatasetLength(obj, "data");
  hid_t   d = H5Dopen2(obj, "indptr", H5P_DEFAULT), space = d >= 0 ? H5Dget_space(d) : -1,
        mem = H5Screate_simple(1, &two, NULL);

  if (space < 0 || H5Sselect_elements(space, H5S_SELECT_SET, 2, at) < 0 ||
      H5Dread(d, H5T_NATIVE_LLONG, mem, space, H5P_DEFAULT, ends) < 0)
    snprintf(msg, len, "%s: cannot read %s:%s/indptr as integers", option, file, path);
  else if (ends[0] != 0)
    snprintf(msg, len, "%s: %s:%s/indptr must start at 0 (starts at %lld)", option, file, path, ends[0]);
  else if ((hsize_t)ends[1] != nindices || nindices != ndata)
    snprintf(msg, len, "%s: %s:%s: indptr ends at %lld, but indices has %llu entries and data %llu", option, file, path,
             ends[1], (unsigned long long)nindices, (unsigned long long)ndata);
  H5Sclose(mem);
  if (space >= 0) H5Sclose(space);
  if (d >= 0) H5Dclose(d);
}

/* Rows [rstart, rstart + n) of a CSR group: their n + 1 pointers never decrease and stay within
   indices (a reader trusting them would read past its buffers). Collective: the first bad row of
   all ranks is named. */
static PetscErrorCode NdCheckRowPointers(MPI_Comm comm, const char option[], const char file[], const char path[],
                                         PetscInt rstart, PetscInt n, const long long ptr[], long long nindices)
{
  PetscInt64 row       = INT64_MAX;
  long long  values[2] = {0, 0}; /* the row's pointer and the next */

  PetscFunctionBegin;
  for (PetscInt r = 0; r < n && row == INT64_MAX; r++)
    if (ptr[r + 1] < ptr[r] || ptr[r] < 0 || ptr[r + 1] > nindices) {
      row       = rstart + r;
      values[0] = ptr[r];
      values[1] = ptr[r + 1];
    }
  PetscCall(NdAllreduceFirst(comm, &row, MPI_LONG_LONG, 2, values));
  if (row == INT64_MAX) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCheck(values[1] >= values[0], comm, PETSC_ERR_USER_INPUT,
             "%s: %s:%s/indptr decreases at row %" PetscInt64_FMT " (%lld then %lld)", option, file, path, row,
             values[0], values[1]);
  SETERRQ(comm, PETSC_ERR_USER_INPUT,
          "%s: %s:%s/indptr points outside indices at row %" PetscInt64_FMT " (%lld, %lld; indices has %lld entries)",
          option, file, path, row, values[0], values[1], nindices);
}

/* rows, cols of the matrix (HDF5, or PETSc binary: a file of one matrix, named without a path);
   msg set on any problem (rank 0 only) */
static void NdInspect(const char option[], const char file[], const char path[], PetscBool path_given,
                      long long shape[2], char msg[], size_t len)
{
  hid_t     f, obj;
  long long classid;

  shape[0] = shape[1] = -1;
  if (!NdReadPetscBinaryHeader(file, 1, &classid)) classid = 0; /* too short for PETSc binary */
  if (classid == VEC_FILE_CLASSID) {
    snprintf(msg, len, "%s: '%s' holds a PETSc binary vector, not a matrix", option, file);
    return;
  }
  if (classid == MAT_FILE_CLASSID) {
    if (path_given)
      snprintf(msg, len, "%s: '%s' is a PETSc binary matrix file: name it without :%s", option, file, path);
    else
      NdInspectPetscBinary(option, file, shape, msg, len);
    return;
  }
  f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    snprintf(msg, len, "%s: cannot open '%s' as an HDF5 file or a PETSc binary matrix", option, file);
    return;
  }
  if (H5Lexists(f, path, H5P_DEFAULT) <= 0) {
    snprintf(msg, len, "%s: '%s' has no object %s", option, file, path);
    H5Fclose(f);
    return;
  }
  obj = H5Oopen(f, path, H5P_DEFAULT);
  if (H5Iget_type(obj) == H5I_GROUP && NdIsCSRGroup(obj)) {
    hid_t   a = H5Aopen(obj, "shape", H5P_DEFAULT), sp = H5Aget_space(a), d;
    hsize_t n = 0;
    if (H5Sget_simple_extent_npoints(sp) == 2) H5Aread(a, H5T_NATIVE_LLONG, shape);
    H5Sclose(sp);
    H5Aclose(a);
    d  = H5Dopen2(obj, "indptr", H5P_DEFAULT);
    sp = H5Dget_space(d);
    H5Sget_simple_extent_dims(sp, &n, NULL);
    H5Sclose(sp);
    H5Dclose(d);
    for (int k = 0; k < 3 && !msg[0]; k++) {
      const char *member[] = {"indptr", "indices", "data"};
      d                    = H5Dopen2(obj, member[k], H5P_DEFAULT);
      if (!NdHDF5DatasetIsReal(d))
        snprintf(msg, len, "%s: %s:%s/%s does not hold real numbers (integers or floating point)", option, file, path,
                 member[k]);
      H5Dclose(d);
    }
    if (!msg[0] && shape[0] >= 0 && (long long)n != shape[0] + 1)
      snprintf(msg, len, "%s: %s:%s/indptr has %llu entries, not rows + 1 = %lld", option, file, path,
               (unsigned long long)n, shape[0] + 1);
    else if (!msg[0] && shape[0] >= 0)
      NdInspectRowPointers(option, file, path, obj, n, msg, len);
  } else if (H5Iget_type(obj) == H5I_DATASET) {
    hid_t   sp = H5Dget_space(obj);
    hsize_t dims[2];
    if (!NdHDF5DatasetIsReal(obj))
      snprintf(msg, len, "%s: %s:%s does not hold real numbers (integers or floating point)", option, file, path);
    else if (H5Sget_simple_extent_ndims(sp) == 2) {
      H5Sget_simple_extent_dims(sp, dims, NULL);
      shape[0] = (long long)dims[0];
      shape[1] = (long long)dims[1];
    }
    H5Sclose(sp);
  } else
    snprintf(msg, len, "%s: %s:%s is neither a 2-D dataset nor a CSR group (indptr, indices, data, shape)", option,
             file, path);
  if (!msg[0] && shape[0] < 0)
    snprintf(msg, len, "%s: %s:%s is not a matrix (a 2-D dataset, or a CSR group with a shape of 2 numbers)", option,
             file, path);
  H5Oclose(obj);
  H5Fclose(f);
}

PetscErrorCode NdReadMatrixShape(MPI_Comm comm, const char option[], const char spec[], const char default_path[],
                                 PetscInt *rows, PetscInt *cols)
{
  char        file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN], msg[2 * PETSC_MAX_PATH_LEN + 256] = "";
  long long   shape[2] = {0, 0};
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCall(NdSplitFileSpec(spec, default_path, file, path, sizeof(file)));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) NdInspect(option, file, path, (PetscBool)(strstr(spec, ":/") != NULL), shape, msg, sizeof(msg));
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(shape, 2, MPI_LONG_LONG, 0, comm));
  *rows = (PetscInt)shape[0];
  *cols = (PetscInt)shape[1];
  PetscCheck(*rows >= 1 && *cols >= 1, comm, PETSC_ERR_USER_INPUT, "%s: the matrix %s is empty", option, spec);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The size N of a square matrix (an N x N connectivity); another shape is a user-input error */
PetscErrorCode NdReadSquareMatrixSize(MPI_Comm comm, const char option[], const char spec[], const char default_path[],
                                      PetscInt *N)
{
  PetscInt cols;

  PetscFunctionBegin;
  PetscCall(NdReadMatrixShape(comm, option, spec, default_path, N, &cols));
  PetscCheck(*N == cols, comm, PETSC_ERR_USER_INPUT,
             "%s: the matrix %s is %" PetscInt_FMT " x %" PetscInt_FMT "; it must be square (N x N)", option, spec, *N,
             cols);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdReadSlab1D(hid_t group, const char name[], hid_t type, hsize_t start, hsize_t count, void *buf)
{
  hid_t d, space, mem;

  PetscFunctionBegin;
  NdCallHDF5Return(d, H5Dopen2(group, name, H5P_DEFAULT));
  NdCallHDF5Return(space, H5Dget_space(d));
  if (count)
    NdCallHDF5(H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, NULL, &count, NULL));
  else
    NdCallHDF5(H5Sselect_none(space));
  NdCallHDF5Return(mem, H5Screate_simple(1, count ? &count : (hsize_t[]){1}, NULL));
  if (!count) NdCallHDF5(H5Sselect_none(mem));
  NdCallHDF5(H5Dread(d, type, mem, space, H5P_DEFAULT, buf));
  NdCallHDF5(H5Sclose(mem));
  NdCallHDF5(H5Sclose(space));
  NdCallHDF5(H5Dclose(d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Whether the CSR group of spec holds an array 'name' beside data (rank 0 looks; all get the answer) */
PetscErrorCode NdReadMatrixHasArray(MPI_Comm comm, const char spec[], const char default_path[], const char name[],
                                    PetscBool *has)
{
  char        file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN];
  PetscMPIInt rank;
  int         found = 0;

  PetscFunctionBegin;
  PetscCall(NdSplitFileSpec(spec, default_path, file, path, sizeof(file)));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f >= 0) {
      hid_t obj = H5Oopen(f, path, H5P_DEFAULT);
      if (obj >= 0) {
        found = H5Iget_type(obj) == H5I_GROUP && H5Lexists(obj, name, H5P_DEFAULT) > 0;
        H5Oclose(obj);
      }
      H5Fclose(f);
    }
  }
  PetscCallMPI(MPI_Bcast(&found, 1, MPI_INT, 0, comm));
  *has = (PetscBool)found;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rows [rstart, rstart + n) of an HDF5 CSR group or dense dataset (see NdReadMatrixRows) */
static PetscErrorCode NdReadHDF5Rows(MPI_Comm comm, const char option[], const char file[], const char path[],
                                     const char values[], PetscInt N, PetscInt rstart, PetscInt n, PetscInt **ia,
                                     PetscInt **ja, PetscScalar **va, PetscInt bad[3])
{
  hid_t f, obj;

  PetscFunctionBegin;
  NdCallHDF5Return(f, H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT));
  NdCallHDF5Return(obj, H5Oopen(f, path, H5P_DEFAULT));
  PetscCall(PetscMalloc1(n + 1, ia));
  if (H5Iget_type(obj) == H5I_GROUP) {
    long long *ptr, first, nnz;
    long long *cols;
    PetscCall(PetscMalloc1(n + 1, &ptr));
    PetscCall(NdReadSlab1D(obj, "indptr", H5T_NATIVE_LLONG, (hsize_t)rstart, (hsize_t)n + 1, ptr));
    PetscCall(NdCheckRowPointers(comm, option, file, path, rstart, n, ptr, (long long)NdDatasetLength(obj, "indices")));
    first = ptr[0];
    nnz   = ptr[n] - first;
    PetscCall(PetscMalloc1(nnz, &cols));
    PetscCall(PetscMalloc1(nnz, ja));
    PetscCall(PetscMalloc1(nnz, va));
    PetscCall(NdReadSlab1D(obj, "indices", H5T_NATIVE_LLONG, (hsize_t)first, (hsize_t)nnz, cols));
    bad[1] = NdDatasetLength(obj, values) != NdDatasetLength(obj, "indices");
    if (!bad[1]) PetscCall(NdReadSlab1D(obj, values, H5T_NATIVE_DOUBLE, (hsize_t)first, (hsize_t)nnz, *va));
    for (PetscInt r = 0; r <= n; r++) (*ia)[r] = (PetscInt)(ptr[r] - first);
    for (long long k = 0; k < nnz; k++) {
      if (cols[k] < 0 || cols[k] >= N) bad[0] = 1;
      if (!bad[1] && PetscIsInfOrNanReal((*va)[k])) bad[2] = 1;
      (*ja)[k] = (PetscInt)cols[k];
    }
    PetscCall(PetscFree(ptr));
    PetscCall(PetscFree(cols));
  } else { /* dense rows, stored without their zeros */
    hid_t    space, mem;
    hsize_t  start[2] = {(hsize_t)rstart, 0}, count[2] = {(hsize_t)n, (hsize_t)N};
    double  *rows;
    PetscInt nnz = 0;
    PetscCall(PetscMalloc1((size_t)n * N + 1, &rows));
    NdCallHDF5Return(space, H5Dget_space(obj));
    NdCallHDF5(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL));
    NdCallHDF5Return(mem, H5Screate_simple(2, count, NULL));
    NdCallHDF5(H5Dread(obj, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, rows));
    NdCallHDF5(H5Sclose(mem));
    NdCallHDF5(H5Sclose(space));
    for (PetscInt k = 0; k < n * N; k++) {
      nnz += rows[k] != 0.0;
      if (PetscIsInfOrNanReal(rows[k])) bad[2] = 1;
    }
    PetscCall(PetscMalloc1(nnz, ja));
    PetscCall(PetscMalloc1(nnz, va));
    nnz      = 0;
    (*ia)[0] = 0;
    for (PetscInt r = 0; r < n; r++) {
      for (PetscInt c = 0; c < N; c++)
        if (rows[r * N + c] != 0.0) {
          (*ja)[nnz]   = c;
          (*va)[nnz++] = rows[r * N + c];
        }
      (*ia)[r + 1] = nnz;
    }
    PetscCall(PetscFree(rows));
  }
  NdCallHDF5(H5Oclose(obj));
  NdCallHDF5(H5Fclose(f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rows [rstart, rstart + n) as local CSR with global columns: each rank opens the file read-only
   and reads its slab; values from the array 'values' of a CSR group ("data", or another aligned
   array such as "delays"), from a dense dataset, or from a PETSc binary matrix. Column indices out
   of range are a collective error. */
PetscErrorCode NdReadMatrixRows(MPI_Comm comm, const char option[], const char spec[], const char default_path[],
                                const char values[], PetscInt N, PetscInt rstart, PetscInt n, PetscInt **ia,
                                PetscInt **ja, PetscScalar **va)
{
  char        file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN];
  PetscMPIInt rank;
  int         binary;
  /* problems found by this rank: column out of range, aligned array of another length, non-finite value */
  PetscInt bad[3] = {0, 0, 0}, anybad[3];

  PetscFunctionBegin;
  PetscCall(NdSplitFileSpec(spec, default_path, file, path, sizeof(file)));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  binary = rank == 0 && NdIsPetscBinaryMatrix(file);
  PetscCallMPI(MPI_Bcast(&binary, 1, MPI_INT, 0, comm));
  if (binary) {
    PetscCheck(!strcmp(values, "data"), comm, PETSC_ERR_ARG_WRONG, "a PETSc binary matrix has no array %s", values);
    PetscCall(NdReadPetscBinaryRows(file, N, rstart, n, ia, ja, va, bad));
  } else
    PetscCall(NdReadHDF5Rows(comm, option, file, path, values, N, rstart, n, ia, ja, va, bad));
  PetscCallMPI(MPI_Allreduce(bad, anybad, 3, MPIU_INT, MPI_MAX, comm));
  PetscCheck(!anybad[0], comm, PETSC_ERR_USER_INPUT, "%s: %s has column indices outside [0, %" PetscInt_FMT ")", option,
             spec, N);
  PetscCheck(!anybad[1], comm, PETSC_ERR_USER_INPUT, "%s: in %s the array %s and indices differ in length", option,
             spec, values);
  PetscCheck(!anybad[2], comm, PETSC_ERR_USER_INPUT, "%s: %s has values that are not finite (NaN or Inf)%s%s", option,
             spec, strcmp(values, "data") ? " in " : "", strcmp(values, "data") ? values : "");
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdMatrixRowsSumDuplicates(PetscInt n, PetscInt ia[], PetscInt ja[], PetscScalar va[],
                                         PetscInt *nduplicates)
{
  PetscInt nnz = 0;

  PetscFunctionBegin;
  *nduplicates = 0;
  for (PetscInt r = 0, start = ia[0]; r < n; r++) {
    PetscInt end = ia[r + 1], first = nnz; /* this row's entries are [start, end); they go to [first, nnz) */
    PetscCall(PetscSortIntWithScalarArray(end - start, ja + start, va + start));
    for (PetscInt k = start; k < end; k++) {
      if (nnz > first && ja[nnz - 1] == ja[k]) {
        va[nnz - 1] += va[k];
        (*nduplicates)++;
        continue;
      }
      ja[nnz]   = ja[k];
      va[nnz++] = va[k];
    }
    start     = end;
    ia[r + 1] = nnz;
  }
  ia[0] = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}
