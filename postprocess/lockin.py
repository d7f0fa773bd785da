"""The response of a simulated population to a sine input, measured by lock-in: the ratio of the
Fourier coefficients at the drive frequency of the population mean and of the input, over the
samples at t >= tmin of a `simulate` output's /timeseries (variable x, input I)."""
import h5py
import numpy as np


def lockin(path, omega, tmin):
    """(chi, x): the complex response at omega of mean_i x_i to I(t), and the samples x (t >= tmin)"""
    with h5py.File(path, "r") as f:
        t, x, stim = f["timeseries/t"][()], f["timeseries/x"][()], f["timeseries/I"][()]
    keep = t >= tmin
    t, x, stim = t[keep], x[keep], stim[keep]
    phase_factor = np.exp(-1j * omega * t)
    return np.trapz(x.mean(1) * phase_factor, t) / np.trapz(stim * phase_factor, t), x
