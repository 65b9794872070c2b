"""Secrets (API keys) in the OS keyring, and nowhere else.

Not in the config file, not in the database, not in an environment variable
we read, not in a log line: a shared call-center host has many readers of
files and logs, and the OS keyring is the one place meant for this. When no
keyring is usable the person is told so in one line; there is no plain-file
fallback on purpose.

Every secret lives under the service name "scl-tui" with the secret's name as
the keyring user name (e.g. "openai").
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from core.errors import SclError

SERVICE = "scl-tui"
SECRET_NAMES = ("openai",)
"""The secrets scl-tui knows of; `scl secrets set NAME` offers these."""


class SecretsError(SclError):
    """The keyring cannot be used, or refused the operation."""

    title = "Keyring unavailable"


def get_secret(name: str) -> str | None:
    """The stored secret, or None when it was never set."""
    try:
        return keyring.get_password(SERVICE, name)
    except KeyringError as exc:
        raise _as_secrets_error(exc, f"cannot read secret {name!r}") from None


def set_secret(name: str, value: str) -> None:
    """Store (or replace) a secret. An empty value is refused: it would look
    stored and fail later, far from where it was typed."""
    if not value.strip():
        raise SecretsError(f"secret {name!r} is empty; nothing was stored")
    try:
        keyring.set_password(SERVICE, name, value)
    except KeyringError as exc:
        raise _as_secrets_error(exc, f"cannot store secret {name!r}") from None


def delete_secret(name: str) -> None:
    """Forget a secret; forgetting one that is not there is not an error."""
    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError as exc:
        # Backends say "not found" this way too; only fail if it is still there.
        if get_secret(name) is not None:
            raise _as_secrets_error(exc, f"cannot delete secret {name!r}") from None
    except KeyringError as exc:
        raise _as_secrets_error(exc, f"cannot delete secret {name!r}") from None


def _as_secrets_error(exc: KeyringError, doing: str) -> SecretsError:
    """One line for a person. The backend's own message never contains the
    secret (keyring backends report what failed, not the value), but it may
    span lines, so only its first line is kept."""
    if isinstance(exc, NoKeyringError):
        return SecretsError(
            f"{doing}: no usable OS keyring (backend {_backend_name()}); "
            "start or unlock one (e.g. GNOME Keyring, KWallet, macOS Keychain)"
        )
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return SecretsError(f"{doing}: the keyring ({_backend_name()}) failed: {detail}")


def _backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"
