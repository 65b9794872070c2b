"""The notifiers against real servers on loopback: SMTP (aiosmtpd) and an SMS HTTP API."""

from __future__ import annotations

import base64

import pytest

from core.adapters.notifiers.base import DeliveryError, Outgoing, scrub
from core.adapters.notifiers.email import SmtpNotifier
from core.adapters.notifiers.factory import make_notifiers
from core.adapters.notifiers.sms import SmsNotifier
from core.adapters.secrets import set_secret
from core.config import AppConfig, SmsConfig, SmtpConfig
from core.domain.notifications import Channel
from tests.adapters.notify_servers import free_port, sms_server, smtp_server

# aiosmtpd warns that AUTH without TLS is unsafe: true, and fine on loopback in a test.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH:UserWarning")

MESSAGE = Outgoing(
    to="maria@example.com",
    subject="New Second Chance Lead 7: Dana Whitfield (512) 555-0134",
    text="Why: needs AC repair.\nOpen it: scl open 7\n",
)


def smtp(port: int, **changes) -> SmtpConfig:  # type: ignore[no-untyped-def]
    values = {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "from_address": "SCL <scl@hvac.example>",
    }
    return SmtpConfig(**(values | changes))


def test_the_smtp_server_receives_the_email_with_its_headers_and_body():
    with smtp_server() as (port, record):
        SmtpNotifier(smtp(port), None).send(MESSAGE)
    [(sender, recipients, mail)] = record.received
    assert sender == "scl@hvac.example"
    assert recipients == ["maria@example.com"]
    assert mail["From"] == "SCL <scl@hvac.example>"
    assert mail["To"] == "maria@example.com"
    assert mail["Subject"] == MESSAGE.subject
    assert mail["Message-ID"].endswith("@hvac.example>")
    assert "Open it: scl open 7" in mail.get_content()


def test_smtp_logs_in_with_the_password_from_the_keyring():
    set_secret("smtp", "s3cret-pass")
    with smtp_server(credentials=("scl", "s3cret-pass")) as (port, record):
        config = AppConfig(
            smtp={
                "host": "127.0.0.1",
                "port": port,
                "starttls": False,
                "user": "scl",
                "from_address": "scl@hvac.example",
            }
        )
        make_notifiers(config)[Channel.EMAIL].send(MESSAGE)
    assert record.logins == ["scl"]
    assert len(record.received) == 1


def test_a_refused_smtp_login_never_repeats_the_password():
    with smtp_server(credentials=("scl", "right")) as (port, record):
        notifier = SmtpNotifier(smtp(port, user="scl"), "wrong-password-xyz")
        with pytest.raises(DeliveryError) as raised:
            notifier.send(MESSAGE)
    assert "535" in raised.value.message
    assert "wrong-password-xyz" not in raised.value.message
    assert not raised.value.temporary
    assert record.received == []


def test_an_smtp_reply_echoing_the_login_never_holds_the_password_or_its_base64():
    with smtp_server(credentials=("scl", "right"), echo_auth=True) as (port, _):
        notifier = SmtpNotifier(smtp(port, user="scl"), "wrong-password-xyz")
        with pytest.raises(DeliveryError) as raised:
            notifier.send(MESSAGE)
    sent = base64.b64encode(b"\0scl\0wrong-password-xyz").decode()
    assert "535 5.7.8 Authentication failed" in raised.value.message
    assert sent[:12] not in raised.value.message


def test_a_451_reply_is_temporary_and_a_550_is_not():
    with smtp_server(fail_first=1) as (port, record):
        with pytest.raises(DeliveryError) as busy:
            SmtpNotifier(smtp(port), None).send(MESSAGE)
        SmtpNotifier(smtp(port), None).send(MESSAGE)
    assert busy.value.temporary and "451" in busy.value.message
    assert len(record.received) == 1
    refusing = smtp_server(fail_first=1, fail_reply="550 5.1.1 No such user")
    with refusing as (port, _), pytest.raises(DeliveryError) as refused:
        SmtpNotifier(smtp(port), None).send(MESSAGE)
    assert not refused.value.temporary and "550" in refused.value.message


def test_starttls_required_but_not_offered_is_a_clear_permanent_failure():
    with smtp_server() as (port, record), pytest.raises(DeliveryError) as raised:
        SmtpNotifier(smtp(port, starttls=True), None).send(MESSAGE)
    assert "does not offer STARTTLS" in raised.value.message
    assert not raised.value.temporary
    assert record.received == []


def test_no_smtp_server_listening_is_temporary():
    with pytest.raises(DeliveryError) as raised:
        SmtpNotifier(smtp(free_port(), timeout_seconds=2), None).send(MESSAGE)
    assert raised.value.temporary
    assert "cannot reach SMTP server 127.0.0.1" in raised.value.message


def sms(base_url: str) -> SmsConfig:
    return SmsConfig(base_url=base_url, account_sid="AC123", from_number="+15125550100")


TEXT = Outgoing(to="+15125550111", subject="", text="New lead 7: (512) 555-0134. Open: scl open 7")


def test_the_sms_api_receives_a_form_encoded_post_with_basic_auth():
    with sms_server() as (base, record):
        SmsNotifier(sms(base), "tok-abc").send(TEXT)
    [request] = record.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert request["auth"] == "AC123:tok-abc"
    assert request["form"] == {"To": "+15125550111", "From": "+15125550100", "Body": TEXT.text}


def test_an_sms_503_is_temporary_and_says_what_the_provider_said():
    with sms_server(fail_first=1) as (base, _), pytest.raises(DeliveryError) as raised:
        SmsNotifier(sms(base), "tok-abc").send(TEXT)
    assert raised.value.temporary
    assert raised.value.message == (
        "SMS provider answered 503: Service unavailable, try later (code 20500)"
    )


def test_an_sms_400_is_permanent_and_never_holds_the_token():
    failing = sms_server(fail_first=1, fail_status=401)
    with failing as (base, _), pytest.raises(DeliveryError) as raised:
        SmsNotifier(sms(base + "/tok-abc"), "tok-abc").send(TEXT)
    assert not raised.value.temporary
    assert "tok-abc" not in raised.value.message


def test_sms_without_a_token_in_the_keyring_is_refused_before_any_request():
    with sms_server() as (base, record):
        config = AppConfig(
            sms={"base_url": base, "account_sid": "AC1", "from_number": "+15125550100"}
        )
        with pytest.raises(DeliveryError) as raised:
            make_notifiers(config)[Channel.SMS].send(TEXT)
    assert "scl secrets set sms" in raised.value.message
    assert record.requests == []


def test_unconfigured_channels_have_no_notifier():
    assert make_notifiers(AppConfig()) == {}


def _leaked_forms(user: str, token: str) -> list[str]:
    """The token as it may come back: plain, and the basic-auth header's base64 (the
    whole of it, and the first 12 characters, which a cut could leave)."""
    encoded = base64.b64encode(f"{user}:{token}".encode()).decode()
    return [token, encoded, encoded[:12]]


def test_an_sms_error_echoing_the_auth_header_holds_neither_the_token_nor_its_base64():
    with (
        sms_server(fail_first=1, fail_status=401, echo="json") as (base, _),
        pytest.raises(DeliveryError) as raised,
    ):
        SmsNotifier(sms(base), "tok-abc-123").send(TEXT)
    assert raised.value.message.startswith("SMS provider answered 401: Authenticate failed for")
    assert "Basic ***" in raised.value.message
    for leaked in _leaked_forms("AC123", "tok-abc-123"):
        assert leaked not in raised.value.message


def test_a_plain_text_sms_error_cut_inside_the_echoed_header_keeps_no_part_of_it():
    with (
        sms_server(fail_first=1, fail_status=401, echo="text") as (base, _),
        pytest.raises(DeliveryError) as raised,
    ):
        SmsNotifier(sms(base), "tok-abc-123").send(TEXT)
    assert raised.value.message.startswith("SMS provider answered 401: Unauthorized request.")
    for leaked in _leaked_forms("AC123", "tok-abc-123"):
        assert leaked not in raised.value.message


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("401: Authorization: Bearer sk-live-4f1c2a9e7b", "401: Authorization: Bearer ***"),
        ('{"authorization": "basic QUMxMjM6dG9r"}', '{"authorization": "basic ***"}'),
        ("denied, api_key=4f1c2a9e7b11 (bad)", "denied, api_key=*** (bad)"),
        ("X-Auth-Token: 4f1c2a9e7b11", "X-Auth-Token: ***"),
    ],
)
def test_a_credential_in_an_error_is_masked_without_knowing_it(said: str, kept: str):
    assert scrub(said) == kept
