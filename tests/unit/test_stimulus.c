/* Unit test: every stimulus type against its formula at chosen times (absolute 1e-14), its
   breakpoints, table loading from a text file, and rejection of bad tables and ramps. */
#include <neurodyn/neurodyn.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what)
{
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

static PetscErrorCode ExpectValues(NdStimulus stim, PetscInt n, const PetscReal t[], const PetscReal expected[],
                                   const char *what)
{
  PetscReal err = 0, value;

  PetscFunctionBegin;
  PetscCall(NdStimulusSetUp(stim));
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(NdStimulusEvaluate(stim, t[i], &value));
    err = PetscMax(err, PetscAbsReal(value - expected[i]));
  }
  Expect((PetscBool)(err < 1e-14), what);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode ExpectBreakpoints(NdStimulus stim, PetscInt n, const PetscReal expected[], const char *what)
{
  PetscReal t  = -1e300, tb;
  PetscBool ok = PETSC_TRUE;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(NdStimulusGetNextBreakpoint(stim, t, &tb));
    ok = (PetscBool)(ok && tb == expected[i]);
    t  = tb;
  }
  PetscCall(NdStimulusGetNextBreakpoint(stim, t, &tb));
  Expect((PetscBool)(ok && tb == PETSC_MAX_REAL), what);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode NewStimulus(NdStimulusType type, NdStimulus *stim)
{
  PetscFunctionBegin;
  PetscCall(NdStimulusCreate(PETSC_COMM_SELF, stim));
  PetscCall(NdStimulusSetType(*stim, type));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char **argv)
{
  NdStimulus     s;
  PetscErrorCode code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  {
    const PetscReal t[] = {-3, 0, 7.5}, v[] = {0.25, 0.25, 0.25};
    PetscCall(NewStimulus(NDSTIMULUSCONSTANT, &s));
    PetscCall(NdStimulusConstantSetValue(s, 0.25));
    PetscCall(ExpectValues(s, 3, t, v, "constant: I = value everywhere"));
    PetscCall(ExpectBreakpoints(s, 0, NULL, "constant: no breakpoints"));
    PetscCall(NdStimulusDestroy(&s));
  }
  {
    const PetscReal t[] = {0, 0.999, 1, 2.5, 2.999, 3, 10}, v[] = {-1, -1, 1, 1, 1, -1, -1}, b[] = {1, 3};
    PetscCall(NewStimulus(NDSTIMULUSSTEP, &s));
    PetscCall(NdStimulusStepSetParameters(s, -1, 2, 1, 3));
    PetscCall(ExpectValues(s, 7, t, v, "step: base + amplitude on [t_on, t_off)"));
    PetscCall(ExpectBreakpoints(s, 2, b, "step: breakpoints at t_on and t_off"));
    PetscCall(NdStimulusDestroy(&s));
  }
  {
    /* low 1, high 3, start 2, rise 4, hold 1, fall 2: kinks at 2, 6, 7, 9 */
    const PetscReal t[] = {0, 2, 3, 6, 6.5, 7, 8, 9, 20}, v[] = {1, 1, 1.5, 3, 3, 3, 2, 1, 1}, b[] = {2, 6, 7, 9};
    PetscCall(NewStimulus(NDSTIMULUSRAMP, &s));
    PetscCall(NdStimulusRampSetParameters(s, 1, 3, 2, 4, 1, 2));
    PetscCall(ExpectValues(s, 9, t, v, "ramp: up over t_rise, hold, down over t_fall"));
    PetscCall(ExpectBreakpoints(s, 4, b, "ramp: breakpoints at its four kinks"));
    PetscCall(NdStimulusRampSetParameters(s, 1, 3, 2, 0, 1, 2));
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    code = NdStimulusSetUp(s);
    PetscCall(PetscPopErrorHandler());
    Expect((PetscBool)(code == PETSC_ERR_USER_INPUT), "ramp: t_rise = 0 is rejected");
    PetscCall(NdStimulusDestroy(&s));
  }
  {
    const PetscReal t[] = {0, 0.125, 0.3},
                    v[] = {0.5 + 2 * PetscSinReal(0.1), 0.5 + 2 * PetscSinReal(2 * PETSC_PI * 0.125 * 4 + 0.1),
                           0.5 + 2 * PetscSinReal(2 * PETSC_PI * 0.3 * 4 + 0.1)};
    PetscCall(NewStimulus(NDSTIMULUSSINE, &s));
    PetscCall(NdStimulusSineSetParameters(s, 0.5, 2, 4, 0.1));
    PetscCall(ExpectValues(s, 3, t, v, "sine: offset + amplitude sin(2 pi f t + phase)"));
    PetscCall(NdStimulusDestroy(&s));
  }
  {
    const PetscReal t[] = {-1, 0, 0.5, 1, 2.5, 4, 9}, v[] = {1, 1, 2, 3, 1.5, 0, 0}, b[] = {0, 1, 4};
    const char     *path = "test_stimulus_table.txt";
    FILE           *fp   = fopen(path, "w");
    fprintf(fp, "# t I\n0 1\n\n1, 3\n4 0   # comment after the numbers\n");
    fclose(fp);
    PetscCall(NewStimulus(NDSTIMULUSTABLE, &s));
    PetscCall(NdStimulusTableLoad(s, path));
    PetscCall(ExpectValues(s, 7, t, v, "table (text file): linear interpolation, held outside"));
    PetscCall(ExpectBreakpoints(s, 3, b, "table: breakpoints at the table times"));
    fp = fopen(path, "w");
    fprintf(fp, "0 1\n2 1\n1 5\n");
    fclose(fp);
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    code = NdStimulusTableLoad(s, path);
    PetscCall(PetscPopErrorHandler());
    Expect((PetscBool)(code == PETSC_ERR_USER_INPUT), "table: decreasing times are rejected");
    fp = fopen(path, "w");
    fprintf(fp, "0 1\n2 x\n");
    fclose(fp);
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    code = NdStimulusTableLoad(s, path);
    PetscCall(PetscPopErrorHandler());
    Expect((PetscBool)(code == PETSC_ERR_FILE_READ), "table: a malformed row is rejected");
    remove(path);
    PetscCall(NdStimulusDestroy(&s));
  }
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
