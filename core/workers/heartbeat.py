"""A running worker's row in worker_heartbeats, refreshed every few seconds.

`scl status` counts the workers seen lately from these rows. The beat is its own
short transaction in a thread of its own, never part of a claim or a verdict, so a
long classification does not hide a live worker and a beat never holds up a write.
A clean exit removes the row; a crashed worker's row simply stops being refreshed.

Each row says which kind of reviewer beats: a service worker (`scl worker`), a one-shot
(`scl worker --once`, from cron or a timer: its row lives while it runs) or an app that
reviews calls in a thread (its row lives while the app is open).
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from types import TracebackType

from sqlalchemy import delete, update

from core.db.models import WorkerHeartbeat
from core.log_setup import os_user
from core.services.context import ServiceContext

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
FORGET_AFTER = timedelta(days=1)
"""Rows of workers unseen this long are removed when another worker starts."""

UNTIL_LOOK = 0.25
"""How often a `keep_until` beat looks at its owner's stop event (seconds)."""

SERVICE = "service"
"""`scl worker`: reviews until stopped."""
ONE_SHOT = "one-shot"
"""`scl worker --once`: reviews what is due now, then exits."""
APP = "app"
"""An app (the screen, plain mode) reviewing calls in a thread while it is open."""
KINDS = (SERVICE, ONE_SHOT, APP)


class Heartbeat:
    """`with Heartbeat(ctx, token, done):` keeps the worker's row fresh until the block
    ends; `done()` is how many calls the worker has reviewed so far."""

    def __init__(
        self,
        ctx: ServiceContext,
        token: str,
        done: Callable[[], int],
        *,
        kind: str = SERVICE,
        every: float | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown worker kind {kind!r}: one of {', '.join(KINDS)}")
        self.ctx = ctx
        self.token = token[:100]
        self.done = done
        self.kind = kind
        self.every = every or BEAT_SECONDS
        self._stop = threading.Event()
        self._until: threading.Event | None = None  # the owner's own stop (keep_until)
        self._thread: threading.Thread | None = None
        self._failing = False

    def __enter__(self) -> Heartbeat:
        self._safely(self._start)
        self._thread = threading.Thread(target=self._beat_until_stopped, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        self._safely(self._remove)

    def keep_until(self, stop: threading.Event) -> None:
        """Beat from now until `stop` is set, then remove the row: for a reviewer whose
        owner calls it again and again (an app's loop), not within one block. Should the
        process end first, the row is still removed on the way out."""
        self._until = stop
        self._safely(self._start)
        self._thread = threading.Thread(target=self._beat_then_remove, daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def close(self) -> None:
        """End a `keep_until` beat now (idempotent): the row is removed."""
        atexit.unregister(self.close)
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(30)

    def beat(self) -> None:
        """Refresh the row now (made again if someone removed it)."""
        now = self.ctx.clock.now()
        with self.ctx.db.write_transaction() as session:
            found = session.execute(
                update(WorkerHeartbeat)
                .where(WorkerHeartbeat.id == self.token)
                .values(last_seen_at=now, calls_done=self.done())
                .execution_options(synchronize_session=False)
            )
            if not found.rowcount:  # type: ignore[attr-defined]
                session.add(self._row())

    def _start(self) -> None:
        now = self.ctx.clock.now()
        with self.ctx.db.write_transaction() as session:
            session.execute(
                delete(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at < now - FORGET_AFTER)
            )
            session.merge(self._row())

    def _row(self) -> WorkerHeartbeat:
        now = self.ctx.clock.now()
        return WorkerHeartbeat(
            id=self.token,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            os_user=os_user()[:64],
            started_at=now,
            last_seen_at=now,
            calls_done=self.done(),
            kind=self.kind,
        )

    def _remove(self) -> None:
        with self.ctx.db.write_transaction() as session:
            session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.id == self.token))

    def _beat_until_stopped(self) -> None:
        while not self._stop.wait(self.every):
            self._safely(self.beat)

    def _beat_then_remove(self) -> None:
        """Beats until the owner's event or close(): the owner's event is its own to
        set (it may stop the rest of an app), so it is looked at, never set, here."""
        assert self._until is not None
        due = time.monotonic() + self.every
        while not (self._stop.wait(UNTIL_LOOK) or self._until.is_set()):
            if time.monotonic() >= due:
                self._safely(self.beat)
                due = time.monotonic() + self.every
        self._safely(self._remove)

    def _safely(self, step: Callable[[], None]) -> None:
        """A beat lost to a database outage is only a beat: the worker's own steps wait
        the outage out and say so; this says it once, and once when beats resume."""
        try:
            step()
        except Exception as error:  # never take the worker down
            if not self._failing:
                log.warning(
                    "worker %s: heartbeat not written: %s", self.token, type(error).__name__
                )
            self._failing = True
            return
        if self._failing:
            log.info("worker %s: heartbeat written again", self.token)
        self._failing = False
