"""Faster playback that keeps voices at their pitch (Rubber Band, through pedalboard)."""

from __future__ import annotations

import numpy as np


def stretched(samples: np.ndarray, rate: int, speed: float) -> np.ndarray:
    """int16 mono samples played `speed` times as fast: 1/speed as many, same pitch."""
    if speed == 1.0:
        return samples
    import pedalboard  # loaded on first use: it is large, and 1× never needs it

    audio = (samples.astype(np.float32) / 32768.0)[np.newaxis, :]
    faster = pedalboard.time_stretch(audio, float(rate), stretch_factor=speed)[0]
    return np.clip(np.round(faster * 32768.0), -32768, 32767).astype(np.int16)
