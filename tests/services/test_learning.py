"""scl learn: a model fitted to the company's decided calls; apply, rollback, the worker."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.classify.embedded import EmbeddedClassifier
from core.classify.profile import parse_profile
from core.db.models import AuditEntry, Call, Lead, Setting, TranscriptSegment
from core.domain.statuses import DismissReason
from core.services import review
from core.services.company import import_profile
from core.services.errors import PermissionDenied, StatusRefused
from core.services.hand_flag import flag_call
from core.services.learning import NotEnoughLabels, follow_model, learn, model_state, rollback
from core.services.settings import set_setting
from core.workers.review_worker import ReviewWorker
from tests.builders import seed_people
from tests.services.jargon import PROFILE, jargon_lead, zephyr_call
from tests.services.verdicts import external_id_of, reviewed_call, transcript_call

DAY = timedelta(days=1)
SHIPPED = EmbeddedClassifier().version


def lead_of(ctx, call_id):
    with ctx.db.transaction() as session:
        return session.scalar(select(Lead.id).where(Lead.call_id == call_id))


def seed_company(ctx, clock, leads: int = 60, not_leads: int = 60) -> None:
    """Frostline: `leads` jargon calls the shipped model passed over and a supervisor
    flagged by hand, `not_leads` Zephyr-plan calls it flagged and agents ruled out."""
    seed_people(ctx)
    import_profile(ctx, "admin", PROFILE, "frostline.toml")
    rng = random.Random(7)
    for n in range(leads):
        at = clock.now() - (1 + n % 20) * DAY
        call_id, _ = reviewed_call(ctx, lead=False, at=at, lines=jargon_lead(rng))
        flag_call(ctx, "admin", external_id_of(ctx, call_id))
    for n in range(not_leads):
        at = clock.now() - (1 + n % 20) * DAY
        call_id, _ = reviewed_call(ctx, lead=True, at=at, lines=zephyr_call(rng))
        review.dismiss(ctx, "agent", lead_of(ctx, call_id), DismissReason.NOT_A_LEAD)


def fresh_calls(seed: int = 99, each: int = 10):
    """Calls nobody has seen: jargon leads and Zephyr-plan calls, as the classifier reads them."""
    rng = random.Random(seed)
    return [transcript_call(jargon_lead(rng)) for _ in range(each)] + [
        transcript_call(zephyr_call(rng)) for _ in range(each)
    ]


def verdicts_now(ctx, calls):
    """What a classifier following the stored model says of `calls`, in full."""
    classifier = EmbeddedClassifier(parse_profile(PROFILE, "frostline.toml"))
    with ctx.db.transaction() as session:
        follow_model(session, classifier)
    return classifier.version, [classifier.classify(call) for call in calls]


@pytest.fixture
def company(ctx, clock):
    seed_company(ctx, clock)
    return ctx


def test_learning_the_company_jargon_raises_held_out_recall(company):
    report = learn(company, "admin")
    assert (report.leads, report.not_leads, report.held_out) == (60, 60, 30)
    assert report.before_version == SHIPPED
    assert report.before.recall is not None and report.before.recall <= 0.2
    assert report.after.recall is not None and report.after.recall >= 0.8
    assert report.after.precision is not None and report.after.precision >= 0.8


def test_learning_without_apply_changes_nothing(company):
    learn(company, "admin")
    assert model_state(company).in_use == SHIPPED
    with company.db.transaction() as session:
        assert session.get(Setting, "classifier_model") is None


def test_apply_stores_a_new_version_that_the_review_worker_then_uses(company, clock):
    report = learn(company, "admin", apply=True)
    assert report.applied == "company-1"
    assert model_state(company).stack == ("company-1",)
    set_setting(company, "admin", "enabled", True)
    with company.db.transaction() as session:
        rng = random.Random(5)
        ended = clock.now() - timedelta(minutes=30)
        call = Call(
            external_id="PBX-JARGON-NEW",
            direction="inbound",
            customer_phone="+15125559999",
            started_at=ended - timedelta(minutes=3),
            ended_at=ended,
            job_booked=False,
            imported_at=ended,
            segments=[
                TranscriptSegment(idx=i, speaker=who, start=i, end=i + 0.5, text=text)
                for i, (who, text) in enumerate(jargon_lead(rng))
            ],
        )
        session.add(call)
    ReviewWorker(company, EmbeddedClassifier()).run_once()
    with company.db.transaction() as session:
        reviewed = session.scalars(select(Call).where(Call.external_id == "PBX-JARGON-NEW")).one()
        assert (reviewed.review_classifier, reviewed.review_is_lead) == ("embedded company-1", True)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.subject == "classifier model"))
        assert [(a.old_value, a.new_value) for a in audit] == [(SHIPPED, "company-1")]


def test_rollback_restores_the_earlier_verdicts_exactly(company):
    calls = fresh_calls()
    shipped = verdicts_now(company, calls)
    learn(company, "admin", apply=True)
    first = verdicts_now(company, calls)
    assert first[0] == "company-1" and first[1] != shipped[1]
    # A second version, fitted on more decisions, then rolled back to the first.
    review.dismiss(company, "agent", 1, DismissReason.NOT_FOLLOWING_UP)
    assert learn(company, "admin", apply=True).applied == "company-2"
    assert rollback(company, "admin").in_use == "company-1"
    assert verdicts_now(company, calls) == first
    assert rollback(company, "admin").in_use == SHIPPED
    assert verdicts_now(company, calls) == shipped


def test_too_few_labels_says_how_many_more_and_changes_nothing(ctx, clock):
    seed_company(ctx, clock, leads=45, not_leads=12)
    with pytest.raises(NotEnoughLabels, match="5 more decided as leads and 38 more decided as"):
        learn(ctx, "admin", apply=True)
    with ctx.db.transaction() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(Setting)
                .where(Setting.key.like("classifier_model%"))
            )
            == 0
        )


def test_learning_and_rollback_are_for_administrators(ctx, clock):
    seed_people(ctx)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        learn(ctx, "agent")
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        rollback(ctx, "agent")


def test_rollback_with_the_shipped_model_in_use_is_refused(ctx):
    seed_people(ctx)
    with pytest.raises(StatusRefused, match="no fitted model to roll back"):
        rollback(ctx, "admin")


def test_applying_at_the_same_moment_as_another_administrator_is_refused(company):
    # The other administrator's version row went in between our read and our write.
    with company.db.transaction() as session:
        session.add(
            Setting(
                key="classifier_model:company-1",
                value={"model": "{}"},
                updated_at=company.clock.now(),
            )
        )
    with pytest.raises(StatusRefused, match="at the same moment"):
        learn(company, "admin", apply=True)
    assert model_state(company).in_use == SHIPPED
