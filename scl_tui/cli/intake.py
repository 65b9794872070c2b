"""Calls coming in: `scl import FILE...` (export files), `scl import --watch DIR` (a watched
folder) and `scl intake` (the HTTP intake)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from core.errors import SclError, SetupError
from scl_tui.cli.common import current_session, echo, reports_errors

DEFAULT_PORT = 8787


@click.command("import")
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
        return watch_folder(watch, poll=1.0)
    from core.services.importer import import_calls, is_stdin, require_importer

    session = current_session()
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
        hidden=piped or not sys.stderr.isatty() or "SCL_PLAIN" in os.environ,  # --plain
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


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; keep the loopback default behind a reverse proxy.",
)
@click.option(
    "--public-url",
    envvar="SCL_INTAKE_PUBLIC_URL",
    metavar="URL",
    help="The address Twilio posts to, e.g. https://scl.example.com (its signature "
    "covers it); default: the address requests reach this server at.",
)
@click.option(
    "--recordings",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SCL_INTAKE_RECORDINGS",
    help="Folder for recordings fetched from callbacks (an allowed recordings folder; "
    "default: SCL_RECORDINGS_DIR, else the first allowed one).",
)
@reports_errors
def intake(port: int, host: str, public_url: str | None, recordings: Path | None) -> None:
    """Take calls over HTTP as they end: POST /calls, and Twilio's status callbacks.

    \b
    POST /calls with `Authorization: Bearer TOKEN` (`scl secrets set intake`): one
    call in the export format, a JSON array, JSON Lines or CSV. 202 when taken,
    422 naming each refused call's field. Twilio's callbacks go to
    /twilio/call-status and /twilio/recording-status (`scl secrets set twilio`).
    """
    from aiohttp import web

    from core.adapters.intake_http import IntakeOptions, make_app
    from core.adapters.secrets import get_secret
    from core.services.importer import require_importer
    from core.services.twilio_calls import recordings_folder

    session = current_session()
    ctx = session.ctx
    require_importer(ctx, session.login)
    token = get_secret("intake")
    if not token:
        raise SetupError(
            "the intake needs a bearer token for its clients: store one with "
            "`scl secrets set intake` (e.g. from `openssl rand -hex 32`)"
        )
    try:
        twilio = get_secret("twilio")
    except SclError as error:  # no keyring on this host: the callbacks stay off
        twilio, why_not = None, error.message
    else:
        why_not = "no `twilio` secret"
    folder = recordings_folder(ctx, recordings)
    app = make_app(ctx, IntakeOptions(token, twilio, public_url, folder))
    echo(f"Intake on http://{host}:{port}: POST /calls (bearer token).", err=True)
    if twilio:
        where = folder or "nowhere (no recordings folder allowed)"
        echo(
            f"Twilio callbacks: /twilio/call-status, /twilio/recording-status; recordings "
            f"saved in {where}.",
            err=True,
        )
    else:
        echo(f"Twilio callbacks off ({why_not}).", err=True)
    try:
        web.run_app(app, host=host, port=port, print=None, access_log=None)
    except OSError as error:  # the port is taken, or the address is not this host's
        raise SetupError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def watch_folder(folder: Path, poll: float) -> None:
    """`scl import --watch DIR`: runs until SIGTERM or Ctrl-C; a line per file."""
    import signal
    import threading

    from core.services.importer import require_importer
    from core.services.watch_folder import Finished, Watcher

    session = current_session()
    require_importer(session.ctx, session.login)
    watcher = Watcher(session.ctx, folder, on_error=lambda said: echo(said, err=True))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    def told(finished: Finished) -> None:
        report = finished.report
        for problem in report.problems:
            echo(str(problem), err=True)
        echo(
            f"{finished.name}: imported {report.imported} calls; {report.already_known} "
            f"already known, {len(report.rejected)} rejected -> {finished.moved_to}"
        )
        sys.stdout.flush()

    echo(f"Watching {watcher.folder} for export files; Ctrl-C or SIGTERM stops.", err=True)
    watcher.run(stop, poll=poll, on_file=told)
