#!/usr/bin/python3
"""CUBA benchmark (issue 4): the Vogels-Abbott network (inputs/cuba.yaml) at 4,000 and 40,000
neurons (in-degree 80: p = 80/N), 1 s at dt = 0.1 ms, in neurodyn and in Brian2's C++
standalone mode (bench/cuba_brian2.py, one thread) in the same invocation. Prints, per size:
the time of the simulation loop of both and their ratio (neurodyn/Brian2, 1 rank), the network
construction time of both, memory per synapse (neurodyn's delivery tables; and for both the
growth of the peak resident memory per added synapse between the two sizes), neurodyn's 2-rank
strong-scaling efficiency, and the firing rates (which must agree within 10%).

Times: neurodyn's from -log_view (NdIntegrate: the run; NdBuild: construction), Brian2's from
its profiling (the run's code objects) and the compiled binary's wall time (the rest is
construction and set-up). Each measurement is the fastest of REPEAT runs (default 3): these are
shared machines. With --check the exit status is also 1 when a figure misses the goals of issue 21
(GOALS: loop ratio <= 0.5 at 4,000 neurons and <= 0.6 at 40,000, construction ratio <= 0.5 at
40,000, 2-rank efficiency >= 90%); meant for an idle machine, where the figures mean something.
The load average is printed beside the figures. usage: bench/cuba.py [--sizes 4000 40000]
[--repeat 3] [--check]"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEURODYN = os.path.join(ROOT, "bin", "neurodyn")  # --binary: another build's, to compare builds
EXTRA = []
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
OUT = os.path.join(ROOT, "out", "bench", "cuba")


def event(log, name):
    return float(re.search(rf"^{name}\s+\d+\s+[\d.]+\s+([\d.eE+-]+)", log, re.M).group(1))


def neurodyn(n, ranks):
    ne, ni = n * 4 // 5, n // 5
    p = 80.0 / n
    args = [os.path.join(ROOT, "inputs", "cuba.yaml"), "-net_E_size", ne, "-net_I_size", ni]
    for pre in ("E_E", "E_I", "I_E", "I_I"):
        args += [f"-net_{pre}_p", p]
    out = os.path.join(OUT, f"neurodyn_{n}_{ranks}.h5")
    # one rank unbound, as Brian2 runs; several bound to cores, as MPI jobs run on clusters
    bind = ["--bind-to", "none"] if ranks == 1 else ["--bind-to", "core"]
    cmd = ["mpiexec", "-n", str(ranks), "--oversubscribe"] + bind + ["/usr/bin/time", "-f", "maxrss %M", NEURODYN, "simulate"] + \
        [str(a) for a in args] + EXTRA + ["-output", out, "-overwrite", "-log_view"]  # a benchmark run again replaces its files
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=1800)
    assert r.returncode == 0, r.stderr[-2000:]
    spikes = [int(m) for m in re.findall(r"^\s+[EI]\s+lif\s+\d+ neurons\s+(\d+) spikes", r.stdout, re.M)]
    m = re.search(r"(\d+) synapses \((\d+) in the delivery tables, ([\d.]+) bytes each", r.stdout)
    syn, nbytes = int(m.group(2)), float(m.group(3))
    rss = max([int(m) for m in re.findall(r"maxrss (\d+)", r.stderr)] or [0])  # 0: mpiexec lost the line
    return dict(run_s=event(r.stdout, "NdIntegrate"), build_s=event(r.stdout, "NdBuild"), synapses=syn,
                bytes_per_synapse=nbytes, rate=sum(spikes) / n, rss_kb=rss)


def brian(n):
    d = os.path.join(OUT, f"brian_{n}")
    r = subprocess.run(["/usr/bin/time", "-f", "maxrss %M", "/usr/bin/python3", os.path.join(ROOT, "bench", "cuba_brian2.py"),
                        str(n), d], capture_output=True, text=True, timeout=3600)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads([l for l in r.stdout.splitlines() if l.startswith("{")][-1])
    # the compiled binary alone, for its time and memory (the first run includes compilation)
    r = subprocess.run(["/usr/bin/time", "-f", "maxrss %M wall %e", "./main"], cwd=d, capture_output=True, text=True,
                       timeout=3600)
    assert r.returncode == 0, r.stderr[-2000:]
    with open(os.path.join(d, "results", "profiling_info.txt")) as f:
        run_s = sum(float(line.split()[1]) for line in f)
    wall = float(re.search(r"wall ([\d.]+)", r.stderr).group(1))
    return dict(run_s=run_s, build_s=max(wall - run_s, 0.0), synapses=res["synapses"], rate=res["spikes"] / n,
                rss_kb=int(re.search(r"maxrss (\d+)", r.stderr).group(1)))


# issue 21's goals: the loop ratio neurodyn/Brian2 per size (sizes in between take the larger
# size's goal), the construction ratio from 40,000 neurons on, the 2-rank efficiency
GOALS = {"loop": {4000: 0.5, 40000: 0.6}, "construction": {40000: 0.5}, "efficiency": 0.9}


def goal(kind, n):
    """the goal of kind at n neurons (None: none)"""
    sizes = sorted(GOALS[kind])
    for s in sizes:
        if n <= s:
            return GOALS[kind][s] if kind == "loop" or n == s else None
    return GOALS[kind][sizes[-1]]


def best(f, repeat):
    runs = [f() for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r["run_s"])
    fastest["build_s"] = min(r["build_s"] for r in runs)
    return fastest


def main():
    global NEURODYN, EXTRA
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[4000, 40000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--binary", default=NEURODYN, help="the neurodyn executable (default: this tree's bin/neurodyn)")
    ap.add_argument("--extra", default="", help="more neurodyn options, e.g. '-net_simd baseline'")
    ap.add_argument("--check", action="store_true", help="exit 1 when a figure misses its goal (on an idle machine)")
    a = ap.parse_args()
    NEURODYN, EXTRA = os.path.abspath(a.binary), a.extra.split()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores; figures under load are indicative)")
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "cuba_brian2.py"), str(a.sizes[0]),
                    os.path.join(OUT, f"brian_{a.sizes[0]}")], capture_output=True, timeout=3600)  # compile once
    res, ok = {}, True
    for n in a.sizes:
        b = best(lambda: brian(n), a.repeat)
        n1 = best(lambda: neurodyn(n, 1), a.repeat)
        n2 = best(lambda: neurodyn(n, 2), a.repeat)
        res[n] = (b, n1, n2)
        agree = abs(n1["rate"] - b["rate"]) <= 0.1 * b["rate"]
        ok &= agree
        loop, build, eff = n1["run_s"] / b["run_s"], n1["build_s"] / max(b["build_s"], 1e-9), n1["run_s"] / n2["run_s"] / 2
        goals = (goal("loop", n), goal("construction", n), GOALS["efficiency"])
        missed = [name for name, v, g, worse in (("loop", loop, goals[0], loop > (goals[0] or 1e300)),
                                                 ("construction", build, goals[1], build > (goals[1] or 1e300)),
                                                 ("efficiency", eff, goals[2], eff < goals[2])) if worse]
        if a.check and missed:
            ok = False
        print(f"CUBA N = {n}: {n1['synapses']} synapses (Brian2 {b['synapses']})")
        print(f"  simulation loop  neurodyn {n1['run_s']:.3f} s   Brian2 {b['run_s']:.3f} s   ratio {loop:.2f}"
              f"   (goal <= {goals[0]})")
        print(f"  construction     neurodyn {n1['build_s']:.3f} s   Brian2 {b['build_s']:.3f} s   ratio {build:.2f}"
              + (f"   (goal <= {goals[1]})" if goals[1] else ""))
        print(f"  memory           neurodyn delivery tables {n1['bytes_per_synapse']:.1f} bytes per synapse (target <= 12)")
        print(f"  2 ranks          neurodyn {n2['run_s']:.3f} s: speed-up {n1['run_s'] / n2['run_s']:.2f}, efficiency "
              f"{eff:.0%} (goal >= {goals[2]:.0%})")
        print(f"  firing rate      neurodyn {n1['rate']:.2f} Hz   Brian2 {b['rate']:.2f} Hz   "
              f"({'agree' if agree else 'DISAGREE'} within 10%)")
        if missed:
            print(f"  missed goals: {', '.join(missed)}{'' if a.check else ' (not checked: --check)'}")
    if len(a.sizes) > 1:
        lo, hi = a.sizes[0], a.sizes[-1]
        for name, k in (("neurodyn", 1), ("Brian2", 0)):
            ds = res[hi][k]["synapses"] - res[lo][k]["synapses"]
            dm = (res[hi][k]["rss_kb"] - res[lo][k]["rss_kb"]) * 1024
            if not (res[hi][k]["rss_kb"] and res[lo][k]["rss_kb"]):
                continue
            print(f"  {name}: peak resident memory grows by {dm / ds:.1f} bytes per added synapse ({lo} -> {hi} neurons)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
