/* The table of commands and the option vocabulary each one reads. */
#include <neurodyn/app.h>

static const char *const NdSystemPrefixes[]   = {"sys_", "params_", "init_", "stim_", NULL};
static const char *const NdContinuePrefixes[] = {"sys_", "params_",    "init_",  "stim_", "cont_", "snes_",
                                                 "ksp_", "pc_",        "eps_",   "st_",   "bv_",   "ds_",
                                                 "rg_",  "mat_mumps_", "output", "quiet", NULL};
static const char *const NdSimulatePrefixes[] = {"sys_", "params_", "init_",     "stim_",  "ts_",   "snes_",
                                                 "ksp_", "pc_",     "sample_dt", "output", "quiet", NULL};

static const char *const NdBinaryPrefixes[] = {"bin_", "eps_", "st_", "ksp_", "pc_", "output", "quiet", NULL};

const NdCommand NdCommands[] = {
    {"simulate", NdCommandSimulate, "integrate a system in time with PETSc TS and write /timeseries to HDF5",
     NdSimulatePrefixes},
    {"continue", NdCommandContinue,
     "continue equilibria and fold curves in parameters, with SLEPc spectra; write /branch", NdContinuePrefixes},
    {"info", NdCommandInfo, "describe system types: variables, parameters (default, unit, range)", NdSystemPrefixes},
    {"binary", NdCommandBinary,
     "exact analyses of a finite-size binary network (-bin_analysis bifurcations|stationary|patterns)",
     NdBinaryPrefixes},
    {NULL, NULL, NULL, NULL}};
