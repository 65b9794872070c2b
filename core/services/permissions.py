"""Who has access to Second Chance Leads, and granting or revoking it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.db.models import AuditEntry, Employee, EmployeePermission, Role, RolePermission
from core.domain.permissions import KNOWN_PERMISSIONS, VIEW_SCL
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound
from core.services.views import EmployeeAccess


def can_view_scl(ctx: ServiceContext, login: str) -> bool:
    with ctx.db.transaction() as session:
        person = actors.find_employee(session, login)
        return person is not None and actors.employee_has(person, VIEW_SCL)


def access_list(
    ctx: ServiceContext, actor_login: str, *, only_with_access: bool = False
) -> list[EmployeeAccess]:
    """Every employee and why they have (or lack) access, by name."""
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        people = session.scalars(
            select(Employee)
            .options(
                selectinload(Employee.role).selectinload(Role.permissions),
                selectinload(Employee.permission_overrides),
            )
            .order_by(Employee.name)
        ).all()
        rows = [
            EmployeeAccess(
                login=p.login,
                name=p.name,
                role=p.role.name if p.role else None,
                source=actors.employee_access_source(p, VIEW_SCL),
                has_access=actors.employee_has(p, VIEW_SCL),
            )
            for p in people
        ]
    return [r for r in rows if r.has_access] if only_with_access else rows


def set_role_permission(
    ctx: ServiceContext,
    actor_login: str,
    role_name: str,
    granted: bool,
    permission: str = VIEW_SCL,
) -> None:
    _check_permission_name(permission)
    with ctx.db.transaction() as session:
        actor = actors.admin(session, actor_login)
        role = session.scalars(select(Role).where(Role.name == role_name)).one_or_none()
        if role is None:
            raise NotFound(f"No role named {role_name!r}.")
        had = any(p.permission == permission for p in role.permissions)
        if had == granted:
            return
        if granted:
            role.permissions.append(RolePermission(permission=permission))
        else:
            role.permissions = [p for p in role.permissions if p.permission != permission]
        _audit(session, ctx, actor, f"role {role_name}: {permission}", had, granted)


def set_employee_override(
    ctx: ServiceContext,
    actor_login: str,
    login: str,
    granted: bool | None,
    permission: str = VIEW_SCL,
) -> None:
    """Grant (True), revoke (False) or go back to the role's permission (None)."""
    _check_permission_name(permission)
    with ctx.db.transaction() as session:
        actor = actors.admin(session, actor_login)
        person = actors.employee(session, login)
        current = next((o for o in person.permission_overrides if o.permission == permission), None)
        before = current.granted if current else None
        if before == granted:
            return
        if current is not None:
            person.permission_overrides.remove(current)
            session.flush()
        if granted is not None:
            person.permission_overrides.append(
                EmployeePermission(permission=permission, granted=granted)
            )
        _audit(session, ctx, actor, f"employee {login}: {permission}", before, granted)


def _check_permission_name(permission: str) -> None:
    if permission not in KNOWN_PERMISSIONS:
        raise InvalidInput(f"Unknown permission {permission!r}.")


def _audit(
    session: Session,
    ctx: ServiceContext,
    actor: Employee,
    subject: str,
    old: object,
    new: object,
) -> None:
    session.add(
        AuditEntry(
            at=ctx.clock.now(),
            actor_id=actor.id,
            subject=subject,
            old_value=str(old),
            new_value=str(new),
        )
    )
