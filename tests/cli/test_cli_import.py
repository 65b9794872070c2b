"""`scl import`: exit 0 when all rows went in, 1 when some were rejected, 2 on usage."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def test_import_of_a_clean_file_exits_0_and_a_rerun_imports_nothing_new(scl, seeded):
    url, _ = seeded
    first = scl(
        "--db",
        url,
        "--as",
        "admin",
        "import",
        str(EXAMPLES / "calls.jsonl"),
        str(EXAMPLES / "calls.csv"),
    )
    assert first.code == 0, first.err
    assert "Imported 4 calls; 4 already known, 0 rejected" in first.out
    second = scl("--db", url, "--as", "admin", "import", str(EXAMPLES / "calls.jsonl"))
    assert "Imported 0 calls; 4 already known" in second.out


def test_import_with_a_bad_row_exits_1_and_names_file_line_and_field(scl, tmp_path, seeded):
    bad = tmp_path / "bad.jsonl"
    lines = (EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()
    bad.write_text(
        lines[0] + "\n" + lines[1].replace('"inbound"', '"sideways"') + "\n", encoding="utf-8"
    )
    ran = scl("--db", seeded[0], "--as", "admin", "import", str(bad))
    assert ran.code == 1
    assert f"{bad}:2: field 'direction': error:" in ran.err
    assert "Imported 1 calls" in ran.out and "Traceback" not in ran.err


def test_import_of_a_missing_file_is_a_usage_error(scl, tmp_path):
    ran = scl("--db", f"sqlite:///{tmp_path / 'i.db'}", "import", str(tmp_path / "nope.jsonl"))
    assert ran.code == 2
    assert "does not exist" in ran.err
