"""The call's recording in plain mode, the real `scl --plain` through pipes, its sound
going to the tests' sound card (ALSA's file device, tests/asound.conf): the app's
player keys, one line per change, one line when it cannot play."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.clock import SystemClock
from core.db.engine import open_database
from core.domain.statuses import Tab
from core.services.context import ServiceContext
from core.services.leads import get_review, list_leads
from core.services.recordings import is_remote
from tests.audio.conftest import no_sound_card, sound_card  # noqa: F401 (fixtures)
from tests.audio.soundcard import SoundCard
from tests.cli.conftest import SCL
from tests.e2e.test_plain_live import PlainProcess, db_url, demo_db  # noqa: F401 (fixtures)

RATE_BYTES = 8000 * 2  # the demo recordings reach the card as 8 kHz 16-bit mono


def lead_with_a_recording(url: str) -> tuple[int, float]:
    """An open lead whose recording is a file here, and its length in seconds."""
    from core.adapters.audio import decode
    from core.services.recordings import find_recording

    ctx = ServiceContext(open_database(url), SystemClock())
    try:
        for row in list_leads(ctx, "agent", Tab.OPEN, None, limit=50).rows:
            review = get_review(ctx, "agent", row.lead_id)
            if review.recording and not is_remote(review.recording):
                return row.lead_id, decode(find_recording(ctx, review.recording)).seconds
    finally:
        ctx.db.dispose()
    raise AssertionError("no open demo lead has a recording file")


def started(url: str, lead: int, env: dict[str, str] | None = None) -> PlainProcess:
    env = {
        **os.environ,
        "SCL_REVIEW_IN_APP": "false",
        "SCL_PLAIN": "1",
        "LANG": "C.UTF-8",
        **(env or {}),
    }
    plain = PlainProcess([str(SCL), "--db", url, "--as", "agent", "open", str(lead)], env)
    said = plain.wait_for(f"End of lead {lead}.")
    plain.wait_for(f"lead {lead}> ", said.index(f"End of lead {lead}."))
    return plain


@pytest.fixture
def on_a_recording(db_url: str) -> Iterator[tuple[str, int, float]]:  # noqa: F811
    lead, seconds = lead_with_a_recording(db_url)
    yield db_url, lead, seconds


def said_after(plain: PlainProcess, typed: str, answer: str) -> str:
    """Type a line; the first line of the answer that starts with `answer`."""
    mark = len(plain.said)
    plain.type(typed)
    said = plain.wait_for(answer, mark)[mark:]
    return next(line for line in said.splitlines() if answer in line)


def mm_ss(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


def test_space_plays_and_pauses_and_the_comma_and_full_stop_seek_each_said_in_a_line(
    on_a_recording,
    sound_card: SoundCard,  # noqa: F811
):
    url, lead, seconds = on_a_recording
    length = mm_ss(seconds)
    plain = started(url, lead)
    try:
        assert said_after(plain, " ", "Playing") == f"Playing 00:00 of {length}."
        assert sound_card.wait_for_bytes(RATE_BYTES // 4, 30)  # the sound reaches the card
        paused = said_after(plain, " ", "Paused")
        found = re.fullmatch(r"Paused at 00:([0-3][0-9])\.", paused)  # a loaded CI: later
        assert found, paused
        at = int(found.group(1))
        assert sound_card.wait_until_quiet()
        # (The device may take one more block after the pause: a second boundary apart.)
        forward = said_after(plain, ".", "Paused")
        assert forward in (f"Paused at {mm_ss(at + n)} of {length}." for n in (5, 6)), forward
        back = mm_ss(int(forward[13:15]) - 5)
        assert said_after(plain, ",", "Paused") == f"Paused at {back} of {length}."
        assert said_after(plain, "play", "Playing") == f"Playing {back} of {length}."
        assert said_after(plain, "stop", "Stopped").startswith("Stopped at 00:")
        assert said_after(plain, " ", "Playing") == f"Playing 00:00 of {length}."
        # Another lead: this recording stops, as in the app.
        assert said_after(plain, "j", "stopped") == f"The recording of lead {lead} stopped."
    finally:
        plain.quit()
    assert plain.process.returncode == 0
    assert "Traceback" not in plain.said


def test_a_recording_played_to_its_end_says_so_at_the_prompt(
    on_a_recording,
    sound_card: SoundCard,  # noqa: F811
):
    url, lead, seconds = on_a_recording
    plain = started(url, lead)
    try:
        for _ in range(int(seconds // 5)):  # to the last few seconds
            plain.type(".")
        near = int(seconds // 5) * 5
        said_after(plain, "", f"Paused at {mm_ss(near)} of")
        said_after(plain, " ", "Playing")
        mark = len(plain.said)
        news = plain.wait_for("Finished at", mark).index("Finished at", mark)
        # The prompt again, under the news: a write of its own, so waited for too.
        said = plain.wait_for(f"lead {lead}> ", news)[mark:]
        assert f"Finished at {mm_ss(seconds)}." in said
        assert said.endswith(f"lead {lead}> ")
    finally:
        plain.quit()


def test_no_sound_device_is_one_line_and_plain_mode_goes_on(
    on_a_recording,
    no_sound_card,  # noqa: F811
):
    url, lead, _ = on_a_recording
    plain = started(url, lead)
    try:
        line = said_after(plain, " ", "Cannot play")
        assert line == (
            "Cannot play the recording: No sound output device here (no sound card, or over SSH)"
        )
        said_after(plain, "l", "Open tab, all statuses")  # still answering
    finally:
        plain.quit()
    assert "Traceback" not in plain.said + plain.process.stderr.read().decode()


def test_without_the_audio_extra_playing_is_one_line(on_a_recording, tmp_path: Path):
    url, lead, _ = on_a_recording
    blocker = tmp_path / "not-installed" / "pyaudio"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'pyaudio'\", name='pyaudio')\n"
    )
    plain = started(url, lead, {"PYTHONPATH": str(blocker.parent)})
    try:
        line = said_after(plain, " ", "Cannot play")
        assert line.startswith("Cannot play audio: PortAudio/PyAudio is not installed;")
    finally:
        plain.quit()
