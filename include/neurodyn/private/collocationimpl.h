/* Orthogonal collocation of periodic orbits (src/continuation/impls/cycle).
   The orbit u(t), t in [0, 1] (time scaled by the period T), is a continuous piecewise
   polynomial of degree ncol on ntst mesh intervals [t_i, t_i+1]. On each interval it is held by
   its values at ncol + 1 equally spaced points (the first and last shared with the neighbours),
   so an orbit has np = ntst ncol + 1 points; the differential equation holds at the ncol
   Gauss-Legendre points of each interval (AUTO-07p's scheme, Doedel, Keller & Kernevez 1991). */
#ifndef NEURODYN_COLLOCATIONIMPL_H
#define NEURODYN_COLLOCATIONIMPL_H

#include <petscsys.h>
#include <neurodyn/private/continuationimpl.h>

#define ND_CYCLE_MAX_NCOL 7

typedef struct {
  PetscInt   ntst, ncol;
  PetscReal *t;                                          /* ntst + 1 mesh points, t_0 = 0, t_ntst = 1 */
  PetscReal  z[ND_CYCLE_MAX_NCOL], w[ND_CYCLE_MAX_NCOL]; /* Gauss-Legendre points and weights on [0, 1] */
  /* the Lagrange polynomials l_k (k = 0..ncol) of the nodes k/ncol: their values and first
     derivatives at the Gauss points, [m][k], and their ncol-th derivatives (constants) */
  PetscReal L[ND_CYCLE_MAX_NCOL][ND_CYCLE_MAX_NCOL + 1], dL[ND_CYCLE_MAX_NCOL][ND_CYCLE_MAX_NCOL + 1];
  PetscReal Dn[ND_CYCLE_MAX_NCOL + 1];
} NdCycleMesh;

PETSC_EXTERN PetscErrorCode NdCycleMeshCreate(PetscInt, PetscInt, NdCycleMesh *);
PETSC_EXTERN PetscErrorCode NdCycleMeshDestroy(NdCycleMesh *);
/* time of point j (0..np-1) of the orbit */
PETSC_EXTERN PetscReal NdCycleMeshPointTime(const NdCycleMesh *, PetscInt);
/* values of the nc components held component-major (component c: points c*np .. c*np+np-1) at time t */
PETSC_EXTERN void NdCycleMeshInterpolate(const NdCycleMesh *, PetscInt, const PetscScalar *, PetscReal, PetscScalar *);
/* A new mesh equidistributing the error estimate of the orbits u (the accepted solution); u and
   each of the nv vectors v are re-interpolated onto it in place (this rank's nc components) */
PETSC_EXTERN PetscErrorCode NdCycleMeshAdapt(MPI_Comm, NdCycleMesh *, PetscInt, PetscScalar *, PetscInt,
                                             PetscScalar *[]);
/* The orbit u traversed twice and the antiperiodic v continued as a periodic function, on a mesh
   of as many intervals (the start of a period-doubled branch) */
PETSC_EXTERN PetscErrorCode NdCycleMeshDouble(NdCycleMesh *, PetscInt, PetscScalar *, PetscScalar *);

/* The collocation type's data (cycle.c, multipliers.c). The unknowns y = (u, T) are laid out as
   an extended vector: this rank's nl components of the system at the np points, component-major
   (u[c np + j]), then the period on rank 0. Residual rows use the same layout: the collocation
   equations of interval i, Gauss point m in row c np + i ncol + m, periodicity in c np + np - 1,
   the phase condition in the period's slot. */
typedef struct {
  NdCycleMesh  mesh;
  PetscInt     ntst, ncol, adapt, dense_max, np, nl, lo, maxrow, accepted;
  PetscMPIInt  size, rank;
  PetscInt    *xstart, *ystart; /* ownership ranges of the system's state and of y (size + 1) */
  PetscInt     yT;              /* global index of the period */
  Vec          xz, fz, dfz;     /* system layout: the orbit at a collocation point, f and df/dp there */
  Mat          J;               /* the system's Jacobian */
  Vec          phase;           /* y layout: the phase row (the derivative of the reference orbit) */
  Vec          prof;            /* the orbit without its period: this rank's nl components at the np points */
  PetscReal   *proft;           /* the np points' times, fractions of the period */
  PetscInt    *cols;            /* work: one row's columns and values */
  PetscScalar *vals;
  /* Floquet multipliers (multipliers.c) */
  IS        isrow, iscol0, iscol1;
  Mat       A0, A1, mono;
  KSP       ksp;
  EPS       eps;
  Vec       w, w1, v0;
  PetscReal trivial_error;
  /* a recorded orbit to start from (NdContinuationSetStartOrbit): times and this rank's states */
  PetscInt   norbit;
  PetscReal *orbit_t;
  PetscReal *orbit_x; /* norbit x nl, row-major */
  /* -cont_switch_pd: doublings to follow; the branch's generation; the branches waiting */
  PetscInt         switch_pd, generation, npending;
  NdPendingBranch *pending;
  /* the first keep_folds points labelled keep_label (LPC or PD) of the branch, with their meshes
     (the start of a curve of them, cyclecurve.c); the continuation stops at the last */
  PetscInt    keep_folds;
  const char *keep_label;
  /* the Jacobian assembles the period-doubling operator instead: the linearised collocation
     equations with v(1) + v(0) = 0 and the identity in the period's row and column (cyclecurve.c) */
  PetscBool        flip;
  PetscInt         nfolds;
  NdPendingBranch *folds;
} NdContinuation_Cycle;

PETSC_EXTERN PetscErrorCode NdCycleGlobalIndex(const NdContinuation_Cycle *, PetscInt, PetscInt, PetscInt *);
PETSC_EXTERN PetscErrorCode NdCycleSetUpFactorization(KSP, Mat);
/* the phase condition's reference orbit (y layout; its period slot unused) */
PETSC_EXTERN PetscErrorCode NdCycleSetPhaseReference(NdContinuation, Vec);
PETSC_EXTERN PetscErrorCode NdCycleMultipliersSetUp(NdContinuation);
PETSC_EXTERN PetscErrorCode NdCycleMultipliers(NdContinuation, Vec, PetscReal);
PETSC_EXTERN PetscErrorCode NdCyclePeriodDoublingVector(NdContinuation, Vec, PetscReal, Vec, PetscReal *);
PETSC_EXTERN PetscErrorCode NdCycleMultipliersDestroy(NdContinuation_Cycle *);

#endif
