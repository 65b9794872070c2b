"""An agent's app needs no OpenAI key: with the OpenAI classifier configured and no key
within reach, the app opens, works, and says once that reviews are the worker's job."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from core.config import load_config
from scl_tui.app import SclApp
from scl_tui.in_app_review import REVIEWS_ELSEWHERE, in_app_reviewer
from scl_tui.screens.leads import LeadsScreen
from scl_tui.widgets.review_pane import ReviewPane
from tests.cli.conftest import SCL
from tests.e2e.test_tmux import Tmux
from tests.keyring_memory import no_keyring_fixture  # noqa: F401 - a fixture, found by name


@pytest.fixture(params=["empty keyring", "no keyring"])
def no_key_anywhere(request: pytest.FixtureRequest) -> None:
    """The agent's own keyring lacks the key, or the host has no keyring at all."""
    if request.param == "no keyring":
        request.getfixturevalue("no_keyring")


async def test_the_app_opens_and_works_with_openai_configured_and_no_key(
    demo_ctx, no_key_anywhere, monkeypatch
):
    monkeypatch.setenv("SCL_CLASSIFIER", "openai")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    config = load_config()
    reviewer, notice = in_app_reviewer(demo_ctx, config)  # as `scl` builds the app
    app = SclApp(
        demo_ctx, "agent", reviewer=reviewer, review_notice=notice, config=config,
        poll_seconds=None,
    )  # fmt: skip
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(600):  # the leads screen and its first review: 30 s at least, a slow CI
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, LeadsScreen) and screen.query_one(ReviewPane).review:
                break
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.query_one(ReviewPane).review is not None
        told = [n.message for n in app._notifications if "worker" in n.message]
        assert told == [REVIEWS_ELSEWHERE]
        assert reviewer is None


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_scl_opens_in_a_terminal_with_openai_configured_and_no_key(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    loaded = subprocess.run(
        [str(SCL), "--db", url, "demo", "--no-open"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    for name, value in {
        "SCL_CLASSIFIER": "openai",
        "SCL_REVIEW_IN_APP": "true",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # a host without one
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "COLUMNS": "140",
        "LINES": "40",
    }.items():
        monkeypatch.setenv(name, value)
    session = Tmux(f"scl-secrets-{os.getpid()}-{time.monotonic_ns()}")
    # `; sleep` keeps the pane (and what a failed start printed) for the assertion.
    command = f"{SCL} --db {url} --as agent; sleep 60"
    session.run("new-session", "-d", "-s", "scl", "-x", "140", "-y", "40", command)
    try:
        session.wait_for("Reviews are the worker's job", seconds=90)
        session.wait_for("New", seconds=60)  # the leads table is there
    finally:
        subprocess.run(
            ["tmux", "-L", session.socket, "kill-server"], capture_output=True, timeout=10
        )
