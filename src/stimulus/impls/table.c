/* table: I(t) interpolated linearly between given points (t_k, I_k), held constant outside them.
   The file is text with two columns "t I" (whitespace or comma separated, '#' comments), or an
   HDF5 dataset of shape (n, 2) named as file.h5:/path. Read on rank 0 and broadcast. */
#include <neurodyn/private/stimulusimpl.h>

typedef struct {
  PetscInt   n;
  PetscReal *t, *current;
  char       file[PETSC_MAX_PATH_LEN];
} NdStimulus_Table;

/* index k of the last point with t_k <= t (-1 before the first) */
static PetscInt NdTableLocate(const NdStimulus_Table *tab, PetscReal t)
{
  PetscInt lo = -1, hi = tab->n;

  while (hi - lo > 1) {
    PetscInt mid = (lo + hi) / 2;
    if (tab->t[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

static PetscErrorCode NdStimulusEvaluate_Table(NdStimulus stim, PetscReal t, PetscReal *current)
{
  NdStimulus_Table *tab = (NdStimulus_Table *)stim->data;
  PetscInt          k   = NdTableLocate(tab, t);

  if (k < 0)
    *current = tab->current[0];
  else if (k == tab->n - 1)
    *current = tab->current[k];
  else
    *current =
        tab->current[k] + (tab->current[k + 1] - tab->current[k]) * (t - tab->t[k]) / (tab->t[k + 1] - tab->t[k]);
  return PETSC_SUCCESS;
}

static PetscErrorCode NdStimulusNextBreakpoint_Table(NdStimulus stim, PetscReal t, PetscReal *tb)
{
  NdStimulus_Table *tab = (NdStimulus_Table *)stim->data;
  PetscInt          k   = NdTableLocate(tab, t) + 1;

  PetscFunctionBegin;
  if (k < tab->n) *tb = tab->t[k];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusTableSetData_Table(NdStimulus stim, PetscInt n, const PetscReal t[],
                                                   const PetscReal current[])
{
  NdStimulus_Table *tab  = (NdStimulus_Table *)stim->data;
  MPI_Comm          comm = PetscObjectComm((PetscObject)stim);

  PetscFunctionBegin;
  PetscCheck(n >= 1, comm, PETSC_ERR_USER_INPUT, "table stimulus: the table is empty");
  for (PetscInt k = 1; k < n; k++)
    PetscCheck(t[k] > t[k - 1], comm, PETSC_ERR_USER_INPUT,
               "table stimulus: times must increase strictly (row %" PetscInt_FMT ": t = %g after %g)", k + 1,
               (double)t[k], (double)t[k - 1]);
  PetscCall(PetscFree2(tab->t, tab->current));
  PetscCall(PetscMalloc2(n, &tab->t, n, &tab->current));
  PetscCall(PetscArraycpy(tab->t, t, n));
  PetscCall(PetscArraycpy(tab->current, current, n));
  tab->n = n;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Text table on rank 0; fills msg on failure. */
static PetscErrorCode NdTableReadText(const char path[], PetscInt *n, PetscReal **t, PetscReal **current, char msg[],
                                      size_t len)
{
  FILE     *fp = fopen(path, "r");
  char      line[4096];
  PetscInt  cap = 0;
  PetscBool bad = PETSC_FALSE;

  PetscFunctionBegin;
  *n = 0;
  if (!fp) {
    PetscCall(PetscSNPrintf(msg, len, "table stimulus: cannot open '%s'", path));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  while (fgets(line, sizeof(line), fp)) {
    char  *p = line, *end;
    double tv, Iv;

    for (char *c = line; *c; c++)
      if (*c == ',') *c = ' ';
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\n' || *p == '\r' || !*p) continue;
    tv = strtod(p, &end);
    if (end != p) {
      p  = end;
      Iv = strtod(p, &end);
    }
    if (end == p) {
      bad = PETSC_TRUE;
      break;
    }
    for (p = end; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';) p++;
    if ((*p && *p != '#') || !isfinite(tv) || !isfinite(Iv)) { /* a third column, junk, NaN */
      bad = PETSC_TRUE;
      break;
    }
    if (*n == cap) {
      cap = cap ? 2 * cap : 256;
      PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)cap, t));
      PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)cap, current));
    }
    (*t)[*n]       = tv;
    (*current)[*n] = Iv;
    (*n)++;
  }
  if (bad)
    PetscCall(PetscSNPrintf(
        msg, len, "table stimulus: '%s': expected two finite numbers 't I' on each line, near row %" PetscInt_FMT, path,
        *n + 1));
  fclose(fp);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* HDF5 dataset of shape (n, 2) on rank 0; fills msg on failure. */
static PetscErrorCode NdTableReadHDF5(const char file[], const char dset[], PetscInt *n, PetscReal **t,
                                      PetscReal **current, char msg[], size_t len)
{
  NdInputFile f;
  PetscInt    rank;
  PetscInt64  dims[2] = {0, 0};
  PetscBool   exists;
  PetscReal  *buf;

  PetscFunctionBegin;
  *n = 0;
  PetscCall(NdInputFileOpen(file, &f));
  if (!f) {
    PetscCall(PetscSNPrintf(msg, len, "table stimulus: cannot open HDF5 file '%s'", file));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(NdInputFileGetShape(f, dset, &exists, &rank, dims));
  if (!exists) {
    PetscCall(PetscSNPrintf(msg, len, "table stimulus: no dataset '%s' in '%s'", dset, file));
  } else if (rank != 2 || dims[1] != 2) {
    PetscCall(PetscSNPrintf(msg, len, "table stimulus: dataset '%s' in '%s' must have shape (n, 2): columns t and I",
                            dset, file));
  } else {
    PetscCall(PetscMalloc1(2 * dims[0], &buf));
    PetscCall(NdInputFileRead(f, dset, NULL, NULL, buf));
    *n = (PetscInt)dims[0];
    PetscCall(PetscMalloc1(*n, t));
    PetscCall(PetscMalloc1(*n, current));
    for (PetscInt k = 0; k < *n; k++) {
      (*t)[k]       = buf[2 * k];
      (*current)[k] = buf[2 * k + 1];
    }
    PetscCall(PetscFree(buf));
  }
  PetscCall(NdInputFileClose(&f));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusTableLoad_Table(NdStimulus stim, const char path[])
{
  NdStimulus_Table *tab  = (NdStimulus_Table *)stim->data;
  MPI_Comm          comm = PetscObjectComm((PetscObject)stim);
  PetscMPIInt       rank;
  PetscInt          n = 0;
  PetscReal        *t = NULL, *current = NULL;
  char              msg[PETSC_MAX_PATH_LEN + 256] = "";

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(tab->file, path, sizeof(tab->file)));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    const char *sep = strstr(path, ":/");

    if (sep) {
      char file[PETSC_MAX_PATH_LEN];
      PetscCall(PetscStrncpy(file, path, PetscMin((size_t)(sep - path) + 1, sizeof(file))));
      PetscCall(NdTableReadHDF5(file, sep + 1, &n, &t, &current, msg, sizeof(msg)));
    } else
      PetscCall(NdTableReadText(path, &n, &t, &current, msg, sizeof(msg)));
    if (!msg[0] && n == 0) PetscCall(PetscSNPrintf(msg, sizeof(msg), "table stimulus: '%s' holds no rows", path));
  }
  PetscCall(NdRootCheck(comm, PETSC_ERR_FILE_READ, msg, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(&n, 1, MPIU_INT, 0, comm));
  if (rank) {
    PetscCall(PetscMalloc1(n, &t));
    PetscCall(PetscMalloc1(n, &current));
  }
  PetscCallMPI(MPI_Bcast(t, (PetscMPIInt)n, MPIU_REAL, 0, comm));
  PetscCallMPI(MPI_Bcast(current, (PetscMPIInt)n, MPIU_REAL, 0, comm));
  PetscCall(NdStimulusTableSetData_Table(stim, n, t, current));
  PetscCall(PetscFree(t));
  PetscCall(PetscFree(current));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetUp_Table(NdStimulus stim)
{
  NdStimulus_Table *tab = (NdStimulus_Table *)stim->data;

  PetscFunctionBegin;
  PetscCheck(tab->n > 0, PetscObjectComm((PetscObject)stim), PETSC_ERR_USER_INPUT,
             "table stimulus: no table given (set -stim_file FILE, a text file 't I' or file.h5:/dataset)");
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusSetFromOptions_Table(NdStimulus stim, NdOptionItems PetscOptionsObject)
{
  NdStimulus_Table *tab = (NdStimulus_Table *)stim->data;
  char              path[PETSC_MAX_PATH_LEN];
  PetscBool         set;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Table stimulus: I(t) interpolated linearly from a file");
  PetscCall(PetscOptionsString("-stim_file", "Text file with columns 't I', or file.h5:/dataset of shape (n, 2)",
                               "NdStimulusTableLoad", tab->file, path, sizeof(path), &set));
  PetscOptionsHeadEnd();
  if (set) PetscCall(NdStimulusTableLoad_Table(stim, path));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusView_Table(NdStimulus stim, PetscViewer viewer)
{
  NdStimulus_Table *tab = (NdStimulus_Table *)stim->data;

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "I(t) from %s: %" PetscInt_FMT " points",
                                   tab->file[0] ? tab->file : "(data)", tab->n));
  if (tab->n) PetscCall(PetscViewerASCIIPrintf(viewer, " on [%g, %g]", (double)tab->t[0], (double)tab->t[tab->n - 1]));
  PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdStimulusDestroy_Table(NdStimulus stim)
{
  NdStimulus_Table *tab = (NdStimulus_Table *)stim->data;

  PetscFunctionBegin;
  PetscCall(PetscFree2(tab->t, tab->current));
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusTableSetData_C", NULL));
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusTableLoad_C", NULL));
  PetscCall(PetscFree(stim->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode NdStimulusCreate_Table(NdStimulus stim)
{
  NdStimulus_Table *tab;

  PetscFunctionBegin;
  PetscCall(PetscNew(&tab));
  stim->data                = tab;
  stim->ops->evaluate       = NdStimulusEvaluate_Table;
  stim->ops->nextbreakpoint = NdStimulusNextBreakpoint_Table;
  stim->ops->setup          = NdStimulusSetUp_Table;
  stim->ops->setfromoptions = NdStimulusSetFromOptions_Table;
  stim->ops->view           = NdStimulusView_Table;
  stim->ops->destroy        = NdStimulusDestroy_Table;
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusTableSetData_C", NdStimulusTableSetData_Table));
  PetscCall(PetscObjectComposeFunction((PetscObject)stim, "NdStimulusTableLoad_C", NdStimulusTableLoad_Table));
  PetscFunctionReturn(PETSC_SUCCESS);
}
