/* Linearisation of a system at a fixed point (docs/models/rate.md): the fixed point by SNES,
   the spectrum of the Jacobian A by SLEPc, the linear response chi(omega) = (i omega - A)^{-1} u
   by KSP in real 2N x 2N form, and the stationary covariance from A C + C A^T + sigma^2 I = 0. */
#ifndef NEURODYN_SPECTRUM_H
#define NEURODYN_SPECTRUM_H

#include <petscsnes.h>
#include <slepceps.h>
#include <slepclme.h>
#include <neurodyn/system.h>

PETSC_EXTERN PetscLogEvent ND_EVENT_SPECTRUM; /* eigenvalues and linear solves at a fixed point or along a branch */
/* The spectrum component: its class, event and types (idempotent) */
PETSC_EXTERN PetscErrorCode NdSpectrumInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdSpectrumFinalizePackage(void);

/* x <- a fixed point F(x) = 0 found by Newton (SNES, -snes_* options) from the given x; A <- the
   Jacobian there (A from NdSystemCreateJacobianMatrix). A failed solve is a user-facing error. */
PETSC_EXTERN PetscErrorCode NdFixedPointCreateSNES(NdSystem, SNES *);
PETSC_EXTERN PetscErrorCode NdSystemSolveFixedPoint(NdSystem, SNES, Vec, Mat);

/* The radius ||A + 1||_F / sqrt(N) of the circular-law bulk of A = -1 + J D around -1: exact for
   large random J with i.i.d. entries (Girko), an estimate otherwise */
PETSC_EXTERN PetscErrorCode NdBulkRadius(Mat, PetscReal *);

/* An EPS on A: rightmost eigenvalues (nev 10 unless -eps_nev), or with all = TRUE the whole
   spectrum (dense LAPACK); -eps_* options apply (e.g. -eps_target with -st_type sinvert). */
PETSC_EXTERN PetscErrorCode NdSpectrumCreateEPS(MPI_Comm, PetscBool, EPS *);
/* An iterative eigensolve that a signal may interrupt: it ends early (EPS_CONVERGED_USER) when
   any rank has caught SIGTERM/SIGUSR1; the caller stops with NdSignalStop (checkpoint.h) */
PETSC_EXTERN PetscErrorCode NdEPSStopOnSignal(EPS);
PETSC_EXTERN PetscErrorCode NdSpectrumSetSize(EPS, PetscInt, PetscBool);

/* chi(omega) u: solves [[-A, -omega],[omega, -A]] [xr; xi] = [u; 0] with one KSP (-resp_ksp_*),
   preconditioned by the exact inverse of the omega block [[1, -omega],[omega, 1]] (reused
   at every frequency; no assembled 2N matrix is needed) */
typedef struct _n_NdResponse *NdResponse;
PETSC_EXTERN PetscErrorCode   NdResponseCreate(MPI_Comm, const char[], NdResponse *);
PETSC_EXTERN PetscErrorCode   NdResponseSetOperator(NdResponse, Mat);
PETSC_EXTERN PetscErrorCode   NdResponseSolve(NdResponse, PetscReal, Vec, Vec, Vec, PetscInt *);
/* many frequencies from one shared Krylov basis (multi-shift GMRES), then each solution */
PETSC_EXTERN PetscErrorCode NdResponseSolveShifts(NdResponse, PetscInt, const PetscReal[], Vec, PetscInt *);
PETSC_EXTERN PetscErrorCode NdResponseGetShiftSolution(NdResponse, PetscInt, Vec, Vec, Vec, PetscInt *, PetscInt *);
PETSC_EXTERN PetscErrorCode NdResponseDestroy(NdResponse *);

/* The whole of A as a dense column-major array on rank 0 (NULL elsewhere) */
PETSC_EXTERN PetscErrorCode NdMatGatherDense(Mat, PetscReal **);

/* Dense Bartels-Stewart (LAPACK gees + trsyl) for A C + C A^T + sigma^2 I = 0 on rank 0 (N up
   to a few thousand). C is returned on rank 0 only (column-major N x N; NULL elsewhere). */
PETSC_EXTERN PetscErrorCode NdLyapunovSolveDense(Mat, PetscReal, PetscReal **);
/* Noise sigma on the listed units only: the low-rank factor L of C = L L^T from SLEPc's LME
   (Krylov; created with the options -cov_lme_* by NdLyapunovCreateLME), a dense N x rank matrix
   distributed by rows like A */
PETSC_EXTERN PetscErrorCode NdLyapunovCreateLME(MPI_Comm, LME *);
PETSC_EXTERN PetscErrorCode NdLyapunovSolveLowRank(LME, Mat, PetscReal, PetscInt, const PetscInt[], Mat *);

/* The block of C(omega) of m listed units at nomega frequencies, matrix-free for any N: resp's
   operator is -1 + a J^T, J the connectivity; Cre, Cim nomega blocks of m x m (column-major) on
   every rank; its: Krylov vectors per frequency (linearequivalent.c) */
PETSC_EXTERN PetscErrorCode NdLinearEquivalentCrossSpectrumUnits(NdResponse, Mat, PetscInt, const PetscInt[], PetscInt,
                                                                 const PetscReal[], const PetscReal[], PetscReal,
                                                                 PetscReal[], PetscReal[], PetscReal[]);

/* Statistics of a covariance, real (Cim NULL) or Hermitian, serial (covstats.c); eig and var
   hold N values each */
typedef struct {
  PetscReal pr, mean_corr, std_corr, rms_coh, *eig, *var;
} NdCovStats;
PETSC_EXTERN PetscErrorCode NdCovarianceStatistics(PetscInt, const PetscReal[], const PetscReal[], NdCovStats *);

/* The cross-spectral matrix of the linear-equivalent network (docs/models/rate.md#theory-at-fixed-j), for J dense
   (column-major N x N) on rank 0: C(omega) = R (S_r J J^T + sigma^2) R^H with
   R = ((1 + i omega) - a J)^{-1}; Re C and Im C column-major, on rank 0 only; singular: whether
   (1 + i omega) - a J is (then C is not computed) */
PETSC_EXTERN PetscErrorCode NdLinearEquivalentCrossSpectrum(PetscInt, const PetscReal[], PetscReal, PetscReal,
                                                            PetscReal, PetscReal, PetscReal[], PetscReal[],
                                                            PetscBool *);

/* Welch's power spectral density of many uniformly sampled signals, averaged over them, at given
   frequencies; samples stream in one at a time, each rank holding its own signals (welch.c) */
typedef struct _n_NdWelch  *NdWelch;
PETSC_EXTERN PetscErrorCode NdWelchCreate(MPI_Comm, PetscInt, PetscInt, const PetscReal[], PetscReal, NdWelch *);
PETSC_EXTERN PetscErrorCode NdWelchAddSample(NdWelch, PetscReal, const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdWelchGetSpectrum(NdWelch, PetscReal[], PetscInt *);
PETSC_EXTERN PetscErrorCode NdWelchDestroy(NdWelch *);

#endif
