/* The collocation mesh of periodic orbits: Gauss-Legendre points, the Lagrange basis of each
   interval, interpolation, and adaptation by equidistribution of the error estimate (as in
   AUTO-07p: the (ncol+1)-th derivative estimated from jumps of the ncol-th derivative between
   intervals). */
#include <neurodyn/private/collocationimpl.h>

/* Gauss-Legendre points and weights on [0, 1] by Newton's method on P_n */
static void NdGaussLegendre(PetscInt n, PetscReal z[], PetscReal w[])
{
  for (PetscInt i = 0; i < n; i++) {
    PetscReal x = PetscCosReal(PETSC_PI * ((PetscReal)i + 0.75) / ((PetscReal)n + 0.5)), dp = 1;
    for (int it = 0; it < 100; it++) {
      PetscReal p0 = 1, p1 = x, dx;
      for (PetscInt k = 2; k <= n; k++) {
        PetscReal p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / (PetscReal)k;
        p0           = p1;
        p1           = p2;
      }
      if (n == 1) p0 = 1;
      dp = (PetscReal)n * (x * p1 - p0) / (x * x - 1);
      dx = p1 / dp;
      x -= dx;
      if (PetscAbsReal(dx) < 1e-16) break;
    }
    z[n - 1 - i] = 0.5 * (x + 1);
    w[n - 1 - i] = 1.0 / ((1 - x * x) * dp * dp); /* 2/((1-x^2) P_n'^2), halved for [0, 1] */
  }
}

/* l_k(s) for the nodes k/ncol */
static PetscReal NdLagrange(PetscInt ncol, PetscInt k, PetscReal s)
{
  PetscReal v = 1;
  for (PetscInt m = 0; m <= ncol; m++)
    if (m != k) v *= (s - (PetscReal)m / ncol) / ((PetscReal)(k - m) / ncol);
  return v;
}

static PetscReal NdLagrangeDerivative(PetscInt ncol, PetscInt k, PetscReal s)
{
  PetscReal d = 0;
  for (PetscInt j = 0; j <= ncol; j++) {
    PetscReal v = 1;
    if (j == k) continue;
    for (PetscInt m = 0; m <= ncol; m++)
      if (m != k)
        v *= m == j ? 1.0 / ((PetscReal)(k - m) / ncol) : (s - (PetscReal)m / ncol) / ((PetscReal)(k - m) / ncol);
    d += v;
  }
  return d;
}

PetscErrorCode NdCycleMeshCreate(PetscInt ntst, PetscInt ncol, NdCycleMesh *mesh)
{
  PetscFunctionBegin;
  PetscCheck(ncol >= 1 && ncol <= ND_CYCLE_MAX_NCOL && ntst >= 2, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "collocation mesh: ntst %" PetscInt_FMT ", ncol %" PetscInt_FMT, ntst, ncol);
  PetscCall(PetscMemzero(mesh, sizeof(*mesh)));
  mesh->ntst = ntst;
  mesh->ncol = ncol;
  PetscCall(PetscMalloc1(ntst + 1, &mesh->t));
  for (PetscInt i = 0; i <= ntst; i++) mesh->t[i] = (PetscReal)i / ntst;
  NdGaussLegendre(ncol, mesh->z, mesh->w);
  for (PetscInt m = 0; m < ncol; m++)
    for (PetscInt k = 0; k <= ncol; k++) {
      mesh->L[m][k]  = NdLagrange(ncol, k, mesh->z[m]);
      mesh->dL[m][k] = NdLagrangeDerivative(ncol, k, mesh->z[m]);
    }
  for (PetscInt k = 0; k <= ncol; k++) { /* ncol! / prod_{m != k} (x_k - x_m) */
    PetscReal v = 1;
    for (PetscInt m = 1; m <= ncol; m++) v *= (PetscReal)m;
    for (PetscInt m = 0; m <= ncol; m++)
      if (m != k) v /= (PetscReal)(k - m) / ncol;
    mesh->Dn[k] = v;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCycleMeshDestroy(NdCycleMesh *mesh)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(mesh->t));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscReal NdCycleMeshPointTime(const NdCycleMesh *mesh, PetscInt j)
{
  PetscInt i = PetscMin(j / mesh->ncol, mesh->ntst - 1), k = j - i * mesh->ncol;
  return mesh->t[i] + (mesh->t[i + 1] - mesh->t[i]) * (PetscReal)k / mesh->ncol;
}

void NdCycleMeshInterpolate(const NdCycleMesh *mesh, PetscInt nc, const PetscScalar *u, PetscReal t, PetscScalar *out)
{
  PetscInt  lo = 0, hi = mesh->ntst, np = mesh->ntst * mesh->ncol + 1;
  PetscReal s, l[ND_CYCLE_MAX_NCOL + 1];

  t = PetscMin(PetscMax(t, 0.0), 1.0);
  while (hi - lo > 1) { /* the interval [t_lo, t_lo+1] holding t */
    PetscInt mid = (lo + hi) / 2;
    if (mesh->t[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  s = (t - mesh->t[lo]) / (mesh->t[lo + 1] - mesh->t[lo]);
  for (PetscInt k = 0; k <= mesh->ncol; k++) l[k] = NdLagrange(mesh->ncol, k, s);
  for (PetscInt c = 0; c < nc; c++) {
    PetscScalar v = 0;
    for (PetscInt k = 0; k <= mesh->ncol; k++) v += l[k] * u[c * np + lo * mesh->ncol + k];
    out[c] = v;
  }
}

/* the profile of nc components on mesh `from`, re-interpolated at the points of mesh `to` */
static PetscErrorCode NdCycleMeshTransfer(const NdCycleMesh *from, const NdCycleMesh *to, PetscInt nc, PetscScalar *u)
{
  PetscInt     np = to->ntst * to->ncol + 1;
  PetscScalar *old, *val;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(nc * np, &old, PetscMax(nc, 1), &val));
  PetscCall(PetscArraycpy(old, u, nc * np));
  for (PetscInt j = 0; j < np; j++) {
    NdCycleMeshInterpolate(from, nc, old, NdCycleMeshPointTime(to, j), val);
    for (PetscInt c = 0; c < nc; c++) u[c * np + j] = val[c];
  }
  PetscCall(PetscFree2(old, val));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdCycleMeshAdapt(MPI_Comm comm, NdCycleMesh *mesh, PetscInt nc, PetscScalar *u, PetscInt nv,
                                PetscScalar *v[])
{
  PetscInt    ntst = mesh->ntst, ncol = mesh->ncol, np = ntst * ncol + 1;
  PetscReal  *jump, *rho, total = 0, rmax = 0, *D;
  NdCycleMesh old = *mesh;
  PetscInt    i;

  PetscFunctionBegin;
  PetscCall(PetscCalloc3(ntst, &jump, ntst, &rho, ntst, &D));
  /* squared jumps of the ncol-th derivative at the mesh points (periodic), summed over components */
  for (PetscInt c = 0; c < nc; c++) {
    for (i = 0; i < ntst; i++) {
      PetscReal h = mesh->t[i + 1] - mesh->t[i], d = 0;
      for (PetscInt k = 0; k <= ncol; k++) d += mesh->Dn[k] * PetscRealPart(u[c * np + i * ncol + k]);
      D[i] = d / PetscPowReal(h, (PetscReal)ncol);
    }
    for (i = 0; i < ntst; i++) {
      PetscInt  in = (i + 1) % ntst;
      PetscReal h  = 0.5 * (mesh->t[i + 1] - mesh->t[i] + mesh->t[in + 1] - mesh->t[in]);
      jump[i] += PetscSqr((D[in] - D[i]) / h);
    }
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, jump, (PetscMPIInt)ntst, MPIU_REAL, MPI_SUM, comm));
  /* the monitor on interval i: |u^(ncol+1)|^(1/(ncol+1)) from the jumps at its two ends */
  for (i = 0; i < ntst; i++) {
    PetscReal e = 0.5 * (PetscSqrtReal(jump[(i + ntst - 1) % ntst]) + PetscSqrtReal(jump[i]));
    rho[i]      = PetscPowReal(e, 1.0 / (ncol + 1));
    rmax        = PetscMax(rmax, rho[i]);
  }
  if (rmax > 0) {
    PetscReal *t, *cum, target;
    PetscInt   j = 0;
    PetscCall(PetscMalloc2(ntst + 1, &t, ntst + 1, &cum));
    cum[0] = 0;
    for (i = 0; i < ntst; i++) { /* a floor keeps every interval below 1000 times the smallest density's */
      rho[i]     = PetscMax(rho[i], 1e-3 * rmax);
      cum[i + 1] = cum[i] + rho[i] * (mesh->t[i + 1] - mesh->t[i]);
    }
    total = cum[ntst];
    t[0]  = 0;
    for (PetscInt k = 1; k < ntst; k++) {
      target = total * (PetscReal)k / ntst;
      while (cum[j + 1] < target) j++;
      t[k] = mesh->t[j] + (target - cum[j]) / rho[j];
    }
    t[ntst] = 1;
    old.t   = cum; /* the old points, kept while the profiles move */
    PetscCall(PetscArraycpy(cum, mesh->t, ntst + 1));
    PetscCall(PetscArraycpy(mesh->t, t, ntst + 1));
    PetscCall(NdCycleMeshTransfer(&old, mesh, nc, u));
    for (PetscInt k = 0; k < nv; k++) PetscCall(NdCycleMeshTransfer(&old, mesh, nc, v[k]));
    PetscCall(PetscFree2(t, cum));
  }
  PetscCall(PetscFree3(jump, rho, D));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The orbit u traversed twice, on the mesh that holds the old mesh's even points (scaled by 1/2)
   in each half: t'_i = t_2i / 2 while 2i <= ntst, else 1/2 + t_(2i-ntst) / 2. v, an
   antiperiodic eigenfunction (v(1) = -v(0), the Floquet multiplier -1), continues as -v in the
   second half: v'(t) = v(2t) for t <= 1/2, -v(2t - 1) beyond; v' is periodic. u and v (nc
   components) and the mesh are replaced in place. */
PetscErrorCode NdCycleMeshDouble(NdCycleMesh *mesh, PetscInt nc, PetscScalar *u, PetscScalar *v)
{
  PetscInt     ntst = mesh->ntst, np = ntst * mesh->ncol + 1;
  NdCycleMesh  old = *mesh;
  PetscReal   *t;
  PetscScalar *u0, *v0, *val;

  PetscFunctionBegin;
  PetscCall(PetscMalloc4(ntst + 1, &t, nc * np, &u0, nc * np, &v0, PetscMax(nc, 1), &val));
  for (PetscInt i = 0; i <= ntst; i++) t[i] = 2 * i <= ntst ? 0.5 * mesh->t[2 * i] : 0.5 + 0.5 * mesh->t[2 * i - ntst];
  PetscCall(PetscArraycpy(u0, u, nc * np));
  PetscCall(PetscArraycpy(v0, v, nc * np));
  mesh->t = t; /* old keeps the old points until the profiles have moved */
  for (PetscInt j = 0; j < np; j++) {
    PetscReal tj = NdCycleMeshPointTime(mesh, j), sign = tj <= 0.5 ? 1 : -1, s = tj <= 0.5 ? 2 * tj : 2 * tj - 1;
    NdCycleMeshInterpolate(&old, nc, u0, s, val);
    for (PetscInt c = 0; c < nc; c++) u[c * np + j] = val[c];
    NdCycleMeshInterpolate(&old, nc, v0, s, val);
    for (PetscInt c = 0; c < nc; c++) v[c * np + j] = sign * val[c];
  }
  PetscCall(PetscArraycpy(old.t, t, ntst + 1)); /* the mesh keeps its own array */
  mesh->t = old.t;
  PetscCall(PetscFree4(t, u0, v0, val));
  PetscFunctionReturn(PETSC_SUCCESS);
}
