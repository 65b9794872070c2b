"""Reading leads: the tab lists (paged by keyset), counts, one lead's review record."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from core.db.models import Call, Customer, Employee, Lead, LeadHistory, LeadNote
from core.domain.settings import CompanySettings
from core.domain.statuses import DONE_STATUSES, LeadStatus, Tab, statuses_in
from core.domain.tabs import cold_cutoff, cold_deadline, tab_of
from core.domain.transitions import manual_targets
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound
from core.services.settings import read_settings
from core.services.views import (
    CallbackView,
    Cursor,
    HistoryView,
    LeadPage,
    LeadReview,
    LeadRow,
    NoteView,
    Segment,
    TabCounts,
)

MAX_PAGE = 500


def list_leads(
    ctx: ServiceContext,
    actor_login: str,
    tab: Tab | None,
    status: LeadStatus | None = None,
    *,
    limit: int = 50,
    after: Cursor | None = None,
    search: str | None = None,
) -> LeadPage:
    """One page of a tab (None: every tab), newest first, resumed after `after` (keyset,
    never OFFSET, so the hundredth page costs what the first does). `search` narrows to
    leads whose phone, customer, CSR, reason or external id holds it."""
    if tab is not None and status is not None and status not in statuses_in(tab):
        raise InvalidInput(f"the {tab.display_name} tab has no {status.display_name!r} leads")
    limit = max(1, min(limit, MAX_PAGE))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        settings = read_settings(session)
        csr = aliased(Employee)
        # First the page's lead ids, from the leads table alone (its indexes keep the
        # newest-first walk short); then their details, for at most a page of rows.
        page = select(Lead.id)
        if search and search.strip():
            page = (
                page.join(Call, Lead.call_id == Call.id)
                .outerjoin(Customer, Call.customer_id == Customer.id)
                .outerjoin(csr, Call.csr_id == csr.id)
                .where(_matches(search.strip(), csr))
            )
        if tab is not None:
            page = page.where(_tab_condition(tab, now, settings))
        if status is not None:
            page = page.where(Lead.status == status.value)
        if after is not None:
            page = page.where(
                or_(
                    Lead.flagged_at < after.flagged_at,
                    and_(Lead.flagged_at == after.flagged_at, Lead.id < after.lead_id),
                )
            )
        newest_first = (Lead.flagged_at.desc(), Lead.id.desc())
        ids = session.scalars(page.order_by(*newest_first).limit(limit + 1)).all()
        query = (
            select(Lead, Call, Customer.name, csr.name)
            .join(Call, Lead.call_id == Call.id)
            .outerjoin(Customer, Call.customer_id == Customer.id)
            .outerjoin(csr, Call.csr_id == csr.id)
            .where(Lead.id.in_(ids))
            .order_by(*newest_first)
        )
        found = session.execute(query).all()
        rows = tuple(
            _row(lead, call, customer_name, csr_name, now, settings)
            for lead, call, customer_name, csr_name in found[:limit]
        )
    more = len(found) > limit
    cursor = Cursor(rows[-1].flagged_at, rows[-1].lead_id) if more and rows else None
    return LeadPage(rows, cursor)


def tab_counts(ctx: ServiceContext, actor_login: str) -> TabCounts:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        return count_tabs(session, now, read_settings(session))


def count_tabs(session: Session, now: datetime, settings: CompanySettings) -> TabCounts:
    counts = session.execute(
        select(*(func.count().filter(_tab_condition(tab, now, settings)) for tab in Tab))
    ).one()
    return TabCounts(**{tab.value: count for tab, count in zip(Tab, counts, strict=True)})


def get_review(ctx: ServiceContext, actor_login: str, lead_ref: str | int) -> LeadReview:
    """The whole review record of one lead (by lead id or the call's external id)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        settings = read_settings(session)
        lead = load_lead(session, lead_ref, full=True)
        return review_of(lead, now, settings)


def load_lead(session: Session, lead_ref: str | int, *, full: bool = False) -> Lead:
    """A lead by id, or by its call's external id; NotFound names what was asked."""
    query = select(Lead)
    if full:
        query = query.options(
            selectinload(Lead.call).selectinload(Call.segments),
            selectinload(Lead.call).selectinload(Call.customer),
            selectinload(Lead.call).selectinload(Call.location),
            selectinload(Lead.call).selectinload(Call.csr),
            selectinload(Lead.notes).selectinload(LeadNote.author),
            selectinload(Lead.history).selectinload(LeadHistory.actor),
            selectinload(Lead.callbacks),
            selectinload(Lead.job),
        )
    text = str(lead_ref).strip()
    lead: Lead | None = None
    if text.isdigit():
        lead = session.scalars(query.where(Lead.id == int(text))).one_or_none()
    if lead is None:
        lead = session.scalars(
            query.join(Call, Lead.call_id == Call.id).where(Call.external_id == text)
        ).one_or_none()
    if lead is None:
        raise NotFound(f"No lead {text!r}: give a lead id or the call's external id.")
    return lead


def row_of(lead: Lead, now: datetime, settings: CompanySettings) -> LeadRow:
    call = lead.call
    return _row(
        lead,
        call,
        call.customer.name if call.customer else None,
        call.csr.name if call.csr else None,
        now,
        settings,
    )


def review_of(lead: Lead, now: datetime, settings: CompanySettings) -> LeadReview:
    call = lead.call
    status = LeadStatus(lead.status)
    return LeadReview(
        call_id=call.id,
        row=row_of(lead, now, settings),
        csr_notes=call.csr_notes,
        call_ended_at=call.ended_at,
        recording=call.recording,
        location_address=call.location.address if call.location else None,
        summary=lead.summary,
        evidence=tuple(lead.evidence or ()),
        transcript=tuple(Segment(s.idx, s.speaker, s.start, s.end, s.text) for s in call.segments),
        notes=tuple(
            NoteView(n.id, actors.display_name(n.author), n.created_at, n.text, n.copied_to)
            for n in lead.notes
        ),
        history=tuple(
            HistoryView(
                h.at,
                h.actor.name if h.actor else h.actor_label,
                LeadStatus(h.from_status) if h.from_status else None,
                LeadStatus(h.to_status),
                h.why,
            )
            for h in lead.history
        ),
        callbacks=tuple(
            CallbackView(c.at, c.employee.name, c.phone, c.outcome) for c in lead.callbacks
        ),
        allowed_statuses=manual_targets(status),
        job_booked_at=lead.job.booked_at if lead.job else None,
    )


def _matches(text: str, csr: type[Employee]) -> ColumnElement[bool]:
    """Phone digits anywhere in the number; words in the names, the reason or the id."""
    found = [
        Customer.name.icontains(text, autoescape=True),
        csr.name.icontains(text, autoescape=True),
        csr.login.icontains(text, autoescape=True),
        Lead.reason.icontains(text, autoescape=True),
        Call.external_id.icontains(text, autoescape=True),
    ]
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 3:
        found.append(Lead.customer_phone.contains(digits, autoescape=True))
    return or_(*found)


def _tab_condition(tab: Tab, now: datetime, settings: CompanySettings) -> ColumnElement[bool]:
    """The SQL form of core.domain.tabs.tab_of, so lists and counts page by an index."""
    cutoff = cold_cutoff(now, settings.cold_after)
    new = LeadStatus.NEW.value
    if tab is Tab.COLD:
        return and_(Lead.status == new, Lead.status_since < cutoff)
    if tab is Tab.OPEN:
        return or_(
            Lead.status == LeadStatus.CALLBACK_ATTEMPTED.value,
            and_(Lead.status == new, Lead.status_since >= cutoff),
        )
    return Lead.status.in_([s.value for s in DONE_STATUSES])


def _row(
    lead: Lead,
    call: Call,
    customer_name: str | None,
    csr_name: str | None,
    now: datetime,
    settings: CompanySettings,
) -> LeadRow:
    status = LeadStatus(lead.status)
    return LeadRow(
        lead_id=lead.id,
        external_id=call.external_id,
        customer_phone=lead.customer_phone,
        customer_name=customer_name,
        call_started_at=call.started_at,
        call_type=call.call_type,
        csr_name=csr_name,
        status=status,
        tab=tab_of(status, lead.status_since, now, settings.cold_after),
        flagged_at=lead.flagged_at,
        cold_at=cold_deadline(lead.status_since, settings.cold_after)
        if status is LeadStatus.NEW
        else None,
        reason=lead.reason,
        confidence=lead.confidence,
        version=lead.version,
    )
