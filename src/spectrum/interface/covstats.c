/* The statistics users ask of a covariance (docs/models/rate.md), of a real symmetric one (the
   stationary covariance) or a Hermitian one (a cross-spectral matrix C(omega) = Re C + i Im C) */
#include <neurodyn/spectrum.h>
#include <petscblaslapack.h>

/*@ NdCovarianceStatistics - eigenvalues of C (descending), the variances C_ii, the participation
    ratio (tr C)^2 / tr(C^H C), and the mean and standard deviation of Re rho_ij and the root mean
    square of |rho_ij| over the pairs i < j of the coherences rho_ij = C_ij / sqrt(C_ii C_jj).
    Cre, Cim column-major N x N; Cim NULL for a real C. Serial. @*/
PetscErrorCode NdCovarianceStatistics(PetscInt N, const PetscReal Cre[], const PetscReal Cim[], NdCovStats *s)
{
  PetscInt     M = Cim ? 2 * N : N; /* a Hermitian C is the real symmetric [[Re, -Im], [Im, Re]] */
  PetscReal   *work, *H, *eig, tr = 0, fro = 0, sum = 0, sum2 = 0, abs2 = 0, npair = (PetscReal)N * (N - 1) / 2;
  PetscBLASInt m, lwork, info;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(M, &m));
  lwork = 3 * m;
  PetscCall(PetscMalloc3((size_t)M * M, &H, lwork, &work, M, &eig));
  for (PetscInt j = 0; j < N; j++)
    for (PetscInt i = 0; i < N; i++) {
      H[(size_t)j * M + i] = Cre[(size_t)j * N + i];
      if (!Cim) continue;
      H[(size_t)(j + N) * M + i + N] = Cre[(size_t)j * N + i];
      H[(size_t)j * M + i + N]       = Cim[(size_t)j * N + i];
      H[(size_t)(j + N) * M + i]     = -Cim[(size_t)j * N + i];
    }
  PetscCall(PetscFPTrapPush(PETSC_FP_TRAP_OFF));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &m, H, &m, eig, work, &lwork, &info));
  PetscCall(PetscFPTrapPop());
  PetscCheck(!info, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK syev failed: info %d", (int)info);
  /* ascending (each eigenvalue of a Hermitian C twice in the embedding) -> descending */
  for (PetscInt k = 0; k < N; k++) s->eig[k] = eig[(M / N) * (N - 1 - k)];
  for (PetscInt j = 0; j < N; j++) {
    s->var[j] = Cre[(size_t)j * N + j];
    tr += s->var[j];
    for (PetscInt i = 0; i < N; i++) {
      PetscReal re = Cre[(size_t)j * N + i], im = Cim ? Cim[(size_t)j * N + i] : 0, d;
      fro += re * re + im * im;
      if (i >= j) continue;
      d = PetscSqrtReal(Cre[(size_t)i * N + i] * Cre[(size_t)j * N + j]);
      sum += re / d;
      sum2 += re * re / (d * d);
      abs2 += (re * re + im * im) / (d * d);
    }
  }
  s->pr        = tr * tr / fro;
  s->mean_corr = npair > 0 ? sum / npair : 0;
  s->std_corr  = npair > 0 ? PetscSqrtReal(PetscMax(sum2 / npair - s->mean_corr * s->mean_corr, 0)) : 0;
  s->rms_coh   = npair > 0 ? PetscSqrtReal(abs2 / npair) : 0;
  PetscCall(PetscFree3(H, work, eig));
  PetscFunctionReturn(PETSC_SUCCESS);
}
