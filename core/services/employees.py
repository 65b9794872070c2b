"""Adding employees and keeping their details: name, role, phone, email.

An employee is matched to an OS login (an SSH login is the employee). CSRs arrive
with imported calls; agents who only call back, supervisors and administrators are
added here, by an administrator. A new installation has no administrator: while
there is none, whoever runs it may add one (and only an administrator), so the
company can start; administrators take over from then on. Employees may keep their
own phone number and email address, which their texts and emails go to. Every change
is audited in its own unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db.models import Employee, Role
from core.domain.employees import InvalidDetail, check_login, check_name, normalise_email
from core.domain.phones import InvalidPhone, normalise_phone
from core.services import actors, audit, permissions
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, PermissionDenied
from core.services.views import EmployeeAccess

NOBODY_YET = (
    "There is no administrator yet: add the first one with "
    "`scl employee add LOGIN --name NAME --admin`."
)


@dataclass(frozen=True)
class Details:
    """Fields to set; None leaves one as it is, "" clears a role, phone or email."""

    name: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None


def add_employee(
    ctx: ServiceContext, actor_login: str, login: str, details: Details, *, admin: bool = False
) -> EmployeeAccess:
    """A new employee, with access by role (or none), administrator if asked."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        first = not session.scalar(select(exists().where(Employee.is_admin.is_(True))))
        if first and not admin:
            raise PermissionDenied(NOBODY_YET)
        actor = (
            None if first else permissions.require_admin_in(session, actor_login, "add employees")
        )
        login = _checked(check_login, login, "login")
        known = actors.find_employee(session, login)
        if known is not None:
            raise InvalidInput(
                f"{login!r} is already an employee ({known.name}): change them with "
                f"`scl employee set {login}` or `scl access {login}`."
            )
        if details.name is None:
            raise InvalidInput("a new employee needs a name (--name).")
        person = Employee(login=login, name="", is_admin=admin, created_at=now)
        session.add(person)
        _apply(session, person, details)
        try:
            session.flush()
        except IntegrityError:  # the same login added at the same moment elsewhere
            raise InvalidInput(f"{login!r} was just added by someone else.") from None
        audit.record(
            session,
            now,
            actor or person,  # the first administrator adds themselves
            f"employee {login}",
            None,
            "added"
            + (" as the first administrator" if first else " as administrator" if admin else ""),
        )
        return permissions.access_of(session, login)


def update_employee(
    ctx: ServiceContext, actor_login: str, login: str, details: Details
) -> tuple[EmployeeAccess, list[str]]:
    """Change an employee's details; administrators change anyone's, employees their own
    phone and email. The employee as now, and what changed ("phone", …)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        own_contact = actor_login == login and details.name is None and details.role is None
        actor = (
            actors.employee(session, actor_login)
            if own_contact
            else permissions.require_admin_in(session, actor_login, "change employees")
        )
        person = actors.employee(session, login)
        before = _snapshot(person)
        _apply(session, person, details)
        after = _snapshot(person)
        changed = [field for field in before if before[field] != after[field]]
        for field in changed:
            audit.record(
                session, now, actor, f"employee {login}: {field}", before[field], after[field]
            )
        return permissions.access_of(session, login), changed


def _apply(session: Session, person: Employee, details: Details) -> None:
    """Check every given field and set it; nothing is set if one is wrong."""
    name = _checked(check_name, details.name, "name") if details.name is not None else None
    phone = email = None
    if details.phone:
        phone = _checked(normalise_phone, details.phone, "phone")
    if details.email:
        email = _checked(normalise_email, details.email, "email")
    role = _role(session, details.role) if details.role else None
    if name is not None:
        person.name = name
    if details.role is not None:
        person.role = role
    if details.phone is not None:
        person.phone = phone
    if details.email is not None:
        person.email = email


def _checked(check: Callable[[str], str], value: str, field: str) -> str:
    """The checked value; a wrong one is refused naming the field."""
    try:
        return check(value)
    except (InvalidDetail, InvalidPhone) as error:
        raise InvalidInput(f"{field}: {error}") from None


def _role(session: Session, name: str) -> Role:
    roles = sorted(session.scalars(select(Role)), key=lambda r: r.name.casefold())
    found = next((r for r in roles if r.name.casefold() == name.strip().casefold()), None)
    if found is None:
        known = ", ".join(r.name for r in roles) or "none yet (add one: `scl roles NAME add`)"
        raise InvalidInput(f"role: no role is called {name!r}; the roles are: {known}.")
    return found


def _snapshot(person: Employee) -> dict[str, str | None]:
    return {
        "name": person.name,
        "role": person.role.name if person.role else None,
        "phone": person.phone,
        "email": person.email,
    }
