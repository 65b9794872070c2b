"""Twilio calls no one answered: a ring with nothing said is counted, not a call to
review; a voicemail (a message taken by <Record>) is a call to review, typed so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.adapters.intake_http import IntakeOptions, make_app, running
from core.services.status import backlog_status
from tests.intake.test_twilio_callbacks import (
    AUTH_TOKEN,
    SID,
    Twilio,
    completed_call,
    folder,  # noqa: F401  (a fixture: the allowed folder and loopback "Twilio API")
    no_proxy,  # noqa: F401  (autouse: no proxy between the intake and the loopback)
    recording_done,
    recordings_server,  # noqa: F401  (a fixture)
    the_call,
)
from tests.services.recording_server import AUDIO, RecordingServer


@pytest.fixture
def twilio(ctx, folder: Path) -> Iterator[Twilio]:  # noqa: F811
    options = IntakeOptions("bearer", twilio_token=AUTH_TOKEN, recordings=folder)
    with running(make_app(ctx, options)) as url:
        yield Twilio(url)


def voicemail_done(server: RecordingServer) -> dict[str, str]:
    return {**recording_done(server), "RecordingSource": "RecordVerb"}


def test_calls_that_rang_unanswered_are_counted_once_by_status_and_never_stored(ctx, twilio):
    for sid, status in [("CA01", "no-answer"), ("CA01", "no-answer"), ("CA02", "busy")]:
        answer = twilio.post("/twilio/call-status", completed_call(CallSid=sid, CallStatus=status))
        assert answer.status_code == 200 and "unanswered" in answer.json()["message"]
    leg = completed_call(CallSid="CA03", CallStatus="no-answer", ParentCallSid="CA04")
    assert twilio.post("/twilio/call-status", leg).status_code == 200  # its parent counts
    assert the_call(ctx) is None
    assert backlog_status(ctx).unanswered_last_day == {"busy": 1, "no-answer": 1}


def test_a_voicemail_is_stored_as_a_voicemail_call_with_its_recording(
    ctx,
    twilio,
    recordings_server,  # noqa: F811
):
    twilio.post("/twilio/call-status", completed_call(CallDuration="40"))
    answer = twilio.post("/twilio/recording-status", voicemail_done(recordings_server))
    assert answer.status_code == 200 and answer.json()["message"] == "voicemail saved"
    call = the_call(ctx)
    assert call is not None and call.call_type == "Voicemail"
    assert Path(call.recording or "").read_bytes() == AUDIO
    assert backlog_status(ctx).unanswered_last_day == {}


def test_a_voicemail_recording_that_comes_first_types_its_call_when_the_call_comes(
    ctx,
    twilio,
    recordings_server,  # noqa: F811
):
    assert twilio.post("/twilio/recording-status", voicemail_done(recordings_server)).is_success
    twilio.post("/twilio/call-status", completed_call(CallSid=SID))
    call = the_call(ctx)
    assert call is not None and (call.call_type, call.recording is not None) == ("Voicemail", True)
