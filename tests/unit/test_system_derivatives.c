/* Unit test: the analytic Jacobian dF/dx and parameter derivatives dF/dp of every system type
   against central finite differences of the RHS, at random states and a non-zero input: mpr
   with instantaneous and first-order synapses and tau != 1, izh_mf at the parameters of
   docs/models/izh_mf.md#the-network-and-its-parameters, izh_mf_slow where the rate is positive and where it is zero,
   markov_ei at non-integer kick sizes (the rounding is linear between integers) and random occupations, mpr_shotnoise
   at random filter states, tau != 1, and a drive e of either sign; the rate network (N = 6, Gaussian J, sigmoid phi, g
   and I away from their defaults). Tolerance: relative 1e-6. */
#include <neurodyn/neurodyn.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what, double err)
{
  printf("%s - %s (max relative error %.2e)\n", ok ? "ok" : "not ok", what, err);
  if (!ok) failures++;
}

static PetscErrorCode CheckAt(NdSystem sys, PetscReal t, const PetscReal state[], const char *label)
{
  Vec       x, xp, xm, fp, fm, d;
  Mat       J;
  PetscInt  n, np;
  PetscReal h = 1e-6, err = 0, errp = 0;
  char      what[256];

  PetscFunctionBegin;
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(VecGetSize(x, &n));
  for (PetscInt i = 0; i < n; i++) PetscCall(VecSetValue(x, i, state[i], INSERT_VALUES));
  PetscCall(VecAssemblyBegin(x));
  PetscCall(VecAssemblyEnd(x));
  PetscCall(VecDuplicate(x, &xp));
  PetscCall(VecDuplicate(x, &xm));
  PetscCall(VecDuplicate(x, &fp));
  PetscCall(VecDuplicate(x, &fm));
  PetscCall(VecDuplicate(x, &d));
  PetscCall(NdSystemCreateJacobianMatrix(sys, &J));
  PetscCall(NdSystemComputeJacobian(sys, t, x, J));
  for (PetscInt j = 0; j < n; j++) { /* column j by central differences */
    const PetscScalar *a, *b;
    PetscCall(VecCopy(x, xp));
    PetscCall(VecCopy(x, xm));
    PetscCall(VecSetValue(xp, j, state[j] + h, INSERT_VALUES));
    PetscCall(VecSetValue(xm, j, state[j] - h, INSERT_VALUES));
    PetscCall(NdSystemComputeRHS(sys, t, xp, fp));
    PetscCall(NdSystemComputeRHS(sys, t, xm, fm));
    PetscCall(VecGetArrayRead(fp, &a));
    PetscCall(VecGetArrayRead(fm, &b));
    for (PetscInt i = 0; i < n; i++) {
      PetscScalar jij;
      PetscReal   fd = (a[i] - b[i]) / (2 * h);
      PetscCall(MatGetValue(J, i, j, &jij));
      err = PetscMax(err, PetscAbsReal(jij - fd) / PetscMax(1.0, PetscAbsReal(fd)));
    }
    PetscCall(VecRestoreArrayRead(fp, &a));
    PetscCall(VecRestoreArrayRead(fm, &b));
  }
  PetscCall(PetscSNPrintf(what, sizeof(what), "Jacobian vs finite differences, %s", label));
  Expect((PetscBool)(err < 1e-6), what, (double)err);

  PetscCall(NdSystemGetNumParameters(sys, &np));
  for (PetscInt p = 0; p < np; p++) {
    const char        *name;
    PetscReal          value;
    const PetscScalar *a, *b, *dd;
    PetscCall(NdSystemGetParameterName(sys, p, &name));
    PetscCall(NdSystemGetParameter(sys, name, &value));
    if (value == 0 && !strcmp(name, "tau_s")) continue; /* tau_s = 0 removes the variable s: no derivative to check */
    if (!strcmp(name, "M") || !strcmp(name, "M_r")) continue; /* integers setting the states of markov_ei */
    PetscCall(NdSystemComputeParameterDerivative(sys, t, x, p, d));
    PetscCall(NdSystemSetParameter(sys, name, value + h));
    PetscCall(NdSystemSetUp(sys));
    PetscCall(NdSystemComputeRHS(sys, t, x, fp));
    PetscCall(NdSystemSetParameter(sys, name, value - h));
    PetscCall(NdSystemSetUp(sys));
    PetscCall(NdSystemComputeRHS(sys, t, x, fm));
    PetscCall(NdSystemSetParameter(sys, name, value));
    PetscCall(NdSystemSetUp(sys));
    PetscCall(VecGetArrayRead(fp, &a));
    PetscCall(VecGetArrayRead(fm, &b));
    PetscCall(VecGetArrayRead(d, &dd));
    for (PetscInt i = 0; i < n; i++) {
      PetscReal fd = (a[i] - b[i]) / (2 * h);
      errp         = PetscMax(errp, PetscAbsReal(dd[i] - fd) / PetscMax(1.0, PetscAbsReal(fd)));
    }
    PetscCall(VecRestoreArrayRead(fp, &a));
    PetscCall(VecRestoreArrayRead(fm, &b));
    PetscCall(VecRestoreArrayRead(d, &dd));
  }
  PetscCall(
      PetscSNPrintf(what, sizeof(what), "dF/dp vs finite differences (%" PetscInt_FMT " parameters), %s", np, label));
  Expect((PetscBool)(errp < 1e-6), what, (double)errp);
  PetscCall(MatDestroy(&J));
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&xp));
  PetscCall(VecDestroy(&xm));
  PetscCall(VecDestroy(&fp));
  PetscCall(VecDestroy(&fm));
  PetscCall(VecDestroy(&d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char **argv)
{
  NdSystem    sys;
  NdStimulus  stim;
  PetscRandom rng;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscRandomCreate(PETSC_COMM_SELF, &rng));
  PetscCall(PetscRandomSetInterval(rng, -2.0, 2.0));
  PetscCall(NdSystemCreate(PETSC_COMM_SELF, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMMPR));
  PetscCall(NdStimulusCreate(PETSC_COMM_SELF, &stim));
  PetscCall(NdStimulusSetType(stim, NDSTIMULUSCONSTANT));
  PetscCall(NdStimulusConstantSetValue(stim, 0.37));
  PetscCall(NdSystemSetStimulus(sys, stim));
  for (int set = 0; set < 2; set++) {
    if (set == 1) { /* first-order synapses, tau != 1 */
      PetscCall(NdSystemSetParameter(sys, "eta", -3.1));
      PetscCall(NdSystemSetParameter(sys, "J", 8.0));
      PetscCall(NdSystemSetParameter(sys, "Delta", 0.6));
      PetscCall(NdSystemSetParameter(sys, "tau", 2.3));
      PetscCall(NdSystemSetParameter(sys, "tau_s", 0.7));
    }
    PetscCall(NdSystemSetUp(sys));
    for (int trial = 0; trial < 5; trial++) {
      PetscReal state[3];
      char      label[64];
      for (int i = 0; i < 3; i++) PetscCall(PetscRandomGetValueReal(rng, &state[i]));
      state[0] = PetscAbsReal(state[0]) + 0.05; /* a rate */
      PetscCall(PetscSNPrintf(label, sizeof(label), "%s, state %d",
                              set ? "tau_s = 0.7, tau = 2.3" : "instantaneous synapses", trial));
      PetscCall(CheckAt(sys, 1.5, state, label));
    }
  }
  PetscCall(NdSystemDestroy(&sys));
  PetscCall(NdSystemCreate(PETSC_COMM_SELF, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMIZHMF));
  PetscCall(NdSystemSetStimulus(sys, stim));
  PetscCall(NdSystemSetUp(sys));
  for (int trial = 0; trial < 5; trial++) {
    PetscReal state[4];
    char      label[64];
    for (int i = 0; i < 4; i++) PetscCall(PetscRandomGetValueReal(rng, &state[i]));
    state[0] = PetscAbsReal(state[0]) * 0.1 + 0.01; /* a rate */
    PetscCall(PetscSNPrintf(label, sizeof(label), "izh_mf, state %d", trial));
    PetscCall(CheckAt(sys, 1.5, state, label));
  }
  PetscCall(NdSystemDestroy(&sys));
  PetscCall(NdSystemCreate(PETSC_COMM_SELF, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMIZHMFSLOW));
  PetscCall(NdSystemSetStimulus(sys, stim));
  PetscCall(NdSystemSetParameter(sys, "v_peak", 1.46));
  PetscCall(NdSystemSetParameter(sys, "v_reset", 0.15));
  PetscCall(NdSystemSetUp(sys));
  for (int trial = 0; trial < 6; trial++) {
    PetscReal state[2];
    char      label[64];
    for (int i = 0; i < 2; i++) PetscCall(PetscRandomGetValueReal(rng, &state[i]));
    state[0] = PetscAbsReal(state[0]) * 0.2; /* s >= 0; w in [-2, 2]: H > 0 (firing) or H < 0 (silent) */
    PetscCall(PetscSNPrintf(label, sizeof(label), "izh_mf_slow, state %d", trial));
    PetscCall(CheckAt(sys, 1.5, state, label));
  }
  PetscCall(NdSystemDestroy(&sys));
  PetscCall(NdSystemCreate(PETSC_COMM_SELF, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMMARKOVEI));
  PetscCall(NdSystemSetStimulus(sys, stim));
  PetscCall(NdSystemSetParameter(sys, "M", 12));
  PetscCall(NdSystemSetParameter(sys, "M_r", 7));
  PetscCall(NdSystemSetParameter(sys, "S_EE", 2.3));
  PetscCall(NdSystemSetParameter(sys, "S_IE", 1.6));
  PetscCall(NdSystemSetParameter(sys, "S_EI", -3.7));
  PetscCall(NdSystemSetParameter(sys, "S_II", -2.9));
  PetscCall(NdSystemSetUp(sys));
  for (int trial = 0; trial < 3; trial++) {
    PetscInt  n;
    PetscReal state[64];
    char      label[64];
    PetscCall(NdSystemGetNumVariables(sys, &n));
    for (int i = 0; i < n; i++) {
      PetscCall(PetscRandomGetValueReal(rng, &state[i]));
      state[i] = PetscAbsReal(state[i]);
    }
    PetscCall(PetscSNPrintf(label, sizeof(label), "markov_ei (M = 12, M_r = 7), state %d", trial));
    PetscCall(CheckAt(sys, 1.5, state, label));
  }
  PetscCall(NdSystemDestroy(&sys));
  PetscCall(NdSystemCreate(PETSC_COMM_SELF, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMMPRSHOTNOISE));
  PetscCall(NdSystemSetStimulus(sys, stim));
  PetscCall(NdSystemSetParameter(sys, "eta", -1.3));
  PetscCall(NdSystemSetParameter(sys, "J", 7.0));
  PetscCall(NdSystemSetParameter(sys, "Delta", 0.8));
  PetscCall(NdSystemSetParameter(sys, "tau", 1.7));
  PetscCall(NdSystemSetParameter(sys, "N", 500));
  PetscCall(NdSystemSetUp(sys));
  for (int trial = 0; trial < 4; trial++) {
    PetscInt  n;
    PetscReal state[512];
    char      label[64];
    PetscCall(NdSystemGetNumVariables(sys, &n));
    PetscCheck(n <= 512, PETSC_COMM_SELF, PETSC_ERR_PLIB, "mpr_shotnoise has %" PetscInt_FMT " variables", n);
    for (int i = 0; i < n; i++) PetscCall(PetscRandomGetValueReal(rng, &state[i]));
    for (int i = 2; i < n; i++)
      state[i] *= 0.01; /* filter states are O(1/sqrt(N)): keeps F, hence FD round-off, small */
    state[0] = trial < 2 ? PetscAbsReal(state[0]) + 0.05 : 0.02; /* e = eta + J tau r + I > 0, then < 0 */
    PetscCall(PetscSNPrintf(label, sizeof(label), "mpr_shotnoise, state %d", trial));
    PetscCall(CheckAt(sys, 1.5, state, label));
  }
  PetscCall(NdSystemDestroy(&sys));
  /* the rate network (N = 6, Gaussian J, sigmoid phi; g != 1, I != 0) */
  PetscCall(PetscOptionsSetValue(NULL, "-rate_N", "6"));
  PetscCall(PetscOptionsSetValue(NULL, "-rate_phi", "sigmoid"));
  PetscCall(NdSystemCreate(PETSC_COMM_SELF, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMRATE));
  PetscCall(NdSystemSetFromOptions(sys));
  PetscCall(NdSystemSetStimulus(sys, stim));
  PetscCall(NdSystemSetParameter(sys, "g", 1.7));
  PetscCall(NdSystemSetParameter(sys, "I", -0.4));
  PetscCall(NdSystemSetUp(sys));
  for (int trial = 0; trial < 3; trial++) {
    PetscReal state[6];
    char      label[64];
    for (int i = 0; i < 6; i++) PetscCall(PetscRandomGetValueReal(rng, &state[i]));
    PetscCall(PetscSNPrintf(label, sizeof(label), "rate, state %d", trial));
    PetscCall(CheckAt(sys, 1.5, state, label));
  }
  PetscCall(NdStimulusDestroy(&stim));
  PetscCall(NdSystemDestroy(&sys));
  PetscCall(PetscRandomDestroy(&rng));
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
