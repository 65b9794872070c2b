"""The metrics screen's numbers over the hand-counted month (tests/services/period_fixture.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.statuses import LeadStatus
from core.services import booking, review
from core.services.errors import InvalidInput, PermissionDenied
from core.services.metrics import metrics, metrics_detail
from tests.builders import add_lead, seed_people
from tests.services.period_fixture import build_month


@pytest.fixture
def month(ctx, clock):
    return build_month(ctx, clock)


def test_the_header_over_30_days_matches_the_hand_count(ctx, month):
    m = metrics(ctx, "agent", 30)
    assert (m.inbound_calls, m.scls_booked, m.open, m.cold) == (8, 1, 1, 1)
    assert m.pct_increase == pytest.approx(100 / 9)


@pytest.mark.parametrize(("days", "inbound"), [(7, 6), (30, 8), (60, 10), (90, 10)])
def test_the_detail_carries_the_very_same_header_as_the_metrics_service(ctx, month, days, inbound):
    detail = metrics_detail(ctx, "agent", days)
    assert detail.header == metrics(ctx, "agent", days)
    assert detail.header.inbound_calls == inbound


def test_leads_flagged_in_the_period_by_their_status_now(ctx, month):
    detail = metrics_detail(ctx, "agent", 30)
    assert detail.leads_flagged == 4
    by_status = dict(detail.by_status)
    assert list(by_status) == list(LeadStatus)
    assert by_status == {
        LeadStatus.NEW: 2,
        LeadStatus.CALLBACK_ATTEMPTED: 0,
        LeadStatus.NOT_ABLE_TO_SAVE: 0,
        LeadStatus.NOT_FOLLOWING_UP: 0,
        LeadStatus.NOT_A_LEAD: 0,
        LeadStatus.BOOKED_BY_SCL: 1,
        LeadStatus.BOOKED_ELSEWHERE: 1,
    }
    assert dict(metrics_detail(ctx, "agent", 60).by_status)[LeadStatus.NOT_A_LEAD] == 1


def test_thirty_days_are_four_weeks_and_two_days_in_bars_ending_now(ctx, month, clock):
    buckets = metrics_detail(ctx, "agent", 30).buckets
    now = clock.now()
    assert [(b.start, b.end) for b in buckets] == [
        (now - timedelta(days=30), now - timedelta(days=28)),
        (now - timedelta(days=28), now - timedelta(days=21)),
        (now - timedelta(days=21), now - timedelta(days=14)),
        (now - timedelta(days=14), now - timedelta(days=7)),
        (now - timedelta(days=7), now),
    ]
    assert [b.inbound_calls for b in buckets] == [0, 0, 1, 1, 6]
    assert [b.leads_flagged for b in buckets] == [0, 0, 0, 1, 3]
    assert [b.scls_booked for b in buckets] == [0, 0, 0, 0, 1]


@pytest.mark.parametrize(("days", "bars"), [(7, 7), (30, 5), (60, 9), (90, 13)])
def test_the_bars_add_up_to_the_period_totals(ctx, month, days, bars):
    detail = metrics_detail(ctx, "agent", days)
    assert len(detail.buckets) == bars
    assert sum(b.inbound_calls for b in detail.buckets) == detail.header.inbound_calls
    assert sum(b.scls_booked for b in detail.buckets) == detail.header.scls_booked
    assert sum(b.leads_flagged for b in detail.buckets) == detail.leads_flagged


def test_a_call_started_exactly_at_the_period_start_counts_and_one_before_does_not(ctx, clock):
    from tests.builders import add_call

    seed_people(ctx)
    since = clock.now() - timedelta(days=7)
    add_call(ctx, ended=since + timedelta(minutes=4))  # starts exactly at the start
    add_call(ctx, ended=since + timedelta(minutes=4) - timedelta(seconds=1))
    detail = metrics_detail(ctx, "agent", 7)
    assert detail.header.inbound_calls == 1
    assert detail.buckets[0].inbound_calls == 1


def test_with_zero_inbound_calls_an_scl_booking_is_a_100_percent_increase(ctx, clock):
    seed_people(ctx)
    now = clock.now()
    lead = add_lead(ctx, phone="+15125550101", flagged=now - timedelta(days=9))
    clock.set(now - timedelta(days=9) + timedelta(hours=1))
    review.call_back(ctx, "agent", lead)
    clock.set(now - timedelta(days=2))
    booking.record_job(ctx, "agent", "+15125550101")
    clock.set(now)
    detail = metrics_detail(ctx, "agent", 7)
    assert (detail.header.inbound_calls, detail.header.scls_booked) == (0, 1)
    assert detail.header.pct_increase == pytest.approx(100.0)
    assert detail.leads_flagged == 0


def test_with_nothing_at_all_every_number_is_zero(ctx):
    seed_people(ctx)
    detail = metrics_detail(ctx, "admin", 90)
    assert detail.header.pct_increase == 0.0 and detail.leads_flagged == 0
    assert all(b.inbound_calls == b.leads_flagged == b.scls_booked == 0 for b in detail.buckets)


def test_someone_without_the_permission_is_refused_the_metrics(ctx, month):
    with pytest.raises(PermissionDenied, match="View Second Chance Leads"):
        metrics_detail(ctx, "csr", 30)


def test_an_admin_sees_the_metrics_without_a_role(ctx, month):
    assert metrics_detail(ctx, "admin", 30).header.scls_booked == 1


def test_a_period_other_than_7_30_60_90_is_refused_on_the_detail_too(ctx, month):
    with pytest.raises(InvalidInput, match="7, 30, 60, 90"):
        metrics_detail(ctx, "agent", 45)
