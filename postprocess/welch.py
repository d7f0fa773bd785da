"""Cross-spectra of a `simulate` output, estimated as `covariance -cov_from` estimates the power
(docs/commands/covariance.md): Hann-windowed segments of round(segment / h) samples starting half
a segment apart, each column's mean over the record removed, S(omega) = h / sum w^2 * mean over
segments of F F^H with F = sum_j w_j x_j e^{-i omega j h}."""
import numpy as np


def segment_sums(X, h, segment, omega):
    """(F, norm): the segments' windowed Fourier sums (segments x columns of X) at omega and the
    normalisation h / sum w^2 that makes norm * |F|^2 a power spectral density"""
    L = int(np.floor(segment / h + 0.5))
    w = np.hanning(L)
    e = w * np.exp(-1j * omega * h * np.arange(L))
    X = X - X.mean(axis=0)
    F = np.array([X[s:s + L].T @ e for s in range(0, X.shape[0] - L + 1, L // 2)])
    return F, h / np.sum(w ** 2)


def cross_spectrum(X, h, segment, omega):
    """the cross-spectral matrix C_ij(omega) of the columns of X"""
    F, norm = segment_sums(X, h, segment, omega)
    return norm * F.T @ F.conj() / len(F)


def coherence(C):
    """rho_ij = C_ij / sqrt(C_ii C_jj)"""
    d = np.sqrt(np.real(np.diag(C)))
    return C / np.outer(d, d)


def offdiag(M):
    """the entries i != j of a square matrix"""
    return M[~np.eye(M.shape[0], dtype=bool)]


def correlation(a, b):
    """Re <a, b> / (|a| |b|): the correlation of two complex arrays (1 when proportional)"""
    return np.real(np.vdot(a, b)) / np.linalg.norm(a) / np.linalg.norm(b)
