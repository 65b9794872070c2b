"""The Cold rule at its boundary, and which tab a lead shows in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.domain.statuses import LeadStatus, Tab
from core.domain.tabs import DEFAULT_COLD_AFTER, cold_deadline, is_cold, tab_of

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
COLD = timedelta(hours=48)


def test_the_default_cold_threshold_is_48_hours():
    assert timedelta(hours=48) == DEFAULT_COLD_AFTER


def test_a_new_lead_unreviewed_exactly_the_threshold_is_still_open():
    since = NOW - COLD
    assert not is_cold(LeadStatus.NEW, since, NOW, COLD)
    assert tab_of(LeadStatus.NEW, since, NOW, COLD) is Tab.OPEN


def test_a_new_lead_one_second_past_the_threshold_is_cold():
    since = NOW - COLD - timedelta(seconds=1)
    assert is_cold(LeadStatus.NEW, since, NOW, COLD)
    assert tab_of(LeadStatus.NEW, since, NOW, COLD) is Tab.COLD


@pytest.mark.parametrize("status", [s for s in LeadStatus if s is not LeadStatus.NEW])
def test_only_new_leads_go_cold(status):
    long_ago = NOW - timedelta(days=30)
    assert not is_cold(status, long_ago, NOW, COLD)
    assert tab_of(status, long_ago, NOW, COLD) is status.home_tab


def test_the_cold_deadline_is_the_last_open_instant():
    since = NOW - timedelta(hours=10)
    deadline = cold_deadline(since, COLD)
    assert deadline == since + COLD
    assert tab_of(LeadStatus.NEW, since, deadline, COLD) is Tab.OPEN
    assert tab_of(LeadStatus.NEW, since, deadline + timedelta(microseconds=1), COLD) is Tab.COLD
