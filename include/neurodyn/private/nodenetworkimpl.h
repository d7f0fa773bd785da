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

/* Conduction delays: coupling_i(t) = sum_j W_ij x_j[out](t - tau_ij). Each rank keeps a ring
   buffer of the coupled variable at the sources its rows need, one entry per fixed time step dt
   (every tau_ij a positive multiple of dt); within a step the delayed value is interpolated
   linearly between the stored step states, so RK stages see a second-order-accurate history. */
typedef struct {
  PetscInt   nlocal, nedges; /* local rows; their nonzeros */
  PetscInt  *ia, *col;       /* local CSR: row pointers, index into the gathered sources */
  PetscReal *w, *tau;        /* weight and delay (time units) of each edge */
  PetscInt  *steps;          /* tau / dt */
  PetscInt   nsrc;           /* distinct sources of the local rows */
  VecScatter gather;         /* x[out] (distributed like W's columns) -> the local sources */
  Vec        src;            /* the gathered sources */
  PetscInt   nslots, head;   /* ring buffer of nslots states; head holds the newest, at t0 + n_head dt */
  PetscInt   n_head;
  PetscReal *history, dt, t0;
  PetscBool  started;
} NdNodeDelays;

/* The delays of W's local rows: uniform (tau > 0) or read from file.h5:/path (a matrix with an
   entry for every connection of W) */
PETSC_EXTERN PetscErrorCode NdNodeDelaysCreate(Mat, PetscReal, const char[], NdNodeDelays **);
/* Before an integration with fixed step dt from state x[out] (constant initial history) */
PETSC_EXTERN PetscErrorCode NdNodeDelaysBegin(NdNodeDelays *, MPI_Comm, PetscReal, PetscReal, Vec);
/* After a step that ended at t with state x[out] */
PETSC_EXTERN PetscErrorCode NdNodeDelaysPush(NdNodeDelays *, MPI_Comm, PetscReal, Vec);
/* coupling[i] = sum_j W_ij x_j[out](t - tau_ij) for the local rows, t within the current step */
PETSC_EXTERN PetscErrorCode NdNodeDelaysApply(NdNodeDelays *, MPI_Comm, PetscReal, PetscScalar[]);
PETSC_EXTERN PetscErrorCode NdNodeDelaysDestroy(NdNodeDelays **);

#endif
