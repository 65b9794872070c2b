"""What a pattern needs before it can match: the strings the fast matcher scans for."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.classify import prefilter
from core.classify.catalog import default_catalog
from core.classify.cues import CUES
from core.classify.embedded import EmbeddedClassifier
from core.classify.prefilter import MAX_STRINGS, Clauses, required_clauses
from tests.classify.every_regex import EveryRegexOnEveryLine
from tests.classify.sets import TRAINING_SETS
from tests.classify.sets import call as sets_call


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


def test_alternatives_sharing_their_first_words_keep_them_in_every_string():
    assert required_clauses(r"\b(no calienta|no prende el calent\w*)\b") == (
        frozenset({"no calienta", "no prende el calent"}),
    )


def test_the_prefilter_reads_patterns_without_cpythons_private_parser():
    # re._parser (sre_parse) changes between Python versions; the prefilter must not need it.
    source = Path(prefilter.__file__).read_text(encoding="utf-8")
    imported = {
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if "_parser" in name or "sre_" in name}


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bmy [](]bill\b", {"my ]bill", "my (bill"}),  # "]" first in a set is a letter
        (r"\bwhat\? that's\b", {"what? that's"}),  # an escaped "?" is the letter
        (r"\bcall(ed|ing)?? back\b", {"call back", "called back", "calling back"}),  # lazy
        (r"\bleak{2} now\b", {"lea", " now"}),  # a repeat of two is no list of texts
        (r"\bgas[^h]leak\b", {"gas", "leak"}),  # a negated set is any letter
        (r"\bno [a-c]ir\b", {"no "}),  # a range too
    ],
)
def test_the_syntax_the_lexicon_uses_is_read_as_re_reads_it(pattern, needed):
    clauses = required_clauses(pattern)
    assert {s for clause in clauses for s in clause} == needed


@pytest.mark.parametrize(
    "pattern",
    [r"\b(sewage)\1\b", r"(?x) sewage", r"\bsew{age\b", r"\bsew\x61ge\b", r"\bsew(?i:age)\b"],
)
def test_syntax_the_parser_does_not_know_gets_no_shortcut(pattern):
    assert required_clauses(pattern) == ()


@pytest.mark.parametrize("labelled", TRAINING_SETS, ids=lambda s: s.writer)
def test_the_prefilter_changes_no_verdict_of_a_labelled_set(labelled):
    fast = EmbeddedClassifier(labelled.company())
    slow = EmbeddedClassifier(labelled.company())
    slow.reader._matcher = EveryRegexOnEveryLine(slow.reader._matcher.regexes)
    for row, _lead in labelled.rows():
        call = sets_call(row)
        assert fast.classify(call) == slow.classify(call), row["external_id"]


def _every_phrase() -> list[str]:
    """Every pattern the classifier runs: the cues and the services of the built-in
    catalog and of every labelled set's company."""
    catalogs = [default_catalog(), *(labelled.company().catalog for labelled in TRAINING_SETS)]
    words = {word for catalog in catalogs for service in catalog.services for word in service.words}
    return sorted(words | {phrase for cue in CUES for phrase in cue.phrases})


def test_every_text_a_lexicon_pattern_matches_holds_the_strings_its_prefilter_needs():
    """Texts made by hypothesis from each pattern as `re` reads it: a string the parser
    takes for needed that such a text lacks would drop a match without a word."""
    phrases = _every_phrase()
    alphabet = st.sampled_from(sorted(set("".join(phrases)) | set(string.ascii_lowercase)))
    misread = []
    for pattern in phrases:
        clauses = required_clauses(pattern)
        if clauses:
            try:
                _holds_every_clause(pattern, clauses, alphabet)
            except AssertionError as failure:
                misread.append(f"{pattern}: {failure}")
    assert not misread, misread[:5]


def _holds_every_clause(pattern: str, clauses: Clauses, alphabet: st.SearchStrategy) -> None:
    # \b and look-arounds are met by generating and filtering: slow, but no fault.
    @settings(
        max_examples=5,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    )
    @given(st.from_regex(re.compile(pattern), alphabet=alphabet))
    def check(text: str) -> None:
        assert all(any(s in text for s in clause) for clause in clauses), repr(text)

    check()
