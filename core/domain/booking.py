"""What a booked job means for the leads of the same customer."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.domain.statuses import LeadStatus, Tab

DEFAULT_BANNER_WINDOW = timedelta(days=14)


def shows_banner(tab: Tab, flagged_at: datetime, now: datetime, window: timedelta) -> bool:
    """The job-booking banner: a lead in the Open or Cold tab flagged within the window.

    The window is inclusive: a lead flagged exactly 14 days ago still shows it.
    """
    return tab in (Tab.OPEN, Tab.COLD) and flagged_at <= now and now - flagged_at <= window


def status_after_booking(
    current: LeadStatus,
    flagged_at: datetime,
    booked_at: datetime,
    window: timedelta,
    called_back_before_booking: bool,
) -> LeadStatus | None:
    """The automatic status a job booked at `booked_at` gives a lead, or None.

    A booking counts for a lead flagged before it (after the call ended) and no more
    than the banner window earlier — the same link the booking screen's banner
    shows. It is *Job booked by SCL* when an SCL call-back preceded it, otherwise
    *Job booked elsewhere*. Final leads never change.
    """
    if current.is_final or booked_at < flagged_at or booked_at - flagged_at > window:
        return None
    if called_back_before_booking:
        return LeadStatus.BOOKED_BY_SCL
    return LeadStatus.BOOKED_ELSEWHERE
