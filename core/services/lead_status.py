"""The one place a lead's status is written: history, timestamps, event, race check."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from core.db.models import Employee, Lead, LeadHistory
from core.domain.statuses import LeadStatus
from core.domain.zones import abbreviation, shown_at
from core.services import events
from core.services.actors import display_name
from core.services.errors import StaleLead
from core.services.settings import read_settings


def change_status(
    lead: Lead,
    to: LeadStatus,
    at: datetime,
    actor: Employee | None,
    *,
    why: str | None = None,
    actor_label: str | None = None,
) -> None:
    """Move the lead and record who or what moved it; the caller has checked the rules."""
    session = _session_of(lead)
    before = LeadStatus(lead.status)
    lead.status = to.value
    lead.status_since = at
    touch(lead, at, actor)
    session.add(
        LeadHistory(
            lead_id=lead.id,
            at=at,
            actor_id=actor.id if actor else None,
            actor_label=actor_label or display_name(actor),
            from_status=before.value,
            to_status=to.value,
            why=why,
        )
    )
    events.publish(session, events.LEAD_CHANGED, at, lead.id, status=to.value)


def touch(lead: Lead, at: datetime, actor: Employee | None) -> None:
    """Mark the lead changed (its version goes up on flush), naming who changed it."""
    lead.updated_at = at
    lead.updated_by_id = actor.id if actor else None


def check_version(lead: Lead, expected_version: int | None) -> None:
    if expected_version is not None and lead.version != expected_version:
        raise stale_lead(lead)


def stale_lead(lead: Lead) -> StaleLead:
    status = LeadStatus(lead.status)
    zone = read_settings(_session_of(lead)).zone
    when = f"{shown_at(lead.updated_at, zone)} {abbreviation(lead.updated_at, zone)}".rstrip()
    return StaleLead(
        f"Lead {lead.id} was changed by {display_name(lead.updated_by)} at {when}; it is now "
        f"{status.display_name!r}. Nothing was changed: look at it again before acting."
    )


def _session_of(lead: Lead) -> Session:
    session = object_session(lead)
    if session is None:
        raise RuntimeError("change_status needs a lead attached to a session")
    return session
