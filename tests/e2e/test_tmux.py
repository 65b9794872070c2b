"""The real `scl` process in tmux: keys in, screen and database checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
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
            timeout=30,
            check=True,
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", "scl", key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "scl")

    def wait_for(self, text: str, seconds: float = 60) -> str:  # a loaded CI: generous
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

    def wait_until(self, check: Callable[[str], bool], what: str, seconds: float = 60) -> str:
        """The screen once `check` holds for it: a line and the prompt drawn after it
        can be two writes, so a capture may fall between them."""
        deadline = time.monotonic() + seconds
        while not check(shown := self.screen()):
            assert time.monotonic() < deadline, f"{what}; the screen:\n{shown}"
            time.sleep(0.2)
        return shown


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
    yield from tmux_running(f"{SCL} --db {seeded_url} --as agent", monkeypatch)


def tmux_running(command: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tmux]:
    monkeypatch.setenv("SCL_REVIEW_IN_APP", "false")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("LANG", "C.UTF-8")  # control pictures (␛) show as themselves
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
        command,
    )
    # The pane stays when scl exits, so its last words ("Goodbye.") can still be read.
    session.run("set-option", "-t", "scl", "remain-on-exit", "on")
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
    second_phone = display(before[second]["customer_phone"])
    wait_until(lambda: reviewed_phone(tmux.screen()) == second_phone, "no second review")
    tmux.wait_for("AI-generated, not reviewed by a person")
    tmux.keys("/", "t", "h", "e", "Enter")
    assert " matches for 'the'" in tmux.wait_for("matches for")
    tmux.keys("Escape", "k")  # back to the first lead
    first_phone = display(before[first]["customer_phone"])
    wait_until(lambda: reviewed_phone(tmux.screen()) == first_phone, "no first review again")

    tmux.keys("d")
    tmux.wait_for("Dismiss this lead: why?")
    tmux.keys("1")
    tmux.wait_for(f"Open ({len(open_leads) - 1})")
    # The counts and the table are read by two workers: the count can come first, with
    # the cursor still on the dismissed lead. The next lead's review means the table's.
    wait_until(lambda: reviewed_phone(tmux.screen()) == second_phone, "the cursor stayed")

    tmux.keys("c")  # the cursor moved on to the next lead: call it back
    # What stays on screen, not the toast: a toast can come and go between two captures
    # of a loaded machine.
    wait_until(
        lambda: (
            reviewed_phone(shown := tmux.screen()) == second_phone
            and "Status: Call back attempted" in shown
        ),
        "the review never showed the call back",
    )
    deadline = time.monotonic() + 20
    while leads(seeded_url)[second]["status"] != "callback-attempted":
        assert time.monotonic() < deadline, "the call back never reached the database"
        time.sleep(0.3)

    after = leads(seeded_url)
    assert after[first]["status"] == "not-a-lead" and after[first]["tab"] == "done"
    assert after[third]["status"] == before[third]["status"]
    shown = tmux.wait_for(f"Done ({sum(r['tab'] == 'done' for r in after.values())})")
    phone = display(after[second]["customer_phone"])
    row = next(line for line in shown.splitlines() if line.lstrip().startswith(phone))
    assert "Call back attempted" in row  # the status column, whole beside the review

    tmux.keys("q")


EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "calls.jsonl"


def new_calls(path: Path, *calls: tuple[str, str, str]) -> Path:
    """Exported calls (external id, phone, speaker label of the caller) that the review
    worker flags: the example's caller with warm air who will call back, an hour ago."""
    template = json.loads(EXAMPLE.read_text().splitlines()[0])
    ended = datetime.now(UTC) - timedelta(hours=1)
    lines = []
    for external_id, phone, speaker in calls:
        call = dict(template, external_id=external_id, customer_phone=phone)
        call["started_at"] = (ended - timedelta(minutes=5)).isoformat()
        call["ended_at"] = ended.isoformat()
        call["transcript"] = [
            dict(s, speaker=speaker if s["speaker"] == "customer" else s["speaker"])
            for s in template["transcript"]
        ]
        lines.append(json.dumps(call))
    path.write_text("\n".join(lines) + "\n")
    return path


def scl(url: str, *args: str) -> None:
    """Another process: an import, a worker."""
    done = subprocess.run(
        [str(SCL), "--db", url, "--as", "admin", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def reviewed_phone(shown: str) -> str | None:
    """The phone at the top of the review pane (the right of the screen, past its border)."""
    for line in shown.splitlines():
        if "│" in line:
            pane = line.split("│", 1)[1].strip()
            if pane.startswith("(") and ")" in pane:
                return pane[: pane.index(")") + 10]
    return None


def wait_until(check, what: str, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


@pytest.fixture
def flagged_elsewhere(seeded_url: str, tmp_path: Path) -> int:
    """A lead whose caller's speaker label asks the terminal for its attributes (DA):
    a terminal that printed it raw would type its answer into the app (…c: Call back)."""
    scl(
        seeded_url,
        "import",
        str(new_calls(tmp_path / "da.jsonl", ("E2E-DA", "+15125550188", "customer\x1b[c"))),
    )
    scl(seeded_url, "worker", "--once")
    return next(r["lead_id"] for r in leads(seeded_url).values() if r["external_id"] == "E2E-DA")


def test_a_speaker_label_asking_the_terminal_for_its_attributes_types_nothing(
    flagged_elsewhere, tmux, seeded_url
):
    shown = tmux.wait_for("customer␛[c")  # the newest lead's review, opened at once
    assert "\x1b" not in shown
    # A terminal's answer comes before any key typed after the screen showed it: once
    # this key has opened the filter box, any answer has been read and acted on.
    tmux.keys("f")
    shown = tmux.wait_for("Filter by phone, CSR or text")
    assert leads(seeded_url)[flagged_elsewhere]["status"] == "new"
    assert "customer␛[c" in shown and "Binding id" not in shown  # no help screen either


def test_new_leads_from_another_process_leave_the_selected_lead_under_review(
    tmux, seeded_url, tmp_path
):
    open_leads = sorted(
        (r for r in leads(seeded_url).values() if r["tab"] == "open"),
        key=lambda r: (r["flagged_at"], r["lead_id"]),
        reverse=True,
    )
    chosen = display(open_leads[2]["customer_phone"])
    tmux.wait_for(f"Open ({len(open_leads)})")
    tmux.keys("j", "j")
    wait_until(lambda: reviewed_phone(tmux.screen()) == chosen, f"{chosen} never reviewed")

    calls = (("E2E-NEW-1", "+15125550191", "customer"), ("E2E-NEW-2", "+15125550192", "customer"))
    scl(seeded_url, "import", str(new_calls(tmp_path / "new.jsonl", *calls)))
    scl(seeded_url, "worker", "--once")
    tmux.wait_for(f"Open ({len(open_leads) + 2})")  # the app has read the new leads
    tmux.wait_for("(512) 555-0191")
    assert reviewed_phone(tmux.screen()) == chosen


@pytest.fixture
def tmux_exit(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tmux]:
    """The app in a shell that prints its exit code when it ends (the pane stays). The
    app draws on stderr: what it prints on the way out (a traceback) stays on screen."""
    command = f"sh -c '{SCL} --db {seeded_url} --as agent; echo exit code $?; sleep 600'"
    yield from tmux_running(command, monkeypatch)


@pytest.mark.parametrize("keys", ["qb", "qm", "qn"])
def test_a_key_typed_with_q_in_one_burst_leaves_without_a_traceback(tmux_exit, keys):
    tmux_exit.wait_for("AI-generated, not reviewed by a person")
    tmux_exit.run("send-keys", "-t", "scl", keys)  # one write: the app reads both at once
    shown = tmux_exit.wait_for("exit code")
    history = tmux_exit.run("capture-pane", "-p", "-t", "scl", "-S", "-1000")
    assert "Traceback" not in history and "NoMatches" not in history, history
    assert "exit code 0" in shown
