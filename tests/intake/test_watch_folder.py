"""`scl import --watch DIR`: files dropped into a folder are imported once each, by one
watcher or several, across a watcher killed halfway through a file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db.models import Call, TranscriptSegment
from core.services.watch_folder import Watcher
from tests.cli.conftest import SCL

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"
ROW = json.loads((EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()[0])
ROW["csr"] = None


def calls_file(path: Path, first: int, count: int, bad: dict[int, str] | None = None) -> Path:
    """`count` calls W-first… as JSON Lines; line numbers in `bad` get that direction."""
    lines = []
    for number in range(1, count + 1):
        row = {**ROW, "external_id": f"W-{first + number - 1}"}
        if bad and number in bad:
            row["direction"] = bad[number]
        lines.append(json.dumps(row))
    partial = path.with_name("." + path.name)  # written aside, renamed in whole
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.rename(path)
    return path


def counts(ctx) -> tuple[int, int, int]:
    with ctx.db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(Call)),
            session.scalar(select(func.count(func.distinct(Call.external_id)))),
            session.scalar(select(func.count()).select_from(TranscriptSegment)),
        )


def wait_for(condition: Callable[[], object], seconds: float = 120, what: str = "") -> None:
    ends = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > ends:
            raise AssertionError(f"waited {seconds} s for {what or condition}")
        time.sleep(0.05)


def test_a_file_that_appears_is_imported_and_moved_to_done(sqlite_ctx, tmp_path):
    watcher = Watcher(sqlite_ctx, tmp_path / "in", settle=0)
    calls_file(tmp_path / "in" / "calls.jsonl", 1, 3)
    assert watcher.look() == []  # seen once: it may still be growing
    (finished,) = watcher.look()
    assert finished.moved_to == (tmp_path / "in" / "done" / "calls.jsonl").resolve()
    assert finished.moved_to.is_file() and finished.report_file is None
    assert counts(sqlite_ctx) == (3, 3, 12)
    assert not list((tmp_path / "in").glob("*.jsonl"))
    assert not list((tmp_path / "in" / "processing").iterdir())


def test_a_file_still_growing_is_left_until_it_stops(sqlite_ctx, tmp_path):
    watcher = Watcher(sqlite_ctx, tmp_path / "in", settle=0)
    path = tmp_path / "in" / "calls.jsonl"
    path.write_text(json.dumps({**ROW, "external_id": "G-1"}) + "\n", encoding="utf-8")
    watcher.look()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**ROW, "external_id": "G-2"}) + "\n")
    assert watcher.look() == []
    (finished,) = watcher.look()
    assert finished.report.imported == 2


def test_a_file_with_bad_rows_goes_to_failed_beside_a_report_of_them(sqlite_ctx, tmp_path):
    watcher = Watcher(sqlite_ctx, tmp_path / "in", settle=0)
    calls_file(tmp_path / "in" / "calls.jsonl", 1, 4, bad={2: "up", 4: "down"})
    watcher.look()
    (finished,) = watcher.look()
    failed = (tmp_path / "in" / "failed").resolve()
    assert finished.moved_to == failed / "calls.jsonl"
    report = (failed / "calls.jsonl.report.txt").read_text(encoding="utf-8").splitlines()
    assert report[0] == (
        "calls.jsonl: 4 rows read, 2 imported, 0 already known, 2 rejected, 0 warnings."
    )
    where = (tmp_path / "in").resolve() / "calls.jsonl"
    assert report[1].startswith(f"{where}:2: field 'direction': error:")
    assert report[2].startswith(f"{where}:4: field 'direction': error:")
    assert counts(sqlite_ctx)[0] == 2


@pytest.fixture
def watchers(seeded, tmp_path) -> Iterator[Callable[[], subprocess.Popen]]:
    """Starts real `scl import --watch` processes; every one is stopped at the end."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [
                str(SCL),
                "--db",
                seeded[0],
                "--as",
                "admin",
                "import",
                "--watch",
                str(tmp_path / "in"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)


def test_two_watchers_of_one_folder_import_each_call_once(seeded, watchers, tmp_path):
    _, ctx = seeded
    (tmp_path / "in").mkdir()
    seeded_calls, _, seeded_segments = counts(ctx)
    first, second = watchers(), watchers()
    files = [calls_file(tmp_path / "in" / f"batch-{n}.jsonl", n * 500, 500) for n in range(6)]
    done = tmp_path / "in" / "done"
    wait_for(lambda: len(list(done.glob("*.jsonl"))) == len(files), what="six files in done/")
    calls = seeded_calls + 3_000
    assert counts(ctx) == (calls, calls, seeded_segments + 3_000 * 4)
    assert sorted(p.name for p in done.glob("*.jsonl")) == sorted(f.name for f in files)
    first.send_signal(signal.SIGTERM)
    second.send_signal(signal.SIGTERM)
    outputs = first.communicate(timeout=60)[0] + second.communicate(timeout=60)[0]
    assert outputs.count("imported 500 calls; 0 already known") == len(files)


def test_a_watcher_killed_mid_file_and_restarted_loses_and_doubles_nothing(
    seeded, watchers, tmp_path
):
    _, ctx = seeded
    (tmp_path / "in").mkdir()
    total = 30_000
    before, _, segments = counts(ctx)
    killed = watchers()
    calls_file(tmp_path / "in" / "big.jsonl", 1, total)
    # Mid-file: some batches stored, not all.
    wait_for(lambda: counts(ctx)[0] > before, what="the first batch stored")
    killed.send_signal(signal.SIGKILL)
    killed.wait(30)
    stored_at_kill = counts(ctx)[0] - before
    assert 0 < stored_at_kill < total
    assert [p.name.split("~")[1] for p in (tmp_path / "in" / "processing").iterdir()] == [
        "big.jsonl"
    ]
    restarted = watchers()
    wait_for(lambda: (tmp_path / "in" / "done" / "big.jsonl").exists(), what="big.jsonl done")
    assert counts(ctx) == (before + total, before + total, segments + total * 4)
    restarted.send_signal(signal.SIGTERM)
    out = restarted.communicate(timeout=60)[0]
    assert f"imported {total - stored_at_kill} calls; {stored_at_kill} already known" in out
    assert not list((tmp_path / "in" / "processing").iterdir())


def test_a_file_the_database_cannot_take_waits_in_processing_and_goes_in_later(
    sqlite_ctx, tmp_path, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from core.services import watch_folder

    real = watch_folder.import_files
    outage = [OperationalError("INSERT", {}, Exception("database is locked"))]

    def database_away_once(*args, **kwargs):
        if outage:
            raise outage.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(watch_folder, "import_files", database_away_once)
    said: list[str] = []
    watcher = Watcher(sqlite_ctx, tmp_path / "in", settle=0, on_error=said.append)
    calls_file(tmp_path / "in" / "calls.jsonl", 1, 2)
    assert watcher.look() == [] and watcher.look() == []
    assert [p.name.split("~")[1] for p in (tmp_path / "in" / "processing").iterdir()] == [
        "calls.jsonl"
    ]
    assert said and said[0].startswith("calls.jsonl: not imported (")
    (finished,) = watcher.look()
    assert finished.report.imported == 2 and finished.moved_to.parent.name == "done"


def test_a_folder_that_cannot_be_watched_is_said_in_one_line(scl, seeded, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    ran = scl("--db", seeded[0], "--as", "admin", "import", "--watch", str(blocker / "in"))
    assert ran.code == 2
    assert ran.err.startswith(f"scl: cannot watch {blocker / 'in'}: Not a directory")
    assert "Traceback" not in ran.err and len(ran.err.strip().splitlines()) == 1
