"""Known audio for the tests, written in the formats call platforms produce."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

RATE = 8000


def chirp(seconds: float, low: float = 200.0, high: float = 1500.0) -> np.ndarray:
    """A rising tone: every moment differs from every other, so a skip cannot hide."""
    t = np.arange(int(seconds * RATE)) / RATE
    phase = 2 * np.pi * (low * t + (high - low) * t**2 / (2 * seconds))
    return (np.sin(phase) * 8000).astype(np.int16)


def tone(seconds: float, hz: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16)


def write(path: Path, samples: np.ndarray, subtype: str | None = None) -> Path:
    """WAV as PCM_16, ULAW or ALAW by `subtype`; MP3 by the path's suffix."""
    if path.suffix == ".mp3":
        soundfile.write(path, samples, RATE, format="MP3")
    else:
        soundfile.write(path, samples, RATE, subtype=subtype or "PCM_16")
    return path


def aligned_correlation(heard: np.ndarray, reference: np.ndarray) -> float:
    """Pearson correlation of `reference` with the stretch of `heard` where it fits best
    (an MP3 decoder adds a delay; a device adds silence in front)."""
    heard = heard.astype(np.float64)
    reference = reference.astype(np.float64)
    spectrum = np.fft.rfft(heard, 2 * len(heard)) * np.conj(np.fft.rfft(reference, 2 * len(heard)))
    lag = int(np.argmax(np.fft.irfft(spectrum)[: len(heard)]))
    window = heard[lag : lag + len(reference)]
    if len(window) < len(reference):
        return 0.0
    return float(np.corrcoef(window, reference)[0, 1])


def find(heard: np.ndarray, piece: np.ndarray) -> int:
    """Where `piece` first occurs sample for sample in `heard`, or -1."""
    probe = piece[:32]
    for start in np.flatnonzero(heard == probe[0]):
        if np.array_equal(heard[start : start + len(piece)], piece):
            return int(start)
    return -1
