"""Booking a job, and the automatic status it gives the customer's leads."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.db.models import Call, CallbackAttempt, Customer, CustomerPhone, Employee, Job, Lead
from core.domain.booking import shows_banner, status_after_booking
from core.domain.permissions import VIEW_SCL
from core.domain.phones import InvalidPhone, normalise_phone
from core.domain.settings import CompanySettings
from core.domain.statuses import AUTOMATIC_STATUSES, OPEN_STATUSES, LeadStatus
from core.domain.tabs import tab_of
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound
from core.services.lead_status import change_status
from core.services.settings import read_settings
from core.services.views import BannerLead, BookingBanner, BookingResult, CustomerMatch

AUTOMATIC_ACTOR = "automatic: job booked"
# Clocks of the hosts that record bookings differ a little; a booking further ahead is
# no booking yet, and would close leads for a job that has not happened.
CLOCK_SLACK = timedelta(minutes=5)
RACE_RETRIES = 3
MAX_MATCHES = 20


def record_job(
    ctx: ServiceContext,
    actor_login: str,
    phone: str,
    *,
    booked_at: datetime | None = None,
    call_external_id: str | None = None,
) -> BookingResult:
    """Record a job booked for this customer and apply the automatic lead statuses.

    Any employee may book (a CSR needs no SCL permission), and the statuses follow
    the rules of `status_after_booking` whoever books: no caller's privilege enters
    them. A login that is no employee books nothing; a time ahead of now is refused.
    """
    try:
        customer_phone = normalise_phone(phone)
    except InvalidPhone as error:
        raise InvalidInput(str(error)) from None
    when = booked_at or ctx.clock.now()
    if when.tzinfo is None:
        raise InvalidInput("The booking time needs a UTC offset, e.g. 2026-11-20T14:03:00-06:00.")
    if when > ctx.clock.now() + CLOCK_SLACK:
        raise InvalidInput(
            f"A job is recorded when it was booked, not ahead: {when.isoformat()} is in the future."
        )
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


def banner_for_phone(ctx: ServiceContext, actor_login: str, phone: str) -> BookingBanner:
    """What the job booking screen announces for this customer phone: the leads in the
    Open or Cold tab flagged within the banner window (newest first).

    Anyone who books jobs may ask (CSRs need not have the SCL permission), but only
    people with View Second Chance Leads (and admins) see which lead, its status and
    the classifier's reason; the others learn that a lead exists and when it was
    flagged, which is what they need to know that this booking saves it.
    """
    try:
        customer_phone = normalise_phone(phone)
    except InvalidPhone as error:
        raise InvalidInput(str(error)) from None
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        actor = actors.employee(session, actor_login)
        detailed = actors.employee_has(actor, VIEW_SCL)
        settings = read_settings(session)
        window = settings.banner_window
        found = session.execute(
            select(Lead, Customer.name)
            .join(Call, Lead.call_id == Call.id)
            .outerjoin(Customer, Call.customer_id == Customer.id)
            .where(
                Lead.customer_phone == customer_phone,
                Lead.status.in_([s.value for s in OPEN_STATUSES]),
                Lead.flagged_at >= now - window,
                Lead.flagged_at <= now,
            )
            .order_by(Lead.flagged_at.desc(), Lead.id.desc())
        ).all()
        leads: list[BannerLead] = []
        for lead, name in found:
            status = LeadStatus(lead.status)
            tab = tab_of(status, lead.status_since, now, settings.cold_after)
            if not shows_banner(tab, lead.flagged_at, now, window):
                continue
            leads.append(
                BannerLead(
                    flagged_at=lead.flagged_at,
                    tab=tab,
                    lead_id=lead.id if detailed else None,
                    status=status if detailed else None,
                    customer_name=name if detailed else None,
                    reason=lead.reason if detailed else None,
                )
            )
        customer_name = _customer_name(session, customer_phone)
    return BookingBanner(
        customer_phone, customer_name, settings.banner_days, detailed, tuple(leads)
    )


def find_customers(
    ctx: ServiceContext, actor_login: str, text: str, *, limit: int = 8
) -> list[CustomerMatch]:
    """Customer phones to pick on the booking screen: numbers holding the typed digits
    or customers whose name holds the text, most recently heard from first."""
    text = (text or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 3 and len(text) < 2:
        return []
    limit = max(1, min(limit, MAX_MATCHES))
    with ctx.db.transaction() as session:
        actors.employee(session, actor_login)
        if len(digits) >= 3:
            wanted = Call.customer_phone.contains(digits, autoescape=True)
        elif not digits:
            wanted = Customer.name.icontains(text, autoescape=True)
        else:
            return []
        last = func.max(Call.started_at)
        rows = session.execute(
            select(Call.customer_phone, func.max(Customer.name), last, func.count())
            .outerjoin(Customer, Call.customer_id == Customer.id)
            .where(wanted)
            .group_by(Call.customer_phone)
            .order_by(last.desc(), Call.customer_phone)
            .limit(limit)
        ).all()
    return [CustomerMatch(phone, name, at, count) for phone, name, at, count in rows]


def _customer_name(session: Session, customer_phone: str) -> str | None:
    return session.scalar(
        select(Customer.name)
        .join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
        .where(CustomerPhone.phone == customer_phone)
    )
