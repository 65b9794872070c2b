"""The lexicon: what the words of a call say, learned from labelled calls."""

from __future__ import annotations

from collections import Counter

import pytest

from core.classify import lexicon
from core.classify.embedded import EmbeddedClassifier
from core.classify.lexicon import Lexicon
from tests.classify.test_embedded import call


def test_a_customers_word_counts_with_its_customer_weight():
    words = Lexicon(0.0, {"c:leak": 2.0, "a:leak": -1.0})
    assert words.score([("There's a leak", False)]) == pytest.approx(2.0)
    assert words.score([("There's a leak", True)]) == pytest.approx(-1.0)


def test_a_word_anyone_says_counts_for_either_speaker():
    words = Lexicon(-0.5, {"w:leak": 1.0})
    assert words.score([("a leak", False), ("the leak", True)]) == pytest.approx(1.5)


def test_pairs_of_neighbouring_words_are_grams_too():
    assert lexicon.grams("No hot water!") == ["no", "hot", "water", "no hot", "hot water"]


def test_spanish_words_keep_their_accents():
    assert "aire" in lexicon.grams("El aire no enfría") and "enfría" in lexicon.grams("no enfría")


def test_features_count_each_gram_by_anyone_and_by_its_speaker():
    found = lexicon.features([("leak leak", False), ("leak", True)])
    assert found["w:leak"] == 3 and found["c:leak"] == 2 and found["a:leak"] == 1


def test_each_lines_leaning_is_the_sum_of_its_words():
    words = Lexicon(0.0, {"c:leak": 2.0, "c:price": 0.5, "c:wrong number": -3.0})
    leanings = words.leanings([("a leak, what price", False), ("wrong number", False)])
    assert leanings == pytest.approx([2.5, -3.0])


def test_training_learns_which_words_mean_a_lead():
    examples = [
        (Counter({"c:leak": 1, "c:today": 1}), True),
        (Counter({"c:leak": 1}), True),
        (Counter({"c:hiring": 1}), False),
        (Counter({"c:hiring": 1, "c:today": 1}), False),
    ] * 5
    learned = lexicon.train(examples)
    assert learned.weights["c:leak"] > 0 > learned.weights["c:hiring"]
    assert learned.score([("leak", False)]) > 0 > learned.score([("hiring", False)])


def test_saved_weights_round_trip_and_small_ones_are_left_out(tmp_path):
    path = tmp_path / "lexicon.json"
    kept = lexicon.save(Lexicon(0.25, {"c:leak": 1.23456, "c:the": 0.001}), path)
    again = Lexicon.from_file(path)
    assert kept == 1 and again.bias == 0.25 and again.weights == {"c:leak": 1.2346}


def test_words_the_cues_do_not_know_can_make_a_lead():
    classifier = EmbeddedClassifier(lexicon=Lexicon(0.0, {"c:gizmo": 6.0}))
    result = classifier.classify(call("My gizmo quit on me.", "Okay."))
    assert result.lead
    assert result.reason.startswith("Caller needs service")
    assert 1 in result.evidence  # the line whose words decided


def test_words_can_outweigh_the_cues_and_the_evidence_shows_them():
    classifier = EmbeddedClassifier(lexicon=Lexicon(0.0, {"c:quarterly newsletter": -9.0}))
    result = classifier.classify(
        call(
            "My water heater is leaking, how much to fix it?",
            "Sure.",
            "For the quarterly newsletter.",
        )
    )
    assert not result.lead
    assert 3 in result.evidence  # the line whose words decided
