"""Labels from agents' decisions, flag by hand, and accuracy: on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.models import Call, Event, Lead, LeadHistory, Notification
from core.domain.statuses import DismissReason, LeadStatus
from core.services import events, review
from core.services.accuracy import accuracy, my_dismissals_booked
from core.services.booking import record_job
from core.services.errors import NotFound, PermissionDenied, StatusRefused
from core.services.hand_flag import AlreadyALead, flag_call
from core.services.labels import labelled_calls
from core.services.leads import list_leads
from core.services.settings import read_settings
from tests.builders import add_call, seed_people
from tests.services.verdicts import external_id_of, reviewed_call

DAY = timedelta(days=1)
COMPANY_1 = "embedded company-1"


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def label_of(ctx, call_id):
    with ctx.db.transaction() as session:
        found = labelled_calls(session, read_settings(session).banner_window)
    return {c.call_id: c.label for c in found}.get(call_id)


def lead_of(ctx, call_id) -> int:
    with ctx.db.transaction() as session:
        return session.scalar(select(Lead.id).where(Lead.call_id == call_id))


# --- labels ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (LeadStatus.NEW, None),
        (LeadStatus.CALLBACK_ATTEMPTED, True),
        (LeadStatus.NOT_ABLE_TO_SAVE, True),
        (LeadStatus.NOT_FOLLOWING_UP, True),
        (LeadStatus.NOT_A_LEAD, False),
    ],
)
def test_a_lead_set_by_hand_to_each_status_labels_its_call(ctx, people, clock, status, label):
    call_id, _ = reviewed_call(ctx, lead=True, at=clock.now() - DAY)
    if status is not LeadStatus.NEW:
        review.set_status(ctx, "agent", lead_of(ctx, call_id), status)
    assert label_of(ctx, call_id) is label


def test_a_lead_booked_elsewhere_labels_its_call_a_lead(ctx, people, clock):
    call_id, phone = reviewed_call(ctx, lead=True, at=clock.now() - 2 * DAY)
    review.dismiss(ctx, "agent", lead_of(ctx, call_id), DismissReason.NOT_A_LEAD)
    record_job(ctx, "csr", phone)
    assert label_of(ctx, call_id) is True


def test_a_lead_booked_by_scl_labels_its_call_a_lead(ctx, people, clock):
    call_id, phone = reviewed_call(ctx, lead=True, at=clock.now() - 2 * DAY)
    review.call_back(ctx, "agent", lead_of(ctx, call_id))
    record_job(ctx, "csr", phone)
    assert label_of(ctx, call_id) is True


def test_a_passed_over_call_whose_customer_books_within_the_window_is_a_missed_lead(
    ctx, people, clock
):
    call_id, phone = reviewed_call(ctx, lead=False, at=clock.now() - 10 * DAY)
    record_job(ctx, "csr", phone, booked_at=clock.now() - DAY)
    assert label_of(ctx, call_id) is True
    [shipped] = accuracy(ctx, "agent", 30)
    assert (shipped.counts.missed, shipped.counts.flagged) == (1, 0)


def test_a_booking_after_the_banner_window_does_not_make_a_missed_lead(ctx, people, clock):
    call_id, phone = reviewed_call(ctx, lead=False, at=clock.now() - 20 * DAY)
    record_job(ctx, "csr", phone, booked_at=clock.now() - DAY)
    assert label_of(ctx, call_id) is None


def test_a_passed_over_call_flagged_by_hand_is_a_missed_lead(ctx, people, clock):
    call_id, _ = reviewed_call(ctx, lead=False, at=clock.now() - DAY)
    flag_call(ctx, "agent", external_id_of(ctx, call_id))
    assert label_of(ctx, call_id) is True
    [shipped] = accuracy(ctx, "agent", 7)
    assert (shipped.counts.missed, shipped.counts.flagged) == (1, 0)


def test_a_hand_flag_an_agent_then_rules_out_is_no_missed_lead(ctx, people, clock):
    call_id, _ = reviewed_call(ctx, lead=False, at=clock.now() - DAY)
    result = flag_call(ctx, "admin", external_id_of(ctx, call_id))
    review.dismiss(ctx, "agent", result.lead_id, DismissReason.NOT_A_LEAD)
    assert label_of(ctx, call_id) is False
    assert accuracy(ctx, "agent", 7)[0].counts.missed == 0


# --- flag by hand -----------------------------------------------------------------------


def test_flag_by_hand_makes_a_new_lead_whose_history_says_who_and_why(ctx, people, clock):
    call_id, _ = reviewed_call(ctx, lead=False, at=clock.now() - DAY)
    result = flag_call(ctx, "agent", external_id_of(ctx, call_id), "asked for a quote, twice")
    assert result.status is LeadStatus.NEW
    with ctx.db.transaction() as session:
        lead = session.get(Lead, result.lead_id)
        [first] = session.scalars(select(LeadHistory).where(LeadHistory.lead_id == lead.id))
        assert (lead.status, lead.flagged_at, lead.confidence) == ("new", clock.now(), None)
        assert first.actor_label == "Maria Lopez (by hand)"
        assert first.why == "Flagged by hand: asked for a quote, twice"
        # The classifier's own verdict stays on the call.
        assert session.get(Call, call_id).review_is_lead is False


def test_flag_by_hand_announces_the_lead_like_any_new_lead(ctx, people, clock):
    call_id, _ = reviewed_call(ctx, lead=False, at=clock.now() - DAY)
    lead_id = flag_call(ctx, "agent", external_id_of(ctx, call_id)).lead_id
    with ctx.db.transaction() as session:
        kinds = session.scalars(select(Event.kind).where(Event.lead_id == lead_id)).all()
        notified = session.scalars(select(Notification).where(Notification.lead_id == lead_id))
        assert kinds == [events.LEAD_FLAGGED]
        assert len(notified.all()) >= 3  # in app, to the admin and both agents


def test_flag_by_hand_is_refused_without_the_permission(ctx, people, clock):
    call_id, _ = reviewed_call(ctx, lead=False, at=clock.now() - DAY)
    with pytest.raises(PermissionDenied, match="does not have the 'View Second Chance Leads'"):
        flag_call(ctx, "csr", external_id_of(ctx, call_id))
    assert label_of(ctx, call_id) is None


def test_flag_by_hand_is_refused_for_a_call_that_is_already_a_lead(ctx, people, clock):
    call_id, _ = reviewed_call(ctx, lead=True, at=clock.now() - DAY)
    with pytest.raises(AlreadyALead, match="already lead"):
        flag_call(ctx, "agent", external_id_of(ctx, call_id))


def test_flag_by_hand_is_refused_for_an_outbound_a_booked_or_an_unreviewed_call(ctx, people, clock):
    outbound = add_call(ctx, direction="outbound", phone="+15125550901")
    booked = add_call(ctx, booked=True, phone="+15125550902")
    unreviewed = add_call(ctx, phone="+15125550903")
    for call_id, says in ((outbound, "outbound"), (booked, "was booked"), (unreviewed, "not been")):
        with pytest.raises(StatusRefused, match=says):
            flag_call(ctx, "agent", external_id_of(ctx, call_id))
    with pytest.raises(NotFound):
        flag_call(ctx, "agent", "PBX-NO-SUCH")


def test_accuracy_is_refused_without_the_permission(ctx, people):
    with pytest.raises(PermissionDenied):
        accuracy(ctx, "csr", 30)


# --- a hand-counted month -------------------------------------------------------------


def test_accuracy_adds_up_to_a_hand_counted_month_and_to_the_lead_list(ctx, people, clock):
    now = clock.now()

    def flagged(days_ago, classifier="embedded 2026.12-1"):
        call_id, phone = reviewed_call(
            ctx, lead=True, at=now - days_ago * DAY, classifier=classifier
        )
        return lead_of(ctx, call_id), phone

    def passed_over(days_ago):
        return reviewed_call(ctx, lead=False, at=now - days_ago * DAY)

    flagged(25)  # A1: New, undecided
    review.call_back(ctx, "agent", flagged(20)[0])  # A2 confirmed
    review.set_status(ctx, "agent", flagged(18)[0], LeadStatus.NOT_ABLE_TO_SAVE)  # A3 confirmed
    review.dismiss(ctx, "agent", flagged(16)[0], DismissReason.NOT_FOLLOWING_UP)  # A4 confirmed
    review.dismiss(ctx, "agent", flagged(12)[0], DismissReason.NOT_A_LEAD)  # A5 rejected
    review.dismiss(ctx, "agent2", flagged(3)[0], DismissReason.NOT_A_LEAD)  # A6 rejected
    _, phone7 = flagged(9)
    record_job(ctx, "csr", phone7, booked_at=now - 8 * DAY)  # A7 booked elsewhere: confirmed
    lead8, phone8 = flagged(2)
    review.call_back(ctx, "agent", lead8)
    record_job(ctx, "csr", phone8)  # A8 booked by SCL: confirmed
    passed_over(22)  # P1: nobody said
    flag_call(ctx, "agent", external_id_of(ctx, passed_over(15)[0]))  # P2 missed
    _, phone3 = passed_over(11)
    record_job(ctx, "csr", phone3, booked_at=now - 5 * DAY)  # P3 missed (booked in 6 days)
    _, phone4 = passed_over(25)
    record_job(ctx, "csr", phone4, booked_at=now - 2 * DAY)  # P4: booked 23 days on: not
    p5 = flag_call(ctx, "agent", external_id_of(ctx, passed_over(4)[0])).lead_id
    review.dismiss(ctx, "agent", p5, DismissReason.NOT_A_LEAD)  # P5: ruled out: not missed
    flagged(40)  # outside the month
    review.call_back(ctx, "agent", flagged(6, COMPANY_1)[0])  # B1 confirmed
    review.dismiss(ctx, "agent", flagged(5, COMPANY_1)[0], DismissReason.NOT_A_LEAD)  # B2
    flagged(1, COMPANY_1)  # B3: New

    shipped, company = accuracy(ctx, "agent", 30)

    assert shipped.as_json() == {
        "classifier": "embedded",
        "version": "2026.12-1",
        "days": 30,
        "flagged": 8,
        "decided": 7,
        "confirmed": 5,
        "rejected": 2,
        "precision": round(5 / 7, 4),
        "missed": 2,
    }
    assert company.as_json() == {
        "classifier": "embedded",
        "version": "company-1",
        "days": 30,
        "flagged": 3,
        "decided": 2,
        "confirmed": 1,
        "rejected": 1,
        "precision": 0.5,
        "missed": 0,
    }
    # The lead list of the month: every flag counted, plus the two flagged by hand.
    listed = list_leads(ctx, "agent", None, None, limit=500).rows
    in_month = [r for r in listed if r.flagged_at >= now - 30 * DAY]
    assert len(in_month) == shipped.counts.flagged + company.counts.flagged + 2
    # The weeks add up to the month.
    for version in (shipped, company):
        for name in ("flagged", "decided", "confirmed", "rejected", "missed"):
            weekly = sum(getattr(w.counts, name) for w in version.weeks)
            assert weekly == getattr(version.counts, name), name
    # Weeks end now: 30-28 days ago, 28-21 (25), 21-14 (20, 18, 16), 14-7 (12, 9), 7-0 (3, 2).
    assert [w.counts.flagged for w in shipped.weeks] == [0, 1, 3, 2, 2]


def test_precision_is_none_when_no_flag_was_decided(ctx, people, clock):
    reviewed_call(ctx, lead=True, at=clock.now() - DAY)
    [shipped] = accuracy(ctx, "agent", 7)
    assert shipped.as_json()["precision"] is None


def test_my_view_lists_my_not_a_lead_dismissals_later_booked(ctx, people, clock):
    mine, phone = reviewed_call(ctx, lead=True, at=clock.now() - 3 * DAY)
    theirs, phone2 = reviewed_call(ctx, lead=True, at=clock.now() - 3 * DAY)
    kept, _ = reviewed_call(ctx, lead=True, at=clock.now() - 3 * DAY)
    clock.advance(timedelta(hours=1))
    review.dismiss(ctx, "agent", lead_of(ctx, mine), DismissReason.NOT_A_LEAD)
    review.dismiss(ctx, "agent2", lead_of(ctx, theirs), DismissReason.NOT_A_LEAD)
    review.dismiss(ctx, "agent", lead_of(ctx, kept), DismissReason.NOT_A_LEAD)
    clock.advance(timedelta(hours=1))
    record_job(ctx, "csr", phone)
    record_job(ctx, "csr", phone2)

    [found] = my_dismissals_booked(ctx, "agent", 7)
    assert (found.lead_id, found.status) == (lead_of(ctx, mine), LeadStatus.BOOKED_ELSEWHERE)
    assert found.booked_at == clock.now()
