/* The linear-equivalent cross-spectrum of a large nonlinear rate network at fixed J
   (docs/models/rate.md#theory-at-fixed-j; the Shen-Hu ansatz that seed 004 proves): split each unit's activity into the
   part linear in its input and a residual, phi(x_i) = a x_i + r_i with a = <phi'> (for Gaussian x_i the residual is
   uncorrelated with x_i at every lag, Bussgang/Price). At large N the residuals of distinct units are uncorrelated, so
   the network is a linear one driven by independent noise: (i omega + 1) x = J (a x + r) + sigma xi, i.e. x = R (J r +
   sigma xi), R = ((1 + i omega) - aJ)^{-1}, and C(omega) = R (S_r J J^T + sigma^2) R^H with S_r = S_phi - a^2 S_x the
   residual's spectrum. Its off-diagonal entries are the O(1/sqrt(N)) cross-correlations at fixed J. */
#include <neurodyn/spectrum.h>
#include <petscblaslapack.h>

PetscErrorCode NdLinearEquivalentCrossSpectrum(PetscInt N, const PetscReal J[], PetscReal a, PetscReal Sr,
                                               PetscReal sigma, PetscReal omega, PetscReal Cre[], PetscReal Cim[],
                                               PetscBool *singular)
{
  PetscInt     nrhs = sigma > 0 ? 2 * N : N;
  PetscReal   *K, *X, one = 1, zero = 0;
  PetscBLASInt n, n2, m, info, *ipiv;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(N, &n));
  PetscCall(PetscBLASIntCast(2 * N, &n2));
  PetscCall(PetscBLASIntCast(nrhs, &m));
  PetscCall(PetscCalloc3((size_t)4 * N * N, &K, (size_t)2 * N * nrhs, &X, 2 * N, &ipiv));
  /* K = [[1 - aJ, -omega], [omega, 1 - aJ]], the real form of (1 + i omega) - aJ */
  for (PetscInt j = 0; j < N; j++) {
    for (PetscInt i = 0; i < N; i++) {
      PetscReal v                        = -a * J[j * N + i] + (i == j ? 1.0 : 0.0);
      K[(size_t)j * 2 * N + i]           = v;
      K[(size_t)(j + N) * 2 * N + i + N] = v;
    }
    K[(size_t)(j + N) * 2 * N + j] = -omega;
    K[(size_t)j * 2 * N + j + N]   = omega;
  }
  /* right-hand sides [J, sigma I] in the real rows; solutions R J = U1 + i V1, R sigma = U2 + i V2 */
  for (PetscInt j = 0; j < N; j++) {
    for (PetscInt i = 0; i < N; i++) X[(size_t)j * 2 * N + i] = J[j * N + i];
    if (sigma > 0) X[(size_t)(j + N) * 2 * N + j] = sigma;
  }
  PetscCall(PetscFPTrapPush(PETSC_FP_TRAP_OFF));
  PetscCallBLAS("LAPACKgesv", LAPACKgesv_(&n2, &m, K, &n2, ipiv, X, &n2, &info));
  PetscCall(PetscFPTrapPop());
  PetscCheck(info >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK gesv: argument %d is invalid", (int)-info);
  *singular = (PetscBool)(info > 0);
  /* Re C = S_r (U1 U1^T + V1 V1^T) + U2 U2^T + V2 V2^T; Im C = S_r (V1 U1^T - U1 V1^T) + V2 U2^T - U2 V2^T */
  for (PetscInt b = 0; b < (sigma > 0 ? 2 : 1) && !*singular; b++) {
    const PetscReal *U = X + (size_t)b * N * 2 * N, *V = U + N;
    PetscReal        w = b ? 1.0 : Sr, w_neg = -w, beta = b ? one : zero; /* sigma is in U2, V2 */
    PetscCallBLAS("BLASgemm", BLASgemm_("N", "T", &n, &n, &n, &w, U, &n2, U, &n2, &beta, Cre, &n));
    PetscCallBLAS("BLASgemm", BLASgemm_("N", "T", &n, &n, &n, &w, V, &n2, V, &n2, &one, Cre, &n));
    PetscCallBLAS("BLASgemm", BLASgemm_("N", "T", &n, &n, &n, &w, V, &n2, U, &n2, &beta, Cim, &n));
    PetscCallBLAS("BLASgemm", BLASgemm_("N", "T", &n, &n, &n, &w_neg, U, &n2, V, &n2, &one, Cim, &n));
  }
  PetscCall(PetscFree3(K, X, ipiv));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* u^H v of complex vectors u = ur + i ui, v = vr + i vi from the four real inner products of ur,
   ui with every column pair of (vr, vi): the rows of one unit s against all units */
static PetscErrorCode NdComplexGram(PetscInt m, Vec ur, Vec ui, Vec vr[], Vec vi[], PetscReal w, PetscInt s,
                                    PetscReal Cre[], PetscReal Cim[], PetscScalar *work)
{
  PetscScalar *rr = work, *ii = work + m, *ri = work + 2 * m, *ir = work + 3 * m;

  PetscFunctionBegin;
  PetscCall(VecMDot(ur, m, vr, rr));
  PetscCall(VecMDot(ui, m, vi, ii));
  PetscCall(VecMDot(ur, m, vi, ri));
  PetscCall(VecMDot(ui, m, vr, ir));
  for (PetscInt t = 0; t < m; t++) { /* row s, column t (column-major) */
    Cre[t * m + s] += w * (rr[t] + ii[t]);
    Cim[t * m + s] += w * (ri[t] - ir[t]);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The block C_SS(omega) of the listed units S at every frequency, matrix-free for any N: with
   X = R^H E_S, one multi-shift solve per unit for all frequencies (resp holds the operator
   -1 + a J^T, so that (i omega + 1 - a J^T)^{-1} e_s is the complex conjugate of R^H e_s) and
   Y = J^T X, C_SS = S_r Y^H Y + sigma^2 X^H X. Cre, Cim: nomega blocks of m x m, column-major, on
   every rank; its[k]: Krylov vectors used at omega_k, summed over the units. */
PetscErrorCode NdLinearEquivalentCrossSpectrumUnits(NdResponse resp, Mat J, PetscInt m, const PetscInt units[],
                                                    PetscInt nomega, const PetscReal omega[], const PetscReal Sr[],
                                                    PetscReal sigma, PetscReal Cre[], PetscReal Cim[], PetscReal its[])
{
  Vec          e, xr, xi, *Yr, *Yi, *Xr = NULL, *Xi = NULL;
  PetscInt     nv = m * nomega, basis;
  PetscScalar *work;

  PetscFunctionBegin;
  PetscCall(MatCreateVecs(J, &e, &xr));
  PetscCall(VecDuplicate(xr, &xi));
  PetscCall(VecDuplicateVecs(xr, nv, &Yr));
  PetscCall(VecDuplicateVecs(xr, nv, &Yi));
  if (sigma > 0) {
    PetscCall(VecDuplicateVecs(xr, nv, &Xr));
    PetscCall(VecDuplicateVecs(xr, nv, &Xi));
  }
  PetscCall(PetscArrayzero(its, nomega));
  for (PetscInt s = 0; s < m; s++) {
    PetscCall(VecSet(e, 0.0));
    PetscCall(VecSetValue(e, units[s], 1.0, INSERT_VALUES));
    PetscCall(VecAssemblyBegin(e));
    PetscCall(VecAssemblyEnd(e));
    PetscCall(NdResponseSolveShifts(resp, nomega, omega, e, &basis));
    for (PetscInt k = 0; k < nomega; k++) {
      PetscInt used, it, q = k * m + s; /* frequency-major: the units of omega_k are contiguous */
      PetscCall(NdResponseGetShiftSolution(resp, k, e, xr, xi, &used, &it));
      its[k] += (PetscReal)(used + it);
      PetscCall(VecScale(xi, -1.0)); /* X = R^H e_s */
      PetscCall(MatMultTranspose(J, xr, Yr[q]));
      PetscCall(MatMultTranspose(J, xi, Yi[q]));
      if (sigma > 0) {
        PetscCall(VecCopy(xr, Xr[q]));
        PetscCall(VecCopy(xi, Xi[q]));
      }
    }
  }
  PetscCall(PetscArrayzero(Cre, nv * m));
  PetscCall(PetscArrayzero(Cim, nv * m));
  PetscCall(PetscMalloc1(4 * m, &work));
  for (PetscInt k = 0; k < nomega; k++)
    for (PetscInt s = 0; s < m; s++) {
      PetscReal *re = Cre + k * m * m, *im = Cim + k * m * m;
      PetscCall(NdComplexGram(m, Yr[k * m + s], Yi[k * m + s], Yr + k * m, Yi + k * m, Sr[k], s, re, im, work));
      if (sigma > 0)
        PetscCall(
            NdComplexGram(m, Xr[k * m + s], Xi[k * m + s], Xr + k * m, Xi + k * m, sigma * sigma, s, re, im, work));
    }
  PetscCall(PetscFree(work));
  PetscCall(VecDestroyVecs(nv, &Yr));
  PetscCall(VecDestroyVecs(nv, &Yi));
  if (sigma > 0) {
    PetscCall(VecDestroyVecs(nv, &Xr));
    PetscCall(VecDestroyVecs(nv, &Xi));
  }
  PetscCall(VecDestroy(&e));
  PetscCall(VecDestroy(&xr));
  PetscCall(VecDestroy(&xi));
  PetscFunctionReturn(PETSC_SUCCESS);
}
