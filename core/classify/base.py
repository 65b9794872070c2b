"""What a classifier reads and what it answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.errors import SclError


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

    def classify(self, call: CallForReview) -> Verdict:
        """Decide one call; raise ClassifierError when no answer can be had now."""
        ...
