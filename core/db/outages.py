"""When the database goes away for a while: telling a passing outage from a bug, and
waiting it out with capped exponential backoff.

A PostgreSQL restart, a network blip or a full disk is weather, not a bug: background
loops (review worker, dispatcher, the app's change follower) wait and try again; a
command prints one line. Anything else (a missing table, a constraint) is still raised.
"""

from __future__ import annotations

import errno
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import exc

from core.errors import DatabaseError, SclError

log = logging.getLogger(__name__)
T = TypeVar("T")

UNREACHABLE = "unreachable"
FULL = "full"
BUSY = "busy"

# SQLite reports these as OperationalError, like "no such table" (a bug), so by text.
_SQLITE_FULL = ("database or disk is full", "disk is full")
_SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error")
_SQLITE_BUSY = ("database is locked", "database table is locked")
# PostgreSQL SQLSTATEs: 08 connection, 57P01-03 shutdown/starting, 53 resources,
# 40001/40P01 serialization and deadlock (try again).
_PG_FULL = ("53100",)
_PG_BUSY = ("40001", "40P01", "53200", "53300", "55P03")


class DatabaseUnavailable(SclError):
    """The database is unreachable or full; the message says which, in one line."""

    title = "Database unavailable"
    exit_code = 1


class DatabaseUnreachable(DatabaseError):
    """The database could not be opened because it is down or full, not misconfigured."""


@dataclass(frozen=True)
class Outage:
    kind: str  # UNREACHABLE, FULL or BUSY
    detail: str

    @property
    def message(self) -> str:
        if self.kind == FULL:
            return f"the database's disk is full ({self.detail})"
        if self.kind == BUSY:
            return f"the database is busy ({self.detail})"
        return f"the database is unreachable ({self.detail})"


def outage(error: BaseException) -> Outage | None:
    """The outage behind `error`, or None when it is not one (a bug, bad data)."""
    if isinstance(error, OSError) and not isinstance(error, exc.SQLAlchemyError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return Outage(FULL, error.strerror or "no space left")
        return None
    if isinstance(error, exc.TimeoutError):  # the connection pool stayed empty
        return Outage(BUSY, "no free connection")
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return Outage(UNREACHABLE, _first_line(error.orig))
        return _dbapi_outage(error.orig)
    if isinstance(error, exc.PendingRollbackError):
        return Outage(UNREACHABLE, "connection lost in a transaction")
    return _dbapi_outage(error)


def _dbapi_outage(orig: BaseException | None) -> Outage | None:
    if orig is None:
        return None
    module = type(orig).__module__
    text = _first_line(orig)
    if module.startswith("sqlite3"):
        lowered = text.lower()
        if any(words in lowered for words in _SQLITE_FULL):
            return Outage(FULL, text)
        if any(words in lowered for words in _SQLITE_BUSY):
            return Outage(BUSY, text)
        if any(words in lowered for words in _SQLITE_UNREACHABLE):
            return Outage(UNREACHABLE, text)
        return None
    if module.startswith("psycopg"):
        import psycopg

        state = getattr(orig, "sqlstate", None) or ""
        if state in _PG_FULL:
            return Outage(FULL, text)
        if state in _PG_BUSY:
            return Outage(BUSY, text)
        if state.startswith("08") or state.startswith("57P"):
            return Outage(UNREACHABLE, text)
        # No SQLSTATE: the client lost or never got a connection.
        if not state and isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError):
            return Outage(UNREACHABLE, text)
    return None


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip() if error is not None else ""
    return text.splitlines()[0] if text else type(error).__name__


@dataclass
class Backoff:
    """Capped exponential delays with jitter: first, 2×first, 4×first… up to `cap`, each
    drawn between half and all of that, so workers cut off together do not come back
    together."""

    first: float = 0.25
    cap: float = 10.0
    _failures: int = 0

    def next(self) -> float:
        ceiling = min(self.cap, self.first * (2**self._failures))
        self._failures = min(self._failures + 1, 30)
        return random.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self._failures = 0


@dataclass(frozen=True)
class DatabaseStatus:
    """What a background loop tells its owner about the database."""

    connected: bool
    message: str
    retry_in: float | None = None


StatusCallback = Callable[[DatabaseStatus], None]


class Stopped(Exception):
    """Stop was asked for while waiting for the database to come back."""


class Patient:
    """Runs database steps again after an outage, waiting with backoff, until they pass,
    stop is set (Stopped), or `give_up_after` seconds of one outage (DatabaseUnavailable).

    The owner hears "unreachable, retrying" once when an outage begins and "reconnected"
    once when it ends, through `on_status`; each retry is logged."""

    def __init__(
        self,
        what: str,
        *,
        backoff: Backoff | None = None,
        give_up_after: float | None = None,
        on_status: StatusCallback | None = None,
    ) -> None:
        self.what = what
        self.backoff = backoff or Backoff()
        self.give_up_after = give_up_after
        self.on_status = on_status
        self.down_since: float | None = None
        self.outages = 0

    def run(self, step: Callable[[], T], stop: threading.Event | None = None) -> T:
        while True:
            try:
                result = step()
            except Exception as error:
                found = outage(error)
                if found is None:
                    raise
                self.wait_out(found, stop)
                continue
            self.back_up()
            return result

    def wait_out(self, found: Outage, stop: threading.Event | None) -> None:
        """Wait before the next try; Stopped or DatabaseUnavailable when not to retry."""
        now = time.monotonic()
        if self.down_since is None:
            self.down_since = now
            self.outages += 1
        elif self.give_up_after is not None and now - self.down_since > self.give_up_after:
            raise DatabaseUnavailable(
                f"{found.message}; gave up after {now - self.down_since:.0f} s"
            )
        delay = self.backoff.next()
        log.warning("%s: %s; retrying in %.1f s", self.what, found.message, delay)
        if self.down_since == now:  # told once an outage, not at every retry
            self._tell(DatabaseStatus(False, f"{found.message}; retrying", delay))
        if stop is not None:
            if stop.wait(delay):
                raise Stopped
        else:
            time.sleep(delay)

    def back_up(self) -> None:
        if self.down_since is None:
            return
        took = time.monotonic() - self.down_since
        self.down_since = None
        self.backoff.reset()
        log.warning("%s: database reachable again after %.1f s", self.what, took)
        self._tell(DatabaseStatus(True, f"reconnected to the database after {took:.0f} s"))

    def _tell(self, status: DatabaseStatus) -> None:
        if self.on_status is not None:
            try:
                self.on_status(status)
            except Exception:  # the owner's display must not stop the retrying
                log.exception("%s: status callback failed", self.what)
