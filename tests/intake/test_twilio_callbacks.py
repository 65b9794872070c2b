"""Twilio's call-status and recording-status callbacks, posted to the intake on
loopback with their X-Twilio-Signature, the recording fetched from a loopback server."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import select

from core.adapters.intake_http import IntakeOptions, make_app, running
from core.adapters.twilio_signature import signature
from core.db.models import Call
from core.services import recording_sources
from tests.builders import seed_people
from tests.services.recording_server import AUDIO, RecordingServer

AUTH_TOKEN = "twilio-auth-token"
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
SID = "CA11111111111111111111111111111111"


def test_the_signature_is_twilios_own_example():
    """From Twilio's documentation on validating requests."""
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature(url, params.items(), "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.delenv("SCL_RECORDINGS_DIR", raising=False)


@pytest.fixture
def recordings_server() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.close()


@pytest.fixture
def folder(ctx, tmp_path: Path, recordings_server: RecordingServer) -> Path:
    """A recordings folder and the loopback "Twilio API" host, allowed by the admin."""
    seed_people(ctx)
    allowed = tmp_path / "recordings"
    allowed.mkdir()
    recording_sources.allow_folder(ctx, "admin", str(allowed))
    recording_sources.allow_host(
        ctx, "admin", f"127.0.0.1:{recordings_server.port}", http=True, private=True
    )
    return allowed.resolve()


class Twilio:
    """Posts as Twilio does: form-encoded, signed with the auth token."""

    def __init__(self, base: str) -> None:
        self.base = base

    def post(self, path: str, form: dict[str, str], token: str = AUTH_TOKEN) -> httpx2.Response:
        url = self.base + path
        header = {"X-Twilio-Signature": signature(url, form.items(), token)}
        return httpx2.post(url, data=form, headers=header, timeout=30)


@pytest.fixture
def twilio(ctx, folder: Path) -> Iterator[Twilio]:
    options = IntakeOptions("bearer", twilio_token=AUTH_TOKEN, recordings=folder)
    with running(make_app(ctx, options)) as url:
        yield Twilio(url)


def completed_call(**changes: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT,
        "CallSid": SID,
        "From": "+15125550134",
        "To": "+15125550100",
        "Direction": "inbound",
        "CallStatus": "completed",
        "CallDuration": "281",
        "Timestamp": "Fri, 20 Nov 2026 20:07:52 +0000",
        **changes,
    }


def recording_done(server: RecordingServer) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT,
        "CallSid": SID,
        "RecordingSid": "RE22222222222222222222222222222222",
        "RecordingUrl": f"{server.base}/calls/RE22222222222222222222222222222222",
        "RecordingStatus": "completed",
        "RecordingDuration": "280",
        "RecordingChannels": "2",
    }


def the_call(ctx) -> Call | None:
    with ctx.db.transaction() as session:
        call = session.scalars(select(Call).where(Call.external_id == SID)).one_or_none()
        if call is not None:
            session.expunge(call)
        return call


def test_a_signed_completed_call_status_stores_the_inbound_call(ctx, twilio):
    answer = twilio.post("/twilio/call-status", completed_call())
    assert answer.status_code == 200, answer.text
    call = the_call(ctx)
    assert call is not None
    assert (call.direction, call.customer_phone) == ("inbound", "+15125550134")
    assert (call.ended_at - call.started_at).total_seconds() == 281
    assert call.ended_at.strftime("%H:%M:%S") == "20:07:52"


def test_a_callback_with_a_wrong_signature_is_refused_and_stores_nothing(ctx, twilio):
    answer = twilio.post("/twilio/call-status", completed_call(), token="not-the-token")
    assert answer.status_code == 403
    assert "X-Twilio-Signature does not match" in answer.json()["error"]
    unsigned = httpx2.post(twilio.base + "/twilio/call-status", data=completed_call(), timeout=30)
    assert unsigned.status_code == 403
    assert the_call(ctx) is None


def test_a_ringing_call_or_a_dial_leg_is_acknowledged_and_not_stored(ctx, twilio):
    for form in (completed_call(CallStatus="ringing"), completed_call(ParentCallSid="CA9")):
        assert twilio.post("/twilio/call-status", form).status_code == 200
    assert the_call(ctx) is None


def test_a_recording_is_fetched_with_the_account_credentials_and_joins_its_call(
    ctx, twilio, recordings_server, folder
):
    twilio.post("/twilio/call-status", completed_call())
    answer = twilio.post("/twilio/recording-status", recording_done(recordings_server))
    assert answer.status_code == 200, answer.text
    call = the_call(ctx)
    assert call is not None and call.recording == str(folder / "twilio" / f"{SID}.wav")
    assert Path(call.recording).read_bytes() == AUDIO
    assert recordings_server.authorization == [
        "Basic " + base64.b64encode(f"{ACCOUNT}:{AUTH_TOKEN}".encode()).decode()
    ]


def test_a_recording_that_comes_before_its_call_joins_it_when_the_call_comes(
    ctx, twilio, recordings_server, folder
):
    assert twilio.post("/twilio/recording-status", recording_done(recordings_server)).is_success
    assert the_call(ctx) is None
    twilio.post("/twilio/call-status", completed_call())
    call = the_call(ctx)
    assert call is not None and call.recording == str(folder / "twilio" / f"{SID}.wav")


def test_a_recording_from_a_host_not_allowed_is_refused_with_the_reason(ctx, twilio):
    form = {
        **completed_call(),
        "RecordingUrl": "http://127.0.0.2:9/recording",
        "RecordingStatus": "completed",
    }
    answer = twilio.post("/twilio/recording-status", form)
    assert answer.status_code == 502
    assert "allow-list" in answer.json()["error"]


def test_behind_a_proxy_the_signature_covers_the_public_address(ctx, folder):
    options = IntakeOptions(
        "bearer",
        twilio_token=AUTH_TOKEN,
        recordings=folder,
        public_url="https://scl.example.com/scl/",
    )
    with running(make_app(ctx, options)) as url:
        public = "https://scl.example.com/scl/twilio/call-status"
        header = {"X-Twilio-Signature": signature(public, completed_call().items(), AUTH_TOKEN)}
        answer = httpx2.post(
            url + "/twilio/call-status", data=completed_call(), headers=header, timeout=30
        )
        assert answer.status_code == 200, answer.text
        direct = Twilio(url).post("/twilio/call-status", completed_call())  # signed for url
        assert direct.status_code == 403
    assert the_call(ctx) is not None
