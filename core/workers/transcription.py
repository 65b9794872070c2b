"""Transcription before review: a due call with a recording and no transcript is
transcribed first, then classified with what was said.

It runs inside the review worker, on calls the worker has claimed, and only while an
administrator has the `transcribe` setting on (recordings leave the host only then).
- Done: the segments are stored as the call's transcript (speaker, start, end, text)
  and a `transcriptions` row marks them machine-made, with engine and model.
- The server failed (429, 5xx, a timeout, no key): the call is given back due after a
  growing pause, its review error saying "transcription delayed: …", and tried again;
  never lost.
- The recording cannot be read (outside the allow-lists, missing, undecodable, refused
  by the server): reported once, in a log line, an event and the row, and the call is
  reviewed as having no transcript.
Recordings are found only through core.services.recordings' allow-lists.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from core.adapters.transcription import (
    Said,
    Transcriber,
    TranscriptionDelayed,
    TranscriptionRefused,
)
from core.classify.base import CallForReview, Line
from core.db.models import Call, TranscriptSegment
from core.db.transcription_models import DELAYED, DONE, UNREADABLE, Transcription
from core.services import events
from core.services.context import ServiceContext
from core.services.recording_sources import read_sources
from core.services.settings import read_settings
from core.workers.claims import give_back, held_claims

if TYPE_CHECKING:
    from core.adapters.transcription_audio import PreparedRecording

log = logging.getLogger(__name__)
T = TypeVar("T")

FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
DOWNLOAD_TRIES = 5  # a recording URL that keeps failing is then reported as unreadable
DELAY_PREFIX = "transcription delayed: "
UNREADABLE_EVENT = "transcription.unreadable"


class _Stats(Protocol):
    delayed: int
    errors: list[str]


class TranscriptionStep:
    """Fills in the transcripts of claimed calls that need one, before classification."""

    def __init__(
        self,
        ctx: ServiceContext,
        token: str,
        patiently: Callable[[Callable[[], Any]], Any],
        *,
        lease: timedelta,
        transcriber: Transcriber | None = None,
        agent_channel: int | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        self.ctx = ctx
        self.token = token
        self._patiently = patiently
        self.lease = lease
        self._transcriber = transcriber
        self._agent_channel = agent_channel
        self._timeout = timeout_seconds
        config = getattr(transcriber, "config", None)  # an OpenAITranscriber's own
        if config is not None:
            if timeout_seconds is None:
                self._timeout = config.timeout_seconds * (config.max_retries + 1)
            if agent_channel is None:
                self._agent_channel = config.agent_channel

    def prepare(
        self,
        claimed: Sequence[int],
        calls: Sequence[CallForReview],
        stats: _Stats,
        stop: threading.Event | None = None,
    ) -> list[CallForReview | None]:
        """The calls, with transcripts where they were made; None for a call given back
        (delayed, or not reached before `stop`)."""
        result: list[CallForReview | None] = list(calls)
        if all(call.transcript for call in calls):
            return result  # the usual case: no query, no lock
        wanted = self._patiently(lambda: self._wanted(list(claimed)))
        failing: str | None = None  # the server's failure, once it failed in this batch
        for position, (call_id, call) in enumerate(zip(claimed, calls, strict=True)):
            if call_id not in wanted or call.transcript:
                continue
            if stop is not None and stop.is_set():
                self._give_back(call_id)
                result[position] = None
            elif failing is not None:
                # Don't hammer a failing server call after call: the rest wait as long.
                self._delay(call_id, wanted[call_id][1], failing, count=False)
                stats.delayed += 1
                result[position] = None
            else:
                ahead = zip(claimed[position:], result[position:], strict=True)
                remaining = [i for i, kept in ahead if kept is not None]
                result[position], failing = self._transcribe_one(
                    call_id, call, wanted[call_id], remaining, stats
                )
        return result

    def _wanted(self, call_ids: list[int]) -> dict[int, tuple[str, int]]:
        """Of these calls, those to transcribe now: the setting on, a recording, no
        transcript, no finished or unreadable transcription. Their recording and tries."""
        with self.ctx.db.transaction() as session:
            if not read_settings(session).transcribe:
                return {}
            rows = session.execute(
                select(Call.id, Call.recording, Transcription.state, Transcription.attempts)
                .outerjoin(Transcription, Transcription.call_id == Call.id)
                .where(
                    Call.id.in_(call_ids),
                    Call.recording.is_not(None),
                    Call.recording != "",
                    ~exists().where(TranscriptSegment.call_id == Call.id),
                )
            ).all()
        return {
            row.id: (row.recording, row.attempts or 0)
            for row in rows
            if row.state not in (DONE, UNREADABLE)
        }

    def _transcribe_one(
        self,
        call_id: int,
        call: CallForReview,
        wanted: tuple[str, int],
        remaining: list[int],
        stats: _Stats,
    ) -> tuple[CallForReview | None, str | None]:
        """The call with its transcript (or as it was, or None when delayed), and the
        server's failure when it was the server that failed."""
        # Audio decoding (numpy) and downloads (httpx) load only when a recording is read.
        from core.adapters.audio.errors import RecordingUnreadable
        from core.services.recordings import RecordingUnavailable

        reference, attempts = wanted
        self._extend(remaining)
        server = False  # whether a delay is the server's (then the batch waits too)
        try:
            recording = self._read(reference, attempts)
            server = True
            transcriber = self._engine()
            said = [
                (part.speaker, piece)
                for part in recording.parts
                for piece in transcriber.transcribe(part.audio, part.filename)
            ]
        except TranscriptionDelayed as delayed:
            self._delayed(call_id, call.external_id, attempts, delayed.message, stats)
            return None, delayed.message if server else None
        except (RecordingUnreadable, RecordingUnavailable, TranscriptionRefused) as refused:
            self._unreadable(call_id, call.external_id, refused.message)
            log.warning("recording of %s cannot be transcribed: %s", call.external_id, refused)
            return call, None
        except Exception as error:  # a bug: logged whole, and the call kept due, not lost
            log.exception("transcription of %s failed", call.external_id)
            self._delayed(call_id, call.external_id, attempts, f"unexpected: {error!r}", stats)
            return None, None
        said.sort(key=lambda item: (item[1].start, item[1].end))
        stored = self._store(call_id, recording, said, transcriber)
        if not stored:
            return call, None  # another worker took the call over, or a transcript came
        lines = tuple(
            Line(index, speaker, piece.start, piece.end, piece.text)
            for index, (speaker, piece) in enumerate(said)
        )
        return replace(call, transcript=lines), None

    def _delayed(
        self, call_id: int, external_id: str, attempts: int, message: str, stats: _Stats
    ) -> None:
        self._delay(call_id, attempts, message)
        stats.delayed += 1
        stats.errors.append(f"{external_id}: {DELAY_PREFIX}{message}")
        log.warning("transcription of %s delayed: %s", external_id, message)

    def _read(self, reference: str, attempts: int) -> PreparedRecording:
        from core.services.recordings import RecordingUnavailable, is_remote, locate_recording

        sources = self._patiently(self._sources)
        try:
            path = locate_recording(reference, sources)
        except RecordingUnavailable as error:
            # A download that failed (the host down, a timeout) may work later.
            if is_remote(reference) and attempts + 1 < DOWNLOAD_TRIES and _passing(error.message):
                raise TranscriptionDelayed(error.message) from None
            raise
        from core.adapters.transcription_audio import prepare  # numpy, soundfile: only here

        return prepare(path, self._channel())

    def _sources(self) -> Any:
        with self.ctx.db.transaction() as session:
            return read_sources(session)

    def _engine(self) -> Transcriber:
        if self._transcriber is None:
            from core.adapters.transcription import OpenAITranscriber
            from core.config import load_config
            from core.errors import ConfigError

            try:
                config = load_config().transcription
            except ConfigError as error:
                raise TranscriptionDelayed(error.message) from None
            self._transcriber = OpenAITranscriber.from_config(config)
            self._agent_channel = config.agent_channel
            self._timeout = config.timeout_seconds * (config.max_retries + 1)
        return self._transcriber

    def _channel(self) -> int:
        if self._agent_channel is None:
            self._engine()
        return self._agent_channel or 0

    def _extend(self, call_ids: list[int]) -> None:
        """Keep the claims in hand while a long transcription runs: a recording may take
        minutes per channel on a self-hosted server, longer than a lease."""
        if not call_ids:
            return
        self._engine_or_none()
        per_channel = timedelta(seconds=self._timeout or 600)
        until = self.ctx.clock.now() + self.lease + 2 * per_channel

        def extend() -> None:
            with self.ctx.db.write_transaction() as session:
                session.execute(
                    update(Call)
                    .where(
                        Call.id.in_(call_ids),
                        Call.review_claimed_by == self.token,
                        Call.reviewed_at.is_(None),
                    )
                    .values(review_lease_until=until)
                    .execution_options(synchronize_session=False)
                )

        self._patiently(extend)

    def _engine_or_none(self) -> None:
        with contextlib.suppress(TranscriptionDelayed):  # said when the call is tried
            self._engine()

    def _store(
        self,
        call_id: int,
        recording: PreparedRecording,
        said: list[tuple[str, Said]],
        transcriber: Transcriber,
    ) -> bool:
        def store() -> bool:
            now = self.ctx.clock.now()
            with self.ctx.db.write_transaction() as session:
                if call_id not in held_claims(session, [call_id], self.token):
                    return False
                if session.scalar(select(exists().where(TranscriptSegment.call_id == call_id))):
                    return False
                session.add_all(
                    TranscriptSegment(
                        call_id=call_id,
                        idx=index,
                        speaker=speaker,
                        start=round(piece.start, 2),
                        end=round(piece.end, 2),
                        text=piece.text,
                    )
                    for index, (speaker, piece) in enumerate(said)
                )
                row = _row(session, call_id, now)
                row.state = DONE
                row.engine = transcriber.engine[:200]
                row.model = transcriber.model[:200]
                row.channels = recording.channels
                row.recording_seconds = round(recording.seconds, 2)
                row.billed_seconds = round(recording.billed_seconds, 2)
                row.attempts = (row.attempts or 0) + 1
                row.error = None
                row.retry_at = None
                row.done_at = now
                return True

        return bool(self._patiently(store))

    def _delay(self, call_id: int, attempts: int, message: str, *, count: bool = True) -> None:
        """Due again after a pause that doubles with each failed try (`count` False: the
        call was not tried, it waits for the server that failed on another)."""
        now = self.ctx.clock.now()
        until = now + min(FIRST_RETRY * 2 ** min(attempts, 12), MAX_RETRY)

        def delay() -> None:
            with self.ctx.db.write_transaction() as session:
                if call_id not in held_claims(session, [call_id], self.token):
                    return
                row = _row(session, call_id, now)
                row.state = DELAYED
                row.attempts = (row.attempts or 0) + (1 if count else 0)
                row.error = message[:2000]
                row.retry_at = until
                give_back(
                    session, [call_id], self.token, until=until, error=DELAY_PREFIX + message[:1900]
                )

        self._patiently(delay)

    def _unreadable(self, call_id: int, external_id: str, reason: str) -> None:
        """Reported once: the row keeps the reason, an event tells whoever listens."""
        now = self.ctx.clock.now()

        def report() -> None:
            with self.ctx.db.write_transaction() as session:
                row = _row(session, call_id, now)
                row.state = UNREADABLE
                row.attempts = (row.attempts or 0) + 1
                row.error = reason[:2000]
                row.retry_at = None
                events.publish(
                    session,
                    UNREADABLE_EVENT,
                    now,
                    call=external_id,
                    reason=reason[:500],
                )

        self._patiently(report)

    def _give_back(self, call_id: int) -> None:
        def give() -> None:
            with self.ctx.db.write_transaction() as session:
                give_back(session, [call_id], self.token)

        self._patiently(give)


def _row(session: Session, call_id: int, now: datetime) -> Transcription:
    row = session.get(Transcription, call_id)
    if row is None:
        row = Transcription(call_id=call_id, state=DELAYED, attempts=0, updated_at=now)
        session.add(row)
    row.updated_at = now
    return row


def _passing(message: str) -> bool:
    """A download failure that may pass (the host down or slow), not a refusal."""
    return "could not be downloaded" in message or "took longer" in message
