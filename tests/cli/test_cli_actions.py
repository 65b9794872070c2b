"""Every agent action as a command, refused exactly where the app would refuse it."""

from __future__ import annotations

import json

import pytest

LEAD = "1"


@pytest.fixture
def url(seeded):
    return seeded[0]


def test_leads_json_prints_the_contract_fields_newest_first(scl, url):
    ran = scl("--db", url, "--as", "agent", "leads", "--json")
    assert ran.code == 0, ran.err
    rows = [json.loads(line) for line in ran.out.splitlines()]
    assert list(rows[0]) == [
        "lead_id",
        "external_id",
        "customer_phone",
        "status",
        "tab",
        "flagged_at",
        "reason",
        "confidence",
    ]
    assert rows[0]["status"] == "new" and rows[0]["tab"] == "open"
    assert rows[0]["customer_phone"] == "+15125550134"


def test_dismiss_then_list_the_done_tab(scl, url):
    ran = scl("--db", url, "--as", "agent", "dismiss", LEAD, "--reason", "not-a-lead")
    assert ran.code == 0, ran.err
    assert "Reviewed - Not a Lead" in ran.out
    done = scl("--db", url, "--as", "agent", "leads", "--tab", "done", "--json")
    assert json.loads(done.out)["status"] == "not-a-lead"


def test_callback_sets_call_back_attempted(scl, url):
    ran = scl("--db", url, "--as", "agent", "callback", LEAD)
    assert ran.code == 0, ran.err
    assert "Lead - Call Back Attempted" in ran.out


def test_setting_an_automatic_status_by_hand_is_refused_with_exit_1(scl, url):
    ran = scl("--db", url, "--as", "agent", "status", LEAD, "booked-by-scl")
    assert ran.code == 1
    assert "only automatically" in ran.err and "Traceback" not in ran.err


def test_an_employee_without_the_permission_is_refused_with_exit_1(scl, url):
    ran = scl("--db", url, "--as", "csr", "dismiss", LEAD, "--reason", "not-a-lead")
    assert ran.code == 1
    assert "View Second Chance Leads" in ran.err


def test_note_with_copy_to_a_missing_location_is_refused(scl, url):
    ran = scl("--db", url, "--as", "agent", "note", LEAD, "gate code", "--copy-to", "location")
    assert ran.code == 1
    assert "no location" in ran.err


def test_book_applies_the_automatic_status(scl, url):
    scl("--db", url, "--as", "agent", "callback", LEAD)
    ran = scl(
        "--db",
        url,
        "--as",
        "csr",
        "book",
        "--phone",
        "(512) 555-0134",
        "--at",
        "2020-01-01T09:00:00-06:00",
    )
    assert ran.code == 0, ran.err
    # Long before the lead was flagged: no link to it, so the lead stays as it is.
    assert "→" not in ran.out
    ran = scl("--db", url, "--as", "csr", "book", "--phone", "(512) 555-0134")
    assert "Job booked by SCL" in ran.out


def test_a_booking_ahead_of_now_is_refused_and_changes_no_lead(scl, url):
    ran = scl(
        "--db", url, "--as", "csr", "book", "--phone", "(512) 555-0134",
        "--at", "2099-01-01T09:00:00-06:00",
    )  # fmt: skip
    assert ran.code == 1 and "in the future" in ran.err
    listed = scl("--db", url, "--as", "agent", "leads", "--json")
    assert json.loads(listed.out)["status"] == "new"


def test_book_refuses_a_phone_without_its_area_code_as_the_screen_does(scl, url):
    ran = scl("--db", url, "--as", "csr", "book", "--phone", "555-0134")
    assert ran.code == 1 and "has no area code" in ran.err
    listed = scl("--db", url, "--as", "agent", "leads", "--json")
    assert json.loads(listed.out)["status"] == "new"


def test_book_with_a_time_without_offset_is_a_usage_error(scl, url):
    ran = scl("--db", url, "--as", "csr", "book", "--phone", "5125550134", "--at", "2026-11-20")
    assert ran.code == 2
    assert "UTC offset" in ran.err


def test_metrics_json_has_the_contract_fields(scl, url):
    ran = scl("--db", url, "--as", "agent", "metrics", "--days", "7", "--json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    assert list(data) == ["days", "inbound_calls", "scls_booked", "pct_increase", "open", "cold"]
    assert data["days"] == 7


def test_settings_are_shown_and_set_by_an_admin_only(scl, url):
    shown = scl("--db", url, "--as", "agent", "settings")
    assert "after_call_work_minutes" in shown.out and "5" in shown.out
    refused = scl("--db", url, "--as", "agent", "settings", "enabled", "true")
    assert refused.code == 1 and "administrator" in refused.err
    done = scl("--db", url, "--as", "admin", "settings", "cold_after_hours", "24")
    assert done.code == 0 and "24" in done.out
    bad = scl("--db", url, "--as", "admin", "settings", "cold_after_hours", "-1")
    assert bad.code == 1 and "between" in bad.err


def _chicago_minutes() -> set[str]:
    """The minute now on Chicago's clock, and the next (a command may cross one)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("America/Chicago"))
    return {f"{moment:%Y-%m-%d %H:%M}" for moment in (now, now + timedelta(minutes=1))}


def test_settings_keep_their_labels_in_one_column_whatever_a_value_is_long(scl, url):
    ran = scl("--db", url, "--as", "admin", "settings", "timezone", "America/Chicago")
    assert ran.code == 0, ran.err
    starts = {line.index(label) for line, label in zip(ran.out.splitlines(), LABELS, strict=True)}
    assert len(starts) == 1, ran.out
    cleared = scl("--db", url, "--as", "admin", "settings", "timezone", "")
    assert 'timezone                 ""' in cleared.out and "none set: this host's" in cleared.out


LABELS = ("SCL enabled", "After Call", "Cold Leads", "Banner", "Transcribe", "Time zone")


def test_leads_table_shows_flagged_times_on_the_companys_clock_naming_its_zone(scl, url):
    assert scl("--db", url, "--as", "admin", "settings", "timezone", "America/Chicago").code == 0
    ran = scl("--db", url, "--as", "agent", "leads")
    assert ran.code == 0, ran.err
    header, row = ran.out.splitlines()[:2]
    assert "Flagged (America/Chicago)" in header
    assert any(minute in row for minute in _chicago_minutes()), row


def test_audit_lines_say_their_time_with_the_zones_short_name(scl, url):
    scl("--db", url, "--as", "admin", "settings", "timezone", "America/Chicago")
    ran = scl("--db", url, "--as", "admin", "audit")
    assert ran.code == 0, ran.err
    line = next(line for line in ran.out.splitlines() if "America/Chicago" in line)
    assert any(line.startswith(f"{minute} C") for minute in _chicago_minutes()), line
