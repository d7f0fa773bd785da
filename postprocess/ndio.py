"""Reader for neurodyn HDF5 output (schema: docs/output.md)."""
import h5py
import numpy as np


class IncompleteOutput(RuntimeError):
    """The file exists but the run that wrote it did not finish."""


def open_output(path, require_complete=True):
    """Open a neurodyn output file read-only; refuse an incomplete one unless asked."""
    f = h5py.File(path, "r")
    if require_complete and int(f.attrs.get("complete", 0)) != 1:
        f.close()
        raise IncompleteOutput(f"{path}: the run did not complete (attribute complete != 1)")
    return f


def timeseries(path, require_complete=True):
    """Return {name: array} for /timeseries and {name: units}."""
    with open_output(path, require_complete) as f:
        g = f["timeseries"]
        data = {k: np.asarray(g[k][()]) for k in g}
        units = {k: g[k].attrs.get("units", "") for k in g}
    return data, units


def system(path):
    """Return (type, {parameter: value}, attributes of /system)."""
    with open_output(path, require_complete=False) as f:
        g = f["system"]
        params = {k: float(g["parameters"][k][()]) for k in g["parameters"]}
        return g.attrs["type"], params, dict(g.attrs)


def provenance(path):
    with open_output(path, require_complete=False) as f:
        attrs = dict(f["provenance"].attrs)
        attrs["options"] = dict(f["provenance/options"].attrs)
    return attrs


def binary(path, require_complete=True):
    """Return {name: array} of /binary (the network) and {name: array or attribute} of its
    analysis group /binary/<analysis> (bifurcations, stationary or patterns)."""
    with open_output(path, require_complete) as f:
        g = f["binary"]
        net = {k: np.asarray(g[k][()]) for k in g if isinstance(g[k], h5py.Dataset)}
        net.update(dict(g.attrs))
        analysis = str(g.attrs["analysis"])
        a = g[analysis]
        result = {k: np.asarray(a[k][()]) for k in a}
        result.update(dict(a.attrs))
    return net, result


def spikes(path, population, require_complete=True):
    """Return (timestamps, node_ids) of a population's spikes (SONATA layout, sorted by time)."""
    with open_output(path, require_complete) as f:
        g = f["spikes"][population]
        return np.asarray(g["timestamps"][()]), np.asarray(g["node_ids"][()])


def rates(path, require_complete=True, per_time_unit=False):
    """Return (t, {population: rate}) of /rates: bin start times, and spikes per neuron per second
    (Hz, units attribute 'Hz') when the time unit is ms, else per time unit. per_time_unit=True
    gives spikes per neuron per time unit (per ms instead of Hz), as mean-field models have them."""
    with open_output(path, require_complete) as f:
        g = f["rates"]
        out = {}
        for k in g:
            if k == "t":
                continue
            scale = 1e-3 if per_time_unit and g[k].attrs.get("units", "") == "Hz" else 1.0
            out[k] = np.asarray(g[k][()]) * scale
        return np.asarray(g["t"][()]), out


def rate_unit(path):
    """The unit of /rates: 'Hz' when the time unit is ms, else '1/<time unit>'."""
    with open_output(path, require_complete=False) as f:
        g = f["rates"]
        return next((str(g[k].attrs.get("units", "")) for k in g if k != "t"), "")


def observables(path, require_complete=True):
    """Return (t, {population: {name: array}}) of /observables."""
    with open_output(path, require_complete) as f:
        g = f["observables"]
        obs = {p: {k: np.asarray(g[p][k][()]) for k in g[p]} for p in g if p != "t"}
        return np.asarray(g["t"][()]), obs


def network(path):
    """Return {population: {'model', 'size', 'time_unit', 'parameters': {...}}} of /network."""
    with open_output(path, require_complete=False) as f:
        out = {}
        for p, g in f["network"].items():
            out[p] = {"model": g.attrs["model"], "size": int(g.attrs["size"]), "time_unit": g.attrs["time_unit"],
                      "parameters": {k: float(v[()]) for k, v in g["parameters"].items()}}
        return out
