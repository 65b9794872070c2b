"""`scl classify`: verdicts for the calls of an export file, no database involved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.classify.base import (
    CallForReview,
    Classifier,
    ClassifierError,
    Verdict,
    call_for_review,
)
from core.domain.review_rules import why_not_reviewed
from core.services.ingest import CallRecord, Problem, RowError, parse_call, read_rows


@dataclass(frozen=True)
class Outcome:
    external_id: str | None
    verdict: Verdict | None = None
    problem: Problem | None = None


def classify_file(classifier: Classifier, path: Path) -> Iterator[Outcome]:
    for line, raw in read_rows(path):
        try:
            if isinstance(raw, RowError):
                raise raw
            record = parse_call(raw)
        except RowError as error:
            yield Outcome(None, problem=Problem(str(path), line, error.field, error.message))
            continue
        skipped = why_not_reviewed(record.direction, record.job_booked)
        if skipped is not None:  # the worker never reviews it: no classifier, no cloud
            yield Outcome(record.external_id, verdict=Verdict(False, 1.0, skipped, (), skipped))
            continue
        try:
            yield Outcome(record.external_id, verdict=classifier.classify(as_call(record)))
        except ClassifierError as error:
            yield Outcome(record.external_id, problem=Problem(str(path), line, None, error.message))


def as_call(record: CallRecord) -> CallForReview:
    return call_for_review(record, record.customer_name, record.transcript)
