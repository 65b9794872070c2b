"""Flag by hand: a supervisor turns a call the classifier passed over into a lead.

It goes the way of every new lead (core.services.flagging.create_leads): status New,
its history (who flagged it by hand, and why), its event and its notifications. The
classifier's own verdict stays on the call, so the lead counts as one it missed.

Who may: whoever may work leads (View Second Chance Leads, administrators have it),
refused in the same words as every other action on leads.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.classify.base import Verdict
from core.db.models import Call, Lead
from core.domain.statuses import LeadStatus, Tab
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound, StatusRefused
from core.services.flagging import Reviewed, create_leads
from core.services.views import ActionResult

MAX_NOTE_CHARS = 2000


class AlreadyALead(StatusRefused):
    title = "Already a lead"


def flag_call(
    ctx: ServiceContext, actor_login: str, call_ref: str | int, note: str | None = None
) -> ActionResult:
    """Make the reviewed, inbound, unbooked call `call_ref` (its external id, or its id
    as an int) a lead in New; refused for a call that is one already, outbound, booked
    or not yet reviewed."""
    why_text = " ".join((note or "").split())
    if len(why_text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"The note is {len(why_text)} characters; the most is {MAX_NOTE_CHARS}.")
    now = ctx.clock.now()
    try:
        with ctx.db.transaction() as session:
            actor = actors.scl_user(session, actor_login)
            call = _call(session, call_ref)
            _check_flaggable(session, call)
            why = f"Flagged by hand: {why_text}" if why_text else "Flagged by hand"
            passed_over = call.review_reason or "no reason recorded"
            summary = (
                f"{actor.name} flagged this call by hand"
                + (f": {why_text}" if why_text else ".")
                + f" The automatic review had passed it over: {passed_over}"
            )
            reason = why_text or f"Flagged by hand by {actor.name}"
            verdict = Verdict(True, 0.0, reason, (), summary)
            [lead_id] = create_leads(
                session, [Reviewed(call.id, call.customer_phone, verdict)], now, by=actor, why=why
            )
            # A person's word, not the classifier's: no confidence to show.
            session.execute(
                update(Lead.__table__).where(Lead.__table__.c.id == lead_id).values(confidence=None)
            )
            external_id = call.external_id
    except IntegrityError:
        # Another supervisor flagged it at the same moment: one lead per call.
        raise AlreadyALead(f"Call {call_ref} is already a lead (flagged just now).") from None
    return ActionResult(
        lead_id=lead_id,
        status=LeadStatus.NEW,
        tab=Tab.OPEN,
        version=1,
        message=f"Call {external_id} flagged by hand",
    )


def _call(session: Session, call_ref: str | int) -> Call:
    query = select(Call)
    if isinstance(call_ref, int):
        found = session.scalars(query.where(Call.id == call_ref)).one_or_none()
    else:
        found = session.scalars(query.where(Call.external_id == call_ref.strip())).one_or_none()
    if found is None:
        raise NotFound(f"No call {call_ref!r}: give the call's external id.")
    return found


def _check_flaggable(session: Session, call: Call) -> None:
    name = call.external_id
    lead_id = session.scalar(select(Lead.id).where(Lead.call_id == call.id))
    if lead_id is not None:
        raise AlreadyALead(f"Call {name} is already lead {lead_id}.")
    if call.direction != "inbound":
        raise StatusRefused(f"Call {name} is outbound: only inbound calls become leads.")
    if call.job_booked:
        raise StatusRefused(f"Call {name} was booked: a job was made on it, so it is no lead.")
    if call.reviewed_at is None or call.review_is_lead is None:
        raise StatusRefused(
            f"Call {name} has not been reviewed yet; flag it by hand once the automatic "
            "review has passed it over."
        )
