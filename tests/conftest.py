"""Fixtures shared by the whole suite.

Autouse isolation keeps the developer's own config, data and keyring out: every
test sees an empty config directory, a temporary data directory, an empty
in-memory keyring and UTC.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from core.services.demo import load_demo
from tests.keyring_memory import MemoryKeyring, installed_keyring
from tests.pg.server import Server, running_server, unavailable_reason

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_keyring() -> Iterator[MemoryKeyring]:
    """No test reaches the developer's OS keyring: each gets an empty one in memory."""
    with installed_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCL_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("SCL_DATA_DIR", str(tmp_path / "data"))
    for name in ("SCL_DATABASE_URL", "SCL_CLASSIFIER", "SCL_THEME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TZ", "UTC")
    # Commands run in a subprocess get keyring's "no keyring" backend, never the real one.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    time.tzset()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the schema's head, migrated once a session: a test's
    database is a copy of it (milliseconds), as PostgreSQL's are clones of a template."""
    path = tmp_path_factory.mktemp("template") / "scl.db"
    open_database(f"sqlite:///{path}").dispose()  # the last close folds the WAL in
    return path


def migrated_copy(template: Path, path: Path) -> str:
    """The URL of a fresh, migrated SQLite database at `path`."""
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on the embedded SQLite file and on a real PostgreSQL 15, each a new
    database already at the schema's head."""
    if request.param == "sqlite":
        yield migrated_copy(request.getfixturevalue("migrated_sqlite"), tmp_path / "scl.db")
        return
    server: Server = request.getfixturevalue("pg_server")
    with server.database() as url:
        yield url


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def ctx(db_url: str, clock: FrozenClock) -> Iterator[ServiceContext]:
    database = open_database(db_url)
    yield ServiceContext(db=database, clock=clock)
    database.dispose()


@pytest.fixture
def sqlite_ctx(
    tmp_path: Path, clock: FrozenClock, migrated_sqlite: Path
) -> Iterator[ServiceContext]:
    """SQLite only, for tests about the embedded database itself."""
    database = open_database(migrated_copy(migrated_sqlite, tmp_path / "only.db"))
    yield ServiceContext(db=database, clock=clock)
    database.dispose()


@pytest.fixture(scope="session")
def demo_file(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data set as it stands at NOW, loaded once a session."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    ctx = ServiceContext(open_database(migrated_copy(migrated_sqlite, path)), FrozenClock(NOW))
    load_demo(ctx)
    ctx.db.dispose()
    return path


@pytest.fixture
def demo_ctx(demo_file: Path, tmp_path: Path) -> Iterator[ServiceContext]:
    """The demo data as it stands at NOW, in a database of this test's own."""
    ctx = ServiceContext(
        open_database(migrated_copy(demo_file, tmp_path / "demo.db")), FrozenClock(NOW)
    )
    yield ctx
    ctx.db.dispose()
