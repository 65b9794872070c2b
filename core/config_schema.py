"""The config's schema: pydantic-settings models, each field documenting itself.

Kept apart from core.config so that what only needs a path (`scl --help`, the data
directory) does not load pydantic; `core.config` re-exports these names lazily.
"""

from __future__ import annotations

import tomllib

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from core.adapters.transcription_config import TranscriptionConfig
from core.config import config_path
from core.errors import ConfigError


class DialerConfig(BaseModel):
    command: str | None = None
    """A command that places a call, `{phone}` replaced by the E.164 number
    (e.g. a softphone's CLI). Unset: the agent dials the number shown."""


class OpenAIConfig(BaseModel):
    model: str = "gpt-4o-mini"
    """The chat model to ask."""
    base_url: str | None = None
    """Any OpenAI-compatible endpoint; unset means OpenAI's own."""
    timeout_seconds: float = 30.0
    """How long one request may take before it is retried."""
    max_retries: int = 3
    """Retries on 429 and 5xx answers, with backoff."""


class SmtpConfig(BaseModel):
    host: str | None = None
    """The mail server for notification emails; unset: no emails are sent."""
    port: int = Field(587, ge=1, le=65535)
    """587 for STARTTLS (the usual), 25 for a relay on the local network."""
    starttls: bool = True
    """Upgrade the connection with STARTTLS before logging in."""
    user: str | None = None
    """Login name on the server; its password is the keyring's `smtp` secret
    (`scl secrets set smtp`). Unset: send without logging in."""
    from_address: str | None = None
    """The sender, e.g. `SCL <scl@example.com>`."""
    timeout_seconds: float = Field(20.0, gt=0, le=300)


class SmsConfig(BaseModel):
    base_url: str = "https://api.twilio.com"
    """A Twilio-style REST API: messages are POSTed to
    {base_url}/2010-04-01/Accounts/{account_sid}/Messages.json."""
    account_sid: str | None = None
    """The account; its auth token is the keyring's `sms` secret (`scl secrets set sms`).
    Unset: no texts are sent."""
    from_number: str | None = None
    """The number texts come from, E.164 (e.g. +15125550100)."""
    timeout_seconds: float = Field(15.0, gt=0, le=300)


class NotificationsConfig(BaseModel):
    max_attempts: int = Field(6, ge=1, le=50)
    """Tries per text or email before it is marked failed (the reason is kept)."""
    first_retry_seconds: float = Field(30.0, gt=0)
    """Wait after the first failure; each further failure doubles it."""
    max_retry_seconds: float = Field(1800.0, gt=0)
    """The longest wait between two tries."""
    stale_after_minutes: float = Field(240.0, gt=0)
    """A text or email not sent this long after the lead is given up (no news of
    yesterday's leads at 3 a.m.); in-app notices expire after 10 minutes unseen."""
    poll_seconds: float = Field(5.0, gt=0)
    """Pause between looks at the outbox when it was empty."""


class WorkerConfig(BaseModel):
    lease_seconds: float = Field(120.0, ge=5, le=86_400)
    """How long a review worker's claim on a call holds: a worker that dies (a crash,
    kill -9, a lost host) leaves its calls to others after this long. Longer than a
    batch takes to classify; a worker that stops cleanly gives its claims back at once."""


class SecretsConfig(BaseModel):
    """Where a host without a keyring (a service) finds each secret: first the service
    manager's credentials ($CREDENTIALS_DIRECTORY/NAME), then the variable named here."""

    openai_env: str | None = None
    """An environment variable holding the `openai` key, e.g. `SCL_OPENAI_KEY`."""
    smtp_env: str | None = None
    """An environment variable holding the `smtp` password."""
    sms_env: str | None = None
    """An environment variable holding the `sms` auth token."""
    transcription_env: str | None = None
    """An environment variable holding the `transcription` key."""
    intake_env: str | None = None
    """An environment variable holding the `intake` bearer token (`scl intake`)."""
    twilio_env: str | None = None
    """An environment variable holding the `twilio` auth token (`scl intake`)."""


class AppConfig(BaseSettings):
    """Everything a site may configure; each field documents itself."""

    model_config = SettingsConfigDict(env_prefix="SCL_", env_nested_delimiter="__", extra="forbid")

    database_url: str | None = None
    """SQLAlchemy URL; unset means SQLite in the user data directory.
    PostgreSQL: postgresql+psycopg://user@host/dbname."""
    classifier: str = "embedded"
    """Which classifier reviews calls: `embedded` (offline) or `openai`."""
    review_in_app: bool = True
    """Run a review worker in a background thread of the app; turn off where
    `scl worker` runs as a service."""
    openai: OpenAIConfig = Field(default_factory=OpenAIConfig)
    """Settings of the OpenAI-compatible classifier."""
    dialer: DialerConfig = Field(default_factory=DialerConfig)
    """How Call Customer Back places the call."""
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    """The mail server notification emails go through."""
    sms: SmsConfig = Field(default_factory=SmsConfig)
    """The SMS provider notification texts go through."""
    notifications: NotificationsConfig = Field(default_factory=NotificationsConfig)
    """Retries and backoff of the notification dispatcher."""
    worker: WorkerConfig = Field(default_factory=WorkerConfig)
    """The review worker's claims (`scl worker` and the app's own)."""
    transcription: TranscriptionConfig = Field(default_factory=TranscriptionConfig)
    """The speech-recognition server recordings without a transcript go to."""
    secrets: SecretsConfig = Field(default_factory=SecretsConfig)
    """Secrets on a server: which environment variable holds each (never the value)."""
    theme: str = "textual-dark"
    """The app's colour theme (any Textual theme name); the app remembers a change."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Rebind keys by binding id, e.g. `dismiss = "x"`."""
    region: str = "US"
    """Default country for phone numbers written without a country code."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # No dotenv, no secrets directory: secrets belong in the keyring only.
        return (init_settings, env_settings, _toml_file(settings_cls))


def _toml_file(settings_cls: type[BaseSettings]) -> PydanticBaseSettingsSource:
    """The TOML file as pydantic-settings reads it, each problem with it one line naming
    the file (the library's own errors name neither file nor, for a directory, anything)."""
    path = config_path()
    if path.exists() and not path.is_file():  # the library would skip it without a word
        raise ConfigError(f"{path}: cannot read: not a file")
    try:
        return TomlConfigSettingsSource(settings_cls, toml_file=path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read: {reason}") from None
