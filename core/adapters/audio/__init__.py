"""Call recordings: decoding (WAV PCM, mu-law, A-law, MP3) and playback through PortAudio."""

from core.adapters.audio.decode import Clip, decode
from core.adapters.audio.errors import (
    AudioError,
    NoOutputDevice,
    PortAudioMissing,
    RecordingUnreadable,
)
from core.adapters.audio.player import SPEEDS, Player, PlayerState

__all__ = [
    "SPEEDS",
    "AudioError",
    "Clip",
    "NoOutputDevice",
    "Player",
    "PlayerState",
    "PortAudioMissing",
    "RecordingUnreadable",
    "decode",
]
