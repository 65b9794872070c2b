"""`scl serve` for real: demo data in the test's own directory, a free loopback port,
and a server that is always stopped, even when a test fails."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import SCL
from tests.serve.browser import chromium_context, need_chromium

START_SECONDS = 60  # a loaded 2-core CI starts Python, SQLite and aiohttp slowly
DEMO_SECONDS = 180


@dataclass
class Served:
    port: int
    process: subprocess.Popen[str]
    db_url: str
    config: Path  # the file every tab's app process reads
    output: Path  # what the server printed

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    done = subprocess.run(
        [str(SCL), "--db", url, "demo", "--no-open"],
        capture_output=True,
        text=True,
        timeout=DEMO_SECONDS,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return url


@pytest.fixture
def served(demo_url: str, tmp_path: Path) -> Iterator[Served]:
    """The agent's app in a browser (`scl --as agent serve`) on the demo data."""
    port = free_port()
    output = tmp_path / "serve.log"  # a file, not a pipe nobody empties while it runs
    with output.open("w") as sink:
        process = subprocess.Popen(
            [str(SCL), "--db", demo_url, "--as", "agent", "serve", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            env=os.environ.copy(),
            start_new_session=True,  # its tabs' app processes go with it
        )
    try:
        wait_for_port(port, process, output)
        yield Served(port, process, demo_url, Path(os.environ["SCL_CONFIG"]), output)
    finally:
        stop(process)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium with a fresh profile, closed with the test."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = chromium_context(playwright, tmp_path / "chromium-profile")
        try:
            yield context
        finally:
            context.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[str], output: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scl serve exited with {process.returncode}: {output.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"scl serve did not listen on port {port} within {START_SECONDS} s")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    # Tabs' app processes share its session: none outlives the test.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait(timeout=10)


def still_serving(served: Served) -> bool:
    if served.process.poll() is not None:
        return False
    try:
        with socket.create_connection(("127.0.0.1", served.port), timeout=5):
            return True
    except OSError:
        return False
