"""The chart's bars over a period, and the booking rate."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from core.domain.metrics import booking_rate, bucket_length, period_buckets

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def test_seven_days_are_seven_daily_bars_ending_now():
    bars = period_buckets(NOW, 7)
    assert len(bars) == 7 and bucket_length(7) == timedelta(days=1)
    assert bars[0][0] == NOW - timedelta(days=7) and bars[-1][1] == NOW


@pytest.mark.parametrize(("days", "count", "first"), [(30, 5, 2), (60, 9, 4), (90, 13, 6)])
def test_longer_periods_are_weeks_ending_now_with_a_short_first_bar(days, count, first):
    bars = period_buckets(NOW, days)
    assert len(bars) == count
    assert bars[0][1] - bars[0][0] == timedelta(days=first)
    assert all(hi - lo == timedelta(days=7) for lo, hi in bars[1:])
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bars))


def test_booking_rate_is_booked_over_inbound_in_percent_and_zero_without_calls():
    assert booking_rate(1, 4) == pytest.approx(25.0)
    assert booking_rate(0, 0) == 0.0
    with pytest.raises(ValueError):
        booking_rate(-1, 3)


def test_a_period_outside_the_four_is_refused():
    with pytest.raises(ValueError, match="7, 30, 60, 90"):
        period_buckets(NOW, 14)
