"""What a classifier reads and what it answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.errors import SclError

LEAD_REASON_START = "Caller needs "
"""How the embedded classifier starts every lead's reason; the lead list leaves it out."""


@dataclass(frozen=True)
class Line:
    """One transcript segment as the classifier sees it; `index` is its position."""

    index: int
    speaker: str  # "agent", "customer", or whatever the phone system called it
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class CallForReview:
    """A call with everything a classifier may use: transcript and metadata."""

    external_id: str
    direction: str
    started_at: datetime
    ended_at: datetime
    call_type: str | None
    csr_notes: str | None
    customer_name: str | None
    job_booked: bool
    transcript: tuple[Line, ...]
    brand: str | None = None  # the brand the call came in on, when the phone system says
    recording: bool = False  # a recording of the call exists (never sent to a model)


class _Said(Protocol):
    speaker: str
    start: float
    end: float
    text: str


class _CallFields(Protocol):
    external_id: str
    recording: str | None
    direction: str
    started_at: datetime
    ended_at: datetime
    call_type: str | None
    csr_notes: str | None
    job_booked: bool


def call_for_review(
    call: _CallFields, customer_name: str | None, segments: Iterable[_Said]
) -> CallForReview:
    """What a classifier sees of a stored call or of an exported record."""
    return CallForReview(
        external_id=call.external_id,
        direction=call.direction,
        started_at=call.started_at,
        ended_at=call.ended_at,
        call_type=call.call_type,
        csr_notes=call.csr_notes,
        customer_name=customer_name,
        job_booked=call.job_booked,
        transcript=tuple(
            Line(i, s.speaker, s.start, s.end, s.text) for i, s in enumerate(segments)
        ),
        brand=getattr(call, "brand", None),
        recording=bool(call.recording),
    )


@dataclass(frozen=True)
class Verdict:
    """What a classifier concluded about one call."""

    lead: bool
    confidence: float  # 0..1, confidence in `lead` as stated
    reason: str  # one line, for the lead list
    evidence: tuple[int, ...]  # transcript line indexes behind the verdict
    summary: str  # agent-ready: who, what they need, why not booked, what to say


class ClassifierError(SclError):
    """The classifier could not answer now; the call stays due and is tried again."""

    title = "Review delayed"


class Classifier(Protocol):
    name: str
    batch_size: int
    """How many calls a worker claims at once: a few for a slow remote model, more for
    a fast local one (fewer, larger write transactions)."""

    def classify(self, call: CallForReview) -> Verdict:
        """Decide one call; raise ClassifierError when no answer can be had now."""
        ...
