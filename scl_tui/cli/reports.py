"""The supervisor's numbers: `scl metrics` (SCLs Booked, % Increase) and `scl report
csr|calls` (the reports as a table or as CSV)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from core.domain.metrics import PERIOD_DAYS
from scl_tui.cli.common import (
    current_session,
    echo,
    for_people,
    for_terminal,
    one_line,
    reports_errors,
    safe,
    shown_phone,
    shown_time,
    time_header,
)

REPORTS = ("csr", "calls")


@click.command()
@click.option(
    "--days", type=click.Choice([str(d) for d in PERIOD_DAYS]), default="30", show_default=True
)
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def metrics(days: str, as_json: bool) -> None:
    """SCLs Booked and % Increase for the period, with open and cold counts."""
    from core.services.metrics import metrics as read_metrics

    session = current_session()
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


@click.command()
@click.argument("which", metavar="csr|calls", type=click.Choice(REPORTS))
@click.option(
    "--days", type=click.Choice([str(d) for d in PERIOD_DAYS]), default="30", show_default=True
)
@click.option(
    "--csv",
    "csv_to",
    metavar="FILE|-",
    help="Write CSV to FILE (or - for stdout) instead of a table.",
)
@click.option(
    "--sort",
    metavar="COLUMN",
    help="Sort by a column (its CSV name); -COLUMN descending, +COLUMN ascending. "
    "Default: inbound_calls (csr), started_at newest first (calls).",
)
@reports_errors
def report(which: str, days: str, csv_to: str | None, sort: str | None) -> None:
    """Call Center Performance by CSR (csr) or every call with its Second Chance Lead
    column (calls), over the last --days; needs View Second Chance Leads."""
    from core.services.reports import Order, Report, write_csv, write_csv_file

    session = current_session()
    chosen = Report(which)
    order = Order.parse(chosen, sort)
    period = int(days)
    if csv_to == "-":
        # Exact bytes into a pipe (the contract); shown literally on a terminal.
        write_csv(session.ctx, session.login, chosen, for_terminal(sys.stdout), period, order)
    elif csv_to is not None:
        path = Path(csv_to)
        count = write_csv_file(session.ctx, session.login, chosen, path, period, order)
        echo(f"{chosen.title}, last {period} days: {count} rows written to {path}.")
    elif chosen is Report.CSR:
        _csr_table(session, period, order)
    else:
        _calls_table(session, period, order)


def _csr_table(session: Any, days: int, order: Any) -> None:
    from core.services.reports import csr_report

    rows = csr_report(session.ctx, session.login, days, order)
    click.echo(f"Call Center Performance by CSR — last {days} days")
    click.echo(
        f"{'CSR':<24} {'Inbound':>8} {'Booked':>7} {'Rate %':>7} {'SCLs':>6} {'SCLs booked':>12}"
    )
    for r in rows:
        echo(
            f"{one_line(safe(r.name), 24):<24} {r.inbound_calls:>8} {r.booked:>7} "
            f"{r.booking_rate:>7.1f} {r.second_chance_leads:>6} {r.scls_booked:>12}"
        )
    inbound = sum(r.inbound_calls for r in rows)
    booked = sum(r.booked for r in rows)
    rate = 100.0 * booked / inbound if inbound else 0.0
    click.echo(
        f"{'Total':<24} {inbound:>8} {booked:>7} {rate:>7.1f} "
        f"{sum(r.second_chance_leads for r in rows):>6} {sum(r.scls_booked for r in rows):>12}"
    )


def _calls_table(session: Any, days: int, order: Any) -> None:
    from core.services.reports import iter_calls

    out = for_people(sys.stdout)
    started = time_header("Started")
    width = max(16, len(started))
    out.write(
        f"{started:<{width}}  {'Call':<20} {'Dir':<8} {'Phone':<15} {'Customer':<18} "
        f"{'CSR':<12} {'Booked':<6} {'Second Chance Lead'}\n"
    )
    count = 0
    for r in iter_calls(session.ctx, session.login, days, order):
        scl = f"yes, {r.scl_status.display_name}" if r.scl_status else "no"
        out.write(
            f"{shown_time(r.started_at, labelled=False):<{width}}  "
            f"{one_line(safe(r.external_id), 20):<20} "
            f"{r.direction:<8} "
            f"{shown_phone(r.customer_phone):<15} {one_line(safe(r.customer_name), 18):<18} "
            f"{one_line(safe(r.csr), 12):<12} {'yes' if r.job_booked else 'no':<6} {scl}\n"
        )
        count += 1
    out.write(f"{count} calls in the last {days} days.\n")
