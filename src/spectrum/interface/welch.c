/* Welch's estimate of the power spectral density S(omega) = int C(tau) e^{-i omega tau} dtau
   (so that the variance is int S domega / 2 pi) of many signals sampled at one uniform interval h,
   averaged over the signals, at a few given frequencies: Hann-windowed segments of L samples,
   successive segments starting L/2 samples apart, S = h / sum_j w_j^2 * mean over segments of
   |sum_j w_j (x_j - m) e^{-i omega j h}|^2, with m the mean of the signal over the whole record.
   The samples arrive one at a time (a recording streamed from disk, docs/models/rate.md#theory-at-fixed-j); each rank
   holds its own signals. The mean is removed at the end: for F = sum_j w_j x_j e^{-i omega j h}
   and W = sum_j w_j e^{-i omega j h}, sum_s |F_s - m W|^2 = sum_s |F_s|^2
   - 2 m Re(W^* sum_s F_s) + n_s m^2 |W|^2, so one pass suffices. */
#include <neurodyn/spectrum.h>

struct _n_NdWelch {
  MPI_Comm   comm;
  PetscInt   nsig, nomega, L, hop, nslots;
  PetscReal *omega, duration;
  PetscReal  t0, h;          /* first time and interval (h = 0 until the second sample) */
  PetscReal *first;          /* the first sample, kept until h is known */
  PetscInt   n, nsegments;   /* samples and completed segments so far */
  PetscReal *wc, *ws, wsum2; /* w_j cos(omega_k j h), w_j sin(omega_k j h): [j * nomega + k] */
  PetscReal *acc;            /* open segments: slot, signal, frequency, (re, im) */
  PetscReal *power, *sumf;   /* sum_s |F_s|^2 and sum_s F_s (re, im) per signal and frequency */
  PetscReal *mean;           /* running sums of the signals */
};

/*@ NdWelchCreate - an estimator for nsig local signals at nomega frequencies, segments of the
    given duration (the number of samples L follows from the sampling interval) @*/
PetscErrorCode NdWelchCreate(MPI_Comm comm, PetscInt nsig, PetscInt nomega, const PetscReal omega[], PetscReal duration,
                             NdWelch *welch)
{
  NdWelch w;

  PetscFunctionBegin;
  PetscCheck(duration > 0, comm, PETSC_ERR_USER_INPUT, "the segment duration must be > 0 (got %g)", (double)duration);
  PetscCall(PetscNew(&w));
  w->comm     = comm;
  w->nsig     = nsig;
  w->nomega   = nomega;
  w->duration = duration;
  PetscCall(PetscMalloc1(nomega, &w->omega));
  PetscCall(PetscArraycpy(w->omega, omega, nomega));
  PetscCall(PetscCalloc3(nsig * nomega + 1, &w->power, 2 * nsig * nomega + 1, &w->sumf, nsig + 1, &w->mean));
  PetscCall(PetscMalloc1(nsig + 1, &w->first));
  *welch = w;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Once h is known: L, the window and phase tables, the open-segment slots */
static PetscErrorCode NdWelchSetUp(NdWelch w)
{
  PetscFunctionBegin;
  w->L = (PetscInt)PetscFloorReal(w->duration / w->h + 0.5);
  PetscCheck(w->L >= 4, w->comm, PETSC_ERR_USER_INPUT,
             "a segment of %g time units holds %" PetscInt_FMT
             " samples at the recorded interval %g: at least 4 needed",
             (double)w->duration, w->L, (double)w->h);
  for (PetscInt k = 0; k < w->nomega; k++)
    PetscCheck(w->omega[k] <= PETSC_PI / w->h, w->comm, PETSC_ERR_USER_INPUT,
               "omega = %g is above the Nyquist frequency pi / %g = %g of the recording", (double)w->omega[k],
               (double)w->h, (double)(PETSC_PI / w->h));
  w->hop    = PetscMax(w->L / 2, 1);
  w->nslots = (w->L + w->hop - 1) / w->hop;
  PetscCall(PetscMalloc2(w->L * w->nomega, &w->wc, w->L * w->nomega, &w->ws));
  PetscCall(PetscMalloc1(2 * w->nslots * w->nsig * w->nomega, &w->acc));
  for (PetscInt j = 0; j < w->L; j++) {
    PetscReal win = 0.5 - 0.5 * PetscCosReal(2 * PETSC_PI * j / (w->L - 1)); /* Hann (symmetric) */
    w->wsum2 += win * win;
    for (PetscInt k = 0; k < w->nomega; k++) {
      w->wc[j * w->nomega + k] = win * PetscCosReal(w->omega[k] * j * w->h);
      w->ws[j * w->nomega + k] = -win * PetscSinReal(w->omega[k] * j * w->h);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Sample number n into every segment it belongs to; a segment ending here is added to the sums */
static PetscErrorCode NdWelchAccumulate(NdWelch w, PetscInt n, const PetscReal x[])
{
  const PetscInt K = w->nomega, S = w->nsig;

  PetscFunctionBegin;
  for (PetscInt s = n >= w->L ? (n - w->L) / w->hop + 1 : 0; s * w->hop <= n; s++) {
    PetscInt   j   = n - s * w->hop;
    PetscReal *acc = w->acc + 2 * (s % w->nslots) * S * K;
    if (j == 0) PetscCall(PetscArrayzero(acc, 2 * S * K));
    for (PetscInt i = 0; i < S; i++)
      for (PetscInt k = 0; k < K; k++) {
        acc[2 * (i * K + k)] += w->wc[j * K + k] * x[i];
        acc[2 * (i * K + k) + 1] += w->ws[j * K + k] * x[i];
      }
    if (j == w->L - 1) {
      for (PetscInt q = 0; q < S * K; q++) {
        w->power[q] += acc[2 * q] * acc[2 * q] + acc[2 * q + 1] * acc[2 * q + 1];
        w->sumf[2 * q] += acc[2 * q];
        w->sumf[2 * q + 1] += acc[2 * q + 1];
      }
      w->nsegments++;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdWelchAddSample - the local signals x[] at time t; times must be uniformly spaced @*/
PetscErrorCode NdWelchAddSample(NdWelch w, PetscReal t, const PetscReal x[])
{
  PetscFunctionBegin;
  if (w->n == 0) {
    w->t0 = t;
    PetscCall(PetscArraycpy(w->first, x, w->nsig));
  } else if (w->n == 1) {
    w->h = t - w->t0;
    PetscCheck(w->h > 0, w->comm, PETSC_ERR_USER_INPUT, "the recorded times do not increase (%g, then %g)",
               (double)w->t0, (double)t);
    PetscCall(NdWelchSetUp(w));
    PetscCall(NdWelchAccumulate(w, 0, w->first));
  } else
    PetscCheck(PetscAbsReal(t - (w->t0 + w->n * w->h)) <= 1e-6 * w->h, w->comm, PETSC_ERR_USER_INPUT,
               "spectra need uniformly spaced samples: sample %" PetscInt_FMT " is at t = %g, expected %g", w->n,
               (double)t, (double)(w->t0 + w->n * w->h));
  if (w->n > 0) PetscCall(NdWelchAccumulate(w, w->n, x));
  for (PetscInt i = 0; i < w->nsig; i++) w->mean[i] += x[i];
  w->n++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@ NdWelchGetSpectrum - S(omega_k) averaged over every signal on every rank (collective), and the
    number of segments averaged @*/
PetscErrorCode NdWelchGetSpectrum(NdWelch w, PetscReal S[], PetscInt *nsegments)
{
  const PetscInt K = w->nomega;
  PetscInt       nsig;

  PetscFunctionBegin;
  PetscCheck(w->nsegments > 0, w->comm, PETSC_ERR_USER_INPUT,
             "the recording (%" PetscInt_FMT " samples) is shorter than one segment of %g time units", w->n,
             (double)w->duration);
  PetscCall(PetscArrayzero(S, K));
  for (PetscInt k = 0; k < K; k++) {
    PetscReal Wr = 0, Wi = 0;
    for (PetscInt j = 0; j < w->L; j++) {
      Wr += w->wc[j * K + k];
      Wi += w->ws[j * K + k];
    }
    for (PetscInt i = 0; i < w->nsig; i++) {
      PetscReal m = w->mean[i] / w->n, *F = w->sumf + 2 * (i * K + k);
      S[k] += w->power[i * K + k] - 2 * m * (F[0] * Wr + F[1] * Wi) + w->nsegments * m * m * (Wr * Wr + Wi * Wi);
    }
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, S, K, MPIU_REAL, MPIU_SUM, w->comm));
  PetscCall(MPIU_Allreduce(&w->nsig, &nsig, 1, MPIU_INT, MPI_SUM, w->comm));
  for (PetscInt k = 0; k < K; k++) S[k] *= w->h / w->wsum2 / (PetscReal)(w->nsegments * nsig);
  *nsegments = w->nsegments;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode NdWelchDestroy(NdWelch *welch)
{
  NdWelch w = *welch;

  PetscFunctionBegin;
  if (!w) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFree(w->omega));
  PetscCall(PetscFree3(w->power, w->sumf, w->mean));
  PetscCall(PetscFree(w->first));
  PetscCall(PetscFree2(w->wc, w->ws));
  PetscCall(PetscFree(w->acc));
  PetscCall(PetscFree(w));
  *welch = NULL;
  PetscFunctionReturn(PETSC_SUCCESS);
}
