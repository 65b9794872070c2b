"""How much a call's words count: the same for every call however long, so forty turns
of small talk cannot outvote what the call found (a booking, an out-of-area)."""

from __future__ import annotations

import math

from core.classify.model import WORD_BUDGET, WORD_VALUE, features
from core.classify.profile import default_profile
from core.classify.reading import Reader
from tests.classify.calls import call_saying

READER = Reader(default_profile())
WORDS = [f"word{i}" for i in range(400)]


def caller_word_values(n: int) -> list[float]:
    said = " ".join(WORDS[:n])
    call = call_saying(("agent", "Thanks for calling, this is Jo."), ("caller", said))
    return [v for k, v in features(READER.read(call)).items() if k.startswith("c:")]


def test_a_short_callers_words_each_count_in_full():
    values = caller_word_values(5)
    assert values and all(v == WORD_VALUE for v in values)


def test_a_long_callers_words_share_the_weight_a_short_call_may_have():
    values = caller_word_values(400)
    assert all(v < WORD_VALUE / 2 for v in values)
    length = math.sqrt(sum(v * v for v in values))
    assert math.isclose(length, WORD_VALUE * math.sqrt(WORD_BUDGET))
