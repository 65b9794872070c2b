"""Recording what happened, for open apps and the notification dispatcher to pick up."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from core.db.models import Event, Lead
from core.db.outages import Backoff, DatabaseStatus, StatusCallback, outage

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


def follow_changes(
    ctx: ServiceContext,
    on_change: Callable[[], None],
    *,
    stopping: Callable[[], bool],
    poll_seconds: float,
    on_status: StatusCallback | None = None,
    backoff: Backoff | None = None,
    slice_seconds: float = 1.0,
) -> None:
    """Call `on_change` now and whenever something may have changed (a NOTIFY, or every
    `poll_seconds`), until `stopping()`; what an open app's live updates run on.

    The database going away (a restart, a network cut) does not end it: `on_status`
    hears "unreachable, retrying" once, the follower listens again with capped
    jittered backoff, calls `on_change` once back (to catch up on what it missed) and
    `on_status` hears "reconnected". Errors that are not an outage are raised."""
    backoff = backoff or Backoff()
    feed: ChangeFeed | None = None
    down_since: float | None = None
    last_look = time.monotonic()
    try:
        while not stopping():
            try:
                if feed is None:
                    feed = ChangeFeed(ctx)
                    on_change()  # listening now: one look catches what came before
                    last_look = time.monotonic()
                    if down_since is not None:
                        took = time.monotonic() - down_since
                        down_since = None
                        backoff.reset()
                        _tell(on_status, DatabaseStatus(True, f"reconnected after {took:.0f} s"))
                # Short waits, so that stopping never waits long on this thread.
                notified = feed.wait(min(slice_seconds, poll_seconds))
                if notified or time.monotonic() - last_look >= poll_seconds:
                    last_look = time.monotonic()
                    on_change()
            except Exception as error:
                found = outage(error)
                if found is None:
                    raise
                if feed is not None:
                    feed.close()
                    feed = None
                delay = backoff.next()
                if down_since is None:
                    down_since = time.monotonic()
                    _tell(on_status, DatabaseStatus(False, f"{found.message}; retrying", delay))
                _sleep_unless(stopping, delay, slice_seconds)
    finally:
        if feed is not None:
            feed.close()


def _tell(on_status: StatusCallback | None, status: DatabaseStatus) -> None:
    if on_status is None:
        return
    try:
        on_status(status)
    except Exception:  # a display that failed (an app on its way out) stops nothing
        logging.getLogger(__name__).exception("change follower: status not shown")


def _sleep_unless(stopping: Callable[[], bool], seconds: float, slice_seconds: float) -> None:
    until = time.monotonic() + seconds
    while not stopping():
        left = until - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, slice_seconds))
