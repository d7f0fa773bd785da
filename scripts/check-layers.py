#!/usr/bin/env python3
"""make check: the components of neurodyn use only the components below them (docs/library.md).

Usage: scripts/check-layers.py [ROOT]. Every #include <neurodyn/...> in src/<component>/ and in a component's headers must name a header
of the component itself or of one it may use; HDF5 is called in src/output only. Prints each
violation as file:line and exits 1 if there is any."""
import os, re, sys

# the tree to check: the repository, or the directory given as the first argument (the test's)
ROOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# each component and the components it may use (directly; the relation is not transitive)
USES = {
    "core": [],
    "output": ["core"],
    "stimulus": ["core", "output"],
    "ts": ["core"],
    "system": ["core", "output", "stimulus", "ts"],
    "spectrum": ["core", "output", "stimulus", "ts", "system"],
    "network": ["core", "output", "stimulus", "ts"],
    "binary": ["core", "output", "spectrum", "system", "stimulus", "ts"],
    "continuation": ["core", "output", "stimulus", "ts", "system", "spectrum"],
    "app": ["core", "output", "stimulus", "ts", "system", "spectrum", "network", "binary", "continuation"],
    "main": ["app", "core", "output", "stimulus", "ts", "system", "spectrum", "network", "binary", "continuation"],
}
# the component each header belongs to
HEADERS = {
    "core.h": "core", "compat.h": "core", "rng.h": "core", "private/parameterimpl.h": "core",
    "output.h": "output", "checkpoint.h": "output", "private/outputimpl.h": "output",
    "private/hdf5util.h": "output", "private/matrixfileimpl.h": "output",
    "stimulus.h": "stimulus", "private/stimulusimpl.h": "stimulus",
    "sde.h": "ts",
    "system.h": "system", "private/systemimpl.h": "system", "private/rateimpl.h": "system",
    "private/nodenetworkimpl.h": "system",
    "spectrum.h": "spectrum", "private/linearizationimpl.h": "spectrum",
    "network.h": "network", "private/networkimpl.h": "network",
    "binary.h": "binary", "private/binaryimpl.h": "binary",
    "continuation.h": "continuation", "private/continuationimpl.h": "continuation",
    "private/collocationimpl.h": "continuation", "private/borderedimpl.h": "continuation",
    "app.h": "app", "neurodyn.h": "app",
}
INCLUDE = re.compile(r'^\s*#\s*include\s*<neurodyn/([A-Za-z0-9_/]+\.h)>')
HDF5 = re.compile(r'\bH5[A-Z][A-Za-z0-9_]*\s*\(|#\s*include\s*<hdf5\.h>')


def files():
    """(path, component) of every source and header"""
    for comp in USES:
        d = os.path.join(ROOT, "src", comp)
        for base, _, names in os.walk(d):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    yield os.path.join(base, n), comp
    inc = os.path.join(ROOT, "include", "neurodyn")
    for base, _, names in os.walk(inc):
        for n in sorted(names):
            if n.endswith(".h"):
                rel = os.path.relpath(os.path.join(base, n), inc)
                yield os.path.join(base, n), HEADERS.get(rel)


def main():
    bad = []
    for path, comp in files():
        rel = os.path.relpath(path, ROOT)
        if comp is None:
            bad.append(f"{rel}: header of no component (add it to HEADERS in scripts/check-layers.py)")
            continue
        for no, line in enumerate(open(path), 1):
            m = INCLUDE.match(line)
            if m:
                owner = HEADERS.get(m.group(1))
                if owner is None:
                    bad.append(f"{rel}:{no}: <neurodyn/{m.group(1)}> belongs to no component")
                elif owner != comp and owner not in USES[comp]:
                    bad.append(f"{rel}:{no}: {comp} includes <neurodyn/{m.group(1)}> of {owner}, which {comp} may not "
                               f"use (docs/library.md)")
            if comp != "output" and HDF5.search(line.split("//")[0]):
                bad.append(f"{rel}:{no}: HDF5 called outside src/output: {line.strip()}")
    for b in bad:
        print(b)
    print(f"check-layers: {len(bad)} violation(s)" if bad else "check-layers: every component uses only those below it")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
