"""The systemd units in deploy/ pass `systemd-analyze verify` with not one warning."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INSTALLED_SCL = "/opt/scl-tui/bin/scl"
UNITS = [
    "scl-worker.service",
    "scl-worker@.service",
    "scl-status.service",
    "scl-status.timer",
    "scl-intake.service",
]

pytestmark = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


@pytest.fixture
def units(tmp_path: Path) -> Path:
    """The units with ExecStart pointed at an executable that exists here (verify
    refuses a unit whose binary is missing, and /opt/scl-tui is the server's)."""
    scl = tmp_path / "bin" / "scl"
    scl.parent.mkdir()
    scl.write_text("#!/bin/sh\nexit 0\n")
    scl.chmod(0o755)
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        (tmp_path / name).write_text(text.replace(INSTALLED_SCL, str(scl)))
    return tmp_path


@pytest.mark.parametrize(
    "unit",
    [
        "scl-worker.service",
        "scl-worker@2.service",
        "scl-status.service",
        "scl-status.timer",
        "scl-intake.service",
    ],
)
def test_the_unit_passes_systemd_analyze_verify(units: Path, unit: str):
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(units / unit)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=units,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_every_service_runs_the_installed_scl_as_its_own_user_with_the_key_as_a_credential():
    for name in ("scl-worker.service", "scl-worker@.service"):
        text = (DEPLOY / name).read_text()
        assert f"ExecStart={INSTALLED_SCL} worker" in text
        assert "User=scl" in text and "LoadCredential=openai:" in text
        assert "Restart=on-failure" in text
    assert f"ExecStart={INSTALLED_SCL} status" in (DEPLOY / "scl-status.service").read_text()


def test_the_intake_runs_as_the_scl_user_with_its_tokens_as_credentials_sandboxed():
    text = (DEPLOY / "scl-intake.service").read_text()
    assert f"ExecStart={INSTALLED_SCL} intake --host 127.0.0.1" in text
    assert "User=scl" in text and "Restart=on-failure" in text
    assert "LoadCredential=intake:/etc/scl/intake-token" in text
    assert "LoadCredential=twilio:/etc/scl/twilio-auth-token" in text
    worker = (DEPLOY / "scl-worker.service").read_text()
    sandbox = [line for line in worker.splitlines() if line.startswith(("Protect", "Restrict"))]
    assert sandbox and all(line in text.splitlines() for line in sandbox)
