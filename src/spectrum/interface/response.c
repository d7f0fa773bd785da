/* Linear response chi(omega) u = (i omega - A)^{-1} u in real arithmetic (docs/models/rate.md):

     [[-A, -omega], [omega, -A]] [xr; xi] = [u; 0]

   applied matrix-free (two products with A per iteration, no 2N matrix stored) and solved by
   GMRES, preconditioned by the exact inverse of the omega block P = [[1, -omega], [omega, 1]]
   (the system with J = 0): P^{-1} = [[1, omega], [-omega, 1]] / (1 + omega^2). It costs O(N),
   needs no set-up, and serves every frequency; the iteration count grows only as the
   spectral radius of J D approaches 1. Each rank stores its rows of xr, then its rows of xi.

   Many frequencies at once (NdResponseSolveShifts): the Krylov space K_m(A, u) is the same for
   every shift i omega - A, so one Arnoldi basis V (SLEPc BV, one product with A per step) serves
   all frequencies: A V_m = V_{m+1} Hbar_m, and for each omega y minimises
   |beta e_1 - (i omega Ibar - Hbar_m) y| (unrestarted multi-shift GMRES: each residual norm is
   known at every step from the frequency's own complex Givens rotations), x = V_m y. Frequencies
   not converged within -resp_max_krylov steps are finished by the single-frequency GMRES above
   from that x. */
#include <complex.h>
#include <slepcbv.h>
#include <neurodyn/spectrum.h>
#include <neurodyn/checkpoint.h>

/* The least-squares problem of one frequency, reduced to triangular form column by column: only
   the rotations are kept (the triangular factor is rebuilt from the shared Hessenberg matrix for
   the back substitution), so a frequency costs O(m) memory */
typedef struct {
  double complex *c, *s; /* the Givens rotation of each column (c real, stored complex) */
  double complex *g;     /* the rotated right-hand side beta e_1 */
  PetscInt        steps; /* columns reduced: the solution uses the first `steps` basis vectors */
  PetscBool       done;
} NdShift;

struct _n_NdResponse {
  Mat                A, M;
  KSP                ksp;
  PetscReal          omega;
  Vec                zr, zi, yr, yi; /* views of the two halves */
  Vec                rhs, sol;
  const PetscScalar *za;
  PetscScalar       *ya;
  /* many frequencies */
  PetscInt     max_krylov, capacity; /* basis vectors: at most, and allocated now */
  BV           V;
  PetscScalar *H; /* the Arnoldi coefficients, column-major with leading dimension capacity + 1 */
  PetscInt     nshift;
  PetscReal   *shift;
  NdShift     *sh;
};

static PetscErrorCode NdResponseViews(NdResponse r, Vec z, Vec y)
{
  PetscInt n;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(r->zr, &n));
  PetscCall(VecGetArrayRead(z, &r->za));
  PetscCall(VecGetArray(y, &r->ya));
  PetscCall(VecPlaceArray(r->zr, r->za));
  PetscCall(VecPlaceArray(r->zi, r->za + n));
  PetscCall(VecPlaceArray(r->yr, r->ya));
  PetscCall(VecPlaceArray(r->yi, r->ya + n));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponseViewsEnd(NdResponse r, Vec z, Vec y)
{
  PetscFunctionBegin;
  PetscCall(VecResetArray(r->zr));
  PetscCall(VecResetArray(r->zi));
  PetscCall(VecResetArray(r->yr));
  PetscCall(VecResetArray(r->yi));
  PetscCall(VecRestoreArrayRead(z, &r->za));
  PetscCall(VecRestoreArray(y, &r->ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponseMult(Mat M, Vec z, Vec y)
{
  NdResponse r;

  PetscFunctionBegin;
  PetscCall(MatShellGetContext(M, &r));
  PetscCall(NdResponseViews(r, z, y));
  PetscCall(MatMult(r->A, r->zr, r->yr)); /* yr = -A zr - omega zi */
  PetscCall(VecAXPBY(r->yr, -r->omega, -1.0, r->zi));
  PetscCall(MatMult(r->A, r->zi, r->yi)); /* yi = omega zr - A zi */
  PetscCall(VecAXPBY(r->yi, r->omega, -1.0, r->zr));
  PetscCall(NdResponseViewsEnd(r, z, y));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponsePCApply(PC pc, Vec z, Vec y)
{
  NdResponse         r;
  const PetscScalar *za;
  PetscScalar       *ya;
  PetscInt           n;
  PetscReal          w, s;

  PetscFunctionBegin;
  PetscCall(PCShellGetContext(pc, &r));
  w = r->omega;
  s = 1.0 / (1.0 + w * w);
  PetscCall(VecGetLocalSize(r->zr, &n));
  PetscCall(VecGetArrayRead(z, &za));
  PetscCall(VecGetArray(y, &ya));
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal a = za[i], b = za[n + i];
    ya[i]     = s * (a + w * b);
    ya[n + i] = s * (b - w * a);
  }
  PetscCall(VecRestoreArrayRead(z, &za));
  PetscCall(VecRestoreArray(y, &ya));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponseResetShifts(NdResponse);

/* The KSP with the options prefix given (e.g. resp_: -resp_ksp_*, -resp_max_krylov), GMRES with
   the exact inverse of the omega block as preconditioner; the options are read by
   NdResponseSetFromOptions() */
PetscErrorCode NdResponseCreate(MPI_Comm comm, const char prefix[], NdResponse *response)
{
  NdResponse r;
  PC         pc;

  PetscFunctionBegin;
  PetscCall(PetscNew(&r));
  PetscCall(KSPCreate(comm, &r->ksp));
  PetscCall(KSPSetOptionsPrefix(r->ksp, prefix));
  PetscCall(KSPSetType(r->ksp, KSPGMRES));
  PetscCall(KSPGMRESSetRestart(r->ksp, 100));
  PetscCall(KSPSetTolerances(r->ksp, 1e-12, 1e-50, PETSC_DEFAULT, 10000));
  PetscCall(KSPGetPC(r->ksp, &pc));
  PetscCall(PCSetType(pc, PCSHELL));
  PetscCall(PCShellSetContext(pc, r));
  PetscCall(PCShellSetApply(pc, NdResponsePCApply));
  PetscCall(PCShellSetName(pc, "exact inverse of [[1, -omega], [omega, 1]]"));
  r->max_krylov = 300;
  *response     = r;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* <prefix>ksp_* and <prefix>max_krylov */
PetscErrorCode NdResponseSetFromOptions(NdResponse r)
{
  const char *prefix;

  PetscFunctionBegin;
  PetscCall(KSPSetFromOptions(r->ksp));
  PetscCall(KSPGetOptionsPrefix(r->ksp, &prefix));
  PetscOptionsBegin(PetscObjectComm((PetscObject)r->ksp), prefix, "Response to many frequencies",
                    "NdResponseSolveShifts");
  PetscCall(NdOptionsInt(PetscOptionsObject, "-max_krylov",
                         "Largest shared Krylov basis (vectors of N doubles) before the frequencies not converged are "
                         "finished one by one",
                         1, PETSC_MAX_INT, &r->max_krylov, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The operator A (referenced; a second call replaces it, and the work vectors follow its sizes).
   A changed in place afterwards is seen by the next solve. */
PetscErrorCode NdResponseSetOperator(NdResponse r, Mat A)
{
  PetscInt n, N;

  PetscFunctionBegin;
  PetscCall(PetscObjectReference((PetscObject)A));
  PetscCall(MatDestroy(&r->A));
  r->A = A;
  PetscCall(MatDestroy(&r->M));
  PetscCall(VecDestroy(&r->sol));
  PetscCall(VecDestroy(&r->rhs));
  PetscCall(VecDestroy(&r->zr));
  PetscCall(VecDestroy(&r->zi));
  PetscCall(VecDestroy(&r->yr));
  PetscCall(VecDestroy(&r->yi));
  PetscCall(NdResponseResetShifts(r));
  PetscCall(MatGetLocalSize(A, &n, NULL));
  PetscCall(MatGetSize(A, &N, NULL));
  PetscCall(MatCreateShell(PetscObjectComm((PetscObject)A), 2 * n, 2 * n, 2 * N, 2 * N, r, &r->M));
  PetscCall(MatShellSetOperation(r->M, MATOP_MULT, (void (*)(void))NdResponseMult));
  PetscCall(MatCreateVecs(r->M, &r->sol, &r->rhs));
  PetscCall(VecCreateMPIWithArray(PetscObjectComm((PetscObject)A), 1, n, N, NULL, &r->zr));
  PetscCall(VecDuplicate(r->zr, &r->zi));
  PetscCall(VecDuplicate(r->zr, &r->yr));
  PetscCall(VecDuplicate(r->zr, &r->yi));
  PetscCall(KSPSetOperators(r->ksp, r->M, r->M));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* xr + i xi = (i omega - A)^{-1} u by GMRES on the real 2N system, starting from xr + i xi when
   guess is true; its = GMRES iterations. Non-convergence is an error. */
static PetscErrorCode NdResponseSolveGuess(NdResponse r, PetscReal omega, Vec u, Vec xr, Vec xi, PetscBool guess,
                                           PetscInt *its)
{
  const PetscScalar *ua, *sa, *xa;
  PetscScalar       *ra, *wa;
  PetscInt           n;
  KSPConvergedReason reason;

  PetscFunctionBegin;
  r->omega = omega;
  PetscCall(VecGetLocalSize(u, &n));
  PetscCall(VecGetArrayRead(u, &ua));
  PetscCall(VecGetArray(r->rhs, &ra));
  for (PetscInt i = 0; i < n; i++) {
    ra[i]     = ua[i];
    ra[n + i] = 0.0;
  }
  PetscCall(VecRestoreArray(r->rhs, &ra));
  PetscCall(VecRestoreArrayRead(u, &ua));
  if (guess) {
    PetscCall(VecGetArray(r->sol, &wa));
    PetscCall(VecGetArrayRead(xr, &xa));
    PetscCall(PetscArraycpy(wa, xa, n));
    PetscCall(VecRestoreArrayRead(xr, &xa));
    PetscCall(VecGetArrayRead(xi, &xa));
    PetscCall(PetscArraycpy(wa + n, xa, n));
    PetscCall(VecRestoreArrayRead(xi, &xa));
    PetscCall(VecRestoreArray(r->sol, &wa));
  }
  PetscCall(KSPSetInitialGuessNonzero(r->ksp, guess));
  PetscCall(KSPSolve(r->ksp, r->rhs, r->sol));
  PetscCall(KSPGetConvergedReason(r->ksp, &reason));
  PetscCall(KSPGetIterationNumber(r->ksp, its));
  PetscCheck(reason > 0, PetscObjectComm((PetscObject)r->A), PETSC_ERR_NOT_CONVERGED,
             "the response solve at omega = %g did not converge (KSP: %s after %" PetscInt_FMT
             " iterations); is the fixed point unstable (an eigenvalue of A near i omega)?",
             (double)omega, KSPConvergedReasons[reason], *its);
  PetscCall(VecGetArrayRead(r->sol, &sa));
  PetscCall(VecGetArray(xr, &wa));
  PetscCall(PetscArraycpy(wa, sa, n));
  PetscCall(VecRestoreArray(xr, &wa));
  PetscCall(VecGetArray(xi, &wa));
  PetscCall(PetscArraycpy(wa, sa + n, n));
  PetscCall(VecRestoreArray(xi, &wa));
  PetscCall(VecRestoreArrayRead(r->sol, &sa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* xr + i xi = (i omega - A)^{-1} u; its = GMRES iterations. Non-convergence is an error. */
PetscErrorCode NdResponseSolve(NdResponse r, PetscReal omega, Vec u, Vec xr, Vec xi, PetscInt *its)
{
  PetscFunctionBegin;
  PetscCall(NdResponseSolveGuess(r, omega, u, xr, xi, PETSC_FALSE, its));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NdResponseResetShifts(NdResponse r)
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < r->nshift; k++) PetscCall(PetscFree3(r->sh[k].c, r->sh[k].s, r->sh[k].g));
  PetscCall(PetscFree(r->sh));
  PetscCall(PetscFree(r->shift));
  PetscCall(PetscFree(r->H));
  PetscCall(BVDestroy(&r->V));
  r->nshift = r->capacity = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Room for m basis vectors (m + 1 columns of V and of H's leading dimension), keeping the content */
static PetscErrorCode NdResponseReserve(NdResponse r, PetscInt m)
{
  PetscScalar *H;

  PetscFunctionBegin;
  PetscCall(BVResize(r->V, m + 1, PETSC_TRUE));
  PetscCall(PetscCalloc1((m + 1) * m, &H));
  for (PetscInt j = 0; j < r->capacity; j++)
    PetscCall(PetscArraycpy(H + j * (m + 1), r->H + j * (r->capacity + 1), j + 2));
  PetscCall(PetscFree(r->H));
  r->H = H;
  for (PetscInt k = 0; k < r->nshift; k++) {
    NdShift        *q = &r->sh[k];
    double complex *c, *sn, *g;
    PetscCall(PetscCalloc3(m, &c, m, &sn, m + 1, &g));
    if (r->capacity) {
      PetscCall(PetscArraycpy(c, q->c, r->capacity));
      PetscCall(PetscArraycpy(sn, q->s, r->capacity));
      PetscCall(PetscArraycpy(g, q->g, r->capacity + 1));
    }
    PetscCall(PetscFree3(q->c, q->s, q->g));
    q->c = c;
    q->s = sn;
    q->g = g;
  }
  r->capacity = m;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Column j of i omega Ibar - Hbar (h: its j + 2 Arnoldi coefficients) through the frequency's
   earlier rotations (col: j + 1 entries out); with reduce, a new rotation zeroes the subdiagonal
   entry and the rotated right-hand side is updated */
static void NdShiftColumn(NdShift *q, PetscInt j, PetscReal omega, const PetscScalar *h, double complex *col,
                          PetscBool reduce)
{
  double complex a, b;
  PetscReal      rho;

  for (PetscInt i = 0; i <= j; i++) col[i] = -h[i];
  col[j] += I * omega;
  b = -h[j + 1];
  for (PetscInt i = 0; i < j; i++) { /* earlier rotations act on rows i, i + 1 */
    const double complex x = col[i], y = col[i + 1];
    col[i]     = q->c[i] * x + q->s[i] * y;
    col[i + 1] = -conj(q->s[i]) * x + q->c[i] * y;
  }
  a = col[j];
  if (reduce) {
    rho = PetscSqrtReal(creal(a * conj(a)) + creal(b * conj(b)));
    if (cabs(a) == 0) {
      q->c[j] = 0;
      q->s[j] = 1;
    } else {
      q->c[j] = cabs(a) / rho;
      q->s[j] = (a / cabs(a)) * conj(b) / rho;
    }
    q->g[j + 1] = -conj(q->s[j]) * q->g[j];
    q->g[j]     = q->c[j] * q->g[j];
    q->steps    = j + 1;
  }
  col[j] = q->c[j] * a + q->s[j] * b;
}

/* (i omega_k - A)^{-1} u for all k from one Arnoldi basis of K(A, u), until every relative
   residual is below the KSP's rtol or the basis has -resp_max_krylov vectors, or until any rank
   has caught SIGTERM/SIGUSR1 (the caller stops with NdSignalStop); *steps: its size */
PetscErrorCode NdResponseSolveShifts(NdResponse r, PetscInt n, const PetscReal omega[], Vec u, PetscInt *steps)
{
  PetscReal       rtol, beta, norm;
  PetscBool       lindep = PETSC_FALSE;
  PetscInt        j, open = n;
  double complex *col;

  PetscFunctionBegin;
  PetscCall(NdResponseResetShifts(r));
  { /* at most: the basis (max_krylov + 1 vectors), its Hessenberg matrix and, per frequency, max_krylov
       rotations and right-hand side entries (3 complex numbers each) */
    PetscInt       nlocal;
    PetscLogDouble bytes;
    const char    *prefix;
    char           change[128];
    PetscCall(VecGetLocalSize(u, &nlocal));
    bytes = 8.0 * (r->max_krylov + 1) * (nlocal + r->max_krylov) + (48.0 * r->max_krylov + 64) * n;
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &bytes, 1, MPI_DOUBLE, MPI_MAX, PetscObjectComm((PetscObject)u)));
    PetscCall(KSPGetOptionsPrefix(r->ksp, &prefix));
    PetscCall(PetscSNPrintf(change, sizeof(change), "take fewer frequencies or a smaller -%smax_krylov",
                            prefix ? prefix : ""));
    PetscCall(NdCheckMemory(PetscObjectComm((PetscObject)u), 0, "-memory_limit",
                            "the shared Krylov basis and the frequencies' rotations", bytes, change));
  }
  PetscCall(KSPGetTolerances(r->ksp, &rtol, NULL, NULL, NULL));
  PetscCall(BVCreate(PetscObjectComm((PetscObject)u), &r->V));
  PetscCall(BVSetSizesFromVec(r->V, u, 1));
  {
    const char *prefix;
    PetscCall(KSPGetOptionsPrefix(r->ksp, &prefix));
    PetscCall(BVSetOptionsPrefix(r->V, prefix));
  }
  PetscCall(BVSetFromOptions(r->V));
  PetscCall(PetscMalloc1(n, &r->shift));
  PetscCall(PetscCalloc1(n, &r->sh));
  r->nshift = n;
  for (PetscInt k = 0; k < n; k++) r->shift[k] = omega[k];
  PetscCall(NdResponseReserve(r, PetscMin(64, r->max_krylov)));
  PetscCall(PetscMalloc1(r->max_krylov + 1, &col));
  PetscCall(BVInsertVec(r->V, 0, u));
  PetscCall(BVNormColumn(r->V, 0, NORM_2, &beta));
  PetscCheck(beta > 0, PetscObjectComm((PetscObject)u), PETSC_ERR_USER_INPUT, "the input vector u is zero");
  PetscCall(BVScaleColumn(r->V, 0, 1.0 / beta));
  for (PetscInt k = 0; k < n; k++) r->sh[k].g[0] = beta;
  for (j = 0; j < r->max_krylov && open && !lindep; j++) {
    PetscScalar *h;
    int          signum;
    PetscCall(NdCheckpointSignalReceived(PetscObjectComm((PetscObject)u), &signum));
    if (signum) break;
    if (j == r->capacity) PetscCall(NdResponseReserve(r, PetscMin(2 * r->capacity, r->max_krylov)));
    h = r->H + j * (r->capacity + 1);
    PetscCall(BVMatMultColumn(r->V, r->A, j));
    PetscCall(BVOrthogonalizeColumn(r->V, j + 1, h, &norm, &lindep));
    h[j + 1] = norm;
    if (!lindep) PetscCall(BVScaleColumn(r->V, j + 1, 1.0 / norm));
    for (PetscInt k = 0; k < n; k++) {
      NdShift *q = &r->sh[k];
      if (q->done) continue;
      NdShiftColumn(q, j, r->shift[k], h, col, PETSC_TRUE);
      if (cabs(q->g[j + 1]) <= rtol * beta || lindep) {
        q->done = PETSC_TRUE;
        open--;
      }
    }
  }
  PetscCall(PetscFree(col));
  *steps = j;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The solution of frequency k (index into NdResponseSolveShifts' list): V y with R y = g, R
   rebuilt from H and the frequency's rotations; a frequency that did not converge in the shared
   basis is finished by single-frequency GMRES from it. *used: the basis vectors it used; *its:
   the single-frequency GMRES iterations (0 if none were needed). */
PetscErrorCode NdResponseGetShiftSolution(NdResponse r, PetscInt k, Vec u, Vec xr, Vec xi, PetscInt *used,
                                          PetscInt *its)
{
  NdShift        *q = &r->sh[k];
  const PetscInt  p = q->steps;
  double complex *R, *y;
  PetscScalar    *yr, *yi;

  PetscFunctionBegin;
  PetscCall(PetscMalloc4(p * p, &R, p, &y, p, &yr, p, &yi));
  for (PetscInt j = 0; j < p; j++)
    NdShiftColumn(q, j, r->shift[k], r->H + j * (r->capacity + 1), R + j * p, PETSC_FALSE);
  for (PetscInt i = p - 1; i >= 0; i--) { /* back substitution */
    double complex t = q->g[i];
    for (PetscInt l = i + 1; l < p; l++) t -= R[l * p + i] * y[l];
    y[i]  = t / R[i * p + i];
    yr[i] = creal(y[i]);
    yi[i] = cimag(y[i]);
  }
  PetscCall(BVSetActiveColumns(r->V, 0, p));
  PetscCall(BVMultVec(r->V, 1.0, 0.0, xr, yr));
  PetscCall(BVMultVec(r->V, 1.0, 0.0, xi, yi));
  PetscCall(PetscFree4(R, y, yr, yi));
  *used = p;
  *its  = 0;
  if (!q->done) PetscCall(NdResponseSolveGuess(r, r->shift[k], u, xr, xi, PETSC_TRUE, its));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdResponseDestroy(NdResponse *r)
{
  PetscFunctionBegin;
  if (!*r) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(KSPDestroy(&(*r)->ksp));
  PetscCall(MatDestroy(&(*r)->A));
  PetscCall(MatDestroy(&(*r)->M));
  PetscCall(VecDestroy(&(*r)->rhs));
  PetscCall(VecDestroy(&(*r)->sol));
  PetscCall(VecDestroy(&(*r)->zr));
  PetscCall(VecDestroy(&(*r)->zi));
  PetscCall(VecDestroy(&(*r)->yr));
  PetscCall(VecDestroy(&(*r)->yi));
  PetscCall(NdResponseResetShifts(*r));
  PetscCall(PetscFree(*r));
  PetscFunctionReturn(PETSC_SUCCESS);
}
