"""The player and imported recording references: nothing is fetched when a lead is only
shown, a refused reference is one line, and a slow server never holds up quitting."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from textual.widgets import Static

from core.db.models import Call
from core.services.recording_sources import allow_host
from scl_tui.app import SclApp
from scl_tui.widgets.player import PlayerWidget
from tests.audio.soundcard import SoundCard, install_sound_card
from tests.services.recording_server import TRICKLE_SECONDS, RecordingServer
from tests.tui.conftest import SIZE, make_app, settle

DEMO_WAV = Path(__file__).resolve().parents[2] / "data" / "demo" / "recordings"
WAIT = 30.0  # generous: a loaded 2-core CI
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[RecordingServer]:
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SCL_EXPORT_DIR", str(tmp_path / "exports"))
    running = RecordingServer()
    running.audio = next(DEMO_WAV.glob("*.wav")).read_bytes()
    yield running
    running.close()


@pytest.fixture
def sound_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoundCard]:
    card = install_sound_card(tmp_path, monkeypatch)
    yield card
    card.close()


def point_recordings_at(ctx, reference: str) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        session.execute(update(Call).where(Call.recording.is_not(None)).values(recording=reference))


def status(app: SclApp) -> str:
    return str(app.screen.query_one("#player-status", Static).render())


async def until(pilot, condition, timeout: float = WAIT) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)


async def test_showing_a_lead_fetches_nothing_and_space_downloads_and_plays(
    demo_ctx, server, sound_card
):
    point_recordings_at(demo_ctx, f"{server.base}/calls/PBX-1.wav")
    allow_host(demo_ctx, "admin", f"127.0.0.1:{server.port}", http=True, private=True)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # another lead shown: still nothing fetched
        await settle(app, pilot)
        assert server.requests == []
        assert status(app).startswith("Recording online: space downloads and plays it")
        await pilot.press("space")
        await until(pilot, lambda: status(app).startswith("▶ Playing"))
        assert server.requests == ["/calls/PBX-1.wav"]
        app.screen.query_one(PlayerWidget).toggle()


async def test_e_on_a_lead_not_yet_downloaded_downloads_and_exports_a_private_file(
    demo_ctx, server, tmp_path
):
    point_recordings_at(demo_ctx, f"{server.base}/calls/PBX-1.wav")
    allow_host(demo_ctx, "admin", f"127.0.0.1:{server.port}", http=True, private=True)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await until(
            pilot, lambda: (tmp_path / "exports").is_dir() and any((tmp_path / "exports").iterdir())
        )
        (exported,) = (tmp_path / "exports").iterdir()
        assert exported.read_bytes() == server.audio
        assert exported.stat().st_mode & 0o777 == 0o600
        assert server.requests == ["/calls/PBX-1.wav"]


async def test_a_host_not_listed_is_refused_in_one_line_on_play_without_a_request(demo_ctx, server):
    point_recordings_at(demo_ctx, f"{server.base}/calls/PBX-1.wav")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        await settle(app, pilot)
        line = status(app)
        assert line == f"host not on the recordings allow-list: 127.0.0.1:{server.port}"
        assert server.requests == []


async def test_a_path_outside_the_recordings_folders_is_refused_in_one_line(demo_ctx):
    point_recordings_at(demo_ctx, "/etc/passwd")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert status(app) == "recording outside the recordings folders: /etc/passwd"
        assert not app.screen.query_one(PlayerWidget).can_export


def test_a_server_that_trickles_never_holds_up_quitting(demo_ctx, server):
    """The real quit path, in a process of its own: leaving the app must end the process
    although the server sends a byte every 50 ms for 10 s."""
    point_recordings_at(demo_ctx, f"{server.base}/trickle")
    allow_host(demo_ctx, "admin", f"127.0.0.1:{server.port}", http=True, private=True)
    command = [sys.executable, "-m", "tests.tui.quit_while_downloading", str(demo_ctx.db.url)]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    ) as running:
        assert running.stdin is not None and running.stdout is not None
        watchdog = threading.Timer(180, running.kill)  # a hung app fails, never hangs the run
        watchdog.start()
        try:
            assert running.stdout.readline().strip() == "playing"
            # Quit once the download is under way (waited for, not timed).
            deadline = time.monotonic() + 60
            while server.requests != ["/trickle"]:
                assert time.monotonic() < deadline, f"no download started: {server.requests}"
                time.sleep(0.05)
            running.stdin.write("quit\n")
            running.stdin.flush()
            said = running.stdout.readline()
            asked = time.monotonic()
            running.wait(timeout=60)
            ended = time.monotonic()
        finally:
            watchdog.cancel()
    assert said.strip() == "asked to quit"
    assert ended - asked < TRICKLE_SECONDS / 2  # the server would hold it for TRICKLE_SECONDS
