"""`scl import --watch DIR`: export files dropped into a folder are imported as they
appear, then moved to DIR/done/ or DIR/failed/ with a report of their bad rows.

- A file is taken once it stopped changing: the same size and modification time at two
  looks in a row, the last change at least SETTLE seconds ago (a file renamed in whole
  qualifies at once; one still being copied does not). Names starting with `.` or `~`
  (editors' and Excel's lock files) and other extensions than EXTENSIONS are left alone.
- Several watchers may watch one folder: a watcher locks the file (flock) and renames
  it into `processing/` under a name of its own; the loser of the race finds the
  file locked or gone and moves on. A file stays locked while it is imported.
- A watcher that dies mid-file (kill -9, a lost host) leaves the file in `processing/`
  with its lock released by the kernel; the next watcher to look finds it unlocked and
  imports it again from the start. The import is idempotent on the external id, so the
  calls stored before the crash are not stored twice and none is lost.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from core.errors import SetupError
from core.services.context import ServiceContext
from core.services.importer import ImportReport, import_files

log = logging.getLogger("scl.watch")

EXTENSIONS = (".jsonl", ".ndjson", ".json", ".csv")
SETTLE = 2.0  # seconds since a file's last change before it is taken
SUBFOLDERS = ("processing", "done", "failed")
_OWNER = "~"  # processing/<watcher>~<name>


@dataclass(frozen=True)
class Finished:
    """One file imported: where it went and what the import said."""

    name: str
    moved_to: Path
    report: ImportReport
    report_file: Path | None


@dataclass
class Watcher:
    ctx: ServiceContext
    folder: Path
    settle: float = SETTLE
    ident: str = field(
        default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    )
    on_error: Callable[[str], None] | None = None
    _seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    _failures: int = 0  # looks in a row where a file could not be imported

    def __post_init__(self) -> None:
        self.folder = self.folder.resolve()
        try:
            for name in SUBFOLDERS:
                (self.folder / name).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SetupError(
                f"cannot watch {self.folder}: {error.strerror or error} "
                f"(it needs {', '.join(SUBFOLDERS)} folders this account may write)"
            ) from None

    def run(
        self,
        stop: threading.Event,
        poll: float = 1.0,
        on_file: Callable[[Finished], None] | None = None,
    ) -> None:
        """Look every `poll` seconds until `stop` is set."""
        while not stop.is_set():
            for finished in self.look():
                if on_file is not None:
                    on_file(finished)
            # A database outage: try again, less often the longer it lasts.
            stop.wait(min(60.0, poll * 2 ** min(self._failures, 6)))

    def look(self) -> list[Finished]:
        """One look: files left in processing/ first (by a dead watcher, or by this one
        when the database failed), then the settled new ones."""
        failures = self._failures
        done = [f for f in map(self._orphan, self._listed("processing")) if f is not None]
        now = datetime.now().timestamp()
        seen: dict[str, tuple[int, int]] = {}
        for path in self._listed(None):
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            signature = (info.st_size, info.st_mtime_ns)
            seen[path.name] = signature
            if self._seen.get(path.name) == signature and now - info.st_mtime >= self.settle:
                finished = self._take(path, path.name)
                if finished is not None:
                    done.append(finished)
                    seen.pop(path.name, None)
        self._seen = seen
        if self._failures == failures:
            self._failures = 0
        return done

    def _listed(self, sub: str | None) -> list[Path]:
        where = self.folder / sub if sub else self.folder
        try:
            entries = sorted(where.iterdir())
        except FileNotFoundError:
            return []
        return [
            p
            for p in entries
            if p.suffix.lower() in EXTENSIONS
            and not p.name.startswith((".", "~"))
            and p.is_file()
            and not p.is_symlink()
        ]

    def _orphan(self, path: Path) -> Finished | None:
        owner, sep, name = path.name.partition(_OWNER)
        if not sep:
            return None
        return self._take(path, name, orphan=owner != self.ident)

    def _take(self, path: Path, name: str, *, orphan: bool = False) -> Finished | None:
        """Lock, claim by rename, import, move on; None when another watcher has it."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None  # gone (taken by another watcher) or not ours to read
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None  # another watcher is importing it
            try:
                if os.stat(path).st_ino != os.fstat(fd).st_ino:
                    return None  # imported meanwhile, and a new file took its name
                claimed = self.folder / "processing" / f"{self.ident}{_OWNER}{name}"
                os.rename(path, claimed)
            except FileNotFoundError:
                return None
            if orphan:
                log.warning("watch: %s was left half-imported by a stopped watcher; again", name)
            try:
                return self._import(claimed, name)
            except Exception as error:  # the database gone or full: the file waits
                self._failures += 1
                said = f"{name}: not imported ({_one_line(error)}); it waits in processing/"
                log.warning("watch: %s", said, exc_info=not isinstance(error, OSError))
                if self.on_error is not None:
                    self.on_error(said)
                return None
        finally:
            os.close(fd)  # releases the lock, once the file has left processing/

    def _import(self, claimed: Path, name: str) -> Finished:
        report = import_files(self.ctx, [claimed])
        shown = str(self.folder / name)
        report.problems[:] = [replace(p, file=shown) for p in report.problems]
        target_folder = self.folder / ("failed" if report.rejected else "done")
        target = _free_name(target_folder / name)
        report_file = None
        if report.problems:
            report_file = target.with_name(target.name + ".report.txt")
            _write_report(report_file, name, report)
        os.rename(claimed, target)
        log.info(
            "watch: %s: %d new, %d already known, %d rejected -> %s",
            name,
            report.imported,
            report.already_known,
            len(report.rejected),
            target_folder.name,
        )
        return Finished(name, target, report, report_file)


def _one_line(error: Exception) -> str:
    from core.db.outages import outage

    found = outage(error)
    if found is not None:
        return found.message
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


def _free_name(path: Path) -> Path:
    """`path`, or with the time before its extension when a file of that name is there."""
    if not path.exists():
        return path
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return path.with_name(f"{path.stem}.{stamp}{path.suffix}")


def _write_report(path: Path, name: str, report: ImportReport) -> None:
    lines = [
        f"{name}: {report.read} rows read, {report.imported} imported, "
        f"{report.already_known} already known, {len(report.rejected)} rejected, "
        f"{len(report.warnings)} warnings.",
        *(str(problem) for problem in report.problems),
    ]
    partial = path.with_name(path.name + ".part")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(partial, path)
