"""Turning a reviewed call into a lead (or recording that it is not one)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from core.classify.base import Verdict
from core.db.models import Call, Employee, Lead, LeadHistory
from core.domain.statuses import LeadStatus
from core.services import events, notifications

REVIEWER = "automatic review"


def record_verdict(
    session: Session,
    call: Call,
    verdict: Verdict,
    at: datetime,
    *,
    recipients: Sequence[Employee] | None = None,
) -> Lead | None:
    """Mark the call reviewed with its verdict; a lead verdict creates the lead in New and
    notifies `recipients` (by default everyone with the permission: a worker writing a
    batch looks them up once; the demo's replayed history passes nobody)."""
    call.reviewed_at = at
    call.review_is_lead = verdict.lead
    call.review_reason = verdict.reason
    call.review_confidence = verdict.confidence
    call.review_error = None
    call.review_claimed_by = None
    call.review_lease_until = None
    if not verdict.lead:
        return None
    lead = Lead(
        call_id=call.id,
        customer_phone=call.customer_phone,
        status=LeadStatus.NEW.value,
        status_since=at,
        flagged_at=at,
        summary=verdict.summary,
        reason=verdict.reason,
        confidence=verdict.confidence,
        evidence=list(verdict.evidence),
        updated_at=at,
    )
    # No flush here: the lead's rows follow it by relationship, so a worker's batch of
    # verdicts goes to the database in one flush, as multi-row inserts.
    session.add(lead)
    session.add(
        LeadHistory(
            lead=lead,
            at=at,
            actor_label=REVIEWER,
            from_status=None,
            to_status=LeadStatus.NEW.value,
            why=verdict.reason,
        )
    )
    events.publish(session, events.LEAD_FLAGGED, at, lead=lead, phone=call.customer_phone)
    # Same unit of work: the lead and its outbox rows commit together, exactly once.
    if recipients is None:
        recipients = notifications.recipients(session)
    notifications.queue_for_lead(session, lead, at, recipients)
    return lead
