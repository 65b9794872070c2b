"""Learns core/classify/lexicon.json from the labelled sets the classifier may learn from.

Run: .venv/bin/python -m tests.classify.train_lexicon [--check | --cross]

--check  exit 1 if lexicon.json is not what training gives (it is deterministic)
--cross  learn from each set alone and judge on the other: how well words learned from
         one company's calls carry over to another's

It learns from the first and the blind set and from the demo's calls (data/demo, labelled
by the verdict the demo means each to get). The third set (eval/third) is never learned
from: it is what the classifier is judged on.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from core.classify import lexicon
from core.classify.embedded import EmbeddedClassifier, speaker_roles
from core.services.classify_file import as_call
from core.services.ingest import parse_call
from tests.classify.evaluate import SETS, score

LEARN_FROM = ("first set", "blind set")
DEMO = Path(__file__).parents[2] / "data" / "demo" / "calls.jsonl"


def labelled(name: str) -> list[tuple[dict[str, Any], bool]]:
    """(call, is a lead) for a labelled set, or for the demo's calls that get reviewed."""
    if name == "demo":
        rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
        return [
            (row, bool(row["demo"]["verdict"]["lead"]))
            for row in rows
            if row.get("demo", {}).get("verdict")
        ]
    rows = [json.loads(line) for line in SETS[name].read_text(encoding="utf-8").splitlines()]
    return [(row, bool(row["label"]["lead"])) for row in rows]


def examples(names: tuple[str, ...] = (*LEARN_FROM, "demo")) -> list[tuple[Counter[str], bool]]:
    found: list[tuple[Counter[str], bool]] = []
    for name in names:
        for row, lead in labelled(name):
            call = as_call(parse_call(row))
            roles = speaker_roles(call.transcript)
            said = [
                (line.text, by_agent) for line, by_agent in zip(call.transcript, roles, strict=True)
            ]
            found.append((lexicon.features(said), lead))
    return found


def build(path: Path) -> int:
    return lexicon.save(lexicon.train(examples()), path)


def classifier_from(names: tuple[str, ...]) -> EmbeddedClassifier:
    """The embedded classifier with a lexicon learned from these sets only."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lexicon.json"
        lexicon.save(lexicon.train(examples(names)), path)
        return EmbeddedClassifier(lexicon=lexicon.Lexicon.from_file(path))


def cross() -> None:
    for learn, judge in (LEARN_FROM, LEARN_FROM[::-1]):
        result = score(SETS[judge], classifier_from((learn,)))["all"]
        print(f"learned from the {learn}, judged on the {judge}: {result}")


def main() -> None:
    if "--cross" in sys.argv:
        cross()
        return
    if "--check" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "lexicon.json"
            build(fresh)
            same = fresh.read_bytes() == lexicon.LEXICON_FILE.read_bytes()
        print("lexicon.json is up to date" if same else "lexicon.json is stale: retrain")
        sys.exit(0 if same else 1)
    kept = build(lexicon.LEXICON_FILE)
    print(f"wrote {lexicon.LEXICON_FILE} ({kept} weights)")


if __name__ == "__main__":
    main()
