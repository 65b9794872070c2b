"""The company's labels, read from the database: which reviewed calls agents (and
customers) have decided, and how. The rules are core.domain.labels; this finds the facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from core.classify.base import CallForReview, call_for_review
from core.db.models import Call, Customer, Job, Lead, TranscriptSegment
from core.domain.labels import booked_within, call_label
from core.domain.statuses import LeadStatus

UNRECORDED = "unrecorded"  # verdicts from before the classifier was recorded with them


@dataclass(frozen=True)
class LabelledCall:
    """A reviewed call someone said something about (a lead, or a later booking)."""

    call_id: int
    classifier: str  # "embedded 2026.12-1", as the review recorded it
    reviewed_at: datetime
    said_lead: bool | None  # the classifier's verdict
    lead_id: int | None
    status: LeadStatus | None  # the lead's status now
    label: bool | None  # core.domain.labels.call_label


@dataclass(frozen=True)
class CallFacts:
    """What labelling one call needs, as a replay or a fit reads it."""

    call_id: int
    customer_phone: str
    ended_at: datetime
    said_lead: bool | None


def split_classifier(label: str | None) -> tuple[str, str | None]:
    """The label "embedded 2026.12-1" → ("embedded", "2026.12-1"); a call reviewed before the
    classifier was recorded → ("unrecorded", None)."""
    if not label:
        return UNRECORDED, None
    name, _, version = label.partition(" ")
    return name, version or None


def labelled_calls(
    session: Session,
    window: timedelta,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[LabelledCall]:
    """Every reviewed call with a lead or with a job booked after it that no lead led
    to (both only a few of all calls), reviewed within [since, until] when given."""
    period = [Call.reviewed_at.is_not(None)]
    if since is not None:
        period.append(Call.reviewed_at >= since)
    if until is not None:
        period.append(Call.reviewed_at <= until)
    found: dict[int, LabelledCall] = {}
    for row in session.execute(
        select(
            Call.id,
            Call.review_classifier,
            Call.reviewed_at,
            Call.review_is_lead,
            Lead.id,
            Lead.status,
        )
        .join(Lead, Lead.call_id == Call.id)
        .where(*period)
    ):
        status = LeadStatus(row[5])
        found[row[0]] = LabelledCall(
            row[0], row[1] or "", row[2], row[3], row[4], status, call_label(row[3], status, False)
        )
    for call_id, classifier, reviewed_at, ended_at, booked_at in session.execute(
        _booked_after_passed_over().where(*period)
    ):
        if call_id in found or not booked_within(ended_at, booked_at, window):
            continue
        found[call_id] = LabelledCall(
            call_id, classifier or "", reviewed_at, False, None, None, True
        )
    return sorted(found.values(), key=lambda c: (c.reviewed_at, c.call_id))


def labels_for(
    session: Session, calls: Sequence[CallFacts], window: timedelta
) -> dict[int, bool | None]:
    """The label of each of these calls (a batch of a replay or a fit)."""
    ids = [c.call_id for c in calls]
    statuses = dict(
        session.execute(select(Lead.call_id, Lead.status).where(Lead.call_id.in_(ids))).all()
    )
    booked: dict[int, bool] = defaultdict(bool)
    passed = [c.call_id for c in calls if c.said_lead is False and c.call_id not in statuses]
    if passed:
        for call_id, _, _, ended_at, booked_at in session.execute(
            _booked_after_passed_over().where(Call.id.in_(passed))
        ):
            booked[call_id] |= booked_within(ended_at, booked_at, window)
    return {
        c.call_id: call_label(
            c.said_lead,
            LeadStatus(statuses[c.call_id]) if c.call_id in statuses else None,
            booked[c.call_id],
        )
        for c in calls
    }


def _booked_after_passed_over():  # type: ignore[no-untyped-def]
    """Passed-over calls with no lead, each with the jobs its customer booked after it
    that saved no lead (the window is checked by the caller: date arithmetic differs
    between SQLite and PostgreSQL)."""
    other = aliased(Lead)
    return (
        select(Call.id, Call.review_classifier, Call.reviewed_at, Call.ended_at, Job.booked_at)
        .join(Job, and_(Job.customer_phone == Call.customer_phone, Job.booked_at >= Call.ended_at))
        .where(
            Call.review_is_lead.is_(False),
            ~exists().where(Lead.call_id == Call.id),
            ~exists().where(other.job_id == Job.id),
        )
    )


def load_calls(
    session: Session, call_ids: Sequence[int]
) -> tuple[list[CallForReview], list[CallFacts]]:
    """The calls as a classifier reads them, with what labelling them needs, in the
    order of `call_ids` (plain rows: only read)."""
    rows = session.execute(
        select(
            Call.id,
            Call.brand,
            Call.external_id,
            Call.direction,
            Call.started_at,
            Call.ended_at,
            Call.call_type,
            Call.csr_notes,
            Call.job_booked,
            Call.recording,
            Call.customer_phone,
            Call.review_is_lead,
            Customer.name,
        )
        .outerjoin(Customer, Call.customer_id == Customer.id)
        .where(Call.id.in_(call_ids))
    ).all()
    segments: dict[int, list[object]] = {call_id: [] for call_id in call_ids}
    for segment in session.execute(
        select(
            TranscriptSegment.call_id,
            TranscriptSegment.speaker,
            TranscriptSegment.start,
            TranscriptSegment.end,
            TranscriptSegment.text,
        )
        .where(TranscriptSegment.call_id.in_(call_ids))
        .order_by(TranscriptSegment.call_id, TranscriptSegment.idx)
    ):
        segments[segment.call_id].append(segment)
    by_id = {row.id: row for row in rows}
    ordered = [by_id[call_id] for call_id in call_ids]
    calls = [call_for_review(r, r.name, segments[r.id]) for r in ordered]  # type: ignore[arg-type]
    facts = [CallFacts(r.id, r.customer_phone, r.ended_at, r.review_is_lead) for r in ordered]
    return calls, facts
