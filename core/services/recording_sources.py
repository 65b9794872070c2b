"""The recordings allow-lists: folders and hosts, company settings only an administrator
changes, each change audited like the other settings.

Stored in the `settings` table under their own keys (a list each), next to the scalar
settings of core.domain.settings, which read_settings leaves alone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core.db.models import Employee, Setting
from core.domain.recording_sources import (
    AllowedHost,
    RecordingSources,
    folder_problem,
    parse_host,
)
from core.services import actors, audit, permissions
from core.services.context import ServiceContext
from core.services.errors import InvalidInput
from core.services.settings import store_row

FOLDERS_KEY = "recordings.folders"
HOSTS_KEY = "recordings.hosts"


def read_sources(session: Session) -> RecordingSources:
    folders = session.get(Setting, FOLDERS_KEY)
    hosts = session.get(Setting, HOSTS_KEY)
    return RecordingSources(
        folders=tuple(str(f) for f in (folders.value["value"] if folders else [])),
        hosts=tuple(AllowedHost.from_json(h) for h in (hosts.value["value"] if hosts else [])),
    )


def get_sources(ctx: ServiceContext) -> RecordingSources:
    """What the player checks a reference against (no login needed: it only narrows)."""
    with ctx.db.transaction() as session:
        return read_sources(session)


def list_sources(ctx: ServiceContext, actor_login: str) -> RecordingSources:
    """For `scl recordings`: any employee may see where recordings may come from."""
    with ctx.db.transaction() as session:
        actors.employee(session, actor_login)
        return read_sources(session)


def allow_folder(
    ctx: ServiceContext, actor_login: str, folder: str
) -> tuple[RecordingSources, bool]:
    """Add a folder (stored resolved: a symlink is followed once, here, by an administrator).
    Returns the lists and whether anything changed."""
    with ctx.db.transaction() as session:
        person = _admin(session, actor_login)
        if not folder.strip():
            raise InvalidInput("give the folder that holds the recordings")
        path = Path(folder.strip()).expanduser()  # the administrator's own shell word
        if not path.is_absolute():
            raise InvalidInput(f"the folder must be an absolute path, not {folder!r}")
        resolved = str(path.resolve())
        problem = folder_problem(resolved)
        if problem:
            raise InvalidInput(problem)
        current = read_sources(session)
        if resolved in current.folders:
            return current, False
        _store(session, ctx.clock.now(), person, FOLDERS_KEY, [*current.folders, resolved])
        return read_sources(session), True


def remove_folder(
    ctx: ServiceContext, actor_login: str, folder: str
) -> tuple[RecordingSources, bool]:
    with ctx.db.transaction() as session:
        person = _admin(session, actor_login)
        current = read_sources(session)
        wanted = {folder.strip(), str(Path(folder.strip()).expanduser().resolve())}
        kept = [f for f in current.folders if f not in wanted]
        if len(kept) == len(current.folders):
            return current, False
        _store(session, ctx.clock.now(), person, FOLDERS_KEY, kept)
        return read_sources(session), True


def allow_host(
    ctx: ServiceContext,
    actor_login: str,
    host_port: str,
    *,
    http: bool = False,
    private: bool = False,
) -> tuple[RecordingSources, bool]:
    """Add a host, or change the http/private flags of one already listed."""
    with ctx.db.transaction() as session:
        person = _admin(session, actor_login)
        try:
            host, port = parse_host(host_port)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
        entry = AllowedHost(host, port, http=http, private=private)
        current = read_sources(session)
        if entry in current.hosts:
            return current, False
        others = [h for h in current.hosts if (h.host, h.port) != (host, port)]
        _store(session, ctx.clock.now(), person, HOSTS_KEY, [h.to_json() for h in [*others, entry]])
        return read_sources(session), True


def remove_host(
    ctx: ServiceContext, actor_login: str, host_port: str
) -> tuple[RecordingSources, bool]:
    with ctx.db.transaction() as session:
        person = _admin(session, actor_login)
        try:
            host, port = parse_host(host_port)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
        current = read_sources(session)
        kept = [h for h in current.hosts if (h.host, h.port) != (host, port)]
        if len(kept) == len(current.hosts):
            return current, False
        _store(session, ctx.clock.now(), person, HOSTS_KEY, [h.to_json() for h in kept])
        return read_sources(session), True


def _admin(session: Session, login: str) -> Employee:
    return permissions.require_admin_in(session, login, "change where recordings may come from")


def _store(session: Session, now: datetime, person: Employee, key: str, value: list) -> None:
    row = session.get(Setting, key)
    old = _shown(key, row.value["value"] if row else [])
    store_row(session, key, {"value": value}, now, person)
    audit.record(session, now, person, f"setting {key}", old, _shown(key, value))
    session.flush()


def _shown(key: str, value: list) -> str:
    if key == HOSTS_KEY:
        value = [AllowedHost.from_json(h).describe() for h in value]
    return ", ".join(value) or "none"
