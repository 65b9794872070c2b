"""Exporting the Calls report: 100,000 calls against 1,000, measured in the same run.

Seeds SQLite (or the database URL given) through the importer with bench/calls.py's
generated calls, flags every tenth call as a lead, then times `scl report calls --days
90 --csv FILE` as a real subprocess (wall time, peak RSS of that process) and the same
export in-process (rows/s, peak Python allocations by tracemalloc).

Run: .venv/bin/python -m bench.report_export [N] [--db URL]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Integer, cast, delete, insert, literal, select

from bench.calls import generate, write_jsonl
from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import Call, Employee, Job, Lead
from core.domain.statuses import LeadStatus
from core.services.context import ServiceContext
from core.services.importer import import_files
from core.services.reports import Report, write_csv_file

SCL = Path(sys.executable).with_name("scl")


@dataclass
class Run:
    rows: int
    cli_seconds: float
    cli_peak_rss_mb: float
    service_seconds: float
    service_peak_alloc_mb: float

    @property
    def cli_rate(self) -> float:
        return self.rows / self.cli_seconds

    @property
    def service_rate(self) -> float:
        return self.rows / self.service_seconds


def seed(url: str, n: int, workdir: Path) -> ServiceContext:
    ctx = ServiceContext(open_database(url), SystemClock())
    with ctx.db.transaction() as session:
        # A database of its own per size: start clean when a URL is reused.
        for table in (Lead, Job):
            session.execute(delete(table))
        session.execute(delete(Call))
        if session.scalar(select(Employee.id).where(Employee.login == "bench")) is None:
            session.add(
                Employee(login="bench", name="Bench Admin", is_admin=True, created_at=_now())
            )
    source = workdir / f"calls-{n}.jsonl"
    write_jsonl(source, generate(n, seed=n, prefix=f"EXP{n}"))
    report = import_files(ctx, [source])
    assert report.imported == n and not report.rejected, report.problems[:3]
    statuses = [s.value for s in LeadStatus]
    with ctx.db.transaction() as session:
        # Every tenth call is a lead, its status cycling through all seven.
        for k, status in enumerate(statuses):
            picked = select(
                Call.id,
                Call.customer_phone,
                literal(status),
                Call.ended_at,
                Call.ended_at,
                literal("[]"),
                Call.ended_at,
                literal(1),
            ).where(Call.id % 10 == 0, cast(Call.id / 10, Integer) % len(statuses) == k)
            session.execute(
                insert(Lead).from_select(
                    [
                        "call_id",
                        "customer_phone",
                        "status",
                        "status_since",
                        "flagged_at",
                        "evidence",
                        "updated_at",
                        "version",
                    ],
                    picked,
                )
            )
    return ctx


def _now() -> datetime:
    return datetime.now(UTC)


def export(ctx: ServiceContext, url: str, n: int, workdir: Path) -> Run:
    target = workdir / f"calls-{n}.csv"
    env = dict(os.environ)
    start = time.perf_counter()
    # The command in a process of its own, so its peak memory is its own.
    probe = (
        "import resource, sys; from scl_tui.cli import main; sys.argv = sys.argv[1:]\n"
        "try:\n    main()\nfinally:\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "scl", "--db", url, "--as", "bench", "report", "calls",
         "--days", "90", "--csv", str(target)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    cli_seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    with target.open(newline="", encoding="utf-8") as handle:
        written = sum(1 for _ in csv.reader(handle)) - 1
    # Calls span the 90 days before they were generated; by export time the oldest
    # few seconds' worth have left the period.
    assert 0.99 * n <= written <= n, (written, n)

    again = workdir / f"calls-{n}-service.csv"
    start = time.perf_counter()
    count = write_csv_file(ctx, "bench", Report.CALLS, again, days=90)
    service_seconds = time.perf_counter() - start
    assert 0.99 * n <= count <= n, (count, n)
    # Again under tracemalloc (which slows Python down) for the peak of allocations only.
    tracemalloc.start()
    write_csv_file(ctx, "bench", Report.CALLS, again, days=90)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Run(written, cli_seconds, peak_kb / 1024, service_seconds, peak / 2**20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--db", help="a database URL to use (it is emptied of calls)")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for n in (1_000, args.n):
            url = args.db or f"sqlite:///{workdir / f'export-{n}.db'}"
            seeded = time.perf_counter()
            ctx = seed(url, n, workdir)
            print(f"seeded {n:,} calls in {time.perf_counter() - seeded:.1f} s", flush=True)
            runs.append(export(ctx, url, n, workdir))
            ctx.db.dispose()
    small, large = runs
    for run in runs:
        print(
            f"{run.rows:>7,} calls: `scl report calls --csv` {run.cli_seconds:5.2f} s "
            f"({run.cli_rate:,.0f} rows/s, process peak RSS {run.cli_peak_rss_mb:.0f} MB); "
            f"in-process export {run.service_seconds:5.2f} s ({run.service_rate:,.0f} rows/s, "
            f"peak Python allocations {run.service_peak_alloc_mb:.1f} MB)"
        )
    print(
        f"rows/s ratio {large.rows:,} vs {small.rows:,}: command "
        f"{large.cli_rate / small.cli_rate:.2f}, in-process "
        f"{large.service_rate / small.service_rate:.2f}; peak allocations ratio "
        f"{large.service_peak_alloc_mb / small.service_peak_alloc_mb:.2f} "
        f"for {large.rows / small.rows:.0f}× the rows"
    )


if __name__ == "__main__":
    main()
