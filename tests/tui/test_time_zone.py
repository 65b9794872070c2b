"""Times are shown in the company's time zone (a setting), labelled, not the host's."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.widgets import Input, Static

from core.domain.phones import display_phone
from core.domain.statuses import Tab
from core.services.leads import list_leads
from core.services.settings import get_settings, set_setting
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.settings import SettingsScreen
from scl_tui.widgets.review_pane import ReviewPane
from tests.tui.conftest import SIZE, make_app, settle


def headline(app) -> str:
    return str(app.screen.query_one(ReviewPane).query_one("#call", Static).render())


async def test_times_are_shown_in_the_companys_zone_and_the_header_names_it(demo_ctx):
    set_setting(demo_ctx, "admin", "timezone", "Asia/Tokyo")  # UTC+9; the host is UTC
    first = list_leads(demo_ctx, "agent", Tab.OPEN, limit=1).rows[0]
    in_tokyo = first.call_started_at.astimezone(ZoneInfo("Asia/Tokyo"))
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert display_phone(first.customer_phone) in headline(app)
        assert in_tokyo.strftime("%a %b %d %Y %H:%M") in headline(app)
        assert app.screen.sub_title == "times in Asia/Tokyo (JST)"


async def test_a_zone_set_in_the_settings_moves_the_times_on_the_leads_screen(demo_ctx):
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.sub_title == "times in UTC"
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        box = app.screen.query_one("#timezone", Input)
        box.focus()
        await pilot.press(*"america/chicago", "enter")
        await settle(app, pilot)
        assert "Saved: Time zone this host's → America/Chicago." in [
            n.message for n in app._notifications
        ]
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert app.screen.sub_title == "times in America/Chicago (CST)"
    assert get_settings(demo_ctx).timezone == "America/Chicago"


async def test_a_zone_that_does_not_exist_is_refused_where_it_was_typed(demo_ctx):
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        app.screen.query_one("#timezone", Input).focus()
        await pilot.press(*"Mars/Base", "enter")
        await settle(app, pilot)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "Time zone must be a zone name such as America/Chicago, not 'Mars/Base'" in error
    assert get_settings(demo_ctx).timezone == ""
