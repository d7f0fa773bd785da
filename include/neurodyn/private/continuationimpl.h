#ifndef NEURODYN_CONTINUATIONIMPL_H
#define NEURODYN_CONTINUATIONIMPL_H

#include <petsc/private/petscimpl.h>
#include <petscsnes.h>
#include <neurodyn/continuation.h>
#include <neurodyn/spectrum.h>
#include <neurodyn/private/borderedimpl.h>
#include <neurodyn/checkpoint.h>

/* A labelled point of a branch: LP fold, HB Hopf, CP cusp (turning point of a fold curve in
   the second parameter), BP branch point, BT Bogdanov-Takens, GH generalised Hopf (l1 = 0 on a
   Hopf curve); on cycles LPC fold, PD period
   doubling, NS torus; EP end point, MX the step fell below its minimum */
typedef struct {
  char      label[4];
  PetscInt  branch, row;     /* /branch/<branch>, row of its datasets */
  PetscReal lambda, p1;      /* continuation parameter; first parameter on fold curves */
  PetscReal norm, omega;     /* state norm; Hopf frequency (imaginary part) */
  PetscReal l1;              /* HB: the first Lyapunov coefficient (NaN elsewhere) */
  Vec       y, ty;           /* the point and its tangent (kept for LP, to start fold curves) */
  PetscBool restart_vectors; /* y and ty are in the restart file, to be read with the branch's layout */
} NdSpecialPoint;

/* What a branch is made of: equilibria (eigenvalues of the Jacobian), fold or Hopf points in
   two parameters (a turning point in the second parameter is labelled CP), periodic orbits
   (Floquet multipliers), folds of cycles in two parameters (a turning point: CPC) */
/* a trivial Floquet multiplier farther than this from 1: the multipliers say nothing of stability
   (near a fold of cycles the double multiplier 1 splits by ~0.1 on good meshes; coarse meshes of
   slow-fast orbits give none within 0.9 of 1) */
#define ND_FLOQUET_UNRELIABLE 0.25

typedef enum {
  ND_BRANCH_EQUILIBRIUM,
  ND_BRANCH_FOLD,
  ND_BRANCH_HOPF,
  ND_BRANCH_PERIODIC,
  ND_BRANCH_CYCLE_FOLD
} NdBranchKind;

/* A point of a branch with its tangent and test functions */
typedef struct _NdBranchPoint {
  Vec       y, ty;
  PetscReal lambda, tl, norm, p1; /* p1: the first parameter of fold curves, the period of orbits */
  PetscReal aux;                  /* amplitude of periodic orbits, frequency on Hopf curves, period on LPC curves */
  PetscReal aux2;                 /* periodic orbits: distance of the trivial multiplier from 1 */
  PetscInt  nunstable_real, nunstable_complex, nunstable_negative; /* outside the unit circle for multipliers */
  PetscReal hopf_test, omega;
  PetscReal real_test; /* the real eigenvalue nearest zero: its sign change is a branch point */
} NdBranchPoint;

/* Where the run stood at a checkpoint: the branch in progress, its rows, steps and step size */
typedef struct {
  PetscInt  branch, rows, step;
  PetscReal ds;
} NdBranchPosition;

typedef struct _NdContinuationOps *NdContinuationOps;
struct _NdContinuationOps {
  PetscErrorCode (*setfromoptions)(NdContinuation, NdOptionItems);
  PetscErrorCode (*setup)(NdContinuation);
  PetscErrorCode (*createsolvers)(NdContinuation); /* the type's own solvers, configured from the options */
  PetscErrorCode (*solve)(NdContinuation, Vec);
  /* the branch problem H(y, lambda) = 0 */
  PetscErrorCode (*residual)(NdContinuation, Vec, PetscReal, Vec);
  PetscErrorCode (*jacobian)(NdContinuation, Vec, PetscReal, Mat *, Vec);
  PetscErrorCode (*state)(NdContinuation, Vec, Vec, PetscReal *); /* y -> system state x, first parameter */
  PetscErrorCode (*acceptpoint)(NdContinuation, Vec, Vec,
                                PetscReal);                 /* y, its tangent (both may be changed: a new mesh) */
  PetscErrorCode (*extrema)(NdContinuation, Vec, Vec, Vec); /* periodic orbits: max and min of each variable */
  /* periodic orbits: the orbit of y at its mesh points (component-major, the type's vector) and
     the points' times as fractions of the period (the type's array); y NULL: only the vector and
     array, for their sizes */
  PetscErrorCode (*profile)(NdContinuation, Vec, Vec *, PetscReal **);
  PetscErrorCode (*spectrum)(NdContinuation, Vec, PetscReal); /* fills eig_re/eig_im at a point */
  PetscErrorCode (*special)(NdContinuation, const char[], const struct _NdBranchPoint *); /* a point labelled */
  /* orbits that shrank to an equilibrium: (y, lambda) replaced by the Hopf point there, as an
     orbit of zero amplitude (found false: no Hopf point near) */
  PetscErrorCode (*hopfend)(NdContinuation, Vec, PetscReal *, PetscBool *);
  PetscErrorCode (*view)(NdContinuation, PetscViewer);
  PetscErrorCode (*destroy)(NdContinuation);
};

struct _p_NdContinuation {
  PETSCHEADER(struct _NdContinuationOps);
  NdSystem  sys;
  NdOutput  out;
  PetscBool setupcalled, quiet;
  PetscBool stop; /* set by the type at a labelled point: the branch ends there, and no other starts */
  const char *
      turn_label; /* the type's label of a turning point of a curve in its second parameter ("": none; NULL: by kind) */
  /* options */
  char      param[64], param2[64];
  PetscInt  ip, ip2; /* parameter indices in the system */
  PetscReal pmin, pmax, p2min, p2max;
  PetscReal ds, ds_min, ds_max, locate_tol;
  PetscReal residual_tol,
      residual;      /* a corrected point's largest residual must be below residual_tol; the last one's */
  char failure[192]; /* why the last correction failed, for messages ("" after a success) */
  /* a special point whose location failed in this step: the branch ends at its last point (no
     label is placed after it); where, and why (the failure above, kept) */
  PetscBool locate_failed;
  PetscReal locate_lambda;
  char      locate_failure[192];
  PetscReal progress;        /* seconds between progress lines of a long branch (0: none) */
  PetscReal min_tangent_dot; /* a step whose tangent turned further (cosine below this) is halved */
#define ND_MAX_USER_POINTS 64
  PetscReal user[ND_MAX_USER_POINTS]; /* -cont_user_points: values of the continuation parameter labelled UZ */
  PetscInt  nuser;
  PetscReal s_last; /* arclength (from its base) of the last point a location computed */
  PetscInt  max_steps, nev, direction, store_state_max, start_index;
  /* the current branch: unknowns y, continuation parameter lambda and its bounds */
  PetscInt     lambda_index;
  NdBranchKind kind;
  PetscReal    lambda_min, lambda_max, weight; /* weight = 1/dim(y): the arclength norm */
  Vec          y, ty, ypred, x, U, R, Hl;
  PetscReal    lambda, tl, lambda_pred;
  Mat          Hy, M;
  SNES         snes;
  KSP          ksp_tangent;
  EPS          eps;
  Vec         *warm; /* eigenvectors of the previous point: the next solve's initial space */
  PetscInt     nwarm;
  PetscReal   *eig_re, *eig_im; /* nev eigenvalues at the last analysed point */
  PetscReal    aux;  /* per-point scalar set by the type: amplitude of periodic orbits, frequency on Hopf curves */
  PetscReal    aux2; /* periodic orbits: distance of the trivial multiplier from 1 */
  PetscReal    multiplier_tol; /* a multiplier counts as outside the unit circle beyond 1 + this */
  PetscInt     trivial_index;  /* periodic orbits: index of the trivial multiplier, or -1: the one nearest 1 */
  /* orbits of the branch whose trivial multiplier is off by more than ND_FLOQUET_UNRELIABLE (no
     multiplier near 1: a mesh too coarse for them), the first one's parameter, the largest error */
  PetscInt        unreliable;
  PetscReal       unreliable_lambda, unreliable_error;
  PetscInt        nbranch;
  PetscInt        nspecial;
  NdSpecialPoint *special;
  /* checkpoints (checkpoint.c): of the object given an output, every checkpoint_interval new
     rows and on SIGTERM/SIGUSR1 (signum: the signal that stopped the run) */
  PetscInt           checkpoint_interval, rows_at_checkpoint;
  PetscBool          checkpointing;
  int                signum;
  PetscInt          *branch_rows; /* rows of each finished branch */
  NdCheckpointReader restart;     /* the run continues from it */
  NdBranchPosition   resume;
  void              *data;        /* the type's */
  void              *data_engine; /* the engine's (branch.c) */
};

/* A branch to follow later from a labelled point (the other branch at a BP of equilibria, the
   period-doubled one at a PD of cycles): its first point and unit tangent, the parameter value;
   for cycles also the mesh t of the point (ntst + 1 values) and how many doublings led to it */
typedef struct {
  Vec        y, ty;
  PetscReal  lambda, tl;
  PetscReal *t;
  PetscInt   generation;
} NdPendingBranch;

/* The engine (src/continuation/interface/branch.c) */
PETSC_EXTERN PetscErrorCode NdBranchCreateSolvers(NdContinuation, PetscInt);
PETSC_EXTERN PetscErrorCode NdBranchSetUp(NdContinuation, Vec);
PETSC_EXTERN PetscErrorCode NdBranchReset(NdContinuation);
PETSC_EXTERN PetscErrorCode NdBranchCorrectAtFixedParameter(NdContinuation, Vec, PetscReal, PetscBool *);
PETSC_EXTERN PetscErrorCode NdBranchRun(NdContinuation, Vec, PetscReal, Vec, PetscReal, PetscInt);
PETSC_EXTERN PetscErrorCode NdBranchRunDirections(NdContinuation, Vec, PetscReal);
PETSC_EXTERN PetscErrorCode NdBranchNormalizeTangent(NdContinuation, Vec, PetscReal *);
PETSC_EXTERN PetscErrorCode NdPendingBranchAdd(NdPendingBranch **, PetscInt *, Vec, PetscReal, NdPendingBranch **);
PETSC_EXTERN PetscErrorCode NdPendingBranchesDestroy(NdPendingBranch **, PetscInt *);
PETSC_EXTERN PetscErrorCode NdContinuationSecondParameterSetFromOptions(NdContinuation, NdOptionItems);
PETSC_EXTERN PetscErrorCode NdContinuationSecondParameterSetUp(NdContinuation);
PETSC_EXTERN PetscErrorCode NdContinuationFindStart(NdContinuation, Vec, const char[], NdContinuation *,
                                                    NdSpecialPoint **);
PETSC_EXTERN PetscErrorCode NdContinuationFindNearest(NdContinuation, Vec, const char[], PetscReal, PetscReal,
                                                      PetscReal, NdContinuation *, NdSpecialPoint **);
PETSC_EXTERN PetscErrorCode NdContinuationFirstLyapunovCoefficient(NdContinuation, Vec, PetscReal, PetscReal *);
PETSC_EXTERN PetscErrorCode NdContinuationHopfEigenvector(NdContinuation, const NdSpecialPoint *, Vec, Vec,
                                                          PetscReal *);
PETSC_EXTERN PetscErrorCode NdContinuationAddSpecialPoint(NdContinuation, const char[], PetscInt, PetscInt, PetscReal,
                                                          PetscReal, PetscReal, PetscReal, Vec, Vec);

/* Checkpoints (checkpoint.c) */
PETSC_EXTERN PetscErrorCode NdContinuationCheckpoint(NdContinuation, const NdBranchPosition *, const NdBranchPoint *);
PETSC_EXTERN PetscErrorCode NdContinuationRestartPoint(NdContinuation, NdBranchPoint *);
PETSC_EXTERN PetscErrorCode NdContinuationFinishBranch(NdContinuation, PetscInt, PetscInt);

/* Derivatives of the Jacobian by central differences (jacobianderivatives.c) */
PETSC_EXTERN PetscErrorCode NdJacobianDirectionalDerivative(NdSystem, Vec, Vec, Vec, Mat, Mat);
PETSC_EXTERN PetscErrorCode NdJacobianParameterDerivative(NdSystem, Vec, PetscInt, Mat, Mat);

/* Set a parameter of the system without re-validating the whole system (inside Newton loops) */
PETSC_EXTERN PetscErrorCode NdSystemSetParameterValue(NdSystem, PetscInt, PetscReal);
PETSC_EXTERN PetscErrorCode NdSystemGetParameterValue(NdSystem, PetscInt, PetscReal *);
PETSC_EXTERN PetscErrorCode NdSystemGetParameterRange(NdSystem, PetscInt, PetscReal *, PetscReal *);

#endif
