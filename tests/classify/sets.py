"""Every labelled set of calls, who wrote it, and the company profile it is judged against.

A set's writer is the person (or helper) who wrote its calls; leave-one-writer-out
scoring keeps a writer's calls out of the model that judges them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.classify.base import CallForReview
from core.classify.profile import CompanyProfile, parse_profile
from core.classify.training import Example
from core.services.classify_file import as_call
from core.services.ingest import parse_call

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


@dataclass(frozen=True)
class LabelledSet:
    name: str
    writer: str
    calls: Path
    profile: Path

    def rows(self) -> Iterator[tuple[dict[str, Any], bool]]:
        for line in self.calls.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if "label" in row:
                yield row, bool(row["label"]["lead"])
            elif (  # the demo: what each reviewed call is meant to get
                row.get("demo", {}).get("verdict")
                and row["direction"] == "inbound"
                and not row["job_booked"]
            ):
                yield row, bool(row["demo"]["verdict"]["lead"])

    def company(self) -> CompanyProfile:
        return parse_profile(self.profile.read_text(encoding="utf-8"), str(self.profile))

    def examples(self) -> list[Example]:
        profile = self.company()
        return [Example(call(row), lead, profile, self.writer) for row, lead in self.rows()]


def call(row: dict[str, Any]) -> CallForReview:
    # The classifier never reads the phone number; UK numbers without +44 are not
    # numbers the importer's default region accepts.
    return as_call(parse_call({**row, "customer_phone": "+15125550100"}))


EVAL = HERE / "eval"
CORPUS = HERE / "corpus"

# What the model learns from. Blind sets D and E were each scored once, at the end of
# the session that had them written, before they joined the training sets; the blind set
# of a session is never here until it has been scored.
TRAINING_SETS: tuple[LabelledSet, ...] = (
    LabelledSet("first set", "eval1", EVAL / "calls.jsonl", EVAL / "profile.toml"),
    LabelledSet(
        "blind set", "eval2", EVAL / "blind" / "calls.jsonl", EVAL / "blind" / "profile.toml"
    ),
    LabelledSet(
        "third set", "eval3", EVAL / "third" / "calls.jsonl", EVAL / "third" / "profile.toml"
    ),
    LabelledSet(
        "demo",
        "demo",
        ROOT / "data" / "demo" / "calls.jsonl",
        ROOT / "data" / "demo" / "profile.toml",
    ),
    LabelledSet(
        "blind set D",
        "blind_d",
        EVAL / "blind_d" / "calls.jsonl",
        EVAL / "blind_d" / "profile.toml",
    ),
    LabelledSet(
        "blind set E",
        "blind_e",
        EVAL / "blind_e" / "calls.jsonl",
        EVAL / "blind_e" / "profile.toml",
    ),
    *(
        LabelledSet(f"corpus {d.name}", d.name, d / "calls.jsonl", d / "profile.toml")
        for d in sorted(CORPUS.iterdir())
        if (d / "calls.jsonl").exists()
    ),
)

# Scored once, at the end of the session that had it written (its README keeps the
# record); a regression check since, not training data.
BLIND_F = LabelledSet(
    "blind set F", "w_blind_f", EVAL / "blind_f" / "calls.jsonl", EVAL / "blind_f" / "profile.toml"
)
BLIND_G = LabelledSet(
    "blind set G", "w_blind_g", EVAL / "blind_g" / "calls.jsonl", EVAL / "blind_g" / "profile.toml"
)
