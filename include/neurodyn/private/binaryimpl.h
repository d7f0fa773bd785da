#ifndef NEURODYN_BINARYIMPL_H
#define NEURODYN_BINARYIMPL_H

#include <petsc/private/petscimpl.h>
#include <petscviewer.h>
#include <slepceps.h>
#include <neurodyn/binary.h>
#include <neurodyn/checkpoint.h>

/* The noise types: activation and density are plain functions (called per state and neuron in
   the hot loops, so no error codes); neuron i's noise has the scale noise_scale[i] (docs/models/binary.md:
   sigma_i, F_i per neuron). */
typedef struct _NdBinaryOps *NdBinaryOps;
struct _NdBinaryOps {
  PetscReal (*activation)(NdBinary, PetscInt, PetscReal); /* P(V_i >= theta_i) of neuron i given x = mu_i - theta_i */
  PetscReal (*density)(NdBinary, PetscInt, PetscReal);    /* density of neuron i's noise term (NULL: none) */
  PetscReal (*variance)(NdBinary, PetscInt);              /* variance of neuron i's noise term */
};

struct _p_NdBinary {
  PETSCHEADER(struct _NdBinaryOps);
  PetscInt       N;         /* neurons */
  PetscInt       npop;      /* populations: contiguous blocks of neurons */
  PetscInt      *pop_size;  /* npop */
  PetscInt      *pop;       /* N: population of each neuron */
  PetscReal     *J;         /* N x N row-major, zero diagonal; replicated on every rank */
  PetscReal     *theta;     /* N */
  PetscReal     *stim;      /* N: the stimuli I_i */
  PetscInt       npatterns; /* patterns (0/1 rows of length N) to test or to store (Hopfield) */
  PetscReal     *patterns;
  NdBinaryUpdate update;
  PetscReal     *noise_scale;  /* N: temperature (logistic) or standard deviation (gaussian) of each neuron */
  const char    *noise_option; /* the option that sets it (-bin_temperature, -bin_sigma; NULL: no noise) */
  const char    *noise_name;   /* its name (temperature, sigma) and the distribution's, for View */
  const char    *noise_label;
  PetscReal      memory_limit_mb;
  char           source[PETSC_MAX_PATH_LEN]; /* where J came from, for View and /binary */
  /* options of the analyses */
  PetscInt  nsweep_min, nsweep_max;       /* given box of the stimulus sweep (0: automatic) */
  PetscReal sweep_min[3], sweep_max[3];   /* at most 2 populations; the third slot catches a longer list */
  PetscBool cycles, cycles_set;           /* find the cycles (default: N <= 16 in 1-D, 12 in 2-D) */
  PetscInt  potential_bins;               /* grid of the membrane-potential densities */
  PetscBool third_order, third_order_set; /* third-order correlations (default: N <= 16) */
  EPS       eps;                          /* the eigensolver of the stationary distribution (-eps_*) */
  PetscBool setupcalled;
};

/* s -> the stimulus-free input sum_{j != i} J_ij nu_j(s) for all i, computed by table look-up:
   h = low[s & mask] + high part, both tables summed directly (no running sums that drift). */
typedef struct {
  PetscInt   N, nlow;
  PetscReal *low; /* 2^nlow x N */
} NdBinaryFieldTable;

PETSC_EXTERN PetscErrorCode NdBinaryFieldTableCreate(NdBinary, NdBinaryFieldTable *);
PETSC_EXTERN PetscErrorCode NdBinaryFieldTableDestroy(NdBinaryFieldTable *);
/* high[i] = sum over the bits of s above nlow; call once per block of 2^nlow states */
PETSC_EXTERN void NdBinaryFieldHigh(NdBinary, const NdBinaryFieldTable *, uint64_t, PetscReal[]);

/* The deterministic synchronous map on [start, end), extra stimulus per population (or NULL) */
PETSC_EXTERN PetscErrorCode NdBinarySynchronousMap(NdBinary, const NdBinaryFieldTable *, const PetscReal[], uint64_t,
                                                   uint64_t, uint32_t[]);

/* The cycles (length >= 2) of the deterministic synchronous map that exist somewhere in the box
   [smin, smax) of extra stimuli per population (infinite bounds allowed), found exactly by a
   sweep over the breakpoints of the map (src/binary/interface/cycles.c); identical on every rank. */
typedef struct {
  PetscInt    n;             /* cycles, in (length, states) order */
  PetscInt64 *offset;        /* n + 1: cycle c is state[offset[c] .. offset[c + 1]) */
  int64_t    *state;         /* each cycle from its smallest state, in the order of the map */
  PetscReal  *lower, *upper; /* n x populations: the exact box where each cycle exists */
} NdBinaryCycles;

PETSC_EXTERN PetscErrorCode NdBinaryFindCycles(NdBinary, const PetscReal[], const PetscReal[], NdBinaryCycles *);
PETSC_EXTERN PetscErrorCode NdBinaryCyclesDestroy(NdBinaryCycles *);
PETSC_EXTERN PetscLogDouble NdBinaryCyclesMemory(NdBinary);

/* States come in aligned blocks of 2^NdBinaryBlockBits() that share their high bits */
PETSC_EXTERN PetscInt NdBinaryBlockBits(NdBinary);

/* Row-block layout of the 2^N states over the ranks: [start, end) on this rank */
PETSC_EXTERN PetscErrorCode NdBinaryStateRange(NdBinary, uint64_t *, uint64_t *);

#endif
