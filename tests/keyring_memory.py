"""The test suite's own keyring: real keyring backends that keep nothing on disk.

Tests must never touch the developer's OS keyring, and must never write a file
of plain secrets. `MemoryKeyring` is a genuine `keyring` backend storing in a
dict, installed with `keyring.set_keyring()` for one test and removed after;
`LockedKeyring` is one that refuses every operation, as a locked OS keyring does.

Both have a priority below keyring's own null and fail backends, so keyring's
auto-detection never picks them merely because this module was imported.

Use the fixtures by importing them (pytest finds them under their `name`):

    from tests.keyring_memory import memory_keyring_fixture  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict, per instance: gone when the test ends."""

    priority = -10  # never chosen by auto-detection

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError("Password not found") from None


class LockedKeyring(KeyringBackend):
    """A keyring that exists but refuses everything, like a locked one."""

    priority = -10

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the keyring!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the keyring!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the keyring!")


Backend = TypeVar("Backend", bound=KeyringBackend)


@contextmanager
def installed_keyring(backend: Backend) -> Iterator[Backend]:
    """Make `backend` the process's keyring, and put the previous one back after."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(name="memory_keyring")
def memory_keyring_fixture() -> Iterator[MemoryKeyring]:
    """An empty in-memory keyring for this test."""
    with installed_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture(name="no_keyring")
def no_keyring_fixture() -> Iterator[KeyringBackend]:
    """keyring's own "no recommended backend" keyring, as on a host without one."""
    with installed_keyring(fail.Keyring()) as backend:
        yield backend


@pytest.fixture(name="locked_keyring")
def locked_keyring_fixture() -> Iterator[KeyringBackend]:
    """A keyring that refuses every operation."""
    with installed_keyring(LockedKeyring()) as backend:
        yield backend
