"""Why a recording cannot be played: each says so in one line fit for the review pane."""

from __future__ import annotations

from core.errors import SclError


class AudioError(SclError):
    title = "Cannot play the recording"


class RecordingUnreadable(AudioError):
    """The file is missing, empty, corrupt or in a format we cannot decode."""


class PortAudioMissing(AudioError):
    """PyAudio or the PortAudio library it wraps is not installed."""


class NoOutputDevice(AudioError):
    """PortAudio runs but this machine has no sound output it can open."""
