/* NdBinary: a finite-size network of N binary neurons (docs/models/binary.md),
     V_i(t+1) = sum_{j != i} J_ij nu_j(t) + I_i [+ noise],   nu_i = H(V_i - theta_i),
   with J given inline, read from HDF5, or generated (random, E/I blocks, Hopfield), thresholds,
   stimuli per neuron or per population, synchronous or asynchronous update. The type is the
   noise distribution (-bin_noise deterministic|logistic|gaussian). States are integers s in
   [0, 2^N) with bit i the activity of neuron i. Options prefix -bin_. */
#ifndef NEURODYN_BINARY_H
#define NEURODYN_BINARY_H

#include <stdint.h>
#include <neurodyn/core.h>
#include <neurodyn/output.h>

typedef struct _p_NdBinary *NdBinary;
typedef const char         *NdBinaryNoise;
#define NDBINARYDETERMINISTIC "deterministic"
#define NDBINARYLOGISTIC      "logistic"
#define NDBINARYGAUSSIAN      "gaussian"

typedef enum { ND_BINARY_SYNCHRONOUS, ND_BINARY_ASYNCHRONOUS } NdBinaryUpdate;
PETSC_EXTERN const char *const NdBinaryUpdates[];

PETSC_EXTERN PetscFunctionList NdBinaryList;
PETSC_EXTERN PetscBool         NdBinaryRegisterAllCalled; /* reset by NdBinaryFinalizePackage() */
PETSC_EXTERN PetscClassId      ND_BINARY_CLASSID;
PETSC_EXTERN PetscLogEvent     ND_EVENT_BINARY_ENUMERATE; /* scanning the 2^N states */
PETSC_EXTERN PetscLogEvent     ND_EVENT_BINARY_SOLVE;     /* stationary distribution (EPS) */
/* The binary component: its class, events and types (idempotent) */
PETSC_EXTERN PetscErrorCode NdBinaryInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdBinaryFinalizePackage(void);

PETSC_EXTERN PetscErrorCode NdBinaryCreate(MPI_Comm, NdBinary *);
PETSC_EXTERN PetscErrorCode NdBinarySetType(NdBinary, NdBinaryNoise);
PETSC_EXTERN PetscErrorCode NdBinaryGetType(NdBinary, NdBinaryNoise *);
PETSC_EXTERN PetscErrorCode NdBinarySetFromOptions(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinarySetUp(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinaryView(NdBinary, PetscViewer);
PETSC_EXTERN PetscErrorCode NdBinaryDestroy(NdBinary *);
PETSC_EXTERN PetscErrorCode NdBinaryRegister(const char[], PetscErrorCode (*)(NdBinary));
PETSC_EXTERN PetscErrorCode NdBinaryRegisterAll(void);

/* The network (programmatic use; the options do the same). J is N x N row-major, row i the
   inputs of neuron i; its diagonal is ignored (no self-coupling, docs/models/binary.md). */
PETSC_EXTERN PetscErrorCode NdBinarySetConnectivity(NdBinary, PetscInt, const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdBinarySetPopulations(NdBinary, PetscInt, const PetscInt[]);
PETSC_EXTERN PetscErrorCode NdBinarySetThresholds(NdBinary, const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdBinarySetStimulus(NdBinary, const PetscReal[]);
PETSC_EXTERN PetscErrorCode NdBinarySetUpdate(NdBinary, NdBinaryUpdate);
PETSC_EXTERN PetscErrorCode NdBinaryGetSize(NdBinary, PetscInt *, PetscInt *);

/* The options that give a binary network its couplings (-bin_N, -bin_J, -bin_J_file, -bin_J_generate;
   NULL-terminated), and whether the options database holds one of them */
PETSC_EXTERN const char *const NdBinaryCouplingOptions[];
PETSC_EXTERN PetscErrorCode    NdBinaryOptionsPresent(PetscBool *);

/* P(nu_i = 1 | mu_i - theta_i = x) for neuron i's noise */
PETSC_EXTERN PetscReal NdBinaryActivation(NdBinary, PetscInt, PetscReal);
/* Each neuron's noise scale (temperature or sigma; > 0), after the connectivity set N */
PETSC_EXTERN PetscErrorCode NdBinarySetNoiseScale(NdBinary, const PetscReal[]);

/* Refuse a computation that would need more than the memory available to each rank
   (-bin_memory_limit, default the node's available memory shared by the ranks). */
PETSC_EXTERN PetscErrorCode NdBinaryCheckMemory(NdBinary, const char[], PetscLogDouble);

/* Writes /binary (N, J, theta, I, populations, noise, update) */
PETSC_EXTERN PetscErrorCode NdBinaryWriteDescription(NdBinary, NdOutput);

/* The analyses (each writes its group /binary/<analysis>); the Check functions test an
   analysis' preconditions (noise, update rule, sizes, memory) before any output is opened. */
PETSC_EXTERN PetscErrorCode NdBinaryBifurcationsCheck(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinaryStationaryCheck(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinaryPatternsCheck(NdBinary);
PETSC_EXTERN PetscErrorCode NdBinaryBifurcations(NdBinary, NdOutput, PetscBool);
PETSC_EXTERN PetscErrorCode NdBinaryStationary(NdBinary, NdOutput, PetscBool);
PETSC_EXTERN PetscErrorCode NdBinaryPatterns(NdBinary, NdOutput, PetscBool);

#endif
