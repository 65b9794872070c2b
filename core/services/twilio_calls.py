"""Twilio's call-status and recording-status callbacks, mapped onto the intake.

A company on Twilio points its status callbacks at `scl intake` and nothing else:
- call-status `completed` (a conversation took place) becomes a call in the export
  format, validated and stored as `scl import` stores it (idempotent on the CallSid).
  Other statuses (ringing, in-progress, busy, no-answer…) and the legs a <Dial> makes
  (they carry ParentCallSid) are the same conversation or none: acknowledged, not stored.
- recording-status `completed`: the recording is fetched from RecordingUrl with the
  account's credentials (AccountSid from the signed callback, the auth token from the
  secret store) through the recordings allow-list and download limits, saved in the
  intake's recordings folder as `twilio/<CallSid>.wav`, and set as the call's recording.
  A fetch the server failed (5xx, a timeout, no connection) is tried again with backoff
  (`retry_due`, run by the intake) a bounded number of times, then given up: each give-up
  is logged and `scl status` names its call. A fetch that cannot succeed (a 4xx, a host
  not allowed) is not tried again: logged, named, refused (502).

The two callbacks come in either order. Each writes its own part first (the call, or
the file) and then looks for the other's, so whichever comes second joins them.

Calls no one answered:
- a call whose own status is busy, no-answer, canceled or failed rang and nothing was
  said: counted (unanswered_calls, `scl status`), never a call to review;
- a voicemail (the caller's message taken by <Record>: its recording's RecordingSource
  is RecordVerb, and the call itself `completed`) is a call to review like any other,
  its type "Voicemail" so agents and the classifier know no one answered; transcribed
  first when transcription is on.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.adapters import recording_download
from core.adapters.recording_download import Limits, Refused
from core.db.intake_models import RecordingFetch, UnansweredCall
from core.db.models import Call
from core.errors import SetupError
from core.services.context import ServiceContext
from core.services.importer import ImportReport, import_rows
from core.services.recording_sources import get_sources
from core.services.recordings import (
    DOWNLOAD_TIMEOUT,
    DOWNLOAD_TOTAL,
    MAX_DOWNLOAD,
    recording_roots,
)

log = logging.getLogger(__name__)
_SID = re.compile(r"[A-Za-z0-9]{1,64}")

PENDING, FAILED, SAVED = "pending", "failed", "saved"
"""A recording fetch tried again later, or given up (`scl status` names both); or a
voicemail's recording saved before its call came (remembered for the call's type)."""
UNANSWERED = ("busy", "no-answer", "canceled", "failed")
"""Call statuses of a call that rang and was never answered (Twilio's words)."""
VOICEMAIL_SOURCE = "RecordVerb"
"""RecordingSource of a recording taken by <Record>: the caller left a message."""
VOICEMAIL = "Voicemail"
"""The call type of a voicemail."""
HOLD = "recording not fetched yet: the intake tries again"
"""Why a call waits for review while its recording is owed another try (`scl status`
counts it as delayed): reviewed without it, the classifier would read nothing."""
KEPT = timedelta(days=30)
"""Fetches given up or saved, and unanswered calls, are forgotten after this."""


def _default_delays() -> tuple[timedelta, ...]:
    return tuple(timedelta(seconds=s) for s in (10, 30, 90, 270, 810))


@dataclass(frozen=True)
class FetchRetries:
    """How a recording the server failed to give is tried again."""

    delays: tuple[timedelta, ...] = field(default_factory=_default_delays)
    """The wait before each further try (tries in all: one more than these): ~20 min."""
    limits: Limits = field(
        default_factory=lambda: Limits(DOWNLOAD_TIMEOUT, DOWNLOAD_TOTAL, MAX_DOWNLOAD)
    )
    lease: timedelta = timedelta(minutes=5)
    """A try in one intake's hands: another intake leaves it alone this long."""
    batch: int = 20


@dataclass(frozen=True)
class Answer:
    """What the callback did: `status` is the HTTP status to answer with."""

    status: int
    message: str


def recordings_folder(ctx: ServiceContext, given: Path | None) -> Path | None:
    """Where fetched recordings are kept: `given`, else SCL_RECORDINGS_DIR, else the first
    folder an administrator allowed. It must be one the player and transcription may
    read (the allow-list), or SetupError says how to allow it."""
    roots = [root.resolve() for root in recording_roots(get_sources(ctx))[:-1]]  # not the demo
    if given is None:
        return roots[0] if roots else None
    folder = given.expanduser().resolve()
    if not any(folder.is_relative_to(root) for root in roots):
        raise SetupError(
            f"{folder} is not a recordings folder: an administrator allows it with "
            f"`scl recordings allow-folder {folder}` (so the player can read what is saved)"
        )
    return folder


def call_status(ctx: ServiceContext, form: Mapping[str, str], folder: Path | None) -> Answer:
    status = form.get("CallStatus", "")
    if form.get("ParentCallSid"):
        return Answer(200, f"a leg of call {form['ParentCallSid']}: not stored on its own")
    if status in UNANSWERED:
        return _count_unanswered(ctx, form, status)
    if status != "completed":
        return Answer(200, f"call status {status or 'not given'}: nothing to store yet")
    missing = [name for name in ("CallSid", "Direction", "From", "To") if not form.get(name)]
    if missing:
        return Answer(422, f"{missing[0]}: required field is missing")
    sid = form["CallSid"]
    if not _SID.fullmatch(sid):
        return Answer(422, "CallSid: must be letters and digits")
    inbound = form["Direction"].lower() == "inbound"
    phone_field = "From" if inbound else "To"
    try:
        seconds = int(form.get("CallDuration") or 0)
    except ValueError:
        return Answer(
            422, f"CallDuration: must be a whole number of seconds, not {form['CallDuration']!r}"
        )
    ended = _when(form.get("Timestamp")) or ctx.clock.now()
    saved = _saved_recording(folder, sid)
    call = {
        "external_id": sid,
        "direction": "inbound" if inbound else "outbound",
        "customer_phone": form[phone_field],
        "customer_name": form.get("CallerName") if inbound else None,
        "started_at": (ended - timedelta(seconds=max(seconds, 0))).isoformat(),
        "ended_at": ended.isoformat(),
        "job_booked": False,
        "recording": str(saved) if saved else None,
        "call_type": VOICEMAIL if saved and _saved_voicemail(ctx, sid) else None,
    }
    report = import_rows(ctx, "twilio", [(1, call)], ImportReport())
    if report.rejected:
        problem = report.rejected[0]
        named = {"customer_phone": phone_field, "external_id": "CallSid"}.get(problem.field or "")
        return Answer(422, f"{named or problem.field or 'call'}: {problem.message}")
    if saved is None:
        # The recording may have been saved while this call was being stored.
        saved = _saved_recording(folder, sid)
    if saved is not None:
        voicemail = _saved_voicemail(ctx, sid)
        with ctx.db.write_transaction() as session:
            _attach(session, sid, saved, voicemail=voicemail)
    else:
        _hold_for_pending_fetch(ctx, sid)
    return Answer(200, "call stored" if report.imported else "call already known")


def _count_unanswered(ctx: ServiceContext, form: Mapping[str, str], status: str) -> Answer:
    """A call that rang unanswered: counted once (a callback sent again changes nothing)."""
    sid = form.get("CallSid", "")
    if not _SID.fullmatch(sid):
        return Answer(422, "CallSid: must be letters and digits")
    inbound = form.get("Direction", "").lower() == "inbound"
    at = _when(form.get("Timestamp")) or ctx.clock.now()
    with ctx.db.write_transaction() as session:
        session.execute(delete(UnansweredCall).where(UnansweredCall.at < at - KEPT))
        if session.get(UnansweredCall, sid) is None:
            direction = "inbound" if inbound else "outbound"
            session.add(UnansweredCall(call_sid=sid, status=status, direction=direction, at=at))
    return Answer(200, f"unanswered call ({status}): counted, not a call to review")


def _hold_review(session: Session, sid: str, until: datetime) -> None:
    """The call (if stored, unreviewed and in no worker's hands) waits until `until`."""
    session.execute(
        update(Call)
        .where(
            Call.external_id == sid,
            Call.reviewed_at.is_(None),
            Call.review_claimed_by.is_(None),
        )
        .values(review_lease_until=until, review_error=HOLD)
        .execution_options(synchronize_session=False)
    )


def _release_review(session: Session, sid: str) -> None:
    """The call's wait for its recording is over: due at once (if it was due)."""
    session.execute(
        update(Call)
        .where(
            Call.external_id == sid,
            Call.review_claimed_by.is_(None),
            Call.review_error == HOLD,
        )
        .values(review_lease_until=None, review_error=None)
        .execution_options(synchronize_session=False)
    )


def _hold_for_pending_fetch(ctx: ServiceContext, sid: str) -> None:
    """A call stored while its recording is owed another try waits for it too."""
    with ctx.db.write_transaction() as session:
        row = session.get(RecordingFetch, sid)
        if row is not None and row.state == PENDING and row.next_try_at is not None:
            _hold_review(session, sid, row.next_try_at + FetchRetries().lease)


def _saved_voicemail(ctx: ServiceContext, sid: str) -> bool:
    with ctx.db.transaction() as session:
        row = session.get(RecordingFetch, sid)
        return row is not None and row.state == SAVED and row.source == VOICEMAIL_SOURCE


def recording_status(
    ctx: ServiceContext,
    form: Mapping[str, str],
    folder: Path | None,
    auth_token: str,
    *,
    resolver: recording_download.Resolver = recording_download.resolve,
    retries: FetchRetries | None = None,
) -> Answer:
    retries = retries or FetchRetries()
    status = form.get("RecordingStatus", "")
    if status != "completed":
        return Answer(200, f"recording status {status or 'not given'}: nothing to fetch")
    missing = [n for n in ("CallSid", "AccountSid", "RecordingUrl") if not form.get(n)]
    if missing:
        return Answer(422, f"{missing[0]}: required field is missing")
    sid = form["CallSid"]
    if not _SID.fullmatch(sid):
        return Answer(422, "CallSid: must be letters and digits")
    if folder is None:
        return Answer(
            503,
            "no recordings folder: an administrator allows one with "
            "`scl recordings allow-folder DIR` and restarts `scl intake`",
        )
    target = _recording_path(folder, sid)
    url, account = form["RecordingUrl"], form["AccountSid"]
    source = form.get("RecordingSource") or None
    if not target.is_file():
        try:
            _fetch(url, account, auth_token, target, ctx, resolver, retries.limits)
        except Refused as refused:
            return _not_fetched(ctx, sid, url, account, source, 1, refused, retries)
    _fetched(ctx, sid, target, source)
    return Answer(200, "voicemail saved" if source == VOICEMAIL_SOURCE else "recording saved")


def retry_due(
    ctx: ServiceContext,
    folder: Path,
    auth_token: str,
    *,
    resolver: recording_download.Resolver = recording_download.resolve,
    retries: FetchRetries | None = None,
) -> int:
    """Try again the recording fetches whose wait is over; how many were tried. Each is
    claimed first (its next try moved a lease ahead), so intakes never fetch one twice."""
    retries = retries or FetchRetries()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        due = session.execute(
            select(RecordingFetch.call_sid, RecordingFetch.next_try_at)
            .where(RecordingFetch.state == PENDING, RecordingFetch.next_try_at <= now)
            .order_by(RecordingFetch.next_try_at)
            .limit(retries.batch)
        ).all()
    tried = 0
    for sid, was_due in due:
        with ctx.db.write_transaction() as session:
            claimed = session.execute(
                update(RecordingFetch)
                .where(
                    RecordingFetch.call_sid == sid,
                    RecordingFetch.state == PENDING,
                    RecordingFetch.next_try_at == was_due,
                )
                .values(next_try_at=now + retries.lease)
                .execution_options(synchronize_session=False)
            )
            row = session.get(RecordingFetch, sid) if claimed.rowcount else None  # type: ignore[attr-defined]
            if row is None:
                continue  # another intake has it
            url, account, attempts = row.url, row.account_sid, row.attempts + 1
            source = row.source
        tried += 1
        target = _recording_path(folder, sid)
        try:
            if not target.is_file():
                _fetch(url, account, auth_token, target, ctx, resolver, retries.limits)
        except Refused as refused:
            _not_fetched(ctx, sid, url, account, source, attempts, refused, retries)
            continue
        log.info("recording for call %s fetched on try %d", sid, attempts)
        _fetched(ctx, sid, target, source)
    return tried


def _not_fetched(
    ctx: ServiceContext,
    sid: str,
    url: str,
    account: str,
    source: str | None,
    attempts: int,
    refused: Refused,
    retries: FetchRetries,
) -> Answer:
    """Keep a failed fetch: to be tried again after its wait while tries are left and
    the failure may pass, else given up. Logged either way, with the call's id."""
    now = ctx.clock.now()
    again = refused.transient and attempts <= len(retries.delays)
    wait = retries.delays[attempts - 1] if again else None
    with ctx.db.write_transaction() as session:
        session.merge(
            RecordingFetch(
                call_sid=sid,
                state=PENDING if again else FAILED,
                source=source[:40] if source else None,
                url=url[:4000],
                account_sid=account[:64],
                attempts=attempts,
                error=str(refused)[:2000],
                next_try_at=now + wait if wait is not None else None,
                updated_at=now,
            )
        )
        if wait is not None:
            _hold_review(session, sid, now + wait + retries.lease)
        else:
            _release_review(session, sid)  # reviewed without it: better than never
    tries = f"{attempts} {'try' if attempts == 1 else 'tries'}"
    if wait is not None:
        log.warning(
            "recording for call %s not fetched (%s): %s; tried again in %d s",
            sid,
            tries,
            refused,
            wait.total_seconds(),
        )
        return Answer(202, f"recording not fetched yet ({refused}); tried again later")
    log.error("recording for call %s not fetched, given up after %s: %s", sid, tries, refused)
    return Answer(502, str(refused))


def _fetched(ctx: ServiceContext, sid: str, target: Path, source: str | None) -> None:
    """The recording is saved: its call (if stored) gets it; no fetch of it is owed. A
    voicemail's is remembered as such, for a call that comes after it."""
    voicemail = source == VOICEMAIL_SOURCE
    now = ctx.clock.now()
    with ctx.db.write_transaction() as session:
        session.execute(delete(RecordingFetch).where(RecordingFetch.call_sid == sid))
        session.execute(  # what is done with is kept a while for `scl status`, not forever
            delete(RecordingFetch).where(
                RecordingFetch.state.in_([SAVED, FAILED]), RecordingFetch.updated_at < now - KEPT
            )
        )
        if voicemail:
            session.add(
                RecordingFetch(
                    call_sid=sid,
                    state=SAVED,
                    source=VOICEMAIL_SOURCE,
                    url="",
                    account_sid="",
                    attempts=0,
                    updated_at=now,
                )
            )
        # In the same transaction as the release: a worker that claims the call the
        # moment it is due finds its recording on it, and a crash leaves neither done.
        _attach(session, sid, target, voicemail=voicemail)
        _release_review(session, sid)


def _fetch(
    url: str,
    account: str,
    auth_token: str,
    target: Path,
    ctx: ServiceContext,
    resolver: recording_download.Resolver,
    limits: Limits,
) -> None:
    parts = urlsplit(url)
    if parts.username is not None:
        raise Refused("RecordingUrl must not carry credentials")
    host = parts.netloc
    credentials = f"{quote(account, safe='')}:{quote(auth_token, safe='')}@"
    with_login = urlunsplit(parts._replace(netloc=credentials + host))
    mode = _made_folder(target.parent)
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            size = recording_download.download(
                with_login,
                get_sources(ctx),
                out,
                limits,
                resolver=resolver,
            )
        if size == 0:
            raise Refused(f"Recording download was empty: {recording_download.shown(url)}")
        os.chmod(partial, mode)
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)


def _made_folder(folder: Path) -> int:
    """Make the folder recordings are saved in, and say the mode to save them with: the
    service's own (folder 0700, files 0600), unless an operator shares the recordings
    folder with a group by its setgid bit (`chgrp agents DIR && chmod 2750 DIR`); then
    the group may read (2750 and 0640, the group inherited), and agents' own apps play
    what is saved."""
    shared = any(p.is_dir() and p.stat().st_mode & stat.S_ISGID for p in (folder, folder.parent))
    folder.mkdir(parents=True, exist_ok=True, mode=0o750 if shared else 0o700)
    if shared and folder.stat().st_mode & 0o050 != 0o050:
        folder.chmod(0o2750)  # made before the operator shared its parent
    return 0o640 if shared else 0o600


def _attach(session: Session, sid: str, path: Path, *, voicemail: bool = False) -> None:
    """The call's recording, unless it has one already (a retried callback changes
    nothing); a voicemail's call is typed so, unless the phone system typed it."""
    session.execute(
        update(Call)
        .where(Call.external_id == sid, Call.recording.is_(None))
        .values(recording=str(path))
        .execution_options(synchronize_session=False)
    )
    if voicemail:
        session.execute(
            update(Call)
            .where(Call.external_id == sid, Call.call_type.is_(None))
            .values(call_type=VOICEMAIL)
            .execution_options(synchronize_session=False)
        )


def _recording_path(folder: Path, sid: str) -> Path:
    return folder / "twilio" / f"{sid}.wav"


def _saved_recording(folder: Path | None, sid: str) -> Path | None:
    if folder is None or not _SID.fullmatch(sid):
        return None
    path = _recording_path(folder, sid)
    return path if path.is_file() else None


def _when(text: str | None) -> datetime | None:
    """Twilio's Timestamp (RFC 2822, e.g. `Thu, 20 Nov 2026 20:07:52 +0000`)."""
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None
