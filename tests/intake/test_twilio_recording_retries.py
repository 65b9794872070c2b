"""A Twilio recording the server fails to give (5xx, a timeout, no connection) is tried
again with backoff, a bounded number of times, then named in `scl status` and the log
as failed with its call; one that cannot succeed (4xx) is not tried again. The backoff
runs on the service clock, which each test moves: no test sleeps."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.adapters.intake_http import IntakeOptions, make_app, running
from core.adapters.recording_download import Limits
from core.db.intake_models import RecordingFetch
from core.services import recording_sources
from core.services.status import backlog_status
from core.services.twilio_calls import FetchRetries
from tests.builders import seed_people
from tests.intake.flaky_server import AUDIO, FlakyServer
from tests.intake.test_twilio_callbacks import (
    ACCOUNT,
    AUTH_TOKEN,
    SID,
    Twilio,
    completed_call,
    no_proxy,  # noqa: F401  (autouse: no proxy between the intake and the loopback)
    the_call,
)

RETRIES = FetchRetries(
    delays=(timedelta(seconds=10), timedelta(seconds=30)),
    # A loaded CI can keep the loopback server from answering for a while: a read timed
    # out there would spend a try that a test counts on ("hang" waits out this bound).
    limits=Limits(read_seconds=3, total_seconds=10, max_bytes=1 << 20),
)


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def folder(ctx, tmp_path: Path) -> Path:
    seed_people(ctx)
    allowed = tmp_path / "recordings"
    allowed.mkdir()
    recording_sources.allow_folder(ctx, "admin", str(allowed))
    return allowed.resolve()


def allow(ctx, port: int) -> None:
    recording_sources.allow_host(ctx, "admin", f"127.0.0.1:{port}", http=True, private=True)


@pytest.fixture
def intake(ctx, folder: Path) -> Iterator[Twilio]:
    options = IntakeOptions(
        "bearer",
        twilio_token=AUTH_TOKEN,
        recordings=folder,
        retries=RETRIES,
        retry_poll_seconds=0.02,
    )
    with running(make_app(ctx, options)) as url:
        yield Twilio(url)


@pytest.fixture
def flaky(ctx) -> Iterator[Callable[[list[int | str]], FlakyServer]]:
    """Starts a server answering as told, its host allowed; all closed at the end."""
    servers: list[FlakyServer] = []

    def start(answers: list[int | str]) -> FlakyServer:
        servers.append(FlakyServer(answers))
        allow(ctx, servers[-1].port)
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def recording_at(base: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT,
        "CallSid": SID,
        "RecordingSid": "RE33333333333333333333333333333333",
        "RecordingUrl": f"{base}/recordings/RE33333333333333333333333333333333",
        "RecordingStatus": "completed",
    }


def fetch_row(ctx) -> RecordingFetch | None:
    with ctx.db.transaction() as session:
        row = session.scalars(select(RecordingFetch)).one_or_none()
        if row is not None:
            session.expunge(row)
        return row


def test_a_recording_the_server_fails_to_give_is_fetched_again_after_each_backoff(
    ctx, clock, folder, intake, flaky
):
    server = flaky([503, 502])
    intake.post("/twilio/call-status", completed_call())
    answer = intake.post("/twilio/recording-status", recording_at(server.base))
    assert answer.status_code == 202, answer.text
    row = fetch_row(ctx)
    assert row is not None and (row.state, row.attempts) == ("pending", 1)
    assert row.next_try_at == clock.now() + timedelta(seconds=10)
    assert backlog_status(ctx).recordings_retrying == 1

    clock.advance(timedelta(seconds=10))
    wait_for(lambda: server.requests == 2 and fetch_row(ctx).attempts == 2)  # type: ignore[union-attr]
    assert fetch_row(ctx).next_try_at == clock.now() + timedelta(seconds=30)  # type: ignore[union-attr]

    clock.advance(timedelta(seconds=30))
    wait_for(lambda: (the_call(ctx).recording or "") != "")  # type: ignore[union-attr]
    assert Path(the_call(ctx).recording).read_bytes() == AUDIO  # type: ignore[union-attr, arg-type]
    assert (fetch_row(ctx), backlog_status(ctx).recordings_retrying) == (None, 0)


def test_a_recording_still_failing_after_its_last_try_is_named_as_failed_with_its_call(
    ctx, clock, intake, flaky, caplog: pytest.LogCaptureFixture
):
    server = flaky([500, 500, 500, 500])
    caplog.set_level(logging.WARNING, logger="core.services.twilio_calls")
    intake.post("/twilio/call-status", completed_call(Timestamp="Fri, 20 Nov 2026 17:50:00 +0000"))
    assert intake.post("/twilio/recording-status", recording_at(server.base)).status_code == 202
    clock.advance(timedelta(seconds=10))
    # The second failure must be on record before the clock moves: its wait is counted
    # from the clock's time when it is recorded.
    wait_for(lambda: server.requests == 2 and fetch_row(ctx).attempts == 2)  # type: ignore[union-attr]
    clock.advance(timedelta(seconds=30))

    def given_up_logged() -> bool:  # logged after the give-up is written: waited for too
        return any(
            r.levelno == logging.ERROR and SID in r.getMessage() and "given up" in r.getMessage()
            for r in caplog.records
        )

    wait_for(lambda: backlog_status(ctx).recordings_failed != [] and given_up_logged())
    failed = backlog_status(ctx).recordings_failed
    assert [(f.call_sid, f.tries) for f in failed] == [(SID, 3)]
    assert "answered 500" in failed[0].error
    given_up = backlog_status(ctx)
    assert (given_up.recordings_retrying, given_up.due, given_up.delayed) == (0, 1, 0)  # no wait
    assert fetch_row(ctx).next_try_at is None  # type: ignore[union-attr]  (owed no try)


def test_a_recording_the_server_refuses_with_a_4xx_is_not_tried_again_and_is_named(
    ctx, intake, flaky
):
    server = flaky([404])
    answer = intake.post("/twilio/recording-status", recording_at(server.base))
    assert answer.status_code == 502 and "answered 404" in answer.json()["error"]
    row = fetch_row(ctx)
    assert row is not None and (row.state, row.attempts, row.next_try_at) == ("failed", 1, None)
    assert [f.call_sid for f in backlog_status(ctx).recordings_failed] == [SID]
    assert server.requests == 1


def test_a_recording_server_that_times_out_is_tried_again(ctx, clock, intake, flaky):
    server = flaky(["hang"])
    answer = intake.post("/twilio/recording-status", recording_at(server.base))
    assert answer.status_code == 202 and "timed out" in answer.text
    clock.advance(timedelta(seconds=10))
    wait_for(lambda: fetch_row(ctx) is None and server.requests == 2)


def test_a_recording_server_that_refuses_the_connection_is_tried_again(ctx, intake):
    port = free_port()
    allow(ctx, port)
    answer = intake.post("/twilio/recording-status", recording_at(f"http://127.0.0.1:{port}"))
    assert answer.status_code == 202, answer.text
    row = fetch_row(ctx)
    assert row is not None and row.state == "pending" and "refused" in (row.error or "")


def test_a_call_waits_for_review_while_its_recording_is_owed_another_try(ctx, clock, intake, flaky):
    server = flaky([503])
    ended = completed_call(Timestamp="Fri, 20 Nov 2026 17:50:00 +0000")  # due: 10 min ago
    intake.post("/twilio/call-status", ended)
    assert backlog_status(ctx).due == 1
    assert intake.post("/twilio/recording-status", recording_at(server.base)).status_code == 202
    waiting = backlog_status(ctx)
    assert (waiting.due, waiting.delayed) == (0, 1)
    assert waiting.delay_reasons[0].reason.startswith("recording not fetched yet")
    clock.advance(timedelta(seconds=10))
    # The recording is attached to the call after the owed fetch is deleted: wait for both.
    wait_for(lambda: fetch_row(ctx) is None and the_call(ctx).recording is not None)  # type: ignore[union-attr]
    fetched = backlog_status(ctx)
    assert (fetched.due, fetched.delayed) == (1, 0)
