"""A throwaway PostgreSQL server on a loopback port, one per test process.

pytest-postgresql's executor starts and stops it; our pg_ctl wrapper drops
root, and each test gets a fresh database cloned from a migrated template.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import port_for
import psycopg
from pytest_postgresql.executors.proc import PostgreSQLExecutor

WRAPPER = Path(__file__).with_name("pg_ctl")
TEMPLATE = "scl_template"
_names = itertools.count()


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None when one can."""
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not bindirs and not os.environ.get("SCL_PG_BINDIR"):
        return "PostgreSQL server binaries are not installed (Debian: postgresql-15)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no unprivileged 'postgres' user to run it as"
    return None


class Server:
    def __init__(self, executor: PostgreSQLExecutor, port: int) -> None:
        self.executor = executor
        self.port = port

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def stop(self) -> None:
        """Shut the server down now (fast: open sessions are cut), as an admin's restart
        or a crash would. Only for a server of your own (see `running_server`): the
        suite's shared one serves other tests."""
        subprocess.run(
            [str(WRAPPER), "stop", "-D", self.executor.datadir, "-m", "fast", "-w"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        """Start it again, on the same port and data, and wait until it takes sessions."""
        subprocess.run(
            self.executor.command_parts,
            check=True,
            env={**os.environ, **self.executor.envvars},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_accepting(self)

    @contextmanager
    def database(self) -> Iterator[str]:
        """A fresh database cloned from the template; dropped afterwards."""
        name = f"t_{os.getpid()}_{next(_names)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
        try:
            yield self.url(name)
        finally:
            with self.admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until_accepting(server: Server, seconds: float = 60) -> None:
    """The port opens before the server is done starting up: wait for a real session."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with server.admin():
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def running_server() -> Iterator[Server]:
    base = Path(tempfile.mkdtemp(prefix="scl-pg-"))
    base.chmod(0o755)
    workdir = base / "pg"
    workdir.mkdir()
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
    port = port_for.select_random()
    executor = PostgreSQLExecutor(
        executable=str(WRAPPER),
        host="127.0.0.1",
        port=port,
        datadir=str(workdir / "data"),
        unixsocketdir=str(workdir),
        logfile=str(workdir / "server.log"),
        startparams="-w",
        dbname=TEMPLATE,
        postgres_options="-c fsync=off -c full_page_writes=off -c synchronous_commit=off",
        timeout=60,
    )
    executor.start()
    try:
        server = Server(executor, port)
        _wait_until_accepting(server)
        with server.admin() as conn:
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        from core.db.engine import open_database

        open_database(server.url(TEMPLATE)).dispose()  # migrate the template once
        yield server
    finally:
        executor.stop()
        shutil.rmtree(base, ignore_errors=True)
