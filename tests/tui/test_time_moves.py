"""Time moves on an open screen: Age and Cold in follow the clock without a reload, and
a lead that goes Cold while shown moves to the Cold tab. The app's clock is frozen and
moved by hand; the screen's tick is made fast."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Tabs

from core.domain.statuses import Tab as LeadTab
from core.services.leads import get_review
from scl_tui.screens import leads
from tests.tui.conftest import SIZE, make_app, settle


@pytest.fixture(autouse=True)
def fast_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leads, "TICK_SECONDS", 0.1, raising=False)


async def until(app, pilot, check, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(600):  # 30 s at least: generous, a loaded CI
        await pilot.pause(0.05)
        if check():
            return
    raise AssertionError(what)


def cell(app, lead_id: int, column: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#leads", DataTable).get_cell(str(lead_id), column))


async def test_age_and_cold_in_move_with_the_clock_without_a_reload(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        row = next(r for r in app.screen.rows if r.cold_at is not None)
        age, cold = cell(app, row.lead_id, "age"), cell(app, row.lead_id, "cold")
        demo_ctx.clock.advance(timedelta(minutes=61))
        await until(app, pilot, lambda: cell(app, row.lead_id, "age") != age, f"Age stayed {age}")
        assert cell(app, row.lead_id, "cold") != cold


async def test_a_lead_that_goes_cold_while_shown_moves_to_the_cold_tab(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = min((r for r in app.screen.rows if r.cold_at), key=lambda r: r.cold_at)
        demo_ctx.clock.set(first.cold_at + timedelta(seconds=30))
        await until(
            app,
            pilot,
            lambda: first.lead_id not in [r.lead_id for r in app.screen.rows],
            "the lead gone Cold stayed in the Open tab",
        )
        assert get_review(demo_ctx, "agent", first.lead_id).row.tab is LeadTab.COLD
        await pilot.press("2")
        await settle(app, pilot)
        assert app.screen.query_one(Tabs).active == "cold"
        assert first.lead_id in [r.lead_id for r in app.screen.rows]
