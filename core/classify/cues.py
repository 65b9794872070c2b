"""The embedded classifier's cues: what callers and agents say, and what it means.

Each cue is a set of phrases (regular expressions over folded, lower-cased text), the
direction it points (a push keeps a need alive, a rule-out says the call is no sales
opportunity, a rescue undoes a rule-out) and the words the classifier uses when it
explains itself. How much each cue counts is learned (core.classify.model); what a
brand sells is the trade catalog's (data/trades.toml) and the company profile's, never
a cue's. The cues themselves are data: data/cues.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

CUES_FILE = Path(__file__).with_name("data") / "cues.toml"


class Kind(StrEnum):
    PUSH = "push"  # urgency, or a reason the call ended unbooked: keeps a need alive
    RULE_OUT = "rule_out"  # not a sales opportunity
    RESCUE = "rescue"  # undoes a rule-out: the technician never came, the landlord pays


@dataclass(frozen=True)
class Cue:
    name: str
    kind: Kind
    weight: float  # the direction, and a starting strength before any learning
    phrases: tuple[str, ...]
    says: str  # how the reason line puts it
    who: str = "any"  # "customer": only the caller's lines; "agent": only the company's
    cancels: tuple[str, ...] = ()  # rule-outs this cue undoes
    statements_only: bool = False  # ignore questions ("shall I put you down for…?")
    alone: bool = True  # a rescue that counts even with nothing to cancel


def load_cues(path: Path = CUES_FILE) -> tuple[Cue, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Cue(
            name=cue["name"],
            kind=Kind(cue["kind"]),
            weight=float(cue["weight"]),
            phrases=tuple(cue["phrases"]),
            says=cue["says"],
            who=cue.get("who", "any"),
            cancels=tuple(cue.get("cancels", ())),
            statements_only=bool(cue.get("statements_only", False)),
            alone=bool(cue.get("alone", True)),
        )
        for cue in data["cue"]
    )


CUES: tuple[Cue, ...] = load_cues()
