"""How good the embedded classifier is: precision, recall and calibration per labelled set,
and leave-one-writer-out (a model trained without a writer's calls, scored on them).

Run: .venv/bin/python -m tests.classify.evaluate [--lowo] [--wrong] [--set FILE PROFILE]

  (no option)   the shipped model on every training set (it learned from them: an
                upper bound, not a measure)
  --lowo        leave-one-writer-out: the honest measure on writers the model never saw
  --lowo-fast   the same without calibrating each model (precision and recall only)
  --set F P     one labelled file F judged against the profile P (e.g. a blind set)
  --wrong       also list every wrong verdict with its confidence and reason
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.classify.embedded import EmbeddedClassifier
from core.classify.model import Model
from core.classify.training import Example, featurise, fit_weights, train
from tests.classify.sets import TRAINING_SETS, LabelledSet

BINS = 10


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    judged: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right)
    wrong: list[str] = field(default_factory=list)

    def add(self, lead: bool, truth: bool, confidence: float, what: str) -> None:
        if lead and truth:
            self.tp += 1
        elif lead:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1
        self.judged.append((confidence, lead == truth))
        if lead != truth:
            self.wrong.append(f"{'FP' if lead else 'FN'} {confidence:.2f} {what}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def ece(self) -> float:
        """Expected calibration error over ten bins of stated confidence."""
        n = len(self.judged)
        if not n:
            return 0.0
        total = 0.0
        for b in range(BINS):
            low, high = 0.5 + b * 0.05, 0.5 + (b + 1) * 0.05  # confidence is 0.5..1
            inside = [
                (c, r) for c, r in self.judged if low <= c < high or (b == BINS - 1 and c == 1.0)
            ]
            if inside:
                stated = sum(c for c, _ in inside) / len(inside)
                right = sum(r for _, r in inside) / len(inside)
                total += len(inside) / n * abs(stated - right)
        return total

    @property
    def sure_but_wrong(self) -> tuple[int, int]:
        """(wrong, all) among the verdicts stated with confidence >= 0.9."""
        sure = [r for c, r in self.judged if c >= 0.9]
        return sum(not r for r in sure), len(sure)

    def __str__(self) -> str:
        wrong, sure = self.sure_but_wrong
        return (
            f"{len(self.judged):4d} calls: precision {self.precision:.3f}, "
            f"recall {self.recall:.3f}, "
            f"ECE {self.ece:.3f}, wrong at >=0.9: {wrong}/{sure} "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def score(examples: Sequence[Example], model: Model | None = None) -> Score:
    result = Score()
    classifiers: dict[int, EmbeddedClassifier] = {}
    for example in examples:
        classifier = classifiers.get(id(example.profile))
        if classifier is None:
            classifier = classifiers[id(example.profile)] = EmbeddedClassifier(
                example.profile, model
            )
        verdict = classifier.classify(example.call)
        result.add(
            verdict.lead,
            example.lead,
            verdict.confidence,
            f"{example.call.external_id} {verdict.reason}",
        )
    return result


def leave_one_writer_out(sets: Sequence[LabelledSet], fast: bool = False) -> dict[str, Score]:
    """With `fast`, the models are not calibrated (a quick look at precision and recall)."""
    examples = {s.name: s.examples() for s in sets}
    results = {}
    for s in sets:
        rest = [e for name, found in examples.items() if name != s.name for e in found]
        if fast:
            model = fit_weights(featurise(rest), [e.lead for e in rest])
        else:
            model = train(rest, f"without {s.writer}")
        results[s.name] = score(examples[s.name], model)
    return results


def pooled(results: dict[str, Score]) -> Score:
    total = Score()
    for r in results.values():
        total.tp += r.tp
        total.fp += r.fp
        total.fn += r.fn
        total.tn += r.tn
        total.judged += r.judged
    return total


def report(results: dict[str, Score], wrong: bool) -> None:
    for name, result in results.items():
        print(f"{name:24s} {result}")
        if wrong:
            for line in result.wrong:
                print(f"      {line}")
    print(f"{'all':24s} {pooled(results)}")


def main() -> None:
    wrong = "--wrong" in sys.argv
    if "--set" in sys.argv:
        from pathlib import Path

        at = sys.argv.index("--set")
        labelled = LabelledSet("set", "blind", Path(sys.argv[at + 1]), Path(sys.argv[at + 2]))
        report({labelled.calls.parent.name: score(labelled.examples())}, wrong)
    elif "--lowo" in sys.argv or "--lowo-fast" in sys.argv:
        print("leave-one-writer-out: each set judged by a model trained without its writer")
        report(leave_one_writer_out(TRAINING_SETS, "--lowo-fast" in sys.argv), wrong)
    else:
        print("the shipped model on the sets it learned from (not a measure of quality)")
        report({s.name: score(s.examples()) for s in TRAINING_SETS}, wrong)


if __name__ == "__main__":
    main()
