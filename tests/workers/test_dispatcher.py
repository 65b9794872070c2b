"""The dispatcher delivers texts and emails to real loopback servers: retries with
backoff, gives up with the reason, and never sends one notification twice."""

from __future__ import annotations

import base64
import logging
import threading
from datetime import timedelta

from sqlalchemy import select

from core.adapters.notifiers.base import DeliveryError
from core.adapters.notifiers.email import SmtpNotifier
from core.adapters.notifiers.factory import NOT_CONFIGURED
from core.adapters.notifiers.sms import SmsNotifier
from core.config import NotificationsConfig, SmsConfig, SmtpConfig
from core.db.models import Employee, Notification
from core.domain.notifications import Channel
from core.services import preferences
from core.workers.dispatcher import LEASE, Dispatcher, claim_due
from tests.adapters.notify_servers import sms_server, smtp_server
from tests.builders import add_lead, seed_people

TOKEN = "sms-token-9f8e7d"
OPTIONS = NotificationsConfig(max_attempts=4, first_retry_seconds=30, max_retry_seconds=600)


def agent_wants(ctx, *, sms=False, email=False):  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        person = session.scalars(select(Employee).where(Employee.login == "agent")).one()
        person.phone, person.email = "+15125550101", "maria@example.com"
    preferences.set_preferences(ctx, "agent", in_app=False, sms=sms, email=email)


def sms_notifier(base: str, token: str = TOKEN) -> SmsNotifier:
    config = SmsConfig(base_url=base, account_sid="AC42", from_number="+15125550100")
    return SmsNotifier(config, token)


def smtp_notifier(port: int) -> SmtpNotifier:
    config = SmtpConfig(
        host="127.0.0.1", port=port, starttls=False, from_address="scl@hvac.example"
    )
    return SmtpNotifier(config, None)


def rows(ctx, channel=None):  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        query = select(Notification).order_by(Notification.id)
        if channel:
            query = query.where(Notification.channel == channel)
        return session.scalars(query).all()


def test_a_new_lead_reaches_the_agent_by_text_and_email(ctx):
    seed_people(ctx)
    agent_wants(ctx, sms=True, email=True)
    lead_id = add_lead(ctx, reason="Needs AC repair; will think about the price")
    with sms_server() as (base, texts), smtp_server() as (port, mails):
        notifiers = {Channel.SMS: sms_notifier(base), Channel.EMAIL: smtp_notifier(port)}
        stats = Dispatcher(ctx, notifiers, OPTIONS).run_once()

    assert stats.delivered == 2
    [text] = texts.requests
    assert text["form"]["To"] == "+15125550101"
    assert text["form"]["Body"] == (
        f"New lead {lead_id}: (512) 555-0134. Needs AC repair; will think about the price "
        f"Open: scl open {lead_id}"
    )
    [(_, to, mail)] = mails.received
    assert to == ["maria@example.com"]
    assert mail["Subject"] == f"New Second Chance Lead {lead_id}: (512) 555-0134"
    body = mail.get_content()
    assert "Why: Needs AC repair; will think about the price" in body
    assert "Call taken by Jo Martinez." in body
    assert f"Open it: scl open {lead_id}" in body
    assert {(r.channel, r.state, r.attempts) for r in rows(ctx, None) if r.channel != "in_app"} == {
        ("sms", "delivered", 1),
        ("email", "delivered", 1),
    }


def test_a_failing_sms_api_that_recovers_gets_the_text_exactly_once(ctx, clock):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    with sms_server(fail_first=2) as (base, texts):
        dispatcher = Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS)
        assert dispatcher.run_once().retrying == 1
        [row] = rows(ctx, "sms")
        assert row.state == "pending"
        assert (
            row.last_error
            == "SMS provider answered 503: Service unavailable, try later (code 20500)"
        )
        assert row.next_attempt_at == clock.now() + timedelta(seconds=30)
        assert dispatcher.run_once().handled == 0  # backoff: not yet
        clock.advance(timedelta(seconds=30))
        assert dispatcher.run_once().retrying == 1
        [row] = rows(ctx, "sms")
        assert row.next_attempt_at == clock.now() + timedelta(seconds=60)  # doubled
        clock.advance(timedelta(seconds=60))
        assert dispatcher.run_once().delivered == 1
        clock.advance(timedelta(hours=1))
        assert dispatcher.run_once().handled == 0
    assert len(texts.delivered) == 1
    [row] = rows(ctx, "sms")
    assert (row.state, row.attempts, row.last_error) == ("delivered", 3, None)
    assert row.delivered_at == clock.now() - timedelta(hours=1)


def test_an_smtp_server_answering_451_then_recovering_gets_the_email_once(ctx, clock):
    seed_people(ctx)
    agent_wants(ctx, email=True)
    add_lead(ctx)
    with smtp_server(fail_first=1) as (port, mails):
        dispatcher = Dispatcher(ctx, {Channel.EMAIL: smtp_notifier(port)}, OPTIONS)
        assert dispatcher.run_once().retrying == 1
        assert "451 4.3.0 Mailbox busy" in rows(ctx, "email")[0].last_error
        clock.advance(timedelta(seconds=30))
        assert dispatcher.run_once().delivered == 1
        clock.advance(timedelta(hours=1))
        dispatcher.run_once()
    assert len(mails.received) == 1
    assert mails.attempts == 2


def test_the_dispatcher_gives_up_after_max_attempts_and_keeps_the_reason(ctx, clock):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    with sms_server(fail_first=100) as (base, texts):
        dispatcher = Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS)
        for _ in range(10):
            dispatcher.run_once()
            clock.advance(timedelta(minutes=10))
    assert texts.attempts == OPTIONS.max_attempts
    [row] = rows(ctx, "sms")
    assert (row.state, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert row.last_error == (
        "gave up after 4 attempts: SMS provider answered 503: Service unavailable, try later "
        "(code 20500)"
    )


def test_a_refused_number_fails_at_once_and_the_token_never_reaches_the_database(ctx):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    with sms_server(fail_first=1, fail_status=400) as (base, texts):
        stats = Dispatcher(ctx, {Channel.SMS: sms_notifier(base + "/" + TOKEN)}, OPTIONS).run_once()
    assert (stats.failed, texts.attempts) == (1, 1)
    [row] = rows(ctx, "sms")
    assert row.state == "failed"
    assert row.last_error.startswith("SMS provider answered 400")
    assert all(TOKEN not in (r.last_error or "") for r in rows(ctx))


def test_a_channel_that_is_not_configured_fails_with_what_to_set(ctx):
    seed_people(ctx)
    agent_wants(ctx, email=True)
    add_lead(ctx)
    assert Dispatcher(ctx, {}, OPTIONS).run_once().failed == 1
    [row] = rows(ctx, "email")
    assert (row.state, row.last_error) == ("failed", NOT_CONFIGURED[Channel.EMAIL])


def test_a_notification_not_sent_in_time_is_given_up_as_stale(ctx, clock):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    clock.advance(timedelta(minutes=OPTIONS.stale_after_minutes + 1))
    with sms_server() as (base, texts):
        Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS).run_once()
    assert texts.requests == []
    [row] = rows(ctx, "sms")
    assert (row.state, row.last_error) == ("failed", "stale: not sent within 4 h of the lead")


def test_two_dispatchers_at_once_deliver_each_text_exactly_once(ctx):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    lead_ids = [add_lead(ctx, phone=f"+1512555{n:04d}") for n in range(30)]
    with sms_server() as (base, texts):
        dispatchers = [
            Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS, batch=4) for _ in range(2)
        ]
        start = threading.Barrier(2)
        results = []

        def run(dispatcher: Dispatcher) -> None:
            start.wait()
            results.append(dispatcher.run_once())

        threads = [threading.Thread(target=run, args=(d,)) for d in dispatchers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    bodies = sorted(r["form"]["Body"].split(":")[0] for r in texts.requests)
    assert bodies == sorted(f"New lead {lead_id}" for lead_id in lead_ids)
    assert sum(r.delivered for r in results) == 30
    assert all(r.state == "delivered" and r.attempts == 1 for r in rows(ctx, "sms"))


def test_a_crashed_dispatchers_claim_expires_and_its_late_result_changes_nothing(ctx, clock):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    with ctx.db.transaction() as session:  # a dispatcher claims, then dies
        [(row_id, attempt)] = claim_due(session, clock.now(), 10)
    assert attempt == 1
    with sms_server() as (base, texts):
        dispatcher = Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS)
        assert dispatcher.run_once().handled == 0  # claimed: nobody else sends it
        clock.advance(LEASE + timedelta(seconds=1))
        assert dispatcher.run_once().delivered == 1
    assert len(texts.requests) == 1
    [row] = rows(ctx, "sms")
    assert (row.id, row.state, row.attempts) == (row_id, "delivered", 2)


class SlowNotifier:
    """A server that takes three minutes (of the test's clock) to accept each message,
    while another dispatcher goes on working."""

    def __init__(self, notifier: SmsNotifier, clock, meanwhile) -> None:  # type: ignore[no-untyped-def]
        self.notifier, self.clock, self.meanwhile = notifier, clock, meanwhile

    def send(self, message) -> None:  # type: ignore[no-untyped-def]
        self.notifier.send(message)
        self.clock.advance(timedelta(minutes=3))
        self.meanwhile()


def test_a_server_slow_enough_to_outlast_a_claim_never_gets_a_text_twice(ctx, clock):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    for n in range(3):
        add_lead(ctx, phone=f"+1512555020{n}")
    with sms_server() as (base, texts):
        other = Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS)
        slow = SlowNotifier(sms_notifier(base), clock, other.run_once)
        Dispatcher(ctx, {Channel.SMS: slow}, OPTIONS).run_once()  # type: ignore[dict-item]
    bodies = [request["form"]["Body"] for request in texts.requests]
    assert len(bodies) == len(set(bodies)) == 3
    assert all(r.state == "delivered" and r.attempts == 1 for r in rows(ctx, "sms"))


def test_in_app_notices_are_left_to_the_open_app(ctx):
    seed_people(ctx)
    add_lead(ctx)
    assert Dispatcher(ctx, {}, OPTIONS).run_once().handled == 0
    assert {r.state for r in rows(ctx, "in_app")} == {"pending"}


def test_an_sms_provider_echoing_the_auth_header_leaves_no_token_in_the_database_or_log(
    ctx, caplog
):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    header = base64.b64encode(f"AC42:{TOKEN}".encode()).decode()
    with (
        sms_server(fail_first=1, fail_status=401, echo="json") as (base, _),
        caplog.at_level(logging.INFO),
    ):
        assert Dispatcher(ctx, {Channel.SMS: sms_notifier(base)}, OPTIONS).run_once().failed == 1
    [row] = rows(ctx, "sms")
    assert row.last_error.startswith("SMS provider answered 401: Authenticate failed")
    for leaked in (TOKEN, header, header[:12]):
        assert leaked not in row.last_error
        assert leaked not in caplog.text


class RaisingNotifier:
    """A notifier (as a future one might be) whose errors carry an auth value."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def send(self, message) -> None:  # type: ignore[no-untyped-def]
        raise self.error


def test_an_auth_value_a_notifier_left_in_its_error_is_masked_before_it_is_stored(ctx, caplog):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    error = DeliveryError("provider said: Authorization: Bearer sk-live-4f1c2a9e", temporary=False)
    with caplog.at_level(logging.INFO):
        Dispatcher(ctx, {Channel.SMS: RaisingNotifier(error)}, OPTIONS).run_once()
    [row] = rows(ctx, "sms")
    assert row.last_error == "provider said: Authorization: Bearer ***"
    assert "sk-live-4f1c2a9e" not in caplog.text


def test_an_unexpected_error_naming_a_token_is_logged_without_it(ctx, caplog):
    seed_people(ctx)
    agent_wants(ctx, sms=True)
    add_lead(ctx)
    error = RuntimeError("request with Authorization: Basic QUM0MjpzbXMtdG9rZW4= failed")
    with caplog.at_level(logging.INFO):
        Dispatcher(ctx, {Channel.SMS: RaisingNotifier(error)}, OPTIONS).run_once()
    assert "unexpected error" in caplog.text
    assert "RuntimeError" in caplog.text
    assert "QUM0MjpzbXMtdG9rZW4" not in caplog.text
    assert rows(ctx, "sms")[0].last_error == "unexpected error (RuntimeError)"
