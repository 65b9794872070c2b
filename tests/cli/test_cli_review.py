"""`scl classify`, `scl worker` and `scl secrets` as scripts and people use them."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
from click.testing import CliRunner

from core.adapters.secrets import get_secret
from scl_tui.cli import cli

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def test_classify_json_prints_one_verdict_per_call_in_the_contract_shape(scl, tmp_path):
    ran = scl("classify", str(EXAMPLES / "calls.jsonl"), "--json")
    assert ran.code == 0, ran.err
    verdicts = [json.loads(line) for line in ran.out.splitlines()]
    assert [v["external_id"] for v in verdicts] == [
        "PBX-2026-000123",
        "PBX-2026-000124",
        "PBX-2026-000125",
        "PBX-2026-000126",
    ]
    assert list(verdicts[0]) == [
        "external_id",
        "lead",
        "confidence",
        "reason",
        "evidence",
        "summary",
    ]
    assert [v["lead"] for v in verdicts] == [True, False, False, False]
    assert not (tmp_path / "data" / "scl.db").exists()  # no database touched


def test_classify_says_booked_and_outbound_calls_are_not_reviewed(scl, tmp_path):
    row = json.loads((EXAMPLES / "calls.jsonl").read_text().splitlines()[0])  # a lead
    calls = tmp_path / "calls.jsonl"
    calls.write_text(
        json.dumps({**row, "external_id": "B-1", "job_booked": True})
        + "\n"
        + json.dumps({**row, "external_id": "O-1", "direction": "outbound"})
        + "\n"
    )
    ran = scl("classify", str(calls), "--json")
    assert ran.code == 0, ran.err
    booked, outbound = (json.loads(line) for line in ran.out.splitlines())
    assert not booked["lead"] and "booked on the call" in booked["reason"]
    assert not outbound["lead"] and "outbound" in outbound["reason"]


def test_classify_reports_a_bad_row_and_exits_1(scl, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text((EXAMPLES / "calls.jsonl").read_text().splitlines()[0] + "\n{oops\n")
    ran = scl("classify", str(bad))
    assert ran.code == 1
    assert f"{bad}:2:" in ran.err and "LEAD" in ran.out


def test_worker_once_reviews_due_calls_when_enabled(scl, tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert scl("--db", url, "demo", "--no-open").code == 0  # SCL enabled, people to notify
    fresh = tmp_path / "fresh.jsonl"  # the example calls under ids the demo does not use
    fresh.write_text((EXAMPLES / "calls.jsonl").read_text().replace("PBX-2026-", "EX-"))
    assert scl("--db", url, "--as", "admin", "import", str(fresh)).code == 0
    ran = scl("--db", url, "worker", "--once")
    assert ran.code == 0, ran.err
    assert "Reviewed 2 calls: 1 flagged as leads" in ran.out
    again = scl("--db", url, "worker", "--once")
    assert "Reviewed 0 calls" in again.out


def test_worker_says_so_when_scl_is_disabled(scl, tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    scl("--db", url, "--as", "admin", "import", str(EXAMPLES / "calls.jsonl"))
    ran = scl("--db", url, "worker", "--once")
    assert "disabled" in ran.err and "Reviewed 0 calls" in ran.out


def test_secrets_set_stores_the_key_in_the_keyring_only(isolated_keyring, tmp_path):
    result = CliRunner().invoke(cli, ["secrets", "set", "openai"], input="sk-test-123\n")
    assert result.exit_code == 0, result.output
    assert get_secret("openai") == "sk-test-123"
    assert keyring.get_keyring() is isolated_keyring
    assert not any(
        "sk-test-123" in p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file()
    )


def test_secrets_set_without_a_keyring_is_one_clear_line(scl):
    ran = scl("secrets", "set", "openai", stdin="sk-test\n")
    assert ran.code == 1
    assert "Traceback" not in ran.err and "keyring" in ran.err.lower()


def test_the_worker_stops_cleanly_on_sigterm(tmp_path):
    import os
    import selectors
    import signal
    import subprocess
    import time

    from tests.cli.conftest import SCL

    url = f"sqlite:///{tmp_path / 'w.db'}"
    worker = subprocess.Popen(
        [str(SCL), "--db", url, "worker", "--poll", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        # It says it is running once its signal handlers are in place: stop it then.
        assert worker.stderr is not None
        watch = selectors.DefaultSelector()
        watch.register(worker.stderr, selectors.EVENT_READ)
        said = ""
        deadline = time.monotonic() + 30
        while "SIGTERM stops it" not in said:
            assert time.monotonic() < deadline, f"the worker never said it runs: {said!r}"
            if watch.select(timeout=0.5):  # read the pipe itself: a buffered reader
                chunk = os.read(worker.stderr.fileno(), 4096)  # would hide lines from select
                assert chunk, f"the worker ended early: {said!r}"
                said += chunk.decode()
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=15)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "Reviewed 0 calls" in out and "Traceback" not in err
