"""What transcription costs and how it goes: for `scl status` and the review pane.

The company pays per minute of audio sent, so the figure is the audio sent this month
(a two-channel recording counts once per channel transcribed), beside each recording's
own duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from core.db.models import Call
from core.db.transcription_models import DELAYED, DONE, UNREADABLE, Transcription
from core.services.context import ServiceContext


@dataclass(frozen=True)
class TranscriptOrigin:
    """A machine-made transcript: who made it, and of how long a recording."""

    engine: str
    model: str
    recording_seconds: float
    channels: int
    done_at: datetime


@dataclass(frozen=True)
class RecentTranscription:
    external_id: str
    recording_seconds: float
    billed_seconds: float
    done_at: datetime


@dataclass(frozen=True)
class TranscriptionUsage:
    month_start: datetime  # the first of this month, UTC
    minutes_this_month: float  # audio sent this month, the figure the bill counts
    recordings_this_month: int
    delayed: int  # calls waiting for another try
    latest_delay: str | None
    unreadable_this_month: int
    latest_unreadable: str | None  # "PBX-…: reason"
    recent: tuple[RecentTranscription, ...]  # the latest, newest first


def month_start(now: datetime) -> datetime:
    now = now.astimezone(UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def transcription_usage(ctx: ServiceContext, recent: int = 5) -> TranscriptionUsage:
    start = month_start(ctx.clock.now())
    with ctx.db.transaction() as session:
        seconds, recordings = session.execute(
            select(func.coalesce(func.sum(Transcription.billed_seconds), 0.0), func.count()).where(
                Transcription.state == DONE, Transcription.done_at >= start
            )
        ).one()
        waiting = (Transcription.state == DELAYED, Call.reviewed_at.is_(None))
        delayed = session.scalar(
            select(func.count()).select_from(Transcription).join(Call).where(*waiting)
        )
        latest_delay = session.execute(
            select(Call.external_id, Transcription.error)
            .join(Call)
            .where(*waiting)
            .order_by(Transcription.updated_at.desc())
            .limit(1)
        ).first()
        unreadable = (Transcription.state == UNREADABLE, Transcription.updated_at >= start)
        unreadable_count = session.scalar(
            select(func.count()).select_from(Transcription).where(*unreadable)
        )
        latest_unreadable = session.execute(
            select(Call.external_id, Transcription.error)
            .join(Call)
            .where(*unreadable)
            .order_by(Transcription.updated_at.desc())
            .limit(1)
        ).first()
        latest = session.execute(
            select(
                Call.external_id,
                Transcription.recording_seconds,
                Transcription.billed_seconds,
                Transcription.done_at,
            )
            .join(Call)
            .where(Transcription.state == DONE)
            .order_by(Transcription.done_at.desc())
            .limit(recent)
        ).all()
    return TranscriptionUsage(
        month_start=start,
        minutes_this_month=float(seconds) / 60,
        recordings_this_month=int(recordings),
        delayed=int(delayed or 0),
        latest_delay=f"{latest_delay[0]}: {latest_delay[1]}" if latest_delay else None,
        unreadable_this_month=int(unreadable_count or 0),
        latest_unreadable=(
            f"{latest_unreadable[0]}: {latest_unreadable[1]}" if latest_unreadable else None
        ),
        recent=tuple(
            RecentTranscription(row[0], row[1] or 0.0, row[2] or 0.0, row[3]) for row in latest
        ),
    )


def transcript_origin(ctx: ServiceContext, call_id: int) -> TranscriptOrigin | None:
    """Who made the call's transcript, when a machine did; None for the phone system's."""
    with ctx.db.transaction() as session:
        row = session.get(Transcription, call_id)
        if row is None or row.state != DONE or row.done_at is None:
            return None
        return TranscriptOrigin(
            engine=row.engine or "",
            model=row.model or "",
            recording_seconds=row.recording_seconds or 0.0,
            channels=row.channels or 1,
            done_at=row.done_at,
        )


def usage_lines(usage: TranscriptionUsage) -> list[str]:
    """The figures as `scl status` prints them."""
    lines = [
        f"Transcription: {usage.minutes_this_month:.1f} minutes this month "
        f"({usage.recordings_this_month} recordings since {usage.month_start:%Y-%m-%d} UTC)"
    ]
    if usage.delayed:
        lines.append(
            f"  {usage.delayed} calls wait (transcription delayed); latest: {usage.latest_delay}"
        )
    if usage.unreadable_this_month:
        lines.append(
            f"  {usage.unreadable_this_month} recordings could not be transcribed this month; "
            f"latest: {usage.latest_unreadable}"
        )
    for item in usage.recent:
        lines.append(
            f"  {item.external_id}: recording {_duration(item.recording_seconds)}, "
            f"{_duration(item.billed_seconds)} sent, {item.done_at:%Y-%m-%d %H:%M} UTC"
        )
    return lines


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
