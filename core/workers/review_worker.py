"""The review worker: claims due calls, classifies them, writes leads.

It runs standalone (`scl worker`) or in a thread of the app; it knows nothing
of Textual and tells the world through events written with each verdict.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from core.classify.base import (
    CallForReview,
    Classifier,
    ClassifierError,
    Verdict,
    call_for_review,
)
from core.config import AppConfig
from core.db.models import Call, Customer, Employee, TranscriptSegment
from core.db.outages import Backoff, Patient, StatusCallback, Stopped
from core.log_setup import what_failed
from core.services import notifications
from core.services.company import read_profile
from core.services.context import ServiceContext
from core.services.flagging import Reviewed, record_verdicts
from core.services.learning import follow_model
from core.services.settings import read_settings
from core.workers.claims import (
    claim_due,
    count_delayed,
    give_back,
    give_back_strays,
    held_claims,
)
from core.workers.transcription import Transcriber, TranscriptionStep

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class WorkerOptions:
    batch: int | None = None
    """Calls claimed at once (default: what the classifier gets through in well under a
    lease, so a crash strands few and a batch never outlives its claim)."""
    lease: timedelta = timedelta(minutes=2)
    """How long a claim holds before another worker may take the call over."""
    retry_after: timedelta = timedelta(minutes=5)
    """After a classifier failure the call waits this long, then is tried again."""
    poll_seconds: float = 5.0
    """Pause between looks for due calls when there were none."""
    give_up_after: float | None = None
    """Seconds one database outage may last before the worker gives up
    (DatabaseUnavailable); None waits for the database as long as it takes."""
    backoff: Backoff | None = None
    """Waits between tries while the database is unreachable or full (default: from a
    quarter second, doubling, to ten seconds, jittered)."""

    @classmethod
    def from_config(cls, config: AppConfig, **overrides: Any) -> WorkerOptions:
        """The options a site configured ([worker] in the config file)."""
        return cls(lease=timedelta(seconds=config.worker.lease_seconds), **overrides)


@dataclass
class ReviewStats:
    reviewed: int = 0
    flagged: int = 0
    delayed: int = 0
    lost: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: ReviewStats) -> None:
        self.reviewed += other.reviewed
        self.flagged += other.flagged
        self.delayed += other.delayed
        self.lost += other.lost
        self.errors.extend(other.errors)


def worker_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ReviewWorker:
    def __init__(
        self,
        ctx: ServiceContext,
        classifier: Classifier,
        *,
        token: str | None = None,
        options: WorkerOptions | None = None,
        on_status: StatusCallback | None = None,
        transcriber: Transcriber | None = None,
        kind: str | None = None,
    ) -> None:
        from core.workers import heartbeat

        self.ctx = ctx
        self.classifier = classifier
        self._profile_source: str | None = None
        self.token = token or worker_token()
        self.options = options or WorkerOptions()
        # Every database step goes through this: an outage (a restart, a full disk) is
        # waited out and the step done again, so nothing in hand is lost.
        self.patient = Patient(
            f"review worker {self.token}",
            backoff=self.options.backoff or Backoff(),
            give_up_after=self.options.give_up_after,
            on_status=on_status,
        )
        self._stop: threading.Event | None = None
        # `transcriber` None: the configured one ([transcription]), built when first needed.
        self.transcription = TranscriptionStep(
            ctx, self.token, self._patiently, lease=self.options.lease, transcriber=transcriber
        )
        self.calls_done = 0
        """Calls this worker has written a verdict for (its heartbeat reports it)."""
        self.kind = kind or heartbeat.SERVICE
        """`app`: an app's reviewer, its heartbeat kept from the first run_once until the
        app's stop event; otherwise run() beats as a service, run_once as a one-shot."""
        self._beating: heartbeat.Heartbeat | None = None

    def run(self, stop: threading.Event) -> ReviewStats:
        """Review until `stop` is set; the call in hand is finished first. Meanwhile the
        worker's heartbeat row says it is alive (`scl status` counts it)."""
        from core.workers.heartbeat import Heartbeat

        total = ReviewStats()
        log.info(
            "review worker started",
            extra={
                "fields": {"worker": self.token, "classifier": classifier_label(self.classifier)}
            },
        )
        beat = Heartbeat(self.ctx, self.token, lambda: self.calls_done, kind=self.kind)
        with beat:
            self._beating = beat
            while not stop.is_set():
                done = self.run_once(stop)
                total.add(done)
                if done.reviewed + done.delayed + done.lost == 0:
                    stop.wait(self.options.poll_seconds)
            self._beating = None
        log.info(
            "review worker stopped",
            extra={
                "fields": {
                    "worker": self.token,
                    "reviewed": total.reviewed,
                    "flagged": total.flagged,
                    "delayed": total.delayed,
                }
            },
        )
        return total

    def run_once(self, stop: threading.Event | None = None) -> ReviewStats:
        """Review everything due now (while SCL is enabled), batch by batch. While the
        database is unreachable or full it waits and tries again (until `stop`).

        Its heartbeat: run()'s, or an app's kept from its first call until `stop` is set
        (the app's loop calls this again and again), or a one-shot's for this call only."""
        from core.workers import heartbeat

        if self.kind == heartbeat.APP and stop is not None:
            return self._review_in_app(stop)
        if self._beating is not None:
            return self._review_due(stop)
        with heartbeat.Heartbeat(
            self.ctx, self.token, lambda: self.calls_done, kind=heartbeat.ONE_SHOT
        ):
            return self._review_due(stop)

    def _review_in_app(self, stop: threading.Event) -> ReviewStats:
        from core.workers import heartbeat

        if self._beating is None:
            self._beating = heartbeat.Heartbeat(
                self.ctx, self.token, lambda: self.calls_done, kind=heartbeat.APP
            )
            self._beating.keep_until(stop)
        try:
            return self._review_due(stop)
        except BaseException:  # the app's reviewer is gone (its loop ends): so is its row
            self._beating.close()
            self._beating = None
            raise

    def _review_due(self, stop: threading.Event | None) -> ReviewStats:
        stats = ReviewStats()
        self._stop = stop
        claimed: list[int] = []
        try:
            claimed = self._claim()
            while claimed:
                if stop is not None and stop.is_set():
                    break
                # Empty when nothing more is due, or when stopping or the classifier
                # fails (try again later).
                claimed = self._review_batch(claimed, stats, stop, claim_next=True)
        except Stopped:
            pass  # stopped while the database was away: its claims expire with the lease
        finally:
            # Whatever ends the run (stop, the end of `--once`, an error), claims in hand
            # are given back at once rather than left to expire.
            self._give_back_on_exit(claimed)
        return stats

    def _give_back_on_exit(self, claimed: list[int]) -> None:
        if not claimed:
            return
        try:
            with self.ctx.db.write_transaction() as session:
                give_back(session, claimed, self.token)
        except Exception as error:  # the database is away: the lease will expire
            log.warning("review worker %s: claims not given back: %r", self.token, error)

    def _review_batch(
        self,
        claimed: list[int],
        stats: ReviewStats,
        stop: threading.Event | None,
        *,
        claim_next: bool,
    ) -> list[int]:
        """Classify a claimed batch (no transaction open), then write its verdicts in one
        transaction, which also claims the next batch when this one was finished (one
        turn at SQLite's single write lock, not two). The next batch's ids."""
        calls, people = self._patiently(lambda: self._load(claimed))
        # Recordings without a transcript are transcribed first (None: given back, delayed).
        prepared = self.transcription.prepare(claimed, calls, stats, stop)
        verdicts: list[tuple[int, Verdict]] = []
        handled = 0  # calls classified, or delayed after a failure
        finished = True
        for call_id, call in zip(claimed, prepared, strict=True):
            if stop is not None and stop.is_set():
                finished = False
                break
            handled += 1
            if call is None:
                continue
            try:
                verdicts.append((call_id, self.classifier.classify(call)))
            except ClassifierError as error:
                self._delay(call_id, error.message)
                stats.delayed += 1
                stats.errors.append(f"{call.external_id}: {_what_failed(error)}")
                log.warning(
                    "review delayed",
                    extra={"fields": {"call": call.external_id, "why": _what_failed(error)}},
                )
                finished = False  # don't hammer a failing service call after call
                break
        self._release(claimed[handled:])  # what we will not review now is due again at once
        return self._write(verdicts, people, stats, claim_next=claim_next and finished)

    def _write(
        self,
        verdicts: list[tuple[int, Verdict]],
        people: Sequence[Employee],
        stats: ReviewStats,
        *,
        claim_next: bool,
    ) -> list[int]:
        """Write the verdicts of calls still claimed; with `claim_next`, claim the next
        batch in the same transaction and return it. A write cut off by an outage is
        done again whole: only calls still claimed by this worker and not yet reviewed
        are written, so a commit that went through before the cut counts once."""
        if not verdicts and not claim_next:
            return []

        def write() -> tuple[list[int], int, int, int]:
            now = self.ctx.clock.now()
            with self.ctx.db.write_transaction() as session:
                claims = held_claims(session, [call_id for call_id, _ in verdicts], self.token)
                reviewed: list[Reviewed] = []
                booked: list[int] = []
                lost = 0
                for call_id, verdict in verdicts:
                    held = claims.get(call_id)
                    if held is None:
                        lost += 1  # our lease ran out and another worker took the call
                    elif held.job_booked:
                        booked.append(call_id)  # booked meanwhile: never reviewed
                    else:
                        reviewed.append(Reviewed(call_id, held.customer_phone, verdict))
                give_back(session, booked, self.token)
                flagged = record_verdicts(
                    session,
                    reviewed,
                    now,
                    recipients=people,
                    classifier=classifier_label(self.classifier),
                )
                following = self._claim_in(session, now) if claim_next else []
            return following, len(reviewed), len(flagged), lost

        following, reviewed, flagged, lost = self._patiently(write)
        self.calls_done += reviewed
        if reviewed or lost:
            log.info(
                "calls reviewed",
                extra={
                    "fields": {
                        "worker": self.token,
                        "reviewed": reviewed,
                        "flagged": flagged,
                        "lost_claims": lost,
                    }
                },
            )
        stats.reviewed += reviewed
        stats.flagged += flagged
        stats.lost += lost
        return following

    def _claim(self) -> list[int]:
        def claim() -> list[int]:
            with self.ctx.db.write_transaction() as session:
                return self._claim_in(session, self.ctx.clock.now())

        return self._patiently(claim)

    def _claim_in(self, session: Session, now: datetime) -> list[int]:
        if self.patient.down_since is not None:
            # Trying again after an outage: a claim whose commit went through unheard
            # would hold calls no one reviews until the lease ends; give them back.
            give_back_strays(session, self.token)
        settings = read_settings(session)
        if not settings.enabled:
            return []
        return claim_due(
            session,
            self.token,
            now,
            settings.after_call_work,
            self.options.lease,
            self.options.batch or self.classifier.batch_size,
        )

    def _review(self, call_id: int, stats: ReviewStats) -> None:
        """Review one claimed call (a batch of one)."""
        self._review_batch([call_id], stats, None, claim_next=False)

    def _release(self, call_ids: list[int]) -> None:
        """Give back claims this worker will not use, so they are due again at once."""
        if not call_ids:
            return  # no transaction, no lock to queue for

        def release() -> None:
            with self.ctx.db.write_transaction() as session:
                give_back(session, call_ids, self.token)

        self._patiently(release)

    def _patiently(self, step: Callable[[], T]) -> T:
        """One database step, waited for and done again while the database is away."""
        return self.patient.run(step, self._stop)

    def _load(self, call_ids: list[int]) -> tuple[list[CallForReview], Sequence[Employee]]:
        """The claimed calls with their transcripts, in the order of `call_ids` (plain
        rows, not ORM objects, for they are only read), and the people to notify of
        leads among them: looked up once a batch, and outside the write lock."""
        with self.ctx.db.transaction() as session:
            people = notifications.recipients(session)
            self._follow_profile(session)
            follow_model(session, self.classifier)  # the company's fitted model, if applied
            calls = session.execute(
                select(
                    Call.id,
                    Call.brand,
                    Call.external_id,
                    Call.direction,
                    Call.started_at,
                    Call.ended_at,
                    Call.call_type,
                    Call.csr_notes,
                    Call.job_booked,
                    Call.recording,
                    Customer.name,
                )
                .outerjoin(Customer, Call.customer_id == Customer.id)
                .where(Call.id.in_(call_ids))
            ).all()
            segments: dict[int, list[Row[Any]]] = {call_id: [] for call_id in call_ids}
            for segment in session.execute(
                select(
                    TranscriptSegment.call_id,
                    TranscriptSegment.speaker,
                    TranscriptSegment.start,
                    TranscriptSegment.end,
                    TranscriptSegment.text,
                )
                .where(TranscriptSegment.call_id.in_(call_ids))
                .order_by(TranscriptSegment.call_id, TranscriptSegment.idx)
            ):
                segments[segment.call_id].append(segment)
        by_id = {call.id: call_for_review(call, call.name, segments[call.id]) for call in calls}
        return [by_id[call_id] for call_id in call_ids], people

    def _follow_profile(self, session: Session) -> None:
        """Judge against the company profile as stored now: an administrator may have
        changed it since the last batch."""
        use = getattr(self.classifier, "use_profile", None)
        if use is None:
            return
        profile = read_profile(session)
        if profile.source != self._profile_source:
            use(profile)
            self._profile_source = profile.source

    def _delay(self, call_id: int, message: str) -> None:
        """Leave the call due, visibly delayed, to be tried again after a pause."""
        until = self.ctx.clock.now() + self.options.retry_after

        def delay() -> None:
            with self.ctx.db.write_transaction() as session:
                give_back(session, [call_id], self.token, until=until, error=message[:2000])

        self._patiently(delay)


def _what_failed(error: ClassifierError | str) -> str:
    """What failed, for the log and the worker's own lines; the whole message is kept on
    the call."""
    return what_failed(error if isinstance(error, str) else error.message)


def classifier_label(classifier: Classifier) -> str:
    """Which classifier and version decided: "embedded 2026.12-1"."""
    version = getattr(classifier, "version", None)
    return f"{classifier.name} {version}" if version else classifier.name


def review_delays(ctx: ServiceContext) -> tuple[int, str | None]:
    """How many calls wait for another try after a failed review, and what failed last
    (without the service's words: `scl status` has them)."""
    with ctx.db.transaction() as session:
        count, latest = count_delayed(session)
    return count, None if latest is None else _what_failed(latest)


def stored_call_for_review(call: Call) -> CallForReview:
    return call_for_review(call, call.customer.name if call.customer else None, call.segments)
