"""Plain mode while the agent reads, the real `scl --plain` through pipes: what others do
to the lead on screen arrives as lines at the prompt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import SCL

WAIT = 30.0  # generous: a loaded 2-core CI


class PlainProcess:
    """`scl --plain` with its stdin and stdout on pipes; what it said, collected as it
    comes (the prompt ends no line, so bytes are read, not lines)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.said = ""
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            with self._lock:
                self.said += chunk.decode("utf-8", errors="replace")

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def wait_for(self, text: str, after: int = 0) -> str:
        """All said so far, once `text` has been said (past position `after`)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self._lock:
                if text in self.said[after:]:
                    return self.said
            if self.process.poll() is not None and text not in self.said[after:]:
                self._reader.join(timeout=5)
                break
            time.sleep(0.02)
        raise AssertionError(f"never said {text!r}; said:\n{self.said[after:]}")

    def quit(self) -> None:
        if self.process.poll() is None:
            self.type("q")
        try:
            self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self._reader.join(timeout=5)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data, loaded once by the real `scl demo` (on today's clock). Module-scoped,
    it comes before the per-test isolation (tests/conftest.py), so it isolates itself:
    no config, data directory or keyring of the person running the tests."""
    home = tmp_path_factory.mktemp("plain")
    path = home / "demo.db"
    isolated = {
        **os.environ,
        "SCL_CONFIG": str(home / "config.toml"),
        "SCL_DATA_DIR": str(home / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TZ": "UTC",
    }
    for name in ("SCL_DATABASE_URL", "SCL_CLASSIFIER", "SCL_THEME"):
        isolated.pop(name, None)
    done = subprocess.run(
        [str(SCL), "--db", f"sqlite:///{path}", "demo", "--no-open"],
        capture_output=True,
        text=True,
        timeout=120,
        env=isolated,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return path


@pytest.fixture
def db_url(demo_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "scl.db"
    shutil.copy(demo_db, copy)
    return f"sqlite:///{copy}"


def scl(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCL), "--db", url, *args], check=True, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def open_lead(db_url: str) -> Iterator[tuple[PlainProcess, int]]:
    """Plain mode on the newest open lead, its review read out to the end."""
    listed = scl(db_url, "--as", "agent", "leads", "--tab", "open", "--json").stdout
    lead = json.loads(listed.splitlines()[0])["lead_id"]
    env = {**os.environ, "SCL_REVIEW_IN_APP": "false", "SCL_PLAIN": "1", "LANG": "C.UTF-8"}
    plain = PlainProcess([str(SCL), "--db", db_url, "--as", "agent", "open", str(lead)], env)
    try:
        said = plain.wait_for(f"End of lead {lead}.")  # `scl open LEAD` reads it first
        plain.wait_for(f"lead {lead}> ", said.index(f"End of lead {lead}."))
        yield plain, lead
    finally:
        plain.quit()


def test_a_note_another_agent_adds_is_announced_at_the_prompt_literally(open_lead, db_url):
    plain, lead = open_lead
    mark = len(plain.said)
    scl(db_url, "--as", "admin", "note", str(lead), "Gate code 1234\x1b[2J\nback gate")
    news = plain.wait_for("Note on lead", mark).index("Note on lead", mark)
    # The prompt again, under the news: a write of its own, so waited for too.
    said = plain.wait_for(f"lead {lead}> ", news)[mark:]
    assert f"Note on lead {lead} by Pat Okafor: Gate code 1234\u241b[2J\u240aback gate\n" in said
    assert said.endswith(f"lead {lead}> ")


def test_the_agents_own_note_is_not_announced_as_news(open_lead, db_url):
    plain, lead = open_lead
    plain.type("n Call after 3pm")
    plain.type("1")
    mark = len(plain.wait_for(f"Note saved on lead {lead}."))
    # Events are told in order: once a later note is announced, ours has been seen.
    scl(db_url, "--as", "admin", "note", str(lead), "Checked the schedule")
    said = plain.wait_for("Note on lead", mark)[mark:]
    assert f"Note on lead {lead} by Pat Okafor: Checked the schedule" in said
    assert "Call after 3pm" not in said


def test_a_note_with_line_breaks_is_one_line_when_the_lead_is_read_again(open_lead, db_url):
    plain, lead = open_lead
    mark = len(plain.said)
    scl(db_url, "--as", "admin", "note", str(lead), "first line\nsecond line")
    plain.wait_for("Note on lead", mark)
    mark = len(plain.said)
    plain.type("")  # Enter: the lead again, with the note
    said = plain.wait_for(f"End of lead {lead}.", mark)[mark:]
    noted = [line for line in said.splitlines() if "first line" in line]
    assert len(noted) == 1 and noted[0].endswith(", Pat Okafor: first line\u240asecond line")
    assert "Notes: 1." in said
