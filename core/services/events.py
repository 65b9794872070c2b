"""Recording what happened, for open apps and the notification dispatcher to pick up."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text
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
    _notify_listeners(session, kind)
    event = Event(at=at, kind=kind, payload=payload)
    # Set one side only: a relationship set to None would blank the id at the flush.
    if lead is not None:
        event.lead = lead
    else:
        event.lead_id = lead_id
    session.add(event)


def publish_many(
    session: Session, kind: str, at: datetime, leads: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """publish() for many leads at once, (lead id, payload) each, in one statement."""
    if not leads:
        return
    _notify_listeners(session, kind)
    session.execute(
        insert(Event.__table__),
        [{"at": at, "kind": kind, "lead_id": lead_id, "payload": data} for lead_id, data in leads],
    )


def _notify_listeners(session: Session, kind: str) -> None:
    if session.get_bind().dialect.name == "postgresql" and not session.info.get("notified"):
        # Delivered at commit, and only then: listeners never see a rolled-back change.
        # One per unit of work is enough: a listener then reads every new event.
        session.execute(
            text("SELECT pg_notify(:channel, :kind)"), {"channel": CHANNEL, "kind": kind}
        )
        session.info["notified"] = True


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


CHANNEL = "scl_events"


class ChangeFeed:
    """Wakes an open app when something changed, on this host or another.

    PostgreSQL pushes a NOTIFY with every committed event; elsewhere the feed just
    waits out the interval, and the app compares the cheap change marker.
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self._connection: Any = None
        if ctx.db.is_postgres:
            import psycopg

            url = ctx.db.url.set(drivername="postgresql")
            self._connection = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True
            )
            self._connection.execute(f"LISTEN {CHANNEL}")

    def wait(self, seconds: float) -> bool:
        """Return after `seconds`, or as soon as PostgreSQL says something changed
        (then True)."""
        if self._connection is None:
            time.sleep(seconds)
            return False
        return any(True for _ in self._connection.notifies(timeout=seconds, stop_after=1))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
