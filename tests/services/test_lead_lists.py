"""Reading leads: tabs, the Cold rule in queries, keyset paging, counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.statuses import DismissReason, LeadStatus, Tab
from core.services import review
from core.services.errors import InvalidInput, PermissionDenied
from core.services.leads import get_review, list_leads, tab_counts
from core.services.views import TabCounts
from tests.builders import add_lead, seed_people


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def ids(page):
    return [row.lead_id for row in page.rows]


def test_a_new_lead_unreviewed_exactly_48_hours_is_open_and_a_second_more_is_cold(
    ctx, people, clock
):
    at_boundary = add_lead(ctx, flagged=clock.now() - timedelta(hours=48))
    past = add_lead(ctx, flagged=clock.now() - timedelta(hours=48, seconds=1))
    assert ids(list_leads(ctx, "agent", Tab.OPEN)) == [at_boundary]
    assert ids(list_leads(ctx, "agent", Tab.COLD)) == [past]
    assert tab_counts(ctx, "agent") == TabCounts(open=1, cold=1, done=0)


def test_a_call_back_brings_a_cold_lead_back_to_open(ctx, people, clock):
    cold = add_lead(ctx, flagged=clock.now() - timedelta(days=3))
    assert review.call_back(ctx, "agent", cold).tab is Tab.OPEN
    assert ids(list_leads(ctx, "agent", Tab.OPEN)) == [cold]


def test_the_cold_threshold_follows_the_setting(ctx, people, clock):
    from core.services.settings import set_setting

    lead = add_lead(ctx, flagged=clock.now() - timedelta(hours=25))
    assert ids(list_leads(ctx, "agent", Tab.OPEN)) == [lead]
    set_setting(ctx, "admin", "cold_after_hours", "24")
    assert ids(list_leads(ctx, "agent", Tab.COLD)) == [lead]


def test_lists_are_newest_first_and_page_without_gaps_or_repeats(ctx, people, clock):
    made = [add_lead(ctx, flagged=clock.now() - timedelta(minutes=m)) for m in range(7)]
    first = list_leads(ctx, "agent", Tab.OPEN, limit=3)
    second = list_leads(ctx, "agent", Tab.OPEN, limit=3, after=first.next_cursor)
    third = list_leads(ctx, "agent", Tab.OPEN, limit=3, after=second.next_cursor)
    assert ids(first) + ids(second) + ids(third) == made
    assert third.next_cursor is None


def test_leads_flagged_at_the_same_instant_page_by_id(ctx, people, clock):
    same = [add_lead(ctx, flagged=clock.now()) for _ in range(4)]
    first = list_leads(ctx, "agent", Tab.OPEN, limit=2)
    second = list_leads(ctx, "agent", Tab.OPEN, limit=2, after=first.next_cursor)
    assert ids(first) + ids(second) == sorted(same, reverse=True)


def test_a_tab_filters_by_status(ctx, people):
    kept = add_lead(ctx)
    dismissed = add_lead(ctx)
    review.dismiss(ctx, "agent", dismissed, DismissReason.NOT_A_LEAD)
    review.call_back(ctx, "agent", kept)
    page = list_leads(ctx, "agent", Tab.DONE, LeadStatus.NOT_A_LEAD)
    assert ids(page) == [dismissed]
    assert ids(list_leads(ctx, "agent", Tab.OPEN, LeadStatus.CALLBACK_ATTEMPTED)) == [kept]
    assert ids(list_leads(ctx, "agent", Tab.OPEN, LeadStatus.NEW)) == []


def test_a_status_that_is_never_in_a_tab_is_refused_as_a_filter(ctx, people):
    with pytest.raises(InvalidInput, match="Open tab has no"):
        list_leads(ctx, "agent", Tab.OPEN, LeadStatus.NOT_A_LEAD)


def test_every_row_says_when_a_new_lead_goes_cold(ctx, people, clock):
    add_lead(ctx, flagged=clock.now() - timedelta(hours=5))
    row = list_leads(ctx, "agent", Tab.OPEN).rows[0]
    assert row.cold_at == clock.now() + timedelta(hours=43)


def test_the_lists_refuse_someone_without_the_permission(ctx, people):
    with pytest.raises(PermissionDenied):
        list_leads(ctx, "csr", Tab.OPEN)
    with pytest.raises(PermissionDenied):
        tab_counts(ctx, "csr")


def test_the_review_record_has_the_call_the_transcript_and_the_allowed_statuses(ctx, people):
    lead = add_lead(ctx)
    record = get_review(ctx, "agent", lead)
    assert record.row.csr_name == "Jo Martinez"
    assert record.summary == "Dana needs her AC looked at."
    assert record.evidence == (1,)
    assert LeadStatus.BOOKED_BY_SCL not in record.allowed_statuses
    assert LeadStatus.NEW not in record.allowed_statuses


@pytest.mark.parametrize("text", ["0134", "(512) 555-01", "Jo Mart", "csr", "AC repair"])
def test_a_filter_narrows_the_list_by_phone_csr_or_text(ctx, people, text):
    wanted = add_lead(ctx, phone="+15125550134", reason="Caller needs AC repair; price")
    add_lead(ctx, phone="+17375550199", reason="Caller needs drain cleaning")
    from core.db.models import Call, Employee, Lead

    with ctx.db.transaction() as session:  # the second lead's call was taken by someone else
        other = session.get(Lead, wanted + 1)
        session.get(Call, other.call_id).csr_id = (
            session.query(Employee).filter_by(login="agent2").one().id
        )
    assert ids(list_leads(ctx, "agent", Tab.OPEN, search=text)) == [wanted]


def test_a_filter_with_sql_wildcards_is_taken_literally(ctx, people):
    add_lead(ctx, reason="Caller needs AC repair")
    assert ids(list_leads(ctx, "agent", Tab.OPEN, search="%")) == []
