"""Run the real `scl` command in a subprocess, as outside scripts do."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.clock import SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext

SCL = Path(sys.executable).with_name("scl")


@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def scl(tmp_path: Path):
    """`scl(*args)` runs the command with the test's isolated environment."""

    def run(*args: str, stdin: str | None = None) -> Ran:
        done = subprocess.run(
            [str(SCL), *args],
            capture_output=True,
            text=True,
            timeout=60,
            input=stdin,
            env=os.environ.copy(),
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[str, ServiceContext]:
    """A SQLite file with people and one lead flagged just now, and its URL for --db.

    The command runs on the real clock, so the seed does too.
    """
    from tests.builders import add_lead, seed_people

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ctx = ServiceContext(open_database(url), SystemClock())
    seed_people(ctx)
    add_lead(ctx)
    return url, ctx
