"""Recording what happened, for open apps and the notification dispatcher to pick up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from core.db.models import Event, Lead

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
    session.add(Event(at=at, kind=kind, lead_id=lead_id, lead=lead, payload=payload))
