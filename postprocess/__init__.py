"""neurodyn's Python package: readers for its HDF5 output files and the plots.

Installed by `make install` as the package `neurodyn` (the files of postprocess/); in the source
tree the same modules are used as scripts. The readers (module `neurodyn.ndio`, schema in
docs/output.md) are re-exported here:

    import neurodyn
    data, units = neurodyn.timeseries("out/mpr_hysteresis.h5")     # /timeseries: {name: array}
    kind, params, attrs = neurodyn.system("out/mpr_hysteresis.h5")  # /system
    t, rates = neurodyn.rates("out/qif_vs_mpr.h5")                  # a network's /rates

The plots run as `python3 -m neurodyn.plot NAME FILE... [options]`, NAME one of the plot_NAME
modules (timeseries, branch, raster, spectrum, ...); `python3 -m neurodyn.plot` lists them.
"""
from .ndio import (IncompleteOutput, binary, network, observables, open_output, provenance, rate_unit, rates,
                   spikes, system, timeseries)

__all__ = ["IncompleteOutput", "binary", "network", "observables", "open_output", "provenance", "rate_unit", "rates",
           "spikes", "system", "timeseries"]
