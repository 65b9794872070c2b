"""Real servers on 127.0.0.1 for the notifier tests: SMTP (aiosmtpd) and a Twilio-style
SMS API (http.server). Each can refuse its first N messages, then recover; both stop
when their `with` block ends."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class SmtpRecord:
    fail_first: int = 0
    fail_reply: str = "451 4.3.0 Mailbox busy, try again later"
    attempts: int = 0
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _SmtpHandler:
    def __init__(self, record: SmtpRecord) -> None:
        self.record = record

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.record.lock:
            self.record.attempts += 1
            if self.record.attempts <= self.record.fail_first:
                return self.record.fail_reply
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.record.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(
    fail_first: int = 0,
    *,
    credentials: tuple[str, str] | None = None,
    fail_reply: str = "451 4.3.0 Mailbox busy, try again later",
    echo_auth: bool = False,
) -> Iterator[tuple[int, SmtpRecord]]:
    """(port, record). With `credentials`, AUTH is required (plain text: loopback only);
    `echo_auth` refuses a login repeating what the client sent (AUTH PLAIN's base64)."""
    record = SmtpRecord(fail_first=fail_first, fail_reply=fail_reply)
    options: dict[str, Any] = {}
    if credentials is not None:

        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):  # type: ignore[no-untyped-def]
            if not isinstance(data, LoginPassword):
                return AuthResult(success=False, handled=False)
            user, password = data.login.decode(), data.password.decode()
            record.logins.append(user)
            if echo_auth and (user, password) != credentials:
                sent = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
                message = f"535 5.7.8 Authentication failed for AUTH PLAIN {sent}"
                return AuthResult(success=False, handled=False, message=message)
            return AuthResult(success=(user, password) == credentials, handled=False)

        options = {"authenticator": authenticate, "auth_require_tls": False, "auth_required": True}
    controller = Controller(
        _SmtpHandler(record), hostname="127.0.0.1", port=free_port(), ready_timeout=30, **options
    )
    controller.start()
    try:
        yield controller.port, record
    finally:
        controller.stop()


@dataclass
class SmsRecord:
    fail_first: int = 0
    fail_status: int = 503
    attempts: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["answered"] == 201]


@contextmanager
def sms_server(
    fail_first: int = 0, fail_status: int = 503, *, echo: str | None = None
) -> Iterator[tuple[str, SmsRecord]]:
    """(base URL, record): answers 201 like Twilio once its first failures are spent.

    `echo` makes its failures repeat the request's Authorization header, as some
    providers do: "json" in the error's message, "text" in a plain-text body after
    enough words that a 200-character cut falls inside the header."""
    record = SmsRecord(fail_first=fail_first, fail_status=fail_status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            auth = self.headers.get("Authorization", "")
            user_pass = (
                base64.b64decode(auth.split(" ", 1)[1]).decode()
                if auth.startswith("Basic ")
                else ""
            )
            with record.lock:
                record.attempts += 1
                failing = record.attempts <= record.fail_first
                status = record.fail_status if failing else 201
                record.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "auth": user_pass,
                        "form": form,
                        "answered": status,
                    }
                )
            body = (
                {"code": 20500, "message": "Service unavailable, try later"}
                if failing
                else {"sid": f"SM{record.attempts:032d}", "status": "queued"}
            )
            content_type = "application/json"
            if failing and echo == "json":
                body = {"code": 20003, "message": f"Authenticate failed for Authorization: {auth}"}
            payload = json.dumps(body).encode()
            if failing and echo == "text":
                content_type = "text/plain"
                words = ("Unauthorized request. " * 7).ljust(169)  # the header's base64 at 186
                payload = f"{words}Header was {auth}; denied".encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", record
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
