/* The program of docs/library.md, run as a test: libneurodyn without the command line integrates
   the hysteresis example (mpr, eta = -5, J = 15, Delta = 1, a slow ramp of I from -1.5 to 2.5 and
   back) into an HDF5 file. At I = 0.5 on the way up the rate sits on the low fixed point and on the
   way down on the high one: r = 0.088239 and 1.111468, the roots of the fixed-point quartic
   -pi^2 r^4 + J r^3 + (eta + I) r^2 + Delta^2/(4 pi^2) = 0 (numpy), within 1 % (the ramp lags). */
#include <neurodyn/neurodyn.h>
#include <hdf5.h>

static int failures = 0;

static void Expect(PetscBool ok, const char *what)
{
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

/* --- the program of docs/library.md --- */
static PetscErrorCode RunHysteresis(const char filename[])
{
  NdSystem            sys;
  NdStimulus          stim;
  TS                  ts;
  Vec                 x;
  NdOutput            out;
  NdIntegrateSettings settings = {.sample_dt = 0.05};
  int                 signum;

  PetscFunctionBegin;
  PetscCall(NdSystemCreate(PETSC_COMM_WORLD, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMMPR));
  PetscCall(NdSystemSetParameter(sys, "eta", -5.0));
  PetscCall(NdStimulusCreate(PETSC_COMM_WORLD, &stim));
  PetscCall(NdStimulusSetType(stim, NDSTIMULUSRAMP));
  PetscCall(NdStimulusRampSetParameters(stim, -1.5, 2.5, 20, 200, 20, 200)); /* low, high, start, rise, hold, fall */
  PetscCall(NdSystemSetStimulus(sys, stim));
  PetscCall(NdStimulusDestroy(&stim));
  PetscCall(NdSystemSetUp(sys));

  PetscCall(NdSystemCreateTS(sys, &ts)); /* RHS and analytic Jacobian attached */
  PetscCall(TSSetMaxTime(ts, 460));
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(NdSystemGetInitialState(sys, x)); /* r = 0.1, v = -2: only the low state exists at I = -1.5 */

  PetscCall(NdOutputCreate(PETSC_COMM_WORLD, &out));
  PetscCall(NdOutputSetFileName(out, filename));
  PetscCall(NdOutputSetOverwrite(out, PETSC_TRUE)); /* else an existing file is an error */
  PetscCall(NdOutputOpen(out));
  PetscCall(NdSystemWriteDescription(sys, out));
  PetscCall(NdSystemIntegrate(sys, ts, x, &settings, out, &signum)); /* signum: a SIGTERM that stopped it */
  if (!signum) PetscCall(NdOutputMarkComplete(out));

  PetscCall(NdOutputDestroy(&out));
  PetscCall(VecDestroy(&x));
  PetscCall(TSDestroy(&ts));
  PetscCall(NdSystemDestroy(&sys));
  PetscFunctionReturn(PETSC_SUCCESS);
}
/* --- end of the program --- */

/* /timeseries/r of the file, read with plain HDF5 */
static int ReadRates(const char filename[], double r[], size_t room, size_t *n)
{
  hid_t   f       = H5Fopen(filename, H5F_ACC_RDONLY, H5P_DEFAULT), d, space;
  hsize_t dims[2] = {0, 0};
  int     ok;

  if (f < 0) return 0;
  d     = H5Dopen2(f, "/timeseries/r", H5P_DEFAULT);
  space = H5Dget_space(d);
  H5Sget_simple_extent_dims(space, dims, NULL);
  *n = (size_t)dims[0];
  ok = *n <= room && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r) >= 0;
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return ok;
}

int main(int argc, char **argv)
{
  static double r[10000];
  size_t        n = 0;
  PetscMPIInt   rank;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(RunHysteresis("library_hysteresis.h5"));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    Expect((PetscBool)ReadRates("library_hysteresis.h5", r, 10000, &n), "the file holds /timeseries/r");
    Expect((PetscBool)(n == 9201), "9201 samples: t = 0, 0.05, ..., 460");
    if (n == 9201) {
      Expect((PetscBool)(PetscAbsReal(r[2400] / 0.088239 - 1) < 0.01), "t = 120 (I = 0.5, rising): the low state");
      Expect((PetscBool)(PetscAbsReal(r[6800] / 1.111468 - 1) < 0.01), "t = 340 (I = 0.5, falling): the high state");
    }
    if (!failures) remove("library_hysteresis.h5");
  }
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
