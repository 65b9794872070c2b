"""Import throughput into SQLite: 100,000 calls against 1,000, measured in one run.

Run: .venv/bin/python -m bench.import_calls [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.calls import generate, write_jsonl
from core.clock import SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from core.services.importer import import_files


def import_seconds(n: int, workdir: Path) -> float:
    source = workdir / f"calls-{n}.jsonl"
    write_jsonl(source, generate(n, seed=n))
    ctx = ServiceContext(open_database(f"sqlite:///{workdir / f'import-{n}.db'}"), SystemClock())
    start = time.perf_counter()
    report = import_files(ctx, [source])
    elapsed = time.perf_counter() - start
    assert report.imported == n and not report.rejected, report.problems[:3]
    again = import_files(ctx, [source])
    assert again.imported == 0 and again.already_known == n
    ctx.db.dispose()
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        small = import_seconds(1_000, Path(tmp))
        large = import_seconds(n, Path(tmp))
    small_rate, large_rate = 1_000 / small, n / large
    print(
        f"import into SQLite: 1,000 calls in {small:.2f} s ({small_rate:,.0f}/s); "
        f"{n:,} calls in {large:.1f} s ({large_rate:,.0f}/s); "
        f"rate ratio {large_rate / small_rate:.2f}; target < 60 s"
    )


if __name__ == "__main__":
    main()
