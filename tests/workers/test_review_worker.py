"""The review worker: what is due, exactly once, leases, failures."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.classify.embedded import EmbeddedClassifier
from core.db.models import Call, Event, Lead, Notification
from core.services.settings import set_setting
from core.workers.claims import claim_due
from core.workers.review_worker import ReviewWorker, WorkerOptions
from tests.builders import add_call, seed_people
from tests.fakes import ScriptedClassifier


@pytest.fixture
def enabled(ctx):
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    return ctx


def reviewed(ctx):
    with ctx.db.transaction() as session:
        return session.scalar(
            select(func.count()).select_from(Call).where(Call.reviewed_at.is_not(None))
        )


def external_id(ctx, call_id):
    with ctx.db.transaction() as session:
        return session.get(Call, call_id).external_id


def test_a_call_is_due_exactly_after_call_work_time_after_it_ended(enabled, clock):
    on_time = add_call(enabled, ended=clock.now() - timedelta(minutes=5))
    early = add_call(enabled, ended=clock.now() - timedelta(minutes=5) + timedelta(seconds=1))
    classifier = ScriptedClassifier()
    ReviewWorker(enabled, classifier).run_once()
    assert set(classifier.seen) == {external_id(enabled, on_time)}
    clock.advance(timedelta(seconds=1))
    ReviewWorker(enabled, classifier).run_once()
    assert set(classifier.seen) == {external_id(enabled, on_time), external_id(enabled, early)}


def test_nothing_is_classified_while_scl_is_disabled(enabled):
    set_setting(enabled, "admin", "enabled", "false")
    add_call(enabled)
    classifier = ScriptedClassifier()
    assert ReviewWorker(enabled, classifier).run_once().reviewed == 0
    assert classifier.seen == {}


def test_booked_and_outbound_calls_are_never_reviewed(enabled):
    add_call(enabled, booked=True)
    add_call(enabled, direction="outbound")
    classifier = ScriptedClassifier()
    ReviewWorker(enabled, classifier).run_once()
    assert classifier.seen == {}


def test_a_lead_verdict_becomes_a_new_lead_and_a_non_lead_is_kept_with_its_reason(enabled):
    lead_call = add_call(enabled, phone="+15125550101")
    other = add_call(enabled, phone="+15125550102")
    classifier = ScriptedClassifier(leads={external_id(enabled, lead_call)})
    stats = ReviewWorker(enabled, classifier).run_once()
    assert (stats.reviewed, stats.flagged) == (2, 1)
    with enabled.db.transaction() as session:
        lead = session.scalars(select(Lead)).one()
        assert (lead.call_id, lead.status, lead.summary) == (
            lead_call,
            "new",
            f"Summary of {external_id(enabled, lead_call)}",
        )
        not_lead = session.get(Call, other)
        assert (not_lead.review_is_lead, not_lead.review_reason) == (False, "Wrong number")


def test_each_lead_of_a_batch_gets_its_own_history_event_and_notices(enabled):
    phones = [f"+1512555{n:04d}" for n in range(7)]
    calls = [add_call(enabled, phone=phone) for phone in phones]
    flagged = {external_id(enabled, call) for call in calls[::2]}  # every other one
    stats = ReviewWorker(enabled, ScriptedClassifier(leads=flagged)).run_once()
    assert (stats.reviewed, stats.flagged) == (7, 4)
    with enabled.db.transaction() as session:
        for lead in session.scalars(select(Lead)):
            assert lead.call.external_id in flagged
            assert lead.customer_phone == lead.call.customer_phone
            assert [(h.actor_label, h.to_status) for h in lead.history] == [
                ("automatic review", "new")
            ]
            events = session.scalars(select(Event).where(Event.lead_id == lead.id)).all()
            assert [(e.kind, e.payload) for e in events] == [
                ("lead.flagged", {"phone": lead.customer_phone})
            ]
            notified = session.scalars(
                select(Notification.employee_id).where(Notification.lead_id == lead.id)
            ).all()
            assert len(notified) == len(set(notified)) == 3  # admin and two agents, in-app


def test_a_reviewed_call_is_never_reviewed_again(enabled):
    add_call(enabled)
    classifier = ScriptedClassifier()
    ReviewWorker(enabled, classifier).run_once()
    ReviewWorker(enabled, classifier).run_once()
    assert list(classifier.seen.values()) == [1]


def test_two_workers_at_once_review_every_call_exactly_once(enabled, clock):
    for i in range(60):
        add_call(enabled, phone=f"+1512555{i:04d}", ended=clock.now() - timedelta(hours=1))
    classifier = ScriptedClassifier()
    workers = [ReviewWorker(enabled, classifier, options=WorkerOptions(batch=5)) for _ in range(2)]
    threads = [threading.Thread(target=w.run_once) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(classifier.seen) == 60 and set(classifier.seen.values()) == {1}
    assert reviewed(enabled) == 60
    with enabled.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 60


def test_a_crashed_workers_calls_are_taken_over_when_the_lease_expires(enabled, clock):
    call_id = add_call(enabled)
    options = WorkerOptions(lease=timedelta(minutes=2))
    crashed = ReviewWorker(enabled, ScriptedClassifier(), token="crashed", options=options)
    assert crashed._claim() == [call_id]  # claimed, then the process died
    survivor_sees = ScriptedClassifier()
    survivor = ReviewWorker(enabled, survivor_sees, token="survivor", options=options)
    assert survivor.run_once().reviewed == 0  # still leased
    clock.advance(timedelta(minutes=2, seconds=1))
    assert survivor.run_once().reviewed == 1
    # The "crashed" worker wakes up late: its verdict is discarded, not written twice.
    late = crashed.run_once()
    assert late.reviewed == 0
    stats = type(late)()
    crashed._review(call_id, stats)
    assert stats.lost == 1
    with enabled.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 1


def test_a_failing_classifier_leaves_the_call_due_and_visibly_delayed(enabled, clock):
    call_id = add_call(enabled)
    classifier = ScriptedClassifier(failures=1)
    options = WorkerOptions(retry_after=timedelta(minutes=5))
    first = ReviewWorker(enabled, classifier, options=options).run_once()
    assert (first.reviewed, first.delayed) == (0, 1)
    with enabled.db.transaction() as session:
        call = session.get(Call, call_id)
        assert call.reviewed_at is None and "did not answer" in call.review_error
    clock.advance(timedelta(minutes=5, seconds=1))
    second = ReviewWorker(enabled, classifier, options=options).run_once()
    assert second.reviewed == 1
    with enabled.db.transaction() as session:
        assert session.get(Call, call_id).review_error is None


def test_a_voicemail_with_a_recording_and_no_transcript_becomes_a_lead_to_listen_to(enabled):
    # Transcription is off (its default): the message was never put into words.
    voicemail, hang_up = add_call(enabled), add_call(enabled)
    with enabled.db.transaction() as session:
        for call_id, recording in ((voicemail, "/var/spool/scl/CA1.wav"), (hang_up, None)):
            call = session.get(Call, call_id)
            call.call_type, call.recording = "Voicemail", recording
    stats = ReviewWorker(enabled, EmbeddedClassifier()).run_once()
    assert (stats.reviewed, stats.flagged) == (2, 1)
    with enabled.db.transaction() as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.call_id == voicemail
        assert session.get(Call, voicemail).review_reason == (
            "Left a voicemail that was not transcribed: listen to it"
        )


def test_a_call_booked_while_it_was_being_classified_is_not_flagged(enabled):
    call_id = add_call(enabled)
    worker = ReviewWorker(enabled, ScriptedClassifier())
    assert worker._claim() == [call_id]
    with enabled.db.transaction() as session:
        session.get(Call, call_id).job_booked = True
    stats = type(worker.run_once())()
    worker._review(call_id, stats)
    with enabled.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 0


def test_claims_take_the_oldest_due_calls_first(enabled, clock):
    newer = add_call(enabled, ended=clock.now() - timedelta(minutes=10))
    older = add_call(enabled, ended=clock.now() - timedelta(hours=3))
    with enabled.db.transaction() as session:
        got = claim_due(session, "t", clock.now(), timedelta(minutes=5), timedelta(minutes=1), 1)
    assert got == [older] and newer


def test_when_the_classifier_fails_the_worker_stops_and_hands_back_its_batch(enabled, clock):
    for i in range(4):
        add_call(enabled, phone=f"+1512555010{i}", ended=clock.now() - timedelta(hours=1))
    classifier = ScriptedClassifier(failures=100)
    stats = ReviewWorker(enabled, classifier, options=WorkerOptions(batch=4)).run_once()
    assert (stats.delayed, sum(classifier.seen.values())) == (1, 1)
    with enabled.db.transaction() as session:
        leased = session.scalar(
            select(func.count()).select_from(Call).where(Call.review_claimed_by.is_not(None))
        )
    assert leased == 0
    healthy = ScriptedClassifier()
    assert ReviewWorker(enabled, healthy).run_once().reviewed == 3  # the delayed one waits


def test_a_worker_told_to_stop_gives_back_the_batch_it_had_claimed_next(enabled, clock):
    for i in range(12):
        add_call(enabled, phone=f"+1512555020{i:02d}", ended=clock.now() - timedelta(hours=1))
    stop = threading.Event()

    class StopsAfterFive(ScriptedClassifier):
        def classify(self, call):  # type: ignore[no-untyped-def]
            verdict = super().classify(call)
            if sum(self.seen.values()) == 5:
                stop.set()  # SIGTERM arrives as the first batch ends
            return verdict

    stats = ReviewWorker(enabled, StopsAfterFive(), options=WorkerOptions(batch=5)).run_once(stop)
    assert stats.reviewed == 5
    with enabled.db.transaction() as session:
        leased = session.scalar(
            select(func.count()).select_from(Call).where(Call.review_claimed_by.is_not(None))
        )
    assert leased == 0  # the next batch, claimed with the first one's verdicts, went back
    assert ReviewWorker(enabled, ScriptedClassifier()).run_once().reviewed == 7  # due at once


def test_a_delayed_review_is_counted_with_its_error_until_it_succeeds(enabled, clock):
    from core.workers.review_worker import review_delays

    add_call(enabled)
    ReviewWorker(enabled, ScriptedClassifier(failures=1)).run_once()
    count, error = review_delays(enabled)
    assert count == 1 and "did not answer" in error
    clock.advance(timedelta(minutes=6))
    ReviewWorker(enabled, ScriptedClassifier()).run_once()
    assert review_delays(enabled) == (0, None)
