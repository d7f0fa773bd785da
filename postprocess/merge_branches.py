#!/usr/bin/python3
"""Merge the HDF5 outputs of several `neurodyn continue` runs (e.g. a SLURM job array, one run
per value of a second parameter) into one file:

    /run/<i>/branch/...      the branches of input i (as written by neurodyn)
    /run/<i>/system/...      its system and parameter values
    /run/<i>/provenance      its provenance
    /run/<i> attributes      source (the input file) and each parameter's value
    /provenance              the merge: date, command line, inputs
    complete = 1             only if every input was complete

usage: merge_branches.py RUN.h5 [RUN.h5 ...] -o MERGED.h5
"""
import argparse
import datetime
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndio  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    inputs = sorted(args.inputs)
    with h5py.File(args.output, "w") as out:
        out.attrs["complete"] = 0
        for i, path in enumerate(inputs):
            try:
                src = ndio.open_output(path)
            except (OSError, ndio.IncompleteOutput) as e:
                sys.exit(f"merge_branches: {e}")
            with src:
                if "branch" not in src:
                    sys.exit(f"merge_branches: {path} has no /branch (not a continue output)")
                run = out.create_group(f"run/{i}")
                for name in ("branch", "system", "provenance"):
                    src.copy(src[name], run, name=name)
                run.attrs["source"] = os.path.abspath(path)
                for k in src["system/parameters"]:
                    run.attrs[k] = float(src["system/parameters"][k][()])
        prov = out.create_group("provenance")
        prov.attrs["software"] = "neurodyn postprocess/merge_branches.py"
        prov.attrs["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        prov.attrs["command_line"] = " ".join(sys.argv)
        prov.attrs["inputs"] = ",".join(os.path.abspath(p) for p in inputs)
        out.attrs["complete"] = 1
    print(f"merged {len(inputs)} runs into {args.output}")


if __name__ == "__main__":
    main()
