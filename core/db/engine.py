"""Opening the database: URL resolution, SQLite pragmas, migrations, clear errors."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from core.config import AppConfig, data_dir
from core.db.outages import DatabaseUnreachable, outage
from core.errors import DatabaseError, SetupError
from core.extras import POSTGRES, needs_extra

SQLITE_BUSY_TIMEOUT_MS = 10_000


@dataclass
class Database:
    """An engine and its session factory: one session per use case, per thread."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back if it raises."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def write_transaction(self) -> Iterator[Session]:
        """A unit of work that writes, for background workers that write often.

        On an SQLite file, writers queue on an OS file lock and then take SQLite's write
        lock at once (BEGIN IMMEDIATE): the next writer wakes the moment the lock is
        free, where SQLite's own busy wait would sleep in growing steps, and a read
        snapshot never has to be upgraded (which fails when another writer got in
        between). Elsewhere it is a plain transaction."""
        lock_path = self._writer_lock_path()
        if lock_path is None:
            with self.transaction() as session:
                yield session
            return
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with self.sessions() as session, session.begin():
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    yield session
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _writer_lock_path(self) -> Path | None:
        database = self.url.database or ""
        if self.engine.dialect.name != "sqlite" or database in ("", ":memory:"):
            return None
        return Path(f"{database}-writers.lock")

    def dispose(self) -> None:
        self.engine.dispose()


def default_url() -> str:
    directory = data_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SetupError(
            f"cannot create the data directory {directory}: {error.strerror}; "
            "set SCL_DATA_DIR or database_url to a writable place"
        ) from None
    return f"sqlite:///{directory / 'scl.db'}"


def resolve_url(config: AppConfig, override: str | None = None) -> str:
    """--db beats SCL_DATABASE_URL beats the config file beats the embedded default."""
    return override or config.database_url or default_url()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect, check, and bring the schema up to date; SetupError on any failure."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        try:
            engine = create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
        except ImportError as error:
            if parsed.get_backend_name() == "postgresql":  # the driver is an extra
                raise DatabaseError(needs_extra("a PostgreSQL database", POSTGRES)) from None
            raise DatabaseError(f"unsupported database URL {_shown(parsed)}: {error}") from None
        except (exc.NoSuchModuleError, exc.ArgumentError) as error:
            raise DatabaseError(f"unsupported database URL {_shown(parsed)}: {error}") from None
    database = Database(engine, sessionmaker(engine, expire_on_commit=False))
    try:
        with engine.connect():
            pass
        if migrate:
            from core.db.migrate import upgrade

            upgrade(engine)
    except exc.OperationalError as error:
        engine.dispose()
        message = f"cannot open the database {_shown(parsed)}: {_first_line(error.orig)}"
        if outage(error) is not None:  # down or full for now: a service may wait for it
            raise DatabaseUnreachable(message) from None
        raise DatabaseError(message) from None
    return database


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise DatabaseError(
            f"not a database URL: {url!r} (expected e.g. sqlite:////path/scl.db "
            "or postgresql://user@host/dbname)"
        ) from None
    # Plain postgresql:// means psycopg 3 here, the driver we ship.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


# Every engine is made with hide_parameters=True: a database error's message (logged,
# or shown as an unexpected error) then never carries the values, which may be call
# text, a customer's number or a token.


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        # One shared connection, or each thread would see its own empty database.
        engine = create_engine(
            url,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
            hide_parameters=True,
        )
    else:
        _check_sqlite_path(Path(database))
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        if database not in ("", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL's own advice: sync at checkpoints, not at every commit. A power cut may
            # forget the last commits, never corrupt the file; a review lost that way is
            # simply due again, since its claim is forgotten with it.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _check_sqlite_path(path: Path) -> None:
    parent = path.expanduser().absolute().parent
    if not parent.is_dir():
        raise DatabaseError(f"cannot open the database {path}: directory {parent} does not exist")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseError(f"cannot open the database {path}: no permission to read and write it")
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise DatabaseError(
            f"cannot create the database {path}: directory {parent} is not writable"
        )


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip() if error is not None else "unknown error"
    return text.splitlines()[0] if text else type(error).__name__
