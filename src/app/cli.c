/* Parsing of `neurodyn <command> [input.yaml] [-option value ...]` and the unused-option check. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <neurodyn/app.h>
#if defined(ND_HAVE_LIBYAML)
#  include <yaml.h>
#endif

void NdPrintUsage(FILE *fp)
{
  fprintf(fp, "usage: neurodyn <command> [input.yaml] [-option value ...]\n\ncommands:\n");
  for (const NdCommand *c = NdCommands; c->name; c++) fprintf(fp, "  %-10s %s\n", c->name, c->summary);
  fprintf(fp, "\n'neurodyn <command> -help' lists the options of a command. The input file's keys are option\n"
              "names (nested maps join with '_'); options on the command line override the file.\n");
}

static void NdListCommands(char *buf, size_t len)
{
  size_t used = 0;

  buf[0] = 0;
  for (const NdCommand *c = NdCommands; c->name && used < len; c++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", c->name);
}

#if defined(ND_HAVE_LIBYAML)
/* PETSc's options database holds 512 options (MAXOPTIONS) and fails with an out-of-memory trace
   past them; a few are its own */
#  define ND_MAX_OPTIONS 500

typedef struct {
  char   name[ND_MAX_OPTIONS + 1][256];
  size_t line[ND_MAX_OPTIONS + 1];
  int    n;
} NdYamlKeys;

/* The option names of a mapping (nested maps joined with '_', as PETSc reads them) into keys:
   returns 1 with msg on a name set twice or too many names */
static int NdYamlCollectKeys(const char *path, yaml_document_t *doc, yaml_node_t *map, const char *prefix,
                             NdYamlKeys *keys, int ncommand, char *msg, size_t len)
{
  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
    yaml_node_t *key = yaml_document_get_node(doc, pair->key), *value = yaml_document_get_node(doc, pair->value);
    char         name[256];

    if (!key || key->type != YAML_SCALAR_NODE || !value) continue;
    snprintf(name, sizeof(name), "%s%s%s", prefix, prefix[0] ? "_" : "", (const char *)key->data.scalar.value);
    if (value->type == YAML_MAPPING_NODE) {
      if (NdYamlCollectKeys(path, doc, value, name, keys, ncommand, msg, len)) return 1;
      continue;
    }
    for (int i = 0; i < keys->n; i++)
      if (!strcasecmp(keys->name[i], name)) {
        snprintf(msg, len, "input file '%s' sets option -%s twice (lines %zu and %zu)", path, name, keys->line[i] + 1,
                 key->start_mark.line + 1);
        return 1;
      }
    if (keys->n + ncommand >= ND_MAX_OPTIONS) {
      snprintf(msg, len,
               "input file '%s' and the command line set more than %d options; PETSc's options database holds 512, "
               "a few of them its own (drop keys this command does not use)",
               path, ND_MAX_OPTIONS);
      return 1;
    }
    snprintf(keys->name[keys->n], sizeof(keys->name[keys->n]), "%s", name);
    keys->line[keys->n++] = key->start_mark.line;
  }
  return 0;
}
#endif

/* The input file must parse as YAML with a mapping at the top (PETSc's -options_file_yaml reads
   it later; this gives a syntax error its line and column), set no option twice, and fit PETSc's
   options database with the ncommand options of the command line. Returns 0 or 1 with msg. */
static int NdCheckInputFile(const char *path, int ncommand, char *msg, size_t len)
{
#if defined(ND_HAVE_LIBYAML)
  FILE           *fp = fopen(path, "r");
  yaml_parser_t   parser;
  yaml_document_t doc;
  int             bad = 0;

  if (!fp) {
    snprintf(msg, len, "cannot read input file '%s': %s", path, strerror(errno));
    return 1;
  }
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, fp);
  if (!yaml_parser_load(&parser, &doc)) {
    snprintf(msg, len, "input file '%s' is not valid YAML: %s at line %zu, column %zu", path,
             parser.problem ? parser.problem : "syntax error", parser.problem_mark.line + 1,
             parser.problem_mark.column + 1);
    bad = 1;
  } else {
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && root->type != YAML_MAPPING_NODE) {
      snprintf(msg, len, "input file '%s' must be a YAML mapping of option names to values (key: value lines)", path);
      bad = 1;
    } else if (root) {
      NdYamlKeys *keys = (NdYamlKeys *)calloc(1, sizeof(*keys));
      if (!keys) {
        snprintf(msg, len, "out of memory");
        bad = 1;
      } else
        bad = NdYamlCollectKeys(path, &doc, root, "", keys, ncommand, msg, len);
      free(keys);
    }
    yaml_document_delete(&doc);
  }
  yaml_parser_delete(&parser);
  fclose(fp);
  return bad;
#else
  (void)ncommand;
  if (access(path, R_OK)) {
    snprintf(msg, len, "cannot read input file '%s': %s", path, strerror(errno));
    return 1;
  }
  return 0;
#endif
}

int NdCommandLineParse(int argc, char **argv, NdCommandLine *cl, const NdCommand **command, char *msg, size_t len)
{
  char commands[256];
  int  i;

  memset(cl, 0, sizeof(*cl));
  cl->argc = argc;
  cl->argv = argv;
  *command = NULL;
  NdListCommands(commands, sizeof(commands));
  if (argc < 2) {
    snprintf(msg, len, "no command given; valid commands: %s (see 'neurodyn -help')", commands);
    return 1;
  }
  for (const NdCommand *c = NdCommands; c->name; c++)
    if (!strcmp(argv[1], c->name)) *command = c;
  if (!*command) {
    snprintf(msg, len, "unknown command '%s'; valid commands: %s", argv[1], commands);
    return 1;
  }
  cl->command = argv[1];
  i           = 2;
  if (i < argc && argv[i][0] != '-') {
    int ncommand = 0;
    cl->input    = argv[i++];
    for (int k = i; k < argc; k++) ncommand += NdIsOptionKey(argv[k]) ? 1 : 0;
    if (NdCheckInputFile(cl->input, ncommand, msg, len)) return 1;
  }
  cl->first_option = i;
  for (int expect_value = 0; i < argc; i++) {
    /* PETSc reads these files while it starts, and fails with a trace and MPI_Abort */
    if ((!strcmp(argv[i], "-options_file") || !strcmp(argv[i], "-options_file_yaml")) && i + 1 < argc &&
        access(argv[i + 1], R_OK)) {
      snprintf(msg, len, "cannot read %s '%s': %s", argv[i], argv[i + 1], strerror(errno));
      return 1;
    }
    if (NdIsOptionKey(argv[i]))
      expect_value = 1;
    else if (expect_value)
      expect_value = 0;
    else {
      snprintf(msg, len,
               "unexpected argument '%s': options are written '-name value', and the input file must come right after "
               "the command",
               argv[i]);
      return 1;
    }
  }
  cl->petsc_argv = (char **)calloc((size_t)argc + 3, sizeof(char *));
  if (!cl->petsc_argv) {
    snprintf(msg, len, "out of memory");
    return 1;
  }
  cl->petsc_argv[cl->petsc_argc++] = argv[0];
  if (cl->input) {
    cl->petsc_argv[cl->petsc_argc++] = (char *)"-options_file_yaml";
    cl->petsc_argv[cl->petsc_argc++] = (char *)cl->input;
  }
  for (i = cl->first_option; i < argc; i++) cl->petsc_argv[cl->petsc_argc++] = argv[i];
  return 0;
}

void NdCommandLineFree(NdCommandLine *cl)
{
  free(cl->petsc_argv);
  cl->petsc_argv = NULL;
}

static PetscBool NdOptionMatchesPrefix(const char *name, const char *prefix)
{
  size_t n = strlen(prefix);

  if (prefix[n - 1] == '_') return (PetscBool)!strncasecmp(name, prefix, n);
  return (PetscBool)!strcasecmp(name, prefix);
}

static PetscBool NdCommandOwnsOption(const NdCommand *c, const char *name)
{
  for (const char *const *p = c->prefixes; *p; p++)
    if (NdOptionMatchesPrefix(name, *p)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* The names of neurodyn's own options as its sources spell them (collected at build time by the
   Makefile), for the "did you mean" of an unknown option */
static const char *const NdKnownOptions[] = {
#include "optionnames.inc"
    NULL};

/* PETSc's and SLEPc's option names as their libraries spell them, without an object's prefix
   ("-snes_rtol"), and the options prefixes of the objects neurodyn creates ("cont_floquet_"):
   both collected at build time (Makefile; empty when unavailable) */
static const char *const NdPetscOptions[] = {
#include "petscoptionnames.inc"
    NULL};
static const char *const NdObjectPrefixes[] = {
#include "objectprefixes.inc"
    NULL};

static PetscBool NdIsPetscOptionName(const char *name)
{
  for (const char *const *k = NdPetscOptions; *k; k++)
    if (!strcasecmp(*k + 1, name)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* The next place an option name may split into an object's prefix and the rest: after the next
   underscore (NULL: none) */
static const char *NdNextSplit(const char *r)
{
  const char *u = strchr(r, '_');
  return u && u[1] ? u + 1 : NULL;
}

/* Whether name (without its dash) is a PETSc option behind one of prefix's objects: prefix, any
   sub-prefixes PETSc adds (an EPS's "st_", its KSP's "ksp_"...), then an option of PETSc's
   ("cont_floquet_" + "eps_tol", "resp_" + "bv_type") */
static PetscBool NdIsPrefixedPetscOption(const char *name, const char *prefix)
{
  size_t len = strlen(prefix);

  if (strncasecmp(name, prefix, len) || !name[len]) return PETSC_FALSE;
  for (const char *r = name + len; r; r = NdNextSplit(r))
    if (NdIsPetscOptionName(r)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* A correctly spelt PETSc option of an object that neurodyn may create only during the run (the
   tangent's KSP, the Floquet solvers of cycles, the fold and LPC systems, the response's Krylov
   basis): unread when the run starts, it is checked after the run instead */
static PetscBool NdOptionIsOfALaterObject(const char *name)
{
  for (const char *const *p = NdObjectPrefixes; *p; p++)
    if (NdIsPrefixedPetscOption(name, *p)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* The option that command c reads nearest to an unknown name (without its dash), into best:
   neurodyn's own options, and PETSc's with the name's own prefix kept ("-resp_ksp_rtoll": the
   resp_ KSP's -ksp_rtol); one or two edits (a swap of neighbours counts one), and no more than a
   third of the letters. None when the name is a correct PETSc option that the run does not use. */
static void NdSuggestOption(const NdCommand *c, const char *name, char best[], size_t len)
{
  size_t dist = 3;

  best[0] = 0;
  if (!c || NdIsPetscOptionName(name)) return;
  for (const char *const *k = NdKnownOptions; *k; k++) {
    size_t d;
    if (!NdCommandOwnsOption(c, *k + 1) || !strcasecmp(*k + 1, name)) continue;
    d = NdEditDistance(*k + 1, name);
    if (d < dist) {
      dist = d;
      (void)PetscStrncpy(best, *k, len);
    }
  }
  for (const char *r = name; r; r = NdNextSplit(r)) {
    size_t rlen = strlen(r);
    if (r != name && NdIsPetscOptionName(r)) return;
    for (const char *const *k = NdPetscOptions; *k; k++) {
      size_t klen = strlen(*k + 1), d;
      char   candidate[256];
      if (klen < 4 || klen + 2 < rlen || rlen + 2 < klen) continue;
      d = NdEditDistance(*k + 1, r);
      if (d >= dist || 3 * d > rlen) continue;
      (void)PetscSNPrintf(candidate, sizeof(candidate), "-%.*s%s", (int)(r - name), name, *k + 1);
      if (!NdCommandOwnsOption(c, candidate + 1)) continue;
      dist = d;
      (void)PetscStrncpy(best, candidate, len);
    }
  }
}

static PetscBool NdOptionOnCommandLine(const NdCommandLine *cl, const char *name)
{
  for (int i = cl->first_option; i < cl->argc; i++)
    if (NdIsOptionKey(cl->argv[i]) && !strcasecmp(cl->argv[i] + (cl->argv[i][1] == '-' ? 2 : 1), name))
      return PETSC_TRUE;
  return PETSC_FALSE;
}

PetscBool NdCommandLineHasOption(const NdCommandLine *cl, const char name[])
{
  return NdOptionOnCommandLine(cl, name[0] == '-' ? name + 1 : name);
}

/* Keys of the input file that belong to another mode of the running command (a system's keys in a
   network run of simulate, and the other way round): set by the command, not used otherwise */
static const char *const *NdOtherModePrefixes = NULL;

void NdCommandLineSetOtherModePrefixes(const char *const prefixes[])
{
  NdOtherModePrefixes = prefixes;
}

/* An unused option is an error, except a key of the input file that belongs to another command's
   vocabulary (one input file can serve several commands) or to another mode of this one. */
static PetscBool NdOptionIsForeign(const NdCommandLine *cl, const char *name)
{
  const NdCommand *current = NULL;

  if (NdOptionOnCommandLine(cl, name)) return PETSC_FALSE;
  for (const char *const *p = NdOtherModePrefixes; p && *p; p++)
    if (NdOptionMatchesPrefix(name, *p)) return PETSC_TRUE;
  for (const NdCommand *c = NdCommands; c->name; c++)
    if (!strcmp(c->name, cl->command)) current = c;
  if (current && NdCommandOwnsOption(current, name)) return PETSC_FALSE;
  for (const NdCommand *c = NdCommands; c->name; c++)
    if (c != current && NdCommandOwnsOption(c, name)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* Options PETSc reads at PetscFinalize(), after any check of ours: -options_left, -options_view */
static PetscBool NdOptionIsReadAtFinalize(const char *name)
{
  return (PetscBool)!strncasecmp(name, "options_", 8);
}

/* Whether name (without its dash) is spelt as an option of neurodyn's or of PETSc's (behind any
   prefix); without the list of PETSc's names (Makefile) every name may be one */
static PetscBool NdOptionIsSpeltRight(const char *name)
{
  if (!NdPetscOptions[0]) return PETSC_TRUE;
  for (const char *const *k = NdKnownOptions; *k; k++)
    if (!strcasecmp(*k + 1, name)) return PETSC_TRUE;
  for (const char *r = name; r; r = NdNextSplit(r))
    if (NdIsPetscOptionName(r)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* The options of a factorisation package (-mat_mumps_icntl_14, -cont_tangent_mat_umfpack_...),
   read when the factor matrix is made, at a solver's first solve */
static PetscBool NdOptionIsOfAFactorPackage(const char *name)
{
  static const char *const packages[] = {"mat_mumps_",     "mat_umfpack_", "mat_klu_",
                                         "mat_cholmod_",   "mat_superlu_", "mat_pastix_",
                                         "mat_strumpack_", "mat_mkl_",     NULL};
  for (const char *const *p = packages; *p; p++)
    if (strstr(name, *p)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* Options read only during or after the run: XViewFromOptions() at the end of a solve (-ts_view,
   -sys_view, -mat_view, ...), -snes_converged_reason and the like, a factorisation package's
   (when spelt as such an option of neurodyn's or PETSc's: -tss_view is an error at the start),
   and those read at finalize */
static PetscBool NdOptionIsDeferred(const char *name)
{
  return (
      PetscBool)(((strstr(name, "_view") || strstr(name, "_converged_reason") || NdOptionIsOfAFactorPackage(name)) &&
                  NdOptionIsSpeltRight(name)) ||
                 NdOptionIsReadAtFinalize(name));
}

/* The unused options of this command ("-a (did you mean -b?), -c"), leaving out deferred ones
   and those of objects created later unless asked; suggestion (256 characters, or NULL): the
   suggestion for the first */
static PetscErrorCode NdUnusedOptions(const NdCommandLine *cl, PetscBool include_deferred, char list[], size_t len,
                                      PetscInt *nbad, char suggestion[])
{
  PetscInt n;
  char   **names, **values;

  const NdCommand *current = NULL;

  PetscFunctionBegin;
  *nbad   = 0;
  list[0] = 0;
  for (const NdCommand *c = NdCommands; c->name; c++)
    if (!strcmp(c->name, cl->command)) current = c;
  if (suggestion) suggestion[0] = 0;
  PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
  for (PetscInt i = 0; i < n; i++) {
    if (NdOptionIsForeign(cl, names[i]) || NdOptionIsReadAtFinalize(names[i]) ||
        (!include_deferred && (NdOptionIsDeferred(names[i]) || NdOptionIsOfALaterObject(names[i]))))
      continue;
    if ((*nbad)++ < 8) {
      char near[256];
      NdSuggestOption(current, names[i], near, sizeof(near));
      PetscCall(PetscStrlcat(list, *nbad > 1 ? ", -" : "-", len));
      PetscCall(PetscStrlcat(list, names[i], len));
      if (suggestion && *nbad == 1) PetscCall(PetscStrncpy(suggestion, near, 256));
      if (near[0]) {
        PetscCall(PetscStrlcat(list, " (did you mean ", len));
        PetscCall(PetscStrlcat(list, near, len));
        PetscCall(PetscStrlcat(list, "?)", len));
      }
    } else if (*nbad == 9)
      PetscCall(PetscStrlcat(list, ", ...", len));
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Whether an option ("-name") is one of neurodyn's that was read, has
   no value, and is not a flag. PETSc reads a number or a word so given (`-params_g` with nothing
   after it) as not set, and the default would run. PETSc's own options are left alone: which of
   them are flags only PETSc knows. */
static PetscErrorCode NdOptionLacksValue(const char key[], PetscBool *lacks)
{
  PetscBool used;

  PetscFunctionBegin;
  *lacks = PETSC_FALSE;
  if (NdOptionIsFlag(key)) PetscFunctionReturn(PETSC_SUCCESS);
  for (const char *const *p = NdOwnOptionPrefixes; *p; p++)
    if (NdOptionMatchesPrefix(key + 1, *p)) {
      PetscCall(PetscOptionsUsed(NULL, key + 1, &used)); /* the database holds names without the dash */
      *lacks = used;
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rejects the first option of neurodyn's that needs a value and has none */
static PetscErrorCode NdCheckMissingValues(MPI_Comm comm)
{
  PetscInt  n;
  char    **names, **values, key[256] = "";
  PetscBool lacks = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(NdOptionsGetPairs(&n, &names, &values));
  for (PetscInt i = 0; i < n && !lacks; i++) {
    if (values[i]) continue;
    PetscCall(PetscSNPrintf(key, sizeof(key), "-%s", names[i]));
    PetscCall(NdOptionLacksValue(key, &lacks));
  }
  PetscCall(NdOptionsRestorePairs(&n, &names, &values));
  PetscCheck(!lacks, comm, PETSC_ERR_USER_INPUT, "option %s needs a value", key);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Before the run: stop here for -help, else reject every option that no object has read. */
PetscErrorCode NdCommandLineFinishOptions(const NdCommandLine *cl, PetscBool *help)
{
  PetscInt       nbad;
  char           list[1024], near[256];
  PetscLogDouble limit;

  PetscFunctionBegin;
  PetscCall(PetscOptionsHasHelp(NULL, help));
  if (*help) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdMemoryLimit(PETSC_COMM_WORLD, 0, &limit)); /* reads and checks -memory_limit */
  PetscCall(NdUnusedOptions(cl, PETSC_FALSE, list, sizeof(list), &nbad, near));
  if (nbad == 1 && near[0]) { /* "unknown option -snes_rtoll; did you mean -snes_rtol?" */
    *strstr(list, " (did you mean ") = 0;
    SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "unknown option %s; did you mean %s?", list, near);
  }
  PetscCheck(
      !nbad, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
      "unknown option%s %s for 'neurodyn %s' (misspelled, or not an option of this command; see 'neurodyn %s -help')",
      nbad > 1 ? "s" : "", list, cl->command, cl->command);
  PetscCall(NdCheckMissingValues(PETSC_COMM_WORLD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Whether all of token is one number (strtod's syntax, which includes nan and inf) */
static PetscBool NdIsNumber(const char *token, double *value)
{
  char *end;

  *value = strtod(token, &end);
  return (PetscBool)(end != token && *end == 0);
}

/* A value of no option may be NaN or infinite (nan, inf, 1e999, or such an item of a list): no
   model, time or tolerance means it, and it would run into NaN states or solver failures that
   name no option. Nor may a list have an empty item (1,,2 or 1,2,), which PETSc would drop.
   Scans the whole database (command line and input file) before any object reads it. */
PetscErrorCode NdCommandLineCheckValues(void)
{
  PetscInt n;
  char   **names, **values, name[256] = "", bad[256] = "", list[256] = "";

  PetscFunctionBegin;
  PetscCall(NdOptionsGetPairs(&n, &names, &values));
  for (PetscInt i = 0; i < n && !bad[0] && !list[0]; i++) {
    const char *v = values[i];
    size_t      len;
    double      value;

    if (!v) continue;
    len = strlen(v);
    PetscCall(PetscSNPrintf(name, sizeof(name), "-%s", names[i]));
    if (strstr(v, ",,") || v[0] == ',' || v[len - 1] == ',') {
      PetscCall(PetscStrncpy(list, v, sizeof(list)));
      break;
    }
    for (const char *item = v, *comma; item && !bad[0]; item = comma ? comma + 1 : NULL) {
      char one[256];

      comma = strchr(item, ',');
      PetscCall(PetscStrncpy(one, item, PetscMin(sizeof(one), comma ? (size_t)(comma - item) + 1 : sizeof(one))));
      if (NdIsNumber(one, &value) && !isfinite(value)) PetscCall(PetscStrncpy(bad, one, sizeof(bad)));
    }
  }
  PetscCall(NdOptionsRestorePairs(&n, &names, &values));
  PetscCheck(!bad[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "option %s: %s is not a finite number", name, bad);
  PetscCheck(!list[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "option %s: the list '%s' has an empty item", name,
             list);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After the run: the deferred options that were never read after all (the run is done: a warning) */
PetscErrorCode NdCommandLineWarnUnused(const NdCommandLine *cl)
{
  PetscInt nbad;
  char     list[1024];

  PetscFunctionBegin;
  PetscCall(NdUnusedOptions(cl, PETSC_TRUE, list, sizeof(list), &nbad, NULL));
  if (nbad)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "neurodyn: warning: option%s %s %s not used\n", nbad > 1 ? "s" : "", list,
                          nbad > 1 ? "were" : "was"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* out/<input file stem>.h5, or out/neurodyn_<command>.h5 without an input file */
static PetscErrorCode NdDefaultOutputName(const NdCommandLine *cl, char name[], size_t len)
{
  PetscFunctionBegin;
  if (cl->input) {
    const char *base = strrchr(cl->input, '/');
    char        stem[PETSC_MAX_PATH_LEN];
    char       *dot;

    PetscCall(PetscStrncpy(stem, base ? base + 1 : cl->input, sizeof(stem)));
    dot = strrchr(stem, '.');
    if (dot && dot != stem) *dot = 0;
    PetscCall(PetscSNPrintf(name, len, "out/%s.h5", stem));
  } else
    PetscCall(PetscSNPrintf(name, len, "out/neurodyn_%s.h5", cl->command));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The command's output file: -output, by default out/<input file stem>.h5; the command line is
   recorded in its provenance. Not created until it is opened or first written. */
PetscErrorCode NdCommandLineCreateOutput(const NdCommandLine *cl, NdOutput *out)
{
  char filename[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(NdOutputCreate(PETSC_COMM_WORLD, out));
  PetscCall(NdDefaultOutputName(cl, filename, sizeof(filename)));
  PetscCall(NdOutputSetFileName(*out, filename));
  PetscCall(NdOutputSetFromOptions(*out));
  PetscCall(NdOutputSetCommandLine(*out, cl->argc, cl->argv));
  PetscFunctionReturn(PETSC_SUCCESS);
}
