"""The one-method port every notifier implements, and how a failed send is reported."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote


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


# An HTTP auth value: the scheme stays (it says what kind was refused), the rest goes.
_AUTH_VALUE = re.compile(
    r"\b(basic|bearer|token|digest|negotiate)(\s+|%20)([A-Za-z0-9+/=._~-]{4,})", re.IGNORECASE
)
# A named credential ("Authorization: xyz", "api_key=xyz", "X-Auth-Token: xyz"); a
# colon or equals sign must follow, so "Password not accepted" stays readable.
_NAMED = re.compile(
    r"\b((?:proxy-)?authorization|(?:x-)?(?:api|auth|access)[_-]?(?:key|token)|password|passwd"
    r"|secret)([\"']?\s*[:=]\s*[\"']?)(?!(?:basic|bearer|token|digest|negotiate)\b)([^\s,;\"'}&)]{4,})",
    re.IGNORECASE,
)


def mask_credentials(text: str, *secrets: str | None) -> str:
    """`text` with every given secret masked, in the forms a server may send it back in
    (as is, base64 as in a basic-auth header, URL- or JSON-escaped), and with any
    auth header value or named key masked even when the secret is not known."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        for form in _forms(secret):
            text = text.replace(form, "***")
    text = _AUTH_VALUE.sub(lambda m: f"{m[1]}{m[2]}***" if _opaque(m[3]) else m[0], text)
    return _NAMED.sub(lambda m: f"{m[1]}{m[2]}***" if _opaque(m[3]) else m[0], text)


def _opaque(value: str) -> bool:
    """Looks like a credential rather than a word ("token expired" stays)."""
    return len(value) >= 12 or any(c.isdigit() or c in "+/=" for c in value)


def scrub(text: str, *secrets: str | None, limit: int = 300) -> str:
    """One line, bounded, with every given secret masked (see `mask_credentials`):
    safe for a log and the DB. Masking comes before the cut, so that no cut leaves
    the start of a secret that no longer matches it whole."""
    flat = " ".join(mask_credentials(text, *secrets).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def basic_auth(user: str, password: str) -> str:
    """What an HTTP client sends for basic auth, to be masked as a secret of its own."""
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _forms(secret: str) -> list[str]:
    encoded = base64.b64encode(secret.encode()).decode()
    forms = {
        secret,
        encoded,
        encoded.rstrip("="),
        base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
        quote(secret, safe=""),
    }
    forms |= {form.replace("/", "\\/") for form in forms}  # as JSON may escape it
    return sorted((f for f in forms if len(f) >= 4), key=len, reverse=True)
