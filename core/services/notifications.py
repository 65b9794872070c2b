"""The notification outbox: one row per recipient and channel for every new lead.

Rows are written in the transaction that creates the lead (so a lead and its
notifications commit together, once). The dispatcher (core.workers.dispatcher)
sends texts and emails; in-app rows are delivered by the open app itself: it
takes them when it shows the toast. An in-app notice nobody's app showed within
IN_APP_WINDOW is marked failed ("not seen") by the dispatcher, so nothing stays
pending for ever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from core.db.models import Employee, Notification, Role
from core.domain.notifications import Channel, DeliveryState
from core.domain.permissions import VIEW_SCL
from core.domain.phones import display_phone
from core.services import actors
from core.services.context import ServiceContext
from core.services.permissions import require_admin_in

IN_APP_WINDOW = timedelta(minutes=10)
"""An open app shows in-app notices this recent; older unseen ones expire."""
NOT_SEEN = "not seen: no app of this employee was open within 10 minutes of the lead"


def recipients(session: Session) -> Sequence[Employee]:
    """Everyone with View Second Chance Leads (role, individual grant, administrator)."""
    people = session.scalars(
        select(Employee)
        .options(
            selectinload(Employee.role).selectinload(Role.permissions),
            selectinload(Employee.permission_overrides),
        )
        .order_by(Employee.id)
    ).all()
    return [p for p in people if actors.employee_has(p, VIEW_SCL)]


def queue_for_leads(
    session: Session, lead_ids: Sequence[int], at: datetime, people: Sequence[Employee]
) -> None:
    """Write the outbox rows for new leads to `people` (see recipients()) in the caller's
    unit of work, in one statement. A chosen channel that cannot work (no phone, no email
    address) gets a `skipped` row with the reason, so the outbox tells why someone got no
    text."""
    per_lead: list[dict[str, Any]] = []  # the same for every lead: worked out once
    for person in people:
        for choice in actors.employee_channels(person):
            if not choice.chosen:
                continue
            usable = choice.usable
            per_lead.append(
                {
                    "employee_id": person.id,
                    "channel": choice.channel.value,
                    "state": (DeliveryState.PENDING if usable else DeliveryState.SKIPPED).value,
                    "attempts": 0,
                    "next_attempt_at": at if usable else None,
                    "last_error": None if usable else choice.why_not,
                    "created_at": at,
                }
            )
    rows = [{"lead_id": lead_id, **row} for lead_id in lead_ids for row in per_lead]
    if rows:
        session.execute(insert(Notification.__table__), rows)


# --- in-app: the open app delivers ------------------------------------------------------


@dataclass(frozen=True)
class InAppNotice:
    """A new lead to toast in this employee's open app."""

    notification_id: int
    lead_id: int
    phone: str  # display form
    customer_name: str | None
    reason: str | None
    flagged_at: datetime


def take_in_app(ctx: ServiceContext, login: str) -> list[InAppNotice]:
    """This employee's pending in-app notices of the last IN_APP_WINDOW, oldest first,
    marked delivered as they are handed over: two apps of one person show each once."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        person = actors.find_employee(session, login)
        if person is None:
            return []
        mine = (
            Notification.employee_id == person.id,
            Notification.channel == Channel.IN_APP.value,
            Notification.state == DeliveryState.PENDING.value,
            Notification.created_at >= now - IN_APP_WINDOW,
        )
        # Conditional update: of two apps racing, each row goes to the first.
        taken = session.execute(
            update(Notification)
            .where(*mine)
            .values(
                state=DeliveryState.DELIVERED.value,
                delivered_at=now,
                attempts=Notification.attempts + 1,
            )
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        ).scalars()
        ids = sorted(taken.all())
        if not ids:
            return []
        rows = session.scalars(
            select(Notification)
            .where(Notification.id.in_(ids))
            .options(selectinload(Notification.lead))
            .order_by(Notification.id)
        ).all()
        notices = []
        for row in rows:
            lead = row.lead
            customer = lead.call.customer
            notices.append(
                InAppNotice(
                    notification_id=row.id,
                    lead_id=lead.id,
                    phone=display_phone(lead.customer_phone),
                    customer_name=customer.name if customer else None,
                    reason=lead.reason,
                    flagged_at=lead.flagged_at,
                )
            )
        return notices


def expire_unseen_in_app(session: Session, now: datetime) -> int:
    """In-app notices no app took in time are failed with the reason; how many."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.channel == Channel.IN_APP.value,
            Notification.state == DeliveryState.PENDING.value,
            Notification.created_at < now - IN_APP_WINDOW,
        )
        .values(state=DeliveryState.FAILED.value, last_error=NOT_SEEN, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- reading the outbox --------------------------------------------------------------


@dataclass(frozen=True)
class NotificationView:
    notification_id: int
    lead_id: int
    login: str
    channel: Channel
    state: DeliveryState
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class OutboxStatus:
    counts: dict[tuple[Channel, DeliveryState], int]
    recent_problems: tuple[NotificationView, ...]  # newest failed/skipped/retrying first


def lead_notifications(ctx: ServiceContext, lead_id: int) -> list[NotificationView]:
    """Every notification of one lead (who, how, where it stands)."""
    with ctx.db.transaction() as session:
        rows = session.execute(
            select(Notification, Employee.login)
            .join(Employee, Employee.id == Notification.employee_id)
            .where(Notification.lead_id == lead_id)
            .order_by(Employee.login, Notification.channel)
        ).all()
        return [_view(row, login) for row, login in rows]


def outbox_status(ctx: ServiceContext, actor_login: str, problems: int = 10) -> OutboxStatus:
    """Counts by channel and state, and the latest rows with a reason (administrators:
    it names employees)."""
    with ctx.db.transaction() as session:
        require_admin_in(session, actor_login, "see the notification outbox")
        counts = {
            (Channel(channel), DeliveryState(state)): n
            for channel, state, n in session.execute(
                select(Notification.channel, Notification.state, func.count()).group_by(
                    Notification.channel, Notification.state
                )
            )
        }
        rows = session.execute(
            select(Notification, Employee.login)
            .join(Employee, Employee.id == Notification.employee_id)
            .where(Notification.last_error.is_not(None))
            .order_by(Notification.id.desc())
            .limit(problems)
        ).all()
        return OutboxStatus(counts, tuple(_view(row, login) for row, login in rows))


def _view(row: Notification, login: str) -> NotificationView:
    return NotificationView(
        notification_id=row.id,
        lead_id=row.lead_id,
        login=login,
        channel=Channel(row.channel),
        state=DeliveryState(row.state),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        last_error=row.last_error,
    )
