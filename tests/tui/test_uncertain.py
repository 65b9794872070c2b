"""Leads the classifier was unsure of are marked, so agents know which verdicts to check."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from scl_tui.screens.leads import LeadsScreen
from tests.builders import add_lead
from tests.tui.conftest import SIZE, make_app, settle


def reason_cell(screen: LeadsScreen, lead_id: int) -> str:
    table = screen.query_one("#leads", DataTable)
    row = next(i for i, r in enumerate(screen.rows) if r.lead_id == lead_id)
    return str(table.get_row_at(row)[list(table.columns).index("reason")])


async def test_an_uncertain_lead_is_marked_in_the_table_and_in_its_review(demo_ctx):
    unsure = add_lead(demo_ctx, phone="+15125550178", confidence=0.62, csr_login="agent")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen: LeadsScreen = app.screen
        assert screen.rows[0].lead_id == unsure  # the newest, under the cursor
        assert reason_cell(screen, unsure).startswith("? AC repair")
        note = str(screen.query_one("#summary-note", Static).render())
        assert "62% confidence" in note and "uncertain" in note


async def test_a_sure_lead_carries_no_mark(demo_ctx):
    sure = add_lead(demo_ctx, phone="+15125550179", confidence=0.95, csr_login="agent")
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen: LeadsScreen = app.screen
        assert reason_cell(screen, sure).startswith("AC repair")
        note = str(screen.query_one("#summary-note", Static).render())
        assert "95% confidence." in note and "uncertain" not in note
