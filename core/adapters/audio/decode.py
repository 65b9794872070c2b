"""Decoding call recordings to 16-bit mono samples.

libsndfile (through soundfile, whose wheels bundle it) reads what call platforms
produce: WAV as 16-bit PCM or as 8 kHz mu-law / A-law telephony audio, and MP3.
The standard library's `audioop` is gone from Python 3.13, so it is not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from core.adapters.audio.errors import RecordingUnreadable


@dataclass(frozen=True, eq=False)
class Clip:
    """Decoded audio: int16 mono samples at `rate` frames a second."""

    samples: np.ndarray
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def decode(path: Path) -> Clip:
    """The whole recording as int16 mono; RecordingUnreadable says what is wrong with it."""
    if not path.is_file():
        raise RecordingUnreadable(f"Recording not found: {path}")
    try:
        data, rate = soundfile.read(path, dtype="int16", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as error:
        reason = str(error).split(":")[-1].strip() or "unknown format"
        raise RecordingUnreadable(f"Recording cannot be decoded: {path.name} ({reason})") from None
    if data.shape[0] == 0:
        raise RecordingUnreadable(f"Recording holds no audio: {path.name}")
    # A stereo call (agent left, customer right) is heard as one channel.
    mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1).astype(np.int16)
    return Clip(np.ascontiguousarray(mono), int(rate))
