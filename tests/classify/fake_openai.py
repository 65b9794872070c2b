"""A loopback server speaking just enough of the OpenAI chat-completions API.

The classifier is tested with the real `openai` SDK over real HTTP, so its
retries, timeouts and headers are the SDK's own. This server answers
POST /v1/chat/completions from a script of behaviours, one per request; when
the script runs out, the last behaviour repeats (so `script(http_error(500))`
means "500 for ever"). It records every request it received.

The server's scaffolding (loopback, thread, script, stop) is tests/loopback_server.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests import loopback_server
from tests.loopback_server import Exchange, ScriptedServer


@dataclass(frozen=True)
class Behaviour(loopback_server.Behaviour):
    """How the server answers one request."""

    content: str | None = None  # the assistant message content, for a 200
    error: str = ""  # the error message, for a non-200


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


class FakeOpenAI(ScriptedServer[Behaviour]):
    """The server; use `running_fake_openai()` so that it is always stopped."""

    def __init__(self) -> None:
        super().__init__(answer())

    @property
    def requests(self) -> list[Received]:
        return self.received

    def answer(self, exchange: Exchange) -> None:
        received = Received(
            path=exchange.path,
            headers={name.lower(): value for name, value in exchange.headers.items()},
            body=json.loads(exchange.body() or b"{}"),
        )
        if exchange.path != "/v1/chat/completions":
            exchange.send_error_json(404, f"no route {exchange.path}")
            return
        behaviour = self.next_behaviour(received)
        if self.stalled(behaviour):
            return
        if behaviour.status != 200:
            exchange.send_error_json(behaviour.status, behaviour.error, behaviour.headers)
            return
        exchange.send_json(200, _completion(received.body.get("model"), behaviour.content))


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
