/* Projections between populations: options -net_<source>_<target>_* (rule, p, K, weight or J,
   their distributions, delay, receptor). A projection exists when its rule is given. */
#include <neurodyn/private/networkimpl.h>

const char *const NdRules[] = {"all_to_all", "bernoulli", "fixed_indegree", "fixed_outdegree", "file", "sonata"};

/* Mean number of synapses onto a target neuron: what J is divided by */
static PetscReal NdProjectionMeanInDegree(const NdProjection *pr, PetscInt Ns, PetscInt Nt)
{
  switch (pr->rule) {
  case ND_RULE_ALL_TO_ALL:
    return (PetscReal)Ns;
  case ND_RULE_BERNOULLI:
    return pr->p * (PetscReal)(pr->source == pr->target && !pr->autapses ? Ns - 1 : Ns);
  case ND_RULE_FIXED_INDEGREE:
    return (PetscReal)pr->K;
  case ND_RULE_FIXED_OUTDEGREE:
    return (PetscReal)pr->K * (PetscReal)Ns / (PetscReal)Nt;
  default:
    return 1;
  }
}

static PetscErrorCode NdProjectionSetFromOptions(NdNetwork net, NdProjection *pr)
{
  MPI_Comm          comm = PetscObjectComm((PetscObject)net);
  NdPopulation      S = net->pop[pr->source], T = net->pop[pr->target];
  char              pre[80], opt[128];
  PetscInt          rule = ND_RULE_BERNOULLI, d, receptor = 0;
  PetscBool         set, setJ;
  PetscReal         J           = 0;
  const char *const receptors[] = {"auto", "excitatory", "inhibitory"};

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(pre, sizeof(pre), "-net_%s_%s_", S->name, T->name));
  PetscCheck(T->nchannel > 0, comm, PETSC_ERR_USER_INPUT,
             "%srule: population %s (%s) takes no input; a projection cannot target it", pre, T->name, T->model);
  PetscOptionsBegin(comm, NULL, "Projection options", "NdNetwork");
#define OPT(name) (PetscSNPrintf(opt, sizeof(opt), "%s%s", pre, name), opt)
  PetscCall(NdOptionsChoice(PetscOptionsObject, OPT("rule"), "Connection rule", NdRules, 6, &rule, NULL));
  pr->rule      = (NdRule)rule;
  pr->autapses  = PETSC_FALSE;
  pr->multapses = PETSC_TRUE;
  PetscCall(NdOptionsFlag(PetscOptionsObject, OPT("autapses"), "Allow a neuron to connect to itself", pr->autapses,
                          &pr->autapses, NULL));
  switch (pr->rule) {
  case ND_RULE_BERNOULLI:
    PetscCall(PetscOptionsReal(OPT("p"), "Connection probability", "NdNetwork", pr->p, &pr->p, &set));
    PetscCheck(set, comm, PETSC_ERR_USER_INPUT, "the bernoulli rule needs a connection probability: set %s", opt);
    PetscCheck(pr->p >= 0 && pr->p <= 1, comm, PETSC_ERR_USER_INPUT, "%s must be in [0, 1] (got %g)", opt,
               (double)pr->p);
    break;
  case ND_RULE_FIXED_INDEGREE:
  case ND_RULE_FIXED_OUTDEGREE: {
    const PetscBool in     = (PetscBool)(pr->rule == ND_RULE_FIXED_INDEGREE);
    const PetscInt  Nother = in ? S->size : T->size;
    PetscCall(NdOptionsInt(PetscOptionsObject, OPT("K"),
                           in ? "Synapses onto each target neuron" : "Synapses from each source neuron", 0,
                           PETSC_MAX_INT, &pr->K, &set));
    PetscCheck(set, comm, PETSC_ERR_USER_INPUT, "the %s rule needs a degree: set %s", NdRules[pr->rule], opt);
    PetscCall(NdOptionsFlag(PetscOptionsObject, OPT("multapses"), "Allow several synapses between the same pair",
                            pr->multapses, &pr->multapses, NULL));
    if (!pr->multapses) {
      const PetscInt avail = Nother - (pr->source == pr->target && !pr->autapses ? 1 : 0);
      PetscCheck(pr->K <= avail, comm, PETSC_ERR_USER_INPUT,
                 "%sK = %" PetscInt_FMT " is more than the %" PetscInt_FMT
                 " distinct partners available without multapses%s",
                 pre, pr->K, avail, pr->source == pr->target && !pr->autapses ? " and autapses" : "");
    } else
      PetscCheck(pr->K == 0 || Nother > (pr->source == pr->target && !pr->autapses ? 1 : 0), comm, PETSC_ERR_USER_INPUT,
                 "%sK = %" PetscInt_FMT ": population %s has no partner neuron to connect", pre, pr->K,
                 in ? S->name : T->name);
  } break;
  case ND_RULE_FILE:
    PetscCall(PetscOptionsString(
        OPT("file"), "Connectivity file: file.h5:/group (CSR, delays optional) or dense dataset, or PETSc binary",
        "NdNetwork", pr->file, pr->file, sizeof(pr->file), &set));
    PetscCheck(set, comm, PETSC_ERR_USER_INPUT, "the file rule needs a file: set %s", opt);
    {
      PetscInt rows, cols;
      PetscCall(NdReadMatrixShape(comm, opt, pr->file, "/", &rows, &cols));
      PetscCheck(rows == T->size && cols == S->size, comm, PETSC_ERR_USER_INPUT,
                 "%s: the matrix in %s is %" PetscInt_FMT " x %" PetscInt_FMT
                 " but the projection %s -> %s needs %" PetscInt_FMT " x %" PetscInt_FMT " (rows: the targets)",
                 opt, pr->file, rows, cols, S->name, T->name, T->size, S->size);
    }
    break;
  case ND_RULE_SONATA:
    PetscCall(PetscOptionsString(OPT("file"), "SONATA edge population: edges.h5:/edges/<name>", "NdNetwork", pr->file,
                                 pr->file, sizeof(pr->file), &set));
    PetscCheck(set, comm, PETSC_ERR_USER_INPUT,
               "the sonata rule needs an edge population: set %s edges.h5:/edges/<name>", opt);
    { /* the file and its edge population exist (the edges are read when the network is built) */
      char        file[PETSC_MAX_PATH_LEN], path[PETSC_MAX_PATH_LEN + 32];
      const char *colon = NULL;
      NdInputFile f;
      PetscBool   exists;
      PetscInt    nd;
      PetscInt64  dims[2];
      for (const char *c = pr->file; *c; c++)
        if (c[0] == ':' && c[1] == '/') colon = c;
      PetscCheck(colon, comm, PETSC_ERR_USER_INPUT, "%s %s: name the edge population, edges.h5:/edges/<name>", opt,
                 pr->file);
      PetscCall(PetscStrncpy(file, pr->file, PetscMin(sizeof(file), (size_t)(colon - pr->file) + 1)));
      PetscCall(NdInputFileOpen(file, &f));
      PetscCheck(f, comm, PETSC_ERR_FILE_OPEN, "%s: cannot open %s as an HDF5 file", opt, file);
      PetscCall(PetscSNPrintf(path, sizeof(path), "%s/target_node_id", colon + 1));
      PetscCall(NdInputFileGetShape(f, path, &exists, &nd, dims));
      PetscCall(NdInputFileClose(&f));
      PetscCheck(exists && nd == 1, comm, PETSC_ERR_USER_INPUT, "%s: %s has no 1-D dataset %s (SONATA edges)", opt,
                 file, path);
    }
    break;
  default:
    break;
  }
  PetscCall(
      PetscOptionsReal(OPT("weight"), "Weight of each synapse (mean)", "NdNetwork", pr->weight, &pr->weight, &set));
  PetscCall(PetscOptionsReal(OPT("J"), "Total coupling: weight = J / mean in-degree", "NdNetwork", J, &J, &setJ));
  PetscCheck(!(set && (pr->rule == ND_RULE_FILE || pr->rule == ND_RULE_SONATA)), comm, PETSC_ERR_USER_INPUT,
             "%sweight: the weights of a file projection are the file's data", pre);
  PetscCheck(!(set && setJ), comm, PETSC_ERR_USER_INPUT, "%sweight and %sJ both given: give one of them", pre, pre);
  PetscCheck(!(setJ && (pr->rule == ND_RULE_FILE || pr->rule == ND_RULE_SONATA)), comm, PETSC_ERR_USER_INPUT,
             "%sJ: a connectivity file carries its own weights; J is for generated connectivity", pre);
  if (setJ) pr->weight = J / PetscMax(NdProjectionMeanInDegree(pr, S->size, T->size), 1e-300);
  d = ND_DIST_FIXED;
  PetscCall(NdOptionsChoice(PetscOptionsObject, OPT("weight_dist"), "Distribution of the weights", NdDistributions, 4,
                            &d, NULL));
  pr->weight_dist = (NdDistribution)d;
  PetscCall(PetscOptionsReal(OPT("weight_spread"), "Standard deviation (gaussian) or half-width (uniform)", "NdNetwork",
                             pr->weight_spread, &pr->weight_spread, NULL));
  PetscCheck(pr->weight_dist != ND_DIST_LORENTZIAN, comm, PETSC_ERR_USER_INPUT,
             "%sweight_dist lorentzian: weights may be fixed, gaussian or uniform", pre);
  PetscCheck(pr->weight_spread >= 0, comm, PETSC_ERR_USER_INPUT, "%sweight_spread must be >= 0", pre);
  pr->delay = net->dt;
  PetscCall(PetscOptionsReal(OPT("delay"), "Transmission delay (mean; a multiple of -ts_dt)", "NdNetwork", pr->delay,
                             &pr->delay, NULL));
  d = ND_DIST_FIXED;
  PetscCall(NdOptionsChoice(PetscOptionsObject, OPT("delay_dist"), "Distribution of the delays", NdDistributions, 4, &d,
                            NULL));
  pr->delay_dist = (NdDistribution)d;
  PetscCheck(pr->delay_dist == ND_DIST_FIXED || pr->delay_dist == ND_DIST_UNIFORM, comm, PETSC_ERR_USER_INPUT,
             "%sdelay_dist: delays may be fixed or uniform", pre);
  PetscCall(PetscOptionsReal(OPT("delay_spread"), "Half-width of the uniform delay distribution", "NdNetwork",
                             pr->delay_spread, &pr->delay_spread, NULL));
  PetscCheck(pr->delay_spread >= 0, comm, PETSC_ERR_USER_INPUT, "%sdelay_spread must be >= 0", pre);
  PetscCheck(
      pr->delay - pr->delay_spread >= net->dt * (1 - 1e-9), comm, PETSC_ERR_USER_INPUT,
      "%sdelay: the shortest delay (%g) is less than the time step -ts_dt = %g; delays must be at least one step", pre,
      (double)(pr->delay - pr->delay_spread), (double)net->dt);
  PetscCheck(pr->rule != ND_RULE_ALL_TO_ALL || (pr->weight_dist == ND_DIST_FIXED && pr->delay_dist == ND_DIST_FIXED),
             comm, PETSC_ERR_USER_INPUT,
             "%srule all_to_all couples through the population spike count: its weight and delay must be fixed", pre);
  PetscCall(NdOptionsChoice(PetscOptionsObject, OPT("receptor"),
                            "Input channel of the target (auto: excitatory for weight >= 0)", receptors, 3, &receptor,
                            NULL));
#undef OPT
  PetscOptionsEnd();
  pr->channel = receptor == 0 ? (pr->weight < 0) : receptor - 1;
  pr->channel_by_sign =
      (PetscBool)(receptor == 0 && (pr->rule == ND_RULE_FILE || pr->rule == ND_RULE_SONATA) && T->nchannel > 1);
  if (T->nchannel < 2) pr->channel = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Every -net_<source>_<target>_rule given defines a projection, in the order of the populations */
PetscErrorCode NdProjectionsSetFromOptions(NdNetwork net)
{
  char opt[128];

  PetscFunctionBegin;
  PetscCall(PetscFree(net->proj));
  net->nproj = 0;
  PetscCall(PetscCalloc1(net->npop * net->npop, &net->proj));
  for (PetscInt s = 0; s < net->npop; s++)
    for (PetscInt t = 0; t < net->npop; t++) {
      PetscBool has;
      PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s_rule", net->pop[s]->name, net->pop[t]->name));
      PetscCall(PetscOptionsHasName(NULL, NULL, opt, &has));
      if (!has) continue;
      net->proj[net->nproj].source = s;
      net->proj[net->nproj].target = t;
      PetscCall(NdProjectionSetFromOptions(net, &net->proj[net->nproj++]));
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}
