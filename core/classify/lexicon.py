"""What the words of a call say, learned from labelled calls.

The cues (core.classify.cues) know the phrases we wrote down; callers say far
more than that. The lexicon is a logistic model over the words and word pairs of
a call, as said by the customer, by the agent or by anyone, learned from the
labelled sets in tests/classify/eval (`python -m tests.classify.train_lexicon`).
Its weights are plain data in lexicon.json: a word's weight is how much saying
it moves a call towards being a lead.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise, repeat
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("lexicon.json")
WORD = re.compile(r"[a-záéíóúüñ']+")
ZEROS = repeat(0.0)  # the default of every weight lookup, for map()


def grams(text: str) -> list[str]:
    """The words of a line and its pairs of neighbouring words."""
    words = WORD.findall(text.lower())
    return words + list(map(" ".join, pairwise(words)))


def _weigh(table: dict[str, float], text: str) -> float:
    """The sum of the weights of a text's grams (what grams() lists, without the list)."""
    words = WORD.findall(text.lower())
    return sum(map(table.get, chain(words, map(" ".join, pairwise(words))), ZEROS))


def by_speaker(lines: Iterable[tuple[str, bool]]) -> tuple[str, str]:
    """What the customer said and what the agent said, from (text, said by the agent)
    pairs, each as one text (a word pair may span two lines of one speaker)."""
    customer = "\n".join(text for text, by_agent in lines if not by_agent)
    agent = "\n".join(text for text, by_agent in lines if by_agent)
    return customer, agent


def features(lines: Iterable[tuple[str, bool]]) -> Counter[str]:
    """A call's features: how often it says each gram, by anyone ("w:") and by each
    speaker ("c:" customer, "a:" agent). Counts add up line by line, so a line's share
    of the score is simply the sum of its grams' weights."""
    found: Counter[str] = Counter()
    for role, text in zip(("c:", "a:"), by_speaker(list(lines)), strict=True):
        for gram in grams(text):
            found["w:" + gram] += 1
            found[role + gram] += 1
    return found


@dataclass(frozen=True)
class Lexicon:
    bias: float
    weights: dict[str, float]

    @classmethod
    def from_file(cls, path: Path = LEXICON_FILE) -> Lexicon:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})

    def __post_init__(self) -> None:
        # One lookup per gram when scoring: anyone's weight plus the speaker's.
        anyone = {k[2:]: w for k, w in self.weights.items() if k.startswith("w:")}
        customer, agent = dict(anyone), dict(anyone)
        for key, weight in self.weights.items():
            table = {"c:": customer, "a:": agent}.get(key[:2])
            if table is not None:
                table[key[2:]] = table.get(key[2:], 0.0) + weight
        object.__setattr__(self, "_tables", (anyone, customer, agent))

    def score(self, lines: Sequence[tuple[str, bool]]) -> float:
        """The call's log-odds of being a lead, from (text, said by the agent) pairs."""
        _, customer, agent = self._tables  # type: ignore[attr-defined]
        by_customer, by_agent = by_speaker(lines)
        return self.bias + _weigh(customer, by_customer) + _weigh(agent, by_agent)

    def leanings(self, lines: Sequence[tuple[str, bool]]) -> list[float]:
        """How far each line's words lean towards a lead (negative: away from one)."""
        _, customer, agent = self._tables  # type: ignore[attr-defined]
        return [_weigh(agent if by_agent else customer, text) for text, by_agent in lines]


def train(
    examples: Sequence[tuple[Counter[str], bool]],
    *,
    l2: float = 0.05,
    epochs: int = 30,
    rate: float = 0.1,
    seed: int = 1,
) -> Lexicon:
    """Logistic regression by stochastic gradient descent over (features, is a lead).

    It learns from the words alone, not from what the cues leave over: the cues were
    tuned on these calls, so their leftovers would teach it nothing."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(examples)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            found, lead = examples[i]
            z = bias + sum(weights.get(f, 0.0) * n for f, n in found.items())
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            gradient = p - (1.0 if lead else 0.0)
            bias -= rate * gradient
            for f, n in found.items():
                weights[f] = weights.get(f, 0.0) * (1 - rate * l2) - rate * gradient * n
    return Lexicon(bias, weights)


def save(lexicon: Lexicon, path: Path = LEXICON_FILE, *, keep_above: float = 0.01) -> int:
    """Writes the weights that matter, rounded, in a stable order; returns how many."""
    kept = {k: round(w, 4) for k, w in sorted(lexicon.weights.items()) if abs(w) >= keep_above}
    data = {"bias": round(lexicon.bias, 4), "weights": kept}
    path.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(kept)


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.from_file()
