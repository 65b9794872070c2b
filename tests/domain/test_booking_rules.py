"""The job-booking banner window and the automatic booked statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.domain.booking import DEFAULT_BANNER_WINDOW, shows_banner, status_after_booking
from core.domain.statuses import LeadStatus, Tab

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WINDOW = DEFAULT_BANNER_WINDOW


def test_the_banner_window_is_14_days():
    assert timedelta(days=14) == WINDOW


@pytest.mark.parametrize("tab", [Tab.OPEN, Tab.COLD])
def test_a_lead_flagged_exactly_14_days_ago_still_shows_the_banner(tab):
    assert shows_banner(tab, NOW - timedelta(days=14), NOW, WINDOW)


def test_a_lead_flagged_14_days_and_a_second_ago_shows_no_banner():
    assert not shows_banner(Tab.OPEN, NOW - timedelta(days=14, seconds=1), NOW, WINDOW)


def test_a_done_lead_never_shows_the_banner():
    assert not shows_banner(Tab.DONE, NOW - timedelta(hours=1), NOW, WINDOW)


def test_a_booking_after_an_scl_call_back_is_job_booked_by_scl():
    flagged = NOW - timedelta(days=1)
    assert (
        status_after_booking(LeadStatus.CALLBACK_ATTEMPTED, flagged, NOW, WINDOW, True)
        is LeadStatus.BOOKED_BY_SCL
    )


def test_a_booking_with_no_call_back_is_job_booked_elsewhere():
    flagged = NOW - timedelta(days=1)
    assert (
        status_after_booking(LeadStatus.NEW, flagged, NOW, WINDOW, False)
        is LeadStatus.BOOKED_ELSEWHERE
    )


def test_a_booking_before_the_lead_was_flagged_changes_nothing():
    assert (
        status_after_booking(LeadStatus.NEW, NOW, NOW - timedelta(minutes=1), WINDOW, False) is None
    )


def test_a_booking_more_than_the_window_after_the_flag_changes_nothing():
    flagged = NOW - WINDOW - timedelta(seconds=1)
    assert status_after_booking(LeadStatus.NEW, flagged, NOW, WINDOW, True) is None


@pytest.mark.parametrize("final", [LeadStatus.BOOKED_BY_SCL, LeadStatus.BOOKED_ELSEWHERE])
def test_a_booking_never_changes_a_final_lead(final):
    assert status_after_booking(final, NOW - timedelta(hours=1), NOW, WINDOW, True) is None
