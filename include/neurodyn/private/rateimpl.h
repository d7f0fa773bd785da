/* The rate network system type (src/system/impls/rate/): its connectivity options and builders. */
#ifndef NEURODYN_RATEIMPL_H
#define NEURODYN_RATEIMPL_H

#include <neurodyn/private/systemimpl.h>

typedef enum { ND_RATE_GAUSSIAN, ND_RATE_SPARSE, ND_RATE_EI, ND_RATE_LOWRANK, ND_RATE_FILE } NdRateConnectivity;

/* How the unit-gain connectivity J0 (J = g J0) is made: MODELS.md section 5 */
typedef struct {
  NdRateConnectivity type;
  PetscInt           N;                        /* number of neurons (0: from the file) */
  PetscInt           K;                        /* inputs per neuron (sparse, ei) */
  PetscInt64         seed;                     /* Philox key */
  PetscReal          fE;                       /* fraction of excitatory neurons (ei) */
  PetscReal          m;                        /* strength of the rank-one part (lowrank) */
  char               file[PETSC_MAX_PATH_LEN]; /* file.h5:/path (file) */
} NdRateConnectivitySpec;

/* J0 as an MPIAIJ matrix distributed by rows (PetscSplitOwnership of N), always holding its
   diagonal (explicit zeros if need be) so that -1 + g J0 D has the pattern of J0. */
PETSC_EXTERN PetscErrorCode NdRateBuildConnectivity(MPI_Comm, const NdRateConnectivitySpec *, Mat *);
/* The size N of the square matrix named by file.h5:/path, checked on rank 0; messages name the
   option that gave the file (also used by node_network) */
PETSC_EXTERN PetscErrorCode NdRateReadConnectivitySize(MPI_Comm, const char[], const char[], PetscInt *);
/* Rows [rstart, rstart + nlocal) of the N x N matrix in file.h5:/path as local CSR with global columns */
PETSC_EXTERN PetscErrorCode NdRateReadConnectivityRows(MPI_Comm, const char[], const char[], PetscInt, PetscInt,
                                                       PetscInt, PetscInt **, PetscInt **, PetscScalar **);

#endif
