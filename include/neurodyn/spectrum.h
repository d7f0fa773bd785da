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

/* NdLinearization: a system linearised at its fixed point x (Newton, -snes_*), A the Jacobian
   there. Types: eigen (eigenvalues of A; the command spectrum), response (chi(omega) u; response),
   covariance (A C + C A^T + sigma^2 I = 0 and its statistics; covariance) and linear_equivalent
   (the covariance with the large-N cross-spectrum of a rate network; covariance -cov_theory
   linear_equivalent). -spec_type chooses the type; each type reads its options under the names of
   its command (-spec_*, -resp_*, -cov_*: docs/commands/). Solve writes through an NdOutput, or,
   with out = NULL, keeps the results for the getters.

     NdLinearizationCreate(comm, &lin); NdLinearizationSetSystem(lin, sys);
     NdLinearizationSetType(lin, NDLINEARIZATIONRESPONSE); NdLinearizationSetFromOptions(lin);
     NdLinearizationSetFrequencies(lin, n, omega);   (optional: overrides the options)
     NdLinearizationSetUp(lin); NdLinearizationSolve(lin, out or NULL);
     NdLinearizationGetResponse(lin, &n, &omega, &gain, &phase); NdLinearizationDestroy(&lin); */
typedef struct _p_NdLinearization *NdLinearization;
typedef const char                *NdLinearizationType;
#define NDLINEARIZATIONEIGEN            "eigen"
#define NDLINEARIZATIONRESPONSE         "response"
#define NDLINEARIZATIONCOVARIANCE       "covariance"
#define NDLINEARIZATIONLINEAREQUIVALENT "linear_equivalent"

PETSC_EXTERN PetscClassId      ND_LINEARIZATION_CLASSID;
PETSC_EXTERN PetscFunctionList NdLinearizationList;
PETSC_EXTERN PetscBool         NdLinearizationRegisterAllCalled; /* reset by NdSpectrumFinalizePackage() */
PETSC_EXTERN PetscErrorCode    NdLinearizationRegister(const char[], PetscErrorCode (*)(NdLinearization));
PETSC_EXTERN PetscErrorCode    NdLinearizationRegisterAll(void);

PETSC_EXTERN PetscErrorCode NdLinearizationCreate(MPI_Comm, NdLinearization *);
PETSC_EXTERN PetscErrorCode NdLinearizationSetSystem(NdLinearization, NdSystem);
PETSC_EXTERN PetscErrorCode NdLinearizationGetSystem(NdLinearization, NdSystem *);
PETSC_EXTERN PetscErrorCode NdLinearizationSetType(NdLinearization, NdLinearizationType);
PETSC_EXTERN PetscErrorCode NdLinearizationGetType(NdLinearization, NdLinearizationType *);
PETSC_EXTERN PetscErrorCode NdLinearizationSetFromOptions(NdLinearization);
PETSC_EXTERN PetscErrorCode NdLinearizationSetUp(NdLinearization);
PETSC_EXTERN PetscErrorCode NdLinearizationSolve(NdLinearization, NdOutput);
/* One clause on what was computed (the commands' summary line) */
PETSC_EXTERN PetscErrorCode NdLinearizationGetSummary(NdLinearization, char[], size_t);
PETSC_EXTERN PetscErrorCode NdLinearizationView(NdLinearization, PetscViewer);
PETSC_EXTERN PetscErrorCode NdLinearizationDestroy(NdLinearization *);
/* After Solve: the fixed point and the Jacobian there; the eigensolver (eigen) */
PETSC_EXTERN PetscErrorCode NdLinearizationGetFixedPoint(NdLinearization, Vec *);
PETSC_EXTERN PetscErrorCode NdLinearizationGetJacobian(NdLinearization, Mat *);
PETSC_EXTERN PetscErrorCode NdLinearizationGetEPS(NdLinearization, EPS *);
/* response: the frequencies (after SetFromOptions), and after Solve the gain |w^T chi(omega) u|
   and phase at each (w: the readout, -resp_readout_file; default the population mean) */
PETSC_EXTERN PetscErrorCode NdLinearizationSetFrequencies(NdLinearization, PetscInt, const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdLinearizationGetResponse(NdLinearization, PetscInt *, const PetscReal *[],
                                                       const PetscReal *[], const PetscReal *[]);
/* covariance: the noise amplitude sigma (after SetFromOptions), and after Solve the dense C
   (N x N column-major) on rank 0 (NULL elsewhere and for -cov_noise_units) */
PETSC_EXTERN PetscErrorCode NdLinearizationSetNoise(NdLinearization, PetscReal);
PETSC_EXTERN PetscErrorCode NdLinearizationGetCovariance(NdLinearization, PetscInt *, const PetscReal *[]);

/* x <- a fixed point F(x) = 0 found by Newton (SNES, -snes_* options) from the given x; A <- the
   Jacobian there (A from NdSystemCreateJacobianMatrix). A failed solve is a user-facing error. */
PETSC_EXTERN PetscErrorCode NdFixedPointCreateSNES(NdSystem, SNES *);
PETSC_EXTERN PetscErrorCode NdSystemSolveFixedPoint(NdSystem, SNES, Vec, Mat);

/* The radius ||A + 1||_F / sqrt(N) of the circular-law bulk of A = -1 + J D around -1: exact for
   large random J with i.i.d. entries (Girko), an estimate otherwise */
PETSC_EXTERN PetscErrorCode NdBulkRadius(Mat, PetscReal *);

/* The one set-up of an EPS for the rightmost eigenvalues of a Jacobian (the linearisation's eigen
   type and the continuation of equilibria): NHEP, largest real part, nev of them, dense LAPACK when
   dense, tol and max_it unless PETSC_DEFAULT; then -eps_* (e.g. -eps_target with -st_type
   sinvert). NdSpectrumSetSize, once N is known: all N with all, else the subspace (eigen.c). */
PETSC_EXTERN PetscErrorCode NdEPSCreateRightmost(MPI_Comm, PetscInt, PetscBool, PetscReal, PetscInt, EPS *);
/* An iterative eigensolve that a signal may interrupt: it ends early (EPS_CONVERGED_USER) when
   any rank has caught SIGTERM/SIGUSR1; the caller stops with NdSignalStop (checkpoint.h) */
PETSC_EXTERN PetscErrorCode NdEPSStopOnSignal(EPS);
PETSC_EXTERN PetscErrorCode NdSpectrumSetSize(EPS, PetscInt, PetscBool);

/* chi(omega) u: solves [[-A, -omega],[omega, -A]] [xr; xi] = [u; 0] with one KSP (-resp_ksp_*),
   preconditioned by the exact inverse of the omega block [[1, -omega],[omega, 1]] (reused
   at every frequency; no assembled 2N matrix is needed) */
typedef struct _n_NdResponse *NdResponse;
PETSC_EXTERN PetscErrorCode   NdResponseCreate(MPI_Comm, const char[], NdResponse *);
PETSC_EXTERN PetscErrorCode   NdResponseSetFromOptions(NdResponse);
/* A is referenced; a second call replaces it */
PETSC_EXTERN PetscErrorCode NdResponseSetOperator(NdResponse, Mat);
PETSC_EXTERN PetscErrorCode NdResponseSolve(NdResponse, PetscReal, Vec, Vec, Vec, PetscInt *);
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
