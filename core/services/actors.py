"""Who is acting, and may they: every use case checks here, not only the UI."""

from __future__ import annotations

import os
import pwd

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.db.models import Employee, Role
from core.domain.notifications import ChannelChoice, channel_choices
from core.domain.permissions import VIEW_SCL, access_source, has_permission
from core.services.errors import NotFound, PermissionDenied

SYSTEM = "the system"


def os_user() -> str:
    """The OS account this process runs as: its effective uid, never an environment
    variable (USER and LOGNAME are whatever the caller typed)."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no passwd entry (containers): still not forgeable
        return f"uid {uid}"


def find_employee(session: Session, login: str) -> Employee | None:
    return session.scalars(
        select(Employee)
        .where(Employee.login == login)
        .options(
            selectinload(Employee.role).selectinload(Role.permissions),
            selectinload(Employee.permission_overrides),
        )
    ).one_or_none()


def employee(session: Session, login: str) -> Employee:
    found = find_employee(session, login)
    if found is None:
        raise NotFound(
            f"No employee has the login {login!r}; an administrator adds employees "
            "(`scl employee add LOGIN`)."
        )
    return found


def employee_has(person: Employee, permission: str) -> bool:
    return has_permission(permission, **_permission_facts(person, permission))


def employee_access_source(person: Employee, permission: str) -> str:
    return access_source(permission, **_permission_facts(person, permission)).value


def _permission_facts(person: Employee, permission: str) -> dict[str, object]:
    override = next(
        (o.granted for o in person.permission_overrides if o.permission == permission), None
    )
    role_permissions = [p.permission for p in person.role.permissions] if person.role else []
    return {"is_admin": person.is_admin, "role_permissions": role_permissions, "override": override}


def scl_user(session: Session, login: str) -> Employee:
    """The acting employee, if they may view Second Chance Leads."""
    person = employee(session, login)
    if not employee_has(person, VIEW_SCL):
        raise PermissionDenied(
            f"{person.name} ({login}) does not have the {VIEW_SCL!r} permission. "
            "Ask an administrator to grant it to your role or to you."
        )
    return person


def admin(session: Session, login: str) -> Employee:
    person = employee(session, login)
    if not person.is_admin:
        raise PermissionDenied(
            f"Only an administrator can do this; {person.name} ({login}) is not one."
        )
    return person


def display_name(person: Employee | None) -> str:
    return person.name if person is not None else SYSTEM


def employee_channels(person: Employee) -> tuple[ChannelChoice, ChannelChoice, ChannelChoice]:
    """The employee's channels with their problems: what the settings screen lists."""
    return channel_choices(
        in_app=person.notify_in_app,
        sms=person.notify_sms,
        email=person.notify_email,
        phone=person.phone,
        email_address=person.email,
    )
