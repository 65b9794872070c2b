"""Words: the review pane names a status as the table's column does."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.conftest import SIZE, make_app, settle


async def test_the_review_names_the_status_as_the_table_does(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # Done: statuses whose full names differ from the column's
        await settle(app, pilot)
        screen = app.screen
        row = next(r for r in screen.rows if r.status.short_name != r.status.display_name)
        screen.jump_to(row)
        await settle(app, pilot)
        call = str(screen.query_one("#call", Static).render())
        assert f"Status: {row.status.short_name} ({row.status.display_name})" in call
