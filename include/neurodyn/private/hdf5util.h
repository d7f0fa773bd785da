/* Checked HDF5 calls: a negative status becomes a PETSc error naming the call.
   The error is raised on PETSC_COMM_SELF even where the call is collective: a write can fail on
   one rank only (a full disk, a file system error), and its partners would then wait for it in
   the next collective call. The error handler (src/core/errors.c) reports it and aborts the job
   on every rank. Problems a user can cause (a missing file or dataset, wrong sizes) are checked
   before the HDF5 calls, collectively, and reported as clean errors. */
#ifndef NEURODYN_HDF5UTIL_H
#define NEURODYN_HDF5UTIL_H

#include <errno.h>
#include <string.h>
#include <hdf5.h>
#include <petscsys.h>

/* errno, reset before the call, names what the system refused when HDF5 failed in a system call
   (ENOSPC: the disk is full); ENOMEM (HDF5's own allocation failed) is out of memory, which the
   error handler reports as such (src/core/errors.c) */
#define NdCheckHDF5(ok, call)                                                                                          \
  PetscCheck(ok, PETSC_COMM_SELF, errno == ENOMEM ? PETSC_ERR_MEM : PETSC_ERR_LIB, "HDF5 call failed: %s%s%s", call,   \
             errno ? ": " : "", errno ? strerror(errno) : "")

#define NdCallHDF5(call)                                                                                               \
  do {                                                                                                                 \
    herr_t nd_hdf5_status_;                                                                                            \
    errno           = 0;                                                                                               \
    nd_hdf5_status_ = (call);                                                                                          \
    NdCheckHDF5(nd_hdf5_status_ >= 0, #call);                                                                          \
  } while (0)

#define NdCallHDF5Return(result, call)                                                                                 \
  do {                                                                                                                 \
    errno    = 0;                                                                                                      \
    (result) = (call);                                                                                                 \
    NdCheckHDF5((result) >= 0, #call);                                                                                 \
  } while (0)

/* Whether an open dataset holds real numbers, integers or floating point, which HDF5 converts to
   double or int64 on reading (strings, compounds such as complex numbers and the like it cannot) */
static inline PetscBool NdHDF5DatasetIsReal(hid_t dataset)
{
  hid_t       type = H5Dget_type(dataset);
  H5T_class_t c    = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;

  if (type >= 0) H5Tclose(type);
  return (PetscBool)(c == H5T_INTEGER || c == H5T_FLOAT);
}

#endif
