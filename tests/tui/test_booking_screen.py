"""The job booking screen (key b) on the demo data: the banner, booking, who sees what."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.widgets import Input, OptionList, Static

from core.db.models import Job
from core.domain.statuses import LeadStatus
from core.services.booking import banner_for_phone
from core.services.leads import get_review
from scl_tui.screens.booking import BookingScreen
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.no_access import NoAccessScreen
from tests.tui.conftest import SIZE, make_app, settle

WITH_LEAD = "512.555.0139"  # lead 48, New, flagged 4 h 40 min before NOW
NO_LEAD = "(512) 555-0100"
DONE_LEAD = "+1 830 555 0194"  # lead 46, Job booked by SCL


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_booking(app, pilot, phone: str | None = None, *, submit: bool = True) -> None:
    await settle(app, pilot)
    await pilot.press("b")
    await settle(app, pilot)
    for box in app.screen.query(Input):
        box.cursor_blink = False  # a snapshot must not catch the cursor mid-blink
    if phone is not None:
        app.screen.query_one("#phone", Input).value = phone
        if submit:
            await pilot.press("enter")
        await settle(app, pilot)


async def test_b_opens_the_booking_screen_with_the_phone_box_focused(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        assert app.focused is app.screen.query_one("#phone", Input)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LeadsScreen)


async def test_a_phone_with_an_open_lead_shows_the_banner_naming_the_lead(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, WITH_LEAD)
        assert app.screen.has_class("-banner")
        banner = shown(app, "#banner")
        assert "Second Chance Lead" in banner and "Lead 48" in banner
        assert "(512) 555-0139" in banner and "New (Open)" in banner
        assert "flagged Nov 20 13:20" in banner
        reason = get_review(demo_ctx, "agent", 48).row.reason
        assert reason and reason in banner


async def test_the_banner_appears_while_typing_once_the_number_is_whole(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot)
        await pilot.press(*"512555013")
        await settle(app, pilot)
        assert not app.screen.has_class("-banner")
        await pilot.press("9")
        await settle(app, pilot)
        assert app.screen.has_class("-banner")


async def test_a_phone_without_leads_shows_no_banner(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, NO_LEAD)
        assert not app.screen.has_class("-banner")
        assert "Booking for (512) 555-0100" in shown(app, "#customer")


async def test_a_done_lead_shows_no_banner(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, DONE_LEAD)
        assert not app.screen.has_class("-banner")


async def test_booking_there_records_the_job_and_gives_the_lead_its_automatic_status(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, WITH_LEAD)
        await pilot.press("f2")
        await settle(app, pilot)
        result = shown(app, "#result")
        assert "booked for (512) 555-0139" in result
        assert "Lead 48 → Job booked elsewhere" in result
        assert not app.screen.has_class("-banner")  # the lead is Done now
    assert get_review(demo_ctx, "agent", 48).row.status is LeadStatus.BOOKED_ELSEWHERE


async def test_back_on_the_leads_screen_the_booked_lead_has_left_the_open_tab(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert 48 in [row.lead_id for row in app.screen.rows]
        await open_booking(app, pilot, WITH_LEAD)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert 48 not in [row.lead_id for row in app.screen.rows]


async def test_picking_a_customer_from_the_list_fills_the_phone_and_looks_it_up(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot)
        await pilot.press(*"0139")
        await settle(app, pilot)
        options = app.screen.query_one("#matches", OptionList)
        assert options.option_count >= 1
        await pilot.press("down")
        assert app.focused is options
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#phone", Input).value == "(512) 555-0139"
        assert app.screen.has_class("-banner")


async def test_a_bad_phone_on_enter_says_what_was_typed(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, "call me")
        messages = [n.message for n in app._notifications]
        assert any("'call me'" in m for m in messages)
        await pilot.press("f2")
        await settle(app, pilot)
        assert str(app.screen.query_one("#result", Static).render()) == ""


async def test_a_csr_without_the_permission_books_and_sees_only_that_a_lead_exists(demo_ctx):
    app = make_app(demo_ctx, "jmartinez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoAccessScreen)
        await open_booking(app, pilot, WITH_LEAD, submit=True)
        banner = shown(app, "#banner")
        assert "Second Chance Lead" in banner and "flagged Nov 20 13:20" in banner
        assert "Lead 48" not in banner and "Reason" not in banner
        assert "View Second Chance Leads permission" in banner
        assert not banner_for_phone(demo_ctx, "jmartinez", WITH_LEAD).detailed
        await pilot.press("f2")
        await settle(app, pilot)
        result = shown(app, "#result")
        assert "1 Second Chance Lead closed as booked." in result and "Lead 48" not in result
    assert get_review(demo_ctx, "agent", 48).row.status is LeadStatus.BOOKED_ELSEWHERE


async def test_someone_not_an_employee_is_told_once_on_enter_not_at_every_key(demo_ctx):
    app = make_app(demo_ctx, "stranger")
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot)
        await pilot.press(*"5125550139")
        await settle(app, pilot)
        assert not app._notifications
        await pilot.press("enter")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1 and "No employee has the login 'stranger'" in messages[0]


class TestBookingSnapshots:
    def test_booking_with_the_banner(self, snap_compare, demo_ctx):
        """You should see the phone, the customer and a yellow banner naming lead 48."""
        app = make_app(demo_ctx)

        async def run_before(pilot) -> None:
            await open_booking(app, pilot, WITH_LEAD)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_booking_without_a_banner(self, snap_compare, demo_ctx):
        """You should see the phone and the customer, no banner."""
        app = make_app(demo_ctx)

        async def run_before(pilot) -> None:
            await open_booking(app, pilot, NO_LEAD)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_booking_banner_for_a_csr_without_the_permission(self, snap_compare, demo_ctx):
        """You should see that a lead exists and when it was flagged, without its details."""
        app = make_app(demo_ctx, "jmartinez")

        async def run_before(pilot) -> None:
            await open_booking(app, pilot, WITH_LEAD)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def jobs_for(ctx, phone: str) -> int:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        return session.scalar(
            select(func.count()).select_from(Job).where(Job.customer_phone == phone)
        )


async def test_a_number_without_an_area_code_is_refused_not_booked(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, "555-0139", submit=False)
        await pilot.press("f2")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("'555-0139' has no area code" in m for m in messages), messages
        assert shown(app, "#result") == ""
    assert jobs_for(demo_ctx, "+15550139") == 0


async def test_f2_twice_books_one_job(demo_ctx):
    before = jobs_for(demo_ctx, "+15125550100")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, NO_LEAD, submit=False)
        await pilot.press("f2", "f2")
        await settle(app, pilot)
        assert "booked for (512) 555-0100" in shown(app, "#result")
        assert app.screen.query_one("#phone", Input).value == ""  # ready for the next job
    assert jobs_for(demo_ctx, "+15125550100") == before + 1


async def test_booking_the_same_phone_again_soon_asks_first(demo_ctx):
    before = jobs_for(demo_ctx, "+15125550100")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, NO_LEAD, submit=False)
        await pilot.press("f2")
        await settle(app, pilot)
        app.screen.query_one("#phone", Input).value = NO_LEAD
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "Book a second job for this customer?" in str(app.screen.query_one("Label").render())
        await pilot.press("1")  # No, it is the same job
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
    assert jobs_for(demo_ctx, "+15125550100") == before + 1


async def test_the_last_result_line_goes_when_a_new_number_is_typed(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(app, pilot, NO_LEAD, submit=False)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "booked for (512) 555-0100" in shown(app, "#result")
        await pilot.press("5")
        await settle(app, pilot)
        assert shown(app, "#result") == ""
