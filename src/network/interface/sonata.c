/* SONATA network import (-net_sonata nodes.h5,edges.h5[,node_types.csv[,edge_types.csv]]): the node
   populations of the nodes file become populations (size: the length of node_type_id; model: the
   option -net_<pop>_model, else the node types' model_template), the edge populations of the
   edges file projections of rule sonata (their source_node_id and target_node_id name the node
   populations in the attribute node_population). Everything is set as options before the network
   reads them, so -net_view and the output show the result as if given by hand; a second call
   finds the same options and changes nothing. The edges are read later, each rank those of its
   targets (connectivity.c). */
#include <ctype.h>
#include <neurodyn/private/networkimpl.h>

#define ND_SONATA_MAX_POPS 64

/* The neurodyn model of a SONATA model_template (nest:iaf_psc_exp, ...) or model_type (virtual) */
static PetscErrorCode NdSonataModelName(const char type[], const char template_[], char model[], size_t len)
{
  static const char *const map[][2] = {{"iaf_psc_exp", "lif"},
                                       {"iaf_psc_delta", "lif_delta"},
                                       {"iaf_cond_exp", "lif_cond"},
                                       {"aeif_psc_exp", "adex"},
                                       {"spike_generator", "spike_generator"}};
  const char              *name = template_, *colon = strchr(template_, ':');

  PetscFunctionBegin;
  if (!strcmp(type, "virtual")) {
    PetscCall(PetscStrncpy(model, "spike_generator", len));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (colon) name = colon + 1;
  PetscCall(PetscStrncpy(model, name, len));
  for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
    if (!strcmp(name, map[k][0])) PetscCall(PetscStrncpy(model, map[k][1], len));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A SONATA types table (node_types.csv, edge_types.csv): space-separated, the first non-empty line
   a header naming the columns; the data rows with at least as many fields, their first ncol
   fields (cell[r * ncol + c]) */
typedef struct {
  int      ncol;
  PetscInt nrows;
  char   **cell;
} NdSonataTable;

static PetscErrorCode NdSonataTableRead(MPI_Comm comm, const char csv[], const char what[], NdSonataTable *t)
{
  FILE    *fp = fopen(csv, "r");
  char     line[4096];
  PetscInt max = 0;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(t, sizeof(*t)));
  PetscCheck(fp, comm, PETSC_ERR_FILE_OPEN, "-net_sonata: cannot open the %s file %s", what, csv);
  while (fgets(line, sizeof(line), fp)) {
    char *tok[64], *save = NULL;
    int   k = 0;
    for (char *s = strtok_r(line, " \t\r\n", &save); s && k < 64; s = strtok_r(NULL, " \t\r\n", &save)) tok[k++] = s;
    if (!k) continue;
    if (!t->ncol)
      t->ncol = k; /* the header: row -1 */
    else if (k < t->ncol)
      continue;
    else
      t->nrows++;
    if ((t->nrows + 1) * t->ncol > max) {
      max = PetscMax(16 * t->ncol, 2 * max);
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)max, &t->cell));
    }
    for (int c = 0; c < t->ncol; c++) PetscCall(PetscStrallocpy(tok[c], &t->cell[t->nrows * t->ncol + c]));
  }
  fclose(fp);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* the column named name (-1: none), and the cell of data row r (0..nrows-1) in column c */
static int NdSonataTableColumn(const NdSonataTable *t, const char name[])
{
  for (int c = 0; c < t->ncol; c++)
    if (!strcmp(t->cell[c], name)) return c;
  return -1;
}

static const char *NdSonataTableCell(const NdSonataTable *t, PetscInt r, int c)
{
  return t->cell[(r + 1) * t->ncol + c];
}

static PetscErrorCode NdSonataTableDestroy(NdSonataTable *t)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; t->ncol && i < (t->nrows + 1) * t->ncol; i++) PetscCall(PetscFree(t->cell[i]));
  PetscCall(PetscFree(t->cell));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The model of node population pop from node_types.csv (space-separated, a header line naming
   node_type_id and model_template or model_type): the one model of all its node types */
static PetscErrorCode NdSonataModelFromTypes(MPI_Comm comm, const char csv[], NdInputFile f, const char pop[],
                                             PetscInt size, char model[], size_t len)
{
  NdSonataTable t;
  char          path[PETSC_MAX_PATH_LEN], first_model[ND_NAME_LEN] = "";
  int           col_id, col_tpl, col_type;
  PetscReal    *ids;
  PetscInt64    first_type = -1;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(size, &ids));
  PetscCall(PetscSNPrintf(path, sizeof(path), "/nodes/%s/node_type_id", pop));
  PetscCall(NdInputFileRead(f, path, NULL, NULL, ids));
  PetscCall(NdSonataTableRead(comm, csv, "node types", &t));
  col_id   = NdSonataTableColumn(&t, "node_type_id");
  col_tpl  = NdSonataTableColumn(&t, "model_template");
  col_type = NdSonataTableColumn(&t, "model_type");
  for (PetscInt r = 0; col_id >= 0 && (col_tpl >= 0 || col_type >= 0) && r < t.nrows; r++) {
    const char *id   = NdSonataTableCell(&t, r, col_id);
    PetscBool   used = PETSC_FALSE;
    char        m[ND_NAME_LEN];
    for (PetscInt i = 0; i < size && !used; i++) used = (PetscBool)(ids[i] == atof(id));
    if (!used) continue;
    PetscCall(NdSonataModelName(col_type >= 0 ? NdSonataTableCell(&t, r, col_type) : "",
                                col_tpl >= 0 ? NdSonataTableCell(&t, r, col_tpl) : "", m, sizeof(m)));
    if (!first_model[0]) {
      PetscCall(PetscStrncpy(first_model, m, sizeof(first_model)));
      first_type = atoll(id);
    } else if (strcmp(first_model, m)) {
      char second[64];
      PetscCall(PetscStrncpy(second, id, sizeof(second)));
      PetscCall(NdSonataTableDestroy(&t));
      PetscCall(PetscFree(ids));
      SETERRQ(comm, PETSC_ERR_USER_INPUT,
              "-net_sonata: node population %s mixes models %s (node type %" PetscInt64_FMT
              ") and %s (node type %s) in %s: give -net_%s_model or split the population",
              pop, first_model, first_type, m, second, csv, pop);
    }
  }
  PetscCall(NdSonataTableDestroy(&t));
  PetscCall(PetscFree(ids));
  PetscCheck(col_id >= 0 && (col_tpl >= 0 || col_type >= 0), comm, PETSC_ERR_USER_INPUT,
             "-net_sonata: %s has no header with node_type_id and model_template (space-separated SONATA node types)",
             csv);
  PetscCheck(first_model[0], comm, PETSC_ERR_USER_INPUT,
             "-net_sonata: no node type of population %s is in %s: give -net_%s_model", pop, csv, pop);
  PetscCall(PetscStrncpy(model, first_model, len));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* edge_types.csv (space-separated, a header naming edge_type_id and syn_weight and/or delay): the
   types and their weight and delay (NaN where a column is missing; *hasw: a syn_weight column),
   as one PetscMalloc3 block (id, w, d) that the caller frees */
PetscErrorCode NdSonataReadEdgeTypes(MPI_Comm comm, const char csv[], PetscInt *n, PetscReal **id, PetscReal **w,
                                     PetscReal **d, PetscBool *hasw)
{
  NdSonataTable t;
  int           cid, cw, cd;

  PetscFunctionBegin;
  PetscCall(NdSonataTableRead(comm, csv, "edge types", &t));
  cid = NdSonataTableColumn(&t, "edge_type_id");
  cw  = NdSonataTableColumn(&t, "syn_weight");
  cd  = NdSonataTableColumn(&t, "delay");
  *n  = cid >= 0 ? t.nrows : 0;
  if (cid < 0 || !*n) PetscCall(NdSonataTableDestroy(&t));
  PetscCheck(cid >= 0, comm, PETSC_ERR_USER_INPUT,
             "-net_sonata: %s has no header with edge_type_id (space-separated SONATA edge types)", csv);
  PetscCheck(*n > 0, comm, PETSC_ERR_USER_INPUT, "-net_sonata: %s lists no edge type", csv);
  PetscCall(PetscMalloc3(*n, id, *n, w, *n, d));
  for (PetscInt r = 0; r < *n; r++) {
    (*id)[r] = atof(NdSonataTableCell(&t, r, cid));
    (*w)[r]  = cw >= 0 ? atof(NdSonataTableCell(&t, r, cw)) : PETSC_MAX_REAL;
    (*d)[r]  = cd >= 0 ? atof(NdSonataTableCell(&t, r, cd)) : (PetscReal)NAN;
  }
  *hasw = (PetscBool)(cw >= 0);
  PetscCall(NdSonataTableDestroy(&t));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Set option name to value unless it holds that value already; a different value given by the
   user is an error naming both */
static PetscErrorCode NdSonataSetOption(MPI_Comm comm, const char name[], const char value[], const char what[])
{
  char      have[PETSC_MAX_PATH_LEN];
  PetscBool set;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetString(NULL, NULL, name, have, sizeof(have), &set));
  if (set) {
    PetscCheck(!strcmp(have, value), comm, PETSC_ERR_USER_INPUT, "-net_sonata: %s %s is given, but %s gives %s", name,
               have, what, value);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscOptionsSetValue(NULL, name, value));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdNetworkSonataSetOptions(NdNetwork net)
{
  MPI_Comm    comm     = PetscObjectComm((PetscObject)net);
  char       *files[4] = {NULL, NULL, NULL, NULL}, *pops[ND_SONATA_MAX_POPS], *edges[ND_SONATA_MAX_POPS * 4];
  char        list[ND_SONATA_MAX_POPS * ND_NAME_LEN] = "", opt[256], value[PETSC_MAX_PATH_LEN + 64], what[512];
  PetscInt    nfiles                                 = 4, npop, nedge;
  PetscBool   set;
  NdInputFile f;

  PetscFunctionBegin;
  PetscOptionsBegin(comm, NULL, "SONATA network", "NdNetwork");
  PetscCall(PetscOptionsStringArray("-net_sonata",
                                    "SONATA network: nodes.h5,edges.h5[,node_types.csv[,edge_types.csv]]", "NdNetwork",
                                    files, &nfiles, &set));
  PetscOptionsEnd();
  if (!set) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCheck(nfiles >= 2 && nfiles <= 4, comm, PETSC_ERR_USER_INPUT,
             "-net_sonata takes nodes.h5,edges.h5[,node_types.csv[,edge_types.csv]] (%" PetscInt_FMT " files given)",
             nfiles);

  /* the node populations */
  PetscCall(NdInputFileOpen(files[0], &f));
  PetscCheck(f, comm, PETSC_ERR_FILE_OPEN, "-net_sonata: cannot open the nodes file %s as HDF5", files[0]);
  PetscCall(NdInputFileListGroup(f, "/nodes", ND_SONATA_MAX_POPS, &npop, pops));
  PetscCheck(npop > 0, comm, PETSC_ERR_USER_INPUT, "-net_sonata: %s has no node population (a group /nodes/<name>)",
             files[0]);
  for (PetscInt p = 0; p < npop; p++) {
    char       path[PETSC_MAX_PATH_LEN];
    PetscInt   nd;
    PetscInt64 dims[2] = {0, 0};
    PetscBool  exists;
    size_t     len = strlen(pops[p]);

    PetscCheck(len > 0 && len < ND_NAME_LEN, comm, PETSC_ERR_USER_INPUT,
               "-net_sonata: node population '%s' of %s: names must have 1 to %d characters", pops[p], files[0],
               ND_NAME_LEN - 1);
    for (size_t c = 0; c < len; c++)
      PetscCheck(isalnum((unsigned char)pops[p][c]), comm, PETSC_ERR_USER_INPUT,
                 "-net_sonata: node population '%s' of %s: neurodyn population names may contain only letters and "
                 "digits (rename the group)",
                 pops[p], files[0]);
    PetscCall(PetscSNPrintf(path, sizeof(path), "/nodes/%s/node_type_id", pops[p]));
    PetscCall(NdInputFileGetShape(f, path, &exists, &nd, dims));
    PetscCheck(exists && nd == 1 && dims[0] > 0, comm, PETSC_ERR_USER_INPUT,
               "-net_sonata: %s has no 1-D dataset %s (SONATA nodes) or it is empty", files[0], path);
    PetscCheck(dims[0] <= PETSC_MAX_INT, comm, PETSC_ERR_USER_INPUT,
               "-net_sonata: %s: too many nodes (%" PetscInt64_FMT ")", path, dims[0]);
    PetscCall(PetscSNPrintf(path, sizeof(path), "/nodes/%s/node_id", pops[p]));
    {
      PetscInt64 nd_dims[2] = {0, 0};
      PetscInt   nnd;
      PetscCall(NdInputFileGetShape(f, path, &exists, &nnd, nd_dims));
      if (exists) {
        PetscReal *id;
        PetscInt64 bad = -1;
        PetscCheck(nnd == 1 && nd_dims[0] == dims[0], comm, PETSC_ERR_USER_INPUT,
                   "-net_sonata: %s:%s must have one entry per node (%" PetscInt64_FMT ")", files[0], path, dims[0]);
        PetscCall(PetscMalloc1(dims[0], &id));
        PetscCall(NdInputFileRead(f, path, NULL, NULL, id));
        for (PetscInt64 i = 0; i < dims[0] && bad < 0; i++)
          if (id[i] != (PetscReal)i) bad = i;
        PetscCall(PetscFree(id));
        PetscCheck(bad < 0, comm, PETSC_ERR_USER_INPUT,
                   "-net_sonata: %s:%s must be 0, 1, ..., N-1 in order (entry %" PetscInt64_FMT " is not)", files[0],
                   path, bad);
      }
    }
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_size", pops[p]));
    PetscCall(PetscSNPrintf(value, sizeof(value), "%" PetscInt64_FMT, dims[0]));
    PetscCall(PetscSNPrintf(what, sizeof(what), "the node count of /nodes/%s in %s", pops[p], files[0]));
    PetscCall(NdSonataSetOption(comm, opt, value, what));
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_model", pops[p]));
    PetscCall(PetscOptionsHasName(NULL, NULL, opt, &exists));
    if (!exists) {
      char model[ND_NAME_LEN];
      PetscCheck(nfiles >= 3 && files[2][0], comm, PETSC_ERR_USER_INPUT,
                 "-net_sonata: the model of node population %s: give %s (or a node_types.csv with model_template as "
                 "the third file)",
                 pops[p], opt);
      PetscCall(NdSonataModelFromTypes(comm, files[2], f, pops[p], (PetscInt)dims[0], model, sizeof(model)));
      PetscCall(PetscOptionsSetValue(NULL, opt, model));
    }
    if (p) PetscCall(PetscStrlcat(list, ",", sizeof(list)));
    PetscCall(PetscStrlcat(list, pops[p], sizeof(list)));
  }
  PetscCall(NdInputFileClose(&f));
  PetscCall(NdSonataSetOption(comm, "-net_populations", list, "the node populations of the nodes file"));

  /* the edge populations */
  PetscCall(NdInputFileOpen(files[1], &f));
  PetscCheck(f, comm, PETSC_ERR_FILE_OPEN, "-net_sonata: cannot open the edges file %s as HDF5", files[1]);
  PetscCall(NdInputFileListGroup(f, "/edges", ND_SONATA_MAX_POPS * 4, &nedge, edges));
  PetscCheck(nedge >= 0, comm, PETSC_ERR_USER_INPUT, "-net_sonata: %s has no group /edges (SONATA edges)", files[1]);
  for (PetscInt e = 0; e < nedge; e++) {
    char        ends[2][ND_NAME_LEN], path[PETSC_MAX_PATH_LEN];
    const char *ids[2] = {"source_node_id", "target_node_id"};
    PetscBool   exists;
    for (int k = 0; k < 2; k++) {
      PetscBool known = PETSC_FALSE;
      PetscCall(PetscSNPrintf(path, sizeof(path), "/edges/%s/%s", edges[e], ids[k]));
      PetscCall(NdInputFileGetAttributeString(f, path, "node_population", ends[k], sizeof(ends[k]), &exists));
      PetscCheck(exists, comm, PETSC_ERR_USER_INPUT,
                 "-net_sonata: %s:%s is missing or has no string attribute node_population (SONATA edges)", files[1],
                 path);
      for (PetscInt p = 0; p < npop; p++) known = (PetscBool)(known || !strcmp(pops[p], ends[k]));
      PetscCheck(known, comm, PETSC_ERR_USER_INPUT,
                 "-net_sonata: edge population %s of %s: its %s names node population '%s', which is not in %s",
                 edges[e], files[1], ids[k], ends[k], files[0]);
    }
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s_file", ends[0], ends[1]));
    PetscCall(PetscSNPrintf(value, sizeof(value), "%s:/edges/%s", files[1], edges[e]));
    PetscCall(PetscSNPrintf(what, sizeof(what), "edge population %s (%s -> %s; one edge population per pair)", edges[e],
                            ends[0], ends[1]));
    PetscCall(NdSonataSetOption(comm, opt, value, what));
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-net_%s_%s_rule", ends[0], ends[1]));
    PetscCall(NdSonataSetOption(comm, opt, "sonata", what));
  }
  PetscCall(NdInputFileClose(&f));
  for (PetscInt p = 0; p < npop; p++) PetscCall(PetscFree(pops[p]));
  for (PetscInt e = 0; e < nedge; e++) PetscCall(PetscFree(edges[e]));
  for (PetscInt k = 0; k < nfiles; k++) PetscCall(PetscFree(files[k]));
  PetscFunctionReturn(PETSC_SUCCESS);
}
