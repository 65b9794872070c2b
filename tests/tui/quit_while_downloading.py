"""Run the app on DB_URL, press space (the recording is a URL that trickles), and quit.

`python -m tests.tui.quit_while_downloading DB_URL` prints `asked to quit` on stdout
when it asks the app to exit; the process must end soon after, however slow the server.
"""

from __future__ import annotations

import sys
import time

from core.clock import FrozenClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from tests.conftest import NOW
from tests.tui.conftest import SIZE, make_app


def main(db_url: str) -> None:
    ctx = ServiceContext(open_database(db_url), FrozenClock(NOW))
    app = make_app(ctx)

    async def play_then_quit(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause(2.0)  # the list and the first review are loaded
        await pilot.press("space")
        await pilot.pause(1.0)  # the download is under way, a byte at a time
        print("asked to quit", flush=True)
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=play_then_quit)
    print(f"app returned {time.monotonic():.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
