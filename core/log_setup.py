"""Where `scl` and its worker log, and in what shape.

Under a service manager (stderr is not a terminal) every event is one logfmt line on
stderr — time, level, logger, event, then the event's fields — which journald keeps,
with the syslog priority prefix it understands when stderr is the journal. On a
terminal the same lines go to a rotating file of the OS user's own in the data
directory, so the screen stays clean and users never share (or rotate) one file.

What goes in: actions, refusals, worker errors. What stays out: libraries' set-up
chatter (held at WARNING), and secrets and call text, which no log call passes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 3
QUIET_LIBRARIES = ("alembic", "sqlalchemy", "httpx", "httpcore", "openai", "urllib3", "asyncio")
"""Their INFO lines ("Context impl SQLiteImpl.", "Will assume transactional DDL.", each
HTTP request) say nothing an operator acts on; their warnings still come through."""

_BARE = re.compile(r"[A-Za-z0-9_.:/@+%,-]+")
_PRIORITY = {"CRITICAL": 2, "ERROR": 3, "WARNING": 4, "INFO": 6, "DEBUG": 7}
_OURS = "_scl_handler"  # marks handlers this module installed, to replace them on a re-run


def os_user() -> str:
    """The OS account running this process, by uid (never $USER, which anyone can set)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def log_path() -> Path:
    """This OS user's log file: scl-<user>.log in the data directory."""
    from core.config import data_dir

    return data_dir() / f"scl-{os_user()}.log"


def what_failed(message: str) -> str:
    """An error message cut before what a remote service or model said ("… answered HTTP
    400: <the server's words>", "the model refused: <its words>"): those may quote the
    call, and call text stays out of logs, a service's stderr and `scl status`."""
    return ": ".join(message.split(": ")[:2])


def to_stderr(stream: TextIO | None = None) -> bool:
    """Whether events go to stderr: SCL_LOG=stderr|file decides, else stderr when it is
    not a terminal (a service, a cron job, a pipe) unless the process is an app session
    in the browser (textual-serve holds its stderr in memory, shown only if it fails)."""
    choice = os.environ.get("SCL_LOG", "").strip().lower()
    if choice in ("stderr", "file"):
        return choice == "stderr"
    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return False  # an app session of `scl serve`: the server keeps its stderr unread
    stream = stream or sys.stderr
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def configure(level: int = logging.INFO, *, stream: TextIO | None = None) -> str:
    """Set up the root logger for this process (again, replacing our earlier set-up);
    where the events go, for messages that point there."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
        old.close()
    handler: logging.Handler
    if to_stderr(stream):
        out = stream or sys.stderr
        handler = logging.StreamHandler(out)
        handler.setFormatter(LogfmtFormatter(journal=_is_journal(out)))
        handler.addFilter(_not_shown_already)
        where = "the log on stderr"
    else:
        handler = UserFileHandler(log_path())
        handler.setFormatter(LogfmtFormatter())
        where = str(log_path())
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # A line that cannot be written (a full disk) is dropped, not printed over the
    # screen as a "Logging error" traceback: the command says what matters in one line.
    logging.raiseExceptions = False
    return where


ON_STDERR = {"on_stderr": True}
"""`extra=` for an event the command has just said in its own line on stderr (a
refusal): the file keeps it, stderr does not say it twice."""


def _not_shown_already(record: logging.LogRecord) -> bool:
    return not getattr(record, "on_stderr", False)


class LogfmtFormatter(logging.Formatter):
    """One event per line: time=… level=… logger=… event="…" key=value…

    Fields come from `extra={"fields": {...}}`. Values with spaces, quotes or control
    characters are JSON-quoted, so a newline or an escape sequence in a message can
    neither split the event nor reach a terminal that shows the log."""

    def __init__(self, *, journal: bool = False) -> None:
        super().__init__()
        self.journal = journal

    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC)
        fields: dict[str, Any] = {
            "time": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            fields["error"] = self.formatException(record.exc_info)
        line = " ".join(f"{key}={_value(value)}" for key, value in fields.items())
        if self.journal:
            line = f"<{_PRIORITY.get(record.levelname, 6)}>{line}"
        return line


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    if _BARE.fullmatch(text):
        return text
    return json.dumps(text)  # quotes, backslashes, newlines and control codes escaped


def _is_journal(stream: TextIO) -> bool:
    """stderr is journald's stream ($JOURNAL_STREAM names its device and inode)."""
    expected = os.environ.get("JOURNAL_STREAM")
    if not expected:
        return False
    try:
        found = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return expected == f"{found.st_dev}:{found.st_ino}"


class UserFileHandler(logging.Handler):
    """A RotatingFileHandler opened on the first event: a command that logs nothing
    creates no file and loads no logging.handlers. The file is made 0600 (its owner's)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._target: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._target is None:
            self._target = self._open()
        self._target.handle(record)

    def _open(self) -> logging.Handler:
        from logging.handlers import RotatingFileHandler

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
            target: logging.Handler = RotatingFileHandler(
                self.path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
        except OSError:
            return logging.NullHandler()  # the data directory's problem is reported elsewhere
        target.setFormatter(self.formatter)
        return target

    def close(self) -> None:
        if self._target is not None:
            self._target.close()
        super().close()
