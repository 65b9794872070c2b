"""An agent's actions on a lead: dismiss, call back, set status, add a note."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.db.models import CallbackAttempt, CustomerNote, Employee, Lead, LeadNote, LocationNote
from core.domain.statuses import DismissReason, LeadStatus
from core.domain.tabs import tab_of
from core.domain.transitions import automatic_change_refusal, manual_change_refusal
from core.services import actors, events
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, StatusRefused
from core.services.lead_status import change_status, check_version, stale_lead, touch
from core.services.leads import load_lead
from core.services.settings import read_settings
from core.services.views import ActionResult, NoteView

MAX_NOTE_CHARS = 4000


class NoteTarget(StrEnum):
    """Where an SCL note may also be copied."""

    CUSTOMER = "customer"
    LOCATION = "location"


def dismiss(
    ctx: ServiceContext,
    actor_login: str,
    lead_ref: str | int,
    reason: DismissReason,
    *,
    expected_version: int | None = None,
) -> ActionResult:
    """The Dismiss dialog: each reason leads to its Done status."""

    def act(session: Session, lead: Lead, actor: Employee) -> str:
        _manual_change(lead, reason.status, actor, ctx, why=f"Dismissed: {reason.display_name}")
        return f"Dismissed: {reason.display_name}"

    return _lead_action(ctx, actor_login, lead_ref, expected_version, act)


def set_status(
    ctx: ServiceContext,
    actor_login: str,
    lead_ref: str | int,
    status: LeadStatus,
    *,
    why: str | None = None,
    expected_version: int | None = None,
) -> ActionResult:
    """Set a status by hand; the automatic ones and anything after a final one are refused."""

    def act(session: Session, lead: Lead, actor: Employee) -> str:
        _manual_change(lead, status, actor, ctx, why=why or "Set by hand")
        return f"Status set to {status.display_name!r}"

    return _lead_action(ctx, actor_login, lead_ref, expected_version, act)


def call_back(
    ctx: ServiceContext,
    actor_login: str,
    lead_ref: str | int,
    *,
    expected_version: int | None = None,
) -> ActionResult:
    """Call Customer Back: the dialer places the call, the attempt is recorded, and the
    lead becomes *Lead - Call Back Attempted* (a repeat call back records another try)."""

    def act(session: Session, lead: Lead, actor: Employee) -> str:
        refusal = automatic_change_refusal(LeadStatus(lead.status))
        if refusal is not None:
            raise StatusRefused(refusal.message)
        outcome = ctx.dialer.place_call(lead.customer_phone)
        now = ctx.clock.now()
        session.add(
            CallbackAttempt(
                lead_id=lead.id,
                employee_id=actor.id,
                at=now,
                phone=lead.customer_phone,
                outcome=outcome,
            )
        )
        if lead.status != LeadStatus.CALLBACK_ATTEMPTED.value:
            change_status(lead, LeadStatus.CALLBACK_ATTEMPTED, now, actor, why="Called back")
        else:
            touch(lead, now, actor)
            events.publish(session, events.LEAD_CHANGED, now, lead.id, status=lead.status)
        return outcome

    return _lead_action(ctx, actor_login, lead_ref, expected_version, act)


def add_note(
    ctx: ServiceContext,
    actor_login: str,
    lead_ref: str | int,
    text: str,
    *,
    copy_to: NoteTarget | None = None,
) -> NoteView:
    """Append a note (never overwrites, never conflicts); optionally copy it to the
    customer's or the location's notes."""
    body = text.strip()
    if not body:
        raise InvalidInput("The note is empty.")
    if len(body) > MAX_NOTE_CHARS:
        raise InvalidInput(f"The note is {len(body)} characters; the most is {MAX_NOTE_CHARS}.")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        actor = actors.scl_user(session, actor_login)
        lead = load_lead(session, lead_ref)
        call = lead.call
        if copy_to is NoteTarget.CUSTOMER:
            if call.customer_id is None:
                raise InvalidInput("This call has no customer on file to copy the note to.")
            session.add(
                CustomerNote(
                    customer_id=call.customer_id,
                    author_id=actor.id,
                    created_at=now,
                    text=body,
                    lead_id=lead.id,
                )
            )
        elif copy_to is NoteTarget.LOCATION:
            if call.location_id is None:
                raise InvalidInput("This call has no location on file to copy the note to.")
            session.add(
                LocationNote(
                    location_id=call.location_id,
                    author_id=actor.id,
                    created_at=now,
                    text=body,
                    lead_id=lead.id,
                )
            )
        note = LeadNote(
            lead_id=lead.id,
            author_id=actor.id,
            created_at=now,
            text=body,
            copied_to=copy_to.value if copy_to else None,
        )
        session.add(note)
        session.flush()
        # Open apps show the note on the lead being read: a note leaves its version be.
        events.publish(session, events.LEAD_NOTED, now, lead.id, note_id=note.id, author=actor.name)
        return NoteView(note.id, actor.name, now, body, note.copied_to)


def _manual_change(
    lead: Lead, to: LeadStatus, actor: Employee, ctx: ServiceContext, *, why: str
) -> None:
    refusal = manual_change_refusal(LeadStatus(lead.status), to)
    if refusal is not None:
        raise StatusRefused(refusal.message)
    change_status(lead, to, ctx.clock.now(), actor, why=why)


def _lead_action(
    ctx: ServiceContext,
    actor_login: str,
    lead_ref: str | int,
    expected_version: int | None,
    act: Callable[[Session, Lead, Employee], str],
) -> ActionResult:
    """Permission, then the lead, then the race check, then the action, in one unit."""
    with _refuse_lost_race(ctx, lead_ref), ctx.db.transaction() as session:
        actor = actors.scl_user(session, actor_login)
        lead = load_lead(session, lead_ref)
        check_version(lead, expected_version)
        message = act(session, lead, actor)
        session.flush()
        settings = read_settings(session)
        status = LeadStatus(lead.status)
        return ActionResult(
            lead_id=lead.id,
            status=status,
            tab=tab_of(status, lead.status_since, ctx.clock.now(), settings.cold_after),
            version=lead.version,
            message=message,
        )


@contextmanager
def _refuse_lost_race(ctx: ServiceContext, lead_ref: str | int) -> Iterator[None]:
    """Two writers read the same version and one committed first: the other's UPDATE
    matched no row. Report who won, from a fresh read."""
    try:
        yield
    except StaleDataError:
        with ctx.db.transaction() as session:
            raise stale_lead(load_lead(session, lead_ref)) from None
