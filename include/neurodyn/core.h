/* neurodyn package: initialisation, class ids, log events, version and error reporting. */
#ifndef NEURODYN_CORE_H
#define NEURODYN_CORE_H

#include <petscsys.h>
#include <petscvec.h>
#include <petscmat.h>
#include <neurodyn/compat.h>

/* Log events of the phases every component has (see -log_view); each component registers its
   own classes and events in its NdXInitializePackage() and declares them in its header. */
PETSC_EXTERN PetscLogEvent ND_EVENT_BUILD;     /* creating and configuring objects */
PETSC_EXTERN PetscLogEvent ND_EVENT_INTEGRATE; /* time integration (TSSolve, network steps) */

/* Log stages (-log_view): building the objects and the input vs. the run itself */
PETSC_EXTERN PetscLogStage ND_STAGE_SETUP;
PETSC_EXTERN PetscLogStage ND_STAGE_RUN;

/* The core's events and stages (idempotent; undone by NdCoreFinalizePackage at PetscFinalize) */
PETSC_EXTERN PetscErrorCode NdCoreInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdCoreFinalizePackage(void);
/* The whole library: every component's NdXInitializePackage (src/app/package.c); a second
   PetscInitialize() + NdInitializePackage() in one process registers everything again */
PETSC_EXTERN PetscErrorCode NdInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdFinalizePackage(void);

/* The largest number of entries in a row of A owned by this rank */
PETSC_EXTERN PetscErrorCode NdMatGetMaxLocalRowLength(Mat, PetscInt *);

/* "a, b, c": the names registered in a type list, for messages */
PETSC_EXTERN PetscErrorCode NdFunctionListNames(PetscFunctionList, char[], size_t);

/* Inside PetscOptionsBegin/End: an option whose value is one of n words (index in *value, which
   holds the default); an unknown word is a user-input error naming the option and the choices */
PETSC_EXTERN PetscErrorCode NdOptionsChoice(NdOptionItems, const char[], const char[], const char *const[], PetscInt,
                                            PetscInt *, PetscBool *);

/* Inside PetscOptionsBegin/End: one of neurodyn's flags (PetscOptionsBool), recorded as a flag so
   that it may stand without a value, where any other option of neurodyn's needs one */
PETSC_EXTERN PetscErrorCode NdOptionsFlag(NdOptionItems, const char[], const char[], PetscBool, PetscBool *,
                                          PetscBool *);
/* Whether an option ("-name", prefix included) has been read as a flag by NdOptionsFlag() */
PETSC_EXTERN PetscBool NdOptionIsFlag(const char[]);

/* Inside PetscOptionsBegin/End: an integer option (a size, count, index or seed) parsed as a whole
   64-bit number, so that it cannot wrap, and in [min, max]; otherwise a user-input error naming the
   option, the value and the limit. *value holds the default. NdOptionsInt: max at most PETSC_MAX_INT
   (PetscInt may be 32-bit); NdOptionsIntArray: each item of the list (numbers or ranges a-b) likewise */
PETSC_EXTERN PetscErrorCode NdOptionsInt64(NdOptionItems, const char[], const char[], PetscInt64, PetscInt64,
                                           PetscInt64 *, PetscBool *);
PETSC_EXTERN PetscErrorCode NdOptionsInt(NdOptionItems, const char[], const char[], PetscInt, PetscInt, PetscInt *,
                                         PetscBool *);
PETSC_EXTERN PetscErrorCode NdOptionsIntArray(NdOptionItems, const char[], const char[], PetscInt, PetscInt, PetscInt[],
                                              PetscInt *, PetscBool *);

/* A list option read with room + 1 entries offered holds at most room values, else an error (PETSc
   itself stops silently at a full buffer) */
PETSC_EXTERN PetscErrorCode NdOptionsCheckListRoom(MPI_Comm, const char[], PetscInt, PetscInt);
/* A list of unit indices: each in 0 .. N - 1, none twice (else an error naming the option) */
PETSC_EXTERN PetscErrorCode NdOptionsCheckUnitList(MPI_Comm, const char[], PetscInt, const PetscInt[], PetscInt);

/* PETSc's rule for an option name on a command line: -name (starting with a letter), not a number */
PETSC_EXTERN PetscBool NdIsOptionKey(const char[]);

/* The whole options database, in its order: names without the leading dash, each value whole (a
   path with spaces is one value; NULL for an option without a value). Reading it does not mark any
   option used. Free with NdOptionsRestorePairs(). */
PETSC_EXTERN PetscErrorCode NdOptionsGetPairs(PetscInt *, char ***, char ***);
PETSC_EXTERN PetscErrorCode NdOptionsRestorePairs(PetscInt *, char ***, char ***);

/* Collective: *index becomes the smallest of the ranks' indices (INT64_MAX: none on a rank)
   and values (count of type) those of the rank that gave it: the first offender of a distributed
   check, to be named on every rank */
PETSC_EXTERN PetscErrorCode NdAllreduceFirst(MPI_Comm, PetscInt64 *, MPI_Datatype, PetscMPIInt, void *);

/* Collective: whether every entry of the vector is finite (no NaN, no Inf) */
PETSC_EXTERN PetscErrorCode NdVecAllFinite(Vec, PetscBool *);

/* Collective: the memory one rank may use, in bytes: limit_mb if > 0, else -memory_limit (MB), else
   the node's available memory (MemAvailable, or what the memory cgroup leaves when less) divided by the ranks,
   and no more than any rank may still map under its RLIMIT_AS (0: unknown) */
PETSC_EXTERN PetscErrorCode NdMemoryLimit(MPI_Comm, PetscReal, PetscLogDouble *);
/* Collective, before an allocation: bytes (the most one rank needs, identical on every rank) within
   NdMemoryLimit(limit_mb), else an error: "<what> needs X GB per rank ..., <change>, use more nodes,
   or set <option> (MB)" */
PETSC_EXTERN PetscErrorCode NdCheckMemory(MPI_Comm, PetscReal, const char[], const char[], PetscLogDouble,
                                          const char[]);

/* A unit declared relative to the time unit ("T", "1/T", "rad/T"; others unchanged) for a time
   unit such as "ms" or "1" (dimensionless) */
PETSC_EXTERN void NdUnitResolve(const char[], const char[], char[], size_t);

PETSC_EXTERN const char *NdVersion(void);
PETSC_EXTERN const char *NdGitCommit(void);

/* Error reporting for the executable: one clear line per error, and no rank left hanging. */
PETSC_EXTERN PetscErrorCode NdErrorHandlerPush(void);
PETSC_EXTERN void           NdErrorSetConfiguring(PetscBool);
PETSC_EXTERN PetscBool      NdErrorReport(PetscErrorCode);
PETSC_EXTERN void           NdErrorBeforeFinalize(void);
PETSC_EXTERN void           NdErrorAbort(void);
/* How far apart two option names are: edits, a swap of neighbours counting one, case ignored */
PETSC_EXTERN size_t NdEditDistance(const char[], const char[]);

/* For checks done on rank 0 only (files): broadcast rank 0's message; a non-empty one is a
   collective error with the given code on every rank. */
PETSC_EXTERN PetscErrorCode NdRootCheck(MPI_Comm, PetscErrorCode, char[], size_t);

#endif
