"""Email through SMTP (STARTTLS and login when configured), with the standard library."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from core.adapters.notifiers.base import DeliveryError, Outgoing, scrub
from core.config import SmtpConfig


class SmtpNotifier:
    def __init__(self, config: SmtpConfig, password: str | None) -> None:
        if not config.host or not config.from_address:
            raise ValueError("SMTP needs a host and a from_address")
        self.config = config
        self._password = password

    def send(self, message: Outgoing) -> None:
        mail = EmailMessage()
        mail["From"] = self.config.from_address
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(domain=_domain(self.config.from_address or ""))
        mail.set_content(message.text)
        host = self.config.host or ""
        try:
            with smtplib.SMTP(host, self.config.port, timeout=self.config.timeout_seconds) as smtp:
                if self.config.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.config.user:
                    if not self._password:
                        raise DeliveryError(
                            f"SMTP user {self.config.user!r} is set but the keyring has no "
                            "`smtp` password (scl secrets set smtp)",
                            temporary=False,
                        )
                    smtp.login(self.config.user, self._password)
                smtp.send_message(mail)
        except DeliveryError:
            raise
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise self._reply_error(code, reply, f"recipient {message.to} refused") from None
        except smtplib.SMTPResponseException as error:
            raise self._reply_error(error.smtp_code, error.smtp_error, "server refused") from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(
                f"SMTP server {host}:{self.config.port} does not offer STARTTLS "
                "(set smtp.starttls = false only for a relay on a trusted network)",
                temporary=False,
            ) from None
        except ssl.SSLError as error:
            raise DeliveryError(
                self._scrub(f"TLS with {host} failed: {error}"), temporary=True
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            detail = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise DeliveryError(
                self._scrub(f"cannot reach SMTP server {host}:{self.config.port}: {detail}"),
                temporary=True,
            ) from None

    def _reply_error(self, code: int, reply: bytes | str, what: str) -> DeliveryError:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        # 4xx: try again later (greylisting, a full queue); 5xx: it will not work.
        return DeliveryError(
            self._scrub(f"SMTP {what}: {code} {text}"), temporary=400 <= code < 500
        )

    def _scrub(self, text: str) -> str:
        # A server may echo the login it refused: AUTH PLAIN sends base64 of \0user\0password.
        plain = f"\0{self.config.user or ''}\0{self._password}" if self._password else None
        return scrub(text, self._password, plain)


def _domain(address: str) -> str | None:
    tail = address.rsplit("@", 1)[-1].strip(" >")
    return tail or None
