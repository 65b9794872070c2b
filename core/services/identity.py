"""Who is acting: the OS account of the process, and whom it may act as.

The employee is the one whose login is the OS account running the process (its
effective uid, never USER or LOGNAME). `--as LOGIN` acts as another employee and
is allowed only to root, to an OS account mapped to an administrator, and to the
OS accounts an administrator lists (service accounts, the web server's user).
The list is company-level, in the settings table under its own key; every change
to it is audited, and so is every session that acts as someone else.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.db.models import Employee, Setting
from core.services import actors, audit, permissions
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound, PermissionDenied

# Not a company setting of SETTING_SPECS: `scl settings` neither shows nor sets it.
DELEGATES_KEY = "identity.as_delegates"
MAX_OS_USER = 64
# POSIX portable user names, plus the trailing $ of machine accounts.
_OS_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*\$?\Z")
ALLOW_AS = "let OS users act as other employees (--as)"


class NotAnEmployee(PermissionDenied):
    title = "Not an employee"


@dataclass(frozen=True)
class Identity:
    os_user: str
    login: str

    @property
    def delegated(self) -> bool:
        return self.os_user != self.login


def is_root() -> bool:
    return os.geteuid() == 0


def resolve(
    ctx: ServiceContext,
    requested: str | None,
    *,
    doing: str | None = None,
    os_user: str | None = None,
    root: bool | None = None,
) -> Identity:
    """The employee this process acts as: its OS account's, or `requested` (--as) when
    the OS account may act as others. A delegated session is audited as `doing`
    (e.g. "scl dismiss"), naming both the OS account and the employee.

    `os_user` and `root` default to the process's own; tests of the rule pass them.
    """
    me = os_user if os_user is not None else actors.os_user()
    superuser = is_root() if root is None else root
    with ctx.db.transaction() as session:
        own = actors.find_employee(session, me)
        may = superuser or (own is not None and own.is_admin) or me in _delegates(session)
        if requested is None or requested == me:
            if own is None:
                hint = (
                    "; it may act as an employee with --as LOGIN"
                    if may
                    else f"; ask an administrator to add {me!r} as an employee"
                )
                raise NotAnEmployee(
                    f"the OS user {me!r} is no employee of Second Chance Leads{hint}."
                )
            return Identity(me, me)
        if not may:
            raise PermissionDenied(
                f"the OS user {me!r} may not act as another employee (--as {requested}): "
                "only root, administrators and the OS accounts an administrator allows "
                "(`scl access allow-as OSUSER`) may."
            )
        target = actors.find_employee(session, requested)
        if target is None:
            raise NotFound(f"No employee has the login {requested!r} (given with --as).")
        if doing is not None:
            audit.record(session, ctx.clock.now(), target, f"acting as {requested}", None, doing)
        return Identity(me, requested)


def employee_exists(ctx: ServiceContext, login: str) -> bool:
    with ctx.db.transaction() as session:
        return actors.find_employee(session, login) is not None


def may_act_as_others(ctx: ServiceContext, os_user: str | None = None) -> bool:
    """Whether this OS account may use --as (what `scl serve` behind a proxy needs)."""
    me = os_user if os_user is not None else actors.os_user()
    if os_user is None and is_root():
        return True
    with ctx.db.transaction() as session:
        own = actors.find_employee(session, me)
        return (own is not None and own.is_admin) or me in _delegates(session)


def first_administrator(
    ctx: ServiceContext, new_login: str, *, admin: bool, root: bool | None = None
) -> bool:
    """True while the company has no administrator yet (the service then allows only
    the first administrator), when this OS account may add `new_login` as it: itself,
    or anyone when root. Nobody else may: the first administrator of a new database
    is the OS account that set it up."""
    with ctx.db.transaction() as session:
        if session.scalar(select(exists().where(Employee.is_admin.is_(True)))):
            return False
    me = actors.os_user()
    if admin and new_login != me and not (is_root() if root is None else root):
        raise PermissionDenied(
            f"the company has no administrator yet, and the OS user {me!r} may add only "
            f"itself as the first (`scl employee add {me} --name NAME --admin`), or root "
            "anyone."
        )
    return True


# --- the OS accounts an administrator lets act as others ------------------------------


def delegates(ctx: ServiceContext, actor_login: str) -> list[str]:
    with ctx.db.transaction() as session:
        permissions.require_admin_in(session, actor_login, "see who may act as others")
        return sorted(_delegates(session))


def allow_as(ctx: ServiceContext, actor_login: str, os_user: str) -> bool:
    """List `os_user` as allowed --as; False when it already was."""
    name = _checked(os_user)
    with ctx.db.transaction() as session:
        actor = permissions.require_admin_in(session, actor_login, ALLOW_AS)
        return _change(ctx, session, actor, name, allowed=True)


def disallow_as(ctx: ServiceContext, actor_login: str, os_user: str) -> bool:
    """Take `os_user` off the list; False when it was not on it."""
    name = _checked(os_user)
    with ctx.db.transaction() as session:
        actor = permissions.require_admin_in(session, actor_login, ALLOW_AS)
        return _change(ctx, session, actor, name, allowed=False)


def _change(
    ctx: ServiceContext, session: Session, actor: Employee | None, name: str, *, allowed: bool
) -> bool:
    current = _delegates(session)
    if (name in current) == allowed:
        return False
    now = ctx.clock.now()
    names = sorted(current | {name}) if allowed else sorted(current - {name})
    row = session.get(Setting, DELEGATES_KEY)
    if row is None:
        row = Setting(key=DELEGATES_KEY, value={"value": names}, updated_at=now)
        session.add(row)
    row.value = {"value": names}
    row.updated_at = now
    row.updated_by_id = actor.id if actor is not None else None
    audit.record(
        session,
        now,
        actor,
        f"OS user {name}: --as",
        "not allowed" if allowed else "allowed",
        "allowed" if allowed else "not allowed",
    )
    return True


def _delegates(session: Session) -> set[str]:
    row = session.get(Setting, DELEGATES_KEY)
    return set(row.value.get("value") or ()) if row is not None else set()


def _checked(os_user: str) -> str:
    name = os_user.strip()
    if not name or len(name) > MAX_OS_USER or not _OS_USER.match(name):
        raise InvalidInput(
            f"{os_user!r} is not an OS user name (letters, digits, '.', '_', '-', "
            f"at most {MAX_OS_USER} characters)."
        )
    return name


# --- the demo ------------------------------------------------------------------------


def demo_logins(directory: Path) -> frozenset[str]:
    """Every login the demo data set creates: its employees and its calls' CSRs."""
    people = json.loads((directory / "employees.json").read_text(encoding="utf-8"))
    logins = {p["login"] for p in people["employees"]}
    with (directory / "calls.jsonl").open(encoding="utf-8") as calls:
        for line in calls:
            if line.strip():
                csr = json.loads(line).get("csr")
                if isinstance(csr, str):
                    logins.add(csr)
    return frozenset(logins)


def check_demo_database(ctx: ServiceContext, logins: Iterable[str]) -> None:
    """The demo loads only into an empty database or one that holds the demo: its
    administrator `admin` must never land in a company's database."""
    known = frozenset(logins)
    with ctx.db.transaction() as session:
        others = [login for login in session.scalars(select(Employee.login)) if login not in known]
    if others:
        raise PermissionDenied(
            f"this database holds the company's employees ({len(others)} besides the demo's); "
            "the demo loads only into an empty database: give it one of its own, e.g. "
            "`scl --db sqlite:////tmp/scl-demo.db demo`."
        )


def allow_by_setup(ctx: ServiceContext, os_user: str | None = None) -> bool:
    """List an OS account (default: this process's) as allowed --as, by the system
    rather than an administrator: what the demo does in its own database (checked
    first) so that whoever runs it opens it as the demo's agent. Audited."""
    name = _checked(os_user if os_user is not None else actors.os_user())
    with ctx.db.transaction() as session:
        return _change(ctx, session, None, name, allowed=True)
