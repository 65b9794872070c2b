"""Builders for tests of labels, accuracy, replay and learning: calls reviewed by a
named classifier at a given time, with their transcripts."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from core.classify.base import CallForReview, Line, Verdict
from core.db.models import Call, TranscriptSegment
from core.services.context import ServiceContext
from core.services.flagging import Reviewed, record_verdicts

SHIPPED = "embedded 2026.12-1"
_phones = itertools.count(1000)


def new_phone() -> str:
    return f"+1512555{next(_phones):04d}"


def reviewed_call(
    ctx: ServiceContext,
    *,
    lead: bool,
    at: datetime,
    classifier: str = SHIPPED,
    phone: str | None = None,
    lines: Sequence[tuple[str, str]] = (),
    external_id: str | None = None,
    reason: str | None = None,
) -> tuple[int, str]:
    """A call that ended 10 minutes before `at` and was reviewed at `at`; its id and
    its customer phone."""
    phone = phone or new_phone()
    ended = at - timedelta(minutes=10)
    with ctx.db.transaction() as session:
        call = Call(
            external_id=external_id or f"PBX-V-{next(_phones):06d}",
            direction="inbound",
            customer_phone=phone,
            started_at=ended - timedelta(minutes=4),
            ended_at=ended,
            call_type="Service",
            job_booked=False,
            imported_at=ended,
            segments=[
                TranscriptSegment(idx=i, speaker=who, start=2.0 * i, end=2.0 * i + 1.5, text=text)
                for i, (who, text) in enumerate(lines)
            ],
        )
        session.add(call)
        session.flush()
        verdict = Verdict(
            lead, 0.9, reason or ("Caller needs a visit" if lead else "No need"), (), ""
        )
        record_verdicts(
            session, [Reviewed(call.id, phone, verdict)], at, recipients=(), classifier=classifier
        )
        return call.id, phone


def external_id_of(ctx: ServiceContext, call_id: int) -> str:
    with ctx.db.transaction() as session:
        return session.get(Call, call_id).external_id


def transcript_call(
    lines: Sequence[tuple[str, str]], external_id: str = "PBX-FRESH"
) -> CallForReview:
    """A call as a classifier reads it, from (speaker, text) lines."""
    ended = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
    return CallForReview(
        external_id,
        "inbound",
        ended - timedelta(minutes=4),
        ended,
        "Service",
        None,
        None,
        False,
        tuple(Line(i, who, 2.0 * i, 2.0 * i + 1.5, text) for i, (who, text) in enumerate(lines)),
    )
