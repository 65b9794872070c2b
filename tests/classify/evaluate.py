"""Precision and recall of a classifier on a labelled set of calls.

Run: .venv/bin/python -m tests.classify.evaluate [FILE] [SPLIT]
(default: every labelled set under tests/classify/eval, by split)
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from core.classify.base import Classifier
from core.classify.embedded import EmbeddedClassifier
from core.services.classify_file import as_call
from core.services.ingest import parse_call

EVAL = Path(__file__).with_name("eval")
SETS = {
    "first set": EVAL / "calls.jsonl",
    "blind set": EVAL / "blind" / "calls.jsonl",
    "third set": EVAL / "third" / "calls.jsonl",
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def __str__(self) -> str:
        n = self.tp + self.fp + self.fn + self.tn
        return (
            f"{n} calls: precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def score(path: Path, classifier: Classifier | None = None) -> dict[str, Score]:
    """Scores by split ("all" for the whole file)."""
    classifier = classifier or EmbeddedClassifier()
    scores: dict[str, Score] = defaultdict(Score)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        label = row["label"]
        verdict = classifier.classify(as_call(parse_call(row)))
        for split in ("all", label.get("split", "all")):
            s = scores[split]
            if verdict.lead and label["lead"]:
                s.tp += 1
            elif verdict.lead:
                s.fp += 1
                s.wrong.append(f"FP {row['external_id']} [{label['cue']}] {verdict.reason}")
            elif label["lead"]:
                s.fn += 1
                s.wrong.append(f"FN {row['external_id']} [{label['cue']}] {verdict.reason}")
            else:
                s.tn += 1
            if split == "all" and label.get("split", "all") == "all":
                break
    return dict(scores)


def main() -> None:
    targets = {Path(sys.argv[1]).name: Path(sys.argv[1])} if len(sys.argv) > 1 else SETS
    for name, path in targets.items():
        if not path.exists():
            continue
        for split, result in sorted(score(path).items()):
            print(f"{name} / {split}: {result}")
            for wrong in result.wrong:
                print(f"    {wrong}")


if __name__ == "__main__":
    main()
