"""Learning from what agents decide: `scl flag`, `scl accuracy`, `scl replay`, `scl learn`.

Each is refused, in one line with exit 1, exactly where the app refuses it (README,
"Learning from agents' decisions").
"""

from __future__ import annotations

import json
from typing import Any

import click

from core.domain.metrics import PERIOD_DAYS
from core.domain.phones import display_phone
from scl_tui.cli import _lead_action, _local, _session, reports_errors
from scl_tui.cli_output import echo, echo_json

DAYS = click.Choice([str(d) for d in PERIOD_DAYS])


@click.command()
@click.argument("call")
@click.option("--note", metavar="TEXT", help="Why it is a lead, for the lead's history.")
@_lead_action
def flag(call: str, note: str | None) -> Any:
    """Make CALL (its external id), a call the review passed over, a lead in New."""
    from core.services.hand_flag import flag_call

    session = _session()
    return flag_call(session.ctx, session.login, call, note)


@click.command()
@click.option("--days", type=DAYS, default="30", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per classifier version.")
@click.option("--mine", is_flag=True, help="My 'not a lead' dismissals later booked elsewhere.")
@reports_errors
def accuracy(days: str, as_json: bool, mine: bool) -> None:
    """How right each classifier version was, by what agents decided, over --days."""
    from core.services.accuracy import accuracy as read_accuracy
    from core.services.accuracy import my_dismissals_booked

    session = _session()
    if mine:
        found = my_dismissals_booked(session.ctx, session.login, int(days))
        for row in found:
            if as_json:
                echo_json(
                    json.dumps(
                        {
                            "lead_id": row.lead_id,
                            "external_id": row.external_id,
                            "customer_phone": row.customer_phone,
                            "dismissed_at": row.dismissed_at.isoformat(),
                            "booked_at": row.booked_at.isoformat(),
                            "status": row.status.value,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                echo(
                    f"Lead {row.lead_id} ({row.external_id}, {display_phone(row.customer_phone)}): "
                    f"dismissed as not a lead {_local(row.dismissed_at)}, booked "
                    f"{_local(row.booked_at)} — {row.status.display_name}"
                )
        if not found and not as_json:
            echo(f"None of your 'not a lead' dismissals of the last {days} days was booked since.")
        return
    versions = read_accuracy(session.ctx, session.login, int(days))
    if as_json:
        for version in versions:
            echo_json(json.dumps(version.as_json(), ensure_ascii=False))
        return
    if not versions:
        echo(f"No verdicts in the last {days} days.")
        return
    echo(
        f"{'classifier':<11} {'version':<12} {'flagged':>7} {'decided':>7} {'confirmed':>9} "
        f"{'rejected':>8} {'precision':>9} {'missed':>6}"
    )
    for version in versions:
        c = version.counts
        echo(
            f"{version.classifier:<11} {version.version or '-':<12} {c.flagged:>7} "
            f"{c.decided:>7} {c.confirmed:>9} {c.rejected:>8} {_pct(c.precision):>9} "
            f"{c.missed:>6}"
        )
        for week in version.weeks:
            w = week.counts
            if w.flagged or w.missed:
                echo(
                    f"  week to {week.end.astimezone():%m-%d}: {w.flagged} flagged, "
                    f"{w.decided} decided, precision {_pct(w.precision).strip()}, "
                    f"{w.missed} missed"
                )


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f} %"


VERBS = (flag, accuracy)
