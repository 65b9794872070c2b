"""Getting a recording ready for a speech-recognition server.

A two-channel recording (the agent on one channel, the caller on the other, as most
phone systems can record) is split and each channel sent on its own, so every segment
carries the right speaker; a mono one is sent once, its speakers left "unknown" for the
classifier's role detection. A "stereo" file whose channels are the same is mono, and a
silent channel is not sent (nothing to pay for). Each part goes as FLAC, at no more than
about 16 kHz (what speech recognition uses), to stay far under upload limits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from core.adapters.audio.errors import RecordingUnreadable

AGENT = "agent"
CALLER = "customer"  # the speaker label the export format and the classifier use
UNKNOWN = "unknown"
SPEECH_RATE = 16_000  # Whisper-family models hear 16 kHz; more only costs upload
SILENT_PEAK = 64  # of 32767: a channel this quiet throughout holds no one speaking


@dataclass(frozen=True)
class Part:
    """One channel (or the whole mono recording), encoded for upload."""

    speaker: str
    audio: bytes
    filename: str


@dataclass(frozen=True)
class PreparedRecording:
    seconds: float  # the recording's duration
    channels: int  # 2 when split by speaker, else 1
    parts: tuple[Part, ...]  # what is sent; empty when every channel was silent

    @property
    def billed_seconds(self) -> float:
        return self.seconds * len(self.parts)


def prepare(path: Path, agent_channel: int = 0) -> PreparedRecording:
    """The recording's parts to transcribe; RecordingUnreadable says what is wrong."""
    try:
        data, rate = soundfile.read(path, dtype="int16", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError, OSError) as error:
        reason = str(error).split(":")[-1].strip() or "unknown format"
        raise RecordingUnreadable(f"Recording cannot be decoded: {path.name} ({reason})") from None
    if data.shape[0] == 0:
        raise RecordingUnreadable(f"Recording holds no audio: {path.name}")
    seconds = data.shape[0] / rate
    if data.shape[1] == 2 and not np.array_equal(data[:, 0], data[:, 1]):
        speakers = {agent_channel: AGENT, 1 - agent_channel: CALLER}
        channels = [(speakers[index], data[:, index]) for index in (0, 1)]
        parts = tuple(
            _part(speaker, samples, rate, path.stem)
            for speaker, samples in channels
            if not _silent(samples)
        )
        return PreparedRecording(seconds, 2, parts)
    mono = data[:, 0] if data.shape[1] <= 2 else data.mean(axis=1).astype(np.int16)
    parts = () if _silent(mono) else (_part(UNKNOWN, mono, rate, path.stem),)
    return PreparedRecording(seconds, 1, parts)


def _silent(samples: np.ndarray) -> bool:
    return int(np.abs(samples.astype(np.int32)).max()) < SILENT_PEAK


def _part(speaker: str, samples: np.ndarray, rate: int, stem: str) -> Part:
    factor = rate // SPEECH_RATE
    if factor > 1:  # 32/44.1/48 kHz: average blocks of samples (a low-pass) and keep one
        usable = len(samples) - len(samples) % factor
        samples = samples[:usable].reshape(-1, factor).mean(axis=1).astype(np.int16)
        rate //= factor
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format="FLAC", subtype="PCM_16")
    return Part(speaker, out.getvalue(), f"{stem}-{speaker}.flac")
