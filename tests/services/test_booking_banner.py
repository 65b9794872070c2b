"""The job booking screen's banner: which leads it names, the 14-day edge, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.statuses import DismissReason, LeadStatus, Tab
from core.services import booking, review
from core.services.errors import InvalidInput, NotFound
from core.services.settings import set_setting
from tests.builders import add_call, add_lead, seed_people

PHONE = "+15125550134"


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def test_a_new_lead_flagged_today_shows_the_banner_naming_it(ctx, people):
    lead = add_lead(ctx, phone=PHONE, reason="Wants a quote for a new water heater")
    banner = booking.banner_for_phone(ctx, "agent", "(512) 555-0134")
    assert banner.shown and banner.detailed and banner.window_days == 14
    (named,) = banner.leads
    assert (named.lead_id, named.status, named.tab) == (lead, LeadStatus.NEW, Tab.OPEN)
    assert named.reason == "Wants a quote for a new water heater"
    assert banner.customer_phone == PHONE


def test_the_banner_shows_at_exactly_14_days(ctx, people, clock):
    add_lead(ctx, phone=PHONE, flagged=clock.now() - timedelta(days=14))
    banner = booking.banner_for_phone(ctx, "agent", PHONE)
    assert banner.shown and banner.leads[0].tab is Tab.COLD


def test_the_banner_is_gone_one_second_after_14_days(ctx, people, clock):
    add_lead(ctx, phone=PHONE, flagged=clock.now() - timedelta(days=14, seconds=1))
    assert not booking.banner_for_phone(ctx, "agent", PHONE).shown


def test_a_call_back_attempted_lead_shows_the_banner(ctx, people):
    lead = add_lead(ctx, phone=PHONE)
    review.call_back(ctx, "agent", lead)
    banner = booking.banner_for_phone(ctx, "agent", PHONE)
    assert banner.leads[0].status is LeadStatus.CALLBACK_ATTEMPTED


@pytest.mark.parametrize("reason", list(DismissReason))
def test_a_done_lead_shows_no_banner(ctx, people, reason):
    lead = add_lead(ctx, phone=PHONE)
    review.dismiss(ctx, "agent", lead, reason)
    assert not booking.banner_for_phone(ctx, "agent", PHONE).shown


def test_a_lead_already_booked_shows_no_banner(ctx, people, clock):
    add_lead(ctx, phone=PHONE)
    clock.advance(timedelta(minutes=30))
    booking.record_job(ctx, "csr", PHONE)
    assert not booking.banner_for_phone(ctx, "agent", PHONE).shown


def test_another_customers_lead_shows_no_banner(ctx, people):
    add_lead(ctx, phone="+15125550199")
    assert not booking.banner_for_phone(ctx, "agent", PHONE).shown


def test_several_open_leads_are_all_named_newest_first(ctx, people, clock):
    older = add_lead(ctx, phone=PHONE, flagged=clock.now() - timedelta(days=3))
    newer = add_lead(ctx, phone=PHONE, flagged=clock.now() - timedelta(hours=2))
    banner = booking.banner_for_phone(ctx, "agent", PHONE)
    assert [lead.lead_id for lead in banner.leads] == [newer, older]


def test_the_banner_window_follows_the_setting(ctx, people, clock):
    add_lead(ctx, phone=PHONE, flagged=clock.now() - timedelta(days=10))
    set_setting(ctx, "admin", "banner_days", "7")
    banner = booking.banner_for_phone(ctx, "agent", PHONE)
    assert not banner.shown and banner.window_days == 7


def test_a_csr_without_the_permission_learns_only_that_a_lead_exists_and_when(ctx, people):
    add_lead(ctx, phone=PHONE, reason="Caller said the price was too high")
    banner = booking.banner_for_phone(ctx, "csr", PHONE)
    assert banner.shown and not banner.detailed
    (named,) = banner.leads
    assert named.flagged_at is not None and named.tab is Tab.OPEN
    assert (named.lead_id, named.status, named.reason, named.customer_name) == (None,) * 4


def test_booking_from_the_banner_gives_the_lead_its_automatic_status(ctx, people, clock):
    lead = add_lead(ctx, phone=PHONE)
    review.call_back(ctx, "agent", lead)
    clock.advance(timedelta(hours=1))
    assert booking.banner_for_phone(ctx, "csr", PHONE).shown
    result = booking.record_job(ctx, "csr", PHONE)
    assert result.changed == ((lead, LeadStatus.BOOKED_BY_SCL),)
    assert not booking.banner_for_phone(ctx, "csr", PHONE).shown


def test_a_bad_phone_is_refused_saying_what_was_typed(ctx, people):
    with pytest.raises(InvalidInput, match="'555'"):
        booking.banner_for_phone(ctx, "csr", "555")


def test_someone_not_an_employee_is_refused(ctx, people):
    with pytest.raises(NotFound, match="stranger"):
        booking.banner_for_phone(ctx, "stranger", PHONE)


def test_customers_are_found_by_digits_most_recent_first(ctx, people, clock):
    add_call(ctx, phone="+15125550134", ended=clock.now() - timedelta(days=2))
    add_call(ctx, phone="+15125550134", ended=clock.now() - timedelta(days=1))
    add_call(ctx, phone="+17375550134", ended=clock.now() - timedelta(hours=1))
    add_call(ctx, phone="+15125550999")
    found = booking.find_customers(ctx, "csr", "555-0134")
    assert [(m.customer_phone, m.calls) for m in found] == [
        ("+17375550134", 1),
        ("+15125550134", 2),
    ]
    assert found[1].last_call_at == clock.now() - timedelta(days=1, minutes=4)


def test_too_little_typed_finds_nothing(ctx, people):
    add_call(ctx, phone=PHONE)
    assert booking.find_customers(ctx, "csr", "5") == []
