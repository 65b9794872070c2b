"""The agent's verbs on leads: `scl leads`, `dismiss`, `callback`, `note`, `book`, and
the lead half of `scl status LEAD STATUS` (scl_tui.cli.status registers it)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from core.domain.statuses import DismissReason, LeadStatus, Tab
from scl_tui.cli.common import (
    current_session,
    echo,
    echo_json,
    lead_action,
    one_line,
    reports_errors,
    shown_phone,
    shown_time,
    table,
    time_header,
)

if TYPE_CHECKING:
    from core.services.views import LeadRow


@click.command()
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

    session = current_session()
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
        ("Lead", time_header("Flagged"), "Phone", "Tab", "Status", "Reason"),
        [
            (
                row.lead_id,
                shown_time(row.flagged_at, labelled=False),
                shown_phone(row.customer_phone),
                row.tab.display_name,
                row.status.display_name,
                one_line(row.reason or ""),
            )
            for row in rows
        ],
        right={0},
    )


@click.command()
@click.argument("lead")
@click.option("--reason", required=True, type=click.Choice([r.value for r in DismissReason]))
@lead_action
def dismiss(lead: str, reason: str) -> Any:
    """Dismiss LEAD (id or external id) as not a lead, or as not followed up."""
    from core.services.review import dismiss as dismiss_lead

    session = current_session()
    return dismiss_lead(session.ctx, session.login, lead, DismissReason(reason))


@click.command()
@click.argument("lead")
@lead_action
def callback(lead: str) -> Any:
    """Call the customer of LEAD back (status becomes Call Back Attempted)."""
    from core.services.review import call_back

    session = current_session()
    return call_back(session.ctx, session.login, lead)


@click.command()  # registered as `scl status` by scl_tui.cli.status (alone: the backlog)
@click.argument("lead")
@click.argument("status", type=click.Choice([s.value for s in LeadStatus]))
@click.option("--why", help="Why, for the lead's history.")
@lead_action
def status(lead: str, status: str, why: str | None) -> Any:
    """Set LEAD's status by hand (the two booked statuses are automatic only)."""
    from core.services.review import set_status

    session = current_session()
    return set_status(session.ctx, session.login, lead, LeadStatus(status), why=why)


@click.command()
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

    session = current_session()
    added = add_note(
        session.ctx, session.login, lead, text, copy_to=NoteTarget(copy_to) if copy_to else None
    )
    copied = f", copied to the {added.copied_to} notes" if added.copied_to else ""
    echo(f"Note {added.note_id} added to lead {lead}{copied}.")


@click.command()
@click.option("--phone", required=True, help="The customer's phone, in any common format.")
@click.option("--at", "at", metavar="ISO-TIME", help="When it was booked (default: now).")
@click.option("--call", "call_id", metavar="EXTERNAL_ID", help="The call it was booked on.")
@reports_errors
def book(phone: str, at: str | None, call_id: str | None) -> None:
    """Record a job booked for a customer (applies the automatic lead statuses)."""
    from core.services.booking import record_job

    session = current_session()
    result = record_job(
        session.ctx, session.login, phone, booked_at=_iso(at, "--at"), call_external_id=call_id
    )
    echo(f"Job {result.job_id} booked for {shown_phone(result.customer_phone)}.")
    for lead_id, new_status in result.changed:
        click.echo(f"Lead {lead_id} → {new_status.display_name}")


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
