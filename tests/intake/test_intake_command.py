"""`scl intake` as an operator starts it: a service with its token from systemd's
credentials directory, stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx2

from tests.cli.conftest import SCL

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_intake_takes_a_call_with_the_token_from_the_credentials_directory(seeded, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "intake").write_text("service-token\n", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [str(SCL), "--db", seeded[0], "--as", "admin", "intake", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CREDENTIALS_DIRECTORY": str(credentials)},
    )
    try:
        row = json.loads((EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()[0])
        ends = time.monotonic() + 60
        while True:
            try:
                answer = httpx2.post(
                    f"http://127.0.0.1:{port}/calls",
                    json=row,
                    headers={"Authorization": "Bearer service-token"},
                    timeout=30,
                )
                break
            except httpx2.ConnectError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < ends, "the intake did not listen within 60 s"
                time.sleep(0.1)
        assert answer.status_code == 202, answer.text
        assert answer.json()["new"] == 1
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"Intake on http://127.0.0.1:{port}" in err and "Traceback" not in err


def test_a_port_already_taken_is_said_in_one_line(scl, seeded, tmp_path, monkeypatch):
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "intake").write_text("service-token\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = scl("--db", seeded[0], "--as", "admin", "intake", "--port", str(port))
    assert ran.code == 2
    assert f"scl: cannot listen on 127.0.0.1:{port}: " in ran.err
    assert "Traceback" not in ran.err and "unexpected" not in ran.err
