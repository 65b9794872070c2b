"""Fixtures for the classifier tests: a loopback OpenAI server and a memory keyring."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.classify.fake_openai import FakeOpenAI, running_fake_openai
from tests.keyring_memory import memory_keyring_fixture, no_keyring_fixture  # noqa: F401


@pytest.fixture(autouse=True)
def no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK reads OPENAI_* variables, its HTTP client the proxy ones; a
    developer's own must not leak in, nor send loopback requests to a proxy."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fresh OpenAI-compatible server on 127.0.0.1, stopped after the test."""
    with running_fake_openai() as server:
        yield server
