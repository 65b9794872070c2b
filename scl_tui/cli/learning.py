"""Learning from what agents decide: `scl flag`, `scl accuracy`, `scl replay`, `scl learn`.

Each is refused, in one line with exit 1, exactly where the app refuses it (README,
"Learning from agents' decisions").
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from core.domain.metrics import PERIOD_DAYS
from core.domain.zones import shown_at
from scl_tui.cli.common import (
    current_session,
    echo,
    echo_json,
    lead_action,
    reports_errors,
    shown_phone,
    shown_time,
)

DAYS = click.Choice([str(d) for d in PERIOD_DAYS])


@click.command()
@click.argument("call")
@click.option("--note", metavar="TEXT", help="Why it is a lead, for the lead's history.")
@lead_action
def flag(call: str, note: str | None) -> Any:
    """Make CALL (its external id), a call the review passed over, a lead in New."""
    from core.services.hand_flag import flag_call

    session = current_session()
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

    session = current_session()
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
                    f"Lead {row.lead_id} ({row.external_id}, {shown_phone(row.customer_phone)}): "
                    f"dismissed as not a lead {shown_time(row.dismissed_at)}, booked "
                    f"{shown_time(row.booked_at)} — {row.status.display_name}"
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
                    f"  week to {shown_at(week.end, session.zone, '%m-%d')}: {w.flagged} flagged, "
                    f"{w.decided} decided, precision {_pct(w.precision).strip()}, "
                    f"{w.missed} missed"
                )


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f} %"


@click.command()
@click.option(
    "--days", type=click.IntRange(1, 366), default=30, show_default=True, help="The period."
)
@click.option(
    "--company",
    "company_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Judge against this proposed company profile (TOML) instead of the stored one.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: each change, then the totals.")
@reports_errors
def replay(days: int, company_file: Path | None, as_json: bool) -> None:
    """Classify the period's reviewed calls again, store nothing, and list each call whose
    verdict would change (administrators)."""
    from core.classify.profile import ProfileError, parse_profile
    from core.services.replay import replay as run_replay
    from scl_tui.cli.company import read_profile_file

    profile = None
    if company_file is not None:
        try:
            profile = parse_profile(read_profile_file(company_file, "--company"), str(company_file))
        except ProfileError as error:
            raise click.BadParameter(str(error), param_hint="'--company'") from None
    session = current_session()
    with _Progress("Replaying") as bar:
        report = run_replay(
            session.ctx, session.login, days, profile=profile, progress=bar.stage("Replaying")
        )
    if as_json:
        for change in report.changes:
            echo_json(json.dumps(change.as_json(), ensure_ascii=False))
        echo_json(json.dumps(report.totals()))
        return
    for change in report.changes:
        agents = {None: "", True: "  (agents: right)", False: "  (agents: wrong)"}[change.right]
        echo(
            f"{change.external_id:<22} {_verdict(change.was)} → {_verdict(change.now)}  "
            f"{change.reason}{agents}"
        )
    t = report.totals()
    echo(
        f"{report.replayed} calls of the last {days} days replayed with {report.classifier}: "
        f"{t['changed']} would change ({t['to_lead']} to lead, {t['to_not_lead']} to not a "
        f"lead); where agents decided, {t['agreed_with_agents']} agree and "
        f"{t['disagreed_with_agents']} disagree. Nothing was stored."
    )


@click.command()
@click.option("--apply", "apply_", is_flag=True, help="Store the fitted model and use it.")
@click.option("--rollback", is_flag=True, help="Go back to the model in use before this one.")
@reports_errors
def learn(apply_: bool, rollback: bool) -> None:
    """Fit the classifier to the calls agents decided and measure it on some held out
    (administrators); --apply uses it, --rollback goes back."""
    from core.services import learning

    if apply_ and rollback:
        raise click.UsageError("--apply and --rollback go separately")
    session = current_session()
    if rollback:
        state = learning.rollback(session.ctx, session.login)
        echo(
            f"Rolled back: {state.in_use} is in use now; the review workers follow at "
            "their next batch."
        )
        return
    with _Progress("Learning") as bar:
        report = learning.learn(session.ctx, session.login, apply=apply_, progress=bar.stages)
    echo(
        f"Decided calls: {report.leads} leads, {report.not_leads} not leads; fitted on "
        f"{report.trained_on}, measured on {report.held_out} held out."
    )
    echo(f"{'':<24} {'precision':>9} {'recall':>8}")
    for name, scores in (
        (f"before ({report.before_version})", report.before),
        ("after (fitted)", report.after),
    ):
        echo(f"{name:<24} {_pct(scores.precision):>9} {_pct(scores.recall):>8}")
    if report.applied:
        echo(
            f"Applied as {report.applied}: the review workers use it from their next batch "
            "(`scl learn --rollback` goes back)."
        )
    else:
        echo("Nothing was changed: `scl learn --apply` fits again and uses it.")


def _verdict(lead: bool) -> str:
    return "lead      " if lead else "not a lead"


class _Progress:
    """A progress bar on stderr when it is a terminal (nothing otherwise), one per stage."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = sys.stderr.isatty()
        self._bar: Any = None
        self._name = ""
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def stage(self, name: str) -> Any:
        return lambda done, of: self.stages(name, done, of)

    def stages(self, name: str, done: int, of: int) -> None:
        if not self.shown:
            return
        if name != self._name or self._bar is None:
            self._stack.close()
            self._stack = contextlib.ExitStack()
            self._name = name
            self._bar = self._stack.enter_context(
                click.progressbar(length=max(of, 1), label=name, file=sys.stderr, show_pos=True)
            )
            self._done = 0
        self._bar.update(done - self._done)
        self._done = done


VERBS = (flag, accuracy, replay, learn)
