/* The table of commands and the option vocabulary each one reads. */
#include <neurodyn/app.h>

static const char *const NdSystemPrefixes[]   = {"sys_", "params_", "init_", "stim_", "rate_", "net_", NULL};
static const char *const NdContinuePrefixes[] = {
    "sys_", "params_", "init_", "stim_", "rate_",      "cont_",  "snes_",     "ksp_",  "pc_",          "eps_",
    "st_",  "bv_",     "ds_",   "rg_",   "mat_mumps_", "output", "overwrite", "quiet", "memory_limit", NULL};
static const char *const NdSimulatePrefixes[] = {"sys_",   "params_",   "init_", "stim_", "rate_",
                                                 "ts_",    "snes_",     "ksp_",  "pc_",   "sample_dt",
                                                 "output", "overwrite", "quiet", "net_",  NULL};
static const char *const NdSpectrumPrefixes[] = {
    "sys_", "params_", "init_", "stim_", "rate_",  "spec_",     "snes_", "ksp_",         "pc_", "eps_",
    "st_",  "bv_",     "ds_",   "rg_",   "output", "overwrite", "quiet", "memory_limit", NULL};
static const char *const NdResponsePrefixes[]   = {"sys_",      "params_", "init_",        "stim_", "rate_",
                                                   "resp_",     "snes_",   "ksp_",         "pc_",   "output",
                                                   "overwrite", "quiet",   "memory_limit", NULL};
static const char *const NdCovariancePrefixes[] = {"sys_",      "params_", "init_",        "stim_", "rate_",
                                                   "cov_",      "snes_",   "ksp_",         "pc_",   "output",
                                                   "overwrite", "quiet",   "memory_limit", NULL};

const char *const NdOwnOptionPrefixes[] = {"sys_",
                                           "params_",
                                           "init_",
                                           "stim_",
                                           "rate_",
                                           "net_",
                                           "node_",
                                           "cont_",
                                           "spec_",
                                           "resp_",
                                           "cov_",
                                           "bin_",
                                           "output",
                                           "overwrite",
                                           "quiet",
                                           "sample_dt",
                                           "checkpoint_interval",
                                           "restart",
                                           "memory_limit",
                                           NULL};

static const char *const NdBinaryPrefixes[] = {"bin_",   "eps_",      "st_",   "ksp_",         "pc_",
                                               "output", "overwrite", "quiet", "memory_limit", NULL};

const NdCommand NdCommands[] = {
    {"simulate", NdCommandSimulate,
     "integrate a system in time with PETSc TS (/timeseries), or run a spiking network (-net_*: /spikes, /rates)",
     NdSimulatePrefixes},
    {"continue", NdCommandContinue,
     "continue equilibria and fold curves in parameters, with SLEPc spectra; write /branch", NdContinuePrefixes},
    {"spectrum", NdCommandSpectrum,
     "fixed point (SNES) and eigenvalues of its Jacobian (SLEPc: rightmost, near a target, or all); write /spectrum",
     NdSpectrumPrefixes},
    {"response", NdCommandResponse,
     "linear response chi(omega) = (i omega - A)^-1 u at a fixed point over a frequency grid (KSP); write /response",
     NdResponsePrefixes},
    {"covariance", NdCommandCovariance,
     "stationary covariance from A C + C A^T + sigma^2 = 0 (dense Bartels-Stewart) and its statistics; write "
     "/covariance",
     NdCovariancePrefixes},
    {"info", NdCommandInfo,
     "describe system types and neuron models (-net_model): variables, parameters (default, unit, range)",
     NdSystemPrefixes},
    {"binary", NdCommandBinary,
     "exact analyses of a finite-size binary network (-bin_analysis bifurcations|stationary|patterns)",
     NdBinaryPrefixes},
    {NULL, NULL, NULL, NULL}};
