"""Secrets in the keyring: stored, read, forgotten, and clear errors without one."""

from __future__ import annotations

import logging

import keyring
import pytest

from core.adapters.secrets import (
    SERVICE,
    SecretsError,
    delete_secret,
    get_secret,
    set_secret,
)
from core.errors import SclError
from tests.keyring_memory import (  # noqa: F401 - fixtures, found by their names
    MemoryKeyring,
    installed_keyring,
    locked_keyring_fixture,
    memory_keyring_fixture,
    no_keyring_fixture,
)


def test_a_secret_never_set_reads_as_none(memory_keyring: MemoryKeyring):
    assert get_secret("openai") is None


def test_a_stored_secret_is_read_back(memory_keyring: MemoryKeyring):
    set_secret("openai", "sk-abc")

    assert get_secret("openai") == "sk-abc"


def test_secrets_live_under_the_scl_tui_service(memory_keyring: MemoryKeyring):
    set_secret("openai", "sk-abc")

    assert SERVICE == "scl-tui"
    assert memory_keyring.passwords == {("scl-tui", "openai"): "sk-abc"}


def test_setting_a_secret_again_replaces_it(memory_keyring: MemoryKeyring):
    set_secret("openai", "sk-old")
    set_secret("openai", "sk-new")

    assert get_secret("openai") == "sk-new"


def test_an_empty_secret_is_refused(memory_keyring: MemoryKeyring):
    with pytest.raises(SecretsError, match="empty"):
        set_secret("openai", "  ")

    assert get_secret("openai") is None


def test_a_deleted_secret_is_gone(memory_keyring: MemoryKeyring):
    set_secret("openai", "sk-abc")

    delete_secret("openai")

    assert get_secret("openai") is None


def test_deleting_a_secret_that_is_not_there_is_fine(memory_keyring: MemoryKeyring):
    delete_secret("openai")

    assert get_secret("openai") is None


@pytest.mark.parametrize(
    "action",
    [
        lambda: get_secret("openai"),
        lambda: set_secret("openai", "sk-abc"),
        lambda: delete_secret("openai"),
    ],
    ids=["get", "set", "delete"],
)
def test_without_a_keyring_every_operation_says_so_in_one_line(no_keyring, action):
    with pytest.raises(SecretsError) as raised:
        action()

    message = str(raised.value)
    assert "no usable OS keyring" in message
    assert "keyring.backends.fail.Keyring" in message
    assert "\n" not in message
    assert isinstance(raised.value, SclError)


def test_a_locked_keyring_is_a_secrets_error(locked_keyring):
    with pytest.raises(SecretsError, match=r"cannot store secret 'openai'.*Failed to unlock"):
        set_secret("openai", "sk-abc")


def test_a_secret_value_is_never_logged(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)

    set_secret("openai", "sk-very-secret")
    get_secret("openai")
    delete_secret("openai")

    assert "sk-very-secret" not in caplog.text


def test_the_test_keyring_is_removed_again_afterwards():
    before = keyring.get_keyring()

    with installed_keyring(MemoryKeyring()):
        assert isinstance(keyring.get_keyring(), MemoryKeyring)

    assert keyring.get_keyring() is before
