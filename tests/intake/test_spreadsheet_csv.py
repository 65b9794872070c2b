"""CSV files as spreadsheets save them: Excel's "CSV UTF-8", long transcript cells,
and the plain "CSV" (Windows-1252) that has to be saved again."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def excel_csv(rows: list[dict[str, str]]) -> bytes:
    """What Excel's "CSV UTF-8" writes: a byte-order mark, CRLF, TRUE/FALSE in capitals."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "job_booked": row["job_booked"].upper()})
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def example_rows() -> list[dict[str, str]]:
    with (EXAMPLES / "calls.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_csv_utf_8_file_from_excel_imports_every_row(scl, seeded, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(excel_csv(example_rows()))
    ran = scl("--db", seeded[0], "--as", "admin", "import", str(path))
    assert ran.code == 0, ran.err
    assert "Imported 4 calls; 0 already known, 0 rejected" in ran.out


def test_a_transcript_cell_over_128_kib_within_the_limits_imports(scl, seeded, tmp_path):
    row = example_rows()[0]
    segments = [
        {"speaker": "agent", "start": i, "end": i + 1, "text": "word " * 3_000} for i in range(10)
    ]
    row["transcript"] = json.dumps(segments)
    assert len(row["transcript"]) > 128 * 1024
    path = tmp_path / "long.csv"
    path.write_bytes(excel_csv([row]))
    ran = scl("--db", seeded[0], "--as", "admin", "import", str(path))
    assert ran.code == 0, ran.err
    assert "Imported 1 calls" in ran.out


def test_a_windows_1252_csv_is_refused_with_its_line_and_a_hint(scl, seeded, tmp_path):
    rows = example_rows()
    rows[2]["customer_name"] = "Renée Cañón"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "calls.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    ran = scl("--db", seeded[0], "--as", "admin", "import", str(path))
    assert ran.code == 1
    assert f"{path}:4: error: not UTF-8 text: byte 0xE9 ('é' in Windows-1252)" in ran.err
    assert 'save it as "CSV UTF-8"' in ran.err
    assert "Imported 0 calls" in ran.out and "Traceback" not in ran.err
