"""Real speech for transcription tests: espeak-ng says each line, in a voice per side.

A conversation is laid out on a timeline; stereo puts the agent on the left channel and
the caller on the right (as phone systems record), mono mixes both. Each utterance is
trimmed of espeak's own leading and trailing silence, so where it lies on the timeline
is exactly where the speech is: the expected segment times are facts of the file.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile

RATE = 22_050  # espeak-ng's own rate
VOICES = {"agent": "en-us", "customer": "en-gb+f3"}
QUIET = 200  # of 32767: below this a sample is silence, for trimming


def need_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        reason = "espeak-ng is not installed (scripts/system-deps.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it: a skip there would hide a broken step
        pytest.skip(reason)


@functools.cache
def speak(text: str, voice: str) -> np.ndarray:
    """int16 samples of `text` in `voice`, trimmed of silence at both ends."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "165", "--stdout", text],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="int16")
    assert rate == RATE
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > QUIET)
    return samples[loud[0] : loud[-1] + 1]


@dataclass(frozen=True)
class Turn:
    speaker: str  # "agent" or "customer"
    at: float  # seconds from the start of the recording
    text: str


@dataclass(frozen=True)
class Spoken:
    speaker: str
    start: float
    end: float
    text: str


def seconds_of(turn: Turn) -> float:
    return len(speak(turn.text, VOICES[turn.speaker])) / RATE


def record(path: Path, turns: list[Turn], *, stereo: bool, tail: float = 0.5) -> list[Spoken]:
    """Write the conversation to `path` (WAV, 16-bit); what was said when, in time order."""
    length = max(turn.at + seconds_of(turn) for turn in turns) + tail
    audio = np.zeros((int(length * RATE) + 1, 2), dtype=np.int32)
    spoken = []
    for turn in turns:
        samples = speak(turn.text, VOICES[turn.speaker])
        first = round(turn.at * RATE)
        channel = 0 if turn.speaker == "agent" else 1
        audio[first : first + len(samples), channel] += samples
        spoken.append(Spoken(turn.speaker, turn.at, turn.at + len(samples) / RATE, turn.text))
    if stereo:
        soundfile.write(path, audio.clip(-32768, 32767).astype(np.int16), RATE, subtype="PCM_16")
    else:
        mono = audio.sum(axis=1).clip(-32768, 32767).astype(np.int16)
        soundfile.write(path, mono, RATE, subtype="PCM_16")
    return sorted(spoken, key=lambda s: s.start)


def phrase_book(turns: list[Turn]) -> dict[str, float]:
    """What the fake server may recognise: each line and how long it lasts when said."""
    return {turn.text: seconds_of(turn) for turn in turns}
