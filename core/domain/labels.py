"""What agents' decisions say about the classifier's verdicts: the company's own labels.

A lead's status is a label on the verdict that flagged it: *Reviewed - Not a Lead*
says the flag was wrong; the statuses of a lead worth working (Call Back Attempted,
Not able to save, Not following up) and the two booked ones say it was right; New says
nothing yet. A call the classifier passed over is a **missed lead** when a supervisor
flags it by hand (and nobody then rules it out), or when its customer books a job no
lead led to within the banner window after the call.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.domain.statuses import LeadStatus

CONFIRMING: frozenset[LeadStatus] = frozenset(
    {
        LeadStatus.CALLBACK_ATTEMPTED,
        LeadStatus.NOT_ABLE_TO_SAVE,
        LeadStatus.NOT_FOLLOWING_UP,
        LeadStatus.BOOKED_BY_SCL,
        LeadStatus.BOOKED_ELSEWHERE,
    }
)
REJECTING: frozenset[LeadStatus] = frozenset({LeadStatus.NOT_A_LEAD})


def status_label(status: LeadStatus) -> bool | None:
    """True: it is a lead; False: it is not; None: nobody has decided yet (New)."""
    if status in CONFIRMING:
        return True
    if status in REJECTING:
        return False
    return None


def call_label(
    classifier_said_lead: bool | None, lead_status: LeadStatus | None, booked_later: bool
) -> bool | None:
    """The label of one reviewed call: what the people who handled it decided.

    A lead on a call the classifier passed over was flagged by hand: a supervisor said
    it is a lead, so it is one unless an agent then rules it out. A passed-over call
    with no lead is a lead when its customer went on to book a job that no lead led to
    (`booked_later`, see `booked_within`); otherwise nobody said."""
    if lead_status is not None:
        if classifier_said_lead is False:
            return lead_status not in REJECTING
        return status_label(lead_status)
    if classifier_said_lead is False and booked_later:
        return True
    return None


def is_missed(classifier_said_lead: bool | None, label: bool | None) -> bool:
    """A lead the classifier passed over."""
    return classifier_said_lead is False and label is True


def booked_within(ended_at: datetime, booked_at: datetime, window: timedelta) -> bool:
    """A job counts for a call when booked after it ended, within the banner window
    (both ends included, as the booking banner counts them)."""
    return ended_at <= booked_at <= ended_at + window
