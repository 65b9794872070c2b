"""`scl serve`: the real command on a free loopback port, a browser's first two requests
(the page, then the websocket that starts the app), and a clean stop — all bounded."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import click
import pytest

from core.clock import SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from scl_tui.cli import cli  # the command group first: it registers the verb modules
from scl_tui.cli.serve import ProxyRule, app_command, is_loopback, trusted_networks, visitor
from tests.builders import seed_people
from tests.cli.conftest import SCL, allow_test_runner

START_SECONDS = 60  # a loaded 2-core CI: scl serve, then an app process per session


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(tmp_path: Path, *options: str) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    ctx = ServiceContext(open_database(url), SystemClock())
    seed_people(ctx)
    allow_test_runner(ctx)
    ctx.db.dispose()
    port = _free_port()
    server = subprocess.Popen(
        [str(SCL), "--db", url, "--as", "admin", "serve", "--port", str(port), *options],
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


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    yield from _serve(tmp_path)


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """Behind a reverse proxy on this host: each visitor is its X-Remote-User."""
    yield from _serve(tmp_path, "--proxy-header", "X-Remote-User")


@pytest.fixture
def proxied_elsewhere(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """The proxy is another host: a request from loopback is not the proxy's."""
    yield from _serve(tmp_path, "--proxy-header", "X-Remote-User", "--trusted-proxy", "10.9.9.9")


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


async def _first_screen(port: int, headers: dict[str, str] | None = None) -> str:
    seen = ""
    timeout = aiohttp.ClientTimeout(total=START_SECONDS)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(
            f"http://127.0.0.1:{port}/ws?width=120&height=30", headers=headers
        ) as ws,
    ):
        await ws.send_json(["resize", {"width": 120, "height": 30}])
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                seen += message.data
            elif message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
            # The employee has the permission: the leads screen, with its tabs.
            if "Second Chance Leads" in seen and "Open" in seen:
                break
        await ws.close()
    return seen


def test_a_browser_session_starts_the_app_for_the_serving_employee(served):
    port, _ = served
    seen = asyncio.run(asyncio.wait_for(_first_screen(port), START_SECONDS))
    assert "Second Chance Leads" in seen, seen[-2000:]


def test_serve_is_a_verb_of_scl():
    assert "serve" in cli.list_commands(click.Context(cli))  # registered by name, lazily


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


# --- behind the reverse proxy: the employee from its header, and only from it ---------

RULE = ProxyRule("X-Remote-User", trusted_networks(["127.0.0.1", "::1"]))


def test_the_proxy_header_names_the_visitor_when_it_comes_from_the_proxy():
    found = visitor(RULE, "127.0.0.1", {"X-Remote-User": "agent"}, None)
    assert (found.login, found.refusal) == ("agent", None)


def test_the_proxy_header_from_any_other_address_is_not_believed():
    found = visitor(RULE, "10.1.2.3", {"X-Remote-User": "admin"}, None)
    assert found.login is None and "served only through the company's sign-in" in found.refusal


def test_a_request_from_the_proxy_without_the_header_is_refused():
    found = visitor(RULE, "::1", {}, None)
    assert found.login is None and "no X-Remote-User header" in found.refusal


def test_a_header_that_is_no_login_is_refused():
    found = visitor(RULE, "127.0.0.1", {"X-Remote-User": "a b; rm -rf"}, None)
    assert found.login is None and "cannot use" in found.refusal


def test_without_a_proxy_every_visitor_is_the_serving_employee():
    assert visitor(None, "127.0.0.1", {"X-Remote-User": "admin"}, "agent").login == "agent"


def _get(port: int, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_behind_the_proxy_the_page_needs_the_header(proxied):
    port, _ = proxied
    status, page = _get(port, {})
    assert status == 403 and "no X-Remote-User header" in page
    status, page = _get(port, {"X-Remote-User": "agent"})
    assert status == 200 and f"ws://127.0.0.1:{port}/ws" in page


def test_behind_the_proxy_a_login_that_is_no_employee_gets_a_refusal_page(proxied):
    port, _ = proxied
    status, page = _get(port, {"X-Remote-User": "mallory"})
    assert status == 403 and "is no employee" in page


def test_behind_the_proxy_a_websocket_without_the_header_starts_no_app(proxied):
    port, _ = proxied
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        asyncio.run(asyncio.wait_for(_first_screen(port), START_SECONDS))
    assert refused.value.status == 403


def test_behind_the_proxy_each_visitor_gets_the_app_as_the_named_employee(proxied):
    port, _ = proxied
    seen = asyncio.run(
        asyncio.wait_for(_first_screen(port, {"X-Remote-User": "agent"}), START_SECONDS)
    )
    assert "Second Chance Leads" in seen, seen[-2000:]


def test_the_header_from_an_address_that_is_not_the_proxy_is_refused(proxied_elsewhere):
    port, _ = proxied_elsewhere
    status, page = _get(port, {"X-Remote-User": "admin"})
    assert status == 403 and "served only through the company" in page


def test_without_a_proxy_serve_refuses_to_listen_beyond_loopback(scl, seeded):
    ran = scl("--db", seeded[0], "--as", "admin", "serve", "--host", "0.0.0.0")
    assert ran.code == 2 and "loopback only" in ran.err
