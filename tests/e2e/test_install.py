"""make install PREFIX=<temporary directory>, then use the installation from outside the source tree:
a C program compiled and linked with `pkg-config --cflags --libs neurodyn` evaluates the mpr
right-hand side at 2 ranks (against the equations of docs/models/mpr.md, relative 1e-14); the
installed bin/neurodyn runs an installed example input; the Python package `neurodyn`, imported
from the prefix with PYTHONPATH, reads that output (equal to h5py's reading of the file) and
`python3 -m neurodyn.plot timeseries` plots it."""
import glob
import json
import os
import subprocess

import h5py
import numpy as np

from ndtest import ENV, ROOT, workdir

PROGRAM = r"""
#include <neurodyn/neurodyn.h>

int main(int argc, char **argv)
{
  NdSystem           sys;
  Vec                x, f;
  PetscReal          fr = 0, fv = 0;
  const PetscReal    r = 0.4, v = -0.3, eta = -4, J = 12;
  PetscInt           lo, hi;
  const PetscScalar *a;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(NdSystemCreate(PETSC_COMM_WORLD, &sys));
  PetscCall(NdSystemSetType(sys, NDSYSTEMMPR));
  PetscCall(NdSystemSetParameter(sys, "eta", eta));
  PetscCall(NdSystemSetParameter(sys, "J", J));
  PetscCall(NdSystemSetUp(sys));
  PetscCall(NdSystemCreateVector(sys, &x));
  PetscCall(VecDuplicate(x, &f));
  PetscCall(VecGetOwnershipRange(x, &lo, &hi));
  if (lo <= 0 && 0 < hi) PetscCall(VecSetValue(x, 0, r, INSERT_VALUES));
  if (lo <= 1 && 1 < hi) PetscCall(VecSetValue(x, 1, v, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(x));
  PetscCall(VecAssemblyEnd(x));
  PetscCall(NdSystemComputeRHS(sys, 0, x, f));
  PetscCall(VecGetArrayRead(f, &a));
  for (PetscInt i = lo; i < hi; i++) *(i ? &fv : &fr) = PetscRealPart(a[i - lo]);
  PetscCall(VecRestoreArrayRead(f, &a));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &fr, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &fv, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%.17g %.17g\n", (double)fr, (double)fv));
  PetscCall(VecDestroy(&f));
  PetscCall(VecDestroy(&x));
  PetscCall(NdSystemDestroy(&sys));
  PetscCall(PetscFinalize());
  return 0;
}
"""


def test_make_install_pkg_config_and_python_package():
    prefix, outside = workdir(), workdir()
    p = subprocess.run(["make", "--no-print-directory", "install", f"PREFIX={prefix}"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    for path in ("bin/neurodyn", "lib/libneurodyn.a", "include/neurodyn/neurodyn.h", "include/neurodyn/private/systemimpl.h",
                 "lib/pkgconfig/neurodyn.pc", "share/doc/neurodyn/docs/models/mpr.md",
                 "share/neurodyn/inputs/mpr_hysteresis.yaml"):
        assert os.path.exists(os.path.join(prefix, path)), f"make install did not install {path}"

    # C: compiled outside the tree, with nothing but pkg-config's answer
    env = dict(ENV, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    with open(os.path.join(outside, "rhs.c"), "w") as f:
        f.write(PROGRAM)
    pc = lambda *args: subprocess.run(["pkg-config", *args, "neurodyn"], env=env, capture_output=True, text=True,  # noqa: E731
                                      check=True).stdout.split()
    cc = pc("--variable=ccompiler")
    p = subprocess.run(cc + ["rhs.c", "-o", "rhs"] + pc("--cflags", "--libs"), cwd=outside, env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    p = subprocess.run(["mpiexec", "-n", "2", "--oversubscribe", "./rhs"], cwd=outside, env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    fr, fv = map(float, p.stdout.split())
    r, v, eta, J = 0.4, -0.3, -4.0, 12.0
    assert abs(fr - (1 / np.pi + 2 * r * v)) <= 1e-14 * abs(fr)
    assert abs(fv - (v * v + eta + J * r - (np.pi * r) ** 2)) <= 1e-14 * abs(fv)

    # the installed executable on an installed example
    out = os.path.join(outside, "run.h5")
    p = subprocess.run([os.path.join(prefix, "bin", "neurodyn"), "simulate",
                        os.path.join(prefix, "share", "neurodyn", "inputs", "mpr_hysteresis.yaml"), "-ts_max_time", "20",
                        "-output", out, "-quiet"], cwd=outside, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]

    # Python: the package from the prefix, not from the source tree
    site = glob.glob(os.path.join(prefix, "lib", "python3*", "site-packages"))
    assert len(site) == 1, site
    penv = dict(env, PYTHONPATH=site[0])
    script = ("import json, sys, neurodyn\n"
              "data, units = neurodyn.timeseries(sys.argv[1])\n"
              "print(neurodyn.__file__)\n"
              "print(json.dumps(data['r'].tolist()))\n")
    p = subprocess.run(["/usr/bin/python3", "-c", script, out], cwd=outside, env=penv, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    where, values = p.stdout.splitlines()
    assert where.startswith(site[0]), f"neurodyn imported from {where}, not from the prefix"
    with h5py.File(out, "r") as f:
        assert json.loads(values) == f["timeseries/r"][()].tolist()
    png = os.path.join(outside, "run.png")
    p = subprocess.run(["/usr/bin/python3", "-m", "neurodyn.plot", "timeseries", out, "-o", png], cwd=outside, env=penv,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and os.path.getsize(png) > 1000, p.stderr[-2000:]
    p = subprocess.run(["/usr/bin/python3", "-m", "neurodyn.plot"], cwd=outside, env=penv, capture_output=True, text=True)
    assert p.returncode == 0 and "timeseries" in p.stdout and "branch" in p.stdout, p.stdout + p.stderr
