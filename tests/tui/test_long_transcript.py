"""A four-hour call (250,000 characters) opens, scrolls, searches and follows the player
while drawing only the lines in view: the transcript is never rendered whole."""

from __future__ import annotations

import time
import tracemalloc

from sqlalchemy import delete, select

from core.db.models import Call, TranscriptSegment
from core.domain.tabs import Tab
from core.services.leads import list_leads
from scl_tui.widgets.player import PlayerWidget
from scl_tui.widgets.review_pane import ReviewPane
from scl_tui.widgets.transcript import TranscriptView
from tests.tui.conftest import SIZE, make_app, settle

TURNS = 3_600  # a turn every 4 seconds for 4 hours
NEEDLE = "zanzibar"  # said once, half way through
WORDS = "the compressor kicks on and then it rattles for a minute and shuts off again "


def make_long(ctx, external_id: str) -> None:  # type: ignore[no-untyped-def]
    """Give a call a four-hour transcript of about 250,000 characters."""
    with ctx.db.transaction() as session:
        call = session.scalars(select(Call).where(Call.external_id == external_id)).one()
        session.execute(delete(TranscriptSegment).where(TranscriptSegment.call_id == call.id))
        for n in range(TURNS):
            words = (WORDS * 2)[: 50 + n % 40] + (f" {NEEDLE}" if n == TURNS // 2 else "")
            session.add(
                TranscriptSegment(
                    call_id=call.id,
                    idx=n,
                    speaker="agent" if n % 2 else "customer",
                    start=n * 4.0,
                    end=n * 4.0 + 3.5,
                    text=words,
                )
            )


async def open_next(app, pilot, key: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Select the lead below or above; how long it took and the memory it took at most."""
    tracemalloc.start()
    started = time.perf_counter()
    await pilot.press(key)
    await settle(app, pilot)
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return took, peak


async def test_a_four_hour_call_draws_only_the_lines_in_view(demo_ctx):
    short, long = list_leads(demo_ctx, "agent", Tab.OPEN, limit=2).rows
    make_long(demo_ctx, long.external_id)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReviewPane)
        view = app.screen.query_one(TranscriptView)
        assert pane.review.row.lead_id == short.lead_id
        long_time, long_memory = await open_next(app, pilot, "down")
        assert pane.review.row.lead_id == long.lead_id
        assert sum(len(s.text) for s in view.segments) >= 250_000
        assert view.line_count >= TURNS
        bound = 2 * SIZE[1]  # a screenful or two, whatever the call's length
        assert len(view.lines_drawn) <= bound

        pane.scroll_end(animate=False)  # to the call's last words
        await settle(app, pilot)
        assert view.line_count - 1 in view.lines_drawn
        assert len(view.lines_drawn) <= 2 * bound

        await pilot.press("slash", *NEEDLE, "enter")
        await settle(app, pilot)
        assert view.status == f"1 of 1 match for {NEEDLE!r}"
        found = view.line_of(view.current_segment)
        assert found in view.lines_drawn
        assert len(view.lines_drawn) <= 3 * bound
        await pilot.press("escape")

        heard = view.segments[TURNS // 4]
        pane.post_message(PlayerWidget.Position(heard.start + 1.0))
        await settle(app, pilot)
        assert view.playing == heard.index
        assert view.line_of(heard.index) in view.lines_drawn
        assert len(view.lines_drawn) <= 4 * bound

        app.screen.query_one("#leads").focus()
        short_time, short_memory = await open_next(app, pilot, "up")
        assert pane.review.row.lead_id == short.lead_id
    # Measured, not asserted (a loaded machine varies): the long call against the short.
    print(
        f"\nopening a {TURNS}-turn call vs a short one: time x{long_time / short_time:.1f}, "
        f"peak memory x{long_memory / max(short_memory, 1):.1f}"
    )
