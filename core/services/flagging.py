"""Turning reviewed calls into leads (or recording that they are not).

A review worker writes a batch of verdicts inside the database's one write lock
(SQLite has a single writer), so the batch goes in as a few Core executemany
statements on the tables, not as an ORM flush of hundreds of objects: the less time
a worker holds the lock, the more a second worker adds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from core.classify.base import Verdict
from core.db.models import Call, Employee, Lead, LeadHistory
from core.domain.statuses import LeadStatus
from core.services import events, notifications

REVIEWER = "automatic review"


@dataclass(frozen=True)
class Reviewed:
    """A claimed call and what the classifier said of it."""

    call_id: int
    customer_phone: str
    verdict: Verdict


def record_verdicts(
    session: Session,
    reviewed: Sequence[Reviewed],
    at: datetime,
    *,
    recipients: Sequence[Employee] | None = None,
    classifier: str | None = None,
) -> list[int]:
    """Mark the calls reviewed with their verdicts (and the `classifier`, name and
    version, that made them); each lead verdict creates a lead in New, with its history,
    its event and its outbox rows to `recipients` (by default everyone with the
    permission; the demo's replayed history passes nobody). Returns the new leads' ids,
    in the order of `reviewed`."""
    if not reviewed:
        return []
    # By primary key, many rows in one executemany.
    calls = Call.__table__
    session.execute(
        update(calls)
        .where(calls.c.id == bindparam("call_id"))
        .values(
            reviewed_at=at,
            review_is_lead=bindparam("lead"),
            review_reason=bindparam("reason"),
            review_confidence=bindparam("confidence"),
            review_classifier=classifier,
            review_error=None,
            review_claimed_by=None,
            review_lease_until=None,
        ),
        [
            {
                "call_id": r.call_id,
                "lead": r.verdict.lead,
                "reason": r.verdict.reason,
                "confidence": r.verdict.confidence,
            }
            for r in reviewed
        ],
    )
    return create_leads(session, [r for r in reviewed if r.verdict.lead], at, recipients=recipients)


def create_leads(
    session: Session,
    flagged: Sequence[Reviewed],
    at: datetime,
    *,
    recipients: Sequence[Employee] | None = None,
    by: Employee | None = None,
    why: str | None = None,
) -> list[int]:
    """A lead in New for each call, with its history (by the automatic review, or `by`
    a person flagging it by hand, `why`), its event and its outbox rows. Their ids."""
    if not flagged:
        return []
    session.execute(insert(Lead.__table__), [_lead_row(r, at) for r in flagged])
    # One lead per call: their ids by call id. (RETURNING in parameter order would make
    # SQLite insert row by row.)
    id_of_call = dict(
        session.execute(
            select(Lead.call_id, Lead.id).where(Lead.call_id.in_([r.call_id for r in flagged]))
        ).all()
    )
    lead_ids = [id_of_call[r.call_id] for r in flagged]
    session.execute(
        insert(LeadHistory.__table__),
        [
            {
                "lead_id": lead_id,
                "at": at,
                "actor_id": by.id if by else None,
                "actor_label": f"{by.name} (by hand)" if by else REVIEWER,
                "from_status": None,
                "to_status": LeadStatus.NEW.value,
                "why": why or r.verdict.reason,
            }
            for lead_id, r in zip(lead_ids, flagged, strict=True)
        ],
    )
    events.publish_many(
        session,
        events.LEAD_FLAGGED,
        at,
        [
            (lead_id, {"phone": r.customer_phone})
            for lead_id, r in zip(lead_ids, flagged, strict=True)
        ],
    )
    # Same unit of work: the leads and their outbox rows commit together, exactly once.
    if recipients is None:
        recipients = notifications.recipients(session)
    notifications.queue_for_leads(session, lead_ids, at, recipients)
    return lead_ids


def record_verdict(
    session: Session,
    call: Call,
    verdict: Verdict,
    at: datetime,
    *,
    recipients: Sequence[Employee] | None = None,
) -> Lead | None:
    """record_verdicts() for one call held as an object; the lead, if it is one."""
    session.flush()  # the call has its id, and its own pending changes are written first
    lead_ids = record_verdicts(
        session, [Reviewed(call.id, call.customer_phone, verdict)], at, recipients=recipients
    )
    session.expire(call)  # its review columns were written past the object
    return session.get(Lead, lead_ids[0]) if lead_ids else None


def _lead_row(reviewed: Reviewed, at: datetime) -> dict[str, Any]:
    verdict = reviewed.verdict
    return {
        "call_id": reviewed.call_id,
        "customer_phone": reviewed.customer_phone,
        "status": LeadStatus.NEW.value,
        "status_since": at,
        "flagged_at": at,
        "summary": verdict.summary,
        "reason": verdict.reason,
        "confidence": verdict.confidence,
        "evidence": list(verdict.evidence),
        "updated_at": at,
        "version": 1,  # what the ORM's version counter starts a new lead at
    }
