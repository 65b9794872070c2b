"""How right the classifier is on this company's calls, by what agents decided.

Per classifier and version (as each verdict recorded it), over verdicts made in the
period: leads flagged, how many agents decided, confirmed and rejected, the precision
of the decided ones, and the missed leads found (core.domain.labels). The counts are
the lead list's: a lead flagged in the period is counted once, by its status now.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.db.models import Call, Job, Lead, LeadHistory
from core.domain.labels import is_missed
from core.domain.statuses import AUTOMATIC_STATUSES, LeadStatus
from core.services import actors
from core.services.context import ServiceContext
from core.services.labels import LabelledCall, labelled_calls, split_classifier
from core.services.metrics import period
from core.services.settings import read_settings

WEEK = timedelta(days=7)


@dataclass
class Counts:
    flagged: int = 0
    decided: int = 0
    confirmed: int = 0
    rejected: int = 0
    missed: int = 0

    @property
    def precision(self) -> float | None:
        """Of the flags agents decided, the share they confirmed; None when none."""
        return self.confirmed / self.decided if self.decided else None

    def add(self, call: LabelledCall) -> None:
        if call.said_lead is not False and call.lead_id is not None:
            self.flagged += 1
            if call.label is not None:
                self.decided += 1
                self.confirmed += call.label
                self.rejected += not call.label
        elif is_missed(call.said_lead, call.label):
            self.missed += 1


@dataclass(frozen=True)
class Week:
    start: datetime
    end: datetime
    counts: Counts


@dataclass(frozen=True)
class VersionAccuracy:
    """One classifier version's record over the period, and week by week (oldest
    first; the oldest week may be shorter)."""

    classifier: str
    version: str | None
    days: int
    counts: Counts
    weeks: tuple[Week, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        """`scl accuracy --json`: one object per classifier version (README)."""
        c = self.counts
        return {
            "classifier": self.classifier,
            "version": self.version,
            "days": self.days,
            "flagged": c.flagged,
            "decided": c.decided,
            "confirmed": c.confirmed,
            "rejected": c.rejected,
            "precision": None if c.precision is None else round(c.precision, 4),
            "missed": c.missed,
        }


@dataclass(frozen=True)
class DismissalBooked:
    """One of my "It's not a lead" dismissals whose customer booked a job after all."""

    lead_id: int
    external_id: str
    customer_phone: str
    dismissed_at: datetime
    booked_at: datetime
    status: LeadStatus


def accuracy(ctx: ServiceContext, actor_login: str, days: int = 30) -> list[VersionAccuracy]:
    """Each classifier version with verdicts in the last `days`, the earliest first."""
    since, now = period(ctx, days)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        calls = labelled_calls(session, read_settings(session).banner_window, since, now)
    edges = weeks(since, now)
    first_seen: dict[str, datetime] = {}
    totals: dict[str, Counts] = defaultdict(Counts)
    by_week: dict[str, list[Counts]] = defaultdict(lambda: [Counts() for _ in edges])
    for call in calls:
        first_seen.setdefault(call.classifier, call.reviewed_at)
        totals[call.classifier].add(call)
        by_week[call.classifier][_week_of(edges, call.reviewed_at)].add(call)
    result = []
    for label in sorted(totals, key=lambda k: (first_seen[k], k)):
        name, version = split_classifier(label)
        week_rows = tuple(
            Week(lo, hi, counts) for (lo, hi), counts in zip(edges, by_week[label], strict=True)
        )
        result.append(VersionAccuracy(name, version, days, totals[label], week_rows))
    return result


def my_dismissals_booked(
    ctx: ServiceContext, actor_login: str, days: int = 30
) -> list[DismissalBooked]:
    """The agent's own view: which of my dismissals as "not a lead" in the period were
    later booked elsewhere (the booking gave the lead its automatic status), newest
    first."""
    since, now = period(ctx, days)
    history = aliased(LeadHistory)
    with ctx.db.transaction() as session:
        me = actors.scl_user(session, actor_login)
        rows = session.execute(
            select(
                Lead.id,
                Call.external_id,
                Lead.customer_phone,
                history.at,
                Job.booked_at,
                Lead.status,
            )
            .join(history, history.lead_id == Lead.id)
            .join(Call, Call.id == Lead.call_id)
            .join(Job, Job.id == Lead.job_id)
            .where(
                history.actor_id == me.id,
                history.to_status == LeadStatus.NOT_A_LEAD.value,
                history.at >= since,
                history.at <= now,
                Lead.status.in_([s.value for s in AUTOMATIC_STATUSES]),
                Job.booked_at >= history.at,
            )
            .order_by(history.at.desc(), Lead.id.desc())
        ).all()
    seen: set[int] = set()
    found = []
    for lead_id, external_id, phone, at, booked_at, status in rows:
        if lead_id not in seen:  # dismissed twice: the latest dismissal
            seen.add(lead_id)
            found.append(DismissalBooked(lead_id, external_id, phone, at, booked_at, status))
    return found


def weeks(since: datetime, now: datetime) -> list[tuple[datetime, datetime]]:
    """Weeks ending at `now`, oldest first; the oldest may be shorter."""
    edges = [now]
    while edges[-1] - WEEK > since:
        edges.append(edges[-1] - WEEK)
    edges.append(since)
    edges.reverse()
    return list(itertools.pairwise(edges))


def _week_of(edges: list[tuple[datetime, datetime]], at: datetime) -> int:
    for i, (_, hi) in enumerate(edges):
        if at < hi:
            return i
    return len(edges) - 1
