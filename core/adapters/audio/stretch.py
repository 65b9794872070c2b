"""Faster playback that keeps voices at their pitch (Rubber Band, through pedalboard)."""

from __future__ import annotations

import logging

import numpy as np

from core.extras import AUDIO, needs_extra

log = logging.getLogger(__name__)
_told: set[str] = set()


def stretched(samples: np.ndarray, rate: int, speed: float) -> np.ndarray:
    """int16 mono samples played `speed` times as fast: 1/speed as many, same pitch."""
    if speed == 1.0:
        return samples
    try:
        import pedalboard  # loaded on first use: it is large, and 1× never needs it
    except ImportError:  # the audio extra half installed: faster still, voices higher
        _tell_once(needs_extra("faster playback at the same pitch", AUDIO))
        return _resampled(samples, speed)
    audio = (samples.astype(np.float32) / 32768.0)[np.newaxis, :]
    faster = pedalboard.time_stretch(audio, float(rate), stretch_factor=speed)[0]
    return np.clip(np.round(faster * 32768.0), -32768, 32767).astype(np.int16)


def _resampled(samples: np.ndarray, speed: float) -> np.ndarray:
    """Played `speed` times as fast by skipping samples evenly (the pitch rises too)."""
    positions = np.arange(0.0, len(samples) - 1, speed) if len(samples) > 1 else np.zeros(0)
    faster = np.interp(positions, np.arange(len(samples)), samples.astype(np.float32))
    return np.round(faster).astype(np.int16)


def _tell_once(message: str) -> None:
    if message not in _told:
        _told.add(message)
        log.warning(message)
