"""Secrets (API keys, passwords): never in the config file, the database or a log line.

Where a secret is found, first match wins:
1. the service manager's credentials, `$CREDENTIALS_DIRECTORY/NAME` (systemd's
   `LoadCredential=NAME:FILE`): a worker running as a service on a headless host;
2. the environment variable the config names (`[secrets] openai_env = "SCL_OPENAI_KEY"`),
   for service managers without credentials; the config holds the variable's name only;
3. the OS keyring (desktops, an agent's own session): `scl secrets set NAME` stores
   there, under the service name "scl-tui" with the secret's name as the user name.

A host with none of these is told in one line what to do instead; there is no
plain-file fallback of our own on purpose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from core.errors import SclError

SERVICE = "scl-tui"
SECRET_NAMES = ("openai", "smtp", "sms", "transcription", "intake", "twilio")
"""The secrets scl-tui knows of; `scl secrets set NAME` offers these."""
CREDENTIALS_DIRECTORY = "CREDENTIALS_DIRECTORY"
"""Set by systemd for a unit with LoadCredential=; one file per credential."""


class SecretsError(SclError):
    """The keyring cannot be used, or refused the operation."""

    title = "Keyring unavailable"


@dataclass(frozen=True)
class Found:
    """Where a secret comes from (or why it is missing); its value is never shown."""

    name: str
    source: str
    """`credentials`, `env`, `keyring` or `missing`."""
    where: str
    """The file, the variable, the keyring backend, or what was looked at."""
    value: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        """One line for `scl secrets status`, without the value."""
        if self.source == "credentials":
            return f"credentials dir ({self.where})"
        if self.source == "env":
            return f"env {self.where}"
        if self.source == "keyring":
            return f"keyring ({self.where})"
        return f"missing ({self.where})"


def find_secret(name: str, env_name: str | None = None) -> Found:
    """Where `name` comes from on this host, with its value. A keyring that cannot be
    used counts as not having it (the reason is kept)."""
    return _find(name, env_name, strict=False)


def get_secret(name: str) -> str | None:
    """The secret, or None when it is nowhere; SecretsError when the keyring, the last
    place to look, cannot be used (the message says what to do instead)."""
    return _find(name, None, strict=True).value


def _find(name: str, env_name: str | None, *, strict: bool) -> Found:
    # A credential file that cannot be read is a SecretsError either way: the service
    # was set up to give it.
    from_credentials = _from_credentials(name)
    if from_credentials is not None:
        return from_credentials
    env_name = env_name or configured_env(name)
    if env_name and os.environ.get(env_name, "").strip():
        return Found(name, "env", env_name, os.environ[env_name].strip())
    looked = [f"env {env_name} is not set"] if env_name else []
    try:
        value = keyring.get_password(SERVICE, name)
    except KeyringError as exc:
        if strict:
            raise _as_secrets_error(exc, f"cannot read secret {name!r}", name) from None
        looked.append(
            f"no usable OS keyring: {_backend_name()}"
            if isinstance(exc, NoKeyringError)
            else f"the keyring failed: {_first_line(exc)}"
        )
        return Found(name, "missing", "; ".join(looked))
    if value:
        return Found(name, "keyring", _backend_name(), value)
    looked.append("not in the keyring")
    return Found(name, "missing", "; ".join(looked))


def set_secret(name: str, value: str) -> None:
    """Store (or replace) a secret in the keyring. An empty value is refused: it would
    look stored and fail later, far from where it was typed."""
    if not value.strip():
        raise SecretsError(f"secret {name!r} is empty; nothing was stored")
    try:
        keyring.set_password(SERVICE, name, value)
    except KeyringError as exc:
        raise _as_secrets_error(exc, f"cannot store secret {name!r}", name) from None


def delete_secret(name: str) -> None:
    """Forget a secret; forgetting one that is not there is not an error."""
    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError as exc:
        # Backends say "not found" this way too; only fail if it is still there.
        if keyring.get_password(SERVICE, name) is not None:
            raise _as_secrets_error(exc, f"cannot delete secret {name!r}") from None
    except KeyringError as exc:
        raise _as_secrets_error(exc, f"cannot delete secret {name!r}", name) from None


def configured_env(name: str) -> str | None:
    """The environment variable the config names for this secret, if any."""
    from core.config import load_config

    return getattr(load_config().secrets, f"{name}_env", None)


def _from_credentials(name: str) -> Found | None:
    directory = os.environ.get(CREDENTIALS_DIRECTORY)
    if not directory:
        return None
    path = Path(directory) / name
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SecretsError(f"cannot read secret {name!r} from {path}: {reason}") from None
    return Found(name, "credentials", str(path), value) if value else None


def _as_secrets_error(exc: KeyringError, doing: str, name: str | None = None) -> SecretsError:
    """One line for a person. The backend's own message never contains the secret
    (keyring backends report what failed, not the value), but it may span lines, so
    only its first line is kept."""
    if isinstance(exc, NoKeyringError):
        message = f"{doing}: no usable OS keyring (backend {_backend_name()})"
        if name is None:
            return SecretsError(message)
        return SecretsError(
            f"{message}; start or unlock one (GNOME Keyring, KWallet, macOS Keychain), or on "
            f"a server give it to the service: a credential file $CREDENTIALS_DIRECTORY/{name} "
            f"(systemd LoadCredential={name}:FILE) or an environment variable named in the "
            f'config ([secrets] {name}_env = "SCL_{name.upper()}_KEY")'
        )
    return SecretsError(f"{doing}: the keyring ({_backend_name()}) failed: {_first_line(exc)}")


def _first_line(exc: KeyringError) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"
