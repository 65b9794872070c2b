"""What use cases return: frozen snapshots, never ORM objects (nothing lazy-loads later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.domain.statuses import LeadStatus, Tab


@dataclass(frozen=True)
class LeadRow:
    """One line of a lead list."""

    lead_id: int
    external_id: str
    customer_phone: str
    customer_name: str | None
    call_started_at: datetime
    call_type: str | None
    csr_name: str | None
    status: LeadStatus
    tab: Tab
    flagged_at: datetime
    cold_at: datetime | None  # when a New lead goes Cold; None for other statuses
    reason: str | None
    confidence: float | None
    version: int


@dataclass(frozen=True)
class Cursor:
    """Keyset position in a lead list (newest first): the last row shown."""

    flagged_at: datetime
    lead_id: int


@dataclass(frozen=True)
class LeadPage:
    rows: tuple[LeadRow, ...]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class TabCounts:
    open: int
    cold: int
    done: int


@dataclass(frozen=True)
class Segment:
    index: int
    speaker: str
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class NoteView:
    note_id: int
    author: str
    created_at: datetime
    text: str
    copied_to: str | None


@dataclass(frozen=True)
class HistoryView:
    at: datetime
    actor: str
    from_status: LeadStatus | None
    to_status: LeadStatus
    why: str | None


@dataclass(frozen=True)
class CallbackView:
    at: datetime
    employee: str
    phone: str
    outcome: str | None


@dataclass(frozen=True)
class LeadReview:
    """Everything the review pane shows for one lead."""

    row: LeadRow
    csr_notes: str | None
    call_ended_at: datetime
    recording: str | None
    location_address: str | None
    summary: str | None
    evidence: tuple[int, ...]
    transcript: tuple[Segment, ...]
    notes: tuple[NoteView, ...]
    history: tuple[HistoryView, ...]
    callbacks: tuple[CallbackView, ...]
    allowed_statuses: tuple[LeadStatus, ...]
    job_booked_at: datetime | None


@dataclass(frozen=True)
class ActionResult:
    """What an agent's action did, for the status line and the next read."""

    lead_id: int
    status: LeadStatus
    tab: Tab
    version: int
    message: str


@dataclass(frozen=True)
class BookingResult:
    job_id: int
    customer_phone: str
    booked_at: datetime
    changed: tuple[tuple[int, LeadStatus], ...]  # (lead id, new status)


@dataclass(frozen=True)
class Metrics:
    days: int
    inbound_calls: int
    scls_booked: int
    pct_increase: float
    open: int
    cold: int


@dataclass(frozen=True)
class EmployeeAccess:
    login: str
    name: str
    role: str | None
    source: str  # core.domain.permissions.AccessSource value
    has_access: bool
