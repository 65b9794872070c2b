"""`scl secrets`: store a secret in the keyring, and see where each one comes from.

Values are never printed: `status` names the source (keyring, the service manager's
credentials directory, an environment variable) or says it is missing and why.
"""

from __future__ import annotations

import sys

import click

from scl_tui.cli.common import echo, reports_errors

# core.adapters.secrets.SECRET_NAMES, spelled out so `scl --help` does not load keyring.
NAMES = ("openai", "smtp", "sms", "transcription", "intake", "twilio")


@click.group()
def secrets() -> None:
    """Secrets: the OS keyring, or on a server the service's credentials or environment
    (never a file of ours, the config or the database)."""


@secrets.command("set")
@click.argument("name", type=click.Choice(NAMES))
@reports_errors
def secrets_set(name: str) -> None:
    """Store the NAME secret in the keyring (read from the terminal, or stdin when piped)."""
    from core.adapters.secrets import set_secret

    if sys.stdin.isatty():
        value = click.prompt(f"{name} secret", hide_input=True)
    else:
        value = sys.stdin.readline().strip()
    set_secret(name, value)
    echo(f"The {name} secret is stored in the keyring.")


@secrets.command("status")
@reports_errors
def secrets_status() -> None:
    """Where each secret comes from on this host; never its value."""
    from core.adapters.secrets import SECRET_NAMES, find_secret

    width = max(len(name) for name in SECRET_NAMES) + 2
    for name in SECRET_NAMES:
        echo(f"{name:<{width}}{find_secret(name).describe()}")
