"""Booking a job, and the automatic status it gives the customer's leads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.db.models import Call, CallbackAttempt, Employee, Job, Lead
from core.domain.booking import status_after_booking
from core.domain.phones import InvalidPhone, normalise_phone
from core.domain.settings import CompanySettings
from core.domain.statuses import AUTOMATIC_STATUSES, LeadStatus
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound
from core.services.lead_status import change_status
from core.services.settings import read_settings
from core.services.views import BookingResult

AUTOMATIC_ACTOR = "automatic: job booked"
RACE_RETRIES = 3


def record_job(
    ctx: ServiceContext,
    actor_login: str,
    phone: str,
    *,
    booked_at: datetime | None = None,
    call_external_id: str | None = None,
) -> BookingResult:
    """Record a job booked for this customer and apply the automatic lead statuses."""
    try:
        customer_phone = normalise_phone(phone)
    except InvalidPhone as error:
        raise InvalidInput(str(error)) from None
    when = booked_at or ctx.clock.now()
    if when.tzinfo is None:
        raise InvalidInput("The booking time needs a UTC offset, e.g. 2026-11-20T14:03:00-06:00.")
    for attempt in range(RACE_RETRIES):
        try:
            with ctx.db.transaction() as session:
                actor = actors.employee(session, actor_login)
                call_id = _booked_on_call(session, call_external_id)
                job = Job(
                    customer_phone=customer_phone,
                    booked_at=when,
                    booked_by_id=actor.id,
                    call_id=call_id,
                    created_at=ctx.clock.now(),
                )
                session.add(job)
                session.flush()
                changed = apply_booking(session, job, read_settings(session), actor)
                return BookingResult(job.id, customer_phone, when, tuple(changed))
        except StaleDataError:
            # An agent changed one of the leads at the same instant: read again, retry.
            if attempt == RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def apply_booking(
    session: Session, job: Job, settings: CompanySettings, booked_by: Employee | None
) -> list[tuple[int, LeadStatus]]:
    """Give every linked lead of the job's customer its automatic booked status."""
    candidates = session.scalars(
        select(Lead)
        .where(
            Lead.customer_phone == job.customer_phone,
            Lead.status.not_in([s.value for s in AUTOMATIC_STATUSES]),
            Lead.flagged_at <= job.booked_at,
        )
        .order_by(Lead.flagged_at)
    ).all()
    changed: list[tuple[int, LeadStatus]] = []
    for lead in candidates:
        called_back = session.scalar(
            select(
                exists().where(
                    CallbackAttempt.lead_id == lead.id, CallbackAttempt.at <= job.booked_at
                )
            )
        )
        target = status_after_booking(
            LeadStatus(lead.status),
            lead.flagged_at,
            job.booked_at,
            settings.banner_window,
            bool(called_back),
        )
        if target is None:
            continue
        by = f" by {booked_by.name}" if booked_by else ""
        change_status(
            lead,
            target,
            job.booked_at,
            None,
            actor_label=AUTOMATIC_ACTOR,
            why=f"Job #{job.id} booked{by}",
        )
        lead.job_id = job.id
        changed.append((lead.id, target))
    return changed


def _booked_on_call(session: Session, external_id: str | None) -> int | None:
    """The call the job was booked on, now marked booked (so it is never reviewed)."""
    if external_id is None:
        return None
    call = session.scalars(select(Call).where(Call.external_id == external_id)).one_or_none()
    if call is None:
        raise NotFound(f"No call with external id {external_id!r}.")
    call.job_booked = True
    return call.id
