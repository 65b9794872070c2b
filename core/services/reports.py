"""The supervisor's reports: Call Center Performance by CSR, and Calls with their
Second Chance Lead column. Both read the same period as the metrics, sort by any
column, and export as CSV streamed from the database (a server-side cursor on
PostgreSQL), so 100,000 calls never sit in memory at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from core.config import export_dir
from core.db.models import Call, Customer, Employee, Job, Lead
from core.domain.metrics import booking_rate
from core.domain.statuses import LeadStatus
from core.domain.zones import shown_at
from core.errors import SclError
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput
from core.services.metrics import inbound_within, period, scl_booked_within
from core.services.settings import get_settings
from core.services.views import CallRow, CallsPage, CsrRow

STREAM_BATCH = 2_000
MAX_PAGE = 500
NO_CSR = "(no CSR recorded)"


class Report(StrEnum):
    CSR = "csr"
    CALLS = "calls"

    @property
    def title(self) -> str:
        return "Call Center Performance by CSR" if self is Report.CSR else "Calls"


@dataclass(frozen=True)
class Column:
    """A report column: its CSV header, its label on screen, and whether sorting by it
    starts with the largest (numbers, times) or from A (text)."""

    key: str
    label: str
    descending_first: bool = False


CSR_COLUMNS: tuple[Column, ...] = (
    Column("csr", "CSR"),
    Column("name", "Name"),
    Column("inbound_calls", "Inbound calls", True),
    Column("booked", "Booked", True),
    Column("booking_rate", "Booking rate %", True),
    Column("second_chance_leads", "Second Chance Leads", True),
    Column("scls_booked", "SCLs booked by call-back", True),
)
CALL_COLUMNS: tuple[Column, ...] = (
    Column("external_id", "Call"),
    Column("started_at", "Started", True),
    Column("ended_at", "Ended", True),
    Column("direction", "Dir"),
    Column("customer_phone", "Phone"),
    Column("customer_name", "Customer"),
    Column("call_type", "Type"),
    Column("csr", "CSR"),
    Column("job_booked", "Booked", True),
    Column("second_chance_lead", "SCL", True),
    Column("scl_status", "SCL status"),
)
COLUMNS: dict[Report, tuple[Column, ...]] = {Report.CSR: CSR_COLUMNS, Report.CALLS: CALL_COLUMNS}
DEFAULT_ORDER: dict[Report, str] = {Report.CSR: "inbound_calls", Report.CALLS: "started_at"}


@dataclass(frozen=True)
class Order:
    """Sort a report by one column; ties keep a stable order (by name, or call id)."""

    column: str
    descending: bool = False

    @classmethod
    def parse(cls, report: Report, text: str | None) -> Order:
        """'inbound_calls' (its natural direction), '-name' (descending), '+started_at'."""
        if not text:
            return cls.default(report)
        key = text.strip().lstrip("+-")
        column = next((c for c in COLUMNS[report] if c.key == key), None)
        if column is None:
            known = ", ".join(c.key for c in COLUMNS[report])
            raise InvalidInput(
                f"The {report.title} report has no column {key!r}; use one of {known}."
            )
        if text.strip().startswith("-"):
            return cls(key, True)
        if text.strip().startswith("+"):
            return cls(key, False)
        return cls(key, column.descending_first)

    @classmethod
    def default(cls, report: Report) -> Order:
        return cls.parse(report, DEFAULT_ORDER[report])


# --- Call Center Performance by CSR ---------------------------------------------------


def csr_report(
    ctx: ServiceContext, actor_login: str, days: int = 30, order: Order | None = None
) -> list[CsrRow]:
    """One row per CSR who took inbound calls or booked an SCL job in the period.

    Inbound calls and booked: inbound calls the CSR took that started in the period,
    and those a job was booked on. Second Chance Leads: those of the CSR's calls that
    were flagged. SCLs booked by call-back: jobs the CSR booked in the period that made
    a lead *Job booked by SCL* (so the column adds up to the period's SCLs Booked).
    """
    order = order or Order.default(Report.CSR)
    since, now = period(ctx, days)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        taken = (
            select(
                Call.csr_id.label("csr_id"),
                func.count().label("inbound"),
                func.count().filter(Call.job_booked.is_(True)).label("booked"),
                func.count(Lead.id).label("leads"),
            )
            .outerjoin(Lead, Lead.call_id == Call.id)
            .where(inbound_within(since, now))
            .group_by(Call.csr_id)
        )
        saved = (
            select(Job.booked_by_id.label("csr_id"), func.count().label("saved"))
            .select_from(Lead)
            .join(Job, Lead.job_id == Job.id)
            .where(scl_booked_within(since, now))  # the same SCLs Booked as the metrics
            .group_by(Job.booked_by_id)
        )
        counts: dict[int | None, list[int]] = {}
        for csr_id, inbound, booked, leads in session.execute(taken):
            counts[csr_id] = [inbound, booked, leads, 0]
        for csr_id, saved_count in session.execute(saved):
            counts.setdefault(csr_id, [0, 0, 0, 0])[3] = saved_count
        people = {
            e.id: e
            for e in session.scalars(
                select(Employee).where(Employee.id.in_([i for i in counts if i is not None]))
            )
        }
        rows = [
            CsrRow(
                login=people[csr_id].login if csr_id is not None else None,
                name=people[csr_id].name if csr_id is not None else NO_CSR,
                inbound_calls=inbound,
                booked=booked,
                booking_rate=booking_rate(booked, inbound),
                second_chance_leads=leads,
                scls_booked=saved_count,
            )
            for csr_id, (inbound, booked, leads, saved_count) in counts.items()
        ]
    return _sorted_csr_rows(rows, order)


def _sorted_csr_rows(rows: list[CsrRow], order: Order) -> list[CsrRow]:
    """At most one row per employee: sorted here, ties by name then login."""
    rows.sort(key=lambda r: (r.name.casefold(), r.login or ""))
    attribute = "login" if order.column == "csr" else order.column

    def value(row: CsrRow) -> Any:
        found = getattr(row, attribute)  # None (no CSR's login) sorts first, like SQL here
        return (found is not None, found.casefold() if isinstance(found, str) else found)

    return sorted(rows, key=value, reverse=order.descending)


def csr_csv_row(row: CsrRow) -> list[Any]:
    return [
        row.login or "",
        row.name,
        row.inbound_calls,
        row.booked,
        f"{row.booking_rate:.2f}",
        row.second_chance_leads,
        row.scls_booked,
    ]


# --- Calls ----------------------------------------------------------------------------


def _calls_query(since: datetime, now: datetime, order: Order) -> Select[Any]:
    csr = aliased(Employee)
    is_lead = case((Lead.id.is_not(None), literal(True)), else_=literal(False))
    sortable: dict[str, ColumnElement[Any] | Any] = {
        "external_id": Call.external_id,
        "started_at": Call.started_at,
        "ended_at": Call.ended_at,
        "direction": Call.direction,
        "customer_phone": Call.customer_phone,
        "customer_name": Customer.name,
        "call_type": Call.call_type,
        "csr": csr.login,
        "job_booked": Call.job_booked,
        "second_chance_lead": is_lead,
        "scl_status": Lead.status,
    }
    key = sortable[order.column]
    # Nulls sort with the smallest on every engine, so both engines page alike.
    keyed = key.desc().nulls_last() if order.descending else key.asc().nulls_first()
    tie = Call.id.desc() if order.descending else Call.id.asc()
    return (
        select(
            Call.id,
            Call.external_id,
            Call.started_at,
            Call.ended_at,
            Call.direction,
            Call.customer_phone,
            Customer.name,
            Call.call_type,
            csr.login,
            Call.job_booked,
            Lead.id,
            Lead.status,
        )
        .outerjoin(Customer, Call.customer_id == Customer.id)
        .outerjoin(csr, Call.csr_id == csr.id)
        .outerjoin(Lead, Lead.call_id == Call.id)
        .where(and_(Call.started_at >= since, Call.started_at <= now))
        .order_by(keyed, tie)
    )


def _call_row(found: Any) -> CallRow:
    (call_id, external_id, started, ended, direction, phone, name, call_type, csr_login,
     booked, lead_id, status) = found  # fmt: skip
    return CallRow(
        call_id=call_id,
        external_id=external_id,
        started_at=started,
        ended_at=ended,
        direction=direction,
        customer_phone=phone,
        customer_name=name,
        call_type=call_type,
        csr=csr_login,
        job_booked=bool(booked),
        lead_id=lead_id,
        scl_status=LeadStatus(status) if status else None,
    )


def calls_page(
    ctx: ServiceContext,
    actor_login: str,
    days: int = 30,
    order: Order | None = None,
    *,
    offset: int = 0,
    limit: int = 100,
) -> CallsPage:
    """One page of the Calls report for the screen, with the period's total."""
    order = order or Order.default(Report.CALLS)
    since, now = period(ctx, days)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        total = (
            session.scalar(
                select(func.count())
                .select_from(Call)
                .where(Call.started_at >= since, Call.started_at <= now)
            )
            or 0
        )
        found = session.execute(_calls_query(since, now, order).offset(offset).limit(limit)).all()
    return CallsPage(tuple(_call_row(f) for f in found), offset, total)


def iter_calls(
    ctx: ServiceContext, actor_login: str, days: int = 30, order: Order | None = None
) -> Iterator[CallRow]:
    """Every call of the period in order, streamed: refused at once without the
    permission; then rows come from the database in batches as they are read."""
    order = order or Order.default(Report.CALLS)
    since, now = period(ctx, days)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
    return _stream_calls(ctx, since, now, order)


def _stream_calls(
    ctx: ServiceContext, since: datetime, now: datetime, order: Order
) -> Iterator[CallRow]:
    with ctx.db.transaction() as session:
        # Core rows, not ORM loading: a server-side cursor on PostgreSQL, batches of
        # STREAM_BATCH from SQLite's cursor; never the whole result in memory.
        connection = session.connection().execution_options(yield_per=STREAM_BATCH)
        for found in connection.execute(_calls_query(since, now, order)):
            yield _call_row(found)


def call_csv_row(row: CallRow) -> list[Any]:
    return [
        row.external_id,
        row.started_at.isoformat(),
        row.ended_at.isoformat(),
        row.direction,
        row.customer_phone,
        row.customer_name or "",
        row.call_type or "",
        row.csr or "",
        "true" if row.job_booked else "false",
        "true" if row.lead_id is not None else "false",
        row.scl_status.value if row.scl_status else "",
    ]


# --- export ---------------------------------------------------------------------------


def write_csv(
    ctx: ServiceContext,
    actor_login: str,
    report: Report,
    handle: IO[str],
    days: int = 30,
    order: Order | None = None,
) -> int:
    """Write the report as CSV onto `handle` (header first), row by row; the count.

    Times are ISO 8601 in UTC, booleans true/false, statuses their CLI slugs.
    """
    writer = csv.writer(handle, lineterminator="\n")
    if report is Report.CSR:
        rows: Iterator[list[Any]] = map(csr_csv_row, csr_report(ctx, actor_login, days, order))
    else:
        rows = map(call_csv_row, iter_calls(ctx, actor_login, days, order))
    writer.writerow([c.key for c in COLUMNS[report]])
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_csv_file(
    ctx: ServiceContext,
    actor_login: str,
    report: Report,
    path: Path,
    days: int = 30,
    order: Order | None = None,
) -> int:
    """Write the report into `path`, through a `.part` file renamed when complete, so a
    refusal or a failure never leaves a file, or half of one, under that name."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = write_csv(ctx, actor_login, report, handle, days, order)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise SclError(f"Cannot write {path}: {error.strerror or error}", "Export failed") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def export_to_file(
    ctx: ServiceContext,
    actor_login: str,
    report: Report,
    days: int = 30,
    order: Order | None = None,
    *,
    directory: Path | None = None,
) -> tuple[Path, int]:
    """Save the report from the screen: a CSV file named after it, the period and the
    time on the company's clock (as the supervisor saw it), in `directory` (default:
    export_dir())."""
    directory = directory or export_dir()
    stamp = shown_at(ctx.clock.now(), get_settings(ctx).zone, "%Y%m%d-%H%M%S")
    path = directory / f"scl-{report.value}-{days}d-{stamp}.csv"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SclError(
            f"Cannot create {directory}: {error.strerror or error}", "Export failed"
        ) from None
    return path, write_csv_file(ctx, actor_login, report, path, days, order)
