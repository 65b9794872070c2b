"""Metric formulas of the reports, kept as pure arithmetic."""

from __future__ import annotations

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
