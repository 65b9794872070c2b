"""An agent's actions on a lead, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.models import Call, CallbackAttempt, Customer, CustomerNote, Event, Lead, LeadHistory
from core.domain.statuses import DismissReason, LeadStatus, Tab
from core.services import review
from core.services.context import ServiceContext
from core.services.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleLead,
    StatusRefused,
)
from core.services.leads import get_review
from core.services.settings import set_setting
from tests.builders import add_lead, seed_people


@pytest.fixture
def lead(ctx):
    seed_people(ctx)
    return add_lead(ctx)


def history(ctx, lead_id):
    with ctx.db.transaction() as session:
        return session.scalars(
            select(LeadHistory).where(LeadHistory.lead_id == lead_id).order_by(LeadHistory.id)
        ).all()


def test_dismiss_as_not_a_lead_moves_the_lead_to_done(ctx, lead):
    result = review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD)
    assert result.status is LeadStatus.NOT_A_LEAD
    assert result.tab is Tab.DONE


def test_dismiss_as_not_following_up_moves_the_lead_to_not_following_up(ctx, lead):
    result = review.dismiss(ctx, "agent", lead, DismissReason.NOT_FOLLOWING_UP)
    assert result.status is LeadStatus.NOT_FOLLOWING_UP


def test_every_status_change_is_recorded_with_actor_time_from_and_to(ctx, lead, clock):
    clock.advance(timedelta(minutes=3))
    review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD)
    flagged, dismissed = history(ctx, lead)
    assert (flagged.from_status, flagged.to_status, flagged.actor_id) == (None, "new", None)
    assert dismissed.from_status == "new" and dismissed.to_status == "not-a-lead"
    assert dismissed.at == clock.now()
    assert get_review(ctx, "agent", lead).history[-1].actor == "Maria Lopez"


def test_call_back_records_the_attempt_and_sets_call_back_attempted(ctx, lead):
    result = review.call_back(ctx, "agent", lead)
    assert result.status is LeadStatus.CALLBACK_ATTEMPTED
    assert result.tab is Tab.OPEN
    assert "Dial (512) 555-0134" in result.message
    with ctx.db.transaction() as session:
        attempt = session.scalars(select(CallbackAttempt)).one()
        assert attempt.phone == "+15125550134"


def test_a_second_call_back_records_another_attempt_without_a_status_change(ctx, lead):
    review.call_back(ctx, "agent", lead)
    review.call_back(ctx, "agent", lead)
    assert len(get_review(ctx, "agent", lead).callbacks) == 2
    assert [h.to_status for h in history(ctx, lead)] == ["new", "callback-attempted"]


@pytest.mark.parametrize("target", [LeadStatus.BOOKED_BY_SCL, LeadStatus.BOOKED_ELSEWHERE])
def test_a_booked_status_cannot_be_set_by_hand(ctx, lead, target):
    with pytest.raises(StatusRefused, match="only automatically"):
        review.set_status(ctx, "agent", lead, target)
    assert get_review(ctx, "agent", lead).row.status is LeadStatus.NEW


def test_a_lead_can_be_set_back_to_new_by_hand(ctx, lead):
    review.set_status(ctx, "agent", lead, LeadStatus.NOT_ABLE_TO_SAVE)
    result = review.set_status(ctx, "agent", lead, LeadStatus.NEW)
    assert result.status is LeadStatus.NEW and result.tab is Tab.OPEN


def test_setting_the_status_a_lead_already_has_is_refused(ctx, lead):
    with pytest.raises(StatusRefused, match="already"):
        review.set_status(ctx, "agent", lead, LeadStatus.NEW)


def test_someone_without_the_permission_is_refused_and_nothing_changes(ctx, lead):
    with pytest.raises(PermissionDenied, match="View Second Chance Leads"):
        review.dismiss(ctx, "csr", lead, DismissReason.NOT_A_LEAD)
    assert get_review(ctx, "agent", lead).row.status is LeadStatus.NEW


def test_an_unknown_login_is_refused_by_name(ctx, lead):
    with pytest.raises(NotFound, match="'nobody'"):
        review.call_back(ctx, "nobody", lead)


def test_an_admin_may_act_without_a_role_permission(ctx, lead):
    assert review.call_back(ctx, "admin", lead).status is LeadStatus.CALLBACK_ATTEMPTED


def test_a_lead_is_found_by_its_calls_external_id(ctx, lead):
    external_id = get_review(ctx, "agent", lead).row.external_id
    assert review.dismiss(ctx, "agent", external_id, DismissReason.NOT_A_LEAD).lead_id == lead


def test_an_unknown_lead_is_refused_by_name(ctx, lead):
    with pytest.raises(NotFound, match="'PBX-NOPE'"):
        review.dismiss(ctx, "agent", "PBX-NOPE", DismissReason.NOT_A_LEAD)


def test_a_lost_race_is_refused_naming_who_changed_the_lead(ctx, lead):
    seen = get_review(ctx, "agent", lead).row.version
    review.call_back(ctx, "agent2", lead, expected_version=seen)
    with pytest.raises(StaleLead, match="changed by Sam Reed") as refused:
        review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD, expected_version=seen)
    assert "Call Back Attempted" in refused.value.message
    assert get_review(ctx, "agent", lead).row.status is LeadStatus.CALLBACK_ATTEMPTED


def test_a_lost_race_says_when_on_the_companys_clock_naming_its_zone(ctx, lead):
    set_setting(ctx, "admin", "timezone", "America/Chicago")
    seen = get_review(ctx, "agent", lead).row.version
    review.call_back(ctx, "agent2", lead, expected_version=seen)  # at 18:00 UTC
    with pytest.raises(StaleLead, match="at 2026-11-20 12:00 CST;"):
        review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD, expected_version=seen)


def test_an_action_on_the_current_version_goes_through(ctx, lead):
    seen = get_review(ctx, "agent", lead).row.version
    result = review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD, expected_version=seen)
    assert result.version == seen + 1


def test_a_note_is_appended_with_author_and_time(ctx, lead, clock):
    review.add_note(ctx, "agent", lead, "Left a voicemail")
    review.add_note(ctx, "agent2", lead, "Customer asked for Friday")
    notes = get_review(ctx, "agent", lead).notes
    assert [(n.author, n.text) for n in notes] == [
        ("Maria Lopez", "Left a voicemail"),
        ("Sam Reed", "Customer asked for Friday"),
    ]
    assert notes[0].created_at == clock.now()


def test_a_note_does_not_make_a_concurrent_action_stale(ctx, lead):
    seen = get_review(ctx, "agent", lead).row.version
    review.add_note(ctx, "agent2", lead, "Calling now")
    review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD, expected_version=seen)


def test_an_empty_note_is_refused(ctx, lead):
    with pytest.raises(InvalidInput, match="empty"):
        review.add_note(ctx, "agent", lead, "   ")


def test_a_note_copied_to_the_customer_lands_in_the_customer_notes(ctx, lead):
    with ctx.db.transaction() as session:
        customer = Customer(name="Dana Whitfield", created_at=ctx.clock.now())
        session.add(customer)
        session.flush()
        session.get(Call, session.get(Lead, lead).call_id).customer_id = customer.id
    review.add_note(ctx, "agent", lead, "Prefers texts", copy_to=review.NoteTarget.CUSTOMER)
    with ctx.db.transaction() as session:
        assert session.scalars(select(CustomerNote.text)).all() == ["Prefers texts"]


def test_copying_a_note_to_a_location_the_call_lacks_is_refused(ctx, lead):
    with pytest.raises(InvalidInput, match="no location"):
        review.add_note(ctx, "agent", lead, "Gate code 1234", copy_to=review.NoteTarget.LOCATION)
    assert get_review(ctx, "agent", lead).notes == ()


def test_every_action_publishes_an_event_for_open_apps(ctx, lead):
    review.call_back(ctx, "agent", lead)
    review.add_note(ctx, "agent", lead, "ok")
    with ctx.db.transaction() as session:
        kinds = session.scalars(select(Event.kind).order_by(Event.id)).all()
    assert kinds == ["lead.flagged", "lead.changed", "lead.noted"]


class RacingDialer:
    """While the call is being placed, another agent dismisses the same lead."""

    def __init__(self, rival_ctx, lead_id):
        self.rival_ctx = rival_ctx
        self.lead_id = lead_id

    def place_call(self, phone):
        review.dismiss(self.rival_ctx, "agent2", self.lead_id, DismissReason.NOT_FOLLOWING_UP)
        return "dialled"


def test_two_agents_acting_at_the_same_instant_the_second_is_refused_by_name(ctx, lead):
    racing = ServiceContext(ctx.db, ctx.clock, RacingDialer(ctx, lead))
    with pytest.raises(StaleLead, match="changed by Sam Reed"):
        review.call_back(racing, "agent", lead)
    after = get_review(ctx, "agent", lead)
    assert after.row.status is LeadStatus.NOT_FOLLOWING_UP
    assert after.callbacks == ()


def test_every_event_names_its_lead(ctx, lead):
    review.call_back(ctx, "agent", lead)
    review.add_note(ctx, "agent", lead, "ok")
    with ctx.db.transaction() as session:
        assert set(session.scalars(select(Event.lead_id))) == {lead}
