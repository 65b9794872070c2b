"""What every verb module of `scl` shares: who runs it (Session), how its errors end
(reports_errors), the lazy group, and how its output is shown.

The verb modules import this one, never the root group (scl_tui.cli): that would be a
circle, as the root registers them. An import-linter contract holds it (pyproject).

What the commands print, with text from calls and people shown literally — the rule
("no markup or escape sequence in a transcript can change the screen") in one place,
for the command line as `scl_tui.text.safe` is for the app:

- lines for people (tables, messages, errors quoting a name or a lead) always go
  through `safe()`, to a terminal, a pipe or a file alike: ESC shows as ␛;
- data for scripts (CSV, JSON Lines) keeps its exact bytes in a pipe or a file, the
  contract; only when it lands on a terminal are its control characters made visible.

Start-up is part of the interface: only click and pure domain modules at the top.
"""

from __future__ import annotations

import functools
import importlib
import io
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import datetime, tzinfo
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from core.config import data_dir, load_config
from core.errors import SclError

if TYPE_CHECKING:
    from core.services.context import ServiceContext

log = logging.getLogger("scl")
ON_STDERR = {"on_stderr": True}  # core.log_setup.ON_STDERR: said on stderr already
F = TypeVar("F", bound=Callable[..., Any])

# The verbs that act on leads and calls: acting --as another in them is audited.
DELEGATION_AUDITED = frozenset(
    f"scl{verb}"
    for verb in (
        "",
        " open",
        " demo",
        " dismiss",
        " callback",
        " status",
        " note",
        " book",
        " import",
        " flag",
    )
)


class Session:
    """What the global options chose; the ServiceContext and who acts are settled on
    first use, so commands that need neither (config, classify) work for anyone."""

    def __init__(self, db_url: str | None, requested: str | None) -> None:
        self.db_url = db_url
        self.requested = requested  # --as LOGIN, or None: the OS account's employee
        self._login: str | None = None
        self._ctx: ServiceContext | None = None
        self._zone: tuple[tzinfo | None] | None = None

    @property
    def ctx(self) -> ServiceContext:
        if self._ctx is None:
            from core.bootstrap import build_context

            if not self.db_url and not load_config().database_url:
                private_data_dir()
            self._ctx = build_context(self.db_url)
        return self._ctx

    @property
    def login(self) -> str:
        """The employee acted as: the OS account's (its uid, never $USER), or --as
        LOGIN when this OS account may act as others; refused (exit 1) otherwise."""
        if self._login is None:
            from core.services.identity import resolve

            click_ctx = click.get_current_context(silent=True)
            verb = click_ctx.command_path if click_ctx is not None else "scl"
            # Settings and permission changes are audited with the OS account already;
            # acting --as another on leads (which only the lead history records, by
            # employee) is audited here, once per command or app session.
            doing = verb if verb in DELEGATION_AUDITED else None
            self._login = resolve(self.ctx, self.requested, doing=doing).login
        return self._login

    @property
    def zone(self) -> tzinfo | None:
        """The company's time zone (setting `timezone`), read once; None: the host's."""
        if self._zone is None:
            from core.services.settings import get_settings

            self._zone = (get_settings(self.ctx).zone,)
        return self._zone[0]


def private_data_dir() -> None:
    """The default SQLite database is the user's own: its folder 0700, its file 0600,
    so other accounts on a shared host can neither read it nor write to it."""
    from core.db.engine import default_url

    default_url()  # creates the folder, or says why it cannot
    folder = data_dir()
    path = folder / "scl.db"
    try:
        if folder.stat().st_uid == os.geteuid():
            folder.chmod(0o700)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        for file in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
            if file.exists() and file.stat().st_uid == os.geteuid():
                file.chmod(0o600)
    except OSError as error:  # a read-only or foreign folder: the database says so later
        log.warning("could not make %s private: %s", folder, error)


def current_session() -> Session:
    """The Session the root group made from the global options, in any verb."""
    return click.get_current_context().find_root().obj


def reports_errors(command: F) -> F:
    """Our errors become one line on stderr and an exit status, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SclError as error:
            # The log (a file, on a terminal) keeps refusals too; stderr has them once.
            log.info("%s refused: %s", command.__name__, error.message, extra=ON_STDERR)
            echo(f"scl: {error.message}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:
            # Output piped into `head` that stopped reading: not an error worth a word.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # usage errors: click prints them and exits 2
        except Exception as error:  # a bug: the traceback goes to the log, not the screen
            from core.db.outages import outage

            found = outage(error)  # unreachable or full: weather, not a bug
            if found is not None:
                log.warning("%s: %s", command.__name__, found.message, extra=ON_STDERR)
                echo(f"scl: {found.message}", err=True)
                sys.exit(1)
            where = log_file()
            log.exception("unexpected error in %s", command.__name__)
            echo(f"scl: unexpected error: {error!r} (details in {where})", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def lead_action(verb: Callable[..., Any]) -> Callable[..., Any]:
    """Common shape of the agent's action verbs: report the result in one line."""

    @functools.wraps(verb)
    @reports_errors
    def wrapper(*args: Any, **kwargs: Any) -> None:
        result = verb(*args, **kwargs)
        echo(
            f"Lead {result.lead_id}: {result.message} → {result.status.display_name} "
            f"({result.tab.display_name})"
        )

    return wrapper


class LazyGroup(click.Group):
    """A group whose verbs from other modules are imported on first use (run, or listed
    by `scl --help`), so `scl leads` never pays for the imports of `scl serve`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, str] = {}

    def add_lazy_command(self, name: str, target: str) -> None:
        """Register verb NAME as "package.module:attribute", imported when needed."""
        self.lazy_commands[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's own handling, but a usage error is one line on stderr (exit 2):
        `scl leads: Invalid value for '--tab': … ; see `scl leads --help``."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            echo(usage_line(error), err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:  # e.g. a file click could not open
            echo(f"scl: {' '.join(error.format_message().split())}", err=True)
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is not None and cmd_name not in self.commands:
            module, _, attribute = target.partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


def usage_line(error: click.UsageError) -> str:
    """A usage error in one line: the command, what was wrong, where to read more."""
    where = error.ctx.command_path if error.ctx is not None else "scl"
    message = " ".join(error.format_message().split()).rstrip(".")
    return f"{where}: {message}; see `{where} --help`"


# json.dumps escapes C0 controls (ESC among them) but, with ensure_ascii=False, writes
# DEL and the C1 controls raw; U+009B alone is a CSI to some terminals.
_JSON_RAW_CONTROLS = re.compile(r"[\x7f-\x9f]")


def safe(text: str | None) -> str:
    """scl_tui.text.safe, imported when first needed (it loads Rich: not for --help)."""
    from scl_tui.text import safe as shown_literally

    return shown_literally(text)


def shown_phone(e164: str | None, missing: str = "none") -> str:
    """A phone number as every verb prints it, the app's way ('(512) 555-0134' at home,
    international abroad): core.domain.phones.display_phone, imported on first use."""
    if not e164:
        return missing
    from core.domain.phones import display_phone

    return display_phone(e164)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], right: Container[int] = ()
) -> None:
    """Rows as plain columns under a header line, two spaces apart, each cell shown
    literally; the columns numbered in `right` are aligned right (numbers). The last
    column is not padded (unless aligned right). Scripts read --json; this is for people."""
    cells = [[safe(str(cell)) for cell in row] for row in rows]
    widths = [
        max([_width(header), *(_width(row[index]) for row in cells)])
        for index, header in enumerate(headers)
    ]
    for row in [list(headers), *cells]:
        padded = [
            _pad(cell, widths[index], index in right)
            if index < len(row) - 1 or index in right
            else cell
            for index, cell in enumerate(row)
        ]
        click.echo("  ".join(padded).rstrip())


def _pad(cell: str, width: int, right: bool) -> str:
    room = " " * (width - _width(cell))
    return room + cell if right else cell + room


def _width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def echo(message: object = "", err: bool = False) -> None:
    """A line for people: any control character in it is shown as a picture."""
    click.echo(safe(str(message)), err=err)


def echo_json(line: str) -> None:
    """One JSON Lines record on stdout: byte for byte as given, but on a terminal the
    controls JSON leaves raw are written as \\u escapes (the same JSON value)."""
    if is_terminal(sys.stdout):
        line = _JSON_RAW_CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", line)
    click.echo(line)


def for_people(stream: IO[str]) -> IO[str]:
    """`stream`, with every write shown literally (for tables written row by row)."""
    return _Literal(stream)


def for_terminal(stream: IO[str]) -> IO[str]:
    """`stream` as it is for a pipe or a file; shown literally when it is a terminal."""
    return _Literal(stream) if is_terminal(stream) else stream


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


class _Literal(io.TextIOBase):
    """A text stream writing through `safe()`: tabs and newlines pass, nothing else."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._stream.write(safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def shown_time(moment: datetime, *, labelled: bool = True) -> str:
    """A moment on the company's clock, to the minute, with the zone's short name
    ("2026-12-03 17:05 CST"); unlabelled in a column whose header names the zone."""
    from core.domain.zones import abbreviation, shown_at

    zone = current_session().zone
    shown = shown_at(moment, zone)
    return f"{shown} {abbreviation(moment, zone)}".rstrip() if labelled else shown


def time_header(name: str) -> str:
    """A time column's header naming the zone its times are in: "Flagged (America/Chicago)",
    or the host's short name when the company has set none."""
    from core.domain.zones import zone_label

    zone = current_session().zone
    label = str(zone) if zone is not None else zone_label(datetime.now().astimezone(), None)
    return f"{name} ({label})" if label else name


def one_line(text: str, width: int = 60) -> str:
    """TEXT on one line of at most WIDTH characters (an ellipsis where cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def log_file() -> str:
    """Where this process's log goes, for messages that point there."""
    return _log_where or "the log"


_log_where: str | None = None


def log_to_file() -> None:
    """Events go to stderr under a service manager, else to the user's own log file."""
    global _log_where
    from core.log_setup import configure

    _log_where = configure()
