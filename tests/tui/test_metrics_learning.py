"""What agents' decisions teach, on the metrics screen: the classifier's accuracy, and a
missed call flagged by hand from the Calls report (key l)."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import DataTable, Static

from core.db.models import Call, Lead
from core.services.accuracy import accuracy
from scl_tui.screens.metrics import MetricsScreen
from tests.tui.conftest import SIZE, make_app, settle


async def open_metrics(app, pilot, *keys: str) -> MetricsScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)
    assert isinstance(app.screen, MetricsScreen)
    return app.screen


async def test_the_metrics_show_each_classifier_versions_accuracy_as_agents_decided(demo_ctx):
    (version,) = accuracy(demo_ctx, "agent", 30)
    c = version.counts
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_metrics(app, pilot)
        panel = str(screen.query_one("#accuracy", Static).render())
        assert "Classifier accuracy, last 30 days" in panel
        assert f"{c.flagged} flagged, {c.decided} decided by agents" in panel
        assert f"{c.confirmed} confirmed, {c.rejected} not a lead" in panel


async def test_l_on_a_passed_over_call_in_the_calls_report_makes_it_a_lead(demo_ctx):
    with demo_ctx.db.transaction() as session:
        missed = session.scalars(
            select(Call.external_id)
            .outerjoin(Lead, Lead.call_id == Call.id)
            .where(Call.review_is_lead.is_(False), Lead.id.is_(None))
            .order_by(Call.started_at.desc())
        ).first()
    assert missed is not None
    app = make_app(demo_ctx, login="admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_metrics(app, pilot, "3")
        table = screen.query_one("#calls-table", DataTable)
        row = next(i for i, r in enumerate(screen.calls.rows) if r.external_id == missed)
        table.move_cursor(row=row)
        await pilot.press("l")
        await settle(app, pilot)
        assert any("flagged by hand" in n.message for n in app._notifications)
    with demo_ctx.db.transaction() as session:
        lead = session.scalars(
            select(Lead).join(Call, Lead.call_id == Call.id).where(Call.external_id == missed)
        ).one()
        assert lead.status == "new"
