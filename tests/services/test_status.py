"""`scl status`'s numbers: the backlog, its delays, workers alive, and when it is stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db.models import Notification
from core.services.settings import set_setting
from core.services.status import backlog_status
from core.workers.heartbeat import Heartbeat
from core.workers.review_worker import ReviewWorker
from tests.builders import add_call, add_lead, seed_people
from tests.fakes import ScriptedClassifier


@pytest.fixture
def enabled(ctx):
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    return ctx


def test_a_backlog_with_a_live_worker_is_moving(enabled, clock):
    add_call(enabled, ended=clock.now() - timedelta(minutes=8))
    add_call(enabled, ended=clock.now() - timedelta(minutes=2))  # in After Call Work Time
    Heartbeat(enabled, "host-a:11:aaaa", lambda: 40).beat()
    found = backlog_status(enabled)
    assert (found.due, found.oldest_due_seconds, found.stuck) == (1, 180, False)
    assert [(w.id, w.calls_done) for w in found.workers] == [("host-a:11:aaaa", 40)]


def test_calls_due_past_the_stuck_limit_with_no_worker_make_a_stuck_backlog(enabled, clock):
    add_call(enabled, ended=clock.now() - timedelta(minutes=20))
    found = backlog_status(enabled, stuck_after=timedelta(minutes=10))
    assert (found.due, found.workers, found.stuck) == (1, [], True)
    assert found.problems == [
        "1 call due, the oldest for 15 min, and no worker seen in the last 60 s"
    ]


def test_a_worker_whose_heartbeat_stopped_is_not_counted_as_alive(enabled, clock):
    Heartbeat(enabled, "host-b:12:bbbb", lambda: 3).beat()
    clock.advance(timedelta(minutes=2))
    add_call(enabled, ended=clock.now() - timedelta(minutes=20))
    found = backlog_status(enabled, stuck_after=timedelta(minutes=10))
    assert (found.workers, found.workers_gone, found.stuck) == ([], 1, True)
    assert "(1 stopped sending heartbeats)" in found.problems[0]


def test_due_calls_older_than_the_limit_are_stuck_even_with_a_live_worker(enabled, clock):
    add_call(enabled, ended=clock.now() - timedelta(hours=2))
    Heartbeat(enabled, "host-c:13:cccc", lambda: 0).beat()
    found = backlog_status(enabled, max_due_age=timedelta(hours=1))
    assert found.stuck
    assert found.problems == ["the oldest due call has waited 115 min, over the limit of 60 min"]


def test_nothing_is_stuck_while_scl_is_switched_off(ctx, clock):
    seed_people(ctx)
    add_call(ctx, ended=clock.now() - timedelta(hours=5))
    found = backlog_status(ctx)
    assert (found.enabled, found.due, found.stuck) == (False, 1, False)


def test_a_call_held_back_after_a_failed_review_is_delayed_with_the_reason(enabled, clock):
    add_call(enabled)
    add_call(enabled, phone="+15125550177")
    ReviewWorker(enabled, ScriptedClassifier(failures=1)).run_once()
    found = backlog_status(enabled)
    assert (found.due, found.delayed) == (1, 1)
    assert [(d.reason, d.calls) for d in found.delay_reasons] == [
        ("the model did not answer (503)", 1)
    ]


def test_leads_flagged_in_the_last_hour_are_counted(enabled, clock):
    add_lead(enabled, flagged=clock.now() - timedelta(minutes=59))
    add_lead(enabled, phone="+15125550166", flagged=clock.now() - timedelta(minutes=61))
    assert backlog_status(enabled).flagged_last_hour == 1


def test_texts_and_emails_queued_retrying_and_failed_are_counted_but_not_in_app_ones(
    enabled, clock
):
    leads = [add_lead(enabled, phone=f"+1512555014{n}") for n in range(5)]
    now = clock.now()
    with enabled.db.transaction() as session:
        session.query(Notification).delete()  # those flagging made: only ours counted
        for lead, channel, state, attempts in [
            (leads[0], "sms", "pending", 0),
            (leads[1], "email", "pending", 2),
            (leads[2], "email", "failed", 5),
            (leads[3], "in_app", "pending", 0),
            (leads[4], "sms", "delivered", 1),
        ]:
            session.add(
                Notification(
                    lead_id=lead,
                    employee_id=1,
                    channel=channel,
                    state=state,
                    attempts=attempts,
                    created_at=now,
                )
            )
    found = backlog_status(enabled)
    assert (
        found.notifications_queued,
        found.notifications_retrying,
        found.notifications_failed_last_day,
    ) == (2, 1, 1)


def test_the_json_form_has_every_documented_field(enabled):
    data = backlog_status(enabled).as_json()
    assert set(data) == {
        "at",
        "enabled",
        "due",
        "in_review",
        "delayed",
        "delay_reasons",
        "oldest_due_seconds",
        "flagged_last_hour",
        "notifications_queued",
        "notifications_retrying",
        "notifications_failed_last_day",
        "workers",
        "workers_live",
        "workers_gone",
        "stuck",
        "problems",
        "transcribed_minutes_this_month",
        "recent_recordings",
        "recordings_retrying",
        "recordings_failed",
        "unanswered_last_day",
    }


class _Quoting:
    """Fails as a remote model can: its error quotes the call."""

    name = "quoting"
    batch_size = 5

    def classify(self, call):  # type: ignore[no-untyped-def]
        from core.classify.base import ClassifierError

        raise ClassifierError(
            f"OpenAI classifier: host answered HTTP 400 (1 try): cannot parse '{call.external_id}"
            " my marmalade boiler whistles'"
        )


def test_delay_reasons_say_what_failed_without_the_services_words(enabled):
    add_call(enabled)
    add_call(enabled, phone="+15125550155")
    worker = ReviewWorker(enabled, _Quoting())
    worker.run_once()
    worker.run_once()  # the second call fails too, with other words after the colon
    found = backlog_status(enabled)
    assert [(d.reason, d.calls) for d in found.delay_reasons] == [
        ("OpenAI classifier: host answered HTTP 400 (1 try)", 2)
    ]
