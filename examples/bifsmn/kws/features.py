"""BiFSMN's front end: 32 log-mel bands x 32 frames per second of 16 kHz audio (FFT 2048,
hop 512, Hann window, frames centred with zero padding, Slaney mel filters from 0 to 8 kHz,
power in dB relative to 1.0 with a 1e-10 floor and an 80 dB range), i.e. librosa's
melspectrogram + power_to_db defaults. The demo computes the same in Java
(examples/src/main/java/dev/bnnc/examples/kws/LogMel.java); KwsFeaturesTest checks that they
agree on committed fixtures.
"""
from __future__ import annotations

import numpy as np

from kws_classes import SAMPLE_RATE

N_FFT = 2048
HOP = 512
N_MELS = 32
AMIN = 1e-10
TOP_DB = 80.0


def hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(hz, 1e-12) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, log, linear)


def mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    linear = mel * (200.0 / 3)
    log = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0))
    return np.where(mel >= 15.0, log, linear)


def mel_filters() -> np.ndarray:
    """[N_MELS, N_FFT/2+1] triangular filters, area-normalized (Slaney)."""
    fft_hz = np.linspace(0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]


FILTERS = mel_filters()
WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann


def log_mel(audio: np.ndarray) -> np.ndarray:
    """audio [..., samples] in [-1, 1] -> float32 [..., N_MELS, frames] in dB, frames = 1 +
    samples // HOP (32 for one second)."""
    audio = np.asarray(audio, dtype=np.float64)
    padded = np.pad(audio, [(0, 0)] * (audio.ndim - 1) + [(N_FFT // 2, N_FFT // 2)])
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT, axis=-1)[..., ::HOP, :]
    power = np.abs(np.fft.rfft(frames * WINDOW, axis=-1)) ** 2   # [..., frames, bins]
    mel = np.einsum("...tf,mf->...mt", power, FILTERS)
    db = 10.0 * np.log10(np.maximum(mel, AMIN))
    floor = db.max(axis=(-2, -1), keepdims=True) - TOP_DB
    return np.maximum(db, floor).astype(np.float32)
