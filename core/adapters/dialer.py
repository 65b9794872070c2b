"""Placing the call-back: a one-method port with two real implementations."""

from __future__ import annotations

import shlex
import subprocess
from typing import Protocol

from core.domain.phones import display_phone
from core.errors import SclError


class DialerError(SclError):
    title = "Call not placed"


class Dialer(Protocol):
    def place_call(self, phone_e164: str) -> str:
        """Start a call to the number; return what happened, in words for the agent."""
        ...


class ManualDialer:
    """No telephony integration: the agent dials the number the app shows."""

    def place_call(self, phone_e164: str) -> str:
        return f"Dial {display_phone(phone_e164)} on your phone"


class CommandDialer:
    """Runs a site's softphone command, `{phone}` replaced by the E.164 number."""

    def __init__(self, command: str, timeout: float = 10.0) -> None:
        self.command = command
        self.timeout = timeout

    def place_call(self, phone_e164: str) -> str:
        argv = [part.replace("{phone}", phone_e164) for part in shlex.split(self.command)]
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=self.timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise DialerError(f"the dialer command {argv[0]!r} failed: {error}") from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise DialerError(
                f"the dialer command exited with {done.returncode}"
                + (f": {detail[-1]}" if detail else "")
            )
        return f"Calling {display_phone(phone_e164)}"
