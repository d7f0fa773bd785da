/* node_network: N mass-model nodes (any single-node NdSystem type, -node_type) coupled through a
   connectome W (rows = target node):

     dx_i/dt = f(x_i; p) + e_in G sum_j W_ij x_j[out]

   f is the node type's right-hand side with its parameters p (-params_<name>, shared by all
   nodes), x_j[out] the coupled variable of the source node (-node_couple_from, default r) and
   e_in the equation it enters (-node_couple_to, default v). For mpr with tau = 1 the coupling is
   an input current G sum_j W_ij r_j. The nodes are distributed over the ranks like W's rows;
   the coupling is one MatMult. The Jacobian is assembled: the node Jacobians on the diagonal
   blocks plus G W_ij in row (i, in), column (j, out).
   With conduction delays (-node_delay, -node_delay_file) x_j[out] is taken at t - tau_ij from a
   history of fixed steps (delays.c); such a network is only integrated in time, with a fixed
   step of which every delay is a multiple. */
#include <neurodyn/output.h>
#include <neurodyn/private/nodenetworkimpl.h>
#include <neurodyn/private/rateimpl.h>

enum { NODE_G, NODE_NPARAM }; /* the network's own parameters; the node's follow */

static const char *const NdConnectomeNames[] = {"ring", "random", "file"};

typedef struct {
  NdSystem         node; /* the node model, holding all N nodes (no coupling) */
  NdConnectomeSpec spec;
  char             from[ND_NAME_LEN], to[ND_NAME_LEN];
  PetscInt         out, in; /* indices of the coupled variable and of the equation it enters */
  Mat              W;
  Vec              xout, coupling; /* x_j[out] and (W x[out])_i, laid out like W's columns and rows */
  PetscReal        delay;          /* uniform conduction delay (0: none) */
  char             delay_file[PETSC_MAX_PATH_LEN];
  NdNodeDelays    *delays; /* NULL without delays */
} NdSystem_NodeNetwork;

/* The node's parameter values are the network's parameters NODE_NPARAM, NODE_NPARAM + 1, ... */
static void NdNodeNetworkSyncParameters(NdSystem sys)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;

  for (PetscInt k = 0; k < net->node->nparam; k++) net->node->param[k].value = sys->param[NODE_NPARAM + k].value;
}

/* A node model of the given type; the network's parameter list becomes G followed by copies of
   the node's parameters (same names, units, ranges; structural ones stay structural) */
static PetscErrorCode NdNodeNetworkSetNodeType(NdSystem sys, const char type[])
{
  NdSystem_NodeNetwork *net  = (NdSystem_NodeNetwork *)sys->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)sys);
  NdSystem              node;

  PetscFunctionBegin;
  PetscCall(NdSystemCreate(comm, &node));
  PetscCall(NdSystemSetType(node, type));
  PetscCheck(!node->ops->createjacobian, comm, PETSC_ERR_USER_INPUT,
             "-node_type %s: a node must be a single-population model (mpr, izh_mf, ...), not a network", type);
  PetscCheck(node->ops->jacobian && node->ops->paramderiv, comm, PETSC_ERR_USER_INPUT,
             "-node_type %s has no analytic Jacobian or parameter derivatives", type);
  PetscCheck(!node->ops->diffusion, comm, PETSC_ERR_USER_INPUT,
             "-node_type %s is stochastic; node_network couples deterministic nodes (their noise is not carried over)",
             type);
  for (PetscInt k = 0; k < node->nparam; k++) {
    PetscBool clash;
    PetscCall(PetscStrcasecmp(node->param[k].name, sys->param[NODE_G].name, &clash));
    PetscCheck(!clash, comm, PETSC_ERR_PLIB, "node type %s has a parameter named %s like the network's coupling", type,
               sys->param[NODE_G].name);
  }
  PetscCall(NdSystemDestroy(&net->node));
  net->node = node;
  PetscCall(PetscRealloc(sizeof(NdParameter) * (size_t)(NODE_NPARAM + node->nparam), &sys->param));
  PetscCall(PetscArraycpy(sys->param + NODE_NPARAM, node->param, node->nparam));
  sys->nparam = NODE_NPARAM + node->nparam;
  PetscCall(PetscSNPrintf(sys->description, sizeof(sys->description),
                          "network of %s nodes coupled through a connectome W: G = coupling", type));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetFromOptions_NodeNetwork(NdSystem sys, NdOptionItems PetscOptionsObject)
{
  NdSystem_NodeNetwork *net  = (NdSystem_NodeNetwork *)sys->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)sys);
  char                  type[256], known[256], opt[64];
  PetscInt              conn = (PetscInt)net->spec.type;
  PetscBool             set, Nset, fileset, connset, Kset;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(type, ((PetscObject)net->node)->type_name, sizeof(type)));
  PetscCall(NdFunctionListNames(NdSystemList, known, sizeof(known)));
  PetscOptionsHeadBegin(PetscOptionsObject, "Network of mass-model nodes");
  PetscCall(PetscOptionsString("-node_type", "System type of every node (mpr, izh_mf, ...)", "", type, type,
                               sizeof(type), &set));
  if (set) {
    NdSystemType current;
    PetscBool    same;
    PetscCall(NdSystemGetType(net->node, &current));
    PetscCall(PetscStrcmp(current, type, &same));
    if (!same) {
      PetscErrorCode (*create)(NdSystem) = NULL;
      PetscCall(PetscFunctionListFind(NdSystemList, type, &create));
      PetscCheck(create, comm, PETSC_ERR_USER_INPUT, "-node_type: unknown node type '%s' (system types: %s)", type,
                 known);
      PetscCall(NdNodeNetworkSetNodeType(sys, type));
    }
  }
  /* the node's parameters (the generic loop has read G only: they were not in the list yet) */
  for (PetscInt i = NODE_NPARAM; i < sys->nparam; i++) {
    NdParameter *p = &sys->param[i];
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-params_%s", p->name));
    PetscCall(PetscOptionsReal(opt, p->description, "NdSystemSetParameter", p->value, &p->value, NULL));
  }
  PetscCall(
      NdOptionsChoice(PetscOptionsObject, "-node_connectome", "Connectome W", NdConnectomeNames, 3, &conn, &connset));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-node_N",
                         "Number of nodes (with -node_connectome_file: must match the file)", 1, PETSC_MAX_INT,
                         &net->spec.N, &Nset));
  PetscCall(NdOptionsInt(PetscOptionsObject, "-node_K",
                         "Inputs per node, each of weight 1/K (ring: K/2 neighbours on each side)", 1, PETSC_MAX_INT,
                         &net->spec.K, &Kset));
  PetscCall(NdOptionsInt64(PetscOptionsObject, "-node_seed", "Random seed of the random connectome and of the weights",
                           0, INT64_MAX, &net->spec.seed, NULL));
  PetscCall(PetscOptionsReal("-node_weight_spread",
                             "Weights uniform in [(1 - spread)/K, (1 + spread)/K] (0: all 1/K, row sums 1)", "",
                             net->spec.spread, &net->spec.spread, NULL));
  PetscCall(PetscOptionsString("-node_connectome_file",
                               "Connectome from a matrix file: file.h5:/path (CSR group or dense), or PETSc binary", "",
                               net->spec.file, net->spec.file, sizeof(net->spec.file), &fileset));
  PetscCall(PetscOptionsReal("-node_delay",
                             "Conduction delay of every connection (a multiple of the fixed -ts_dt; 0: none)", "",
                             net->delay, &net->delay, NULL));
  PetscCall(
      PetscOptionsString("-node_delay_file",
                         "Conduction delays from a matrix file with an entry for every connection (HDF5, PETSc binary)",
                         "", net->delay_file, net->delay_file, sizeof(net->delay_file), NULL));
  PetscCall(PetscOptionsString("-node_couple_from", "Variable of the source nodes that is coupled", "", net->from,
                               net->from, sizeof(net->from), NULL));
  PetscCall(PetscOptionsString("-node_couple_to", "Equation (variable) of the target node that receives the coupling",
                               "", net->to, net->to, sizeof(net->to), NULL));
  PetscOptionsHeadEnd();
  PetscCheck(net->delay >= 0, comm, PETSC_ERR_USER_INPUT, "-node_delay must be >= 0 (got %g)", (double)net->delay);
  PetscCheck(!(net->delay > 0 && net->delay_file[0]), comm, PETSC_ERR_USER_INPUT,
             "give either -node_delay or -node_delay_file, not both");
  net->spec.type = (NdConnectomeType)conn;
  PetscCheck(!fileset || !connset || net->spec.type == ND_CONNECTOME_FILE, comm, PETSC_ERR_USER_INPUT,
             "-node_connectome %s and -node_connectome_file: give one connectome", NdConnectomeNames[conn]);
  if (fileset) net->spec.type = ND_CONNECTOME_FILE;
  PetscCheck(!Kset || net->spec.type != ND_CONNECTOME_FILE, comm, PETSC_ERR_USER_INPUT,
             "-node_K is for generated connectomes; a connectome file fixes the inputs of each node");
  PetscCheck(net->spec.type != ND_CONNECTOME_FILE || net->spec.file[0], comm, PETSC_ERR_USER_INPUT,
             "-node_connectome file needs -node_connectome_file file.h5:/path");
  if (net->spec.type == ND_CONNECTOME_FILE) {
    PetscInt N;
    PetscCall(NdReadSquareMatrixSize(comm, "-node_connectome_file", net->spec.file, "/J", &N));
    PetscCheck(!Nset || N == net->spec.N, comm, PETSC_ERR_USER_INPUT,
               "-node_connectome_file %s is %" PetscInt_FMT " x %" PetscInt_FMT " but -node_N is %" PetscInt_FMT,
               net->spec.file, N, N, net->spec.N);
    net->spec.N = N;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdNodeNetworkFindVariable(NdSystem sys, const char option[], const char name[], PetscInt *index)
{
  NdSystem_NodeNetwork *net        = (NdSystem_NodeNetwork *)sys->data;
  char                  known[256] = "";

  PetscFunctionBegin;
  for (PetscInt i = 0; i < net->node->nvar; i++) {
    PetscBool match;
    PetscCall(PetscStrcmp(net->node->var[i].name, name, &match));
    if (match) {
      *index = i;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    if (i) PetscCall(PetscStrlcat(known, ", ", sizeof(known)));
    PetscCall(PetscStrlcat(known, net->node->var[i].name, sizeof(known)));
  }
  SETERRQ(PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
          "%s: node type %s has no variable '%s' (its variables: %s)", option, ((PetscObject)net->node)->type_name,
          name, known);
}

/* The network's variables are the node's (they may depend on structural parameters) */
static PetscErrorCode NdSystemSetVariables_NodeNetwork(NdSystem sys)
{
  NdSystem_NodeNetwork *net  = (NdSystem_NodeNetwork *)sys->data;
  NdSystem              node = net->node;

  PetscFunctionBegin;
  NdNodeNetworkSyncParameters(sys);
  PetscCall(NdSystemClearVariables(node));
  PetscCall((*node->ops->setvariables)(node));
  for (PetscInt i = 0; i < node->nvar; i++) {
    PetscCall(
        NdSystemAddVariable(sys, node->var[i].name, node->var[i].unit, node->var[i].initial, node->var[i].description));
    PetscCall(NdSystemSetVariableRange(sys, i, node->var[i].lower, node->var[i].upper));
  }
  PetscCall(NdSystemSetInputUnit(sys, node->input_unit));
  PetscCall(NdNodeNetworkFindVariable(sys, "-node_couple_from", net->from, &net->out));
  PetscCall(NdNodeNetworkFindVariable(sys, "-node_couple_to", net->to, &net->in));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemSetUp_NodeNetwork(NdSystem sys)
{
  NdSystem_NodeNetwork *net  = (NdSystem_NodeNetwork *)sys->data;
  NdSystem              node = net->node;
  NdStimulus            stim;

  PetscFunctionBegin;
  PetscCall(MatDestroy(&net->W));
  PetscCall(VecDestroy(&net->xout));
  PetscCall(VecDestroy(&net->coupling));
  PetscCall(PetscLogEventBegin(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(NdConnectomeBuild(PetscObjectComm((PetscObject)sys), &net->spec, &net->W));
  PetscCall(PetscLogEventEnd(ND_EVENT_BUILD, 0, 0, 0, 0));
  PetscCall(MatCreateVecs(net->W, &net->xout, &net->coupling));
  PetscCall(NdNodeDelaysDestroy(&net->delays));
  if (net->delay > 0 || net->delay_file[0])
    PetscCall(NdNodeDelaysCreate(net->W, net->delay, net->delay_file, &net->delays));
  PetscCall(NdSystemSetNumNodes(sys, net->spec.N));
  /* the node model holds all N nodes, split over the ranks as the network's (and W's) rows */
  NdNodeNetworkSyncParameters(sys);
  PetscCall(NdSystemSetNumNodes(node, net->spec.N));
  PetscCall(PetscStrncpy(node->time_unit, sys->time_unit, sizeof(node->time_unit)));
  PetscCall(NdSystemGetStimulus(sys, &stim));
  PetscCall(NdSystemSetStimulus(node, stim));
  node->setupcalled = PETSC_FALSE;
  PetscCall(NdSystemSetUp(node));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* xout <- x[out] */
static PetscErrorCode NdNodeNetworkGatherOut(NdSystem sys, Vec X)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  const PetscScalar    *x;
  PetscScalar          *y;
  const PetscInt        nv = sys->nvar;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(net->xout, &y));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) y[n] = x[n * nv + net->out];
  PetscCall(VecRestoreArray(net->xout, &y));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* coupling <- W x[out](t), or with delays sum_j W_ij x_j[out](t - tau_ij) */
static PetscErrorCode NdNodeNetworkCoupling(NdSystem sys, PetscReal t, Vec X)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  PetscScalar          *c;

  PetscFunctionBegin;
  if (net->delays) {
    PetscCall(VecGetArray(net->coupling, &c));
    PetscCall(NdNodeDelaysApply(net->delays, PetscObjectComm((PetscObject)sys), t, c));
    PetscCall(VecRestoreArray(net->coupling, &c));
  } else {
    PetscCall(NdNodeNetworkGatherOut(sys, X));
    PetscCall(MatMult(net->W, net->xout, net->coupling));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Delays are stepped with the integration: a fixed step dt that every delay, the sampling
   interval and the run's length are multiples of */
static PetscErrorCode NdSystemIntegrateBegin_NodeNetwork(NdSystem sys, TS ts, Vec X, PetscReal sample_dt)
{
  NdSystem_NodeNetwork *net  = (NdSystem_NodeNetwork *)sys->data;
  MPI_Comm              comm = PetscObjectComm((PetscObject)sys);
  TSAdapt               adapt;
  TSAdaptType           atype;
  PetscBool             fixed;
  PetscReal             dt, t0, tend;

  PetscFunctionBegin;
  if (!net->delays) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(TSGetAdapt(ts, &adapt));
  PetscCall(TSAdaptGetType(adapt, &atype));
  PetscCall(PetscStrcmp(atype, TSADAPTNONE, &fixed));
  PetscCheck(fixed, comm, PETSC_ERR_USER_INPUT,
             "a network with conduction delays needs a fixed time step: use -ts_adapt_type none with -ts_dt (and an "
             "explicit -ts_type such as rk or euler); the step adaptor is '%s'",
             atype);
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetTime(ts, &t0));
  PetscCall(TSGetMaxTime(ts, &tend));
  PetscCall(NdNodeNetworkGatherOut(sys, X));
  PetscCall(NdNodeDelaysBegin(net->delays, comm, dt, t0, net->xout));
  for (PetscInt k = 0; k < 2; k++) {
    const PetscReal span = k ? tend - t0 : sample_dt, q = span / dt;
    PetscCheck(PetscAbsReal(q - PetscFloorReal(q + 0.5)) <= 1e-9 * PetscMax(1.0, q), comm, PETSC_ERR_USER_INPUT,
               "with conduction delays, %s (%g) must be a multiple of -ts_dt (%g)",
               k ? "the run's length -ts_max_time" : "-sample_dt", (double)span, (double)dt);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemPostStep_NodeNetwork(NdSystem sys, TS ts)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  PetscReal             t;
  Vec                   X;

  PetscFunctionBegin;
  if (!net->delays) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetSolution(ts, &X));
  PetscCall(NdNodeNetworkGatherOut(sys, X));
  PetscCall(NdNodeDelaysPush(net->delays, PetscObjectComm((PetscObject)sys), t, net->xout));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* F[i, in] += scale * coupling_i */
static PetscErrorCode NdNodeNetworkAddCoupling(NdSystem sys, PetscReal scale, Vec F)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  const PetscScalar    *c;
  PetscScalar          *f;
  const PetscInt        nv = sys->nvar;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(net->coupling, &c));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) f[n * nv + net->in] += scale * c[n];
  PetscCall(VecRestoreArray(F, &f));
  PetscCall(VecRestoreArrayRead(net->coupling, &c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemRHS_NodeNetwork(NdSystem sys, PetscReal t, Vec X, Vec F)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;

  PetscFunctionBegin;
  NdNodeNetworkSyncParameters(sys);
  PetscCall((*net->node->ops->rhs)(net->node, t, X, F));
  PetscCall(NdNodeNetworkCoupling(sys, t, X));
  PetscCall(NdNodeNetworkAddCoupling(sys, sys->param[NODE_G].value, F));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The pattern: each node's nvar x nvar block, and in row (i, in) the columns (j, out) of W's row i;
   assembled once with zeros so that later assemblies keep it */
static PetscErrorCode NdSystemCreateJacobian_NodeNetwork(NdSystem sys, Mat *A)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  const PetscInt        nv = sys->nvar, nloc = nv * sys->nnodes_local;
  const PetscInt        first = sys->node_start, last = sys->node_start + sys->nnodes_local;
  PetscInt             *dnz, *onz, *cols, maxcols;
  PetscScalar          *zeros;

  PetscFunctionBegin;
  PetscCall(PetscCalloc2(nloc, &dnz, nloc, &onz));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    PetscInt        ncols;
    const PetscInt *wcols;
    for (PetscInt v = 0; v < nv; v++) dnz[n * nv + v] = nv;
    PetscCall(MatGetRow(net->W, first + n, &ncols, &wcols, NULL));
    for (PetscInt k = 0; k < ncols; k++) {
      if (wcols[k] == first + n) continue; /* inside the node's block */
      if (wcols[k] >= first && wcols[k] < last)
        dnz[n * nv + net->in]++;
      else
        onz[n * nv + net->in]++;
    }
    PetscCall(MatRestoreRow(net->W, first + n, &ncols, &wcols, NULL));
  }
  PetscCall(MatCreate(PetscObjectComm((PetscObject)sys), A));
  PetscCall(MatSetSizes(*A, nloc, nloc, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetType(*A, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*A, 0, dnz));
  PetscCall(MatMPIAIJSetPreallocation(*A, 0, dnz, 0, onz));
  PetscCall(PetscFree2(dnz, onz));
  PetscCall(NdMatGetMaxLocalRowLength(net->W, &maxcols));
  PetscCall(PetscMalloc2(nv + maxcols, &cols, nv + maxcols, &zeros));
  PetscCall(PetscArrayzero(zeros, nv + maxcols));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    PetscInt        ncols, row0 = (first + n) * nv;
    const PetscInt *wcols;
    for (PetscInt v = 0; v < nv; v++) cols[v] = row0 + v;
    for (PetscInt v = 0; v < nv; v++) {
      PetscInt row = row0 + v;
      PetscCall(MatSetValues(*A, 1, &row, nv, cols, zeros, INSERT_VALUES));
    }
    PetscCall(MatGetRow(net->W, first + n, &ncols, &wcols, NULL));
    for (PetscInt k = 0; k < ncols; k++) cols[nv + k] = wcols[k] * nv + net->out;
    row0 += net->in;
    PetscCall(MatSetValues(*A, 1, &row0, ncols, cols + nv, zeros, INSERT_VALUES));
    PetscCall(MatRestoreRow(net->W, first + n, &ncols, &wcols, NULL));
  }
  PetscCall(PetscFree2(cols, zeros));
  PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A = blockdiag(node Jacobians) + G W (x) e_in e_out^T */
static PetscErrorCode NdSystemJacobian_NodeNetwork(NdSystem sys, PetscReal t, Vec X, Mat A)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  const PetscInt        nv  = sys->nvar;
  const PetscReal       G   = sys->param[NODE_G].value;
  PetscInt             *cols;
  PetscScalar          *vals;
  PetscInt              maxcols;

  PetscFunctionBegin;
  PetscCheck(!net->delays, PetscObjectComm((PetscObject)sys), PETSC_ERR_USER_INPUT,
             "a network with conduction delays has no Jacobian matrix: integrate it with an explicit fixed-step "
             "-ts_type (rk, euler); continuation and spectra need a network without delays");
  NdNodeNetworkSyncParameters(sys);
  PetscCall(MatZeroEntries(A));
  PetscCall((*net->node->ops->jacobian)(net->node, t, X, A));
  PetscCall(NdMatGetMaxLocalRowLength(net->W, &maxcols));
  PetscCall(PetscMalloc2(maxcols, &cols, maxcols, &vals));
  for (PetscInt n = 0; n < sys->nnodes_local; n++) {
    PetscInt           ncols, row = (sys->node_start + n) * nv + net->in;
    const PetscInt    *wcols;
    const PetscScalar *w;
    PetscCall(MatGetRow(net->W, sys->node_start + n, &ncols, &wcols, &w));
    for (PetscInt k = 0; k < ncols; k++) {
      cols[k] = wcols[k] * nv + net->out;
      vals[k] = G * w[k];
    }
    PetscCall(MatSetValues(A, 1, &row, ncols, cols, vals, ADD_VALUES));
    PetscCall(MatRestoreRow(net->W, sys->node_start + n, &ncols, &wcols, &w));
  }
  PetscCall(PetscFree2(cols, vals));
  PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* dF/dG = e_in (W x[out]); the node parameters' derivatives are the node's (the coupling does
   not depend on them) */
static PetscErrorCode NdSystemParameterDerivative_NodeNetwork(NdSystem sys, PetscReal t, Vec X, PetscInt p, Vec D)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;

  PetscFunctionBegin;
  NdNodeNetworkSyncParameters(sys);
  if (p == NODE_G) {
    PetscCall(VecSet(D, 0.0));
    PetscCall(NdNodeNetworkCoupling(sys, t, X));
    PetscCall(NdNodeNetworkAddCoupling(sys, 1.0, D));
  } else
    PetscCall((*net->node->ops->paramderiv)(net->node, t, X, p - NODE_NPARAM, D));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemView_NodeNetwork(NdSystem sys, PetscViewer viewer)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;
  char                  conn[PETSC_MAX_PATH_LEN + 64];

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "dx_i/dt = f(x_i) + e_%s G sum_j W_ij %s_j, node type %s:\n", net->to,
                                   net->from, ((PetscObject)net->node)->type_name));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  if (net->node->ops->view) PetscCall((*net->node->ops->view)(net->node, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  if (net->spec.type == ND_CONNECTOME_FILE)
    PetscCall(PetscSNPrintf(conn, sizeof(conn), "file %s", net->spec.file));
  else
    PetscCall(PetscSNPrintf(conn, sizeof(conn),
                            "%s, K = %" PetscInt_FMT " inputs of weight (1 +- %g)/K, seed %" PetscInt64_FMT,
                            NdConnectomeNames[net->spec.type], net->spec.K, (double)net->spec.spread, net->spec.seed));
  PetscCall(PetscViewerASCIIPrintf(viewer, "N = %" PetscInt_FMT " nodes, connectome %s\n", net->spec.N, conn));
  if (net->delay_file[0])
    PetscCall(PetscViewerASCIIPrintf(viewer, "conduction delays from %s\n", net->delay_file));
  else if (net->delay > 0)
    PetscCall(PetscViewerASCIIPrintf(viewer, "conduction delay %g on every connection\n", (double)net->delay));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdSystemDestroy_NodeNetwork(NdSystem sys)
{
  NdSystem_NodeNetwork *net = (NdSystem_NodeNetwork *)sys->data;

  PetscFunctionBegin;
  PetscCall(NdSystemDestroy(&net->node));
  PetscCall(MatDestroy(&net->W));
  PetscCall(VecDestroy(&net->xout));
  PetscCall(VecDestroy(&net->coupling));
  PetscCall(NdNodeDelaysDestroy(&net->delays));
  PetscCall(PetscFree(sys->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdSystemCreate_NodeNetwork(NdSystem sys)
{
  NdSystem_NodeNetwork *net;

  PetscFunctionBegin;
  PetscCall(PetscNew(&net));
  net->spec.type = ND_CONNECTOME_RANDOM;
  net->spec.N    = 100;
  net->spec.K    = 10;
  net->spec.seed = 1;
  PetscCall(PetscStrncpy(net->from, "r", sizeof(net->from)));
  PetscCall(PetscStrncpy(net->to, "v", sizeof(net->to)));
  sys->data = net;
  PetscCall(NdSystemAddParameter(sys, "coupling", 0.0, "1", PETSC_MIN_REAL, PETSC_FALSE, PETSC_MAX_REAL, PETSC_FALSE,
                                 "global coupling strength G (PETSc options are case-insensitive, so not -params_G)"));
  PetscCall(NdNodeNetworkSetNodeType(sys, NDSYSTEMMPR));
  sys->ops->setfromoptions = NdSystemSetFromOptions_NodeNetwork;
  sys->ops->setvariables   = NdSystemSetVariables_NodeNetwork;
  sys->ops->setup          = NdSystemSetUp_NodeNetwork;
  sys->ops->rhs            = NdSystemRHS_NodeNetwork;
  sys->ops->createjacobian = NdSystemCreateJacobian_NodeNetwork;
  sys->ops->jacobian       = NdSystemJacobian_NodeNetwork;
  sys->ops->paramderiv     = NdSystemParameterDerivative_NodeNetwork;
  sys->ops->view           = NdSystemView_NodeNetwork;
  sys->ops->destroy        = NdSystemDestroy_NodeNetwork;
  sys->ops->integratebegin = NdSystemIntegrateBegin_NodeNetwork;
  sys->ops->poststep       = NdSystemPostStep_NodeNetwork;
  PetscFunctionReturn(PETSC_SUCCESS);
}
