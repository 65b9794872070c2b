"""The recording player in the review pane, driven with Pilot on the demo data; the sound
goes through real PortAudio into the tests' sound card (tests/audio/soundcard.py)."""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from textual.widgets import Static

from core.db.models import Call
from core.services.recording_sources import allow_folder, allow_host
from scl_tui.app import SclApp
from scl_tui.widgets.player import PlayerWidget
from scl_tui.widgets.review_pane import ReviewPane
from scl_tui.widgets.transcript import TranscriptView
from tests.audio.soundcard import SoundCard, install_sound_card, remove_sound_cards
from tests.tui.conftest import SIZE, make_app, settle

PLAYER_KEYS = {"Play", "-5s", "+5s", "Speed", "Line", "Export"}
WAIT = 30.0  # seconds: every wait here is bounded, generously (a loaded 2-core CI)


@pytest.fixture
def sound_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoundCard]:
    card = install_sound_card(tmp_path, monkeypatch)
    yield card
    card.close()


@pytest.fixture(autouse=True)
def not_over_ssh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SSH_CONNECTION", "SSH_TTY", "PULSE_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCL_EXPORT_DIR", str(tmp_path / "exports"))


def player(app: SclApp) -> PlayerWidget:
    return app.screen.query_one(PlayerWidget)


def status(app: SclApp) -> str:
    return str(app.screen.query_one("#player-status", Static).render())


def note(app: SclApp) -> str:
    return str(app.screen.query_one("#player-note", Static).render())


def footer_keys(app: SclApp) -> set[str]:
    """The keys offered now (the footer shows Play; the others are in ? with it)."""
    return {a.binding.description for a in app.active_bindings.values() if a.enabled}


def player_threads() -> set[str]:
    return {t.name for t in threading.enumerate()} & {"scl-player", "scl-speeds"}


async def until(pilot, condition, timeout: float = WAIT) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)


def point_recordings_at(ctx, reference: str) -> None:  # type: ignore[no-untyped-def]
    """Every recorded demo call now names `reference` as its recording."""
    with ctx.db.transaction() as session:
        session.execute(update(Call).where(Call.recording.is_not(None)).values(recording=reference))


async def test_a_lead_with_a_recording_shows_the_player_and_its_keys(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert player(app).can_play
        assert status(app).startswith("■ Ready") and "00:00 / 0" in status(app)
        assert footer_keys(app) >= PLAYER_KEYS


async def test_space_plays_and_the_line_being_heard_is_highlighted(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        assert view.playing is None
        await pilot.press("space")
        await until(pilot, lambda: sound_card.byte_count() > 2 * 8000 * 2)  # two seconds
        await until(pilot, lambda: view.playing is not None)
        assert status(app).startswith("▶ Playing")
        await pilot.press("space")
        assert sound_card.wait_until_quiet()
        await pilot.pause(0.5)  # a tick or two of the player's clock
        assert status(app).startswith("⏸ Paused")
        position = player(app).position
        assert position > 2.0
        assert view.playing == view.segment_at(position)
        assert view.segments[view.playing].start <= position


async def test_full_stop_and_comma_move_five_seconds(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("full_stop", "full_stop")
        await pilot.pause(0.3)
        assert player(app).position == 10.0
        assert "00:10 /" in status(app)
        await pilot.press("comma")
        await pilot.pause(0.3)
        assert player(app).position == 5.0
        await pilot.press("space")  # plays from there
        await until(pilot, lambda: player(app).player is not None)
        assert 5.0 <= player(app).position < 10.0  # from where the keys put it, not the top


async def test_x_steps_the_speed_through_one_and_a_half_and_two(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause(0.3)
        assert "1.5×" in status(app)
        await pilot.press("x")
        await pilot.pause(0.3)
        assert "2×" in status(app)
        await pilot.press("space")
        await until(pilot, lambda: player(app).player is not None)
        assert player(app).player.state().speed == 2.0
        await pilot.press("x")
        await pilot.pause(0.3)
        assert player(app).speed == 1.0 and "1×" in status(app)


async def test_the_line_being_heard_is_kept_in_view(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        pane = app.screen.query_one(ReviewPane)
        last = view.segments[-1]
        player(app).jump_to(last.start + 0.1)
        await until(pilot, lambda: view.playing == last.index)
        await pilot.pause(0.2)
        top = view.virtual_region.y + view.line_of(last.index)
        height = pane.scrollable_content_region.height
        assert pane.scroll_y <= top < pane.scroll_y + height


async def test_t_plays_from_the_line_found_by_search(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        words = view.segments[3].text.split()[:3]
        await pilot.press("slash", *" ".join(words), "enter", "escape")
        await pilot.pause()
        assert view.selected == view.current_segment
        await pilot.press("t")
        await pilot.pause(0.3)
        assert player(app).position == view.segments[view.selected].start


async def test_a_click_selects_a_transcript_line(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        pane = app.screen.query_one(ReviewPane)
        pane.scroll_to_widget(view, animate=False, top=True)
        await pilot.pause()
        await pilot.click(TranscriptView, offset=(10, view.line_of(2)))
        assert view.selected == 2


async def test_choosing_another_lead_stops_the_recording(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = player(app).lead_id
        await pilot.press("space")
        await until(pilot, lambda: sound_card.byte_count() > 8000)
        await pilot.press("j")
        assert sound_card.wait_until_quiet()
        await settle(app, pilot)
        assert player(app).lead_id != first and player(app).player is None
        await until(pilot, lambda: not player_threads())


async def test_leaving_the_app_ends_playback_and_its_threads(demo_ctx, sound_card):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        await until(pilot, lambda: sound_card.byte_count() > 8000)
    deadline = time.monotonic() + WAIT
    while player_threads() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not player_threads()
    assert sound_card.wait_until_quiet()


# --- when it cannot play: one line in the pane, the app carries on --------------------


async def check_one_line_and_app_works(app: SclApp, pilot, expected: str) -> None:  # type: ignore[no-untyped-def]
    """The recording itself cannot be had: one line, no player keys, the app goes on."""
    await settle(app, pilot)
    line = status(app)
    assert expected in line and "\n" not in line, line
    assert not player(app).can_play and not (PLAYER_KEYS - {"Export"}) & footer_keys(app)
    await pilot.press("space")  # says why again, breaks nothing
    await pilot.press("j")
    await settle(app, pilot)
    assert expected in status(app)
    assert app.screen.query_one(ReviewPane).review is not None


async def check_play_fails_in_one_line(app: SclApp, pilot, expected: str) -> None:  # type: ignore[no-untyped-def]
    """The recording is there but cannot be heard: the line comes on play; export stays."""
    await settle(app, pilot)
    assert status(app).startswith("■ Ready")  # browsing leads never opens the device
    await pilot.press("space")
    await settle(app, pilot)
    line = status(app)
    assert expected in line and "\n" not in line, line
    assert "e exports the recording" in note(app) and "Export" in footer_keys(app)
    await pilot.press("j")
    await settle(app, pilot)
    assert status(app).startswith("■ Ready")
    assert app.screen.query_one(ReviewPane).review is not None


async def test_no_output_device_is_one_line(demo_ctx, tmp_path, monkeypatch):
    remove_sound_cards(tmp_path, monkeypatch)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_play_fails_in_one_line(app, pilot, "No sound output device here")


async def test_portaudio_missing_is_one_line(demo_ctx, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyaudio", None)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_play_fails_in_one_line(app, pilot, "PortAudio/PyAudio is not installed")


async def test_a_missing_file_is_one_line(demo_ctx, sound_card):
    point_recordings_at(demo_ctx, "recordings/not-there.wav")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_one_line_and_app_works(
            app, pilot, "Recording not found: recordings/not-there.wav"
        )
        assert "Export" not in footer_keys(app)


async def test_a_corrupt_file_is_one_line(demo_ctx, sound_card, tmp_path):
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"\x00not audio at all" * 64)
    point_recordings_at(demo_ctx, str(broken))
    allow_folder(demo_ctx, "admin", str(tmp_path))
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_one_line_and_app_works(app, pilot, "cannot be decoded: broken.mp3")


async def test_an_unreachable_url_is_one_line(demo_ctx, sound_card, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    point_recordings_at(demo_ctx, f"http://127.0.0.1:{port}/calls/1.wav")
    allow_host(demo_ctx, "admin", f"127.0.0.1:{port}", http=True, private=True)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space")  # a URL is fetched on play, not when the lead is shown
        await settle(app, pilot)
        line = status(app)
        assert f"Recording could not be downloaded from http://127.0.0.1:{port}" in line
        assert "\n" not in line and not player(app).can_play
        await pilot.press("j")
        await settle(app, pilot)
        assert status(app).startswith("Recording online")


# --- over SSH and in the browser ------------------------------------------------------


async def test_over_ssh_the_pane_says_so_and_e_exports_with_the_path_copied(
    demo_ctx, sound_card, monkeypatch, tmp_path
):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.5 50000 10.0.0.1 22")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Over SSH: the sound plays on the host" in note(app)
        await pilot.press("e")
        await settle(app, pilot)
        exported = list((tmp_path / "exports").iterdir())
        assert len(exported) == 1
        assert exported[0].read_bytes() == player(app).path.read_bytes()
        assert str(exported[0]) in note(app).replace("\n", "")
        assert app.clipboard == str(exported[0])


async def test_under_scl_serve_e_hands_the_recording_to_the_browser(
    demo_ctx, sound_card, monkeypatch
):
    delivered: list[tuple[Path, str | None]] = []
    monkeypatch.setattr(SclApp, "is_web", property(lambda app: True))
    monkeypatch.setattr(
        SclApp,
        "deliver_binary",
        lambda app, path, **options: delivered.append((path, options.get("save_filename"))),
    )
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "In the browser" in note(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert len(delivered) == 1 and delivered[0][0].is_file()
        assert "sent to your browser" in note(app).replace("\n", " ")


# --- how it looks ---------------------------------------------------------------------


def test_snapshot_of_the_player_paused_ten_seconds_in(snap_compare, demo_ctx):
    """You should see "⏸ Paused 00:10 / …  1×", the progress bar a little way in, the
    line spoken at 10 s highlighted in the transcript, and the player's keys in the footer."""
    app = make_app(demo_ctx)

    async def ten_seconds_in(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("full_stop", "full_stop")
        await pilot.pause(0.5)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(140, 40), run_before=ten_seconds_in)
