"""SONATA network import (-net_sonata nodes.h5,edges.h5[,node_types.csv]): populations from the
node populations, projections from the edge populations (syn_weight, delay in ms), each rank
reading the edges of its own targets. Checked against the same network given through neurodyn's
own CSR connectivity files, and bad files."""
import os

import h5py
import ndio
import numpy as np
from ndtest import expect_errors, run_ok, workdir

SIZES = {"E": 240, "I": 60}
PAIRS = [("E", "E"), ("E", "I"), ("I", "E"), ("I", "I")]
DT = 0.1


def net_run(args, ranks, name):
    out = os.path.join(workdir(), name)
    run_ok(["simulate"] + [str(a) for a in args] + ["-output", out, "-quiet"], ranks)
    return out


def connectivity(seed=3):
    """(W, D) per projection: dense (targets x sources) weights (mV; E positive, I negative) and
    delays (whole steps from 0.5 to 3 ms); unique pairs, about 10% of them"""
    rng = np.random.default_rng(seed)
    out = {}
    for s, t in PAIRS:
        mask = rng.random((SIZES[t], SIZES[s])) < 0.1
        w = rng.uniform(0.2, 1.0, mask.shape) * (1 if s == "E" else -4)
        d = rng.integers(5, 31, mask.shape) * DT
        out[s, t] = (np.where(mask, w, 0), np.where(mask, d, 0))
    return out


def write_csr(path, conn):
    with h5py.File(path, "w") as f:
        for (s, t), (W, D) in conn.items():
            rows, cols = np.nonzero(W)
            g = f.create_group(s + t)
            g.attrs["shape"] = W.shape
            g["indptr"] = np.searchsorted(rows, np.arange(W.shape[0] + 1))
            g["indices"] = cols
            g["data"] = W[rows, cols]
            g["delays"] = D[rows, cols]


def write_sonata(nodes, edges, conn, seed=4, drop=None, edit=None, edge_types=None):
    """The network as SONATA files: /nodes/<pop> (node_type_id 100 for E, 200 for I, node_id,
    node_group_id, node_group_index), /edges/<src>_to_<tgt> with the edges in a random order (I -> E
    sorted by target); for E -> E the group-0 rows are permuted and reached through
    edge_group_index; E -> I and I -> E carry the index indices/target_to_source. drop: a dataset path
    left out; edit(f): a last change to the edges file; edge_types: a path for an edge_types.csv
    that holds the weights and delays of I -> I (one edge type per edge; none in the edges file)."""
    rng = np.random.default_rng(seed)
    with h5py.File(nodes, "w") as f:
        for pop, n in SIZES.items():
            g = f.create_group(f"nodes/{pop}")
            g["node_type_id"] = np.full(n, 100 if pop == "E" else 200, np.int64)
            g["node_id"] = np.arange(n, dtype=np.uint64)
            g["node_group_id"] = np.zeros(n, np.uint32)
            g["node_group_index"] = np.arange(n, dtype=np.uint64)
            g.create_group("0")
    with h5py.File(edges, "w") as f:
        for (s, t), (W, D) in conn.items():
            rows, cols = np.nonzero(W)
            order = rng.permutation(len(rows))
            if (s, t) == ("I", "E"):  # sorted by target, as BMTK writes them
                order = order[np.argsort(rows[order], kind="stable")]
            rows, cols = rows[order], cols[order]
            g = f.create_group(f"edges/{s}_to_{t}")
            if (s, t) in (("I", "E"), ("E", "I")):  # the index target_to_source: runs of consecutive edge ids
                ranges, n2r = [], np.zeros((SIZES[t], 2), np.uint64)
                for j in range(SIZES[t]):
                    ids = np.nonzero(rows == j)[0]
                    start = len(ranges)
                    for run in np.split(ids, np.nonzero(np.diff(ids) > 1)[0] + 1):
                        if len(run):
                            ranges.append((run[0], run[-1] + 1))
                    n2r[j] = (start, len(ranges))
                g["indices/target_to_source/node_id_to_range"] = n2r
                g["indices/target_to_source/range_to_edge_id"] = np.array(ranges, np.uint64).reshape(-1, 2)
            g["source_node_id"] = cols.astype(np.uint64)
            g["source_node_id"].attrs["node_population"] = s
            g["target_node_id"] = rows.astype(np.uint64)
            g["target_node_id"].attrs["node_population"] = t
            g["edge_type_id"] = np.full(len(rows), 1, np.int64)
            g["edge_group_id"] = np.zeros(len(rows), np.uint32)
            w, d = W[rows, cols], D[rows, cols]
            if (s, t) == ("E", "E"):
                perm = rng.permutation(len(rows))  # edge k's attributes in row perm[k] of group 0
                gw, gd = np.empty_like(w), np.empty_like(d)
                gw[perm], gd[perm] = w, d
                g["edge_group_index"] = perm.astype(np.uint64)
                w, d = gw, gd
            else:
                g["edge_group_index"] = np.arange(len(rows), dtype=np.uint64)
            if edge_types and (s, t) == ("I", "I"):
                g["edge_type_id"][...] = 1000 + np.arange(len(rows))
                with open(edge_types, "w") as csv:
                    csv.write("edge_type_id syn_weight delay dynamics_params\n")
                    for k in range(len(rows)):
                        csv.write(f"{1000 + k} {w[k]!r} {d[k]!r} static.json\n")
                continue
            g["0/syn_weight"] = w
            g["0/delay"] = d
        if drop:
            del f[drop]
        if edit:
            edit(f)


COMMON = ["-net_E_poisson_rate", 2.0, "-net_E_poisson_weight", 0.9, "-net_I_poisson_rate", 2.0,
          "-net_I_poisson_weight", 0.9, "-net_seed", 7, "-ts_dt", DT, "-ts_max_time", 200]
MODELS = ["-net_E_model", "lif_delta", "-net_I_model", "lif_delta"]


def files(tag="", **kw):
    d = workdir()
    nodes, edges = os.path.join(d, f"nodes{tag}.h5"), os.path.join(d, f"edges{tag}.h5")
    write_sonata(nodes, edges, connectivity(), **kw)
    return nodes, edges


def test_sonata_network_gives_the_spikes_of_the_csr_network_at_1_2_3_ranks():
    """Two lif_delta populations (240 E, 60 I) driven by Poisson input, coupled by about 7,200
    random edges with weights and delays from 0.5 to 3 ms, given (a) as four neurodyn CSR files with
    per-synapse delays at 1 rank and (b) as SONATA nodes/edges files (edges in random order, E -> E's
    attributes through a permuted edge_group_index, two with the target_to_source index, one of them
    sorted by target) at 1, 2 and 3 ranks, and (c) with the models
    from a node_types.csv (model_template nest:iaf_psc_delta) at 2 ranks, and (d) with I -> I's
    weights and delays in an edge_types.csv (one type per edge) at 3 ranks: the spikes of both
    populations are bitwise the same, and the synapse tables (-net_write_synapses) hold the file's
    edges."""
    conn = connectivity()
    d = workdir()
    csr = os.path.join(d, "conn.h5")
    write_csr(csr, conn)
    ref_args = ["-net_populations", "E,I"] + MODELS
    for p, n in SIZES.items():
        ref_args += [f"-net_{p}_size", n]
    for s, t in PAIRS:
        ref_args += [f"-net_{s}_{t}_rule", "file", f"-net_{s}_{t}_file", f"{csr}:/{s}{t}"]
    ref = net_run(ref_args + COMMON, 1, "csr.h5")
    counts = {p: len(ndio.spikes(ref, p)[0]) for p in SIZES}
    assert counts["E"] > 500 and counts["I"] > 100, counts
    nodes, edges = files()
    types = os.path.join(d, "node_types.csv")
    with open(types, "w") as f:
        f.write("node_type_id model_type model_template pop_name\n")
        f.write("100 point_process nest:iaf_psc_delta exc\n200 point_process nest:iaf_psc_delta inh\n")
    runs = [(r, net_run(["-net_sonata", f"{nodes},{edges}"] + MODELS + COMMON + ["-net_write_synapses"], r,
                        f"sonata{r}.h5")) for r in (1, 2, 3)]
    runs.append(("csv", net_run(["-net_sonata", f"{nodes},{edges},{types}"] + COMMON, 2, "sonata_csv.h5")))
    etypes = os.path.join(d, "edge_types.csv")
    nodes2, edges2 = files("types", edge_types=etypes)
    runs.append(("edge types", net_run(["-net_sonata", f"{nodes2},{edges2},{types},{etypes}"] + COMMON, 3,
                                       "sonata_types.h5")))
    for label, out in runs:
        for p in SIZES:
            a, b = ndio.spikes(ref, p), ndio.spikes(out, p)
            assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), f"{label}: population {p}"
    with h5py.File(runs[2][1], "r") as f:  # 3 ranks: every edge once, with its weight and delay
        g = f["network/synapses"]
        got = sorted(zip(g["source"][:], g["target"][:], g["weight"][:], np.round(g["delay"][:] / DT).astype(int)))
    off = {"E": 0, "I": SIZES["E"]}
    want = []
    for (s, t), (W, D) in conn.items():
        rows, cols = np.nonzero(W)
        want += list(zip(cols + off[s], rows + off[t], W[rows, cols].astype(np.float32),
                         np.round(D[rows, cols] / DT).astype(int)))
    assert got == sorted(want)


def test_sonata_bad_files():
    """Ids out of range, missing datasets and attributes, an edge group other than 0, an edge type
    missing from edge_types.csv, a malformed index, an index that leaves edges out, a node population named like a model parameter, a population
    name neurodyn cannot use, no model, a delay below the step, two edge populations for one pair:
    one clear error line at 2 ranks, no output."""
    d = workdir()
    out = os.path.join(d, "bad.h5")
    base = MODELS + ["-ts_dt", DT, "-ts_max_time", 1]

    def case(tag, phrase, extra=(), **kw):
        nodes, edges = files(tag, **kw)
        return (["simulate", "-net_sonata", f"{nodes},{edges}"] + list(extra) + base, phrase, out)

    def set_(path, value):
        def edit(f):
            attrs = dict(f[path].attrs)
            del f[path]
            f[path] = value
            for k, v in attrs.items():
                f[path].attrs[k] = v
        return edit

    def big_target(f):
        t = f["edges/E_to_I/target_node_id"][:]
        t[5] = SIZES["I"]
        set_("edges/E_to_I/target_node_id", t)(f)

    def big_source(f):
        s = f["edges/I_to_E/source_node_id"][:]
        s[-1] = 10 ** 6
        set_("edges/I_to_E/source_node_id", s)(f)

    def group1(f):
        set_("edges/I_to_I/edge_group_id", np.ones(len(f["edges/I_to_I/edge_group_id"]), np.uint32))(f)

    def short_delay(f):
        set_("edges/E_to_E/0/delay", np.full(len(f["edges/E_to_E/0/delay"]), 0.05))(f)

    def twice(f):
        f.copy("edges/E_to_I", "edges/E_to_I_again")

    def bad_index(f):
        r = f["edges/E_to_I/indices/target_to_source/range_to_edge_id"][:]
        r[3, 1] = 10 ** 7
        set_("edges/E_to_I/indices/target_to_source/range_to_edge_id", r)(f)

    def empty_index(f):  # every target's range empty: the index leads to none of the edges
        n2r = f["edges/E_to_I/indices/target_to_source/node_id_to_range"][:]
        n2r[:, 1] = n2r[:, 0]
        set_("edges/E_to_I/indices/target_to_source/node_id_to_range", n2r)(f)

    def bad_name(f):
        f.move("edges/I_to_I", "edges/I_to_X")
        f["edges/I_to_X/source_node_id"].attrs["node_population"] = "X"

    nodes_ok, edges_ok = files("ok")
    badnodes = os.path.join(d, "badnodes.h5")
    with h5py.File(badnodes, "w") as f:
        f["nodes/E_exc/node_type_id"] = np.zeros(5, np.int64)
    clash = os.path.join(d, "clash.h5")  # a node population named like a parameter of adex
    with h5py.File(clash, "w") as f:
        f["nodes/E/node_type_id"] = np.zeros(5, np.int64)
        f["nodes/a/node_type_id"] = np.zeros(5, np.int64)
    no_edges = os.path.join(d, "no_edges.h5")
    with h5py.File(no_edges, "w") as f:
        f.create_group("edges")
    nomodel = ["simulate", "-net_sonata", f"{nodes_ok},{edges_ok}", "-ts_dt", DT, "-ts_max_time", 1]
    cases = [
        case("t", "target_node_id[5] is out of range: population I has node ids 0 to 59", edit=big_target),
        case("s", "source_node_id[", edit=big_source),
        case("w", "has no dataset /edges/E_to_I/0/syn_weight", drop="edges/E_to_I/0/syn_weight"),
        case("src", "/edges/I_to_E/source_node_id is missing", drop="edges/I_to_E/source_node_id"),
        case("tgt", "/edges/E_to_E/target_node_id is missing", drop="edges/E_to_E/target_node_id"),
        case("g", "only edge group 0 is read", edit=group1),
        case("i", "/edges/E_to_I/indices/target_to_source points outside", edit=bad_index),
        case("ie", "/edges/E_to_I/indices/target_to_source leads to 0 of the", edit=empty_index),
        case("d", "shortest delay (0.05) is less than the time step", edit=short_delay),
        case("two", "edge population E_to_I_again", edit=twice),
        case("x", "names node population 'X', which is not in", edit=bad_name),
        (["simulate", "-net_sonata", f"{badnodes},{edges_ok}", "-ts_dt", DT, "-ts_max_time", 1],
         "node population 'E_exc'", out),
        (nomodel, "the model of node population E: give -net_E_model", out),
        (["simulate", "-net_sonata", f"{clash},{no_edges}", "-net_E_model", "adex", "-net_a_model", "adex", "-ts_dt",
          DT, "-ts_max_time", 1], "population name a is also a parameter of model adex", out),
        (nomodel[:2] + [f"{nodes_ok}"] + nomodel[3:], "-net_sonata takes nodes.h5,edges.h5", out),
        (nomodel[:2] + [f"{nodes_ok},no/such.h5"] + MODELS + nomodel[3:], "cannot open the edges file no/such.h5",
         out),
        (nomodel + MODELS + ["-net_E_size", 7], "-net_E_size 7 is given, but the node count", out),
    ]
    etypes = os.path.join(d, "bad_types.csv")
    n3, e3 = files("et", edge_types=etypes)
    with open(etypes) as f:
        lines = f.read().splitlines()
    with open(etypes, "w") as f:
        f.write("\n".join(lines[:-1]) + "\n")  # the last edge's type left out
    cases.append((["simulate", "-net_sonata", f"{n3},{e3},unused.csv,{etypes}"] + base,
                  "is not an edge type of the edge_types.csv", out))
    expect_errors([(a, phrase, os.path.join(d, f"bad{i}.h5")) for i, (a, phrase, _) in enumerate(cases)])
