/* Unit test: PETSc initialised and finalised twice in one process (MPI stays up in between), with
   neurodyn's package each time: NdFinalizePackage() resets what NdInitializePackage() set, so on
   the second round every registered type is there again. Each round creates an mpr system and
   compares its right-hand side at (r, v) = (0.3, -0.7), eta = -5, J = 15, Delta = 1, tau = 1, I = 0
   with the equations of docs/models/mpr.md, dr/dt = Delta/pi + 2 r v and
   dv/dt = v^2 + eta + J r - pi^2 r^2 (relative 1e-14), and looks up a type of every other list.
   run at ranks: 1 2 */
#include <neurodyn/neurodyn.h>
#include <neurodyn/network.h>
#include <neurodyn/spectrum.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what, int round)
{
  printf("%s - %s (round %d)\n", ok ? "ok" : "not ok", what, round);
  if (!ok) failures++;
}

static PetscErrorCode Round(int round)
{
  NdSystem        sys;
  Vec             x, f;
  PetscInt        n;
  PetscReal       f0 = 0, f1 = 0;
  const PetscReal r = 0.3, v = -0.7;
  const PetscReal want0 = 1 / PETSC_PI + 2 * r * v, want1 = v * v - 5 + 15 * r - PETSC_PI * PETSC_PI * r * r;
  PetscErrorCode (*fn)(void);
  const char *types[][2] = {
      {"system", NDSYSTEMMPR},      {"stimulus", NDSTIMULUSRAMP},  {"continuation", NDCONTINUATIONEQUILIBRIUM},
      {"binary", NDBINARYLOGISTIC}, {"neuron model", NDNEURONQIF}, {"linearization", NDLINEARIZATIONCOVARIANCE}};

  PetscFunctionBegin;
  PetscCall(NdInitializePackage());
  PetscFunctionList lists[] = {NdSystemList, NdStimulusList,    NdContinuationList,
                               NdBinaryList, NdNeuronModelList, NdLinearizationList};
  for (int i = 0; i < 6; i++) {
    char what[64];

    PetscCall(PetscFunctionListFind(lists[i], types[i][1], &fn));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s type '%s' registered", types[i][0], types[i][1]));
    Expect(fn != NULL, what, round);
  }

  PetscCall(NdSystemCreate(PETSC_COMM_WORLD, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMMPR));
  PetscCall(NdSystemSetParameter(sys, "eta", -5.0));
  PetscCall(NdSystemSetParameter(sys, "J", 15.0));
  PetscCall(NdSystemSetUp(sys));
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(VecDuplicate(x, &f));
  PetscCall(VecGetSize(x, &n));
  Expect(n == 2, "mpr without synapses has 2 variables", round);
  if (n == 2) {
    PetscInt           lo, hi;
    const PetscScalar *a;

    PetscCall(VecGetOwnershipRange(x, &lo, &hi));
    if (lo <= 0 && 0 < hi) PetscCall(VecSetValue(x, 0, r, INSERT_VALUES));
    if (lo <= 1 && 1 < hi) PetscCall(VecSetValue(x, 1, v, INSERT_VALUES));
    PetscCall(VecAssemblyBegin(x));
    PetscCall(VecAssemblyEnd(x));
    PetscCall(NdSystemComputeRHS(sys, 0, x, f));
    PetscCall(VecGetArrayRead(f, &a));
    for (PetscInt i = lo; i < hi; i++) {
      if (i == 0) f0 = PetscRealPart(a[i - lo]);
      if (i == 1) f1 = PetscRealPart(a[i - lo]);
    }
    PetscCall(VecRestoreArrayRead(f, &a));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &f0, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &f1, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
    Expect(PetscAbsReal(f0 - want0) <= 1e-14 * PetscAbsReal(want0) &&
               PetscAbsReal(f1 - want1) <= 1e-14 * PetscAbsReal(want1),
           "mpr right-hand side", round);
  }
  PetscCall(VecDestroy(&f));
  PetscCall(VecDestroy(&x));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv); /* MPI outlives both rounds: it cannot be initialised twice */
  for (int round = 1; round <= 2; round++) {
    PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
    PetscCall(Round(round));
    PetscCall(PetscFinalize());
  }
  MPI_Finalize();
  return failures ? 1 : 0;
}
