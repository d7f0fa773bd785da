/* neurodyn info: the registered types, or one system type, neuron model or stimulus type in detail (variables,
   parameters; a stimulus: I(t)), or the spiking network an input file configures. */
#include <neurodyn/app.h>
#include <neurodyn/system.h>
#include <neurodyn/network.h>
#include <neurodyn/binary.h>
#include <neurodyn/stimulus.h>

/* The options that give a binary network its couplings, on the command line (not from a file) */
static PetscBool NdBinaryOnCommandLine(const NdCommandLine *cl)
{
  for (const char *const *o = NdBinaryCouplingOptions; *o; o++)
    if (NdCommandLineHasOption(cl, *o)) return PETSC_TRUE;
  return PETSC_FALSE;
}

PetscErrorCode NdCommandInfo(const NdCommandLine *cl)
{
  MPI_Comm  comm = PETSC_COMM_WORLD;
  NdSystem  sys;
  char      type[256] = "", names[512];
  PetscBool given, binary, help;

  PetscFunctionBegin;
  NdErrorSetConfiguring(PETSC_TRUE);
  PetscCall(NdInitializePackage());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-net_model", type, sizeof(type), &given));
  if (given) {
    PetscCall(NdCommandLineFinishOptions(cl, &help));
    if (!help) PetscCall(NdNeuronModelDescribe(comm, type));
    NdErrorSetConfiguring(PETSC_FALSE);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  /* a spiking network (-net_populations) unless -sys_type is on the command line, as in simulate */
  PetscCall(NdNetworkOptionsPresent(&given));
  PetscCall(NdBinaryOptionsPresent(&binary));
  PetscCheck(!(NdCommandLineHasOption(cl, "sys_type") &&
               (NdCommandLineHasOption(cl, "net_populations") || NdBinaryOnCommandLine(cl))),
             comm, PETSC_ERR_USER_INPUT,
             "give -sys_type (a system), -net_populations (a spiking network) or -bin_* (a binary network) on the "
             "command line, not two of them");
  PetscCheck(!(given && binary), comm, PETSC_ERR_USER_INPUT,
             "-net_populations (a spiking network) and -bin_* (a binary network): info describes one of them");
  if (given && !NdCommandLineHasOption(cl, "sys_type")) {
    static const char *const unread_keys[] = {"sys_", "params_", "init_", "rate_dt", NULL}; /* a system's; simulate's */
    NdNetwork                net;
    TS                       ts;
    NdCommandLineSetOtherModePrefixes(unread_keys);
    PetscCall(NdNetworkCreate(comm, &net));
    PetscCall(NdNetworkCreateTSFromOptions(net, &ts)); /* -ts_dt: the delays are checked against it */
    PetscCall(TSDestroy(&ts));
    PetscCall(NdNetworkSetFromOptions(net));
    PetscCall(NdCommandLineFinishOptions(cl, &help));
    NdErrorSetConfiguring(PETSC_FALSE);
    if (!help) PetscCall(NdNetworkView(net, PETSC_VIEWER_STDOUT_(comm)));
    PetscCall(NdNetworkDestroy(&net));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  /* a binary network (-bin_N, -bin_J...), unless -sys_type is on the command line */
  if (binary && !NdCommandLineHasOption(cl, "sys_type")) {
    NdBinary bin;
    PetscCall(NdBinaryCreate(comm, &bin));
    PetscCall(NdBinarySetFromOptions(bin));
    PetscCall(NdCommandLineFinishOptions(cl, &help));
    NdErrorSetConfiguring(PETSC_FALSE);
    if (!help) PetscCall(NdBinaryView(bin, PETSC_VIEWER_STDOUT_(comm)));
    PetscCall(NdBinaryDestroy(&bin));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (given) {
    static const char *const network_keys[] = {"net_", "rate_dt", NULL};
    NdCommandLineSetOtherModePrefixes(network_keys);
  }
  PetscCall(PetscOptionsGetString(NULL, NULL, "-sys_type", type, sizeof(type), &given));
  if (!given && NdCommandLineHasOption(cl, "stim_type")) { /* a stimulus type alone: I(t) at the values given */
    NdStimulus     stim;
    NdStimulusType stype;

    PetscCall(NdStimulusCreate(comm, &stim));
    PetscCall(NdStimulusSetFromOptions(stim));
    PetscCall(NdCommandLineFinishOptions(cl, &help));
    if (!help) {
      PetscCall(NdStimulusSetUp(stim));
      NdErrorSetConfiguring(PETSC_FALSE);
      PetscCall(NdStimulusView(stim, PETSC_VIEWER_STDOUT_(comm)));
      PetscCall(NdStimulusGetType(stim, &stype));
      PetscCall(PetscPrintf(comm,
                            "its options (-stim_*, with defaults): 'neurodyn info -stim_type %s -help'; "
                            "docs/stimulus.md\n",
                            stype));
    }
    PetscCall(NdStimulusDestroy(&stim));
    NdErrorSetConfiguring(PETSC_FALSE);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (!given) {
    PetscCall(NdCommandLineFinishOptions(cl, &help));
    PetscCall(PetscPrintf(comm, "neurodyn %s (git %s)\n", NdVersion(), NdGitCommit()));
    PetscCall(NdFunctionListNames(NdSystemList, names, sizeof(names)));
    PetscCall(PetscPrintf(comm, "system types (-sys_type):     %s\n", names));
    PetscCall(NdFunctionListNames(NdStimulusList, names, sizeof(names)));
    PetscCall(PetscPrintf(comm, "stimulus types (-stim_type):  %s\n", names));
    PetscCall(NdNeuronModelRegisterAll());
    PetscCall(NdFunctionListNames(NdNeuronModelList, names, sizeof(names)));
    PetscCall(PetscPrintf(comm, "neuron models (-net_<population>_model): %s\n", names));
    PetscCall(PetscPrintf(comm,
                          "'neurodyn info -sys_type <type>' describes a system: variables, parameters, units, ranges;\n"
                          "'neurodyn info -net_model <model>' a neuron model.\n"));
    NdErrorSetConfiguring(PETSC_FALSE);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdSystemCreate(comm, &sys));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscCall(NdCommandLineFinishOptions(cl, &help));
  PetscCall(NdSystemSetUp(sys));
  NdErrorSetConfiguring(PETSC_FALSE);
  PetscCall(NdSystemView(sys, PETSC_VIEWER_STDOUT_(comm)));
  PetscCall(NdCommandLineWarnUnused(cl));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
