"""`scl serve`: the same app in a browser, through textual-serve.

Each browser tab that connects starts its own `scl` app process, acting as the
one employee `scl serve` acts as (the OS user, or `scl --as LOGIN serve`): put it
behind the company's reverse proxy with its login, one `scl serve` per person.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

import click

from core.errors import SetupError
from scl_tui.cli import _session, reports_errors
from scl_tui.cli_output import echo

DEFAULT_PORT = 8000
TITLE = "Second Chance Leads"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(login: str) -> str:
    """The command each browser session runs: this Python, this package, this employee.
    The database URL travels in the environment, so no password shows in `ps`."""
    return shlex.join([sys.executable, "-m", "scl_tui", "--as", login])


@click.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback is warned about.",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use, when a reverse proxy is in front "
    "(e.g. https://scl.example.com/); default http://HOST:PORT.",
)
@reports_errors
def serve(port: int, host: str, public_url: str | None) -> None:
    """The app in a browser, on loopback: put it behind your reverse proxy and its login."""
    from textual_serve.server import Server

    from core.services.permissions import can_view_scl

    session = _session()
    ctx = session.ctx  # opens (and migrates) the database now: a bad URL fails here
    if session.db_url:
        os.environ["SCL_DATABASE_URL"] = session.db_url
    if not is_loopback(host):
        echo(
            f"scl serve: warning: listening on {host}, not loopback: anyone who can reach "
            f"port {port} acts as {session.login}. Prefer 127.0.0.1 behind the reverse "
            "proxy and its login.",
            err=True,
        )
    if not can_view_scl(ctx, session.login):
        echo(
            f"scl serve: warning: {session.login} cannot see Second Chance Leads; browsers "
            "will get the no-access screen (use `scl --as LOGIN serve`).",
            err=True,
        )
    echo(f"Serving Second Chance Leads as {session.login} on http://{host}:{port}/")
    server = Server(
        app_command(session.login),
        host=host,
        port=port,
        title=TITLE,
        # textual-serve appends "/ws" and "/static/…" to it: no trailing slash.
        public_url=public_url.rstrip("/") if public_url else None,
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this host's
        raise SetupError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; choose another with --port"
        ) from None
