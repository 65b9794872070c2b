"""`scl recordings`: where call recordings may come from — folders and hosts.

Anyone may list them; only an administrator changes them (exit 1 otherwise, one line
saying who can), and each change is in the audit log (`scl audit`).
"""

from __future__ import annotations

import json

import click

from core.domain.recording_sources import RecordingSources
from scl_tui.cli.common import current_session, echo, echo_json, reports_errors


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object: folders and hosts.")
@click.pass_context
@reports_errors
def recordings(click_ctx: click.Context, as_json: bool) -> None:
    """The recordings folders and hosts: a call's recording is played only from these.

    \b
    A path must lie inside a folder (or SCL_RECORDINGS_DIR, or the demo data);
    a URL must be https on a listed host (http only where listed with --http).
    """
    if click_ctx.invoked_subcommand is not None:
        return
    from core.services.recording_sources import list_sources

    session = current_session()
    _show(list_sources(session.ctx, session.login), as_json)


@recordings.command("allow-folder")
@click.argument("path")
@reports_errors
def allow_folder(path: str) -> None:
    """Allow recordings from the folder PATH (absolute) and everything under it."""
    from core.services import recording_sources

    session = current_session()
    shown, changed = recording_sources.allow_folder(session.ctx, session.login, path)
    _said(changed, f"Recordings may come from {shown.folders[-1] if changed else path}.")


@recordings.command("remove-folder")
@click.argument("path")
@reports_errors
def remove_folder(path: str) -> None:
    """Stop allowing recordings from the folder PATH."""
    from core.services import recording_sources

    session = current_session()
    _, changed = recording_sources.remove_folder(session.ctx, session.login, path)
    _said(changed, f"Recordings no longer come from {path}.", f"{path} was not listed.")


@recordings.command("allow-host")
@click.argument("host")
@click.option("--http", is_flag=True, help="Plain http too, not only https.")
@click.option(
    "--private",
    is_flag=True,
    help="The host may be at a private, loopback or link-local address (a PBX on the LAN).",
)
@reports_errors
def allow_host(host: str, http: bool, private: bool) -> None:
    """Allow recording URLs on HOST[:PORT] (without a port: 443, or 80 with --http)."""
    from core.services import recording_sources

    session = current_session()
    shown, changed = recording_sources.allow_host(
        session.ctx, session.login, host, http=http, private=private
    )
    entry = shown.hosts[-1].describe() if changed else host
    _said(changed, f"Recordings may be downloaded from {entry}.")


@recordings.command("remove-host")
@click.argument("host")
@reports_errors
def remove_host(host: str) -> None:
    """Stop allowing recording URLs on HOST[:PORT]."""
    from core.services import recording_sources

    session = current_session()
    _, changed = recording_sources.remove_host(session.ctx, session.login, host)
    _said(changed, f"Recordings are no longer downloaded from {host}.", f"{host} was not listed.")


def _said(changed: bool, done: str, unchanged: str = "It was already so; nothing changed.") -> None:
    echo(done if changed else unchanged)


def _show(sources: RecordingSources, as_json: bool) -> None:
    if as_json:
        echo_json(
            json.dumps(
                {
                    "folders": list(sources.folders),
                    "hosts": [h.to_json() for h in sources.hosts],
                },
                ensure_ascii=False,
            )
        )
        return
    echo("Folders:")
    for folder in sources.folders:
        echo(f"  {folder}")
    if not sources.folders:
        echo("  none (`scl recordings allow-folder PATH` adds one)")
    echo("Hosts:")
    for host in sources.hosts:
        echo(f"  {host.describe()}")
    if not sources.hosts:
        echo("  none (`scl recordings allow-host HOST[:PORT]` adds one)")
