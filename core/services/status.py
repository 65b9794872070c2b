"""The backlog as an operator (or a monitor) sees it: `scl status`.

Cheap counts only, each on an index: calls due, delayed and why, the oldest due
call's wait, leads flagged in the last hour, notifications queued and failing, and
the workers whose heartbeat is fresh. `stuck` is the one verdict a monitor needs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from core.db.intake_models import RecordingFetch, UnansweredCall
from core.db.models import Call, Lead, Notification, WorkerHeartbeat
from core.domain.notifications import Channel, DeliveryState
from core.domain.review_rules import REVIEWED_DIRECTION
from core.log_setup import what_failed
from core.services.context import ServiceContext
from core.services.settings import read_settings
from core.services.transcription import transcription_usage

LIVE_WITHIN = timedelta(minutes=1)
"""A worker whose heartbeat is older than this is not counted (it died or hangs)."""
STUCK_AFTER = timedelta(minutes=10)
"""Due calls this old with no live worker: the backlog is stuck."""
MAX_DUE_AGE = timedelta(hours=1)
"""Due calls this old even with workers running: they do not keep up."""
TOP_REASONS = 3
FAILED_RECORDINGS_SHOWN = 20
FAILED_RECORDINGS_WITHIN = timedelta(days=7)
"""Recordings given up on this recently are named (a week: seen after a weekend)."""


@dataclass(frozen=True)
class Delay:
    reason: str
    calls: int


@dataclass(frozen=True)
class FailedRecording:
    """A Twilio recording the intake gave up fetching: its call has none."""

    call_sid: str
    tries: int
    error: str
    at: datetime


@dataclass(frozen=True)
class WorkerSeen:
    id: str
    host: str
    pid: int
    os_user: str
    started_at: datetime
    last_seen_at: datetime
    calls_done: int
    kind: str = "service"
    """service (`scl worker`), one-shot (`scl worker --once`) or app (an open app)."""


@dataclass(frozen=True)
class Status:
    at: datetime
    enabled: bool
    due: int
    in_review: int
    delayed: int
    delay_reasons: list[Delay]
    oldest_due_seconds: int | None
    flagged_last_hour: int
    notifications_queued: int
    notifications_retrying: int
    notifications_failed_last_day: int
    workers: list[WorkerSeen]
    workers_gone: int
    stuck: bool
    problems: list[str] = field(default_factory=list)
    transcribed_minutes_this_month: float = 0.0
    """Audio sent for transcription since the 1st (UTC): the company pays per minute."""
    recent_recordings: list[tuple[str, float]] = field(default_factory=list)
    """The latest transcribed recordings: (external id, duration in seconds)."""
    recordings_retrying: int = 0
    """Twilio recordings the intake could not fetch yet, to be tried again."""
    recordings_failed: list[FailedRecording] = field(default_factory=list)
    """Twilio recordings given up on in the last week, newest first (at most 20)."""
    unanswered_last_day: dict[str, int] = field(default_factory=dict)
    """Twilio calls that rang unanswered in the last 24 hours, by status (busy,
    no-answer, canceled, failed): counted, not reviewed. Voicemails are calls."""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = _iso(self.at)
        for worker in data["workers"]:
            worker["started_at"] = _iso(worker["started_at"])
            worker["last_seen_at"] = _iso(worker["last_seen_at"])
        data["workers_live"] = len(self.workers)
        for failed in data["recordings_failed"]:
            failed["at"] = _iso(failed["at"])
        return data


def backlog_status(
    ctx: ServiceContext,
    *,
    stuck_after: timedelta = STUCK_AFTER,
    max_due_age: timedelta = MAX_DUE_AGE,
) -> Status:
    """The backlog now; `stuck` when due calls wait longer than `stuck_after` with no
    live worker, or longer than `max_due_age` whatever runs."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        settings = read_settings(session)
        waiting = _waiting(now, settings.after_call_work)
        # One pass over the calls owed a review (few, in a healthy center): due now, in a
        # worker's hands, or held back after a failure; the reasons only when there are any.
        free = or_(Call.review_lease_until.is_(None), Call.review_lease_until < now)
        claimed = and_(Call.review_claimed_by.is_not(None), Call.review_lease_until >= now)
        held_back = and_(
            Call.review_claimed_by.is_(None),
            Call.review_lease_until >= now,
            Call.review_error.is_not(None),
        )
        due, oldest, in_review, delayed = session.execute(
            select(
                func.count().filter(free),
                func.min(Call.ended_at).filter(free),
                func.count().filter(claimed),
                func.count().filter(held_back),
            ).where(waiting)
        ).one()
        reasons = []
        if delayed:
            reasons = session.execute(
                select(Call.review_error, func.count())
                .where(waiting, held_back)
                .group_by(Call.review_error)
                .order_by(func.count().desc(), Call.review_error)
            ).all()
        flagged = _count_of(session, Lead, Lead.flagged_at >= now - timedelta(hours=1))
        # Texts and emails, which the dispatcher sends; in-app ones wait for an open app.
        outbox = Notification.channel != Channel.IN_APP.value
        queued = _count_of(
            session,
            Notification,
            outbox,
            Notification.state.in_([DeliveryState.PENDING.value, DeliveryState.SENDING.value]),
        )
        retrying = _count_of(
            session,
            Notification,
            outbox,
            Notification.state == DeliveryState.PENDING.value,
            Notification.attempts > 0,
        )
        failed = _count_of(
            session,
            Notification,
            outbox,
            Notification.state == DeliveryState.FAILED.value,
            Notification.created_at >= now - timedelta(days=1),
        )
        beats = session.scalars(
            select(WorkerHeartbeat).order_by(WorkerHeartbeat.started_at, WorkerHeartbeat.id)
        ).all()
        workers = [_seen(beat) for beat in beats if beat.last_seen_at >= now - LIVE_WITHIN]
        gone = len(beats) - len(workers)
        unanswered = {
            status: calls
            for status, calls in session.execute(
                select(UnansweredCall.status, func.count())
                .where(UnansweredCall.at >= now - timedelta(days=1))
                .group_by(UnansweredCall.status)
                .order_by(UnansweredCall.status)
            )
        }
        fetches_retrying = _count_of(session, RecordingFetch, RecordingFetch.state == "pending")
        fetches_failed = [
            FailedRecording(row.call_sid, row.attempts, row.error or "", row.updated_at)
            for row in session.scalars(
                select(RecordingFetch)
                .where(
                    RecordingFetch.state == "failed",
                    RecordingFetch.updated_at >= now - FAILED_RECORDINGS_WITHIN,
                )
                .order_by(RecordingFetch.updated_at.desc(), RecordingFetch.call_sid)
                .limit(FAILED_RECORDINGS_SHOWN)
            )
        ]

    oldest_due = None
    if oldest is not None:
        oldest_due = max(0, int((now - (oldest + settings.after_call_work)).total_seconds()))
    problems = _problems(settings.enabled, due, oldest_due, workers, gone, stuck_after, max_due_age)
    usage = transcription_usage(ctx)
    return Status(
        at=now,
        enabled=settings.enabled,
        due=due,
        in_review=in_review,
        delayed=delayed,
        delay_reasons=_top(reasons),
        oldest_due_seconds=oldest_due,
        flagged_last_hour=flagged,
        notifications_queued=queued,
        notifications_retrying=retrying,
        notifications_failed_last_day=failed,
        workers=workers,
        workers_gone=gone,
        stuck=bool(problems),
        problems=problems,
        transcribed_minutes_this_month=round(usage.minutes_this_month, 2),
        recent_recordings=[(r.external_id, r.recording_seconds) for r in usage.recent],
        recordings_retrying=fetches_retrying,
        recordings_failed=fetches_failed,
        unanswered_last_day=unanswered,
    )


def _problems(
    enabled: bool,
    due: int,
    oldest_due: int | None,
    workers: list[WorkerSeen],
    gone: int,
    stuck_after: timedelta,
    max_due_age: timedelta,
) -> list[str]:
    """Why the backlog is stuck, one sentence each (none: it is not)."""
    if not enabled or not due or oldest_due is None:
        return []  # switched off on purpose, or nothing waits
    waited = timedelta(seconds=oldest_due)
    problems = []
    if not workers and waited > stuck_after:
        dead = f" ({gone} stopped sending heartbeats)" if gone else ""
        problems.append(
            f"{due} {'call' if due == 1 else 'calls'} due, the oldest for "
            f"{duration_text(waited)}, and no worker seen in the last "
            f"{duration_text(LIVE_WITHIN)}{dead}"
        )
    if waited > max_due_age:
        problems.append(
            f"the oldest due call has waited {duration_text(waited)}, over the limit of "
            f"{duration_text(max_due_age)}"
        )
    return problems


def _top(reasons: Any) -> list[Delay]:
    """The commonest reasons, each said as what failed (without a service's or a model's
    words, which may quote the call: this output goes to monitors and journals)."""
    counted: Counter[str] = Counter()
    for reason, calls in reasons:
        counted[what_failed(reason or "")] += calls
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    return [Delay(reason, calls) for reason, calls in ranked[:TOP_REASONS]]


def _waiting(now: datetime, after_call_work: timedelta) -> Any:
    """Calls the worker owes a review: inbound, unbooked, unreviewed, past After Call
    Work Time (due now, in review, or held back after a failure)."""
    return and_(
        Call.direction == REVIEWED_DIRECTION,
        Call.job_booked == false(),
        Call.reviewed_at.is_(None),
        Call.ended_at <= now - after_call_work,
    )


def _count_of(session: Session, model: type[Any], *conditions: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def _seen(beat: WorkerHeartbeat) -> WorkerSeen:
    return WorkerSeen(
        id=beat.id,
        host=beat.host,
        pid=beat.pid,
        os_user=beat.os_user,
        started_at=beat.started_at,
        last_seen_at=beat.last_seen_at,
        calls_done=beat.calls_done,
        kind=beat.kind,
    )


def duration_text(span: timedelta) -> str:
    """A wait as people say it: 45 s, 15 min, 3 h 5 min, 3 days."""
    seconds = int(span.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} days"


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
