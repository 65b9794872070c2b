"""Leads flagged by a worker in another process or on another host reach open apps."""

from __future__ import annotations

import time

from textual.widgets import DataTable

from core.classify.base import Verdict
from core.db.engine import open_database
from core.db.models import Call
from core.services.context import ServiceContext
from core.services.flagging import record_verdict
from tests.builders import add_call, add_lead, seed_people
from tests.tui.conftest import SIZE, make_app


async def test_a_new_lead_reaches_the_open_app_on_sqlite_and_postgresql(ctx, db_url, clock):
    """On PostgreSQL NOTIFY wakes the app at once: the poll is set far too slow to help."""
    seed_people(ctx)
    add_lead(ctx, phone="+15125550101")
    poll = 30.0 if ctx.db.is_postgres else 0.2
    app = make_app(ctx, poll_seconds=poll)
    elsewhere = ServiceContext(open_database(db_url), clock)  # another process's pool
    try:
        async with app.run_test(size=SIZE) as pilot:
            # Not settle(): the change follower is a worker that runs until the app ends.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (
                app.screen.query("#leads") and app.screen.query_one("#leads", DataTable).row_count
            ):
                await pilot.pause(0.05)
            rows = app.screen.query_one("#leads", DataTable)
            assert rows.row_count == 1
            call_id = add_call(elsewhere, phone="+15125550177")
            with elsewhere.db.transaction() as session:
                record_verdict(
                    session,
                    session.get(Call, call_id),
                    Verdict(True, 0.9, "Caller needs AC repair", (), "s"),
                    clock.now(),
                )

            def toasted() -> bool:
                # Named, or in the one summary of leads that were waiting when the app
                # opened (on a loaded machine the new lead can arrive before that check).
                return any(
                    "(512) 555-0177" in n.message or "new leads since you last looked" in n.message
                    for n in app._notifications
                )

            # A toast may come and go before the row is drawn on a loaded machine: once
            # seen is enough. The bound is generous for a busy CI; it waits for the state.
            deadline = time.monotonic() + 30
            seen = False
            while not (rows.row_count == 2 and seen) and time.monotonic() < deadline:
                seen = seen or toasted()
                await pilot.pause(0.05)
            assert rows.row_count == 2
            assert seen
            app._stopping.set()
    finally:
        elsewhere.db.dispose()
