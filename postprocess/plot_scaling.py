#!/usr/bin/python3
"""Speed-up, parallel efficiency and time per phase of a scaling study written by
jobs/scaling.sbatch: reads OUTDIR/ranks_<p>[_<i>].log (PETSc -log_view) and OUTDIR/scaling.conf,
prints a table, writes OUTDIR/scaling.csv and a PNG.

Strong scaling (same problem): speed-up S(p) = T(1)/T(p), efficiency E(p) = S(p)/p.
Weak scaling (problem proportional to p): efficiency E(p) = T(1)/T(p), scaled speed-up p E(p).
T is the run's wall time (-log_view's 'Time (sec)', max over ranks); with repeats, the fastest.
The phases are neurodyn's log events (NdBuild, NdIntegrate, NdRecord, NdWrite, NdCheckpoint,
and the spiking network's) and the most expensive PETSc events, max time over ranks.

usage: plot_scaling.py OUTDIR [-o PNG]   (default OUTDIR/scaling.png)
"""
import argparse
import glob
import os
import re
import sys

EVENT = re.compile(r"^(\w+)\s+(\d+)\s+[\d.]+\s+([\d.eE+-]+)\s+[\d.]+\s")
LOGNAME = re.compile(r"ranks_(\d+)(?:_\d+)?\.log$")


def parse_log(path):
    """(total wall time, {event: max time}) of one -log_view file, each event summed over the log
    stages (neurodyn's NdSetup and NdRun stages, and the main stage)"""
    total, events, in_stage = None, {}, False
    with open(path) as f:
        for line in f:
            if line.startswith("Time (sec):"):
                total = float(line.split()[2])
            elif line.startswith("--- Event Stage"):
                in_stage = True
            elif in_stage:
                m = EVENT.match(line)
                if m:
                    events[m.group(1)] = events.get(m.group(1), 0.0) + float(m.group(3))
    if total is None:
        raise ValueError(f"{path}: not a PETSc -log_view output (no 'Time (sec):' line)")
    return total, events


def read_study(outdir):
    conf = {"mode": "strong", "sizes": {}}
    path = os.path.join(outdir, "scaling.conf")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                words = line.split()
                if words and words[0] == "mode":
                    conf["mode"] = words[1]
                elif words and words[0] == "size":
                    conf["sizes"][int(words[1])] = int(words[2])
    runs = {}
    for log in glob.glob(os.path.join(outdir, "ranks_*.log")):
        m = LOGNAME.search(log)
        if not m:
            continue
        p = int(m.group(1))
        total, events = parse_log(log)
        if p not in runs or total < runs[p][0]:
            runs[p] = (total, events)
    if not runs:
        raise SystemExit(f"plot_scaling: no ranks_<p>.log in {outdir} (run jobs/scaling.sbatch first)")
    return conf, dict(sorted(runs.items()))


def metrics(conf, runs):
    """rows of (p, T, speed-up, efficiency); the smallest rank count is the reference"""
    p0 = min(runs)
    t0 = runs[p0][0]
    rows = []
    for p, (t, _) in runs.items():
        if conf["mode"] == "weak":
            eff = t0 / t
            speedup = eff * p / p0
        else:
            speedup = t0 / t * p0
            eff = speedup / p
        rows.append((p, t, speedup, eff))
    return rows


def phases(runs, extra=4):
    """neurodyn's events plus the most expensive other events at the smallest rank count"""
    first = runs[min(runs)][1]
    nd = [e for e in first if e.startswith("Nd")]
    others = sorted((e for e in first if not e.startswith("Nd")), key=lambda e: -first[e])[:extra]
    return nd + others


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    conf, runs = read_study(args.outdir)
    rows = metrics(conf, runs)
    names = phases(runs)
    with open(os.path.join(args.outdir, "scaling.csv"), "w") as f:
        f.write("ranks,size,time_s,speedup,efficiency," + ",".join(f"{n}_s" for n in names) + "\n")
        for p, t, s, e in rows:
            ev = runs[p][1]
            f.write(f"{p},{conf['sizes'].get(p, '')},{t:.6g},{s:.6g},{e:.6g}," + ",".join(f"{ev.get(n, 0):.6g}" for n in names) + "\n")
    print(f"{conf['mode']} scaling, {args.outdir}")
    print(f"{'ranks':>5} {'size':>9} {'time/s':>9} {'speed-up':>9} {'efficiency':>10}")
    for p, t, s, e in rows:
        print(f"{p:5d} {conf['sizes'].get(p, ''):>9} {t:9.3f} {s:9.2f} {e:10.2f}")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ps = [r[0] for r in rows]
    fig, ax = plt.subplots(1, 3, figsize=(13, 4))
    ax[0].plot(ps, [r[2] for r in rows], "o-", label="measured")
    ax[0].plot(ps, ps, "k--", lw=0.8, label="ideal")
    ax[0].set(xlabel="ranks", ylabel="scaled speed-up" if conf["mode"] == "weak" else "speed-up", title="speed-up")
    ax[0].legend()
    ax[1].plot(ps, [r[3] for r in rows], "o-")
    ax[1].axhline(1, color="k", ls="--", lw=0.8)
    ax[1].set(xlabel="ranks", ylabel="efficiency", ylim=(0, 1.2), title="parallel efficiency")
    for n in names:
        ax[2].plot(ps, [runs[p][1].get(n, float("nan")) for p in ps], "o-", label=n)
    ax[2].set(xlabel="ranks", ylabel="time (s, max over ranks)", title="time per phase (-log_view)")
    ax[2].set_yscale("log")
    ax[2].legend(fontsize=7)
    for a in ax:
        a.set_xscale("log", base=2)
        a.set_xticks(ps)
        a.set_xticklabels([str(p) for p in ps])
    size = f", sizes {', '.join(str(conf['sizes'][p]) for p in ps if p in conf['sizes'])}" if conf["sizes"] else ""
    fig.suptitle(f"{conf['mode']} scaling of neurodyn simulate{size}")
    fig.tight_layout()
    png = args.output or os.path.join(args.outdir, "scaling.png")
    fig.savefig(png, dpi=110)
    print(f"plot_scaling: wrote {png} and {os.path.join(args.outdir, 'scaling.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
