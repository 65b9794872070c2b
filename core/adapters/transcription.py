"""Speech to text through any server speaking OpenAI's audio-transcription API.

OpenAI itself, or a self-hosted server on the company's own machine (speaches /
faster-whisper-server, whisper.cpp's server, vLLM…): the official `openai` SDK's
`audio.transcriptions.create` asks for verbose JSON with segment timestamps. The SDK's
own retries (with backoff, honouring Retry-After) cover 429s, 5xx answers, timeouts
and dropped connections; what still fails is `TranscriptionDelayed` (the call waits
and is tried again). A server that refuses the audio itself (400, 413, 415, 422) gives
`TranscriptionRefused`: trying again would fail the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.adapters.transcription_config import TranscriptionConfig
from core.errors import SclError

SECRET_NAMES = ("transcription", "openai")
"""The key is the `transcription` secret, else the classifier's `openai` one."""
REFUSED_STATUSES = (400, 413, 415, 422)


class TranscriptionDelayed(SclError):
    """No transcript can be had now (the server failed or is unreachable): try later."""

    title = "Transcription delayed"


class TranscriptionRefused(SclError):
    """The server refused this recording's audio; trying again would not help."""

    title = "Recording cannot be transcribed"


@dataclass(frozen=True)
class Said:
    """One segment as the engine heard it, in seconds from the start of the audio."""

    start: float
    end: float
    text: str


class Transcriber(Protocol):
    engine: str  # what the transcript is marked with, e.g. "openai-compatible 127.0.0.1:8000"
    model: str

    def transcribe(self, audio: bytes, filename: str) -> list[Said]:
        """The audio's segments; TranscriptionDelayed or TranscriptionRefused."""
        ...


class OpenAITranscriber:
    """Transcriber backed by an OpenAI-compatible audio-transcription endpoint."""

    def __init__(self, config: TranscriptionConfig, api_key: str) -> None:
        self.config = config
        self.model = config.model
        self._api_key = api_key  # kept only to scrub it out of error messages
        import openai  # the SDK loads only when a recording is transcribed

        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=config.base_url,
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
        )
        self.engine = f"openai-compatible {self._host()}"

    @classmethod
    def from_config(cls, config: TranscriptionConfig) -> OpenAITranscriber:
        """With the key from the secret store; a self-hosted server may need none."""
        from core.adapters.secrets import SecretsError, get_secret

        try:
            key = next(filter(None, (get_secret(name) for name in SECRET_NAMES)), None)
        except SecretsError as error:
            if not config.base_url:
                raise TranscriptionDelayed(error.message) from None
            key = None  # a headless host without a keyring, and a local server
        if key:
            return cls(config, key)
        if config.base_url:
            return cls(config, "not-needed")  # the SDK insists on some key
        raise TranscriptionDelayed(
            "no key for OpenAI's transcription: run `scl secrets set transcription`, "
            "or set [transcription] base_url to a self-hosted server"
        )

    def close(self) -> None:
        self._client.close()

    def transcribe(self, audio: bytes, filename: str) -> list[Said]:
        import openai

        try:
            answer = self._client.audio.transcriptions.create(
                model=self.config.model,
                file=(filename, audio),
                response_format="verbose_json",
                timestamp_granularities=["segment"],
            )
        except openai.APITimeoutError:
            raise self._delayed(
                f"no answer from {self._host()} within {self.config.timeout_seconds:g} s"
            ) from None
        except openai.APIConnectionError as error:
            cause = f": {error.__cause__}" if error.__cause__ else ""
            raise self._delayed(f"cannot reach {self._host()}{cause}") from None
        except openai.APIStatusError as error:
            detail = error.body.get("message") if isinstance(error.body, dict) else None
            said = f"{self._host()} answered HTTP {error.status_code}" + (
                f": {detail}" if detail else ""
            )
            if error.status_code in REFUSED_STATUSES:
                raise TranscriptionRefused(self._scrub(said)) from None
            raise self._delayed(said) from None
        except openai.OpenAIError as error:
            raise self._delayed(f"the OpenAI SDK failed: {type(error).__name__}: {error}") from None
        return _segments(answer)

    def _delayed(self, reason: str) -> TranscriptionDelayed:
        return TranscriptionDelayed(self._scrub(reason))

    def _scrub(self, text: str) -> str:
        flat = " ".join(text.split())[:300]
        return flat.replace(self._api_key, "[key removed]") if self._api_key else flat

    def _host(self) -> str:
        url = self._client.base_url
        port = f":{url.port}" if url.port else ""
        return f"{url.host}{port}" if url.host else "the transcription endpoint"


def _segments(answer: object) -> list[Said]:
    """Segments with text, in time order; a server that gives only the text (no
    segments) yields one segment over the whole audio."""
    segments = getattr(answer, "segments", None)
    if segments:
        found = [
            Said(float(s.start), max(float(s.end), float(s.start)), " ".join(str(s.text).split()))
            for s in segments
        ]
    else:
        text = " ".join(str(getattr(answer, "text", "") or "").split())
        found = [Said(0.0, float(getattr(answer, "duration", 0.0) or 0.0), text)]
    return sorted((s for s in found if s.text), key=lambda s: (s.start, s.end))
