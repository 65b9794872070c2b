"""The verbs that open the app: `scl` alone (the root group calls `run_app`), `scl open
LEAD` and `scl demo`."""

from __future__ import annotations

import os
import sys

import click

from core.config import load_config
from core.errors import SetupError
from scl_tui.cli.common import Session, current_session, reports_errors


def run_app(session: Session, lead: str | None = None) -> None:
    """The app for the employee SESSION acts as; LEAD's review open when given."""
    from scl_tui.app import run_app as run
    from scl_tui.in_app_review import in_app_reviewer

    login = session.login  # who first: a refusal says so, with or without a terminal
    if "SCL_PLAIN" in os.environ:  # --plain, or a true SCL_PLAIN (the root group)
        from scl_tui.plain import run_plain  # lines in and out: a pipe will do

        reviewer, notice = in_app_reviewer(session.ctx, load_config())
        sys.exit(
            run_plain(session.ctx, login, open_lead=lead, reviewer=reviewer, review_notice=notice)
        )
    # A terminal app without a terminal (a script, cron, a pipe) would spin on an input
    # that is always at its end; the browser (scl serve) brings a driver of its own.
    if "TEXTUAL_DRIVER" not in os.environ and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise SetupError(
            "the app needs a terminal (stdin and stdout are not one here); in scripts use "
            "the commands, e.g. `scl leads --json`, or `scl serve` for a browser"
        )
    reviewer, notice = in_app_reviewer(session.ctx, load_config())  # none without a key
    run(session.ctx, login, open_lead=lead, reviewer=reviewer, review_notice=notice)


@click.command()
@click.argument("lead")
@reports_errors
def open(lead: str) -> None:
    """The app, with LEAD's review open (what a notification links to)."""
    from core.services.leads import get_review

    session = current_session()
    get_review(session.ctx, session.login, lead)  # an unknown lead: one line, exit 1
    run_app(session, lead)


@click.command()
@click.option("--no-open", is_flag=True, help="Load the data and exit.")
@reports_errors
def demo(no_open: bool) -> None:
    """Load the demo data (again is harmless) and open the app as the demo agent."""
    from core.services.demo import DEMO_DIR, load_demo
    from core.services.identity import allow_by_setup, check_demo_database, demo_logins

    session = current_session()
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
        run_app(session)
