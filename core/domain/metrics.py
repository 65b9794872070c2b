"""Metric formulas of the reports, kept as pure arithmetic."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

PERIOD_DAYS: tuple[int, ...] = (7, 30, 60, 90)


def pct_increase(scls_booked: int, inbound_calls: int) -> float:
    """% Increase = SCLs booked / (inbound calls + SCLs booked), in percent.

    With nothing in the period (no calls, no SCL bookings) the increase is 0 %.
    """
    if scls_booked < 0 or inbound_calls < 0:
        raise ValueError("counts cannot be negative")
    denominator = inbound_calls + scls_booked
    if denominator == 0:
        return 0.0
    return 100.0 * scls_booked / denominator


def validate_period(days: int) -> int:
    if days not in PERIOD_DAYS:
        allowed = ", ".join(str(d) for d in PERIOD_DAYS)
        raise ValueError(f"period must be one of {allowed} days, not {days}")
    return days


def booking_rate(booked: int, inbound_calls: int) -> float:
    """Booking rate of a CSR = inbound calls booked / inbound calls taken, in percent.

    A CSR who took no inbound calls in the period has a rate of 0 %.
    """
    if booked < 0 or inbound_calls < 0:
        raise ValueError("counts cannot be negative")
    return 0.0 if inbound_calls == 0 else 100.0 * booked / inbound_calls


def bucket_length(days: int) -> timedelta:
    """The width of one bar of the metrics chart: a day for a week, a week otherwise."""
    return timedelta(days=1) if days <= 7 else timedelta(days=7)


def period_buckets(now: datetime, days: int) -> list[tuple[datetime, datetime]]:
    """The chart's bars over the period [now - days, now], oldest first.

    Bars end at `now` and are `bucket_length` wide, so the oldest may be shorter (30
    days: four whole weeks and two days). Each bar holds lo <= t < hi; the last one
    also holds `now` itself, so the bars add up to the period's totals.
    """
    validate_period(days)
    since = now - timedelta(days=days)
    step = bucket_length(days)
    edges = [now]
    while edges[-1] - step > since:
        edges.append(edges[-1] - step)
    edges.append(since)
    edges.reverse()
    return list(itertools.pairwise(edges))
