"""`scl flag`, `scl accuracy`, `scl replay`, `scl learn`: the real command."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.services.verdicts import external_id_of, reviewed_call

ACCURACY_KEYS = [
    "classifier",
    "version",
    "days",
    "flagged",
    "decided",
    "confirmed",
    "rejected",
    "precision",
    "missed",
]


@pytest.fixture
def passed_over(seeded) -> tuple[str, str]:
    """The seeded database's URL and the external id of a call the review passed over."""
    url, ctx = seeded
    call_id, _ = reviewed_call(ctx, lead=False, at=ctx.clock.now() - timedelta(hours=2))
    return url, external_id_of(ctx, call_id)


def test_flag_makes_a_passed_over_call_a_new_lead(scl, passed_over):
    url, call = passed_over
    ran = scl("--db", url, "--as", "agent", "flag", call, "--note", "wants a quote")
    assert ran.code == 0, ran.err
    assert f"Call {call} flagged by hand → New (Open)" in ran.out
    listed = [
        json.loads(line)
        for line in scl("--db", url, "--as", "agent", "leads", "--json").out.splitlines()
    ]
    assert any(row["external_id"] == call and row["reason"] == "wants a quote" for row in listed)


def test_flag_is_refused_in_one_line_as_every_action_on_leads(scl, passed_over):
    url, call = passed_over
    ran = scl("--db", url, "--as", "csr", "flag", call)
    dismissed = scl("--db", url, "--as", "csr", "dismiss", "1", "--reason", "not-a-lead")
    assert (ran.code, ran.out) == (1, "")
    assert ran.err == dismissed.err
    assert ran.err.count("\n") == 1 and "does not have the 'View Second Chance Leads'" in ran.err


def test_flag_of_a_call_that_is_a_lead_already_is_refused_with_exit_1(scl, seeded):
    url, _ = seeded
    listed = scl("--db", url, "--as", "agent", "leads", "--json").out
    ran = scl("--db", url, "--as", "agent", "flag", json.loads(listed)["external_id"])
    assert ran.code == 1 and "already lead 1" in ran.err, ran.err


def test_accuracy_json_is_one_object_per_classifier_version(scl, passed_over):
    url, call = passed_over
    scl("--db", url, "--as", "agent", "flag", call)
    ran = scl("--db", url, "--as", "agent", "accuracy", "--days", "7", "--json")
    assert ran.code == 0, ran.err
    # The seeded lead predates recording the classifier: a row of its own.
    rows = {r["classifier"]: r for r in map(json.loads, ran.out.splitlines())}
    row, unrecorded = rows["embedded"], rows["unrecorded"]
    assert list(row) == list(unrecorded) == ACCURACY_KEYS
    assert (unrecorded["classifier"], unrecorded["flagged"]) == ("unrecorded", 1)
    assert (row["classifier"], row["version"], row["missed"]) == ("embedded", "2026.12-1", 1)
    table = scl("--db", url, "--as", "agent", "accuracy")
    assert table.code == 0 and "2026.12-1" in table.out and "week to" in table.out


def test_accuracy_mine_says_when_none_of_my_dismissals_was_booked(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "agent", "accuracy", "--mine")
    assert ran.code == 0 and "None of your 'not a lead' dismissals" in ran.out
