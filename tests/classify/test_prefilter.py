"""What a pattern needs before it can match: the strings the fast matcher scans for."""

from __future__ import annotations

import re

from core.classify.prefilter import MAX_STRINGS, required_clauses


def test_a_run_of_letters_is_needed_as_it_is():
    assert required_clauses(r"\bsewage\b") == (frozenset({"sewage"}),)


def test_small_groups_of_alternatives_multiply_out_with_their_neighbours():
    assert required_clauses(r"\bice[ds]? (up|over)\b") == (
        frozenset({"ice up", "iced up", "ices up", "ice over", "iced over", "ices over"}),
    )


def test_a_look_behind_consumes_nothing_and_leaves_the_words_around_it_joined():
    assert required_clauses(r"(?<!water )\bheat(er)? out\b") == (
        frozenset({"heat out", "heater out"}),
    )


def test_a_gap_of_any_text_splits_the_pattern_into_two_needs():
    assert required_clauses(r"\bno heat\b.{0,30}\bbaby\b") == (
        frozenset({"no heat"}),
        frozenset({"baby"}),
    )


def test_too_many_alternatives_start_a_new_stretch_and_every_string_still_matches():
    words = "|".join(f"w{i:02d}" for i in range(MAX_STRINGS))
    pattern = rf"\bmy ({words}) is (hot|cold)\b"
    clauses = required_clauses(pattern)
    assert all(len(clause) <= MAX_STRINGS for clause in clauses)
    text = "my w07 is cold"
    assert re.search(pattern, text)
    assert all(any(s in text for s in clause) for clause in clauses)


def test_strings_shorter_than_three_letters_are_not_worth_scanning_for():
    assert required_clauses(r"\b(ac|hi)\b") == ()


def test_a_case_blind_pattern_gets_no_shortcut():
    assert required_clauses(r"(?i)\bfurnace\b") == ()
