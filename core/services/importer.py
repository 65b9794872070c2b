"""`scl import`: files of exported calls into the database, in batches.

Good rows go in, bad rows are reported with file, line and field, and the
whole import can be run again safely (idempotent on the external id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from core.domain.permissions import IMPORT_CALLS
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import PermissionDenied
from core.services.ingest import CallRecord, Problem, RowError, parse_call, read_rows, store_calls
from core.services.settings import read_settings

BATCH = 2_000


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    already_known: int = 0
    problems: list[Problem] = field(default_factory=list)

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
) -> ImportReport:
    """Import every file; `on_progress(n)` hears of each n rows read.

    No permission check: the caller has made it (`import_calls`), or is the demo
    loader or a benchmark."""
    report = ImportReport()
    for path in paths:
        rows = _parsed(path, report)
        while batch := list(islice(rows, BATCH)):
            _store(ctx, path, batch, report)
            if on_progress is not None:
                on_progress(len(batch))
    return report


def _parsed(path: Path, report: ImportReport) -> Iterator[tuple[int, CallRecord]]:
    for line, raw in read_rows(path):
        report.read += 1
        try:
            if isinstance(raw, RowError):
                raise raw
            yield line, parse_call(raw)
        except RowError as error:
            report.problems.append(Problem(str(path), line, error.field, error.message))


def _store(
    ctx: ServiceContext, path: Path, batch: list[tuple[int, CallRecord]], report: ImportReport
) -> None:
    records = [record for _, record in batch]
    for attempt in range(2):
        try:
            with ctx.db.transaction() as session:
                stored = store_calls(session, records, ctx.clock.now(), read_settings(session))
            break
        except IntegrityError:
            # Another import stored some of these calls at the same moment: read again.
            if attempt == 1:
                raise
    for (line, _), result in zip(batch, stored, strict=True):
        if result.created:
            report.imported += 1
        else:
            report.already_known += 1
        report.problems.extend(
            Problem(str(path), line, "csr", text, "warning") for text in result.warnings
        )
