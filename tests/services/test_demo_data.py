"""The demo data set loads, feels real, and loads again without change."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.db.models import Call, CallbackAttempt, Employee, Lead, LeadNote
from core.domain.statuses import LeadStatus, Tab
from core.services.demo import load_demo
from core.services.leads import tab_counts
from core.services.permissions import can_view_scl


@pytest.fixture
def loaded(ctx):
    return load_demo(ctx)


def table_counts(ctx):
    with ctx.db.transaction() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Employee, Call, Lead, LeadNote, CallbackAttempt)
        )


def test_loading_the_demo_twice_gives_the_same_counts(ctx, loaded):
    before = table_counts(ctx)
    again = load_demo(ctx)
    assert table_counts(ctx) == before
    assert again.added_calls == 0
    assert (again.calls, again.leads) == (loaded.calls, loaded.leads)


def test_the_demo_has_about_200_calls_inbound_and_outbound_booked_and_not(ctx, loaded):
    assert 190 <= loaded.calls <= 220
    with ctx.db.transaction() as session:
        mix = Counter(session.execute(select(Call.direction, Call.job_booked)).all())
    assert mix[("inbound", True)] > 40 and mix[("inbound", False)] > 40
    assert mix[("outbound", False)] + mix[("outbound", True)] > 10


def test_the_demo_shows_every_tab_and_every_status(ctx, loaded):
    counts = tab_counts(ctx, "agent")
    assert counts.open > 0 and counts.cold > 0 and counts.done > 0
    with ctx.db.transaction() as session:
        statuses = set(session.scalars(select(Lead.status).distinct()))
    assert statuses == {s.value for s in LeadStatus}


def test_the_demo_has_the_admin_and_the_agent_spec_fixes(ctx, loaded):
    assert can_view_scl(ctx, "admin")
    assert can_view_scl(ctx, "agent")
    with ctx.db.transaction() as session:
        logins = set(session.scalars(select(Employee.login)))
    assert any(not can_view_scl(ctx, login) for login in logins)


def test_demo_times_are_shifted_so_the_newest_lead_was_flagged_today(ctx, loaded, clock):
    from core.services.leads import list_leads

    newest = list_leads(ctx, "agent", None, limit=1).rows[0]
    assert timedelta(0) <= clock.now() - newest.flagged_at <= timedelta(hours=24)
    assert newest.tab is Tab.OPEN
