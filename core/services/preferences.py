"""Each employee's own notification preferences: in-app, text, email.

Anyone may read and change their own; the view says what keeps a chosen channel
from working (no phone number: no texts) and whether they get notices at all
(only people with View Second Chance Leads are notified).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.db.models import Employee
from core.domain.notifications import Channel, ChannelChoice
from core.domain.permissions import VIEW_SCL
from core.services import actors, audit
from core.services.context import ServiceContext


@dataclass(frozen=True)
class NotificationPreferences:
    login: str
    name: str
    phone: str | None
    email: str | None
    has_access: bool  # without View Second Chance Leads nobody is notified
    choices: tuple[ChannelChoice, ChannelChoice, ChannelChoice]

    def choice(self, channel: Channel) -> ChannelChoice:
        return next(c for c in self.choices if c.channel == channel)


def get_preferences(ctx: ServiceContext, login: str) -> NotificationPreferences:
    with ctx.db.transaction() as session:
        return _view(actors.employee(session, login))


def set_preferences(
    ctx: ServiceContext,
    login: str,
    *,
    in_app: bool | None = None,
    sms: bool | None = None,
    email: bool | None = None,
) -> NotificationPreferences:
    """Change the given channels (None: leave as is); each change is audited."""
    with ctx.db.transaction() as session:
        person = actors.employee(session, login)
        wanted = {Channel.IN_APP: in_app, Channel.SMS: sms, Channel.EMAIL: email}
        for channel, value in wanted.items():
            attribute = _ATTRIBUTE[channel]
            if value is None or getattr(person, attribute) == value:
                continue
            audit.record(
                session,
                ctx.clock.now(),
                person,
                f"employee {login}: notify by {channel.display_name.lower()}",
                _on_off(not value),
                _on_off(value),
            )
            setattr(person, attribute, value)
        return _view(person)


_ATTRIBUTE = {
    Channel.IN_APP: "notify_in_app",
    Channel.SMS: "notify_sms",
    Channel.EMAIL: "notify_email",
}


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _view(person: Employee) -> NotificationPreferences:
    return NotificationPreferences(
        login=person.login,
        name=person.name,
        phone=person.phone,
        email=person.email,
        has_access=actors.employee_has(person, VIEW_SCL),
        choices=actors.employee_channels(person),
    )
