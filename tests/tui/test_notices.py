"""Notices don't bury the work: many new leads at once make one summary toast, and g
shows them."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Static

from core.domain.statuses import LeadStatus
from core.services.notifications import InAppNotice
from scl_tui.screens.leads import LeadsScreen
from tests.tui.conftest import SIZE, make_app, settle


def busy_night(ctx, count: int) -> list[InAppNotice]:  # type: ignore[no-untyped-def]
    """What the app takes from the outbox when it opens after a busy night."""
    now = ctx.clock.now()
    return [
        InAppNotice(n, 100 + n, f"(512) 555-{n:04d}", None, "Wants a quote", now - timedelta(n))
        for n in range(count)
    ]


async def test_a_busy_night_makes_one_summary_toast_and_g_shows_the_new_leads(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.clear_notifications()
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        screen.post_message(LeadsScreen.LeadsChanged([], busy_night(demo_ctx, 41)))
        await settle(app, pilot)
        toasts = [n.message for n in app._notifications]
        assert toasts == ["41 new leads since you last looked — g to see them"]
        await pilot.press("3")  # elsewhere: g comes back to them
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert screen.tab.value == "open" and screen.status_filter is LeadStatus.NEW
        assert screen.rows and all(r.status is LeadStatus.NEW for r in screen.rows)
        assert screen.selected_id == screen.rows[0].lead_id


async def test_at_80_by_24_a_notice_covers_neither_the_selected_row_nor_the_review(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.post_message(LeadsScreen.LeadsChanged([], busy_night(demo_ctx, 41)))
        await pilot.press("c")  # a call back: its toast, on top of the summary
        await settle(app, pilot)
        assert not list(app._notifications), "a toast floats over the screen"
        notice = screen.query_one("#notice", Static)
        assert "Lead" in str(notice.render()) and notice.region.height
        table = screen.query_one("#leads", DataTable)
        row_y = table.region.y + 1 + table.cursor_row - int(table.scroll_y)
        assert not notice.region.contains(notice.region.x, row_y)
        assert notice.region.y >= table.region.bottom
