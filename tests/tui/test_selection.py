"""The selection follows the lead, not the row: leads arriving and leaving around it,
filters and a call back never put the agent on another lead unawares."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from core.domain.phones import display_phone
from core.domain.statuses import DismissReason, LeadStatus
from core.services import review
from core.services.leads import get_review
from scl_tui.screens.leads import LeadsScreen
from scl_tui.widgets.review_pane import ReviewPane
from tests.builders import add_lead
from tests.tui.conftest import SIZE, make_app, settle


def on_lead(app) -> int:  # type: ignore[no-untyped-def]
    """The lead under the cursor; the review pane must show the same one."""
    screen: LeadsScreen = app.screen
    row = screen.rows[screen.query_one("#leads", DataTable).cursor_row]
    pane = screen.query_one(ReviewPane)
    assert pane.review is not None and pane.review.row.lead_id == row.lead_id, (
        f"the cursor is on lead {row.lead_id}, the review shows "
        f"{pane.review.row.lead_id if pane.review else None}"
    )
    return row.lead_id


async def select_row(app, pilot, index: int) -> int:  # type: ignore[no-untyped-def]
    for _ in range(index):
        await pilot.press("j")
    await settle(app, pilot)
    return on_lead(app)


async def changed_elsewhere(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """What the app's change follower does when another process wrote to the database."""
    app.check_for_changes()
    await settle(app, pilot)


async def test_a_new_lead_flagged_by_another_process_leaves_the_selected_lead_selected(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        chosen = await select_row(app, pilot, 2)
        new = add_lead(
            demo_ctx, phone="+15125550177", flagged=demo_ctx.clock.now(), csr_login="agent"
        )
        await changed_elsewhere(app, pilot)
        assert app.screen.rows[0].lead_id == new  # the new lead is listed, at the top
        assert on_lead(app) == chosen


async def test_a_lead_above_dismissed_by_another_agent_leaves_the_selected_lead_selected(
    demo_ctx,
):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        above = app.screen.rows[0].lead_id
        chosen = await select_row(app, pilot, 2)
        review.dismiss(demo_ctx, "admin", above, DismissReason.NOT_A_LEAD)
        await changed_elsewhere(app, pilot)
        assert above not in [r.lead_id for r in app.screen.rows]
        assert on_lead(app) == chosen


async def test_the_selected_lead_dismissed_elsewhere_is_named_and_its_neighbour_selected(
    demo_ctx,
):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        neighbour = app.screen.rows[2]
        chosen = await select_row(app, pilot, 1)
        gone = app.screen.rows[1]
        review.dismiss(demo_ctx, "admin", chosen, DismissReason.NOT_A_LEAD)
        await changed_elsewhere(app, pilot)
        assert on_lead(app) == neighbour.lead_id
        notices = [n.message for n in app._notifications]
        told = [m for m in notices if f"Lead {chosen} " in m and "left this list" in m]
        assert told, notices
        assert display_phone(gone.customer_phone) in told[0]
        assert "Reviewed - Not a Lead" in told[0] or "Not a Lead" in told[0]


async def test_call_back_stays_on_the_lead_with_the_number_to_dial_in_its_review(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        chosen = await select_row(app, pilot, 1)
        phone = display_phone(app.screen.rows[1].customer_phone)
        await pilot.press("c")
        await settle(app, pilot)
        assert get_review(demo_ctx, "agent", chosen).row.status is LeadStatus.CALLBACK_ATTEMPTED
        assert on_lead(app) == chosen
        dial = app.screen.query_one("#dial", Static)
        assert dial.display and phone in str(dial.render())
        await pilot.press("j")  # the agent moves on: the number goes with the lead
        await settle(app, pilot)
        assert on_lead(app) != chosen and not app.screen.query_one("#dial", Static).display


async def test_call_back_under_the_new_filter_keeps_the_called_lead_in_view(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")  # Open, New only
        await settle(app, pilot)
        assert app.screen.status_filter is LeadStatus.NEW
        chosen = await select_row(app, pilot, 1)
        await pilot.press("c")
        await settle(app, pilot)
        assert on_lead(app) == chosen
        assert app.screen.query_one("#dial", Static).display


async def test_a_filter_that_still_lists_the_selected_lead_keeps_it_selected(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = app.screen.rows
        news = [i for i, r in enumerate(rows) if r.status is LeadStatus.NEW]
        index = news[1]  # not the first New lead: the filter's first row is another one
        chosen = await select_row(app, pilot, index)
        await pilot.press("v")  # Open, New only: still lists it
        await settle(app, pilot)
        assert app.screen.status_filter is LeadStatus.NEW
        assert on_lead(app) == chosen


async def test_a_job_booked_for_a_lead_above_leaves_the_selected_lead_selected(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        above = app.screen.rows[0]
        chosen = await select_row(app, pilot, 2)
        await pilot.press("b")
        await settle(app, pilot)
        app.screen.query_one("#phone", Input).value = display_phone(above.customer_phone)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("f2")  # the job books the lead above: it leaves the Open tab
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert above.lead_id not in [r.lead_id for r in app.screen.rows]
        assert on_lead(app) == chosen
