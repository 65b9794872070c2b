"""The `scl` command: every agent action as a verb, and the app itself.

Global options (--db, --as) come before the verb. Exit status, in every verb: 0 done;
1 refused or not found, where the app would refuse it too (the message says why), and
rows rejected from an otherwise good file; 2 usage or set-up: what the command line
itself gets wrong (an unknown option, a bad choice or time, a file that is no export),
and a config, database or data directory that cannot be used. Usage errors are one line.

Start-up is part of the interface (scripts and an import loop call `scl` thousands of
times): this module imports only click and pure domain modules at the top; services,
SQLAlchemy and the app are imported inside the verb that needs them, and the verbs of
other modules are registered by name (`cli.add_lazy_command`), imported when run or
listed. tests/cli/test_startup.py holds `scl --help` to that.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from core.config import config_path, data_dir, load_config
from core.domain.metrics import PERIOD_DAYS
from core.domain.settings import SETTING_SPECS
from core.domain.statuses import DismissReason, LeadStatus, Tab
from core.errors import SclError, SetupError
from scl_tui.cli.common import echo, echo_json, shown_phone, table

if TYPE_CHECKING:
    from core.services.context import ServiceContext
    from core.services.views import LeadRow

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


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    envvar="SCL_DATABASE_URL",
    help="Database URL (default: SQLite in the user data directory).",
)
@click.option(
    "--as",
    "login",
    metavar="LOGIN",
    help="Act as this employee (default: the OS account's); only for root, "
    "administrators and the OS accounts an administrator allows.",
)
@click.version_option(package_name="scl-tui")
@click.pass_context
@reports_errors
def cli(click_ctx: click.Context, db_url: str | None, login: str | None) -> None:
    """Second Chance Leads: review unbooked calls and save the jobs a call back can win."""
    click_ctx.obj = Session(db_url, login)
    if click_ctx.invoked_subcommand is None:
        _run_app(click_ctx.obj)


def _session() -> Session:
    return click.get_current_context().find_root().obj


def _run_app(session: Session, lead: str | None = None) -> None:
    from scl_tui.app import run_app
    from scl_tui.in_app_review import in_app_reviewer

    login = session.login  # who first: a refusal says so, with or without a terminal
    # A terminal app without a terminal (a script, cron, a pipe) would spin on an input
    # that is always at its end; the browser (scl serve) brings a driver of its own.
    if "TEXTUAL_DRIVER" not in os.environ and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise SetupError(
            "the app needs a terminal (stdin and stdout are not one here); in scripts use "
            "the commands, e.g. `scl leads --json`, or `scl serve` for a browser"
        )
    reviewer, notice = in_app_reviewer(session.ctx, load_config())  # none without a key
    run_app(session.ctx, login, open_lead=lead, reviewer=reviewer, review_notice=notice)


@cli.command()
@click.argument("lead")
@reports_errors
def open(lead: str) -> None:
    """The app, with LEAD's review open (what a notification links to)."""
    from core.services.leads import get_review

    session = _session()
    get_review(session.ctx, session.login, lead)  # an unknown lead: one line, exit 1
    _run_app(session, lead)


@cli.command()
@click.option("--no-open", is_flag=True, help="Load the data and exit.")
@reports_errors
def demo(no_open: bool) -> None:
    """Load the demo data (again is harmless) and open the app as the demo agent."""
    from core.services.demo import DEMO_DIR, load_demo
    from core.services.identity import allow_by_setup, check_demo_database, demo_logins

    session = _session()
    # Never into a company's database; in the demo's own, whoever runs it may act as
    # its employees (the app opens as `agent`), a change the audit log shows.
    check_demo_database(session.ctx, demo_logins(DEMO_DIR))
    counts = load_demo(session.ctx)
    allow_by_setup(session.ctx)
    click.echo(
        f"Demo loaded into {session.ctx.db.url.render_as_string(hide_password=True)}: "
        f"{counts.employees} employees, {counts.calls} calls, {counts.leads} leads "
        f"({counts.added_calls} calls new this time)."
    )
    if not no_open:
        # The demo opens as its agent: the demo database lists this OS account as
        # allowed to act as the demo's employees (see load above).
        if session.requested is None:
            session.requested = "agent"
        _run_app(session)


@cli.command("import")
@click.argument(
    "files",
    nargs=-1,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "--watch",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Import files dropped into DIR as they appear (then in DIR/done or DIR/failed).",
)
@reports_errors
def import_calls(files: tuple[Path, ...], watch: Path | None) -> None:
    """Import calls from export files (JSON Lines or CSV); re-running changes nothing.

    FILE `-` (or /dev/stdin) reads standard input: JSON Lines, or CSV when its first
    line is a CSV header. Exit 0 when every row went in, 1 when some were rejected
    (each is reported with file, line and field). --watch DIR runs until stopped.
    """
    if (watch is None) == (not files):
        raise click.UsageError("give FILE... to import, or --watch DIR (not both)")
    if watch is not None:
        from scl_tui.cli.intake import watch as watch_folder

        return watch_folder(watch, poll=1.0)
    from core.services.importer import import_calls, is_stdin, require_importer

    session = _session()
    ctx = session.ctx
    require_importer(ctx, session.login)  # before reading the files
    # A pipe can be read once: it is imported, not counted first (no progress bar).
    piped = any(is_stdin(path) or not path.is_file() for path in files)
    total = 0 if piped else sum(_count_lines(path) for path in files)
    with click.progressbar(
        length=total,
        label="Importing",
        file=sys.stderr,
        show_pos=True,
        hidden=piped or not sys.stderr.isatty(),
    ) as bar:
        report = import_calls(ctx, session.login, files, on_progress=bar.update)
    for problem in report.problems:
        echo(str(problem), err=True)
    click.echo(
        f"Imported {report.imported} calls; {report.already_known} already known, "
        f"{len(report.rejected)} rejected, {len(report.warnings)} warnings."
    )
    if report.rejected:
        sys.exit(1)


def _profile_for_classify(company_file: Path | None) -> Any:
    """The profile `scl classify` judges against: the file given, else the stored one
    (read only), else the built-in one when there is no database to read."""
    from core.classify.profile import ProfileError, parse_profile
    from scl_tui.cli.company import read_profile_file

    if company_file is not None:
        try:
            return parse_profile(read_profile_file(company_file, "--company"), str(company_file))
        except ProfileError as error:
            raise click.BadParameter(str(error), param_hint="'--company'") from None
    from sqlalchemy.engine import make_url

    from core.db.engine import resolve_url
    from core.services.company import get_profile

    session = _session()
    url = make_url(resolve_url(load_config(), session.db_url))
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return None  # no database yet: classify creates none (the built-in profile)
    try:
        return get_profile(session.ctx)
    except SclError:
        return None


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per call on stdout.")
@click.option(
    "--company",
    "company_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Judge against this company profile (TOML) instead of the stored one.",
)
@reports_errors
def classify(file: Path, as_json: bool, company_file: Path | None) -> None:
    """Classify the calls in an export FILE without touching the database.

    Exit 1 when some rows were rejected (each is reported); a FILE whose first rows are
    no calls at all is not an export: it stops there with one line and exit 2."""
    from core.classify.factory import make_classifier
    from core.services.classify_file import classify_file

    classifier = make_classifier(load_config(), _profile_for_classify(company_file))
    rejected = unread = read = 0
    for outcome in classify_file(classifier, file):
        if outcome.problem is not None:
            rejected += 1
            unread += outcome.external_id is None  # not even read as a call
            echo(str(outcome.problem), err=True)
            if unread >= NOT_AN_EXPORT_AFTER and not read:
                echo(
                    f"scl: stopped after {unread} rows: {file} does not look like a call "
                    "export (JSON Lines or CSV with external_id, direction, customer_phone, "
                    "started_at, ended_at, job_booked)",
                    err=True,
                )
                sys.exit(2)
            continue
        read += 1
        verdict = outcome.verdict
        assert verdict is not None
        if as_json:
            echo_json(
                json.dumps(
                    {
                        "external_id": outcome.external_id,
                        "lead": verdict.lead,
                        "confidence": verdict.confidence,
                        "reason": verdict.reason,
                        "evidence": list(verdict.evidence),
                        "summary": verdict.summary,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            mark = "LEAD" if verdict.lead else "    "
            echo(
                f"{mark} {verdict.confidence:4.2f} {outcome.external_id}  "
                f"{_oneline(verdict.reason, 70)}"
            )
    if rejected:
        sys.exit(1)


NOT_AN_EXPORT_AFTER = 5
"""Rows that could not be read as calls, and none that could, before `scl classify`
stops: FILE is not an export (a usage error), not an export with some bad rows."""


@cli.command()
@click.option("--once", is_flag=True, help="Review what is due now, then exit.")
@click.option(
    "--poll",
    type=click.FloatRange(0.1, 3600),
    default=5.0,
    show_default=True,
    help="Seconds between looks for due calls.",
)
@reports_errors
def worker(once: bool, poll: float) -> None:
    """Review every due call: inbound, unbooked, past After Call Work Time."""
    import signal
    import threading

    from core.classify.factory import make_classifier
    from core.services.settings import get_settings
    from core.workers.review_worker import ReviewWorker, WorkerOptions, review_delays

    session = _session()
    ctx = session.ctx if once else _wait_for_database(session)
    config = load_config()
    # A database outage (a restart, a full disk) is waited out with backoff; `--once`
    # (cron) gives up after ONCE_PATIENCE rather than pile up behind a dead server.
    patience = ONCE_PATIENCE if once else None
    review = ReviewWorker(
        ctx,
        make_classifier(config),
        options=WorkerOptions.from_config(config, poll_seconds=poll, give_up_after=patience),
        on_status=_tell_database_status,
    )
    if not get_settings(ctx).enabled:
        click.echo(
            "Second Chance Leads is disabled: nothing is reviewed until an "
            "administrator runs `scl settings enabled true`.",
            err=True,
        )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if not once:
        click.echo(
            f"Worker {review.token} reviewing due calls; Ctrl-C or SIGTERM stops it.", err=True
        )
    from scl_tui.cli.notify import dispatch_summary, make_dispatcher, start_beside

    # New leads' texts and emails go out beside the review (`scl notify` does only this).
    beside = None if once else start_beside(stop)
    stats = review.run_once(stop) if once else review.run(stop)
    click.echo(
        f"Reviewed {stats.reviewed} calls: {stats.flagged} flagged as leads, "
        f"{stats.delayed} delayed."
    )
    if once:
        dispatcher = make_dispatcher(config)
        dispatcher.patient.give_up_after = patience
        click.echo(dispatch_summary(dispatcher.run_once(stop)))
    elif beside is not None:
        beside[1].join(30)  # type: ignore[attr-defined]
    for error in stats.errors:
        echo(f"delayed: {error}", err=True)
    delayed, latest = review_delays(ctx)
    if delayed:
        echo(
            f"{delayed} calls wait for another try (review delayed); latest error: {latest}",
            err=True,
        )


ONCE_PATIENCE = 300.0
"""Seconds `scl worker --once` waits for an unreachable or full database."""


def _wait_for_database(session: Session) -> ServiceContext:
    """A worker service started while the database is down or full waits for it (a
    supervisor restarting it meanwhile would only add delay); a bad URL still exits."""
    import time

    from core.db.outages import Backoff, DatabaseUnreachable

    backoff = Backoff()
    told = False
    while True:
        try:
            return session.ctx
        except DatabaseUnreachable as error:
            if not told:
                echo(f"scl worker: {error.message}; retrying", err=True)
                told = True
            time.sleep(backoff.next())


def _tell_database_status(status: Any) -> None:
    """The worker's one line when the database goes away, and one when it is back."""
    echo(f"scl worker: {status.message}", err=True)


@cli.command()
@click.option("--tab", type=click.Choice([t.value for t in Tab]), help="Only this tab.")
@click.option(
    "--status", "status", type=click.Choice([s.value for s in LeadStatus]), help="Only this status."
)
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one lead a line.")
@reports_errors
def leads(tab: str | None, status: str | None, limit: int, as_json: bool) -> None:
    """List leads, newest first."""
    from core.services.leads import list_leads

    session = _session()
    rows: list[LeadRow] = []
    cursor = None
    while len(rows) < limit:
        page = list_leads(
            session.ctx,
            session.login,
            Tab(tab) if tab else None,
            LeadStatus(status) if status else None,
            limit=min(500, limit - len(rows)),
            after=cursor,
        )
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    if not as_json:
        _leads_table(rows)
        return
    for row in rows:
        echo_json(
            json.dumps(
                {
                    "lead_id": row.lead_id,
                    "external_id": row.external_id,
                    "customer_phone": row.customer_phone,
                    "status": row.status.value,
                    "tab": row.tab.value,
                    "flagged_at": row.flagged_at.isoformat(),
                    "reason": row.reason,
                    "confidence": row.confidence,
                },
                ensure_ascii=False,
            )
        )


def _leads_table(rows: list[LeadRow]) -> None:
    if not rows:
        echo("No leads.")
        return
    table(
        ("Lead", "Flagged", "Phone", "Tab", "Status", "Reason"),
        [
            (
                row.lead_id,
                _local(row.flagged_at),
                shown_phone(row.customer_phone),
                row.tab.display_name,
                row.status.display_name,
                _oneline(row.reason or ""),
            )
            for row in rows
        ],
        right={0},
    )


def _lead_action(verb: Callable[..., Any]) -> Callable[..., Any]:
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


@cli.command()
@click.argument("lead")
@click.option("--reason", required=True, type=click.Choice([r.value for r in DismissReason]))
@_lead_action
def dismiss(lead: str, reason: str) -> Any:
    """Dismiss LEAD (id or external id) as not a lead, or as not followed up."""
    from core.services.review import dismiss as dismiss_lead

    session = _session()
    return dismiss_lead(session.ctx, session.login, lead, DismissReason(reason))


@cli.command()
@click.argument("lead")
@_lead_action
def callback(lead: str) -> Any:
    """Call the customer of LEAD back (status becomes Call Back Attempted)."""
    from core.services.review import call_back

    session = _session()
    return call_back(session.ctx, session.login, lead)


@click.command()  # registered as `scl status` by scl_tui.cli.status (alone: the backlog)
@click.argument("lead")
@click.argument("status", type=click.Choice([s.value for s in LeadStatus]))
@click.option("--why", help="Why, for the lead's history.")
@_lead_action
def status(lead: str, status: str, why: str | None) -> Any:
    """Set LEAD's status by hand (the two booked statuses are automatic only)."""
    from core.services.review import set_status

    session = _session()
    return set_status(session.ctx, session.login, lead, LeadStatus(status), why=why)


@cli.command()
@click.argument("lead")
@click.argument("text")
@click.option(
    "--copy-to",
    type=click.Choice(["customer", "location"]),
    help="Also add it to the customer's or the location's notes.",
)
@reports_errors
def note(lead: str, text: str, copy_to: str | None) -> None:
    """Add a note to LEAD."""
    from core.services.review import NoteTarget, add_note

    session = _session()
    added = add_note(
        session.ctx, session.login, lead, text, copy_to=NoteTarget(copy_to) if copy_to else None
    )
    copied = f", copied to the {added.copied_to} notes" if added.copied_to else ""
    echo(f"Note {added.note_id} added to lead {lead}{copied}.")


@cli.command()
@click.option("--phone", required=True, help="The customer's phone, in any common format.")
@click.option("--at", "at", metavar="ISO-TIME", help="When it was booked (default: now).")
@click.option("--call", "call_id", metavar="EXTERNAL_ID", help="The call it was booked on.")
@reports_errors
def book(phone: str, at: str | None, call_id: str | None) -> None:
    """Record a job booked for a customer (applies the automatic lead statuses)."""
    from core.services.booking import record_job

    session = _session()
    result = record_job(
        session.ctx, session.login, phone, booked_at=_iso(at, "--at"), call_external_id=call_id
    )
    echo(f"Job {result.job_id} booked for {shown_phone(result.customer_phone)}.")
    for lead_id, new_status in result.changed:
        click.echo(f"Lead {lead_id} → {new_status.display_name}")


@cli.command()
@click.option(
    "--days", type=click.Choice([str(d) for d in PERIOD_DAYS]), default="30", show_default=True
)
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def metrics(days: str, as_json: bool) -> None:
    """SCLs Booked and % Increase for the period, with open and cold counts."""
    from core.services.metrics import metrics as read_metrics

    session = _session()
    m = read_metrics(session.ctx, session.login, int(days))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "days": m.days,
                    "inbound_calls": m.inbound_calls,
                    "scls_booked": m.scls_booked,
                    "pct_increase": round(m.pct_increase, 2),
                    "open": m.open,
                    "cold": m.cold,
                }
            )
        )
        return
    click.echo(
        f"Last {m.days} days: {m.scls_booked} SCLs booked, {m.pct_increase:.2f} % "
        f"increase over {m.inbound_calls} inbound calls; {m.open} open, {m.cold} cold."
    )


# A negative VALUE ("-1") is a value to validate, not an unknown option.
@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("key", required=False, type=click.Choice(list(SETTING_SPECS)))
@click.argument("value", required=False)
@reports_errors
def settings(key: str | None, value: str | None) -> None:
    """Show the company settings, or set KEY to VALUE (administrators only)."""
    from core.services.settings import get_settings, set_setting

    session = _session()
    if key is not None and value is None:
        raise click.UsageError("give a VALUE to set, or no KEY to show them all")
    login = session.login  # employees only, even to read them
    current = (
        set_setting(session.ctx, login, key, value)
        if key and value is not None
        else get_settings(session.ctx)
    )
    for spec in SETTING_SPECS.values():
        shown = getattr(current, spec.key)
        if isinstance(shown, bool):
            shown = "true" if shown else "false"
        click.echo(f"{spec.key:<24} {shown!s:<6} {spec.label}")
    # Saved, but the settings screen would warn about it: so does the command.
    from core.domain.settings import setting_warning

    warning = setting_warning(key, getattr(current, key)) if key else None
    if warning:
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@reports_errors
def config() -> None:
    """Where the config file and the database are, and what is configured."""
    from core.db.engine import parse_url, resolve_url

    loaded = load_config()
    path = config_path()
    url = parse_url(resolve_url(loaded, _session().db_url))
    click.echo(f"config file   {path}{'' if path.exists() else '  (not created; defaults)'}")
    click.echo(f"data dir      {data_dir()}")
    click.echo(f"database      {url.render_as_string(hide_password=True)}")
    click.echo(f"classifier    {loaded.classifier}")
    click.echo(f"dialer        {loaded.dialer.command or 'manual (the agent dials)'}")
    click.echo(f"theme         {loaded.theme}")
    smtp, sms = loaded.smtp, loaded.sms
    click.echo(f"email         {f'{smtp.host}:{smtp.port}' if smtp.host else 'not configured'}")
    click.echo(f"texts         {sms.base_url if sms.account_sid else 'not configured'}")


def _iso(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 time", param_hint=f"'{option}'"
        ) from None
    if value.tzinfo is None:
        raise click.BadParameter(f"{text!r} needs a UTC offset", param_hint=f"'{option}'")
    return value


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _oneline(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# Verbs in their own modules, imported when run or listed (they import from this one).
# One line each: cli.add_lazy_command("verb", "scl_tui.cli.x:command").
cli.add_lazy_command("access", "scl_tui.cli.admin:access")
cli.add_lazy_command("delegates", "scl_tui.cli.admin:delegates")
cli.add_lazy_command("roles", "scl_tui.cli.admin:roles")
cli.add_lazy_command("audit", "scl_tui.cli.admin:audit_log")
cli.add_lazy_command("employee", "scl_tui.cli.employees:employee")
cli.add_lazy_command("serve", "scl_tui.cli.serve:serve")
cli.add_lazy_command("report", "scl_tui.cli.reports:report")
cli.add_lazy_command("preferences", "scl_tui.cli.notify:preferences")
cli.add_lazy_command("notify", "scl_tui.cli.notify:notify")
cli.add_lazy_command("recordings", "scl_tui.cli.recordings:recordings")
cli.add_lazy_command("company", "scl_tui.cli.company:company")
cli.add_lazy_command("flag", "scl_tui.cli.learning:flag")
cli.add_lazy_command("accuracy", "scl_tui.cli.learning:accuracy")
cli.add_lazy_command("replay", "scl_tui.cli.learning:replay")
cli.add_lazy_command("learn", "scl_tui.cli.learning:learn")
cli.add_lazy_command("status", "scl_tui.cli.status:status")
cli.add_lazy_command("intake", "scl_tui.cli.intake:intake")
cli.add_lazy_command("secrets", "scl_tui.cli.secrets:secrets")


def main() -> None:
    _log_to_file()
    cli(prog_name="scl")


def log_file() -> str:
    """Where this process's log goes, for messages that point there."""
    return _log_where or "the log"


_log_where: str | None = None


def _log_to_file() -> None:
    """Events go to stderr under a service manager, else to the user's own log file."""
    global _log_where
    from core.log_setup import configure

    _log_where = configure()
