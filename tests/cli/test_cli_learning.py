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


# --- replay ---------------------------------------------------------------------------

FURNACE = [
    ("agent", "Thanks for calling Lone Star Comfort, this is Jo."),
    ("customer", "Hi, my furnace stopped working last night and the house is freezing."),
    ("agent", "The diagnostic visit is 89 dollars."),
    ("customer", "Hmm, let me talk to my husband and I'll call you back."),
]


@pytest.fixture
def replayable(seeded) -> tuple[str, str]:
    """A furnace call the review passed over (the current model flags it)."""
    url, ctx = seeded
    call_id, _ = reviewed_call(
        ctx, lead=False, at=ctx.clock.now() - timedelta(days=2), lines=FURNACE
    )
    return url, external_id_of(ctx, call_id)


def test_replay_json_lists_the_changed_calls_then_the_totals(scl, replayable):
    url, call = replayable
    ran = scl("--db", url, "--as", "admin", "replay", "--days", "7", "--json")
    assert ran.code == 0, ran.err
    *changes, totals = [json.loads(line) for line in ran.out.splitlines()]
    # The seeded lead has no transcript at all: not a lead now.
    changed = {(c["external_id"], c["was"], c["now"]) for c in changes}
    assert (call, False, True) in changed and len(changed) == 2
    assert list(changes[0]) == ["external_id", "was", "now", "reason"]
    assert totals == {
        "changed": 2,
        "to_lead": 1,
        "to_not_lead": 1,
        "agreed_with_agents": 0,
        "disagreed_with_agents": 0,
    }
    table = scl("--db", url, "--as", "admin", "replay")
    assert table.code == 0 and "2 would change" in table.out and "Nothing was stored" in table.out


def test_replay_is_refused_to_an_agent_in_one_line(scl, replayable):
    url, _ = replayable
    ran = scl("--db", url, "--as", "agent", "replay")
    assert (ran.code, ran.out) == (1, "")
    assert ran.err.startswith("scl: Only an administrator can replay") and ran.err.count("\n") == 1


def test_replay_with_a_bad_proposed_profile_names_the_file_and_line(scl, replayable, tmp_path):
    url, _ = replayable
    bad = tmp_path / "proposed.toml"
    bad.write_text('[[brand]]\nname = "X"\ntrades = ["teleportation"]\n')
    ran = scl("--db", url, "--as", "admin", "replay", "--company", str(bad))
    assert ran.code == 2 and f"{bad}:3" in ran.err, ran.err


# --- learn ----------------------------------------------------------------------------


def test_learn_with_too_few_decided_calls_says_how_many_more(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "learn", "--apply")
    assert ran.code == 1
    assert "50 more decided as leads and 50 more decided as not leads" in ran.err
    assert "Nothing was changed" in ran.err


@pytest.fixture
def frostline(tmp_path) -> str:
    from core.clock import SystemClock
    from core.db.engine import open_database
    from core.services.context import ServiceContext
    from tests.cli.conftest import allow_test_runner
    from tests.services.test_learning import seed_company

    url = f"sqlite:///{tmp_path / 'frostline.db'}"
    ctx = ServiceContext(open_database(url), SystemClock())
    seed_company(ctx, ctx.clock)
    allow_test_runner(ctx)
    return url


def test_learn_measures_then_apply_and_rollback_change_the_model_in_use(scl, frostline):
    ran = scl("--db", frostline, "--as", "admin", "learn")
    assert ran.code == 0, ran.err
    assert "fitted on 90, measured on 30 held out" in ran.out
    assert "Nothing was changed" in ran.out
    applied = scl("--db", frostline, "--as", "admin", "learn", "--apply")
    assert applied.code == 0 and "Applied as company-1" in applied.out, applied.err
    back = scl("--db", frostline, "--as", "admin", "learn", "--rollback")
    assert back.code == 0 and "2026.12-1 is in use now" in back.out, back.err
    again = scl("--db", frostline, "--as", "admin", "learn", "--rollback")
    assert again.code == 1 and "no fitted model to roll back" in again.err
