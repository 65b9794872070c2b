"""`scl import`: files of exported calls into the database, in batches.

Good rows go in, bad rows are reported with file, line and field, and the
whole import can be run again safely (idempotent on the external id).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from sqlalchemy.exc import IntegrityError, OperationalError, StatementError

from core.domain.permissions import IMPORT_CALLS
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import PermissionDenied
from core.services.ingest import (
    CallRecord,
    Problem,
    RowError,
    Stored,
    parse_call,
    read_rows,
    read_stream,
    store_calls,
)
from core.services.settings import read_settings

BATCH = 2_000
STDIN_PATHS = ("-", "/dev/stdin")
STDIN_NAME = "<stdin>"
RawRow = tuple[int, dict[str, Any] | RowError]
Parsed = tuple[int, CallRecord]


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    already_known: int = 0
    problems: list[Problem] = field(default_factory=list)
    new_lines: set[int] | None = None
    """The lines stored anew, when asked for (a set given): the intake tells each
    request of a group stored together what became of its own calls."""

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def import_calls(
    ctx: ServiceContext,
    actor_login: str,
    paths: Iterable[Path],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """`scl import`: an administrator's, or an employee's given "Import calls".

    An import creates employees and jobs, and a booked call gives leads a final
    status: not something any login may do.
    """
    require_importer(ctx, actor_login)
    return import_files(ctx, paths, on_progress=on_progress)


def require_importer(ctx: ServiceContext, actor_login: str) -> None:
    with ctx.db.transaction() as session:
        person = actors.employee(session, actor_login)
        if not actors.employee_has(person, IMPORT_CALLS):
            raise PermissionDenied(
                f"{person.name} ({actor_login}) may not import calls: it needs the "
                f"{IMPORT_CALLS!r} permission, which an administrator gives a role "
                "(`scl roles ROLE grant --permission import-calls`) or has already."
            )


def import_files(
    ctx: ServiceContext,
    paths: Iterable[Path],
    *,
    on_progress: Callable[[int], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> ImportReport:
    """Import every file; `on_progress(n)` hears of each n rows read.

    The path `-` or `/dev/stdin` reads `stdin` (the process's standard input unless
    given), reported as `<stdin>`: JSON Lines, or CSV when its first line is a header.

    No permission check: the caller has made it (`import_calls`), or is the demo
    loader or a benchmark."""
    report = ImportReport()
    for path in paths:
        with _opened(path, stdin) as (name, raw_rows):
            import_rows(ctx, name, raw_rows, report, on_progress=on_progress)
    return report


def import_rows(
    ctx: ServiceContext,
    name: str,
    raw_rows: Iterable[RawRow],
    report: ImportReport,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and store rows already read (from a file, or an HTTP request's body),
    in batches; each bad one is a problem at (name, its line) in `report`."""
    rows = _parsed(name, iter(raw_rows), report)
    while batch := list(islice(rows, BATCH)):
        _store(ctx, name, batch, report)
        if on_progress is not None:
            on_progress(len(batch))
    return report


def is_stdin(path: Path) -> bool:
    """Whether `scl import` reads standard input for this path (a pipe, read once)."""
    return str(path) in STDIN_PATHS


@contextmanager
def _opened(path: Path, stdin: IO[bytes] | None) -> Iterator[tuple[str, Iterator[RawRow]]]:
    if not is_stdin(path):
        yield str(path), read_rows(path)
        return
    handle = io.TextIOWrapper(
        stdin if stdin is not None else sys.stdin.buffer,
        encoding="utf-8-sig",
        errors="replace",
        newline="",
    )
    try:
        yield STDIN_NAME, read_stream(handle)
    finally:
        handle.detach()  # the caller's stream stays open


def _parsed(name: str, rows: Iterator[RawRow], report: ImportReport) -> Iterator[Parsed]:
    for line, raw in rows:
        report.read += 1
        try:
            if isinstance(raw, RowError):
                raise raw
            yield line, parse_call(raw)
        except RowError as error:
            report.problems.append(Problem(name, line, error.field, error.message))


def _store(ctx: ServiceContext, name: str, batch: list[Parsed], report: ImportReport) -> None:
    """Store a batch; if the database refuses it, store each half alone, down to the
    one row it refuses, so that row costs none of the good ones."""
    try:
        stored = _write(ctx, [record for _, record in batch])
    except OperationalError:
        raise  # the database itself (gone, locked, full): no row is to blame
    except (StatementError, ValueError, OverflowError) as error:
        if len(batch) == 1:
            ((line, _),) = batch
            report.problems.append(Problem(name, line, None, _refused(error)))
            return
        half = len(batch) // 2
        _store(ctx, name, batch[:half], report)
        _store(ctx, name, batch[half:], report)
        return
    for (line, _), result in zip(batch, stored, strict=True):
        if result.created:
            report.imported += 1
            if report.new_lines is not None:
                report.new_lines.add(line)
        else:
            report.already_known += 1
        report.problems.extend(
            Problem(name, line, "csr", text, "warning") for text in result.warnings
        )


def _write(ctx: ServiceContext, records: list[CallRecord]) -> list[Stored]:
    for attempt in range(2):
        try:
            with ctx.db.transaction() as session:
                return store_calls(session, records, ctx.clock.now(), read_settings(session))
        except IntegrityError:
            # Another import stored some of these calls at the same moment: read again.
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _refused(error: Exception) -> str:
    """The database's reason, on one short line."""
    reason = getattr(error, "orig", None) or error
    text = " ".join(str(reason).split())
    return "the database refused this row: " + (text if len(text) <= 200 else text[:200] + "…")
