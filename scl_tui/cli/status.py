"""`scl status [--json]`: the review backlog and the workers, for an operator or a monitor.

`scl status` alone reports the backlog and exits 1 when it is stuck; with a lead and a
status (`scl status LEAD STATUS [--why TEXT]`) it is the older verb that sets a lead's
status by hand, which this command hands the arguments to.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click

from scl_tui.cli.common import current_session, echo, echo_json, reports_errors
from scl_tui.cli.leads import status as lead_status

_VALUED = ("--stuck-after", "--max-due-age")


class _StatusVerb(click.Command):
    """The backlog report, or (given positional arguments) the lead status verb."""

    def __init__(self, lead_verb: click.Command | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lead_verb = lead_verb

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if self.lead_verb is not None and _has_positional(args):
            return self.lead_verb.make_context(info_name, args, parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)


def _has_positional(args: list[str]) -> bool:
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif arg == "--" or not arg.startswith("-"):
            return True
    return False


@reports_errors
def _report(as_json: bool, stuck_after: float, max_due_age: float) -> None:
    from core.services.status import backlog_status

    found = backlog_status(
        current_session().ctx,
        stuck_after=timedelta(seconds=stuck_after),
        max_due_age=timedelta(seconds=max_due_age),
    )
    if as_json:
        echo_json(json.dumps(found.as_json(), ensure_ascii=False))
    else:
        for label, value in _rows(found):
            echo(f"{label:<15} {value}")
    if found.stuck:
        raise SystemExit(1)


def _rows(found: Any) -> list[tuple[str, str]]:
    oldest = "-" if found.oldest_due_seconds is None else _ago(found.oldest_due_seconds)
    rows = [
        ("Review", "on" if found.enabled else "off (SCL is disabled: nothing is reviewed)"),
        ("Calls due", f"{found.due} (oldest waiting {oldest}), {found.in_review} in review"),
        ("Delayed", f"{found.delayed}" + (" — after a failed review:" if found.delayed else "")),
    ]
    rows += [("", f"{delay.calls} × {delay.reason}") for delay in found.delay_reasons]
    rows += [
        ("Leads flagged", f"{found.flagged_last_hour} in the last hour"),
        (
            "Notifications",
            f"{found.notifications_queued} queued, {found.notifications_retrying} retrying, "
            f"{found.notifications_failed_last_day} failed in the last day",
        ),
        (
            "Workers",
            f"{len(found.workers)} seen in the last minute"
            + (f", {found.workers_gone} stopped sending heartbeats" if found.workers_gone else ""),
        ),
    ]
    for worker in found.workers:
        seen = _ago(int((found.at - worker.last_seen_at).total_seconds()))
        rows.append(
            (
                "",
                f"{worker.kind} on {worker.host} pid {worker.pid} ({worker.os_user}): "
                f"{worker.calls_done} calls, seen {seen} ago",
            )
        )
    minutes = getattr(found, "transcribed_minutes_this_month", 0)
    if minutes:
        rows.append(("Transcribed", f"{minutes:g} min of audio this month"))
    if found.unanswered_last_day:
        counts = ", ".join(f"{n} {status}" for status, n in found.unanswered_last_day.items())
        total = sum(found.unanswered_last_day.values())
        rows.append(("Unanswered", f"{total} calls rang unanswered in the last day ({counts})"))
    if found.recordings_retrying or found.recordings_failed:
        rows.append(
            (
                "Recordings",
                f"{found.recordings_retrying} to be fetched again, "
                f"{len(found.recordings_failed)} given up in the last week",
            )
        )
    rows += [
        ("", f"call {failed.call_sid}: {failed.error} ({_tries(failed.tries)})")
        for failed in found.recordings_failed
    ]
    rows += [("STUCK", problem) for problem in found.problems] or [("Backlog", "moving")]
    return rows


def _tries(count: int) -> str:
    return f"{count} {'try' if count == 1 else 'tries'}"


def _ago(seconds: int) -> str:
    from core.services.status import duration_text

    return duration_text(timedelta(seconds=max(0, seconds)))


def status_command(lead_verb: click.Command | None) -> click.Command:
    """`scl status`, handing `scl status LEAD STATUS` on to `lead_verb`."""
    return _StatusVerb(
        lead_verb,
        name="status",
        callback=_report,
        help=(
            "Show the review backlog: calls due, delayed (and why), the oldest due call's "
            "wait, leads flagged in the last hour, notifications queued and failing, and the "
            "workers seen in the last minute. Exits 1 when the backlog is stuck (for a "
            "monitor). `scl status LEAD STATUS [--why TEXT]` sets a lead's status instead."
        ),
        short_help="The review backlog and workers; or set a lead's status.",
        params=[
            click.Option(["--json", "as_json"], is_flag=True, help="One JSON object (see README)."),
            click.Option(
                ["--stuck-after"],
                type=click.FloatRange(0),
                default=600.0,
                show_default=True,
                envvar="SCL_STATUS_STUCK_AFTER",
                metavar="SECONDS",
                help="Stuck when due calls wait this long and no worker is alive.",
            ),
            click.Option(
                ["--max-due-age"],
                type=click.FloatRange(0),
                default=3600.0,
                show_default=True,
                envvar="SCL_STATUS_MAX_DUE_AGE",
                metavar="SECONDS",
                help="Stuck when the oldest due call waits longer than this, workers or not.",
            ),
        ],
    )


status = status_command(lead_status)
