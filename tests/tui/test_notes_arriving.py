"""A note another agent adds to the lead on screen shows in the open review at once,
and the agent keeps their place: the same lead, the same scroll, the same search."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from core.services import review
from scl_tui.widgets.review_pane import ReviewPane
from scl_tui.widgets.transcript import TranscriptView
from tests.tui.conftest import make_app, settle
from tests.tui.test_search import count_shown, search_for
from tests.tui.test_selection import changed_elsewhere, select_row


async def test_a_note_added_elsewhere_shows_in_the_open_review_without_moving_the_agent(
    demo_ctx,
):
    app = make_app(demo_ctx)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        lead = await select_row(app, pilot, 2)
        await search_for(app, pilot, "the")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(app, pilot)
        pane = app.screen.query_one(ReviewPane)
        table = app.screen.query_one("#leads", DataTable)
        before = (table.cursor_row, table.scroll_y, pane.scroll_y, count_shown(app))
        assert pane.scroll_y > 0  # the search scrolled the review: there is a place to keep
        review.add_note(demo_ctx, "admin", lead, "Customer called: \x1b[2Jcome after 3pm")
        await changed_elsewhere(app, pilot)
        notes = str(pane.query_one("#notes", Static).render())
        assert "Pat Okafor" in notes and "come after 3pm" in notes
        assert "\x1b" not in notes  # the escape is shown as a picture, not obeyed
        assert (table.cursor_row, table.scroll_y, pane.scroll_y, count_shown(app)) == before
        assert pane.query_one(TranscriptView).query == "the"
