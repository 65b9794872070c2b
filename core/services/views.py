"""What use cases return: frozen snapshots, never ORM objects (nothing lazy-loads later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.domain.review_rules import is_uncertain
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

    @property
    def uncertain(self) -> bool:
        """The classifier was not sure: an agent should check this verdict."""
        return is_uncertain(self.confidence)


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
    call_id: int = 0  # for what else is known of the call (transcription.transcript_origin)


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
    is_admin: bool = False
    override: bool | None = None  # individual grant (True) / revoke (False) / the role's
    role_grants: bool = False  # whether the role alone would give access
    phone: str | None = None
    email: str | None = None
    channels: tuple[str, ...] = ()  # notification channels as stored, with what blocks them


@dataclass(frozen=True)
class RoleAccess:
    name: str
    granted: bool  # the role carries View Second Chance Leads
    members: int


@dataclass(frozen=True)
class AuditView:
    """One audited change: who, when, what, from, to."""

    at: datetime
    actor: str
    actor_login: str | None
    subject: str
    old_value: str | None
    new_value: str | None
    os_user: str | None = None  # the OS account that did it (differs under --as)


# --- job booking, metrics and reports ------------------------------------------------


@dataclass(frozen=True)
class CustomerMatch:
    """A customer phone the booking screen offers to pick, from the calls we know."""

    customer_phone: str
    customer_name: str | None
    last_call_at: datetime
    calls: int


@dataclass(frozen=True)
class BannerLead:
    """A lead the job-booking banner names. Without the View Second Chance Leads
    permission only that a lead exists and when it was flagged are shown: the lead id,
    status and the classifier's reason stay None."""

    flagged_at: datetime
    tab: Tab
    lead_id: int | None
    status: LeadStatus | None
    customer_name: str | None
    reason: str | None


@dataclass(frozen=True)
class BookingBanner:
    """What the booking screen shows for a phone; `leads` empty means no banner."""

    customer_phone: str
    customer_name: str | None
    window_days: int
    detailed: bool  # the person may see lead details (View Second Chance Leads)
    leads: tuple[BannerLead, ...]

    @property
    def shown(self) -> bool:
        return bool(self.leads)


@dataclass(frozen=True)
class PeriodBucket:
    """One bar of the metrics chart: [start, end) (the last one includes its end)."""

    start: datetime
    end: datetime
    inbound_calls: int
    leads_flagged: int
    scls_booked: int


@dataclass(frozen=True)
class MetricsDetail:
    """The metrics screen: the header's numbers plus the period's leads and weekly bars."""

    header: Metrics
    leads_flagged: int
    by_status: tuple[tuple[LeadStatus, int], ...]  # leads flagged in the period, every status
    buckets: tuple[PeriodBucket, ...]


@dataclass(frozen=True)
class CsrRow:
    """One line of Call Center Performance by CSR."""

    login: str | None  # None: calls with no CSR recorded
    name: str
    inbound_calls: int
    booked: int
    booking_rate: float  # percent
    second_chance_leads: int
    scls_booked: int


@dataclass(frozen=True)
class CallRow:
    """One line of the Calls report, with its Second Chance Lead column."""

    call_id: int
    external_id: str
    started_at: datetime
    ended_at: datetime
    direction: str
    customer_phone: str
    customer_name: str | None
    call_type: str | None
    csr: str | None  # login
    job_booked: bool
    lead_id: int | None
    scl_status: LeadStatus | None  # None: the call is not a Second Chance Lead


@dataclass(frozen=True)
class CallsPage:
    rows: tuple[CallRow, ...]
    offset: int
    total: int
