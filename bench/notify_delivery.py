"""Delivering 200 notifications (100 texts, 100 emails) while the SMS API answers 503
and the SMTP server 451 to their first N tries, with two dispatchers at once; checks that
each message arrived exactly once. SQLite file, and PostgreSQL when one can be started.

Run: .venv/bin/python -m bench.notify_delivery [N_FAILURES]
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from core.adapters.notifiers.email import SmtpNotifier
from core.adapters.notifiers.sms import SmsNotifier
from core.classify.base import Verdict
from core.clock import SystemClock
from core.config import NotificationsConfig, SmsConfig, SmtpConfig
from core.db.engine import open_database
from core.db.models import Call, Employee, Notification, Role, RolePermission
from core.domain.notifications import Channel, DeliveryState
from core.domain.permissions import VIEW_SCL
from core.services.context import ServiceContext
from core.services.flagging import record_verdict
from core.workers.dispatcher import Dispatcher
from tests.adapters.notify_servers import sms_server, smtp_server

AGENTS, LEADS = 5, 20  # 5 agents × 20 leads × (text + email) = 200 notifications
OPTIONS = NotificationsConfig(max_attempts=8, first_retry_seconds=0.2, max_retry_seconds=2)


def seed(ctx: ServiceContext) -> None:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        role = Role(name="Agents", permissions=[RolePermission(permission=VIEW_SCL)])
        for n in range(AGENTS):
            session.add(
                Employee(
                    login=f"agent{n}",
                    name=f"Agent {n}",
                    role=role,
                    phone=f"+1512555{n:04d}",
                    email=f"agent{n}@example.com",
                    notify_in_app=False,
                    notify_sms=True,
                    notify_email=True,
                    created_at=now,
                )
            )
        for n in range(LEADS):
            call = Call(
                external_id=f"BENCH-N-{n}",
                direction="inbound",
                customer_phone=f"+1737555{n:04d}",
                started_at=now - timedelta(minutes=9),
                ended_at=now - timedelta(minutes=5),
                job_booked=False,
                imported_at=now,
            )
            session.add(call)
            session.flush()
            record_verdict(session, call, Verdict(True, 0.9, "Needs a repair", (), "s"), now)


def measure(url: str, failures: int) -> None:
    ctx = ServiceContext(open_database(url), SystemClock())
    seed(ctx)
    with (
        sms_server(fail_first=failures) as (base, texts),
        smtp_server(fail_first=failures) as (port, mails),
    ):
        notifiers = {
            Channel.SMS: SmsNotifier(
                SmsConfig(base_url=base, account_sid="AC1", from_number="+15125550100"), "tok"
            ),
            Channel.EMAIL: SmtpNotifier(
                SmtpConfig(
                    host="127.0.0.1", port=port, starttls=False, from_address="scl@example.com"
                ),
                None,
            ),
        }
        dispatchers = [Dispatcher(ctx, notifiers, OPTIONS) for _ in range(2)]
        start = time.perf_counter()
        threads = [threading.Thread(target=_drain, args=(ctx, d)) for d in dispatchers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    with ctx.db.transaction() as session:
        states = Counter(
            dict(session.execute(select(Notification.state, func.count()).group_by("state")).all())
        )
        attempts = Counter(
            dict(
                session.execute(
                    select(Notification.attempts, func.count()).group_by(Notification.attempts)
                ).all()
            )
        )
    texts_once = len({r["form"]["Body"] + r["form"]["To"] for r in texts.delivered})
    mails_once = len({(m["Subject"], tuple(to)) for _, to, m in mails.received})
    print(
        f"{ctx.db.engine.dialect.name:<10} {elapsed:6.2f} s  {dict(states)}  "
        f"SMS API: {texts.attempts} requests, {len(texts.delivered)} delivered "
        f"({texts_once} distinct); SMTP: {mails.attempts} DATA, {len(mails.received)} "
        f"received ({mails_once} distinct); attempts per row {dict(sorted(attempts.items()))}"
    )
    ctx.db.dispose()


def _drain(ctx: ServiceContext, dispatcher: Dispatcher) -> None:
    """Run until nothing is pending: the failures' backoff makes several rounds."""
    while True:
        dispatcher.run_once()
        with ctx.db.transaction() as session:
            left = session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(
                    Notification.state.in_(
                        (DeliveryState.PENDING.value, DeliveryState.SENDING.value)
                    )
                )
            )
        if not left:
            return
        time.sleep(0.05)


def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # the retries' warnings are expected here
    failures = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(f"200 notifications, each server failing its first {failures} tries, 2 dispatchers")
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"sqlite:///{Path(tmp) / 'bench.db'}", failures)
    try:
        from tests.pg.server import running_server, unavailable_reason
    except ImportError:
        return
    if unavailable_reason() is None:
        with running_server() as server, server.database() as url:
            measure(url, failures)


if __name__ == "__main__":
    main()
