"""The `scl` command: every agent action as a verb, and the app itself.

Global options (--db, --as) come before the verb. Exit status, in every verb: 0 done;
1 refused or not found, where the app would refuse it too (the message says why), and
rows rejected from an otherwise good file; 2 usage or set-up: what the command line
itself gets wrong (an unknown option, a bad choice or time, a file that is no export),
and a config, database or data directory that cannot be used. Usage errors are one line.

Start-up is part of the interface (scripts and an import loop call `scl` thousands of
times): this module imports only click and pure domain modules at the top; services,
SQLAlchemy and the app are imported inside the verb that needs them, and every verb is
registered by name (`cli.add_lazy_command`), imported when run or listed.
tests/cli/test_startup.py holds `scl --help` to that.

This module is the root group only. The verbs live one module per group beside it and
share scl_tui.cli.common; none imports this module (it registers them: a circle), which
an import-linter contract in pyproject holds.
"""

from __future__ import annotations

import os

import click

from scl_tui.cli.common import LazyGroup, Session, log_to_file, reports_errors


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
@click.option(
    "--plain",
    is_flag=True,
    envvar="SCL_PLAIN",
    help="Plain lines for screen readers: no box drawing or animation (also SCL_PLAIN=1).",
)
@click.version_option(package_name="scl-tui")
@click.pass_context
@reports_errors
def cli(click_ctx: click.Context, db_url: str | None, login: str | None, plain: bool) -> None:
    """Second Chance Leads: review unbooked calls and save the jobs a call back can win."""
    click_ctx.obj = Session(db_url, login)
    # Read where it matters (the app, progress bars): set exactly when plain mode is on.
    if plain:
        os.environ["SCL_PLAIN"] = "1"
    else:
        os.environ.pop("SCL_PLAIN", None)
    if click_ctx.invoked_subcommand is None:
        from scl_tui.cli.app import run_app

        run_app(click_ctx.obj)


# Every verb, imported when run or listed: cli.add_lazy_command("verb", "module:command").
cli.add_lazy_command("open", "scl_tui.cli.app:open")
cli.add_lazy_command("demo", "scl_tui.cli.app:demo")
cli.add_lazy_command("import", "scl_tui.cli.intake:import_calls")
cli.add_lazy_command("intake", "scl_tui.cli.intake:intake")
cli.add_lazy_command("classify", "scl_tui.cli.review:classify")
cli.add_lazy_command("worker", "scl_tui.cli.review:worker")
cli.add_lazy_command("leads", "scl_tui.cli.leads:leads")
cli.add_lazy_command("dismiss", "scl_tui.cli.leads:dismiss")
cli.add_lazy_command("callback", "scl_tui.cli.leads:callback")
cli.add_lazy_command("note", "scl_tui.cli.leads:note")
cli.add_lazy_command("book", "scl_tui.cli.leads:book")
cli.add_lazy_command("status", "scl_tui.cli.status:status")
cli.add_lazy_command("metrics", "scl_tui.cli.reports:metrics")
cli.add_lazy_command("report", "scl_tui.cli.reports:report")
cli.add_lazy_command("settings", "scl_tui.cli.settings:settings")
cli.add_lazy_command("config", "scl_tui.cli.settings:config")
cli.add_lazy_command("access", "scl_tui.cli.admin:access")
cli.add_lazy_command("delegates", "scl_tui.cli.admin:delegates")
cli.add_lazy_command("roles", "scl_tui.cli.admin:roles")
cli.add_lazy_command("audit", "scl_tui.cli.admin:audit_log")
cli.add_lazy_command("employee", "scl_tui.cli.employees:employee")
cli.add_lazy_command("serve", "scl_tui.cli.serve:serve")
cli.add_lazy_command("preferences", "scl_tui.cli.notify:preferences")
cli.add_lazy_command("notify", "scl_tui.cli.notify:notify")
cli.add_lazy_command("recordings", "scl_tui.cli.recordings:recordings")
cli.add_lazy_command("company", "scl_tui.cli.company:company")
cli.add_lazy_command("flag", "scl_tui.cli.learning:flag")
cli.add_lazy_command("accuracy", "scl_tui.cli.learning:accuracy")
cli.add_lazy_command("replay", "scl_tui.cli.learning:replay")
cli.add_lazy_command("learn", "scl_tui.cli.learning:learn")
cli.add_lazy_command("secrets", "scl_tui.cli.secrets:secrets")


def main() -> None:
    log_to_file()
    cli(prog_name="scl")
