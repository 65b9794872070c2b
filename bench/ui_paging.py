"""The agent's screen on a big database: 1,000,000 calls / 100,000 leads against
1,000 calls / 100 leads, measured in the same run, headless.

Reports the time to first paint (the Open tab listed and its first lead's review
shown), until the metrics bar is filled, to switch tabs, to change the status filter
and to open a lead.   Run: .venv/bin/python -m bench.ui_paging [CALLS]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import Call, Customer, CustomerPhone, Employee, Lead, Role, RolePermission
from core.domain.permissions import VIEW_SCL
from core.domain.statuses import LeadStatus
from core.services.context import ServiceContext
from scl_tui.app import SclApp

STATUSES = [s.value for s in LeadStatus]
CHUNK = 20_000


def seed(path: Path, calls: int, leads: int) -> ServiceContext:
    """Calls over 90 days, every tenth (inbound, unbooked) a lead in some status."""
    ctx = ServiceContext(open_database(f"sqlite:///{path}"), SystemClock())
    now = datetime.now(UTC)
    rng = random.Random(calls)
    with ctx.db.transaction() as session:
        role = Role(name="Agent", permissions=[RolePermission(permission=VIEW_SCL)])
        session.add(Employee(login="agent", name="Agent", role=role, created_at=now))
        customer = Customer(
            name="Pat Caller", created_at=now, phones=[CustomerPhone(phone="+15125550100")]
        )
        session.add(customer)
        session.flush()
        customer_id = customer.id
    every = max(1, calls // leads)
    for start in range(0, calls, CHUNK):
        rows = []
        for i in range(start, min(calls, start + CHUNK)):
            began = now - timedelta(seconds=rng.randrange(90 * 86_400))
            rows.append(
                {
                    "external_id": f"UI-{i:08d}",
                    "direction": "inbound",
                    "customer_phone": f"+1512{rng.randrange(2_000_000, 9_999_999)}",
                    "customer_id": customer_id,
                    "started_at": began,
                    "ended_at": began + timedelta(minutes=4),
                    "call_type": "Service",
                    "job_booked": False,
                    "imported_at": now,
                    "review_attempts": 1,
                    "reviewed_at": began + timedelta(minutes=9),
                    "review_is_lead": i % every == 0,
                }
            )
        with ctx.db.transaction() as session:
            ids = (
                session.connection()
                .execute(
                    insert(Call.__table__).returning(
                        Call.__table__.c.id, sort_by_parameter_order=True
                    ),
                    rows,
                )
                .scalars()
                .all()
            )
            lead_rows = [
                {
                    "call_id": call_id,
                    "customer_phone": row["customer_phone"],
                    "status": rng.choice(STATUSES),
                    "status_since": row["reviewed_at"],
                    "flagged_at": row["reviewed_at"],
                    "reason": "Caller needs AC repair; price",
                    "summary": "Summary",
                    "confidence": 0.9,
                    "evidence": [],
                    "version": 1,
                    "updated_at": row["reviewed_at"],
                }
                for call_id, row in zip(ids, rows, strict=True)
                if row["review_is_lead"]
            ]
            if lead_rows:
                session.connection().execute(insert(Lead.__table__), lead_rows)
    with ctx.db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return ctx


async def measure(ctx: ServiceContext) -> dict[str, float]:
    times: dict[str, float] = {}
    app = SclApp(ctx, "agent", poll_seconds=None)
    start = time.perf_counter()
    async with app.run_test(size=(140, 40)) as pilot:

        async def until(done) -> float:  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            while not done():
                await pilot.pause(0.002)
            await app.workers.wait_for_complete()
            return time.perf_counter() - began

        while getattr(app.screen, "review", None) is None:
            await pilot.pause(0.002)
        times["first paint"] = time.perf_counter() - start
        screen = app.screen
        while not str(screen.query_one("#metrics").render()).strip():
            await pilot.pause(0.002)
        times["metrics shown"] = time.perf_counter() - start
        await app.workers.wait_for_complete()
        for label, key, ready in (
            ("switch tab", "3", lambda: screen.tab.value == "done" and screen.rows),
            ("change filter", "v", lambda: screen.status_filter is not None),
            ("open a lead", "j", lambda: screen.review.row.lead_id == screen.rows[1].lead_id),
        ):
            began = time.perf_counter()
            await pilot.press(key)
            await until(ready)
            times[label] = time.perf_counter() - began
    return times


REPEATS = 5


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {label: statistics.median(run[label] for run in runs) for label in runs[0]}


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        small = seed(Path(tmp) / "small.db", 1_000, 100)
        started = time.perf_counter()
        large = seed(Path(tmp) / "large.db", calls, calls // 10)
        print(
            f"seeded {calls:,} calls / {calls // 10:,} leads in "
            f"{time.perf_counter() - started:.0f} s"
        )
        asyncio.run(measure(small))  # warm up imports and caches
        asyncio.run(measure(large))
        # Each measure is a few hundred milliseconds: the median of five runs, taken in
        # turns on the two databases, so a passing hiccup of the machine weighs on neither.
        runs: dict[str, list[dict[str, float]]] = {"small": [], "large": []}
        for _ in range(REPEATS):
            runs["small"].append(asyncio.run(measure(small)))
            runs["large"].append(asyncio.run(measure(large)))
        a, b = (median_of(runs[size]) for size in ("small", "large"))
    print(f"{'measure':<14} {'1,000 calls':>12} {f'{calls:,} calls':>16} {'ratio':>7}")
    for label in a:
        print(
            f"{label:<14} {a[label] * 1000:>10.0f}ms {b[label] * 1000:>14.0f}ms "
            f"{b[label] / a[label]:>7.2f}"
        )


if __name__ == "__main__":
    main()
