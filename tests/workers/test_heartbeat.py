"""A running worker's heartbeat row: made, refreshed, removed on a clean exit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from core.db.models import WorkerHeartbeat
from core.log_setup import os_user
from core.services.settings import set_setting
from core.workers import heartbeat
from core.workers.heartbeat import Heartbeat
from core.workers.review_worker import ReviewWorker, WorkerOptions
from tests.builders import add_call, seed_people
from tests.fakes import ScriptedClassifier


def rows(ctx) -> list[WorkerHeartbeat]:
    with ctx.db.transaction() as session:
        found = session.scalars(select(WorkerHeartbeat)).all()
        session.expunge_all()
        return list(found)


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_running_worker_reports_its_calls_in_its_heartbeat_and_removes_it_on_exit(
    ctx, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(heartbeat, "BEAT_SECONDS", 0.05)
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    add_call(ctx)
    add_call(ctx, phone="+15125550199")
    worker = ReviewWorker(ctx, ScriptedClassifier(), options=WorkerOptions(poll_seconds=0.05))
    stop = threading.Event()
    running = threading.Thread(target=worker.run, args=(stop,))
    running.start()
    try:
        wait_for(lambda: [row.calls_done for row in rows(ctx)] == [2])
        row = rows(ctx)[0]
        assert (row.id, row.os_user, row.last_seen_at) == (worker.token, os_user(), ctx.clock.now())
    finally:
        stop.set()
        running.join(60)
    assert rows(ctx) == []


def test_a_heartbeat_row_removed_meanwhile_is_made_again_on_the_next_beat(ctx):
    beat = Heartbeat(ctx, "host:1:abc", lambda: 7)
    beat.beat()
    with ctx.db.transaction() as session:
        session.query(WorkerHeartbeat).delete()
    beat.beat()
    assert [(row.id, row.calls_done) for row in rows(ctx)] == [("host:1:abc", 7)]


def test_a_worker_starting_forgets_workers_unseen_for_a_day(ctx, clock):
    from datetime import timedelta

    Heartbeat(ctx, "old:1:dead", lambda: 0).beat()
    clock.advance(timedelta(days=1, seconds=1))
    with Heartbeat(ctx, "new:2:live", lambda: 0, every=60):
        assert [row.id for row in rows(ctx)] == ["new:2:live"]


class GatedClassifier(ScriptedClassifier):
    """Holds each call until the test lets it go, so the test can look meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.reviewing = threading.Event()
        self.go_on = threading.Event()

    def classify(self, call):  # type: ignore[no-untyped-def]
        self.reviewing.set()
        assert self.go_on.wait(30), "the test never let the call go"
        return super().classify(call)


def kinds(ctx) -> list[tuple[str, str]]:
    return [(row.id, row.kind) for row in rows(ctx)]


def test_a_one_shot_run_beats_as_a_one_shot_while_it_reviews_and_removes_its_row_at_the_end(
    ctx,
):
    from core.services.status import backlog_status

    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    add_call(ctx)
    classifier = GatedClassifier()
    worker = ReviewWorker(ctx, classifier)  # as `scl worker --once` builds it
    running = threading.Thread(target=worker.run_once)
    running.start()
    try:
        assert classifier.reviewing.wait(30)
        assert kinds(ctx) == [(worker.token, "one-shot")]
        assert [w.kind for w in backlog_status(ctx).workers] == ["one-shot"]
    finally:
        classifier.go_on.set()
        running.join(60)
    assert rows(ctx) == []


def test_an_apps_reviewer_beats_as_an_app_between_its_runs_until_the_app_stops(ctx):
    from core.config import load_config
    from scl_tui.in_app_review import in_app_reviewer

    seed_people(ctx)
    reviewer, _ = in_app_reviewer(ctx, load_config())  # as `scl` builds the app's
    assert reviewer is not None
    stopping = threading.Event()
    reviewer.run_once(stopping)
    reviewer.run_once(stopping)  # the app's loop: again and again, one row all along
    assert kinds(ctx) == [(reviewer.token, "app")]
    stopping.set()  # the app closes
    wait_for(lambda: rows(ctx) == [])


def test_an_apps_reviewer_that_fails_takes_its_row_with_it(ctx):
    worker = ReviewWorker(ctx, ScriptedClassifier(), kind="app")
    worker._review_due = lambda stop: 1 / 0  # type: ignore[method-assign]
    with pytest.raises(ZeroDivisionError):
        worker.run_once(threading.Event())
    assert rows(ctx) == []
