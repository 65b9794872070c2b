"""Run the real `scl` command in a subprocess, as outside scripts do."""

from __future__ import annotations

import os
import pwd
import shutil
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
    allow_test_runner(ctx)
    return url, ctx


def allow_test_runner(ctx: ServiceContext) -> None:
    """The tests run commands `--as` the seeded employees: the OS account running them
    is listed like a service account (root may anyway; a CI account may not)."""
    from core.services.identity import allow_by_setup

    allow_by_setup(ctx)


@dataclass
class PlainUser:
    """Runs `scl` as an OS account that is not root, as a person on a shared host is.

    Under root (CI containers) the command runs in a new user namespace, where its uid
    is 65534 (`nobody`) and it has no privilege; otherwise as the test's own account.
    """

    name: str
    prefix: list[str]

    def run(self, *args: str, env: dict[str, str] | None = None) -> Ran:
        done = subprocess.run(
            [*self.prefix, str(SCL), *args],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        return Ran(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def plain_user() -> PlainUser:
    if os.geteuid() != 0:
        return PlainUser(pwd.getpwuid(os.geteuid()).pw_name, [])
    unshare = shutil.which("unshare")
    prefix = [unshare, "--user", "--map-user=65534"] if unshare else []
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import os; print(os.geteuid())"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if not prefix or probe.returncode != 0 or probe.stdout.strip() != "65534":
        pytest.skip("running as root and cannot start a process as another uid (unshare)")
    return PlainUser(pwd.getpwuid(65534).pw_name, prefix)
