"""Who may use Second Chance Leads."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

VIEW_SCL = "View Second Chance Leads"
# Importing calls creates employees and jobs, and a booked call closes leads for good:
# it is an administrator's, or a role's an administrator gives it to.
IMPORT_CALLS = "Import calls"
KNOWN_PERMISSIONS: frozenset[str] = frozenset({VIEW_SCL, IMPORT_CALLS})
# How the command line names them (`scl roles ROLE grant --permission import-calls`).
PERMISSION_SLUGS: dict[str, str] = {"view-scl": VIEW_SCL, "import-calls": IMPORT_CALLS}


class AccessSource(StrEnum):
    """Why an employee has (or lacks) a permission; shown on the settings screen."""

    ADMIN = "administrator"
    GRANTED = "individual grant"
    REVOKED = "individually revoked"
    ROLE = "role"
    NONE = "no access"


def access_source(
    permission: str,
    *,
    is_admin: bool,
    role_permissions: Iterable[str],
    override: bool | None,
) -> AccessSource:
    """Admins have every permission; an individual override beats the role."""
    if is_admin:
        return AccessSource.ADMIN
    if override is True:
        return AccessSource.GRANTED
    if override is False:
        return AccessSource.REVOKED
    if permission in set(role_permissions):
        return AccessSource.ROLE
    return AccessSource.NONE


def has_permission(
    permission: str,
    *,
    is_admin: bool,
    role_permissions: Iterable[str],
    override: bool | None,
) -> bool:
    source = access_source(
        permission, is_admin=is_admin, role_permissions=role_permissions, override=override
    )
    return source in (AccessSource.ADMIN, AccessSource.GRANTED, AccessSource.ROLE)


def override_label(override: bool | None) -> str:
    """How an individual setting reads on screen and in the audit log."""
    if override is True:
        return "granted individually"
    if override is False:
        return "revoked individually"
    return "follows the role"


def admin_label(is_admin: bool) -> str:
    return "administrator" if is_admin else "not an administrator"


def role_grant_label(granted: bool) -> str:
    return "granted" if granted else "not granted"
