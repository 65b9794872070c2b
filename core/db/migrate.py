"""Alembic, driven from code: every open brings the schema to head."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, exc, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    # The common case, every `scl` command: the schema is at head, seen without loading
    # Alembic (a third of a short command's time).
    quick = quick_head_revision()
    if quick is not None and _stored_revision(engine) == quick:
        return
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def quick_head_revision() -> str | None:
    """The head revision read from the migration files' `revision = "…"` and
    `down_revision = "…"` lines, or None whenever that is not plain (a file without
    both, a merge, a branch): then Alembic itself decides."""
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        names = {key: _literal(found.get(key)) for key in ("revision", "down_revision")}
        if names["revision"] in (None, ...) or names["down_revision"] is ...:
            return None
        revisions[names["revision"]] = names["down_revision"]  # type: ignore[index]
    parents = set(revisions.values())
    heads = [revision for revision in revisions if revision not in parents]
    return heads[0] if len(heads) == 1 else None


def _literal(value: str | None) -> object:
    """A quoted string or None as written in a migration; ... for anything else."""
    if value == "None":
        return None
    if value and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner if inner and not re.search(r"[\"'\\]", inner) else ...
    return ...


def _stored_revision(engine: Engine) -> str | None:
    """The one revision in alembic_version, or None (no table yet, or several rows)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except exc.DBAPIError:  # no table yet (a new database), or down: Alembic's path says
        return None
    return rows[0][0] if len(rows) == 1 else None
