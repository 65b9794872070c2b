"""`scl import` on bad rows and on a pipe, run as a script runs it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import SCL

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def good(external_id: str) -> str:
    row = json.loads((EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row["external_id"] = external_id
    return json.dumps(row)


def broken(external_id: str, name: str, raw: str) -> str:
    """A good row with one field written in raw JSON, as a broken exporter would."""
    row = json.loads(good(external_id))
    row.pop(name, None)
    return json.dumps(row)[:-1] + f', "{name}": {raw}}}'


def test_each_bad_row_is_reported_by_line_and_field_and_the_good_ones_go_in(scl, tmp_path, seeded):
    lines = [
        good("G1"),
        broken("B2", "customer_name", '"Dana\\u0000"'),
        broken("B3", "transcript", "[" * 50_000 + "]" * 50_000),
        broken("B4", "job_booked", "9" * 5_000),
        good("G5"),
        broken("B6", "started_at", '"2026-13-20T14:03:11-06:00"'),
        broken("B7", "ended_at", '"2026-11-20T19:00:00-06:00"'),  # over 4 hours
        good("G8"),
    ]
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = scl("--db", seeded[0], "--as", "admin", "import", str(path))
    assert ran.code == 1, ran.err
    assert "Imported 3 calls; 0 already known, 5 rejected" in ran.out
    for where in (
        "2: field 'customer_name'",
        "3: field 'transcript'",
        "4: field 'job_booked'",
        "6: field 'started_at'",
        "7: field 'ended_at'",
    ):
        assert f"{path}:{where}: error:" in ran.err
    assert "Traceback" not in ran.err and "unexpected" not in ran.err
    again = scl("--db", seeded[0], "--as", "admin", "import", str(path))
    assert again.code == 1
    assert "Imported 0 calls; 3 already known, 5 rejected" in again.out


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_import_reads_json_lines_piped_into_it(scl, seeded, name):
    piped = "\n".join([good("P1"), broken("P2", "direction", '"up"'), good("P3")]) + "\n"
    ran = scl("--db", seeded[0], "--as", "admin", "import", name, stdin=piped)
    assert ran.code == 1, ran.err
    assert "Imported 2 calls; 0 already known, 1 rejected" in ran.out
    assert "<stdin>:2: field 'direction': error:" in ran.err


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_import_reads_csv_piped_into_it_when_it_starts_with_a_header(scl, seeded, name):
    piped = (EXAMPLES / "calls.csv").read_text(encoding="utf-8")
    ran = scl("--db", seeded[0], "--as", "admin", "import", name, stdin=piped)
    assert ran.code == 0, ran.err
    assert "Imported 4 calls; 0 already known, 0 rejected" in ran.out


def test_import_reads_a_real_pipe_from_another_process(seeded):
    # A pipe, not a file the test wrote: what `cat export.jsonl | scl import -` does.
    cat = subprocess.Popen(["cat", str(EXAMPLES / "calls.jsonl")], stdout=subprocess.PIPE)
    ran = subprocess.run(
        [str(SCL), "--db", seeded[0], "--as", "admin", "import", "/dev/stdin"],
        stdin=cat.stdout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    cat.wait(timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert "Imported 4 calls" in ran.stdout
