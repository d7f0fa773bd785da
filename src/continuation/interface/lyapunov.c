/* The first Lyapunov coefficient l1 at a Hopf point (Kuznetsov, Elements of Applied Bifurcation
   Theory, 3rd ed., eq. 3.20): with A q = i w q, A^T p = -i w p, <q, q> = <p, q> = 1,
     l1 = Re[ <p, C(q,q,qb)> - 2 <p, B(q, A^-1 B(q,qb))> + <p, B(qb, (2iw - A)^-1 B(q,q))> ] / (2 w),
   B and C the second and third derivatives of f. l1 < 0: supercritical (stable cycles born),
   l1 > 0: subcritical. B and C by central differences of the right-hand side along directions
   (multilinearity: B(u,v) = [D2(u+v) - D2(u-v)]/4, C(u,v,v) = [D3(u+v) + D3(u-v) - 2 D3(u)]/6);
   the complex solve with 2iw - A through (A^2 + 4 w^2) x_r = -A r + 2 w t, x_i = -(A x_r + r)/(2w),
   one real factorisation (MUMPS). Near a Bogdanov-Takens point (w -> 0) l1 is not defined. */
#include <neurodyn/private/continuationimpl.h>
#include <neurodyn/private/systemimpl.h>

typedef struct {
  NdSystem sys;
  Vec      x, w, fp, fm, f0, f2p, f2m;
} NdDerivatives;

/* The difference step along u: scale (1 + |x|_inf) / |u|_inf, 0 for u = 0 */
static PetscErrorCode NdDerivativeStep(NdDerivatives *d, Vec u, PetscReal scale, PetscReal *h)
{
  PetscReal un, xn;

  PetscFunctionBegin;
  PetscCall(VecNorm(u, NORM_INFINITY, &un));
  PetscCall(VecNorm(d->x, NORM_INFINITY, &xn));
  *h = un > 0 ? scale * (1 + xn) / un : 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* d->fp, d->fm = f(x + k h u), f(x - k h u) */
static PetscErrorCode NdEvaluatePair(NdDerivatives *d, Vec u, PetscReal kh, Vec fp, Vec fm)
{
  PetscFunctionBegin;
  PetscCall(VecWAXPY(d->w, kh, u, d->x));
  PetscCall(NdSystemComputeRHS(d->sys, 0.0, d->w, fp));
  PetscCall(VecWAXPY(d->w, -kh, u, d->x));
  PetscCall(NdSystemComputeRHS(d->sys, 0.0, d->w, fm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* out = D2 f(x)[u, u] (second directional derivative; d->f0 = f(x)) */
static PetscErrorCode NdSecond(NdDerivatives *d, Vec u, Vec out)
{
  PetscReal h;

  PetscFunctionBegin;
  PetscCall(VecSet(out, 0.0));
  PetscCall(NdDerivativeStep(d, u, 1e-4, &h));
  if (h == 0) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdEvaluatePair(d, u, h, d->fp, d->fm));
  PetscCall(VecWAXPY(out, 1.0, d->fp, d->fm));
  PetscCall(VecAXPY(out, -2.0, d->f0));
  PetscCall(VecScale(out, 1.0 / (h * h)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* out = D3 f(x)[u, u, u] */
static PetscErrorCode NdThird(NdDerivatives *d, Vec u, Vec out)
{
  PetscReal h;

  PetscFunctionBegin;
  PetscCall(VecSet(out, 0.0));
  PetscCall(NdDerivativeStep(d, u, 2e-3, &h));
  if (h == 0) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(NdEvaluatePair(d, u, h, d->fp, d->fm));
  PetscCall(NdEvaluatePair(d, u, 2 * h, d->f2p, d->f2m));
  PetscCall(VecWAXPY(out, -1.0, d->f2m, d->f2p)); /* f(x+2h) - f(x-2h) - 2 (f(x+h) - f(x-h)) */
  PetscCall(VecAXPY(out, -2.0, d->fp));
  PetscCall(VecAXPY(out, 2.0, d->fm));
  PetscCall(VecScale(out, 1.0 / (2 * h * h * h)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* out = B(u, v) */
static PetscErrorCode NdBilinear(NdDerivatives *d, Vec u, Vec v, Vec out)
{
  Vec s, t;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(u, &s));
  PetscCall(VecDuplicate(u, &t));
  PetscCall(VecWAXPY(s, 1.0, v, u));
  PetscCall(NdSecond(d, s, out));
  PetscCall(VecWAXPY(s, -1.0, v, u));
  PetscCall(NdSecond(d, s, t));
  PetscCall(VecAXPY(out, -1.0, t));
  PetscCall(VecScale(out, 0.25));
  PetscCall(VecDestroy(&s));
  PetscCall(VecDestroy(&t));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* out = C(u, v, v) */
static PetscErrorCode NdTrilinear(NdDerivatives *d, Vec u, Vec v, Vec out)
{
  Vec s, t;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(u, &s));
  PetscCall(VecDuplicate(u, &t));
  PetscCall(VecWAXPY(s, 1.0, v, u));
  PetscCall(NdThird(d, s, out));
  PetscCall(VecWAXPY(s, -1.0, v, u));
  PetscCall(NdThird(d, s, t));
  PetscCall(VecAXPY(out, 1.0, t));
  PetscCall(NdThird(d, u, t));
  PetscCall(VecAXPY(out, -2.0, t));
  PetscCall(VecScale(out, 1.0 / 6));
  PetscCall(VecDestroy(&s));
  PetscCall(VecDestroy(&t));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Re <p, v> = pc.vr + pd.vi for p = pc + i pd, v = vr + i vi */
static PetscErrorCode NdRealInner(Vec pc, Vec pd, Vec vr, Vec vi, PetscReal *re)
{
  PetscScalar a, b = 0;

  PetscFunctionBegin;
  PetscCall(VecDot(vr, pc, &a));
  if (vi) PetscCall(VecDot(vi, pd, &b));
  *re = PetscRealPart(a + b);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The left eigenvector p = pc + i pd (A^T p = -i omega p) from the rightmost eigenvalues of A^T,
   scaled so that <p, q> = 1 for q = a + i b */
static PetscErrorCode NdLeftEigenvector(NdContinuation eq, Mat A, PetscReal omega, Vec a, Vec b, Vec pc, Vec pd)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)eq);
  Mat         At;
  PetscInt    nconv, pick = -1;
  PetscReal   best = PETSC_MAX_REAL, zr, zi, z2;
  PetscScalar ca, db, cb, da;
  PetscInt    nev = 0, ncv = 0, mpd = 0;
  PetscBool   widened = PETSC_FALSE;
  Vec         c, d;

  PetscFunctionBegin;
  PetscCall(MatTranspose(A, MAT_INITIAL_MATRIX, &At));
  PetscCall(EPSSetOperators(eq->eps, At, NULL));
  /* Krylov-Schur's default subspace (ncv = 2 nev) can miss i omega among the clustered rightmost
     eigenvalues of a network of similar nodes (a node_network of 300 MPR nodes: no eigenvalue
     within 1e-6 of i omega); then once more with a subspace of at least 64 vectors */
  for (PetscInt attempt = 0; attempt < 2 && best >= 1e-6 * (1 + omega); attempt++) {
    if (attempt == 1) {
      PetscInt n;
      PetscCall(MatGetSize(A, &n, NULL));
      PetscCall(EPSGetDimensions(eq->eps, &nev, &ncv, &mpd));
      if (PetscMin(n, PetscMax(64, 2 * ncv)) <= ncv) break; /* no larger subspace (dense: exact) */
      PetscCall(EPSSetDimensions(eq->eps, nev, PetscMin(n, PetscMax(64, 2 * ncv)), PETSC_DEFAULT));
      widened = PETSC_TRUE;
      best    = PETSC_MAX_REAL;
      pick    = -1;
    }
    PetscCall(EPSSolve(eq->eps));
    PetscCall(EPSGetConverged(eq->eps, &nconv));
    for (PetscInt i = 0; i < nconv; i++) {
      PetscScalar kr, ki;
      PetscCall(EPSGetEigenvalue(eq->eps, i, &kr, &ki));
      if (PetscRealPart(ki) > 0 && PetscAbsReal(PetscRealPart(ki) - omega) + PetscAbsReal(PetscRealPart(kr)) < best) {
        best = PetscAbsReal(PetscRealPart(ki) - omega) + PetscAbsReal(PetscRealPart(kr));
        pick = i;
      }
    }
  }
  PetscCheck(pick >= 0 && best < 1e-6 * (1 + omega), comm, PETSC_ERR_NOT_CONVERGED,
             "no eigenvalue i omega (omega = %g) of the transposed Jacobian at the Hopf point", (double)omega);
  PetscCall(VecDuplicate(a, &c));
  PetscCall(VecDuplicate(a, &d));
  PetscCall(EPSGetEigenvector(eq->eps, pick, c, d)); /* A^T (c + i d) = i omega (c + i d): p = c - i d */
  if (widened) PetscCall(EPSSetDimensions(eq->eps, nev, ncv, mpd));
  PetscCall(VecScale(d, -1.0));
  /* z = <p, q> = (c.a + d.b) + i (c.b - d.a); p <- p / conj(z) = p z / |z|^2 */
  PetscCall(VecDot(a, c, &ca));
  PetscCall(VecDot(b, d, &db));
  PetscCall(VecDot(b, c, &cb));
  PetscCall(VecDot(a, d, &da));
  zr = PetscRealPart(ca + db);
  zi = PetscRealPart(cb - da);
  z2 = zr * zr + zi * zi;
  PetscCheck(z2 > 0, comm, PETSC_ERR_NOT_CONVERGED, "the left and right Hopf eigenvectors are orthogonal");
  PetscCall(VecAXPBYPCZ(pc, zr / z2, -zi / z2, 0.0, c, d));
  PetscCall(VecAXPBYPCZ(pd, zi / z2, zr / z2, 0.0, c, d));
  PetscCall(VecDestroy(&c));
  PetscCall(VecDestroy(&d));
  PetscCall(MatDestroy(&At));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* l1 at the Hopf point (x, lambda) with frequency omega of the equilibrium continuation eq */
PetscErrorCode NdContinuationFirstLyapunovCoefficient(NdContinuation eq, Vec x, PetscReal lambda, PetscReal *l1)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)eq);
  NdSpecialPoint hb;
  NdDerivatives  d;
  PetscReal      omega = 0, t1, t2, t3;
  Mat            A, A2;
  KSP            ksp;
  PC             pc;
  Vec            a, b, pc_, pd, s, r, t, wr, wi, v1, v2, v3, v4;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&hb, sizeof(hb)));
  hb.y      = x;
  hb.lambda = lambda;
  PetscCall(VecDuplicate(x, &a));
  PetscCall(VecDuplicate(x, &b));
  PetscCall(NdContinuationHopfEigenvector(eq, &hb, a, b, &omega)); /* <q, q> = 1 */
  PetscCall(NdSystemSetParameterValue(eq->sys, eq->ip, lambda));
  PetscCall(NdSystemCreateJacobianMatrix(eq->sys, &A));
  PetscCall(NdSystemComputeJacobian(eq->sys, 0.0, x, A));
  PetscCall(VecDuplicate(x, &pc_));
  PetscCall(VecDuplicate(x, &pd));
  PetscCall(NdLeftEigenvector(eq, A, omega, a, b, pc_, pd));

  d.sys = eq->sys;
  d.x   = x;
  PetscCall(VecDuplicate(x, &d.w));
  PetscCall(VecDuplicate(x, &d.fp));
  PetscCall(VecDuplicate(x, &d.fm));
  PetscCall(VecDuplicate(x, &d.f0));
  PetscCall(VecDuplicate(x, &d.f2p));
  PetscCall(VecDuplicate(x, &d.f2m));
  PetscCall(NdSystemComputeRHS(d.sys, 0.0, x, d.f0)); /* f(x), once for every second difference */
  PetscCall(VecDuplicate(x, &s));
  PetscCall(VecDuplicate(x, &r));
  PetscCall(VecDuplicate(x, &t));
  PetscCall(VecDuplicate(x, &wr));
  PetscCall(VecDuplicate(x, &wi));
  PetscCall(VecDuplicate(x, &v1));
  PetscCall(VecDuplicate(x, &v2));
  PetscCall(VecDuplicate(x, &v3));
  PetscCall(VecDuplicate(x, &v4));

  PetscCall(KSPCreate(comm, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCLU));
  PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));

  /* C(q, q, qb) = C(a,a,a) + C(a,b,b) + i (C(b,a,a) + C(b,b,b)) */
  PetscCall(NdThird(&d, a, v1));
  PetscCall(NdTrilinear(&d, a, b, v2));
  PetscCall(VecAXPY(v1, 1.0, v2));
  PetscCall(NdTrilinear(&d, b, a, v3));
  PetscCall(NdThird(&d, b, v4));
  PetscCall(VecAXPY(v3, 1.0, v4));
  PetscCall(NdRealInner(pc_, pd, v1, v3, &t1));

  /* s = A^-1 B(q, qb), B(q, qb) = B(a,a) + B(b,b); B(q, s) = B(a,s) + i B(b,s) */
  PetscCall(NdSecond(&d, a, v1));
  PetscCall(NdSecond(&d, b, v2));
  PetscCall(VecAXPY(v1, 1.0, v2));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSolve(ksp, v1, s));
  PetscCall(NdBilinear(&d, a, s, v1));
  PetscCall(NdBilinear(&d, b, s, v2));
  PetscCall(NdRealInner(pc_, pd, v1, v2, &t2));

  /* w = (2 i omega - A)^-1 B(q, q), B(q, q) = r + i t = B(a,a) - B(b,b) + 2 i B(a,b) */
  PetscCall(NdSecond(&d, a, r));
  PetscCall(NdSecond(&d, b, v1));
  PetscCall(VecAXPY(r, -1.0, v1));
  PetscCall(NdBilinear(&d, a, b, t));
  PetscCall(VecScale(t, 2.0));
  PetscCall(MatMatMult(A, A, MAT_INITIAL_MATRIX, PETSC_DEFAULT, &A2));
  PetscCall(MatShift(A2, 4 * omega * omega));
  PetscCall(MatMult(A, r, v1)); /* (A^2 + 4 w^2) wr = -A r + 2 w t */
  PetscCall(VecAXPBY(v1, 2 * omega, -1.0, t));
  PetscCall(KSPSetOperators(ksp, A2, A2));
  PetscCall(KSPSolve(ksp, v1, wr));
  PetscCall(MatMult(A, wr, wi)); /* wi = -(A wr + r) / (2 w) */
  PetscCall(VecAXPY(wi, 1.0, r));
  PetscCall(VecScale(wi, -1.0 / (2 * omega)));
  /* B(qb, w) = B(a,wr) + B(b,wi) + i (B(a,wi) - B(b,wr)) */
  PetscCall(NdBilinear(&d, a, wr, v1));
  PetscCall(NdBilinear(&d, b, wi, v2));
  PetscCall(VecAXPY(v1, 1.0, v2));
  PetscCall(NdBilinear(&d, a, wi, v3));
  PetscCall(NdBilinear(&d, b, wr, v4));
  PetscCall(VecAXPY(v3, -1.0, v4));
  PetscCall(NdRealInner(pc_, pd, v1, v3, &t3));
  *l1 = (t1 - 2 * t2 + t3) / (2 * omega);

  PetscCall(KSPDestroy(&ksp));
  PetscCall(MatDestroy(&A));
  PetscCall(MatDestroy(&A2));
  {
    Vec *all[] = {&a,  &b,  &pc_, &pd,  &s,    &r,    &t,    &wr,    &wi,   &v1,
                  &v2, &v3, &v4,  &d.w, &d.fp, &d.fm, &d.f0, &d.f2p, &d.f2m};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) PetscCall(VecDestroy(all[i]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
