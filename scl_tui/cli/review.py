"""The review outside the app: `scl classify FILE` (no database touched) and `scl worker`
(every due call, as a service or `--once` from cron)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core.config import load_config
from core.errors import SclError
from scl_tui.cli.common import Session, current_session, echo, echo_json, one_line, reports_errors

if TYPE_CHECKING:
    from core.services.context import ServiceContext


def _profile_for_classify(company_file: Path | None) -> Any:
    """The profile `scl classify` judges against: the file given, else the stored one
    (read only), else the built-in one when there is no database to read."""
    from core.classify.profile import ProfileError, parse_profile
    from scl_tui.cli.company import read_profile_file

    if company_file is not None:
        try:
            return parse_profile(read_profile_file(company_file, "--company"), str(company_file))
        except ProfileError as error:
            raise click.BadParameter(str(error), param_hint="'--company'") from None
    from sqlalchemy.engine import make_url

    from core.db.engine import resolve_url
    from core.services.company import get_profile

    session = current_session()
    url = make_url(resolve_url(load_config(), session.db_url))
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return None  # no database yet: classify creates none (the built-in profile)
    try:
        return get_profile(session.ctx)
    except SclError:
        return None


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per call on stdout.")
@click.option(
    "--company",
    "company_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Judge against this company profile (TOML) instead of the stored one.",
)
@reports_errors
def classify(file: Path, as_json: bool, company_file: Path | None) -> None:
    """Classify the calls in an export FILE without touching the database.

    Exit 1 when some rows were rejected (each is reported); a FILE whose first rows are
    no calls at all is not an export: it stops there with one line and exit 2."""
    from core.classify.factory import make_classifier
    from core.services.classify_file import classify_file

    classifier = make_classifier(load_config(), _profile_for_classify(company_file))
    rejected = unread = read = 0
    for outcome in classify_file(classifier, file):
        if outcome.problem is not None:
            rejected += 1
            unread += outcome.external_id is None  # not even read as a call
            echo(str(outcome.problem), err=True)
            if unread >= NOT_AN_EXPORT_AFTER and not read:
                echo(
                    f"scl: stopped after {unread} rows: {file} does not look like a call "
                    "export (JSON Lines or CSV with external_id, direction, customer_phone, "
                    "started_at, ended_at, job_booked)",
                    err=True,
                )
                sys.exit(2)
            continue
        read += 1
        verdict = outcome.verdict
        assert verdict is not None
        if as_json:
            echo_json(
                json.dumps(
                    {
                        "external_id": outcome.external_id,
                        "lead": verdict.lead,
                        "confidence": verdict.confidence,
                        "reason": verdict.reason,
                        "evidence": list(verdict.evidence),
                        "summary": verdict.summary,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            mark = "LEAD" if verdict.lead else "    "
            echo(
                f"{mark} {verdict.confidence:4.2f} {outcome.external_id}  "
                f"{one_line(verdict.reason, 70)}"
            )
    if rejected:
        sys.exit(1)


NOT_AN_EXPORT_AFTER = 5
"""Rows that could not be read as calls, and none that could, before `scl classify`
stops: FILE is not an export (a usage error), not an export with some bad rows."""


@click.command()
@click.option("--once", is_flag=True, help="Review what is due now, then exit.")
@click.option(
    "--poll",
    type=click.FloatRange(0.1, 3600),
    default=5.0,
    show_default=True,
    help="Seconds between looks for due calls.",
)
@reports_errors
def worker(once: bool, poll: float) -> None:
    """Review every due call: inbound, unbooked, past After Call Work Time."""
    import signal
    import threading

    from core.classify.factory import make_classifier
    from core.services.settings import get_settings
    from core.workers.review_worker import ReviewWorker, WorkerOptions, review_delays

    session = current_session()
    ctx = session.ctx if once else _wait_for_database(session)
    config = load_config()
    # A database outage (a restart, a full disk) is waited out with backoff; `--once`
    # (cron) gives up after ONCE_PATIENCE rather than pile up behind a dead server.
    patience = ONCE_PATIENCE if once else None
    review = ReviewWorker(
        ctx,
        make_classifier(config),
        options=WorkerOptions.from_config(config, poll_seconds=poll, give_up_after=patience),
        on_status=_tell_database_status,
    )
    if not get_settings(ctx).enabled:
        click.echo(
            "Second Chance Leads is disabled: nothing is reviewed until an "
            "administrator runs `scl settings enabled true`.",
            err=True,
        )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if not once:
        click.echo(
            f"Worker {review.token} reviewing due calls; Ctrl-C or SIGTERM stops it.", err=True
        )
    from scl_tui.cli.notify import dispatch_summary, make_dispatcher, start_beside

    # New leads' texts and emails go out beside the review (`scl notify` does only this).
    beside = None if once else start_beside(stop)
    stats = review.run_once(stop) if once else review.run(stop)
    click.echo(
        f"Reviewed {stats.reviewed} calls: {stats.flagged} flagged as leads, "
        f"{stats.delayed} delayed."
    )
    if once:
        dispatcher = make_dispatcher(config)
        dispatcher.patient.give_up_after = patience
        click.echo(dispatch_summary(dispatcher.run_once(stop)))
    elif beside is not None:
        beside[1].join(30)  # type: ignore[attr-defined]
    for error in stats.errors:
        echo(f"delayed: {error}", err=True)
    delayed, latest = review_delays(ctx)
    if delayed:
        echo(
            f"{delayed} calls wait for another try (review delayed); latest error: {latest}",
            err=True,
        )


ONCE_PATIENCE = 300.0
"""Seconds `scl worker --once` waits for an unreachable or full database."""


def _wait_for_database(session: Session) -> ServiceContext:
    """A worker service started while the database is down or full waits for it (a
    supervisor restarting it meanwhile would only add delay); a bad URL still exits."""
    import time

    from core.db.outages import Backoff, DatabaseUnreachable

    backoff = Backoff()
    told = False
    while True:
        try:
            return session.ctx
        except DatabaseUnreachable as error:
            if not told:
                echo(f"scl worker: {error.message}; retrying", err=True)
                told = True
            time.sleep(backoff.next())


def _tell_database_status(status: Any) -> None:
    """The worker's one line when the database goes away, and one when it is back."""
    echo(f"scl worker: {status.message}", err=True)
