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

The two callbacks come in either order. Each writes its own part first (the call, or
the file) and then looks for the other's, so whichever comes second joins them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import update

from core.adapters import recording_download
from core.adapters.recording_download import Limits, Refused
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

_SID = re.compile(r"[A-Za-z0-9]{1,64}")


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
        _attach(ctx, sid, saved)
    return Answer(200, "call stored" if report.imported else "call already known")


def recording_status(
    ctx: ServiceContext,
    form: Mapping[str, str],
    folder: Path | None,
    auth_token: str,
    *,
    resolver: recording_download.Resolver = recording_download.resolve,
) -> Answer:
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
    if not target.is_file():
        try:
            _fetch(form["RecordingUrl"], form["AccountSid"], auth_token, target, ctx, resolver)
        except Refused as refused:
            return Answer(502, str(refused))
    _attach(ctx, sid, target)
    return Answer(200, "recording saved")


def _fetch(
    url: str,
    account: str,
    auth_token: str,
    target: Path,
    ctx: ServiceContext,
    resolver: recording_download.Resolver,
) -> None:
    parts = urlsplit(url)
    if parts.username is not None:
        raise Refused("RecordingUrl must not carry credentials")
    host = parts.netloc
    credentials = f"{quote(account, safe='')}:{quote(auth_token, safe='')}@"
    with_login = urlunsplit(parts._replace(netloc=credentials + host))
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            size = recording_download.download(
                with_login,
                get_sources(ctx),
                out,
                Limits(DOWNLOAD_TIMEOUT, DOWNLOAD_TOTAL, MAX_DOWNLOAD),
                resolver=resolver,
            )
        if size == 0:
            raise Refused(f"Recording download was empty: {recording_download.shown(url)}")
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)


def _attach(ctx: ServiceContext, sid: str, path: Path) -> None:
    """The call's recording, unless it has one already (a retried callback changes nothing)."""
    with ctx.db.transaction() as session:
        session.execute(
            update(Call)
            .where(Call.external_id == sid, Call.recording.is_(None))
            .values(recording=str(path))
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
