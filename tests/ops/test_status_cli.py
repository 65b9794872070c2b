"""`scl status [--json]` as a monitor runs it: a real `scl` process, exit 1 when stuck."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from core.services.settings import set_setting
from core.services.status import backlog_status
from core.workers.heartbeat import Heartbeat
from tests.builders import add_call, add_lead, seed_people

SCL = Path(sys.executable).with_name("scl")


@pytest.fixture
def live(db_url: str) -> Iterator[ServiceContext]:
    """The database the command opens, seeded on the real clock it runs on."""
    database = open_database(db_url)
    ctx = ServiceContext(database, SystemClock())
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    yield ctx
    database.dispose()


def scl(ctx: ServiceContext, *args: str) -> subprocess.CompletedProcess[str]:
    url = ctx.db.url.render_as_string(hide_password=False)
    return subprocess.run(
        [str(SCL), "--db", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=os.environ.copy(),
    )


def test_a_healthy_backlog_exits_0_and_names_the_live_worker(live):
    add_call(live, ended=live.clock.now() - timedelta(minutes=7))
    Heartbeat(live, "ops-host:4242:feed", lambda: 12).beat()
    done = scl(live, "status", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["due"], data["stuck"], data["workers_live"]) == (1, False, 1)
    assert data["workers"][0]["host"] and data["workers"][0]["calls_done"] == 12
    assert data["workers"][0]["last_seen_at"].endswith("Z")


def test_status_names_the_kind_of_each_live_reviewer(live):
    Heartbeat(live, "ops-host:4244:cron", lambda: 3, kind="one-shot").beat()
    Heartbeat(live, "desk-7:4245:app", lambda: 1, kind="app").beat()
    data = backlog_status(live).as_json()  # what --json prints (one process per test)
    assert sorted(w["kind"] for w in data["workers"]) == ["app", "one-shot"]
    shown = scl(live, "status").stdout
    assert "one-shot on " in shown and "app on " in shown


def test_status_names_each_twilio_recording_given_up_with_its_call(live):
    from core.db.intake_models import RecordingFetch

    with live.db.write_transaction() as session:
        session.add(
            RecordingFetch(
                call_sid="CA77",
                state="failed",
                url="https://api.twilio.com/rec",
                account_sid="AC1",
                attempts=6,
                error="Recording could not be downloaded: answered 503 Service Unavailable",
                updated_at=live.clock.now(),
            )
        )
    data = json.loads(json.dumps(backlog_status(live).as_json()))  # what --json prints
    assert [(f["call_sid"], f["tries"]) for f in data["recordings_failed"]] == [("CA77", 6)]
    shown = scl(live, "status").stdout
    assert "call CA77: Recording could not be downloaded" in shown and "(6 tries)" in shown


def test_status_counts_the_twilio_calls_that_rang_unanswered_in_the_last_day(live):
    from core.db.intake_models import UnansweredCall

    with live.db.write_transaction() as session:
        for sid, status in [("CA1", "no-answer"), ("CA2", "no-answer"), ("CA3", "busy")]:
            at = live.clock.now()
            session.add(UnansweredCall(call_sid=sid, status=status, direction="inbound", at=at))
    data = backlog_status(live).as_json()  # what --json prints
    assert data["unanswered_last_day"] == {"busy": 1, "no-answer": 2}
    assert (
        "3 calls rang unanswered in the last day (1 busy, 2 no-answer)"
        in scl(live, "status").stdout
    )


def test_a_stuck_backlog_exits_1_and_says_why(live):
    add_call(live, ended=live.clock.now() - timedelta(minutes=30))
    done = scl(live, "status")
    assert done.returncode == 1, done.stderr
    assert "STUCK" in done.stdout and "no worker seen in the last 60 s" in done.stdout


def test_a_dead_workers_old_heartbeat_does_not_keep_the_backlog_moving(live):
    add_call(live, ended=live.clock.now() - timedelta(minutes=30))
    dead = Heartbeat(live, "ops-host:1:dead", lambda: 5)
    dead.ctx = ServiceContext(live.db, _Ago(live.clock, timedelta(minutes=3)))
    dead.beat()
    done = scl(live, "status", "--json", "--stuck-after", "600")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert (data["workers_live"], data["workers_gone"], data["stuck"]) == (0, 1, True)


def test_the_oldest_due_age_limit_is_set_on_the_command_line(live):
    add_call(live, ended=live.clock.now() - timedelta(minutes=15))
    Heartbeat(live, "ops-host:4243:beef", lambda: 0).beat()
    assert scl(live, "status", "--max-due-age", "3600").returncode == 0
    assert scl(live, "status", "--max-due-age", "300").returncode == 1


def test_status_with_a_lead_and_a_status_still_sets_the_leads_status(live):
    from core.services.identity import allow_by_setup

    allow_by_setup(live)
    lead = add_lead(live)
    done = scl(live, "--as", "agent", "status", str(lead), "not-a-lead")
    assert done.returncode == 0, done.stderr
    assert f"Lead {lead}" in done.stdout


class _Ago:
    """A clock `behind` the real one (a heartbeat written minutes ago)."""

    def __init__(self, clock: SystemClock, behind: timedelta) -> None:
        self.clock = clock
        self.behind = behind

    def now(self):  # type: ignore[no-untyped-def]
        return self.clock.now() - self.behind


def test_a_running_scl_worker_is_seen_by_status_and_gone_after_sigterm(tmp_path):
    import signal
    import time

    url = f"sqlite:///{tmp_path / 'live.db'}"
    database = open_database(url)
    ctx = ServiceContext(database, SystemClock())
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    add_call(ctx, ended=ctx.clock.now() - timedelta(minutes=30))
    with (tmp_path / "worker.err").open("w") as err:
        worker = subprocess.Popen(
            [str(SCL), "--db", url, "worker", "--poll", "0.2"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                data = json.loads(scl(ctx, "status", "--json").stdout)
                if data["workers_live"] == 1 and data["workers"][0]["calls_done"] == 1:
                    break
                assert worker.poll() is None and time.monotonic() < deadline, data
                time.sleep(0.2)
            assert (data["due"], data["stuck"], data["workers"][0]["pid"]) == (0, False, worker.pid)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
    assert worker.returncode == 0
    data = json.loads(scl(ctx, "status", "--json").stdout)
    assert (data["workers_live"], data["workers_gone"]) == (0, 0)
    log = (tmp_path / "worker.err").read_text()
    assert 'event="review worker started"' in log and 'event="review worker stopped"' in log
    database.dispose()
