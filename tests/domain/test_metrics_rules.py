"""The % Increase formula."""

from __future__ import annotations

import pytest

from core.domain.metrics import pct_increase, validate_period


def test_pct_increase_is_scls_booked_over_inbound_calls_plus_scls_booked():
    assert pct_increase(5, 95) == pytest.approx(5.0)
    assert pct_increase(1, 79) == pytest.approx(1.25)


def test_pct_increase_is_zero_with_no_calls_and_no_bookings():
    assert pct_increase(0, 0) == 0.0


def test_pct_increase_with_zero_inbound_calls_but_scl_bookings_is_100_percent():
    assert pct_increase(3, 0) == pytest.approx(100.0)


def test_pct_increase_refuses_negative_counts():
    with pytest.raises(ValueError):
        pct_increase(-1, 10)


@pytest.mark.parametrize("days", [7, 30, 60, 90])
def test_the_four_periods_are_accepted(days):
    assert validate_period(days) == days


def test_any_other_period_is_refused():
    with pytest.raises(ValueError, match="7, 30, 60, 90"):
        validate_period(14)
