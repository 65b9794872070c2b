"""HTTP intake throughput: 10,000 calls posted by 4 clients at once, against 100 calls in
the same run; every call must be stored exactly once (none lost, none doubled).

The intake runs in a process of its own on a fresh SQLite file (as `scl intake` does);
the clients post one call per request (calls arriving as they end), or `--batch N`.

Run: .venv/bin/python -m bench.intake [--calls 10000] [--clients 4] [--batch 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import func, select

from bench.calls import generate
from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import Call
from core.services.context import ServiceContext

TOKEN = "bench-token"


def _serve(db_url: str, ready: Any, stop: Any) -> None:
    from core.adapters.intake_http import IntakeOptions, make_app, running

    ctx = ServiceContext(open_database(db_url), SystemClock())
    with running(make_app(ctx, IntakeOptions(TOKEN))) as url:
        ready.put(url)
        stop.wait()


def post_all(url: str, rows: list[dict[str, Any]], clients: int, batch: int) -> tuple[float, int]:
    """Seconds to post every row, and how many calls the intake said were new."""
    shares = [rows[i::clients] for i in range(clients)]
    new = [0] * clients
    failures: list[str] = []

    def client(index: int) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with httpx2.Client(base_url=url, headers=headers, timeout=60) as http:
            share = shares[index]
            for start in range(0, len(share), batch):
                chunk = share[start : start + batch]
                answer = http.post("/calls", json=chunk[0] if batch == 1 else chunk)
                if answer.status_code != 202:
                    failures.append(f"{answer.status_code} {answer.text[:200]}")
                    return
                new[index] += answer.json()["new"]

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    assert not failures, failures[:3]
    return elapsed, sum(new)


def run(n: int, clients: int, batch: int, workdir: Path) -> float:
    db_url = f"sqlite:///{workdir / f'intake-{n}.db'}"
    open_database(db_url).dispose()  # migrated before the clock starts
    rows = list(generate(n, seed=n, prefix=f"INTAKE{n}"))
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    server = context.Process(target=_serve, args=(db_url, ready, stop), daemon=True)
    server.start()
    try:
        url = ready.get(timeout=120)
        elapsed, new = post_all(url, rows, clients, batch)
        _, known_new = post_all(url, rows[: max(1, n // 10)], clients, batch)
    finally:
        stop.set()
        server.join(60)
    database = open_database(db_url)
    with database.transaction() as session:
        stored = session.scalar(select(func.count()).select_from(Call))
        distinct = session.scalar(select(func.count(func.distinct(Call.external_id))))
    database.dispose()
    assert new == n and stored == n and distinct == n, (n, new, stored, distinct)
    assert known_new == 0, "a call posted again was stored again"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1, help="calls per request")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = run(100, options.clients, options.batch, Path(tmp))
        large = run(options.calls, options.clients, options.batch, Path(tmp))
    small_rate, large_rate = 100 / small, options.calls / large
    print(
        f"intake (SQLite, {options.clients} clients, {options.batch} call(s) a request): "
        f"100 calls in {small:.2f} s ({small_rate:,.0f}/s); {options.calls:,} calls in "
        f"{large:.1f} s ({large_rate:,.0f}/s); rate ratio {large_rate / small_rate:.2f}; "
        f"none lost, none doubled, a re-post of {options.calls // 10:,} stored nothing"
    )


if __name__ == "__main__":
    main()
