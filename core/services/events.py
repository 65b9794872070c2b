"""Recording what happened, for open apps and the notification dispatcher to pick up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import Event, Lead

if TYPE_CHECKING:
    from core.services.context import ServiceContext

LEAD_FLAGGED = "lead.flagged"
LEAD_CHANGED = "lead.changed"
LEAD_NOTED = "lead.noted"


def publish(
    session: Session,
    kind: str,
    at: datetime,
    lead_id: int | None = None,
    *,
    lead: Lead | None = None,
    **payload: Any,
) -> None:
    """Written in the same transaction as the change, so no event is lost or phantom.
    Pass `lead` for a lead not flushed yet (its id is filled in at the flush)."""
    event = Event(at=at, kind=kind, payload=payload)
    # Set one side only: a relationship set to None would blank the id at the flush.
    if lead is not None:
        event.lead = lead
    else:
        event.lead_id = lead_id
    session.add(event)


@dataclass(frozen=True)
class EventView:
    event_id: int
    kind: str
    at: datetime
    lead_id: int | None
    payload: dict[str, Any]


def latest_event_id(ctx: ServiceContext) -> int:
    """The change marker open apps poll: one index lookup."""
    with ctx.db.transaction() as session:
        return session.scalar(select(func.max(Event.id))) or 0


def events_after(ctx: ServiceContext, after_id: int, limit: int = 200) -> list[EventView]:
    with ctx.db.transaction() as session:
        return [
            EventView(e.id, e.kind, e.at, e.lead_id, dict(e.payload or {}))
            for e in session.scalars(
                select(Event).where(Event.id > after_id).order_by(Event.id).limit(limit)
            )
        ]
