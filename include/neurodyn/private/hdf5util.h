/* Checked HDF5 calls: a negative status becomes a PETSc error naming the call. */
#ifndef NEURODYN_HDF5UTIL_H
#define NEURODYN_HDF5UTIL_H

#include <hdf5.h>
#include <petscsys.h>

#define NdCallHDF5(comm, call)                                                                                         \
  do {                                                                                                                 \
    herr_t nd_hdf5_status_ = (call);                                                                                   \
    PetscCheck(nd_hdf5_status_ >= 0, (comm), PETSC_ERR_LIB, "HDF5 call failed: %s", #call);                            \
  } while (0)

#define NdCallHDF5Return(comm, result, call)                                                                           \
  do {                                                                                                                 \
    (result) = (call);                                                                                                 \
    PetscCheck((result) >= 0, (comm), PETSC_ERR_LIB, "HDF5 call failed: %s", #call);                                   \
  } while (0)

#endif
