"""Text from calls and people is shown literally by the command line too.

No escape sequence in a transcript, a reason, a name, an audit value or a delivery
error reaches a terminal: it shows as control pictures (ESC as ␛). Data for scripts
(CSV, JSON Lines) keeps its exact bytes in a pipe or a file.

In-process runs use CliRunner(color=True): click then writes as it does to a terminal
(without it, click strips some CSI sequences itself when the output is no terminal).
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import Employee, Notification
from core.services import audit
from core.services.context import ServiceContext
from core.services.importer import import_files
from scl_tui.cli import cli
from tests.builders import add_lead, seed_people
from tests.cli.conftest import SCL

# Clear the screen, retitle the window, and a one-byte C1 CSI (red text).
HOSTILE = "\x1b[2J\x1b]2;owned\x07\x9b31m"
PICTURED = "␛[2J␛]2;owned␇\ufffd31m"
RAW_BYTES = (b"\x1b", b"\x07", "\x9b".encode())
EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def shows_literally(out: str) -> bool:
    return PICTURED in out and not any(c in out for c in "\x1b\x07\x9b")


def hostile_export(path: Path) -> Path:
    """An export of one call whose id, customer, CSR and transcript carry HOSTILE."""
    row = json.loads((EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row["external_id"] = f"X-{HOSTILE}"
    row["customer_name"] = HOSTILE
    for segment in row["transcript"]:
        segment["text"] += f" {HOSTILE}"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    """People, one lead and one imported call, with HOSTILE in every kind of text the
    commands show: a lead's reason, names, an audit entry, a delivery error, a customer."""
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    ctx = ServiceContext(open_database(url), SystemClock())
    seed_people(ctx)
    lead_id = add_lead(ctx, reason=f"AC out {HOSTILE}")
    import_files(ctx, [hostile_export(tmp_path / "calls.jsonl")])
    with ctx.db.transaction() as session:
        admin = session.query(Employee).filter_by(login="admin").one()
        admin.name = f"Pat {HOSTILE}"
        session.query(Employee).filter_by(login="csr").one().name = HOSTILE
        audit.record(session, ctx.clock.now(), admin, f"setting {HOSTILE}", HOSTILE, HOSTILE)
        session.query(Notification).delete()
        session.add(
            Notification(
                lead_id=lead_id,
                employee_id=admin.id,
                channel="email",
                state="failed",
                attempts=3,
                last_error=f"550 {HOSTILE}",
                created_at=ctx.clock.now(),
            )
        )
    ctx.db.dispose()
    return url


def run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(cli, list(args), color=True)
    return done.exit_code, done.stdout, done.stderr


# --- lines for people: pictures, wherever they go -------------------------------------


def test_a_call_id_escape_sequence_prints_as_a_picture_in_classify(tmp_path):
    code, out, _ = run("classify", str(hostile_export(tmp_path / "calls.jsonl")))
    assert code == 0
    assert shows_literally(out)


def test_a_reason_escape_sequence_prints_as_a_picture_in_leads(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "agent", "leads")
    assert code == 0
    assert shows_literally(out)


def test_an_employee_name_prints_as_a_picture_in_access(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "admin", "access")
    assert code == 0
    assert shows_literally(out)


def test_an_employee_name_prints_as_a_picture_after_an_access_change(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "admin", "access", "csr", "grant")
    assert code == 0
    assert shows_literally(out)


def test_audit_values_print_as_pictures(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "admin", "audit")
    assert code == 0
    assert shows_literally(out)


def test_a_delivery_error_prints_as_a_picture_in_the_outbox_status(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "admin", "notify", "--status")
    assert code == 0
    assert shows_literally(out)


def test_an_employee_name_prints_as_a_picture_in_preferences(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "admin", "preferences")
    assert code == 0
    assert shows_literally(out)


def test_an_error_line_naming_an_employee_prints_the_name_as_a_picture(hostile_db):
    code, _, err = run("--db", hostile_db, "--as", "agent", "audit")
    assert code == 1
    assert err.startswith("scl: ") and shows_literally(err)


def test_a_customer_name_prints_as_a_picture_in_the_calls_table(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "agent", "report", "calls")
    assert code == 0
    assert "␛[2J" in out and not any(c in out for c in "\x1b\x07\x9b")


def test_a_csr_name_prints_as_a_picture_in_the_csr_table(hostile_db):
    code, out, _ = run("--db", hostile_db, "--as", "agent", "report", "csr")
    assert code == 0
    assert "␛[2J" in out and not any(c in out for c in "\x1b\x07\x9b")


# --- data for scripts: exact bytes in a pipe or a file ---------------------------------


def test_csv_to_a_file_keeps_the_exact_bytes(hostile_db, tmp_path):
    target = tmp_path / "calls.csv"
    code, _, _ = run("--db", hostile_db, "--as", "agent", "report", "calls", "--csv", str(target))
    assert code == 0
    assert f",{HOSTILE},".encode() in target.read_bytes()


def test_csv_to_a_pipe_keeps_the_exact_bytes(scl, hostile_db):
    ran = scl("--db", hostile_db, "--as", "agent", "report", "calls", "--csv", "-")
    assert ran.code == 0, ran.err
    assert f",{HOSTILE}," in ran.out


def test_json_lines_to_a_pipe_keep_the_exact_bytes(scl, hostile_db):
    ran = scl("--db", hostile_db, "--as", "agent", "leads", "--json")
    assert ran.code == 0, ran.err
    # json.dumps's own escaping of ESC and BEL; the C1 CSI stays the raw character.
    assert "AC out \\u001b[2J\\u001b]2;owned\\u0007\x9b31m" in ran.out
    assert json.loads(ran.out)["reason"] == f"AC out {HOSTILE}"


# --- the real `scl` in a pseudo-terminal -----------------------------------------------


def in_a_terminal(*args: str, seconds: float = 60) -> tuple[int, bytes]:
    """Run `scl` with stdin, stdout and stderr on a pseudo-terminal; all it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(SCL), *args], stdin=follower, stdout=follower, stderr=follower, env=os.environ.copy()
    )
    os.close(follower)
    written = bytearray()
    deadline = time.monotonic() + seconds
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                process.kill()
                raise AssertionError(f"scl {args} still running after {seconds} s")
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the command closed the terminal
                break
            if not chunk:
                break
            written += chunk
        return process.wait(timeout=seconds), bytes(written)
    finally:
        os.close(leader)


def test_a_terminal_gets_no_escape_from_a_customer_name_in_the_calls_csv(hostile_db):
    code, shown = in_a_terminal(
        "--db", hostile_db, "--as", "agent", "report", "calls", "--csv", "-"
    )
    assert code == 0, shown
    assert not any(raw in shown for raw in RAW_BYTES)
    assert PICTURED.encode() in shown


def test_a_terminal_gets_no_escape_from_a_call_in_classify(tmp_path):
    calls = hostile_export(tmp_path / "calls.jsonl")
    for args in (["classify", str(calls)], ["classify", str(calls), "--json"]):
        code, shown = in_a_terminal(*args)
        assert code == 0, shown
        assert not any(raw in shown for raw in RAW_BYTES), (args, shown)


def test_json_lines_on_a_terminal_escape_every_control_and_read_back_the_same(hostile_db):
    code, shown = in_a_terminal("--db", hostile_db, "--as", "agent", "leads", "--json")
    assert code == 0, shown
    assert not any(raw in shown for raw in RAW_BYTES)
    assert json.loads(shown.decode())["reason"] == f"AC out {HOSTILE}"
