"""Which notifiers this site has: configured in [smtp] / [sms], secrets in the keyring."""

from __future__ import annotations

from core.adapters.notifiers.base import Notifier
from core.adapters.notifiers.email import SmtpNotifier
from core.adapters.notifiers.sms import SmsNotifier
from core.adapters.secrets import get_secret
from core.config import AppConfig
from core.domain.notifications import Channel

NOT_CONFIGURED = {
    Channel.EMAIL: "email is not configured: set [smtp] host and from_address",
    Channel.SMS: "texts are not configured: set [sms] account_sid and from_number",
}


def make_notifiers(config: AppConfig) -> dict[Channel, Notifier]:
    """One notifier per configured channel; a channel missing here is not configured."""
    notifiers: dict[Channel, Notifier] = {}
    if config.smtp.host and config.smtp.from_address:
        password = get_secret("smtp") if config.smtp.user else None
        notifiers[Channel.EMAIL] = SmtpNotifier(config.smtp, password)
    if config.sms.account_sid and config.sms.from_number:
        notifiers[Channel.SMS] = SmsNotifier(config.sms, get_secret("sms"))
    return notifiers
