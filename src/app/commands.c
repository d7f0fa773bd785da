/* The table of commands and the option vocabulary each one reads. */
#include <neurodyn/app.h>

static const char *const NdSystemPrefixes[]   = {"sys_", "params_", "init_", "stim_", NULL};
static const char *const NdSimulatePrefixes[] = {"sys_", "params_", "init_",     "stim_",  "ts_",   "snes_",
                                                 "ksp_", "pc_",     "sample_dt", "output", "quiet", NULL};

static const char *const NdBinaryPrefixes[] = {"bin_", "eps_", "st_", "ksp_", "pc_", "output", "quiet", NULL};

const NdCommand NdCommands[] = {
    {"simulate", NdCommandSimulate, "integrate a system in time with PETSc TS and write /timeseries to HDF5",
     NdSimulatePrefixes},
    {"info", NdCommandInfo, "describe system types: variables, parameters (default, unit, range)", NdSystemPrefixes},
    {"binary", NdCommandBinary,
     "exact analyses of a finite-size binary network (-bin_analysis bifurcations|stationary|patterns)",
     NdBinaryPrefixes},
    {NULL, NULL, NULL, NULL}};
