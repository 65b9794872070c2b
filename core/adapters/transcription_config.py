"""The `[transcription]` table of the config file: where recordings are transcribed."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TranscriptionConfig(BaseModel):
    base_url: str | None = None
    """Any server speaking OpenAI's audio-transcription API, e.g. a speaches
    (faster-whisper) server on this host: http://127.0.0.1:8000/v1; unset means OpenAI's
    own. Used only while an administrator has `transcribe` on (`scl settings`). Its key
    is the `transcription` secret, else the `openai` one; a local server needs none."""
    model: str = "whisper-1"
    """The speech-recognition model the server runs (speaches: e.g.
    Systran/faster-whisper-small)."""
    timeout_seconds: float = Field(300.0, gt=0, le=3600)
    """How long one recording's upload and transcription may take."""
    max_retries: int = Field(2, ge=0, le=10)
    """Retries of a 429, 5xx or timeout at once; after them the call waits, shown as
    "transcription delayed", and is tried again after a growing pause."""
    agent_channel: int = Field(0, ge=0, le=1)
    """In a two-channel recording, the agent's channel (0 left, 1 right); the other is
    the caller's."""
