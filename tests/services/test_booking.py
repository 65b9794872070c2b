"""Booking a job gives the customer's leads their automatic status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.models import Call
from core.domain.statuses import DismissReason, LeadStatus
from core.services import booking, review
from core.services.errors import InvalidInput, NotFound, StatusRefused
from core.services.leads import get_review
from tests.builders import add_lead, seed_people


@pytest.fixture
def lead(ctx):
    seed_people(ctx)
    return add_lead(ctx, phone="+15125550134")


def status_of(ctx, lead_id):
    return get_review(ctx, "agent", lead_id).row.status


def test_a_job_booked_after_an_scl_call_back_is_job_booked_by_scl(ctx, lead, clock):
    review.call_back(ctx, "agent", lead)
    clock.advance(timedelta(hours=2))
    result = booking.record_job(ctx, "csr", "(512) 555-0134")
    assert result.changed == ((lead, LeadStatus.BOOKED_BY_SCL),)
    assert status_of(ctx, lead) is LeadStatus.BOOKED_BY_SCL
    assert get_review(ctx, "agent", lead).job_booked_at == clock.now()


def test_a_job_booked_with_no_call_back_is_job_booked_elsewhere(ctx, lead, clock):
    clock.advance(timedelta(hours=2))
    booking.record_job(ctx, "csr", "512.555.0134")
    assert status_of(ctx, lead) is LeadStatus.BOOKED_ELSEWHERE


def test_a_dismissed_lead_whose_customer_books_anyway_is_booked_elsewhere(ctx, lead, clock):
    review.dismiss(ctx, "agent", lead, DismissReason.NOT_FOLLOWING_UP)
    clock.advance(timedelta(days=1))
    booking.record_job(ctx, "csr", "+15125550134")
    assert status_of(ctx, lead) is LeadStatus.BOOKED_ELSEWHERE


def test_the_automatic_change_is_in_the_history_as_automatic(ctx, lead, clock):
    clock.advance(timedelta(hours=1))
    booking.record_job(ctx, "csr", "+15125550134")
    last = get_review(ctx, "agent", lead).history[-1]
    assert last.actor == "automatic: job booked"
    assert last.to_status is LeadStatus.BOOKED_ELSEWHERE
    assert "booked by Jo Martinez" in (last.why or "")


def test_after_a_booked_status_nothing_can_change_the_lead(ctx, lead, clock):
    clock.advance(timedelta(hours=1))
    booking.record_job(ctx, "csr", "+15125550134")
    with pytest.raises(StatusRefused, match="final"):
        review.set_status(ctx, "agent", lead, LeadStatus.NEW)
    with pytest.raises(StatusRefused, match="final"):
        review.call_back(ctx, "agent", lead)
    with pytest.raises(StatusRefused, match="final"):
        review.dismiss(ctx, "agent", lead, DismissReason.NOT_A_LEAD)
    clock.advance(timedelta(hours=1))
    assert booking.record_job(ctx, "csr", "+15125550134").changed == ()


def test_a_job_for_another_phone_leaves_the_lead_alone(ctx, lead, clock):
    clock.advance(timedelta(hours=1))
    assert booking.record_job(ctx, "csr", "(512) 555-0199").changed == ()
    assert status_of(ctx, lead) is LeadStatus.NEW


def test_a_job_booked_before_the_lead_was_flagged_leaves_it_alone(ctx, lead, clock):
    booking.record_job(ctx, "csr", "+15125550134", booked_at=clock.now() - timedelta(hours=1))
    assert status_of(ctx, lead) is LeadStatus.NEW


def test_a_job_booked_more_than_the_banner_window_later_leaves_the_lead_alone(ctx, lead, clock):
    clock.advance(timedelta(days=14, seconds=1))
    booking.record_job(ctx, "csr", "+15125550134")
    assert status_of(ctx, lead) is LeadStatus.NEW


def test_booking_on_a_call_marks_that_call_booked(ctx, lead, clock):
    external_id = get_review(ctx, "agent", lead).row.external_id
    clock.advance(timedelta(hours=1))
    booking.record_job(ctx, "csr", "+15125550134", call_external_id=external_id)
    with ctx.db.transaction() as session:
        assert session.scalars(select(Call.job_booked).where(Call.external_id == external_id)).one()


def test_a_bad_phone_is_refused_with_what_was_wrong(ctx, lead):
    with pytest.raises(InvalidInput, match="'call me'"):
        booking.record_job(ctx, "csr", "call me")


def test_an_unknown_call_is_refused_by_name(ctx, lead):
    with pytest.raises(NotFound, match="PBX-NONE"):
        booking.record_job(ctx, "csr", "+15125550134", call_external_id="PBX-NONE")
