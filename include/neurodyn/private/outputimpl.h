#ifndef NEURODYN_OUTPUTIMPL_H
#define NEURODYN_OUTPUTIMPL_H

#include <petsc/private/petscimpl.h>
#include <petscviewerhdf5.h>
#include <neurodyn/output.h>
#include <neurodyn/private/hdf5util.h>

typedef struct _NdOutputOps *NdOutputOps;
struct _NdOutputOps {
  PetscErrorCode (*destroy)(NdOutput); /* one format (HDF5) for now; the table is where others would go */
};

struct _p_NdOutput {
  PETSCHEADER(struct _NdOutputOps);
  char         filename[PETSC_MAX_PATH_LEN];
  PetscBool    overwrite; /* an existing file may be replaced (else opening it is an error) */
  PetscViewer  viewer;    /* PETSc's HDF5 viewer: the file, opened collectively with MPI-IO */
  hid_t        file;
  int          argc;
  char *const *argv;
  char         time_unit[32]; /* resolves units declared as "T", "1/T", "rad/T" (empty: written as declared) */
};

/* The units attribute of a dataset, resolved against the output's time unit */
PETSC_EXTERN PetscErrorCode NdOutputWriteUnits(NdOutput, hid_t, const char[]);

PETSC_EXTERN PetscErrorCode NdHDF5WriteStringAttribute(hid_t, const char[], const char[]);

/* The group at path, created with its parents when missing (collective) */
PETSC_EXTERN PetscErrorCode NdOutputOpenGroup(NdOutput, const char[], hid_t *);

#endif
