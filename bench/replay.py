"""`scl replay` over 100,000 reviewed calls against 1,000, measured in the same run.

Each size gets a SQLite database of its own: generated calls (bench/calls.py, every
one inbound and unbooked, with its transcript) are imported and reviewed by the
review worker with the embedded classifier, as in production; then the replay
service runs over the whole period in a fresh process of its own, so that process's
peak RSS is the replay's (and the rise over its start-up is what the replay added).

Run: .venv/bin/python -m bench.replay [--calls N]   (preparing 100,000 takes ~4 minutes)
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.calls import reviewable, write_jsonl
from bench.worker_drain import seed
from core.classify.embedded import EmbeddedClassifier
from core.clock import SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from core.workers.review_worker import ReviewWorker

SMALL = 1_000
DAYS = 91  # the generated calls span the 90 days before they end (an hour ago)


@dataclass(frozen=True)
class Run:
    calls: int
    changed: int
    seconds: float
    start_rss_mb: float  # resident after imports and opening the database
    peak_rss_mb: float

    @property
    def rate(self) -> float:
        return self.calls / self.seconds

    @property
    def added_mb(self) -> float:
        return self.peak_rss_mb - self.start_rss_mb


def prepare(n: int, workdir: Path) -> str:
    """A database of `n` calls, every one reviewed by the review worker."""
    url = f"sqlite:///{workdir / f'replay-{n}.db'}"
    source = workdir / f"calls-{n}.jsonl"
    ended = datetime.now(UTC) - timedelta(hours=1)
    write_jsonl(source, reviewable(n, seed=n, end=ended, prefix=f"RPL{n}"))
    seed(url, source)  # an administrator "admin", the review enabled, the calls imported
    ctx = ServiceContext(open_database(url, migrate=False), SystemClock())
    stats = ReviewWorker(ctx, EmbeddedClassifier()).run_once()
    ctx.db.dispose()
    assert stats.reviewed == n, f"{stats.reviewed} of {n} reviewed"
    return url


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rss_mb() -> float:
    """Resident now (Linux): imports peak higher than they settle, so not ru_maxrss."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return _peak_mb()


def replay_once(url: str) -> Run:
    """In a process of its own: the replay, timed, with the CLI's progress bar."""
    from core.services.replay import replay
    from scl_tui.cli.learning import _Progress

    ctx = ServiceContext(open_database(url, migrate=False), SystemClock())
    start_rss = _rss_mb()
    with _Progress("Replaying") as bar:
        began = time.perf_counter()
        report = replay(ctx, "admin", DAYS, progress=bar.stage("Replaying"))
        seconds = time.perf_counter() - began
    ctx.db.dispose()
    return Run(report.replayed, len(report.changes), seconds, start_rss, _peak_mb())


def measure(url: str) -> Run:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(replay_once, (url,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000, help="the large case's calls")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (SMALL, args.calls):
            began = time.perf_counter()
            url = prepare(n, Path(tmp))
            took = time.perf_counter() - began
            print(f"prepared {n:,} reviewed calls in {took:.0f} s", flush=True)
            run = measure(url)
            assert run.calls == n, f"replayed {run.calls} of {n}"
            runs.append(run)
            print(
                f"{run.calls:>7,} calls replayed in {run.seconds:6.1f} s "
                f"({run.rate:,.0f} calls/s), "
                f"{run.changed} would change; peak RSS {run.peak_rss_mb:.0f} MB "
                f"({run.added_mb:+.0f} MB over the process's start)",
                flush=True,
            )
    small, large = runs
    print(
        f"calls/s ratio {large.calls:,} vs {small.calls:,}: {large.rate / small.rate:.2f} "
        f"(1.00: linear); peak RSS {large.peak_rss_mb:.0f} MB vs {small.peak_rss_mb:.0f} MB, "
        f"the replay's own {large.added_mb:.0f} MB vs {small.added_mb:.0f} MB "
        f"for {large.calls / small.calls:g}x the calls"
    )


if __name__ == "__main__":
    main()
