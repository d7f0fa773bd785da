"""The components' layering (docs/library.md), which make check enforces with
scripts/check-layers.py, checked by make test too: no component includes a header of a component it
may not use (system of continuation, network or spectrum; output of any model; core of any
component) and HDF5 is called in src/output only. The script is also shown to catch both kinds of
violation, in a copy of the tree with one bad file added."""
import os
import shutil
import subprocess
import sys
import tempfile

import ndtest

ROOT = ndtest.ROOT
SCRIPT = os.path.join(ROOT, "scripts", "check-layers.py")


def check(root=None):
    return subprocess.run([sys.executable, SCRIPT] + ([root] if root else []), capture_output=True, text=True)


def test_every_component_uses_only_those_below_it():
    p = check()
    assert p.returncode == 0, p.stdout + p.stderr


def test_violations_are_named():
    with tempfile.TemporaryDirectory() as d:
        shutil.copytree(os.path.join(ROOT, "src"), os.path.join(d, "src"))
        shutil.copytree(os.path.join(ROOT, "include"), os.path.join(d, "include"))
        with open(os.path.join(d, "src", "system", "bad.c"), "w") as f:
            f.write("#include <neurodyn/spectrum.h>\nstatic void f(void) { H5Fclose(0); }\n")
        with open(os.path.join(d, "src", "core", "bad.c"), "w") as f:
            f.write("#include <neurodyn/system.h>\n")
        p = check(d)
        assert p.returncode == 1, p.stdout
        assert "src/system/bad.c:1: system includes <neurodyn/spectrum.h> of spectrum" in p.stdout, p.stdout
        assert "src/system/bad.c:2: HDF5 called outside src/output" in p.stdout, p.stdout
        assert "src/core/bad.c:1: core includes <neurodyn/system.h> of system" in p.stdout, p.stdout
        assert "3 violation(s)" in p.stdout, p.stdout
