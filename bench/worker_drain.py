"""Draining 20,000 due calls with one and with two worker processes, on SQLite and on
PostgreSQL; checks that no call was reviewed twice.

It first measures the most two processes can gain on this machine: the same
CPU-bound work (classifying calls, no database) in one process and in two at once.
On a shared virtual machine two cores rarely give 2x, and the drain cannot beat that.

Run: .venv/bin/python -m bench.worker_drain [N]
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench.calls import reviewable, write_jsonl
from core.classify.embedded import EmbeddedClassifier
from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import Call, Employee, Lead, Setting
from core.services.classify_file import as_call
from core.services.context import ServiceContext
from core.services.importer import import_files
from core.services.ingest import parse_call
from core.workers.review_worker import ReviewWorker


def seed(url: str, source: Path) -> None:
    ctx = ServiceContext(open_database(url), SystemClock())
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        session.add(Employee(login="admin", name="Admin", is_admin=True, created_at=now))
        session.add(Setting(key="enabled", value={"value": True}, updated_at=now))
    report = import_files(ctx, [source])
    assert not report.rejected
    ctx.db.dispose()


def drain(url: str) -> tuple[int, float, float]:
    """One worker's share: calls reviewed, and when it began and ended (the system-wide
    monotonic clock, comparable across processes)."""
    ctx = ServiceContext(open_database(url, migrate=False), SystemClock())
    worker = ReviewWorker(ctx, EmbeddedClassifier())
    began = time.monotonic()
    stats = worker.run_once()
    ended = time.monotonic()
    ctx.db.dispose()
    return stats.reviewed, began, ended


def classify_all(rows: list[dict]) -> int:  # type: ignore[type-arg]
    classifier = EmbeddedClassifier()
    calls = [as_call(parse_call(row)) for row in rows]
    for call in calls:
        classifier.classify(call)
    return len(calls)


def cpu_ceiling(n: int = 4_000) -> float:
    """How many times one process's throughput two processes reach on CPU-bound work."""
    rows = list(reviewable(n, seed=7))
    elapsed = {}
    for processes in (1, 2):
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            pool.map(len, [[]] * processes)  # started and imported before the clock runs
            start = time.perf_counter()
            pool.map(classify_all, [rows] * processes)
            elapsed[processes] = time.perf_counter() - start
    return 2 * elapsed[1] / elapsed[2]


def timed_drain(url: str, workers: int) -> tuple[float, int]:
    """From the first worker's first claim to the last worker's last write: a process's
    start (imports, opening the database, loading the classifier) is not draining."""
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        shares = pool.map(drain, [url] * workers, chunksize=1)
    began = min(share[1] for share in shares)
    ended = max(share[2] for share in shares)
    return ended - began, sum(share[0] for share in shares)


def check_once(url: str, n: int) -> None:
    ctx = ServiceContext(open_database(url, migrate=False), SystemClock())
    with ctx.db.transaction() as session:
        reviewed = session.scalar(
            select(func.count()).select_from(Call).where(Call.reviewed_at.is_not(None))
        )
        most_claims = session.scalar(select(func.max(Call.review_attempts)))
        leads = session.scalar(select(func.count()).select_from(Lead))
    ctx.db.dispose()
    assert reviewed == n, f"{reviewed} of {n} reviewed"
    assert most_claims == 1, "a call was claimed twice"
    print(f"    {reviewed} reviewed, each claimed once, {leads} leads")


def run(label: str, make_url, source: Path, n: int) -> None:  # type: ignore[no-untyped-def]
    times = {}
    for workers in (1, 2):
        url = make_url(workers)
        seed(url, source)
        elapsed, reviewed = timed_drain(url, workers)
        assert reviewed == n
        times[workers] = elapsed
        print(
            f"  {label}, {workers} worker(s): {n:,} calls in {elapsed:.1f} s ({n / elapsed:,.0f}/s)"
        )
        check_once(url, n)
    print(f"  {label}: two workers are {times[1] / times[2]:.2f}x one (target >= 1.5x)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    print(f"  this machine: two CPU-bound processes do {cpu_ceiling():.2f}x the work of one")
    ended = datetime.now(UTC) - timedelta(hours=1)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = workdir / "due.jsonl"
        write_jsonl(source, reviewable(n, end=ended))
        run("SQLite", lambda w: f"sqlite:///{workdir / f'drain-{w}.db'}", source, n)
        from tests.pg.server import running_server, unavailable_reason

        reason = unavailable_reason()
        if reason:
            print(f"  PostgreSQL skipped: {reason}")
            return
        with running_server() as server:

            def pg_url(workers: int) -> str:
                with server.admin() as conn:
                    conn.execute(f'CREATE DATABASE "drain_{workers}" TEMPLATE scl_template')
                return server.url(f"drain_{workers}")

            run("PostgreSQL", pg_url, source, n)


if __name__ == "__main__":
    main()
