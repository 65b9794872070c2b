"""Replay before change: what the embedded classifier would say now of past calls.

The period's reviewed inbound unbooked calls are classified again — with the model
the company uses now and the stored company profile, or a proposed profile — and
each call whose verdict would change is listed, with whether agents had decided
otherwise. Nothing is stored. Calls are read a batch at a time, in short read-only
transactions, so 100,000 calls neither fill memory nor hold a snapshot open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from core.classify.embedded import EmbeddedClassifier
from core.classify.profile import CompanyProfile
from core.db.models import Call
from core.services import permissions
from core.services.company import read_profile
from core.services.context import ServiceContext
from core.services.errors import InvalidInput
from core.services.labels import labels_for, load_calls
from core.services.learning import stored_model
from core.services.settings import read_settings

BATCH = 500
MAX_DAYS = 366
Progress = Callable[[int, int], None]  # (calls replayed, calls in all)


@dataclass(frozen=True)
class ReplayChange:
    call_id: int
    external_id: str
    was: bool  # the stored verdict: a lead or not
    now: bool  # what the classifier says now
    reason: str  # the new verdict's reason
    agents: bool | None  # what agents (or a later booking) decided; None: nobody did

    @property
    def right(self) -> bool | None:
        """Would the change have been right, where agents decided?"""
        return None if self.agents is None else self.now == self.agents

    def as_json(self) -> dict[str, object]:
        return {
            "external_id": self.external_id,
            "was": self.was,
            "now": self.now,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ReplayReport:
    days: int
    replayed: int
    classifier: str  # "embedded company-2"
    changes: tuple[ReplayChange, ...]

    def totals(self) -> dict[str, int]:
        """`scl replay --json`'s last line (README)."""
        return {
            "changed": len(self.changes),
            "to_lead": sum(c.now for c in self.changes),
            "to_not_lead": sum(not c.now for c in self.changes),
            "agreed_with_agents": sum(c.right is True for c in self.changes),
            "disagreed_with_agents": sum(c.right is False for c in self.changes),
        }


def replay(
    ctx: ServiceContext,
    actor_login: str,
    days: int = 30,
    *,
    profile: CompanyProfile | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> ReplayReport:
    """Re-classify the last `days` of reviewed calls (administrators); `profile`: a
    proposed company profile instead of the stored one."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"--days must be between 1 and {MAX_DAYS}, not {days}.")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        permissions.require_admin_in(session, actor_login, "replay the classifier on past calls")
        classifier = EmbeddedClassifier(profile or read_profile(session), stored_model(session))
        window = read_settings(session).banner_window
        call_ids = session.scalars(
            select(Call.id)
            .where(
                Call.direction == "inbound",
                Call.started_at >= now - timedelta(days=days),
                Call.started_at <= now,
                Call.job_booked.is_(False),
                Call.review_is_lead.is_not(None),
            )
            .order_by(Call.started_at, Call.id)
        ).all()
    changes: list[ReplayChange] = []
    if progress:
        progress(0, len(call_ids))
    for start in range(0, len(call_ids), batch):
        chunk = call_ids[start : start + batch]
        with ctx.db.transaction() as session:
            calls, facts = load_calls(session, chunk)
            labels = labels_for(session, facts, window)
        for call, fact in zip(calls, facts, strict=True):
            verdict = classifier.classify(call)
            if verdict.lead != fact.said_lead:
                changes.append(
                    ReplayChange(
                        fact.call_id,
                        call.external_id,
                        bool(fact.said_lead),
                        verdict.lead,
                        verdict.reason,
                        labels[fact.call_id],
                    )
                )
        if progress:
            progress(start + len(chunk), len(call_ids))
    label = f"{classifier.name} {classifier.version}"
    return ReplayReport(days, len(call_ids), label, tuple(changes))
