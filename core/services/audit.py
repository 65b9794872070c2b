"""The audit log: every change to settings and permissions, who made it, from what, to what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import AuditEntry, Employee
from core.services import actors, permissions
from core.services.context import ServiceContext
from core.services.views import AuditView

MAX_LIMIT = 10_000


def record(
    session: Session,
    at: datetime,
    actor: Employee | None,
    subject: str,
    old: str | None,
    new: str | None,
) -> None:
    """Write one entry in the caller's unit of work: the change and its record commit
    together, or neither does. It names the employee acted as and the OS account of
    the process, which differ when someone acts `--as` another."""
    session.add(
        AuditEntry(
            at=at,
            actor_id=actor.id if actor is not None else None,
            os_user=actors.os_user(),
            subject=subject,
            old_value=old,
            new_value=new,
        )
    )


def recent_entries(ctx: ServiceContext, actor_login: str, limit: int = 50) -> list[AuditView]:
    """The newest entries first; administrators only (it names who changed what)."""
    limit = max(1, min(limit, MAX_LIMIT))
    with ctx.db.transaction() as session:
        permissions.require_admin_in(session, actor_login, "read the audit log")
        rows = session.execute(
            select(AuditEntry, Employee)
            .outerjoin(Employee, Employee.id == AuditEntry.actor_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        ).all()
        return [
            AuditView(
                at=entry.at,
                actor=actors.display_name(person),
                actor_login=person.login if person is not None else None,
                subject=entry.subject,
                old_value=entry.old_value,
                new_value=entry.new_value,
                os_user=entry.os_user,
            )
            for entry, person in rows
        ]
