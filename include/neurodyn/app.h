/* The neurodyn command line: `neurodyn <command> [input.yaml] [-option value ...]`.
   The input file's keys are option names (nested maps join with `_`, as PETSc's
   -options_file_yaml does); command-line options override the file. */
#ifndef NEURODYN_APP_H
#define NEURODYN_APP_H

#include <neurodyn/core.h>
#include <neurodyn/output.h>
#include <neurodyn/system.h>

typedef struct {
  int         argc; /* the original command line, for provenance */
  char      **argv;
  const char *command;
  const char *input;        /* input YAML file, or NULL */
  int         first_option; /* index in argv of the first option token */
  int         petsc_argc;   /* what PETSc sees: argv[0] [-options_file_yaml input] options */
  char      **petsc_argv;
} NdCommandLine;

typedef struct {
  const char *name;
  PetscErrorCode (*run)(const NdCommandLine *);
  const char        *summary;
  const char *const *prefixes; /* option prefixes this command reads (NULL-terminated) */
} NdCommand;

PETSC_EXTERN const NdCommand NdCommands[];
/* neurodyn's own option names (by prefix); PETSc and SLEPc own the rest (-ts_*, -eps_*, ...) */
PETSC_EXTERN const char *const NdOwnOptionPrefixes[];

/* Called before MPI/PETSc are initialised: returns 0, or 1 with a message in msg. */
PETSC_EXTERN int  NdCommandLineParse(int, char **, NdCommandLine *, const NdCommand **, char *, size_t);
PETSC_EXTERN void NdCommandLineFree(NdCommandLine *);
PETSC_EXTERN void NdPrintUsage(FILE *);
/* -help: collect PETSc's help output from here on (call before PetscInitialize; usage is the help
   string given to it), and print it, neurodyn's options first, PETSc's after a separator line */
PETSC_EXTERN void NdHelpCollectBegin(const char[]);
PETSC_EXTERN void NdHelpCollectEnd(void);

/* After every object has read its options: stop here for -help, else reject unused options. */
PETSC_EXTERN PetscErrorCode NdCommandLineCheckValues(void);
PETSC_EXTERN PetscErrorCode NdCommandLineFinishOptions(const NdCommandLine *, PetscBool *);
PETSC_EXTERN PetscErrorCode NdCommandLineWarnUnused(const NdCommandLine *);
/* Whether an option is given on the command line itself (not only in the input file) */
PETSC_EXTERN PetscBool NdCommandLineHasOption(const NdCommandLine *, const char[]);
/* Input-file keys of another mode of this command, not errors when unused (NULL-terminated) */
PETSC_EXTERN void           NdCommandLineSetOtherModePrefixes(const char *const[]);
PETSC_EXTERN PetscErrorCode NdCommandLineCreateOutput(const NdCommandLine *, NdOutput *);
/* -restart FILE must not be the run's output file (collective check) */
PETSC_EXTERN PetscErrorCode NdCheckRestartNotOutput(const char[], NdOutput);
/* -checkpoint_interval and -restart FILE, inside PetscOptionsBegin/End */
PETSC_EXTERN PetscErrorCode NdCheckpointOptions(NdOptionItems, PetscReal *, char[], size_t);

PETSC_EXTERN PetscErrorCode NdCommandSimulate(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandSimulateNetwork(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandInfo(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandBinary(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandContinue(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandSpectrum(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandResponse(const NdCommandLine *);
PETSC_EXTERN PetscErrorCode NdCommandCovariance(const NdCommandLine *);

#endif
