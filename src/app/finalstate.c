/* The state a simulate run ended in, as the start of another computation (continue -cont_start,
   spectrum -spec_start, response -resp_start, covariance -cov_start) */
#include <neurodyn/app.h>
#include <neurodyn/private/hdf5util.h>

/* x <- the last sample of /timeseries/<variable> of a simulate output; each rank reads the
   columns of its own nodes. Internal variables, which are not recorded, keep their values. */
PetscErrorCode NdReadFinalState(NdSystem sys, const char file[], const char option[], Vec x)
{
  MPI_Comm     comm = PetscObjectComm((PetscObject)sys);
  PetscMPIInt  rank;
  char         msg[PETSC_MAX_PATH_LEN + 256] = "";
  PetscInt     nvar, nnodes, nlocal, start;
  PetscScalar *xa;
  hid_t        f;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(NdSystemGetNumVariables(sys, &nvar));
  PetscCall(NdSystemGetNodes(sys, &nnodes, &nlocal, &start));
  if (rank == 0) { /* every problem with the file, reported once and collectively */
    f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: cannot open '%s' as HDF5", option, file));
    for (PetscInt i = 0; i < nvar && f >= 0 && !msg[0]; i++) {
      const char *name;
      char        path[128];
      hid_t       d, space;
      hsize_t     dims[2] = {0, 1};
      int         nd;
      PetscBool   recorded;
      PetscCall(NdSystemGetVariableRecorded(sys, i, &recorded));
      if (!recorded) continue;
      PetscCall(NdSystemGetVariableName(sys, i, &name));
      PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", name));
      if (H5Lexists(f, "/timeseries", H5P_DEFAULT) <= 0 || H5Lexists(f, path, H5P_DEFAULT) <= 0) {
        PetscCall(PetscSNPrintf(msg, sizeof(msg),
                                "%s: '%s' has no %s (is it the output of a simulate run of the same system?)", option,
                                file, path));
        break;
      }
      d     = H5Dopen2(f, path, H5P_DEFAULT);
      space = H5Dget_space(d);
      nd    = H5Sget_simple_extent_ndims(space);
      H5Sget_simple_extent_dims(space, dims, NULL);
      if (dims[0] == 0 || (nd == 1 ? 1 : (PetscInt)dims[1]) != nnodes)
        PetscCall(PetscSNPrintf(
            msg, sizeof(msg), "%s: %s in '%s' has %llu samples of %llu nodes; the system has %" PetscInt_FMT " nodes",
            option, path, file, (unsigned long long)dims[0], (unsigned long long)(nd == 1 ? 1 : dims[1]), nnodes));
      H5Sclose(space);
      H5Dclose(d);
    }
    if (f >= 0) H5Fclose(f);
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  NdCallHDF5Return(f, H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT));
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt i = 0; i < nvar && nlocal > 0; i++) {
    const char *name;
    char        path[128];
    hid_t       d, space, mem;
    hsize_t     dims[2], offset[2], count[2] = {1, (hsize_t)nlocal};
    double     *buf;
    int         nd;
    PetscBool   recorded;
    PetscCall(NdSystemGetVariableRecorded(sys, i, &recorded));
    if (!recorded) continue;
    PetscCall(NdSystemGetVariableName(sys, i, &name));
    PetscCall(PetscSNPrintf(path, sizeof(path), "/timeseries/%s", name));
    NdCallHDF5Return(d, H5Dopen2(f, path, H5P_DEFAULT));
    NdCallHDF5Return(space, H5Dget_space(d));
    nd = H5Sget_simple_extent_ndims(space);
    NdCallHDF5(H5Sget_simple_extent_dims(space, dims, NULL));
    offset[0] = dims[0] - 1;
    offset[1] = (hsize_t)start;
    NdCallHDF5(H5Sselect_hyperslab(space, H5S_SELECT_SET, offset, NULL, count, NULL));
    NdCallHDF5Return(mem, H5Screate_simple(1, &count[1], NULL));
    PetscCall(PetscMalloc1(nlocal, &buf));
    (void)nd;
    NdCallHDF5(H5Dread(d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buf));
    for (PetscInt n = 0; n < nlocal; n++) xa[n * nvar + i] = buf[n];
    PetscCall(PetscFree(buf));
    NdCallHDF5(H5Sclose(mem));
    NdCallHDF5(H5Sclose(space));
    NdCallHDF5(H5Dclose(d));
  }
  PetscCall(VecRestoreArray(x, &xa));
  NdCallHDF5(H5Fclose(f));
  PetscFunctionReturn(PETSC_SUCCESS);
}
