"""A loopback server speaking OpenAI's audio-transcription API, as the tests need it.

POST /v1/audio/transcriptions takes the SDK's multipart upload (model, file,
response_format, timestamp_granularities[]), decodes the uploaded audio with libsndfile
and answers verbose JSON whose segments are the stretches of speech it finds in that
audio (by loudness, 20 ms frames): their times come from the audio itself. For the
words it "recognises" each stretch as the line of its phrase book whose spoken length
is nearest, so it needs no model and no answer written per test.

Like tests/classify/fake_openai.py it follows a script of behaviours (answer, an HTTP
error, a stall past the client's timeout), the last one repeating, and records each
request, on the scaffolding of tests/loopback_server.py.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import soundfile

from tests.loopback_server import Behaviour, Exchange, ScriptedServer

FRAME = 0.02  # seconds
LOUD = 300  # RMS of a frame with speech in it (of 32767)
GAP = 0.5  # a pause shorter than this is inside one stretch of speech
SHORTEST = 0.15  # a click, not speech


OK = Behaviour()


def http_error(status: int) -> Behaviour:
    """An error answer asking for an immediate retry (the SDK honours Retry-After)."""
    return Behaviour(status=status, headers={"retry-after": "0", "retry-after-ms": "10"})


def stall(seconds: float) -> Behaviour:
    return Behaviour(delay=seconds)


@dataclass(frozen=True)
class Upload:
    """One request as the server saw it."""

    fields: dict[str, list[str]]
    filename: str
    channels: int
    seconds: float
    authorization: str


class FakeWhisper(ScriptedServer[Behaviour]):
    def __init__(self, phrases: dict[str, float] | None = None) -> None:
        super().__init__(OK)
        self.phrases = dict(phrases or {})

    @property
    def uploads(self) -> list[Upload]:
        return self.received

    def answer(self, exchange: Exchange) -> None:
        body = exchange.body()
        if exchange.path != "/v1/audio/transcriptions":
            exchange.send_error_json(404, f"no route {exchange.path}")
            return
        fields, files = _multipart(exchange.headers.get("content-type", ""), body)
        name, audio = files.get("file", ("", b""))
        try:
            samples, rate = soundfile.read(io.BytesIO(audio), dtype="int16", always_2d=True)
        except (soundfile.LibsndfileError, RuntimeError) as error:
            exchange.send_error_json(400, f"Invalid file: {error}")
            return
        upload = Upload(
            fields,
            name,
            samples.shape[1],
            samples.shape[0] / rate,
            exchange.headers.get("authorization", ""),
        )
        behaviour = self.next_behaviour(upload)
        if self.stalled(behaviour):
            return
        if behaviour.status != 200:
            exchange.send_error_json(behaviour.status, "scripted failure", behaviour.headers)
            return
        exchange.send_json(200, self.transcribe(samples.mean(axis=1).astype(np.int16), rate))

    def transcribe(self, samples: np.ndarray, rate: int) -> dict[str, Any]:
        """Verbose JSON for mono int16 samples: one segment per stretch of speech."""
        segments = []
        for index, (start, end) in enumerate(stretches(samples, rate)):
            segments.append(
                {
                    "id": index,
                    "seek": 0,
                    "start": round(start, 2),
                    "end": round(end, 2),
                    "text": " " + self._recognise(end - start),
                    "tokens": [],
                    "temperature": 0.0,
                    "avg_logprob": -0.2,
                    "compression_ratio": 1.2,
                    "no_speech_prob": 0.01,
                }
            )
        return {
            "task": "transcribe",
            "language": "english",
            "duration": len(samples) / rate,
            "text": "".join(s["text"] for s in segments).strip(),
            "segments": segments,
        }

    def _recognise(self, seconds: float) -> str:
        if not self.phrases:
            return f"({seconds:.1f} seconds of speech)"
        return min(self.phrases, key=lambda text: abs(self.phrases[text] - seconds))


def stretches(samples: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """(start, end) seconds of each stretch of speech."""
    size = int(rate * FRAME)
    frames = len(samples) // size
    if frames == 0:
        return []
    blocks = samples[: frames * size].astype(np.float64).reshape(frames, size)
    loud = np.sqrt((blocks**2).mean(axis=1)) > LOUD
    found: list[list[float]] = []
    for index in np.flatnonzero(loud):
        start, end = index * FRAME, (index + 1) * FRAME
        if found and start - found[-1][1] < GAP:
            found[-1][1] = end
        else:
            found.append([start, end])
    return [(start, end) for start, end in found if end - start >= SHORTEST]


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, list[str]], dict]:
    """The form's text fields (a list each: arrays repeat) and its files."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = (part.get_filename(), payload)
        else:
            fields.setdefault(name, []).append(payload.decode())
    return fields, files


@contextmanager
def running_fake_whisper(phrases: dict[str, float] | None = None) -> Iterator[FakeWhisper]:
    server = FakeWhisper(phrases)
    server.start()
    try:
        yield server
    finally:
        server.stop()
