"""Who has access to Second Chance Leads, and granting or revoking it.

Only administrators read or change these; every change is audited in the same
unit of work as the change itself. There is always at least one administrator.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.db.models import Employee, EmployeePermission, Role, RolePermission
from core.domain.permissions import (
    KNOWN_PERMISSIONS,
    VIEW_SCL,
    admin_label,
    override_label,
    role_grant_label,
)
from core.services import actors, audit
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound, PermissionDenied
from core.services.views import EmployeeAccess, RoleAccess

ADMIN_WORK = "change Second Chance Leads settings and permissions"
MAX_ROLE_NAME = 100


class LastAdministrator(PermissionDenied):
    title = "Last administrator"


def can_view_scl(ctx: ServiceContext, login: str) -> bool:
    with ctx.db.transaction() as session:
        person = actors.find_employee(session, login)
        return person is not None and actors.employee_has(person, VIEW_SCL)


# --- who may administer -----------------------------------------------------------


def _administrators(session: Session) -> Sequence[Employee]:
    return session.scalars(
        select(Employee).where(Employee.is_admin.is_(True)).order_by(Employee.name)
    ).all()


def who_to_ask(ctx: ServiceContext, login: str) -> tuple[bool, list[tuple[str, str]]]:
    """Whether LOGIN is an employee at all, and the administrators (name, login) who can
    add them or grant access: what a screen without access tells them."""
    with ctx.db.transaction() as session:
        known = actors.find_employee(session, login) is not None
        return known, [(a.name, a.login) for a in _administrators(session)]


def require_admin_in(session: Session, login: str, doing: str = ADMIN_WORK) -> Employee:
    """The acting administrator; anyone else is told who can do it for them."""
    person = actors.employee(session, login)
    if person.is_admin:
        return person
    names = ", ".join(f"{a.name} ({a.login})" for a in _administrators(session))
    ask = f"Ask an administrator — {names} — " if names else "Ask an administrator "
    raise PermissionDenied(
        f"Only an administrator can {doing}; {person.name} ({login}) is not one. "
        f"{ask}to make the change, or to make you an administrator."
    )


def require_admin(ctx: ServiceContext, login: str, doing: str = ADMIN_WORK) -> None:
    with ctx.db.transaction() as session:
        require_admin_in(session, login, doing)


# --- reading ----------------------------------------------------------------------


def _people(session: Session, login: str | None = None) -> Sequence[Employee]:
    query = (
        select(Employee)
        .options(
            selectinload(Employee.role).selectinload(Role.permissions),
            selectinload(Employee.permission_overrides),
        )
        .order_by(Employee.name, Employee.login)
    )
    if login is not None:
        query = query.where(Employee.login == login)
    return session.scalars(query).all()


def _channels(person: Employee) -> tuple[str, ...]:
    """The channels the employee chose, each with what keeps it from working."""
    choices = actors.employee_channels(person)
    return tuple(
        f"{c.channel.short_name} ({c.why_not})" if c.why_not else c.channel.short_name
        for c in choices
        if c.chosen
    )


def _access_row(person: Employee) -> EmployeeAccess:
    override = next(
        (o.granted for o in person.permission_overrides if o.permission == VIEW_SCL), None
    )
    return EmployeeAccess(
        login=person.login,
        name=person.name,
        role=person.role.name if person.role else None,
        source=actors.employee_access_source(person, VIEW_SCL),
        has_access=actors.employee_has(person, VIEW_SCL),
        is_admin=person.is_admin,
        override=override,
        role_grants=bool(person.role)
        and any(p.permission == VIEW_SCL for p in person.role.permissions),
        phone=person.phone,
        email=person.email,
        channels=_channels(person),
    )


def access_list(
    ctx: ServiceContext, actor_login: str, *, only_with_access: bool = False
) -> list[EmployeeAccess]:
    """Every employee (or only those with access) and why, by name."""
    with ctx.db.transaction() as session:
        require_admin_in(session, actor_login, "see who has access")
        rows = [_access_row(p) for p in _people(session)]
    return [r for r in rows if r.has_access] if only_with_access else rows


def employee_access(ctx: ServiceContext, actor_login: str, login: str) -> EmployeeAccess:
    with ctx.db.transaction() as session:
        require_admin_in(session, actor_login, "see who has access")
        return access_of(session, login)


def access_of(session: Session, login: str) -> EmployeeAccess:
    """One employee's access and why, read in the caller's unit of work."""
    found = _people(session, login)
    if not found:
        raise NotFound(f"No employee has the login {login!r}.")
    return _access_row(found[0])


def role_list(ctx: ServiceContext, actor_login: str) -> list[RoleAccess]:
    """Every role, whether it carries View Second Chance Leads, and how many hold it."""
    with ctx.db.transaction() as session:
        require_admin_in(session, actor_login, "see the roles")
        members = dict(
            session.execute(select(Employee.role_id, func.count()).group_by(Employee.role_id)).all()
        )
        roles = session.scalars(
            select(Role).options(selectinload(Role.permissions)).order_by(Role.name)
        ).all()
        return [
            RoleAccess(
                name=role.name,
                granted=any(p.permission == VIEW_SCL for p in role.permissions),
                members=members.get(role.id, 0),
            )
            for role in roles
        ]


# --- changing ---------------------------------------------------------------------


def add_role(ctx: ServiceContext, actor_login: str, role_name: str, *, granted: bool) -> None:
    """A new role, carrying View Second Chance Leads or not; employees join it with
    `scl employee set LOGIN --role NAME` (or when added)."""
    name = " ".join(role_name.split())
    if not name or len(name) > MAX_ROLE_NAME:
        raise InvalidInput(f"a role needs a name of at most {MAX_ROLE_NAME} characters.")
    with ctx.db.transaction() as session:
        actor = require_admin_in(session, actor_login)
        taken = session.scalars(select(Role.name)).all()
        if any(t.casefold() == name.casefold() for t in taken):
            raise InvalidInput(f"There is already a role called {name!r}.")
        role = Role(name=name)
        if granted:
            role.permissions.append(RolePermission(permission=VIEW_SCL))
        session.add(role)
        audit.record(
            session,
            ctx.clock.now(),
            actor,
            f"role {name}",
            None,
            f"added, {role_grant_label(granted)}",
        )


def set_role_permission(
    ctx: ServiceContext,
    actor_login: str,
    role_name: str,
    granted: bool,
    permission: str = VIEW_SCL,
) -> bool:
    """Grant or revoke a permission for everyone in a role; False when nothing changed."""
    _check_permission_name(permission)
    with ctx.db.transaction() as session:
        actor = require_admin_in(session, actor_login)
        role = session.scalars(select(Role).where(Role.name == role_name)).one_or_none()
        if role is None:
            known = ", ".join(session.scalars(select(Role.name).order_by(Role.name)))
            raise NotFound(f"No role named {role_name!r}; the roles are: {known}.")
        had = any(p.permission == permission for p in role.permissions)
        if had == granted:
            return False
        if granted:
            role.permissions.append(RolePermission(permission=permission))
        else:
            role.permissions = [p for p in role.permissions if p.permission != permission]
        audit.record(
            session,
            ctx.clock.now(),
            actor,
            f"role {role_name}: {permission}",
            role_grant_label(had),
            role_grant_label(granted),
        )
        return True


def set_employee_override(
    ctx: ServiceContext,
    actor_login: str,
    login: str,
    granted: bool | None,
    permission: str = VIEW_SCL,
) -> bool:
    """Grant (True), revoke (False) or go back to the role's permission (None).

    Administrators have every permission whatever is stored, so an individual
    setting on one would only mislead: it is refused with the way to do it.
    """
    _check_permission_name(permission)
    with ctx.db.transaction() as session:
        actor = require_admin_in(session, actor_login)
        person = actors.employee(session, login)
        if person.is_admin and granted is not None:
            raise InvalidInput(
                f"{person.name} ({login}) is an administrator and has {permission!r} "
                "automatically; remove the administrator flag first to set it individually."
            )
        current = next((o for o in person.permission_overrides if o.permission == permission), None)
        before = current.granted if current else None
        if before == granted:
            return False
        if current is not None:
            person.permission_overrides.remove(current)
            session.flush()
        if granted is not None:
            person.permission_overrides.append(
                EmployeePermission(permission=permission, granted=granted)
            )
        audit.record(
            session,
            ctx.clock.now(),
            actor,
            f"employee {login}: {permission}",
            override_label(before),
            override_label(granted),
        )
        return True


def set_admin(ctx: ServiceContext, actor_login: str, login: str, is_admin: bool) -> bool:
    """Make an employee an administrator or not; the last administrator stays one.

    The administrators' rows are locked first (PostgreSQL) and the count is checked
    again after the write (SQLite), so two administrators removing each other at
    once cannot leave the company with none.
    """
    with ctx.db.transaction() as session:
        actor = require_admin_in(session, actor_login)
        admins = session.scalars(
            select(Employee).where(Employee.is_admin.is_(True)).with_for_update()
        ).all()
        person = actors.employee(session, login)
        if person.is_admin == is_admin:
            return False
        if not is_admin and [a.id for a in admins] == [person.id]:
            raise LastAdministrator(
                f"{person.name} ({login}) is the only administrator; make someone else "
                "an administrator first, so that someone can still change settings "
                "and permissions."
            )
        person.is_admin = is_admin
        session.flush()
        # Checked again after the write, which holds the write lock: on SQLite the
        # reads above take no lock, and another removal may have committed meanwhile.
        if not is_admin and not session.scalar(
            select(func.count()).select_from(Employee).where(Employee.is_admin.is_(True))
        ):
            raise LastAdministrator(
                f"{person.name} ({login}) was the last administrator left: another "
                "administrator was removed at the same moment. Nothing was changed."
            )
        audit.record(
            session,
            ctx.clock.now(),
            actor,
            f"employee {login}: administrator",
            admin_label(not is_admin),
            admin_label(is_admin),
        )
        return True


def _check_permission_name(permission: str) -> None:
    if permission not in KNOWN_PERMISSIONS:
        raise InvalidInput(f"Unknown permission {permission!r}.")
