"""`scl serve`: the real command on a free loopback port, a browser's first two requests
(the page, then the websocket that starts the app), and a clean stop — all bounded."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from core.clock import SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from scl_tui.cli import cli  # the command group first: it registers the verb modules
from scl_tui.cli_serve import app_command, is_loopback
from tests.builders import seed_people
from tests.cli.conftest import SCL

START_SECONDS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    ctx = ServiceContext(open_database(url), SystemClock())
    seed_people(ctx)
    ctx.db.dispose()
    port = _free_port()
    server = subprocess.Popen(
        [str(SCL), "--db", url, "--as", "admin", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
        start_new_session=True,
    )
    try:
        _wait_for_port(port, server)
        yield port, server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def _wait_for_port(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            pytest.fail(f"scl serve exited with {server.returncode}: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"scl serve did not listen on port {port} within {START_SECONDS} s")


def test_serve_publishes_the_app_page_on_loopback(served):
    port, _ = served
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        page = response.read().decode()
        assert response.status == 200
    assert "Second Chance Leads" in page
    assert f"ws://127.0.0.1:{port}/ws" in page


def test_a_browser_session_starts_the_app_for_the_serving_employee(served):
    port, _ = served

    async def first_screen() -> str:
        seen = ""
        timeout = aiohttp.ClientTimeout(total=START_SECONDS)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.ws_connect(f"http://127.0.0.1:{port}/ws?width=120&height=30") as ws,
        ):
            await ws.send_json(["resize", {"width": 120, "height": 30}])
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data
                elif message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                # The admin has the permission: the leads screen, with its tabs.
                if "Second Chance Leads" in seen and "Open" in seen:
                    break
            await ws.close()
        return seen

    seen = asyncio.run(asyncio.wait_for(first_screen(), START_SECONDS))
    assert "Second Chance Leads" in seen, seen[-2000:]


def test_serve_is_a_verb_of_scl():
    assert "serve" in cli.commands


def test_the_app_command_names_the_employee_and_no_database_url():
    command = app_command("o'brien")
    assert "--as" in command and "'o'\"'\"'brien'" in command
    assert "sqlite" not in command and "postgresql" not in command


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_port_in_use_is_a_clear_setup_error(scl, seeded):
    url, _ = seeded
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = scl("--db", url, "--as", "admin", "serve", "--port", str(port))
    assert ran.code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in ran.err and "Traceback" not in ran.err
