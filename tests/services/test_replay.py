"""scl replay: what the classifier would say now of past calls; nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.classify.profile import parse_profile
from core.db.models import Call, Event, Lead, LeadHistory
from core.services import review
from core.services.errors import PermissionDenied
from core.services.hand_flag import flag_call
from core.services.replay import replay
from tests.builders import seed_people
from tests.services.verdicts import external_id_of, reviewed_call

DAY = timedelta(days=1)
FURNACE = [
    ("agent", "Thanks for calling Lone Star Comfort, this is Jo."),
    ("customer", "Hi, my furnace stopped working last night and the house is freezing."),
    ("agent", "I'm sorry to hear that. The diagnostic visit is 89 dollars."),
    ("customer", "Hmm, let me talk to my husband and I'll call you back."),
]
WRONG_NUMBER = [
    ("agent", "Thanks for calling Lone Star Comfort, this is Jo."),
    ("customer", "Sorry, wrong number, I was trying to reach the pizza place."),
    ("agent", "No problem, have a good day."),
]
# Proposed: the brand now turns furnace work away.
NO_FURNACES = """
[[brand]]
name = "Lone Star Comfort"
trades = ["hvac"]
not = ["furnace repair", "furnace"]
"""


@pytest.fixture
def calls(ctx, clock):
    """Four reviewed calls of the last weeks; two would change under the current model."""
    seed_people(ctx)
    now = clock.now()
    passed, _ = reviewed_call(ctx, lead=False, at=now - 3 * DAY, lines=FURNACE, reason="No need")
    flagged, _ = reviewed_call(ctx, lead=True, at=now - 4 * DAY, lines=FURNACE)
    wrong, _ = reviewed_call(ctx, lead=False, at=now - 5 * DAY, lines=WRONG_NUMBER)
    wrongly_flagged, _ = reviewed_call(ctx, lead=True, at=now - 6 * DAY, lines=WRONG_NUMBER)
    return {"passed": passed, "flagged": flagged, "wrong": wrong, "wrongly": wrongly_flagged}


def snapshot(ctx):
    with ctx.db.transaction() as session:
        calls = session.execute(
            select(
                Call.id,
                Call.reviewed_at,
                Call.review_is_lead,
                Call.review_reason,
                Call.review_confidence,
                Call.review_classifier,
            ).order_by(Call.id)
        ).all()
        counts = [
            session.scalar(select(func.count()).select_from(t)) for t in (Lead, LeadHistory, Event)
        ]
        return calls, counts


def test_replay_lists_each_call_whose_verdict_would_change(ctx, calls):
    report = replay(ctx, "admin", 30)
    assert report.replayed == 4
    changed = {c.call_id: (c.was, c.now) for c in report.changes}
    assert changed == {calls["passed"]: (False, True), calls["wrongly"]: (True, False)}
    assert report.totals() == {
        "changed": 2,
        "to_lead": 1,
        "to_not_lead": 1,
        "agreed_with_agents": 0,
        "disagreed_with_agents": 0,
    }
    [to_lead] = [c for c in report.changes if c.now]
    assert to_lead.as_json() == {
        "external_id": external_id_of(ctx, calls["passed"]),
        "was": False,
        "now": True,
        "reason": "Caller needs furnace or heating repair; said they would call back; "
        "no convenient time was offered",
    }


def test_replay_says_whether_each_change_agrees_with_what_agents_decided(ctx, calls):
    flag_call(ctx, "agent", external_id_of(ctx, calls["passed"]))  # agents: a lead
    with ctx.db.transaction() as session:
        wrongly = session.scalar(select(Lead.id).where(Lead.call_id == calls["wrongly"]))
    review.call_back(ctx, "agent", wrongly)  # agents: a lead after all
    report = replay(ctx, "admin", 30)
    totals = report.totals()
    assert (totals["agreed_with_agents"], totals["disagreed_with_agents"]) == (1, 1)
    assert {c.call_id: c.right for c in report.changes} == {
        calls["passed"]: True,
        calls["wrongly"]: False,
    }


def test_replay_against_a_proposed_profile_lists_what_it_would_turn_away(ctx, calls):
    report = replay(ctx, "admin", 30, profile=parse_profile(NO_FURNACES, "proposed.toml"))
    changed = {c.call_id: c.now for c in report.changes}
    assert changed == {calls["flagged"]: False, calls["wrongly"]: False}
    assert all("turns away" in c.reason or "Wrong number" in c.reason for c in report.changes)


def test_replay_stores_nothing(ctx, calls):
    before = snapshot(ctx)
    replay(ctx, "admin", 30)
    replay(ctx, "admin", 30, profile=parse_profile(NO_FURNACES, "proposed.toml"))
    assert snapshot(ctx) == before


def test_replay_reads_in_batches_and_reports_progress(ctx, calls):
    seen = []
    report = replay(ctx, "admin", 30, batch=3, progress=lambda done, of: seen.append((done, of)))
    assert seen == [(0, 4), (3, 4), (4, 4)]
    assert report.totals() == replay(ctx, "admin", 30).totals()


def test_replay_covers_only_the_calls_of_the_period(ctx, calls):
    # Calls started 3 and 4 days ago (and a quarter of an hour before their review).
    assert replay(ctx, "admin", 5).replayed == 2


def test_replay_is_for_administrators(ctx, calls):
    with pytest.raises(PermissionDenied, match="Only an administrator can replay"):
        replay(ctx, "agent", 30)
