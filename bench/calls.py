"""Generated calls for the benchmarks: the demo's conversations, re-dated and re-numbered."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "calls.jsonl"


def demo_rows() -> list[dict[str, Any]]:
    rows = []
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row.pop("demo", None)
        rows.append(row)
    return rows


def generate(
    n: int, *, seed: int = 7, end: datetime | None = None, prefix: str = "BENCH"
) -> Iterator[dict[str, Any]]:
    """`n` calls in the export format over the 90 days before `end`, inbound mostly."""
    rng = random.Random(seed)
    templates = demo_rows()
    end = end or datetime.now(UTC)
    for i in range(n):
        row = dict(rng.choice(templates))
        started = end - timedelta(seconds=rng.randrange(90 * 86_400))
        length = timedelta(seconds=rng.randrange(60, 480))
        row["external_id"] = f"{prefix}-{i:08d}"
        row["customer_phone"] = (
            f"+1{rng.choice((512, 737, 830))}{rng.randrange(2_000_000, 9_999_999)}"
        )
        row["started_at"] = started.isoformat()
        row["ended_at"] = (started + length).isoformat()
        yield row


def reviewable(n: int, **options: Any) -> Iterator[dict[str, Any]]:
    """generate(), every call one the review worker classifies: inbound and unbooked."""
    for row in generate(n, **options):
        yield {**row, "direction": "inbound", "job_booked": False}


def write_jsonl(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
