"""App tests run on fixed data with a frozen clock: the demo set, loaded once, copied
(demo_ctx, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress

import pytest
from textual.command import Command, CommandList
from textual.worker import WorkerCancelled

from core.services.context import ServiceContext
from scl_tui.app import SclApp
from scl_tui.text import use_zone

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def steady_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def lasting_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A toast lives 5 s of wall time by default; a loaded CI can take longer than that
    between the action and the test's look after settle(), and the toast would be gone.
    Tests read a toast as a lasting state: it stays for the test's length."""
    monkeypatch.setattr(SclApp, "NOTIFICATION_TIMEOUT", 600.0)


@pytest.fixture(autouse=True)
def host_zone() -> Iterator[None]:
    """The company's time zone is the app's (a module's) state: each test starts on the
    host's (UTC, tests/conftest.py), whatever the last one set."""
    use_zone("")
    yield
    use_zone("")


def make_app(ctx: ServiceContext, login: str = "agent", **options) -> SclApp:  # type: ignore[no-untyped-def]
    """The app as `scl` builds it, minus what would make a test wait or wander."""
    options.setdefault("poll_seconds", None)
    return SclApp(ctx, login, **options)


@asynccontextmanager
async def running_app(ctx: ServiceContext, login: str = "agent") -> AsyncIterator[tuple]:
    """(app, pilot): the app at SIZE as `login`, its first screen settled."""
    app = make_app(ctx, login)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def press(app: SclApp, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Press the keys, then let the app settle."""
    await pilot.press(*keys)
    await settle(app, pilot)


async def palette_offers(app: SclApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Until the command palette lists a hit whose words or help hold `text` (its search
    runs in the background: a lookup in the database on a loaded CI takes its time),
    then until the search is over, so Enter takes the best hit of the finished list."""
    for _ in range(600):  # 30 s at least
        lists = app.screen.query(CommandList)
        hits = [o.hit for o in lists.first().options if isinstance(o, Command)] if lists else []
        if any(text in f"{hit.text} {hit.help or ''}" for hit in hits):
            await settle(app, pilot)
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the palette never offered {text!r}")


LONG_RUNNING = ("changes", "review-worker")  # workers that live as long as the app


async def settle(app: SclApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let every short-lived worker finish and the screen catch up: until a look finds no
    worker at all (one worker's result often starts the next: page, then review)."""
    quiet_looks = 0
    for _ in range(40):
        await pilot.pause()
        busy = [w for w in app.workers if w.group not in LONG_RUNNING and w.is_running]
        # A worker superseded by a newer one of its group is cancelled: the next look
        # waits for the newer one.
        with suppress(WorkerCancelled):
            await app.workers.wait_for_complete(busy)
        quiet_looks = 0 if busy else quiet_looks + 1
        if quiet_looks == 3:
            break
    # Some redraws wait for the next screen refresh (a relabelled tab moves its underline
    # after one): wait until two looks a refresh apart see the same screen. The first look
    # is taken at once: the workers are done, so only the gap between looks matters.
    seen = _look(app)
    for _ in range(40):
        await pilot.pause(0.05)
        now = _look(app)
        if now == seen:
            break
        seen = now


def _look(app: SclApp) -> list[list]:
    return [list(strip) for strip in app.screen._compositor.render_strips()]
