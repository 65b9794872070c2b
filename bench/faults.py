"""Faults while draining: 20,000 due calls on a PostgreSQL server this bench starts on a
loopback port, two `scl worker` processes, and meanwhile: workers killed with SIGKILL
(and started again), a fast PostgreSQL restart and a ~10 s outage.

Reports that every call was reviewed exactly once (one verdict each, a lead for every
call flagged and no call with two, none left), whether a worker exited by itself, how
long the workers took to review again once the database was back, and the total time
against a small case (2,000 calls, no faults) drained in the same run.

Run: .venv/bin/python -m bench.faults [N]   (it stops by itself: DEADLINE seconds at most)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from bench.calls import reviewable, write_jsonl
from bench.worker_drain import seed
from tests.pg.server import Server, running_server, unavailable_reason

WORKERS = 2
LEASE_SECONDS = 15  # [worker] lease_seconds: a killed worker's calls wait this long
DEADLINE = 900.0  # seconds for one drain, whatever happens
OUTAGE_SECONDS = 10.0
SCL = Path(sys.executable).with_name("scl")


@dataclass
class Drain:
    url: str
    workdir: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started: int = 0
    exited_by_themselves: list[int] = field(default_factory=list)

    def start_worker(self, slot: int) -> None:
        self.started += 1
        log = (self.workdir / f"worker-{slot}-{self.started}.log").open("wb")
        env = {
            **os.environ,
            "SCL_CONFIG": str(self.workdir / "config.toml"),
            "SCL_DATA_DIR": str(self.workdir / "data"),
        }
        proc = subprocess.Popen(
            [str(SCL), "--db", self.url, "worker", "--poll", "0.2"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        if slot < len(self.procs):
            self.procs[slot] = proc
        else:
            self.procs.append(proc)

    def kill(self, slot: int) -> None:
        self.procs[slot].send_signal(signal.SIGKILL)
        self.procs[slot].wait()
        self.start_worker(slot)

    def check_alive(self) -> None:
        for slot, proc in enumerate(self.procs):
            if proc.poll() is not None:  # exited by itself: told, and started again
                self.exited_by_themselves.append(proc.returncode)
                self.start_worker(slot)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def counts(server: Server, dbname: str) -> dict[str, int] | None:
    """What the database says now; None while it is unreachable."""
    try:
        with psycopg.connect(
            host="127.0.0.1", port=server.port, user="postgres", dbname=dbname, connect_timeout=2
        ) as conn:
            row = conn.execute(
                """SELECT
                    count(*) FILTER (WHERE reviewed_at IS NOT NULL),
                    count(*) FILTER (WHERE reviewed_at IS NULL),
                    count(*) FILTER (WHERE review_is_lead),
                    (SELECT count(*) FROM leads),
                    (SELECT count(DISTINCT call_id) FROM leads),
                    (SELECT count(*) FROM events WHERE kind = 'lead.flagged'),
                    coalesce(max(review_attempts), 0),
                    count(*) FILTER (WHERE review_attempts > 1)
                FROM calls"""
            ).fetchone()
    except psycopg.OperationalError:
        return None
    assert row is not None
    keys = ("reviewed", "left", "flagged", "leads", "lead_calls", "flag_events")
    return dict(zip((*keys, "most_claims", "claimed_again"), row, strict=True))


def reviewed_now(server: Server, dbname: str) -> int | None:
    found = counts(server, dbname)
    return None if found is None else found["reviewed"]


def wait_for_review_after(server: Server, dbname: str, before: int, limit: float) -> float:
    """Seconds until a call is reviewed beyond `before` (the workers are back)."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        now = reviewed_now(server, dbname)
        if now is not None and now > before:
            return time.monotonic() - began
        time.sleep(0.05)
    return float("inf")


def run_drain(
    server: Server, dbname: str, n: int, workdir: Path, faults: list[tuple[float, str]]
) -> tuple[float, dict[str, int], list[str], Drain]:
    """Drain `n` calls with two workers; each fault fires once the reviewed share passes
    its fraction. The elapsed time, the final counts, what happened, the drain."""
    drain = Drain(server.url(dbname), workdir)
    notes: list[str] = []
    pending = sorted(faults)
    began = time.monotonic()
    for slot in range(WORKERS):
        drain.start_worker(slot)
    try:
        while time.monotonic() - began < DEADLINE:
            done = reviewed_now(server, dbname)
            if done is not None and done >= n:
                break
            drain.check_alive()
            if done is not None and pending and done >= pending[0][0] * n:
                _, fault = pending.pop(0)
                notes.append(fire(fault, server, dbname, drain, done))
            time.sleep(0.1)
        elapsed = time.monotonic() - began
    finally:
        drain.check_alive()
        drain.stop()
    final = counts(server, dbname)
    assert final is not None
    return elapsed, final, notes, drain


def fire(fault: str, server: Server, dbname: str, drain: Drain, done: int) -> str:
    at = f"at {done:,} reviewed"
    if fault.startswith("kill"):
        slot = int(fault[-1])
        drain.kill(slot)
        return f"kill -9 worker {slot} {at} (started again)"
    if fault == "fast restart":
        t0 = time.monotonic()
        server.stop()
        server.start()
        down = time.monotonic() - t0
        before = reviewed_now(server, dbname) or done
        back = wait_for_review_after(server, dbname, before, 120)
        return f"PostgreSQL fast restart {at}: down {down:.1f} s, reviewing {back:.1f} s after"
    if fault == "outage":
        server.stop()
        t0 = time.monotonic()
        while time.monotonic() - t0 < OUTAGE_SECONDS:
            drain.check_alive()  # a worker that exits now is counted
            time.sleep(0.2)
        server.start()
        down = time.monotonic() - t0
        before = reviewed_now(server, dbname) or done
        back = wait_for_review_after(server, dbname, before, 120)
        return f"PostgreSQL outage {at}: down {down:.1f} s, reviewing again {back:.1f} s after"
    raise ValueError(fault)


def new_database(server: Server, name: str, source: Path) -> str:
    with server.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE scl_template')
    seed(server.url(name), source)
    return name


def report(label: str, n: int, elapsed: float, final: dict[str, int]) -> list[str]:
    """The exactly-once checks; the problems found (none is the pass)."""
    problems = []
    if final["reviewed"] != n or final["left"]:
        problems.append(f"{final['reviewed']:,} of {n:,} reviewed, {final['left']:,} left")
    if final["leads"] != final["flagged"]:
        problems.append(f"{final['leads']:,} leads for {final['flagged']:,} calls flagged")
    if final["lead_calls"] != final["leads"]:
        problems.append(f"{final['leads'] - final['lead_calls']} calls with two leads")
    if final["flag_events"] != final["leads"]:
        problems.append(f"{final['flag_events']:,} lead.flagged events for {final['leads']:,}")
    print(
        f"  {label}: {n:,} calls in {elapsed:.1f} s ({n / elapsed:,.0f}/s); "
        f"{final['reviewed']:,} reviewed, {final['left']} left, {final['flagged']:,} flagged, "
        f"{final['leads']:,} leads on {final['lead_calls']:,} calls, "
        f"{final['flag_events']:,} lead.flagged events; claimed more than once "
        f"(a killed worker's or an outage's calls, reviewed once): {final['claimed_again']:,}"
    )
    return problems


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    small = max(1, n // 10)
    reason = unavailable_reason()
    if reason:
        print(f"  skipped: {reason}")
        return
    ended = datetime.now(UTC) - timedelta(hours=1)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, running_server() as server:
        workdir = Path(tmp)
        (workdir / "config.toml").write_text(f"[worker]\nlease_seconds = {LEASE_SECONDS}\n")
        for name, count in (("small", small), ("faults", n)):
            write_jsonl(workdir / f"{name}.jsonl", reviewable(count, end=ended, prefix=name))
            new_database(server, name, workdir / f"{name}.jsonl")
        print(
            f"  PostgreSQL on 127.0.0.1:{server.port}; {WORKERS} `scl worker` processes; "
            f"[worker] lease_seconds = {LEASE_SECONDS}"
        )
        small_time, final, _, drain = run_drain(server, "small", small, workdir, [])
        problems += report("no faults", small, small_time, final)
        faults: list[tuple[float, str]] = [
            (0.10, "kill 0"),
            (0.25, "fast restart"),
            (0.40, "kill 1"),
            (0.55, "outage"),
            (0.75, "kill 0"),
        ]
        big_time, final, notes, drain = run_drain(server, "faults", n, workdir, faults)
        for note in notes:
            print(f"    {note}")
        problems += report("with faults", n, big_time, final)
        exited = drain.exited_by_themselves
        print(f"    workers that exited by themselves: {len(exited)} {exited or ''}")
        if exited:
            problems.append(f"workers exited by themselves: exit codes {exited}")
        per_call = (big_time / n) / (small_time / small)
        print(
            f"  total time with faults / without: {big_time / small_time:.1f}x for "
            f"{n // small}x the calls; per call {per_call:.2f}x"
        )
    print("  PASS: every call reviewed exactly once" if not problems else "  FAIL:")
    for problem in problems:
        print(f"    {problem}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
