"""Secrets on a headless host: the service manager's credentials directory, then an
environment variable the config names, then the keyring; and where each comes from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.adapters.secrets import SecretsError, find_secret, get_secret, set_secret
from tests.keyring_memory import (  # noqa: F401 - fixtures, found by their names
    MemoryKeyring,
    memory_keyring_fixture,
    no_keyring_fixture,
)

SCL = Path(sys.executable).with_name("scl")
VALUE = "sk-zebra-7Qx9-never-printed"  # distinctive: found anywhere, it leaked


@pytest.fixture
def credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$CREDENTIALS_DIRECTORY as systemd sets it for a unit with LoadCredential=."""
    folder = tmp_path / "credentials"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(folder))
    return folder


def write_config(text: str) -> None:
    path = Path(os.environ["SCL_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_secret_is_read_from_the_credentials_directory(credentials, no_keyring):
    (credentials / "openai").write_text(VALUE + "\n")  # files often end with a newline

    assert get_secret("openai") == VALUE
    assert find_secret("openai").describe() == f"credentials dir ({credentials / 'openai'})"


def test_the_credentials_directory_comes_before_the_keyring(credentials, memory_keyring):
    set_secret("openai", "sk-from-the-keyring")
    (credentials / "openai").write_text(VALUE)

    assert get_secret("openai") == VALUE


def test_a_secret_is_read_from_the_environment_variable_the_config_names(monkeypatch, no_keyring):
    write_config('[secrets]\nopenai_env = "SCL_OPENAI_KEY"\n')
    monkeypatch.setenv("SCL_OPENAI_KEY", VALUE)

    assert get_secret("openai") == VALUE
    assert find_secret("openai").describe() == "env SCL_OPENAI_KEY"


def test_an_environment_variable_the_config_does_not_name_is_not_read(monkeypatch, memory_keyring):
    monkeypatch.setenv("SCL_OPENAI_KEY", VALUE)

    assert get_secret("openai") is None
    assert find_secret("openai").source == "missing"


def test_without_a_keyring_a_missing_secret_says_what_was_looked_at(monkeypatch, no_keyring):
    write_config('[secrets]\nsms_env = "SCL_SMS_TOKEN"\n')
    monkeypatch.delenv("SCL_SMS_TOKEN", raising=False)

    assert find_secret("sms").describe() == (
        "missing (env SCL_SMS_TOKEN is not set; "
        "no usable OS keyring: keyring.backends.fail.Keyring)"
    )


def test_an_unreadable_credential_file_is_one_line(credentials, no_keyring):
    (credentials / "smtp").mkdir()  # not a file: reading it fails as a locked file would

    with pytest.raises(SecretsError) as raised:
        get_secret("smtp")
    assert str(credentials / "smtp") in raised.value.message
    assert "\n" not in raised.value.message


def test_setting_a_secret_without_a_keyring_says_what_to_do_instead(tmp_path):
    done = subprocess.run(
        [str(SCL), "secrets", "set", "openai"],
        input=VALUE + "\n", capture_output=True, text=True, timeout=60,
        env=os.environ | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "$CREDENTIALS_DIRECTORY/openai" in done.stderr
    assert '[secrets] openai_env = "SCL_OPENAI_KEY"' in done.stderr
    assert VALUE not in done.stderr + done.stdout


def test_secrets_status_names_each_source_and_never_prints_a_value(tmp_path, credentials):
    write_config('[secrets]\nsmtp_env = "SCL_SMTP_PASSWORD"\n')
    (credentials / "openai").write_text(VALUE)
    data_dir = Path(os.environ["SCL_DATA_DIR"])
    done = subprocess.run(
        [str(SCL), "secrets", "status"],
        capture_output=True, text=True, timeout=60,
        env=os.environ | {
            "SCL_SMTP_PASSWORD": VALUE + "-smtp",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert lines["openai"] == f"credentials dir ({credentials / 'openai'})"
    assert lines["smtp"] == "env SCL_SMTP_PASSWORD"
    assert lines["sms"].startswith("missing (")
    assert lines["transcription"].startswith("missing (")
    assert VALUE not in done.stdout + done.stderr
    for written in [*data_dir.rglob("*"), *Path(os.environ["SCL_CONFIG"]).parent.rglob("*")]:
        if written.is_file():
            assert VALUE not in written.read_text(errors="replace"), written


def test_every_secret_the_code_reads_is_known_to_secrets_set_status_and_config():
    from core.adapters.secrets import SECRET_NAMES
    from core.config import AppConfig
    from scl_tui.cli.secrets import NAMES

    root = Path(__file__).resolve().parents[2]
    read = set()
    for path in [*(root / "core").rglob("*.py"), *(root / "scl_tui").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"get_secret\(\"(\w+)\"\)", text))
        read |= set(re.findall(r"scl secrets set ([a-z]+)", text))
    assert read <= set(SECRET_NAMES), read - set(SECRET_NAMES)
    assert tuple(NAMES) == SECRET_NAMES
    fields = set(AppConfig.model_fields["secrets"].annotation.model_fields)
    assert fields == {f"{name}_env" for name in SECRET_NAMES}
