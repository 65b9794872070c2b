"""Texts through a Twilio-style REST API: form-encoded POST, HTTP basic auth."""

from __future__ import annotations

from collections.abc import Callable

import httpx2

from core.adapters.notifiers.base import DeliveryError, Outgoing, basic_auth, scrub
from core.config import SmsConfig

MAX_TEXT = 1600  # the provider's own limit; longer texts are refused, not split


class SmsNotifier:
    def __init__(
        self, config: SmsConfig, token: str | None, *, transport: httpx2.BaseTransport | None = None
    ) -> None:
        if not config.account_sid or not config.from_number:
            raise ValueError("SMS needs an account_sid and a from_number")
        self.config = config
        self._token = token
        self._client = httpx2.Client(timeout=config.timeout_seconds, transport=transport)

    @property
    def url(self) -> str:
        base = self.config.base_url.rstrip("/")
        return f"{base}/2010-04-01/Accounts/{self.config.account_sid}/Messages.json"

    def send(self, message: Outgoing) -> None:
        if not self._token:
            raise DeliveryError(
                "the keyring has no `sms` token (scl secrets set sms)", temporary=False
            )
        form = {"To": message.to, "From": self.config.from_number, "Body": message.text[:MAX_TEXT]}
        try:
            answer = self._client.post(
                self.url, data=form, auth=(self.config.account_sid or "", self._token)
            )
        except httpx2.HTTPError as error:
            raise DeliveryError(
                self._scrub(f"cannot reach the SMS provider at {self.config.base_url}: {error}"),
                temporary=True,
            ) from None
        if answer.is_success:
            return
        status = answer.status_code
        raise DeliveryError(
            self._scrub(
                f"SMS provider answered {status}: {_provider_message(answer, self._scrub)}"
            ),
            # Rate limits and server trouble pass; a bad number or bad credentials do not.
            temporary=status == 429 or status >= 500,
        )

    def close(self) -> None:
        self._client.close()

    def _scrub(self, text: str, limit: int = 300) -> str:
        # Some providers echo the request's Authorization header (base64 of sid:token).
        user = self.config.account_sid or ""
        header = basic_auth(user, self._token) if self._token else None
        return scrub(text, self._token, header, limit=limit)


def _provider_message(answer: httpx2.Response, clean: Callable[[str, int], str]) -> str:
    """Twilio-style errors carry {"code", "message"}; otherwise the start of the body,
    cleaned before it is cut (a cut could leave half a secret that no longer matches)."""
    try:
        data = answer.json()
    except ValueError:
        return clean(answer.text, 200) or answer.reason_phrase
    if isinstance(data, dict) and data.get("message"):
        code = f" (code {data['code']})" if data.get("code") else ""
        return f"{data['message']}{code}"
    return clean(answer.text, 200)
