/* Matrices a user brings as PETSc binary files (MatView() to a binary viewer, or PetscBinaryIO.py),
   accepted beside HDF5 (DESIGN.md "Data inputs"). The format is MatLoad()'s: big-endian PetscInts
   class id, rows M, columns N, nonzeros nz; M row lengths; nz column indices; nz values. Rank 0
   checks the header and the row lengths; then each rank reads its own rows with PETSc's binary
   I/O (PetscBinaryRead) rather than MatLoad(), because the callers take local CSR rows, as from
   an HDF5 file, and build their own objects from them (a diagonal added, duplicates summed,
   spike delivery tables); the columns are checked on the way. */
#include <sys/stat.h>
#include <petscmat.h>
#include <neurodyn/private/matrixfileimpl.h>

/* The big-endian PetscInt at p (PETSc writes PetscInt at the width of its build) */
static long long NdBigEndianInt(const unsigned char *p)
{
  unsigned long long v = 0;

  for (size_t k = 0; k < sizeof(PetscInt); k++) v = v << 8 | p[k];
  return sizeof(PetscInt) == 4 ? (long long)(int32_t)(uint32_t)v : (long long)v;
}

/* Reads count PetscInts from fp into out; 0 if the file is shorter */
static int NdReadBigEndianInts(FILE *fp, size_t count, long long out[])
{
  unsigned char b[8];

  for (size_t i = 0; i < count; i++) {
    if (fread(b, sizeof(PetscInt), 1, fp) != 1) return 0;
    out[i] = NdBigEndianInt(b);
  }
  return 1;
}

PetscBool NdReadPetscBinaryHeader(const char file[], size_t count, long long header[])
{
  FILE *fp = fopen(file, "rb");
  int   ok = fp && NdReadBigEndianInts(fp, count, header);

  if (fp) fclose(fp);
  return (PetscBool)ok;
}

PetscBool NdIsPetscBinaryMatrix(const char file[])
{
  long long classid;

  return (PetscBool)(NdReadPetscBinaryHeader(file, 1, &classid) && classid == MAT_FILE_CLASSID);
}

void NdInspectPetscBinary(const char option[], const char file[], long long shape[2], char msg[], size_t len)
{
  FILE       *fp = fopen(file, "rb");
  long long   header[4], sum = 0, length = 0, need;
  struct stat st;

  if (!fp || !NdReadBigEndianInts(fp, 4, header)) {
    snprintf(msg, len, "%s: cannot read the header of the PETSc binary matrix '%s'", option, file);
    if (fp) fclose(fp);
    return;
  }
  shape[0] = header[1];
  shape[1] = header[2];
  need     = (long long)sizeof(PetscInt) * (4 + header[1] + header[3]) + (long long)sizeof(PetscScalar) * header[3];
  if (header[3] == -1) /* MATRIX_BINARY_FORMAT_DENSE */
    snprintf(msg, len,
             "%s: '%s' holds a dense PETSc binary matrix; neurodyn reads sparse ones (MatView of a MATAIJ matrix, "
             "or an HDF5 dataset for a dense one)",
             option, file);
  else if (header[3] < 0)
    snprintf(msg, len, "%s: the PETSc binary matrix '%s' has %lld nonzeros in its header", option, file, header[3]);
  else if (header[1] < 1 || header[2] < 1)
    snprintf(msg, len, "%s: the PETSc binary matrix '%s' is %lld x %lld", option, file, header[1], header[2]);
  else if (stat(file, &st) || (long long)st.st_size < need)
    snprintf(msg, len, "%s: '%s' is shorter than its header says (%lld x %lld with %lld nonzeros): truncated?", option,
             file, header[1], header[2], header[3]);
  for (long long r = 0; r < header[1] && !msg[0]; r++) {
    if (!NdReadBigEndianInts(fp, 1, &length))
      snprintf(msg, len, "%s: '%s': cannot read the length of row %lld", option, file, r);
    else if (length < 0 || length > header[3])
      snprintf(msg, len, "%s: '%s': row %lld has %lld nonzeros (of %lld in all)", option, file, r, length, header[3]);
    else
      sum += length;
  }
  if (!msg[0] && sum != header[3])
    snprintf(msg, len, "%s: '%s': the row lengths add up to %lld, but the header says %lld nonzeros", option, file, sum,
             header[3]);
  fclose(fp);
}

PetscErrorCode NdReadPetscBinaryRows(const char file[], PetscInt N, PetscInt rstart, PetscInt n, PetscInt **ia,
                                     PetscInt **ja, PetscScalar **va, PetscInt bad[3])
{
  int      fd;
  PetscInt header[4], nnz = 0, first = 0, *lengths;
  off_t    at;

  PetscFunctionBegin;
  PetscCall(PetscBinaryOpen(file, FILE_MODE_READ, &fd));
  PetscCall(PetscBinaryRead(fd, header, 4, NULL, PETSC_INT));
  /* the lengths of the rows before ours place our columns and values in the file: summed in
     chunks, so that a rank never holds more lengths than its own rows' (or a chunk) */
  PetscCall(PetscMalloc1(PetscMax(n, PetscMin(rstart, 65536)) + 1, &lengths));
  for (PetscInt r = 0, chunk; r < rstart; r += chunk) {
    chunk = PetscMin(rstart - r, 65536);
    PetscCall(PetscBinaryRead(fd, lengths, chunk, NULL, PETSC_INT));
    for (PetscInt k = 0; k < chunk; k++) first += lengths[k];
  }
  PetscCall(PetscBinaryRead(fd, lengths, n, NULL, PETSC_INT));
  PetscCall(PetscMalloc1(n + 1, ia));
  (*ia)[0] = 0;
  for (PetscInt r = 0; r < n; r++) (*ia)[r + 1] = nnz += lengths[r];
  PetscCall(PetscFree(lengths));
  PetscCall(PetscMalloc1(nnz, ja));
  PetscCall(PetscMalloc1(nnz, va));
  PetscCall(PetscBinarySeek(fd, (off_t)sizeof(PetscInt) * (4 + header[1] + first), PETSC_BINARY_SEEK_SET, &at));
  PetscCall(PetscBinaryRead(fd, *ja, nnz, NULL, PETSC_INT));
  PetscCall(PetscBinarySeek(fd,
                            (off_t)sizeof(PetscInt) * (4 + header[1] + header[3]) + (off_t)sizeof(PetscScalar) * first,
                            PETSC_BINARY_SEEK_SET, &at));
  PetscCall(PetscBinaryRead(fd, *va, nnz, NULL, PETSC_SCALAR));
  PetscCall(PetscBinaryClose(fd));
  for (PetscInt k = 0; k < nnz; k++) {
    if ((*ja)[k] < 0 || (*ja)[k] >= N) bad[0] = 1;
    if (PetscIsInfOrNanReal((*va)[k])) bad[2] = 1;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
