"""Run the app on DB_URL, press space (the recording is a URL that trickles), and quit.

`python -m tests.tui.quit_while_downloading DB_URL` prints `playing` once space is
pressed, waits for a line on stdin (the caller has seen the download start), then prints
`asked to quit` when it asks the app to exit; the process must end soon after, however
slow the server.
"""

from __future__ import annotations

import asyncio
import sys
import time

from textual.widgets import Static

from core.clock import FrozenClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from tests.conftest import NOW
from tests.tui.conftest import SIZE, make_app


def main(db_url: str) -> None:
    ctx = ServiceContext(open_database(db_url), FrozenClock(NOW))
    app = make_app(ctx)

    def offered() -> bool:  # the first review is loaded: its recording, a URL, is offered
        status = app.screen.query("#player-status")
        return bool(status) and str(status.first(Static).render()).startswith("Recording online")

    async def play_then_quit(pilot) -> None:  # type: ignore[no-untyped-def]
        while not offered():  # waited for, not timed (the caller bounds the run)
            await pilot.pause(0.05)
        await pilot.press("space")
        print("playing", flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # the download is under way, a byte at a time
        print("asked to quit", flush=True)
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=play_then_quit)
    print(f"app returned {time.monotonic():.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
