"""The notification dispatcher: sends the outbox's texts and emails, with retries.

Claims work like review claims (core.workers.claims): a row is taken by one
atomic statement — FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE on
SQLite — that sets it `sending`, counts the attempt and writes the claim's expiry
in next_attempt_at. The attempt number is the claim's token: the outcome is
written only where state and attempts are still what this dispatcher claimed, so
two dispatchers never both record one row, and a crashed dispatcher's row is
claimed again once its claim expires (LEASE, far longer than a send may take).

Backoff lives in the database (next_attempt_at), so retries survive restarts and
span `scl notify --once` runs: first_retry_seconds, then doubling, capped; after
max_attempts the row is failed with the last reason. Nothing here logs or stores a
secret: notifiers scrub their errors, the dispatcher masks any auth value left in
them, and unexpected errors keep only their type (their logged trace is masked too).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, selectinload

from core.adapters.notifiers.base import (
    DeliveryError,
    Notifier,
    Outgoing,
    mask_credentials,
    scrub,
)
from core.adapters.notifiers.factory import NOT_CONFIGURED
from core.config import NotificationsConfig
from core.db.models import Call, Lead, Notification
from core.db.outages import Backoff, Patient, StatusCallback, Stopped
from core.domain.notifications import (
    NO_EMAIL,
    NO_PHONE,
    Channel,
    DeliveryState,
    lead_message,
    retry_delay,
)
from core.domain.phones import display_phone
from core.services.context import ServiceContext
from core.services.notifications import expire_unseen_in_app

log = logging.getLogger(__name__)
T = TypeVar("T")

LEASE = timedelta(minutes=5)
SEND_WITHIN = LEASE / 2
"""A claimed row is sent only this soon after the claim; later (a slow server held up
the batch) it is given back: sent on a claim about to expire, it could be claimed
and sent again by another dispatcher meanwhile."""
SENT_BY_DISPATCHER = (Channel.SMS.value, Channel.EMAIL.value)


@dataclass
class DispatchStats:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    lost: int = 0  # claims another dispatcher took over (ours expired)
    expired_in_app: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # why rows failed or were skipped

    def add(self, other: DispatchStats) -> None:
        for name in ("delivered", "retrying", "failed", "skipped", "lost", "expired_in_app"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reasons.update(other.reasons)

    @property
    def handled(self) -> int:
        return self.delivered + self.retrying + self.failed + self.skipped + self.lost


@dataclass(frozen=True)
class Claimed:
    notification_id: int
    attempt: int  # the token: this dispatcher's attempt number on the row
    channel: Channel
    address: str | None
    created_at: datetime
    message: Outgoing | None  # None when the address is missing


@dataclass(frozen=True)
class Outcome:
    state: DeliveryState
    error: str | None = None
    retry_at: datetime | None = None


def due_condition(now: datetime) -> ColumnElement[bool]:
    """Texts and emails whose (next) attempt is due, and claims that expired."""
    return and_(
        Notification.channel.in_(SENT_BY_DISPATCHER),
        or_(
            and_(
                Notification.state == DeliveryState.PENDING.value,
                Notification.next_attempt_at <= now,
            ),
            and_(
                Notification.state == DeliveryState.SENDING.value,
                Notification.next_attempt_at < now,
            ),
        ),
    )


def claim_due(session: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    """Claim up to `limit` due rows, oldest due first: (id, attempt number) each."""
    pick = (
        select(Notification.id)
        .where(due_condition(now))
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    claim = update(Notification).values(
        state=DeliveryState.SENDING.value,
        attempts=Notification.attempts + 1,
        next_attempt_at=now + LEASE,
    )
    if session.get_bind().dialect.name == "postgresql":
        picked = pick.with_for_update(skip_locked=True).cte("picked")
        claim = claim.where(Notification.id == picked.c.id)
    else:
        claim = claim.where(Notification.id.in_(pick.scalar_subquery()), due_condition(now))
    rows = session.execute(
        claim.returning(Notification.id, Notification.attempts).execution_options(
            synchronize_session=False
        )
    )
    return sorted((row[0], row[1]) for row in rows)


class Dispatcher:
    def __init__(
        self,
        ctx: ServiceContext,
        notifiers: dict[Channel, Notifier],
        options: NotificationsConfig | None = None,
        *,
        batch: int = 20,
        backoff: Backoff | None = None,
        give_up_after: float | None = None,
        on_status: StatusCallback | None = None,
    ) -> None:
        self.ctx = ctx
        self.notifiers = notifiers
        self.options = options or NotificationsConfig()
        self.batch = batch
        # Every database step waits out an outage and is done again: an outcome already
        # known (a message sent) is written once the database is back, never re-sent.
        self.patient = Patient(
            "notification dispatcher",
            backoff=backoff or Backoff(),
            give_up_after=give_up_after,
            on_status=on_status,
        )
        self._stop: threading.Event | None = None

    def run(self, stop: threading.Event) -> DispatchStats:
        """Deliver until `stop` is set; the message in hand is finished first."""
        total = DispatchStats()
        while not stop.is_set():
            done = self.run_once(stop)
            total.add(done)
            if done.handled == 0:
                stop.wait(self.options.poll_seconds)
        return total

    def run_once(self, stop: threading.Event | None = None) -> DispatchStats:
        """Deliver every row due now, batch by batch; rows failing now wait for later.
        While the database is unreachable or full it waits and tries again (until stop)."""
        stats = DispatchStats()
        self._stop = stop
        # Stopped while the database was away: its claims expire with their lease.
        with contextlib.suppress(Stopped):
            self._deliver_due(stats, stop)
        return stats

    def _deliver_due(self, stats: DispatchStats, stop: threading.Event | None) -> None:
        def expire() -> int:
            with self.ctx.db.transaction() as session:
                return expire_unseen_in_app(session, self.ctx.clock.now())

        stats.expired_in_app = self._patiently(expire)
        while stop is None or not stop.is_set():
            claimed_at = self.ctx.clock.now()
            claimed = self._claim()
            if not claimed:
                break
            for position, item in enumerate(claimed):
                stopping = stop is not None and stop.is_set()
                if stopping or self.ctx.clock.now() - claimed_at > SEND_WITHIN:
                    self._release(claimed[position:])
                    break
                self._finish(item, self._deliver(item), stats)

    def _patiently(self, step: Callable[[], T]) -> T:
        return self.patient.run(step, self._stop)

    # --- steps ------------------------------------------------------------------------

    def _claim(self) -> list[Claimed]:
        return self._patiently(self._claim_now)

    def _claim_now(self) -> list[Claimed]:
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            tokens = dict(claim_due(session, now, self.batch))
            if not tokens:
                return []
            rows = session.scalars(
                select(Notification)
                .where(Notification.id.in_(tokens))
                .options(
                    selectinload(Notification.employee),
                    selectinload(Notification.lead)
                    .selectinload(Lead.call)
                    .options(selectinload(Call.customer), selectinload(Call.csr)),
                )
                .order_by(Notification.id)
            ).all()
            return [_claimed(row, tokens[row.id]) for row in rows]

    def _deliver(self, item: Claimed) -> Outcome:
        """Send one message (no transaction open meanwhile) and say what became of it."""
        now = self.ctx.clock.now()
        stale_after = timedelta(minutes=self.options.stale_after_minutes)
        if item.created_at < now - stale_after:
            return Outcome(
                DeliveryState.FAILED,
                f"stale: not sent within {_minutes(stale_after)} of the lead",
            )
        if item.message is None:
            return Outcome(
                DeliveryState.SKIPPED, NO_PHONE if item.channel == Channel.SMS else NO_EMAIL
            )
        notifier = self.notifiers.get(item.channel)
        if notifier is None:
            return Outcome(DeliveryState.FAILED, NOT_CONFIGURED[item.channel])
        try:
            notifier.send(item.message)
        except DeliveryError as error:
            # Notifiers scrub their own secrets; this catches any auth value they missed.
            return self._after_failure(item, scrub(error.message), error.temporary)
        except Exception as error:  # a bug or an odd library error: retried, type only
            trace = mask_credentials("".join(traceback.format_exception(error)))
            log.error("notification %s: unexpected error\n%s", item.notification_id, trace)
            return self._after_failure(item, f"unexpected error ({type(error).__name__})", True)
        return Outcome(DeliveryState.DELIVERED)

    def _after_failure(self, item: Claimed, reason: str, temporary: bool) -> Outcome:
        if not temporary:
            return Outcome(DeliveryState.FAILED, reason)
        if item.attempt >= self.options.max_attempts:
            return Outcome(DeliveryState.FAILED, f"gave up after {item.attempt} attempts: {reason}")
        wait = retry_delay(
            item.attempt,
            timedelta(seconds=self.options.first_retry_seconds),
            timedelta(seconds=self.options.max_retry_seconds),
        )
        return Outcome(DeliveryState.PENDING, reason, self.ctx.clock.now() + wait)

    def _finish(self, item: Claimed, outcome: Outcome, stats: DispatchStats) -> None:
        now = self.ctx.clock.now()
        values: dict[str, object] = {"state": outcome.state.value, "next_attempt_at": None}
        if outcome.state == DeliveryState.DELIVERED:
            values |= {"delivered_at": now, "last_error": None}
        else:
            values["last_error"] = outcome.error
        if outcome.state == DeliveryState.PENDING:
            values["next_attempt_at"] = outcome.retry_at

        def write() -> int:
            with self.ctx.db.transaction() as session:
                return session.execute(
                    update(Notification)
                    .where(
                        Notification.id == item.notification_id,
                        Notification.state == DeliveryState.SENDING.value,
                        Notification.attempts == item.attempt,
                    )
                    .values(**values)
                    .execution_options(synchronize_session=False)
                ).rowcount

        written = self._patiently(write)
        if not written:
            stats.lost += 1
            return
        if outcome.state == DeliveryState.DELIVERED:
            stats.delivered += 1
        elif outcome.state == DeliveryState.PENDING:
            stats.retrying += 1
            log.warning("notification %s will be retried: %s", item.notification_id, outcome.error)
        else:
            if outcome.state == DeliveryState.SKIPPED:
                stats.skipped += 1
            else:
                stats.failed += 1
            stats.reasons[outcome.error or outcome.state.value] += 1
            log.warning(
                "notification %s %s: %s", item.notification_id, outcome.state, outcome.error
            )

    def _release(self, items: list[Claimed]) -> None:
        """Give back claims not used (stopping, or held too long): due again at once, the
        attempt uncounted."""
        self._patiently(lambda: self._release_now(items))

    def _release_now(self, items: list[Claimed]) -> None:
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            for item in items:
                session.execute(
                    update(Notification)
                    .where(
                        Notification.id == item.notification_id,
                        Notification.state == DeliveryState.SENDING.value,
                        Notification.attempts == item.attempt,
                    )
                    .values(
                        state=DeliveryState.PENDING.value,
                        attempts=item.attempt - 1,
                        next_attempt_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )


def _claimed(row: Notification, attempt: int) -> Claimed:
    channel = Channel(row.channel)
    person = row.employee
    address = person.phone if channel == Channel.SMS else person.email
    message = None
    if address:
        lead = row.lead
        call = lead.call
        text = lead_message(
            lead_id=lead.id,
            customer_name=call.customer.name if call.customer else None,
            phone_display=display_phone(lead.customer_phone),
            reason=lead.reason,
            csr_name=call.csr.name if call.csr else None,
        )
        body = text.short if channel == Channel.SMS else text.body
        message = Outgoing(to=address, subject=text.subject, text=body)
    return Claimed(row.id, attempt, channel, address, row.created_at, message)


def _minutes(span: timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 and minutes >= 60 else f"{minutes} min"
