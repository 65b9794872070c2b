"""A loopback server speaking just enough of the OpenAI chat-completions API.

The classifier is tested with the real `openai` SDK over real HTTP, so its
retries, timeouts and headers are the SDK's own. This server answers
POST /v1/chat/completions from a script of behaviours, one per request; when
the script runs out, the last behaviour repeats (so `script(http_error(500))`
means "500 for ever"). It records every request it received.

It listens on 127.0.0.1 only, on a free port, in a daemon thread; `stop()`
ends it, and also cuts short any `stall` still sleeping.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Behaviour:
    """How the server answers one request."""

    status: int = 200
    content: str | None = None  # the assistant message content, for a 200
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""  # the error message, for a non-200
    delay: float = 0.0  # seconds to wait before answering


def answer(**fields: Any) -> Behaviour:
    """A well-formed verdict; pass fields to change or add to the default one."""
    verdict: dict[str, Any] = {
        "lead": True,
        "confidence": 0.9,
        "reason": "Caller needs AC repair and will call back",
        "evidence": [1],
        "summary": "Dana called about a broken AC. She hung up to check her budget. Offer a visit.",
    }
    verdict.update(fields)
    return Behaviour(content=json.dumps(verdict))


def answer_without(*names: str) -> Behaviour:
    """A verdict lacking some required fields."""
    verdict = json.loads(answer().content or "{}")
    for name in names:
        verdict.pop(name)
    return Behaviour(content=json.dumps(verdict))


def raw_content(text: str) -> Behaviour:
    """The message content exactly as given (e.g. not JSON at all)."""
    return Behaviour(content=text)


def http_error(status: int, message: str = "scripted failure") -> Behaviour:
    """An OpenAI-style error answer. The Retry-After headers ask for an immediate
    retry (`retry-after: 0` alone would leave the SDK to its 0.5 s backoff)."""
    return Behaviour(
        status=status,
        error=message,
        headers={"retry-after": "0", "retry-after-ms": "10"},
    )


def stall(seconds: float) -> Behaviour:
    """Answer (well) only after `seconds`: longer than the client's timeout."""
    return Behaviour(content=answer().content, delay=seconds)


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any]

    @property
    def user_message(self) -> str:
        return next(m["content"] for m in self.body["messages"] if m["role"] == "user")


class FakeOpenAI:
    """The server; use `running_fake_openai()` so that it is always stopped."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._script: list[Behaviour] = [answer()]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Answer the next requests with these, in order; the last one repeats."""
        with self._lock:
            self._script = list(behaviours)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self, received: Received) -> Behaviour:
        with self._lock:
            self.requests.append(received)
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length)
                received = Received(
                    path=self.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=json.loads(raw or b"{}"),
                )
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                behaviour = fake._next(received)
                if behaviour.delay and fake._stopping.wait(behaviour.delay):
                    return
                if behaviour.status != 200:
                    body = {"error": {"message": behaviour.error, "type": "scripted"}}
                    self._send(behaviour.status, body, behaviour.headers)
                    return
                self._send(200, _completion(received.body.get("model"), behaviour.content))

            def _send(
                self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout); that is the point of a stall

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        return Handler


def _completion(model: str | None, content: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model or "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@contextmanager
def running_fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    try:
        yield server
    finally:
        server.stop()
