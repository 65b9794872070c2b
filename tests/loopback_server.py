"""The scaffolding of a scripted loopback HTTP server, for fakes of JSON APIs.

A fake (tests/classify/fake_openai.py, tests/transcription/fake_whisper.py) says how it
reads a request and what it answers; this module does the rest: it listens on
127.0.0.1 only, on a free port, in a daemon thread; it answers from a script of
behaviours, one per request, the last one repeating (so `script(http_error(500))` means
"500 for ever"); it records what each request was; and `stop()` ends it, cutting short
any stall still waiting.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, TypeVar


@dataclass(frozen=True)
class Behaviour:
    """How the server answers one request; fakes add what a good answer holds."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


B = TypeVar("B", bound=Behaviour)


class Exchange(BaseHTTPRequestHandler):
    """One request: its body, and a JSON answer sent whether or not the client stayed."""

    server_of: ScriptedServer[Any]  # set on the subclass each server makes

    def do_POST(self) -> None:
        self.server_of.answer(self)

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length", "0")))

    def send_json(
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

    def send_error_json(
        self, status: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        """An OpenAI-style error body."""
        self.send_json(status, {"error": {"message": message, "type": "scripted"}}, headers)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


class ScriptedServer(Generic[B]):
    """Subclasses implement `answer(exchange)`; use them in a `with`-style helper so that
    the server is always stopped."""

    def __init__(self, first: B) -> None:
        self.received: list[Any] = []
        self._script: list[B] = [first]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        handler = type("Handler", (Exchange,), {"server_of": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *behaviours: B) -> None:
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

    def next_behaviour(self, received: Any) -> B:
        """Record the request; the behaviour that answers it."""
        with self._lock:
            self.received.append(received)
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    def stalled(self, behaviour: Behaviour) -> bool:
        """Wait out the behaviour's delay; True when the server stopped meanwhile (then
        nothing is to be sent)."""
        return bool(behaviour.delay) and self._stopping.wait(behaviour.delay)

    def answer(self, exchange: Exchange) -> None:
        raise NotImplementedError
