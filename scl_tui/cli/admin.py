"""Administrators' verbs: who has access and why, the roles, and the audit log.

Each does what the settings screen does, through the same services, and is
refused (exit 1, one line saying who can) for anyone who is not an administrator.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from core.domain.permissions import PERMISSION_SLUGS, VIEW_SCL, override_label
from scl_tui.cli.common import current_session, echo, echo_json, reports_errors, shown_time, table

if TYPE_CHECKING:
    from core.services.views import AuditView, EmployeeAccess

ACCESS_ACTIONS = {
    "grant": "grant View Second Chance Leads to this employee individually",
    "revoke": "revoke it individually (beats the role)",
    "role": "follow the role again (no individual setting)",
    "admin": "make the employee an administrator",
    "not-admin": "remove the administrator flag (never from the last one)",
}


@click.command()
@click.argument("login", required=False)
@click.argument("action", required=False, type=click.Choice(list(ACCESS_ACTIONS)))
@click.option("--all", "everyone", is_flag=True, help="Every employee, not only those with access.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one employee a line.")
@reports_errors
def access(login: str | None, action: str | None, everyone: bool, as_json: bool) -> None:
    """Who has access to Second Chance Leads and why; or change LOGIN's access.

    \b
    ACTION is one of:
      grant      grant View Second Chance Leads to LOGIN individually
      revoke     revoke it individually (beats the role)
      role       follow the role again
      admin      make LOGIN an administrator
      not-admin  remove the administrator flag (never from the last one)
    """
    from core.services import permissions

    session = current_session()
    ctx = session.ctx
    if login is not None:
        if action is None:
            shown = permissions.employee_access(ctx, session.login, login)
            _echo_access([shown], as_json)
            return
        if action == "admin" or action == "not-admin":
            changed = permissions.set_admin(ctx, session.login, login, action == "admin")
        else:
            wanted = {"grant": True, "revoke": False, "role": None}[action]
            changed = permissions.set_employee_override(ctx, session.login, login, wanted)
        shown = permissions.employee_access(ctx, session.login, login)
        verdict = "has access" if shown.has_access else "has no access"
        echo(
            f"{shown.name} ({shown.login}) {verdict} ({shown.source})"
            + ("" if changed else "; nothing changed, it was already so")
            + "."
        )
        return
    rows = permissions.access_list(ctx, session.login, only_with_access=not everyone)
    _echo_access(rows, as_json)


def _echo_access(rows: list[EmployeeAccess], as_json: bool) -> None:
    if not as_json:
        table(
            ("Login", "Access", "Why", "Name", "Role", "Notifications"),
            [
                (
                    row.login,
                    "yes" if row.has_access else "no",
                    row.source,
                    row.name,
                    row.role or "—",
                    ", ".join(row.channels) or "none",
                )
                for row in rows
            ],
        )
        return
    for row in rows:
        echo_json(
            json.dumps(
                {
                    "login": row.login,
                    "name": row.name,
                    "role": row.role,
                    "access": row.has_access,
                    "why": row.source,
                    "admin": row.is_admin,
                    "individual": override_label(row.override),
                    "channels": list(row.channels),
                },
                ensure_ascii=False,
            )
        )


@click.command()
@click.argument("role", required=False)
@click.argument("action", required=False, type=click.Choice(["add", "grant", "revoke"]))
@click.option(
    "--permission",
    "slug",
    type=click.Choice(list(PERMISSION_SLUGS)),
    default="view-scl",
    show_default=True,
    help="Which permission grant or revoke changes.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one role a line.")
@reports_errors
def roles(role: str | None, action: str | None, slug: str, as_json: bool) -> None:
    """The roles and whether each carries View Second Chance Leads; or add ROLE, or grant
    or revoke a permission for ROLE (everyone in the role gains or loses it, unless set
    individually): View Second Chance Leads, or with --permission import-calls the right
    to `scl import`."""
    from core.services import permissions

    session = current_session()
    permission = PERMISSION_SLUGS[slug]
    if role is not None:
        if action is None:
            raise click.UsageError(
                "give add, grant or revoke after the ROLE, or no ROLE to list them"
            )
        if action == "add":
            permissions.add_role(session.ctx, session.login, role, granted=False)
            echo(
                f"Role {role} added; it does not carry {VIEW_SCL} "
                f"(`scl roles {role!r} grant` gives it to everyone in it)."
            )
            return
        changed = permissions.set_role_permission(
            session.ctx, session.login, role, action == "grant", permission
        )
        state = "now carries" if action == "grant" else "no longer carries"
        echo(
            f"Role {role} {state} {permission}"
            + ("" if changed else " (it was already so; nothing changed)")
            + "."
        )
        return
    rows = permissions.role_list(session.ctx, session.login)
    if not as_json:
        table(
            ("Role", "View SCL", "Employees"),
            [(row.name, "granted" if row.granted else "not granted", row.members) for row in rows],
            right={2},
        )
        return
    for row in rows:
        echo_json(
            json.dumps(
                {"role": row.name, "view_scl": row.granted, "members": row.members},
                ensure_ascii=False,
            )
        )


@click.command()
@click.argument("action", required=False, type=click.Choice(["allow", "disallow"]))
@click.argument("os_user", metavar="OSUSER", required=False)
@reports_errors
def delegates(action: str | None, os_user: str | None) -> None:
    """The OS accounts an administrator lets act as any employee with --as (service
    accounts, the web server's user behind `scl serve --proxy-header`); or allow or
    disallow OSUSER. Root and administrators may always."""
    from core.services import identity

    session = current_session()
    if action is None:
        names = identity.delegates(session.ctx, session.login)
        if not names:
            echo("No OS account is allowed --as (besides root and administrators).")
        for name in names:
            echo(name)
        return
    if os_user is None:
        raise click.UsageError(
            f"give the OS user to {action}, e.g. `scl delegates {action} www-data`"
        )
    if action == "allow":
        changed = identity.allow_as(session.ctx, session.login, os_user)
        state = "may now act as any employee with --as"
    else:
        changed = identity.disallow_as(session.ctx, session.login, os_user)
        state = "may no longer act as others"
    echo(f"OS user {os_user} {state}" + ("" if changed else " (it was already so)") + ".")


@click.command("audit")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, newest first.")
@reports_errors
def audit_log(limit: int, as_json: bool) -> None:
    """Recent changes to settings and permissions: who, when, what, from, to."""
    from core.services.audit import recent_entries

    session = current_session()
    for entry in recent_entries(session.ctx, session.login, limit):
        if as_json:
            echo_json(_audit_json(entry))
        else:
            echo(_audit_line(entry))


def _audit_json(entry: AuditView) -> str:
    return json.dumps(
        {
            "at": entry.at.isoformat(),
            "who": entry.actor_login,
            "who_name": entry.actor,
            "os_user": entry.os_user,
            "what": entry.subject,
            "from": entry.old_value,
            "to": entry.new_value,
        },
        ensure_ascii=False,
    )


def _audit_line(entry: AuditView) -> str:
    who = entry.actor_login or entry.actor
    if entry.os_user and entry.os_user != entry.actor_login:
        who = f"{who} (OS {entry.os_user})"  # acted --as, or by the system on its behalf
    old, new = entry.old_value or "—", entry.new_value or "—"
    return f"{shown_time(entry.at)}  {who:<12} {entry.subject}: {old} → {new}"
