"""The real `scl` process in tmux: keys in, screen and database checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.domain.phones import display_phone as display
from tests.cli.conftest import SCL

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One tmux server of our own (its own socket), so it runs with this test's env."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", "scl", key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "scl")

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                size = self.run("display", "-p", "-t", "scl", "#{window_width}x#{window_height}")
                raise AssertionError(
                    f"{text!r} never appeared; the {size.strip()} screen:\n{shown}"
                )
            time.sleep(0.2)


@pytest.fixture
def seeded_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    done = subprocess.run(
        [str(SCL), "--db", url, "demo", "--no-open"],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    return url


@pytest.fixture
def tmux(tmp_path: Path, seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tmux]:
    monkeypatch.setenv("SCL_REVIEW_IN_APP", "false")
    monkeypatch.setenv("TERM", "xterm-256color")
    # Textual takes COLUMNS and LINES over the terminal's own size; pytest sets them.
    monkeypatch.setenv("COLUMNS", "140")
    monkeypatch.setenv("LINES", "40")
    session = Tmux(f"scl-e2e-{os.getpid()}-{time.monotonic_ns()}")
    session.run(
        "new-session",
        "-d",
        "-s",
        "scl",
        "-x",
        "140",
        "-y",
        "40",
        f"{SCL} --db {seeded_url} --as agent",
    )
    try:
        yield session
    finally:
        subprocess.run(
            ["tmux", "-L", session.socket, "kill-server"],
            capture_output=True,
            timeout=10,
            check=False,
        )


def leads(url: str) -> dict[int, dict]:
    done = subprocess.run(
        [str(SCL), "--db", url, "--as", "agent", "leads", "--json", "--limit", "1000"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=os.environ.copy(),
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {row["lead_id"]: row for row in rows}


def test_an_agent_triages_from_the_keyboard_in_the_real_app(tmux, seeded_url):
    before = leads(seeded_url)
    open_leads = sorted(
        (r for r in before.values() if r["tab"] == "open"),
        key=lambda r: (r["flagged_at"], r["lead_id"]),
        reverse=True,
    )
    first, second, third = (r["lead_id"] for r in open_leads[:3])

    tmux.wait_for(f"Open ({len(open_leads)})")
    tmux.keys("j")  # open the second lead
    tmux.wait_for("AI-generated, not reviewed by a person")
    tmux.keys("/", "t", "h", "e", "Enter")
    assert " matches for 'the'" in tmux.wait_for("matches for")
    tmux.keys("Escape", "k")  # back to the first lead

    tmux.keys("d")
    tmux.wait_for("Dismiss this lead: why?")
    tmux.keys("1")
    tmux.wait_for(f"Open ({len(open_leads) - 1})")

    tmux.keys("c")  # the cursor moved on to the next lead: call it back
    deadline = time.monotonic() + 20
    while leads(seeded_url)[second]["status"] != "callback-attempted":
        assert time.monotonic() < deadline, "the call back never reached the database"
        time.sleep(0.3)

    after = leads(seeded_url)
    assert after[first]["status"] == "not-a-lead" and after[first]["tab"] == "done"
    assert after[third]["status"] == before[third]["status"]
    shown = tmux.wait_for(f"Done ({sum(r['tab'] == 'done' for r in after.values())})")
    phone = display(after[second]["customer_phone"])
    row = next(line for line in shown.splitlines() if phone in line)
    assert "Call back attempted" in row  # the status column, whole beside the review

    tmux.keys("q")
