"""Which calls the automatic review looks at: inbound calls that ended unbooked."""

from __future__ import annotations

REVIEWED_DIRECTION = "inbound"


def why_not_reviewed(direction: str, job_booked: bool) -> str | None:
    """None for a call the review decides on; otherwise why it is never a lead."""
    if direction != REVIEWED_DIRECTION:
        return "Not reviewed: an outbound call (only inbound calls are)"
    if job_booked:
        return "Not reviewed: the job was booked on the call"
    return None


# Verdicts the classifier is less sure of than this are marked uncertain for agents to
# check. Confidence is calibrated on writers held out of training, so a lead shown at
# 0.7 is wrong about three times in ten.
UNCERTAIN_BELOW = 0.75


def is_uncertain(confidence: float | None) -> bool:
    return confidence is not None and confidence < UNCERTAIN_BELOW
