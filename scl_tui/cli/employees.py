"""`scl employee add|set`: administrators add employees and keep their details; an
employee keeps their own phone and email. On a new installation the first
administrator is added this way."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from scl_tui.cli.common import current_session, echo, reports_errors, shown_phone

if TYPE_CHECKING:
    from core.services.views import EmployeeAccess

DETAILS = (
    click.option("--name", help="Full name, as agents see it."),
    click.option("--role", help='A role by name (see `scl roles`); "" for none.'),
    click.option("--phone", help='Mobile number for text notifications; "" to clear.'),
    click.option("--email", help='Address for email notifications; "" to clear.'),
)


def with_details(command):  # type: ignore[no-untyped-def]
    for option in reversed(DETAILS):
        command = option(command)
    return command


@click.group()
def employee() -> None:
    """Add an employee, or change one's name, role, phone or email."""


@employee.command()
@click.argument("login")
@with_details
@click.option("--admin", is_flag=True, help="Make the employee an administrator.")
@reports_errors
def add(
    login: str,
    name: str | None,
    role: str | None,
    phone: str | None,
    email: str | None,
    admin: bool,
) -> None:
    """Add LOGIN (the employee's OS user name) as an employee. While the company has no
    administrator, anyone may add the first one: `scl employee add LOGIN --name NAME
    --admin`."""
    from core.services.actors import os_user
    from core.services.employees import Details, add_employee
    from core.services.identity import first_administrator

    session = current_session()
    # The first administrator has no employee to act as yet: the OS account adds itself.
    first = first_administrator(session.ctx, login, admin=admin)
    added = add_employee(
        session.ctx,
        os_user() if first else session.login,
        login,
        Details(name, role, phone, email),
        admin=admin,
    )
    echo(f"Added {described(added)}.")


@employee.command("set")
@click.argument("login")
@with_details
@reports_errors
def set_details(
    login: str, name: str | None, role: str | None, phone: str | None, email: str | None
) -> None:
    """Change LOGIN's details (administrators; anyone their own phone and email)."""
    from core.services.employees import Details, update_employee

    if (name, role, phone, email) == (None, None, None, None):
        raise click.UsageError("give at least one of --name, --role, --phone, --email")
    session = current_session()
    person, changed = update_employee(
        session.ctx, session.login, login, Details(name, role, phone, email)
    )
    what = f"changed {', '.join(changed)}" if changed else "nothing changed, it was already so"
    echo(f"{described(person)}: {what}.")


def described(person: EmployeeAccess) -> str:
    access = f"has access ({person.source})" if person.has_access else "has no access"
    parts = [f"{person.name} ({person.login}) {access}"]
    if person.is_admin:
        parts.append("administrator")
    parts.append(f"texts to {shown_phone(person.phone)}" if person.phone else "no phone")
    parts.append(f"email to {person.email}" if person.email else "no email")
    return "; ".join(parts)
