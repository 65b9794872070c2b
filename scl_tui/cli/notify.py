"""`scl preferences` (how I am told of new leads) and `scl notify` (the dispatcher)."""

from __future__ import annotations

import click

from scl_tui.cli.common import (
    current_session,
    echo,
    one_line,
    reports_errors,
    shown_phone,
    shown_time,
)


@click.command()
@click.option("--in-app/--no-in-app", "in_app", default=None, help="A toast in the open app.")
@click.option("--sms/--no-sms", "sms", default=None, help="A text message to your phone.")
@click.option("--email/--no-email", "email", default=None, help="An email.")
@reports_errors
def preferences(in_app: bool | None, sms: bool | None, email: bool | None) -> None:
    """Show how you are notified of new leads, or change it (each change is audited)."""
    from core.services.preferences import get_preferences, set_preferences

    session = current_session()
    if in_app is None and sms is None and email is None:
        shown = get_preferences(session.ctx, session.login)
    else:
        shown = set_preferences(session.ctx, session.login, in_app=in_app, sms=sms, email=email)
    echo(f"Notifications of new Second Chance Leads for {shown.name} ({shown.login}):")
    for choice in shown.choices:
        mark = "on " if choice.chosen else "off"
        problem = f"  — {choice.why_not}" if choice.why_not else ""
        echo(f"  {choice.channel.display_name:<22} {mark}{problem}")
    echo(f"  phone {shown_phone(shown.phone, '(none)')}, email {shown.email or '(none)'}")
    if not shown.has_access:
        click.echo(
            "You do not have the 'View Second Chance Leads' permission, so you are not "
            "notified at all; an administrator can grant it."
        )


@click.command()
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--status", is_flag=True, help="Show the outbox: counts and latest problems.")
@reports_errors
def notify(once: bool, status: bool) -> None:
    """Deliver new-lead texts and emails from the outbox, retrying with backoff.

    `scl worker` runs this beside the review; use `scl notify` alone where the
    review runs elsewhere. Configure [smtp] and [sms] in the config file and
    store their secrets with `scl secrets set smtp|sms`.
    """
    if status:
        _show_status()
        return
    import signal
    import threading

    from core.config import load_config

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    dispatcher = make_dispatcher(load_config())
    if not once:
        click.echo("Delivering notifications; Ctrl-C or SIGTERM stops it.", err=True)
    stats = dispatcher.run_once(stop) if once else dispatcher.run(stop)
    click.echo(dispatch_summary(stats))
    for reason, count in stats.reasons.most_common():
        echo(f"not delivered ({count}): {reason}", err=True)


def make_dispatcher(config):  # type: ignore[no-untyped-def]
    from core.adapters.notifiers.factory import make_notifiers
    from core.workers.dispatcher import Dispatcher

    return Dispatcher(current_session().ctx, make_notifiers(config), config.notifications)


def dispatch_summary(stats) -> str:  # type: ignore[no-untyped-def]
    expired = (
        f"; {stats.expired_in_app} in-app notices expired unseen" if stats.expired_in_app else ""
    )
    return (
        f"Notifications: {stats.delivered} delivered, {stats.retrying} to retry, "
        f"{stats.failed} failed, {stats.skipped} skipped{expired}."
    )


def _show_status() -> None:
    from core.domain.notifications import Channel, DeliveryState
    from core.services.notifications import outbox_status

    session = current_session()
    shown = outbox_status(session.ctx, session.login)
    states = list(DeliveryState)
    click.echo(f"{'channel':<8}" + "".join(f"{s.value:>11}" for s in states))
    for channel in Channel:
        counts = "".join(f"{shown.counts.get((channel, s), 0):>11}" for s in states)
        click.echo(f"{channel.short_name:<8}{counts}")
    if shown.recent_problems:
        click.echo("Latest problems:")
    for view in shown.recent_problems:
        echo(
            f"lead {view.lead_id:>6} {view.login:<12} {view.channel.short_name:<6} "
            f"{view.state.value:<9} {view.attempts} tries {shown_time(view.created_at)}  "
            f"{one_line(view.last_error or '', 80)}"
        )


def start_beside(stop) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    """`scl worker`'s dispatcher thread; a failure is told on stderr and logged."""
    import logging
    import threading

    from core.config import load_config

    dispatcher = make_dispatcher(load_config())

    def run() -> None:
        try:
            dispatcher.run(stop)
        except Exception as error:  # the review goes on; the dispatcher's death is told
            logging.getLogger("scl").exception("notification dispatcher stopped")
            echo(f"scl: notification dispatcher stopped: {error!r}", err=True)

    thread = threading.Thread(target=run, name="notification-dispatcher", daemon=True)
    thread.start()
    return dispatcher, thread
