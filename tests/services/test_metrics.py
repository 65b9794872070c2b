"""SCLs Booked and % Increase over a hand-counted fixture."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.services import booking, review
from core.services.errors import InvalidInput
from core.services.metrics import metrics
from tests.builders import add_call, add_lead, seed_people


def test_with_no_calls_the_increase_is_zero(ctx):
    seed_people(ctx)
    m = metrics(ctx, "agent", 30)
    assert (m.inbound_calls, m.scls_booked, m.pct_increase, m.open, m.cold) == (0, 0, 0.0, 0, 0)


def test_scls_booked_counts_only_jobs_saved_by_an_scl_call_back_in_the_period(ctx, clock):
    seed_people(ctx)
    now = clock.now()
    saved = add_lead(ctx, phone="+15125550101", flagged=now - timedelta(days=2))
    elsewhere = add_lead(ctx, phone="+15125550102", flagged=now - timedelta(days=2))
    old = add_lead(ctx, phone="+15125550103", flagged=now - timedelta(days=40))
    for _ in range(3):
        add_call(ctx, phone="+15125550150", ended=now - timedelta(days=1))
    add_call(ctx, phone="+15125550151", ended=now - timedelta(days=1), direction="outbound")
    add_call(ctx, phone="+15125550152", ended=now - timedelta(days=45))

    clock.set(now - timedelta(days=2) + timedelta(hours=1))
    review.call_back(ctx, "agent", saved)
    clock.set(now - timedelta(days=1))
    booking.record_job(ctx, "csr", "+15125550101")
    booking.record_job(ctx, "csr", "+15125550102")
    clock.set(now - timedelta(days=40) + timedelta(hours=1))
    review.call_back(ctx, "agent", old)
    clock.set(now - timedelta(days=39))
    booking.record_job(ctx, "csr", "+15125550103")
    clock.set(now)

    # Inbound calls started in the last 30 days: 3 plain ones + the 2 leads' calls.
    month = metrics(ctx, "agent", 30)
    assert (month.inbound_calls, month.scls_booked) == (5, 1)
    assert month.pct_increase == pytest.approx(100 * 1 / 6)
    quarter = metrics(ctx, "agent", 60)
    assert (quarter.inbound_calls, quarter.scls_booked) == (7, 2)
    assert elsewhere  # booked elsewhere: counted as a call, never as an SCL booking


def test_a_period_other_than_7_30_60_90_is_refused(ctx):
    seed_people(ctx)
    with pytest.raises(InvalidInput, match="7, 30, 60, 90"):
        metrics(ctx, "agent", 14)
