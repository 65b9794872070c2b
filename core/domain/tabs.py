"""The Cold rule and the tab a lead shows in."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.domain.statuses import LeadStatus, Tab

# SPEC leaves the Cold threshold to us: two days is long enough for a busy
# centre to work a weekend's queue, short enough that the lead is still warm.
DEFAULT_COLD_AFTER = timedelta(hours=48)


def cold_cutoff(now: datetime, cold_after: timedelta) -> datetime:
    """A New lead that became New *before* this instant is Cold (queries page by it)."""
    return now - cold_after


def is_cold(
    status: LeadStatus, status_since: datetime, now: datetime, cold_after: timedelta
) -> bool:
    """A New lead goes Cold once it has been unreviewed *longer* than `cold_after`.

    `status_since` is when the lead became New (flagged, or set back to New by hand).
    At exactly `cold_after` the lead is still Open; a second later it is Cold.
    """
    return status is LeadStatus.NEW and status_since < cold_cutoff(now, cold_after)


def cold_deadline(status_since: datetime, cold_after: timedelta) -> datetime:
    """The last instant a New lead is still Open."""
    return status_since + cold_after


def tab_of(status: LeadStatus, status_since: datetime, now: datetime, cold_after: timedelta) -> Tab:
    if is_cold(status, status_since, now, cold_after):
        return Tab.COLD
    return status.home_tab
