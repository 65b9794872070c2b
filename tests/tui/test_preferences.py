"""The preferences screen (key u) and the new-lead toast with its `g` jump, on the demo data."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from textual.app import App
from textual.widgets import Checkbox, DataTable, Input, Static

from core.db.models import Employee
from core.domain.notifications import NO_PHONE
from core.services import notifications
from core.services.preferences import get_preferences, set_preferences
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.preferences import PreferencesScreen
from tests.builders import add_lead
from tests.tui.conftest import SIZE, make_app, settle


def without_phone(ctx, login: str) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        session.scalars(select(Employee).where(Employee.login == login)).one().phone = None


async def open_preferences(app, pilot) -> PreferencesScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("u")
    await settle(app, pilot)
    assert isinstance(app.screen, PreferencesScreen)
    return app.screen


async def test_u_opens_my_preferences_as_stored(demo_ctx):
    app = make_app(demo_ctx)  # Alex Rivera: in-app and text on, email off
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_preferences(app, pilot)
        assert screen.query_one("#in-app", Checkbox).value
        assert screen.query_one("#sms", Checkbox).value
        assert not screen.query_one("#email", Checkbox).value
        assert screen.query_one("#email-address", Input).value == "alex.rivera@example.com"


async def test_a_box_shows_whether_it_is_ticked_without_colour(demo_ctx):
    app = make_app(demo_ctx)  # text on, email off
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_preferences(app, pilot)
        assert "▐X▌" in str(screen.query_one("#sms", Checkbox).render())
        assert "▐ ▌" in str(screen.query_one("#email", Checkbox).render())


async def test_ticking_a_box_saves_that_channel_at_once(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_preferences(app, pilot)
        await pilot.click("#email")
        await settle(app, pilot)
        await pilot.click("#in-app")
        await settle(app, pilot)
        assert not screen.query_one("#in-app", Checkbox).value
    stored = get_preferences(demo_ctx, "agent")
    assert [c.chosen for c in stored.choices] == [False, True, True]


async def test_text_without_a_phone_number_says_no_texts_will_come(demo_ctx):
    without_phone(demo_ctx, "agent")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_preferences(app, pilot)
        note = screen.query_one("#sms-note", Static)
        assert NO_PHONE in str(note.render())
        assert note.has_class("-problem")
        await pilot.click("#sms")  # off: nothing to warn about any more
        await settle(app, pilot)
        assert str(note.render()) == ""


async def test_a_phone_number_typed_with_enter_is_saved_and_texts_can_come(demo_ctx):
    without_phone(demo_ctx, "agent")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_preferences(app, pilot)
        await pilot.click("#phone")
        await pilot.press(*"512 555 0177", "enter")
        await settle(app, pilot)
        assert screen.query_one("#phone", Input).value == "(512) 555-0177"
        assert str(screen.query_one("#sms-note", Static).render()) == ""
    assert get_preferences(demo_ctx, "agent").phone == "+15125550177"


async def test_a_bad_email_address_is_refused_and_the_stored_one_stays(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_preferences(app, pilot)
        box = screen.query_one("#email-address", Input)
        box.value = "alex@"
        await pilot.click("#email-address")
        await pilot.press("enter")
        await settle(app, pilot)
        assert box.value == "alex.rivera@example.com"
        assert any("not an email address" in str(n.message) for n in app._notifications)
    assert get_preferences(demo_ctx, "agent").email == "alex.rivera@example.com"


async def test_escape_closes_the_preferences(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_preferences(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LeadsScreen)


class PreferencesOnly(App[None]):
    """The preferences window alone, so its snapshot changes only when it does (not with
    the leads screen behind it)."""

    def __init__(self, ctx, login: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.ctx, self.login = ctx, login

    def on_mount(self) -> None:
        self.push_screen(PreferencesScreen())

    def show_error(self, error: BaseException) -> None:
        raise error


def test_preferences_snapshot(snap_compare, demo_ctx):
    """You should see the three channels, Text ticked with the warning that there is no
    phone number on the profile, and the email address."""
    without_phone(demo_ctx, "agent")
    app = PreferencesOnly(demo_ctx, "agent")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)  # type: ignore[arg-type]

    assert snap_compare(app, terminal_size=(80, 30), run_before=run_before)


async def announce(app, pilot, ctx, phone: str) -> int:  # type: ignore[no-untyped-def]
    """A lead flagged by the review worker, then the app's change follower's look (what
    it does every few seconds, or at PostgreSQL's NOTIFY)."""
    lead_id = add_lead(ctx, phone=phone, csr_login=None, reason="Wants a new furnace quote")
    await asyncio.to_thread(app.check_for_changes)
    await settle(app, pilot)
    return lead_id


async def test_a_new_lead_toasts_and_g_jumps_to_it(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        lead_id = await announce(app, pilot, demo_ctx, "+15125550177")
        toast = next(n for n in app._notifications if n.title.startswith("New Second Chance"))
        assert toast.title == f"New Second Chance Lead {lead_id}"
        assert toast.message == "(512) 555-0177\nWants a new furnace quote\nPress g to open it."
        screen = app.screen
        table = screen.query_one("#leads", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("g")
        await settle(app, pilot)
        assert screen.rows[table.cursor_row].lead_id == lead_id
        assert screen.review is not None and screen.review.row.lead_id == lead_id
    # Shown means delivered: another app of Alex's would not toast it again.
    assert notifications.take_in_app(demo_ctx, "agent") == []


async def test_a_lead_announced_while_the_app_was_closed_toasts_when_it_opens(demo_ctx):
    lead_id = add_lead(demo_ctx, phone="+15125550178", csr_login=None, reason="Needs a plumber")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [n.title for n in app._notifications]
        assert f"New Second Chance Lead {lead_id}" in titles
    assert notifications.take_in_app(demo_ctx, "agent") == []


async def test_no_toast_for_someone_who_turned_in_app_off(demo_ctx):
    set_preferences(demo_ctx, "agent", in_app=False)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await announce(app, pilot, demo_ctx, "+15125550178")
        assert not any(n.title.startswith("New Second Chance") for n in app._notifications)
        await pilot.press("g")
        await settle(app, pilot)
        assert any("No new lead has been announced" in n.message for n in app._notifications)
