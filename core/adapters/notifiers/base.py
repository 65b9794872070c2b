"""The one-method port every notifier implements, and how a failed send is reported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message to one person: an address (email or E.164 phone), a subject, a text."""

    to: str
    subject: str
    text: str


class DeliveryError(Exception):
    """A send that did not happen. `temporary`: worth trying again later (a 4xx SMTP
    reply, an HTTP 429/5xx, a network error); otherwise the same try would fail again.
    The message never holds a secret: notifiers build it from codes and server replies,
    and scrub what they were given to send with."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.message = message
        self.temporary = temporary


class Notifier(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver or raise DeliveryError."""


def scrub(text: str, *secrets: str | None, limit: int = 300) -> str:
    """One line, bounded, with every given secret masked: safe for a log and the DB."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
