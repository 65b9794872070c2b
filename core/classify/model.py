"""The learned part of the embedded classifier: how much each thing a call says counts.

A logistic model over (1) what the reading found — a need the brand sells, said by
the caller; a service it does not sell; out of area; each cue; a voicemail — and
(2) the words and word pairs of the caller and of the company, apart. It is trained
on labelled calls from many writers (`python -m tests.classify.train_model`), and
its log-odds are calibrated on calls held out of training, so a confidence of 0.8 is
right about 80 % of the time. The weights are plain data in data/model.json.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from core.classify.cues import CUES, Kind
from core.classify.reading import Reading
from core.classify.roles import Role

MODEL_FILE = Path(__file__).with_name("data") / "model.json"
WORD = re.compile(r"[a-z\u00e0-\u00ff']+|\d+")
# Words count for less than findings: each writer has verbal habits, and a model that
# leans on words learns the writer; scaling a feature down regularises it harder.
WORD_VALUE = 0.7
# A long call says more words, not more of what it means: past this many words and word
# pairs, a side's words share their weight (so forty turns of small talk cannot outvote
# "you're all set for Friday").
WORD_BUDGET = 80
# Words every call has: their weights would only learn how each writer talks.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "is",
        "it",
        "its",
        "it's",
        "i",
        "i'm",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "this",
        "that",
        "there",
        "be",
        "was",
        "are",
        "am",
        "do",
        "did",
        "have",
        "has",
        "had",
        "just",
        "um",
        "uh",
        "like",
        "yeah",
        "okay",
        "ok",
        "oh",
        "well",
    ]
)
KINDS = {cue.name: cue.kind for cue in CUES}
CANCELS = {cue.name: cue.cancels for cue in CUES}
ALONE = {cue.name: cue.alone for cue in CUES}


def counting_cues(reading: Reading) -> list[str]:
    """The cues found that count: not cancelled by a rescue, and no rescue that had
    nothing to undo unless it counts alone ("we cover Buda" with no "too far" before)."""
    cancelled = {n for name in reading.cues for n in CANCELS.get(name, ())}
    undid_something = bool(cancelled & set(reading.cues))

    def counts(name: str) -> bool:
        lone_rescue = KINDS[name] is Kind.RESCUE and not ALONE[name] and not undid_something
        return name not in cancelled and not lone_rescue

    return [name for name in reading.cues if counts(name)]


def grams(text: str) -> list[str]:
    words = WORD.findall(text)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def _bucket(n: int, edges: Iterable[int]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


def features(reading: Reading) -> dict[str, float]:
    """What the model weighs, as {name: value}; names say what they are."""
    found: dict[str, float] = {}
    caller = reading.text(Role.CALLER)
    company = reading.text(Role.COMPANY)
    need_in = [n for n in reading.needs if n.in_brand and n.by_caller] or [
        n for n in reading.needs if n.in_brand and not n.by_caller and reading.roles.voicemail
    ]
    need_out = [n for n in reading.needs if not n.in_brand and n.by_caller]
    if need_in or reading.also:
        found["s:need"] = 1.0
    elif any(n.in_brand for n in reading.needs):
        found["s:need_company_only"] = 1.0
    if need_out and not need_in and not reading.also:
        found["s:need_not_sold"] = 1.0
    elif need_out:
        found["s:need_also_not_sold"] = 1.0
    if reading.turned_away:
        found["s:turned_away"] = 1.0
    if reading.out_of_area:
        found["s:out_of_area"] = 1.0
    if reading.in_area:
        found["s:in_area"] = 1.0
    if reading.roles.voicemail:
        found["s:voicemail"] = 1.0
        if need_in:
            found["s:voicemail_need"] = 1.0
    if reading.never_offered is not None:
        found["s:never_offered"] = 1.0
    if reading.window_and_address is not None:
        found["s:time_and_address"] = 1.0
        if "dropped" in reading.cues and reading.cues["dropped"][-1] > reading.window_and_address:
            found["s:time_and_address_then_dropped"] = 1.0
    live = [r for r in reading.roles.roles if r is not Role.SYSTEM]
    if live and live[-1] is Role.COMPANY and need_in:
        found["s:company_spoke_last"] = 1.0  # an offer or a question left unanswered
    if reading.training_note:
        found["s:training_note"] = 1.0
    words = len(WORD.findall(caller))
    found["s:caller_words_" + _bucket(words, (0, 8, 25, 80, 250))] = 1.0
    first_rule_out = min(
        (lines[0] for name, lines in reading.cues.items() if KINDS[name] is Kind.RULE_OUT),
        default=None,
    )
    if first_rule_out is not None and need_in and need_in[-1].line > first_rule_out:
        found["s:need_after_rule_out"] = 1.0
    # A rescue undoes the rule-outs it cancels: the technician never came (so it is not
    # just a question about an existing job), the landlord pays, the misdialler has a need.
    counting = counting_cues(reading)
    for name in counting:
        found["q:" + name] = 1.0
        if need_in:
            found[f"q:{name}+need"] = 1.0
    ruled_out = any(KINDS[n] is Kind.RULE_OUT for n in counting)
    if (need_in or reading.also) and not ruled_out and "s:need_not_sold" not in found:
        found["s:need_nothing_against"] = 1.0
    for side, text in (("c:", caller), ("a:", company)):
        said = set(grams(text)) - STOP_WORDS
        value = WORD_VALUE * min(1.0, math.sqrt(WORD_BUDGET / len(said))) if said else 0.0
        for gram in said:
            found[side + gram] = value
    return found


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    scale: float = 1.0  # calibration: P(lead) = sigmoid(scale * score + shift)
    shift: float = 0.0
    version: str = "untrained"

    def score(self, found: dict[str, float]) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) * value for name, value in found.items())

    def probability(self, score: float) -> float:
        z = max(-30.0, min(30.0, self.scale * score + self.shift))
        return 1 / (1 + math.exp(-z))

    def to_json(self) -> str:
        data = {
            "version": self.version,
            "bias": round(self.bias, 5),
            "calibration": {"scale": round(self.scale, 5), "shift": round(self.shift, 5)},
            "weights": {k: round(w, 5) for k, w in sorted(self.weights.items())},
        }
        return json.dumps(data, indent=0, ensure_ascii=False, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        calibration = data.get("calibration", {})
        return cls(
            float(data["bias"]),
            {k: float(v) for k, v in data["weights"].items()},
            float(calibration.get("scale", 1.0)),
            float(calibration.get("shift", 0.0)),
            str(data.get("version", "untrained")),
        )


@cache
def default_model() -> Model:
    return Model.from_json(MODEL_FILE.read_text(encoding="utf-8"))
