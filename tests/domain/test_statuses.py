"""SPEC "Statuses and tabs", row by row."""

from __future__ import annotations

import pytest

from core.domain.statuses import (
    TAB_FILTERS,
    DismissReason,
    LeadStatus,
    Tab,
)
from core.domain.transitions import manual_change_refusal, manual_targets

S = LeadStatus

# status, display name, home tab, settable by hand, final
SPEC_TABLE = [
    (S.NEW, "New", Tab.OPEN, True, False),
    (S.CALLBACK_ATTEMPTED, "Lead - Call Back Attempted", Tab.OPEN, True, False),
    (S.NOT_ABLE_TO_SAVE, "Lead - Not able to save", Tab.DONE, True, False),
    (S.NOT_FOLLOWING_UP, "Lead - Not following up", Tab.DONE, True, False),
    (S.NOT_A_LEAD, "Reviewed - Not a Lead", Tab.DONE, True, False),
    (S.BOOKED_BY_SCL, "Job booked by SCL", Tab.DONE, False, True),
    (S.BOOKED_ELSEWHERE, "Job booked elsewhere", Tab.DONE, False, True),
]


@pytest.mark.parametrize(("status", "name", "tab", "manual", "final"), SPEC_TABLE)
def test_each_status_has_its_spec_name_tab_and_who_sets_it(status, name, tab, manual, final):
    assert status.display_name == name
    assert status.home_tab is tab
    assert status.is_manual is manual
    assert status.is_final is final


def test_the_cli_slugs_are_the_ones_spec_fixes():
    assert [s.value for s in LeadStatus] == [
        "new",
        "callback-attempted",
        "not-able-to-save",
        "not-following-up",
        "not-a-lead",
        "booked-by-scl",
        "booked-elsewhere",
    ]


def test_a_status_parses_from_its_slug_or_display_name():
    assert LeadStatus.parse("not-a-lead") is S.NOT_A_LEAD
    assert LeadStatus.parse("  reviewed - not a lead ") is S.NOT_A_LEAD
    with pytest.raises(ValueError, match="unknown status"):
        LeadStatus.parse("lost")


def test_dismissing_as_not_a_lead_leads_to_reviewed_not_a_lead():
    assert DismissReason.NOT_A_LEAD.status is S.NOT_A_LEAD
    assert DismissReason.NOT_A_LEAD.display_name == "It's not a lead"


def test_dismissing_as_not_following_up_leads_to_not_following_up():
    assert DismissReason.NOT_FOLLOWING_UP.status is S.NOT_FOLLOWING_UP
    assert "not going to follow up" in DismissReason.NOT_FOLLOWING_UP.display_name


def test_open_filters_by_new_and_call_back_attempted_and_done_by_each_done_status():
    assert TAB_FILTERS[Tab.OPEN] == (S.NEW, S.CALLBACK_ATTEMPTED)
    assert TAB_FILTERS[Tab.DONE] == (
        S.NOT_ABLE_TO_SAVE,
        S.NOT_FOLLOWING_UP,
        S.NOT_A_LEAD,
        S.BOOKED_BY_SCL,
        S.BOOKED_ELSEWHERE,
    )


MANUAL = [S.NEW, S.CALLBACK_ATTEMPTED, S.NOT_ABLE_TO_SAVE, S.NOT_FOLLOWING_UP, S.NOT_A_LEAD]
AUTOMATIC = [S.BOOKED_BY_SCL, S.BOOKED_ELSEWHERE]


@pytest.mark.parametrize("current", MANUAL)
@pytest.mark.parametrize("target", MANUAL)
def test_any_manual_status_may_be_set_by_hand_from_any_other_non_final_one(current, target):
    refusal = manual_change_refusal(current, target)
    if current is target:
        assert refusal is not None and refusal.kind == "unchanged"
    else:
        assert refusal is None


@pytest.mark.parametrize("current", MANUAL)
@pytest.mark.parametrize("target", AUTOMATIC)
def test_the_booked_statuses_can_never_be_set_by_hand(current, target):
    refusal = manual_change_refusal(current, target)
    assert refusal is not None and refusal.kind == "automatic"
    assert "only automatically" in refusal.message


@pytest.mark.parametrize("current", AUTOMATIC)
@pytest.mark.parametrize("target", list(LeadStatus))
def test_once_booked_the_status_never_changes_again(current, target):
    refusal = manual_change_refusal(current, target)
    assert refusal is not None and refusal.kind == "final"


def test_a_status_menu_offers_only_the_manual_statuses_the_lead_is_not_in():
    assert manual_targets(S.NEW) == (
        S.CALLBACK_ATTEMPTED,
        S.NOT_ABLE_TO_SAVE,
        S.NOT_FOLLOWING_UP,
        S.NOT_A_LEAD,
    )
    assert manual_targets(S.BOOKED_BY_SCL) == ()


def test_every_status_has_a_short_name_for_the_table():
    assert {s.short_name for s in LeadStatus} == {
        "New",
        "Call back attempted",
        "Not able to save",
        "Not following up",
        "Not a lead",
        "Booked by SCL",
        "Booked elsewhere",
    }
