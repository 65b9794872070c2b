"""The database goes away for a while (a PostgreSQL restart, a full disk): the review
worker, the dispatcher and the app's change follower wait, come back by themselves, and
finish their work exactly once. Claims follow the [worker] lease setting and are given
back when a worker ends."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from core.adapters.notifiers.base import Outgoing
from core.classify.base import CallForReview, Verdict
from core.config import load_config
from core.db.engine import open_database
from core.db.models import Call, Lead, Notification
from core.db.outages import Backoff, DatabaseStatus
from core.domain.notifications import Channel
from core.services import events
from core.services.context import ServiceContext
from core.services.settings import set_setting
from core.workers.dispatcher import Dispatcher
from core.workers.review_worker import ReviewWorker, WorkerOptions
from tests.builders import add_call, add_lead, seed_people
from tests.fakes import ScriptedClassifier
from tests.pg.server import Server, running_server, unavailable_reason
from tests.workers.test_dispatcher import OPTIONS, agent_wants

QUICK = Backoff(first=0.05, cap=0.5)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def own_server() -> Iterator[Server]:
    """A PostgreSQL server of this module's own, to stop and start: the suite's shared
    one serves other tests meanwhile."""
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    with running_server() as server:
        yield server


@pytest.fixture
def pg_ctx(own_server: Server, clock) -> Iterator[ServiceContext]:  # type: ignore[no-untyped-def]
    with own_server.database() as url:
        database = open_database(url)
        yield ServiceContext(db=database, clock=clock)
        database.dispose()
        if not _accepting(own_server):  # a test failed with the server down
            own_server.start()


def _accepting(server: Server) -> bool:
    try:
        with server.admin():
            return True
    except Exception:
        return False


def enable(ctx: ServiceContext) -> None:
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")


def count(ctx: ServiceContext, query) -> int:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        return session.scalar(query) or 0


def reviewed(ctx: ServiceContext) -> int:
    return count(ctx, select(func.count()).select_from(Call).where(Call.reviewed_at.is_not(None)))


def held(ctx: ServiceContext) -> int:
    """Calls not reviewed that some worker still holds a claim on."""
    return count(
        ctx,
        select(func.count())
        .select_from(Call)
        .where(Call.reviewed_at.is_(None), Call.review_claimed_by.is_not(None)),
    )


class HeldClassifier(ScriptedClassifier):
    """Holds its first call until the test lets go (the test cuts the database then)."""

    batch_size = 5

    def __init__(self) -> None:
        super().__init__()
        self.classifying = threading.Event()
        self.go = threading.Event()

    def classify(self, call: CallForReview) -> Verdict:
        self.classifying.set()
        self.go.wait(60)
        return super().classify(call)


class Running:
    """A loop (worker.run, dispatcher.run) in a thread; what it raised, if anything."""

    def __init__(self, loop: Callable[[threading.Event], object]) -> None:
        self.stop = threading.Event()
        self.error: BaseException | None = None

        def run() -> None:
            try:
                loop(self.stop)
            except BaseException as error:
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return self.thread.is_alive()

    def end(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert self.error is None, repr(self.error)


@pytest.mark.postgres
def test_a_worker_waits_out_a_postgresql_restart_and_reviews_every_call_once(pg_ctx, own_server):  # type: ignore[no-untyped-def]
    enable(pg_ctx)
    calls = [add_call(pg_ctx) for _ in range(12)]
    classifier = HeldClassifier()
    statuses: list[DatabaseStatus] = []
    worker = ReviewWorker(
        pg_ctx,
        classifier,
        options=WorkerOptions(poll_seconds=0.05, backoff=QUICK),
        on_status=statuses.append,
    )
    running = Running(worker.run)
    try:
        wait_for(classifier.classifying.is_set, "the first batch to be classified")
        own_server.stop()  # the batch's verdicts can no longer be written
        classifier.go.set()
        wait_for(lambda: statuses or not running.alive(), "the worker to see the outage")
        assert running.alive(), repr(running.error)
        own_server.start()
        wait_for(
            lambda: reviewed(pg_ctx) == len(calls) or not running.alive(), "every call reviewed"
        )
    finally:
        classifier.go.set()
        running.end()
    assert [status.connected for status in statuses] == [False, True]
    assert count(pg_ctx, select(func.count()).select_from(Lead)) == len(calls)
    assert count(pg_ctx, select(func.max(Call.review_attempts))) == 1
    assert set(classifier.seen.values()) == {1}


class HeldNotifier:
    """Sends (records) texts; holds the first until the test lets go."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.sending = threading.Event()
        self.go = threading.Event()

    def send(self, message: Outgoing) -> None:
        self.sending.set()
        self.go.wait(60)
        self.sent[message.text] += 1


@pytest.mark.postgres
def test_a_dispatcher_waits_out_a_postgresql_restart_and_sends_each_text_once(pg_ctx, own_server):  # type: ignore[no-untyped-def]
    seed_people(pg_ctx)
    agent_wants(pg_ctx, sms=True)
    leads = [add_lead(pg_ctx, phone=f"+1512555{i:04d}") for i in range(3)]
    notifier = HeldNotifier()
    statuses: list[DatabaseStatus] = []
    dispatcher = Dispatcher(
        pg_ctx,
        {Channel.SMS: notifier},  # type: ignore[dict-item]
        OPTIONS.model_copy(update={"poll_seconds": 0.05}),
        backoff=QUICK,
        on_status=statuses.append,
    )
    delivered = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.channel == Channel.SMS.value, Notification.state == "delivered")
    )
    running = Running(dispatcher.run)
    try:
        wait_for(notifier.sending.is_set, "the first text to be sent")
        own_server.stop()  # sent, but its delivery cannot be written
        notifier.go.set()
        wait_for(lambda: statuses or not running.alive(), "the dispatcher to see the outage")
        assert running.alive(), repr(running.error)
        own_server.start()
        wait_for(
            lambda: count(pg_ctx, delivered) == len(leads) or not running.alive(),
            "every text delivered",
        )
    finally:
        notifier.go.set()
        running.end()
    assert sum(notifier.sent.values()) == len(leads)
    assert set(notifier.sent.values()) == {1}
    assert [status.connected for status in statuses] == [False, True]


@pytest.mark.postgres
def test_the_change_follower_listens_again_after_a_postgresql_restart(pg_ctx, own_server):  # type: ignore[no-untyped-def]
    seed_people(pg_ctx)
    looks: list[float] = []
    statuses: list[DatabaseStatus] = []

    def follow(stop: threading.Event) -> None:
        events.follow_changes(
            pg_ctx,
            lambda: looks.append(time.monotonic()),
            stopping=stop.is_set,
            poll_seconds=600,  # only a NOTIFY (or coming back) makes it look
            on_status=statuses.append,
            backoff=QUICK,
            slice_seconds=0.05,
        )

    running = Running(follow)
    try:
        wait_for(lambda: len(looks) == 1, "the first look")
        own_server.stop()
        wait_for(lambda: statuses or not running.alive(), "the follower to see the outage")
        assert running.alive(), repr(running.error)
        assert statuses[0].connected is False
        assert "unreachable" in statuses[0].message
        own_server.start()
        wait_for(lambda: len(statuses) == 2 or not running.alive(), "the follower to return")
        assert statuses[1].connected is True
        seen = len(looks)  # it looked once on return, to catch up
        add_lead(pg_ctx)  # a change committed elsewhere: its NOTIFY wakes the follower
        wait_for(lambda: len(looks) > seen or not running.alive(), "a look after the NOTIFY")
    finally:
        running.end()


def test_a_claim_lasts_the_lease_set_in_the_config_file(sqlite_ctx, clock, tmp_path):  # type: ignore[no-untyped-def]
    config_file = tmp_path / "config" / "config.toml"
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text("[worker]\nlease_seconds = 45\n", encoding="utf-8")
    enable(sqlite_ctx)
    call_id = add_call(sqlite_ctx)
    leases = []

    class Peeking(ScriptedClassifier):
        def classify(self, call: CallForReview) -> Verdict:
            with sqlite_ctx.db.transaction() as session:
                leases.append(session.get(Call, call_id).review_lease_until)
            return super().classify(call)

    options = WorkerOptions.from_config(load_config())
    ReviewWorker(sqlite_ctx, Peeking(), options=options).run_once()
    assert leases == [clock.now() + timedelta(seconds=45)]


def test_the_lease_setting_is_refused_below_five_seconds_with_its_name(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from core.errors import ConfigError

    monkeypatch.setenv("SCL_WORKER__LEASE_SECONDS", "1")
    with pytest.raises(ConfigError, match=r"worker\.lease_seconds"):
        load_config()


def test_a_worker_stopped_mid_batch_gives_its_claims_back_at_once(sqlite_ctx):  # type: ignore[no-untyped-def]
    enable(sqlite_ctx)
    for _ in range(10):
        add_call(sqlite_ctx)
    stop = threading.Event()

    class StopsAfterOne(ScriptedClassifier):
        def classify(self, call: CallForReview) -> Verdict:
            stop.set()  # SIGTERM or Ctrl-C while the batch is in hand
            return super().classify(call)

    ReviewWorker(sqlite_ctx, StopsAfterOne()).run(stop)
    assert reviewed(sqlite_ctx) == 1
    assert held(sqlite_ctx) == 0
    # Due again now, not after the lease: another worker takes them at the same moment.
    assert ReviewWorker(sqlite_ctx, ScriptedClassifier()).run_once().reviewed == 9


def test_a_worker_ended_by_an_unexpected_error_gives_its_claims_back_at_once(sqlite_ctx):  # type: ignore[no-untyped-def]
    enable(sqlite_ctx)
    for _ in range(10):
        add_call(sqlite_ctx)

    class Breaks(ScriptedClassifier):
        def classify(self, call: CallForReview) -> Verdict:
            raise RuntimeError("a bug in a classifier")

    with pytest.raises(RuntimeError):
        ReviewWorker(sqlite_ctx, Breaks()).run_once()
    assert held(sqlite_ctx) == 0
    assert ReviewWorker(sqlite_ctx, ScriptedClassifier()).run_once().reviewed == 10


def test_a_full_sqlite_database_makes_the_worker_wait_and_then_finish(sqlite_ctx):  # type: ignore[no-untyped-def]
    enable(sqlite_ctx)
    calls = [add_call(sqlite_ctx) for _ in range(40)]
    engine = sqlite_ctx.db.engine
    with sqlite_ctx.db.transaction() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
    limit = {"pages": pages}  # not one page more: the file is "full"

    @event.listens_for(engine, "checkout")
    def _cap(dbapi_connection, _record, _proxy):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages']}")

    statuses: list[DatabaseStatus] = []
    worker = ReviewWorker(
        sqlite_ctx,
        ScriptedClassifier(),
        options=WorkerOptions(poll_seconds=0.05, backoff=QUICK),
        on_status=statuses.append,
    )
    running = Running(worker.run)
    try:
        wait_for(lambda: statuses or not running.alive(), "the worker to meet the full disk")
        assert running.alive(), repr(running.error)
        assert "disk is full" in statuses[0].message
        assert worker.patient.down_since is not None
        limit["pages"] = 1_000_000  # room again
        wait_for(
            lambda: reviewed(sqlite_ctx) == len(calls) or not running.alive(),
            "every call reviewed",
        )
    finally:
        running.end()
        event.remove(engine, "checkout", _cap)
    assert count(sqlite_ctx, select(func.count()).select_from(Lead)) == len(calls)
    assert [status.connected for status in statuses] == [False, True]


def test_a_command_meeting_a_full_database_says_so_in_one_line(sqlite_ctx):  # type: ignore[no-untyped-def]
    import click
    from click.testing import CliRunner

    from scl_tui.cli.common import reports_errors

    seed_people(sqlite_ctx)
    engine = sqlite_ctx.db.engine

    @event.listens_for(engine, "checkout")
    def _full(dbapi_connection, _record, _proxy):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # no room for one page more

    @click.command()
    @reports_errors
    def writes() -> None:
        for _ in range(50):
            add_call(sqlite_ctx)

    try:
        result = CliRunner().invoke(writes, [])
    finally:
        event.remove(engine, "checkout", _full)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "scl: the database's disk is full (database or disk is full)"
    ]


@pytest.mark.postgres
def test_scl_worker_keeps_running_through_a_postgresql_restart_and_says_so(
    pg_ctx, own_server, tmp_path
):  # type: ignore[no-untyped-def]
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    enable(pg_ctx)
    url = pg_ctx.db.url.render_as_string(hide_password=False)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("scl")), "--db", url, "worker", "--poll", "0.1"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=os.environ,
        )
    try:
        wait_for(lambda: b"reviewing due calls" in log.read_bytes(), "the worker to start")
        own_server.stop()
        wait_for(lambda: b"retrying" in log.read_bytes() or worker.poll() is not None, "retry")
        own_server.start()
        wait_for(lambda: b"reconnected" in log.read_bytes() or worker.poll() is not None, "back")
        assert worker.poll() is None, log.read_text()
        add_call(pg_ctx)  # reviewed after the restart
        wait_for(lambda: reviewed(pg_ctx) == 1 or worker.poll() is not None, "the review")
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    lines = log.read_text().splitlines()
    assert worker.returncode == 0, lines
    assert any(line.startswith("scl worker: the database is unreachable") for line in lines)
    assert "Traceback" not in log.read_text()


def test_a_log_line_on_a_full_disk_prints_nothing_over_the_screen(tmp_path):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    data.mkdir()
    from core.log_setup import os_user

    (data / f"scl-{os_user()}.log").symlink_to("/dev/full")  # every write: ENOSPC
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import logging; from scl_tui.cli.common import log_to_file; log_to_file(); "
            "logging.getLogger('scl').warning('the database is full')",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "SCL_DATA_DIR": str(data), "SCL_LOG": "file"},
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.postgres
def test_scl_worker_started_while_postgresql_is_down_waits_for_it(pg_ctx, own_server, tmp_path):  # type: ignore[no-untyped-def]
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    enable(pg_ctx)
    add_call(pg_ctx)
    url = pg_ctx.db.url.render_as_string(hide_password=False)
    log = tmp_path / "worker.log"
    own_server.stop()
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("scl")), "--db", url, "worker", "--poll", "0.1"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=os.environ,
        )
    try:
        wait_for(lambda: b"retrying" in log.read_bytes() or worker.poll() is not None, "retry")
        assert worker.poll() is None, log.read_text()
        own_server.start()
        wait_for(lambda: reviewed(pg_ctx) == 1 or worker.poll() is not None, "the review")
    finally:
        if not _accepting(own_server):
            own_server.start()
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    assert worker.returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()
