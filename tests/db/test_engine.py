"""Opening the database: SQLite pragmas, migrations, URLs, clear errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from core.config import load_config
from core.db.engine import default_url, open_database, resolve_url
from core.db.migrate import current_revision, head_revision
from core.db.models import Base, Setting


def test_embedded_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_ctx):
    with sqlite_ctx.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_embedded_sqlite_syncs_to_disk_at_checkpoints_not_every_commit(sqlite_ctx):
    with sqlite_ctx.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_opening_a_database_brings_its_schema_to_the_latest_migration(ctx):
    assert current_revision(ctx.db.engine) == head_revision()


def test_the_migrated_schema_is_the_schema_the_models_declare(ctx):
    # A table or column the models have and the migrations lack (or the reverse) would
    # first show as an error on a customer's database.
    with ctx.db.engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert drift == []


def test_importing_the_models_alone_declares_every_table_the_migrations_make(sqlite_ctx):
    # Alembic and a fresh worker see only what core.db.models pulls in; a fresh
    # interpreter shows that, where this test process has imported everything already.
    listed = subprocess.run(
        [sys.executable, "-c", "from core.db.models import Base; print(*Base.metadata.tables)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    migrated = set(inspect(sqlite_ctx.db.engine).get_table_names()) - {"alembic_version"}
    assert set(listed.stdout.split()) == migrated


def test_opening_an_up_to_date_database_again_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    open_database(url).dispose()
    again = open_database(url)
    assert current_revision(again.engine) == head_revision()
    again.dispose()


def test_the_default_database_is_sqlite_in_the_user_data_directory(tmp_path):
    assert default_url() == f"sqlite:///{tmp_path / 'data' / 'scl.db'}"


def test_the_database_url_comes_from_the_flag_then_the_environment_then_the_file(
    tmp_path, monkeypatch
):
    config_file = tmp_path / "config" / "config.toml"
    config_file.parent.mkdir()
    config_file.write_text('database_url = "sqlite:////from/file.db"\n', encoding="utf-8")
    assert resolve_url(load_config()) == "sqlite:////from/file.db"
    monkeypatch.setenv("SCL_DATABASE_URL", "sqlite:////from/env.db")
    assert resolve_url(load_config()) == "sqlite:////from/env.db"
    assert resolve_url(load_config(), "sqlite:////from/flag.db") == "sqlite:////from/flag.db"


def test_a_plain_postgresql_url_uses_psycopg_3():
    from core.db.engine import parse_url

    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_a_naive_datetime_is_refused_before_it_reaches_the_database(sqlite_ctx):
    with pytest.raises(Exception, match="naive datetime"), sqlite_ctx.db.transaction() as s:
        s.add(Setting(key="x", value={"value": 1}, updated_at=datetime(2026, 1, 1)))
        s.flush()


def test_times_come_back_aware_in_utc_on_every_backend(ctx, clock):
    with ctx.db.transaction() as session:
        session.add(Setting(key="probe", value={"value": 1}, updated_at=clock.now()))
    with ctx.db.transaction() as session:
        stored = session.get(Setting, "probe").updated_at
    assert stored == clock.now() and stored.utcoffset().total_seconds() == 0
