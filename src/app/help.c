/* -help: neurodyn's options first, then PETSc's and SLEPc's after a separator line.
   PETSc prints its help through PetscHelpPrintf: the general options at PetscInitialize(), then one
   block per PetscOptionsBegin() ("----...", a title, its options) as the objects read their options.
   Here that output is collected instead; a block whose first option has one of neurodyn's prefixes
   (NdOwnOptionPrefixes) is neurodyn's, any other text PETSc's or SLEPc's, and both are printed,
   in their own order, when the command stops for -help. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <neurodyn/app.h>

typedef struct {
  char  *text;
  size_t len, room;
} NdHelpText;

static NdHelpText  NdHelpOwn, NdHelpPetsc, NdHelpBlock; /* the block being printed is sorted when it ends */
static const char *NdHelpUsage;
static PetscErrorCode (*NdHelpVFPrintfPrevious)(FILE *, const char[], va_list); /* PETSc's */
static PetscBool NdHelpInTypeList; /* within a "-x_type <now ...> (one of) a b c" line, printed in pieces */

static void NdHelpAppend(NdHelpText *t, const char *s, size_t n)
{
  if (t->len + n + 1 > t->room) {
    size_t room = 2 * (t->len + n + 1);
    char  *text = realloc(t->text, room);
    if (!text) return; /* out of memory: the help is incomplete, nothing worse */
    t->text = text;
    t->room = room;
  }
  memcpy(t->text + t->len, s, n);
  t->len += n;
  t->text[t->len] = 0;
}

/* Whether a word of an option name (between underscores) is the prefix of a PETSc or SLEPc object:
   -cont_tangent_ksp_type belongs to a KSP that neurodyn's continuation made, a PETSc block */
static PetscBool NdHelpNamesPetscObject(const char *name, size_t n)
{
  static const char *const objects[] = {"ksp", "pc",  "snes", "ts",  "mat", "eps", "st", "bv",  "ds", "rg",     "fn",
                                        "lme", "svd", "pep",  "nep", "mfn", "tao", "dm", "vec", "sf", "viewer", NULL};

  for (size_t start = 0, len; start < n; start += len + 1) {
    len = strcspn(name + start, "_");
    if (start + len > n) len = n - start;
    for (const char *const *o = objects; *o; o++)
      if (len == strlen(*o) && !strncasecmp(name + start, *o, len)) return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

/* Whether the first option listed in the block ("  -name <...>: ...") is one of neurodyn's: it has
   one of neurodyn's prefixes and does not configure a PETSc or SLEPc object */
static PetscBool NdHelpBlockIsOwn(const char *text)
{
  for (const char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    const char *p = line;
    size_t      n;

    while (*p == ' ') p++;
    if (p == line || *p != '-' || p[1] == '-') continue;
    n = strcspn(++p, " <:\n");
    for (const char *const *prefix = NdOwnOptionPrefixes; *prefix; prefix++) {
      size_t m = strlen(*prefix);
      if ((*prefix)[m - 1] == '_' ? n > m && !strncasecmp(p, *prefix, m) : n == m && !strncasecmp(p, *prefix, m))
        return (PetscBool)!NdHelpNamesPetscObject(p + m, n - m);
    }
    return PETSC_FALSE;
  }
  return PETSC_FALSE;
}

static void NdHelpEndBlock(void)
{
  if (!NdHelpBlock.len) return;
  NdHelpAppend(NdHelpBlockIsOwn(NdHelpBlock.text) ? &NdHelpOwn : &NdHelpPetsc, NdHelpBlock.text, NdHelpBlock.len);
  NdHelpBlock.len = 0;
}

/* Formatted as PETSc formats (PetscVSNPrintf: "%g" keeps a decimal point) into small, or into
   memory the caller frees when it is not small; NULL on failure */
static char *NdHelpFormat(char small[], size_t room, const char format[], va_list ap)
{
  va_list again;
  char   *s    = NULL;
  size_t  full = 0;

  va_copy(again, ap);
  if (!PetscVSNPrintf(small, room, format, &full, ap)) {
    if (full <= room)
      s = small;
    else if ((s = malloc(full + 1)) && PetscVSNPrintf(s, full + 1, format, NULL, again)) {
      free(s);
      s = NULL;
    }
  }
  va_end(again);
  return s;
}

static void NdHelpAdd(const char *s)
{
  if (NdHelpUsage && !strcmp(s, NdHelpUsage))
    NdHelpAppend(&NdHelpOwn, s, strlen(s)); /* neurodyn's usage line */
  else {
    if (!strncmp(s, "----", 4)) NdHelpEndBlock(); /* a new block begins */
    NdHelpAppend(&NdHelpBlock, s, strlen(s));
  }
}

static PetscErrorCode NdHelpCollect(MPI_Comm comm, const char format[], ...)
{
  PetscMPIInt rank;
  va_list     ap;
  char        small[1024], *s;

  if (MPI_Comm_rank(comm, &rank) || rank) return PETSC_SUCCESS; /* rank 0 prints, as PETSc's own */
  va_start(ap, format);
  s = NdHelpFormat(small, sizeof(small), format, ap);
  va_end(ap);
  if (s) NdHelpAdd(s);
  if (s != small) free(s);
  return PETSC_SUCCESS;
}

/* PETSc prints the choices of a type option (PetscFunctionListPrintTypes) in pieces with
   PetscFPrintf() to stdout, not with PetscHelpPrintf: those pieces join the block they belong to;
   anything else is printed as usual, except a rule line printed alone */
static PetscErrorCode NdHelpVFPrintf(FILE *fd, const char format[], va_list ap)
{
  char    small[1024], *s;
  va_list again;

  if (fd != stdout) return NdHelpVFPrintfPrevious(fd, format, ap);
  va_copy(again, ap);
  s = NdHelpFormat(small, sizeof(small), format, again);
  va_end(again);
  if (s && (NdHelpInTypeList || (!strncmp(s, "  -", 3) && strstr(s, "(one of)")))) {
    NdHelpAdd(s);
    NdHelpInTypeList = (PetscBool)(!s[0] || s[strlen(s) - 1] != '\n');
    if (s != small) free(s);
    return PETSC_SUCCESS;
  }
  if (s && s[0] == '-' && strspn(s, "-") + 1 == strlen(s) && s[strlen(s) - 1] == '\n') { /* a rule line alone */
    if (s != small) free(s);
    return PETSC_SUCCESS; /* PETSc's rule under the usage: the blocks below bring their own */
  }
  if (s != small) free(s);
  return NdHelpVFPrintfPrevious(fd, format, ap);
}

void NdHelpCollectBegin(const char usage[])
{
  NdHelpUsage            = usage;
  PetscHelpPrintf        = NdHelpCollect;
  NdHelpVFPrintfPrevious = PetscVFPrintf;
  PetscVFPrintf          = NdHelpVFPrintf;
}

void NdHelpCollectEnd(void)
{
  int rank = 0;

  if (PetscHelpPrintf != NdHelpCollect) return;
  PetscHelpPrintf = PetscHelpPrintfDefault;
  PetscVFPrintf   = NdHelpVFPrintfPrevious;
  NdHelpEndBlock();
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (!rank) {
    if (NdHelpOwn.len) fputs(NdHelpOwn.text, stdout);
    if (NdHelpPetsc.len) {
      fputs("\n======================== PETSc and SLEPc options ========================\n", stdout);
      fputs(NdHelpPetsc.text, stdout);
    }
    fflush(stdout);
  }
  free(NdHelpOwn.text);
  free(NdHelpPetsc.text);
  free(NdHelpBlock.text);
  NdHelpOwn = NdHelpPetsc = NdHelpBlock = (NdHelpText){NULL, 0, 0};
}
