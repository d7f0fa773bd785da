/* The node_network system type (src/system/impls/node_network/): its connectome W. */
#ifndef NEURODYN_NODENETWORKIMPL_H
#define NEURODYN_NODENETWORKIMPL_H

#include <neurodyn/private/systemimpl.h>

typedef enum { ND_CONNECTOME_RING, ND_CONNECTOME_RANDOM, ND_CONNECTOME_FILE } NdConnectomeType;

/* How the connectome W (rows = target node, columns = source node) is made */
typedef struct {
  NdConnectomeType type;
  PetscInt         N;                        /* number of nodes (from the file for type file) */
  PetscInt         K;                        /* inputs per node (ring: K/2 neighbours on each side) */
  PetscInt64       seed;                     /* Philox key (random sources, weights) */
  PetscReal        spread;                   /* weights uniform in [(1 - spread)/K, (1 + spread)/K] */
  char             file[PETSC_MAX_PATH_LEN]; /* file.h5:/path (file) */
} NdConnectomeSpec;

/* W as an MPIAIJ matrix distributed by rows with PetscSplitOwnership of N: ring and random give
   every row K entries of weight 1/K (row sums 1; with a spread, uniform around 1/K), identical
   at any number of ranks; file reads
   a CSR group or dense dataset (DESIGN.md "Data inputs"), each rank its own rows. */
PETSC_EXTERN PetscErrorCode NdConnectomeBuild(MPI_Comm, const NdConnectomeSpec *, Mat *);

#endif
