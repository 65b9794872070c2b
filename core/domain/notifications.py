"""Notification rules: channels, what keeps one from working, retry timing, the message.

Pure: no I/O. The outbox service, the dispatcher, the preferences screen and the
settings screen all ask here, so a rule (e.g. "no phone, no texts") lives once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Channel(StrEnum):
    """How an employee hears of a new lead (stored in notifications.channel)."""

    IN_APP = "in_app"
    SMS = "sms"
    EMAIL = "email"

    @property
    def display_name(self) -> str:
        return {"in_app": "In-app notification", "sms": "Text", "email": "Email"}[self.value]

    @property
    def short_name(self) -> str:
        return {"in_app": "in-app", "sms": "text", "email": "email"}[self.value]


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a dispatcher; the claim expires at next_attempt_at
    DELIVERED = "delivered"  # sent (SMS/email) or shown in an open app (in-app)
    FAILED = "failed"  # given up; last_error says why
    SKIPPED = "skipped"  # chosen but impossible (no phone, no email); last_error says why


NO_PHONE = "no phone number on the profile: no texts"
NO_EMAIL = "no email address on the profile: no emails"


@dataclass(frozen=True)
class ChannelChoice:
    """One channel as an employee set it, and whether it can work."""

    channel: Channel
    chosen: bool
    why_not: str | None = None  # set when chosen but unusable

    @property
    def usable(self) -> bool:
        return self.chosen and self.why_not is None

    @property
    def label(self) -> str:
        """How the settings and preferences screens list it, e.g. 'Text (no phone …)'."""
        name = self.channel.display_name
        return f"{name} ({self.why_not})" if self.why_not else name


def channel_choices(
    *, in_app: bool, sms: bool, email: bool, phone: str | None, email_address: str | None
) -> tuple[ChannelChoice, ChannelChoice, ChannelChoice]:
    """The three channels in screen order; a chosen one lacking its address says so."""
    return (
        ChannelChoice(Channel.IN_APP, in_app),
        ChannelChoice(Channel.SMS, sms, NO_PHONE if sms and not phone else None),
        ChannelChoice(Channel.EMAIL, email, NO_EMAIL if email and not email_address else None),
    )


def retry_delay(attempts: int, first: timedelta, cap: timedelta) -> timedelta:
    """Exponential backoff: first, 2×first, 4×first … after each failed attempt, capped.
    `attempts` counts the attempts made so far (≥ 1)."""
    factor = 2 ** max(0, min(attempts - 1, 30))
    return min(first * factor, cap)


@dataclass(frozen=True)
class LeadMessage:
    """What every channel says about a new lead."""

    subject: str
    body: str  # the email body
    short: str  # the text message and the in-app toast


def lead_message(
    *,
    lead_id: int,
    customer_name: str | None,
    phone_display: str,
    reason: str | None,
    csr_name: str | None,
) -> LeadMessage:
    """Who called, their phone, the one-line reason, and how to open the lead."""
    who = f"{customer_name} {phone_display}" if customer_name else phone_display
    why = one_line(reason or "no reason given", 140)
    opener = f"scl open {lead_id}"
    taken = f"Call taken by {csr_name}.\n" if csr_name else ""
    return LeadMessage(
        subject=f"New Second Chance Lead {lead_id}: {who}",
        body=(
            f"A call was flagged as a Second Chance Lead.\n\n"
            f"Caller: {who}\n"
            f"Why: {why}\n"
            f"{taken}\n"
            f"Open it: {opener}\n"
        ),
        short=f"New lead {lead_id}: {who}. {why} Open: {opener}",
    )


def one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
