"""`scl` behaves one way across its verbs: usage errors in one line (exit 2), tables
with a header line, phones as the app shows them, and a file that is no export refused
early with one summary line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.cli.test_cli_errors import one_clear_line


def test_a_bad_option_value_is_one_line_naming_the_command_and_exit_2(scl):
    ran = scl("leads", "--tab", "someday")
    assert ran.code == 2
    line = one_clear_line(ran.err)
    assert line.startswith("scl leads: ") and "'--tab'" in line and "someday" in line


def test_a_missing_option_is_one_line_pointing_to_the_verbs_help(scl):
    ran = scl("book")
    assert ran.code == 2
    assert one_clear_line(ran.err) == ("scl book: Missing option '--phone'; see `scl book --help`")


def test_an_unknown_verb_is_one_line_and_exit_2(scl):
    ran = scl("dismis", "42")
    assert ran.code == 2
    assert one_clear_line(ran.err).startswith("scl: No such command 'dismis'")


def column_starts(header: str) -> list[int]:
    """Where each word of a header line starts (the headers here are single words)."""
    return [i for i, char in enumerate(header) if char != " " and (i == 0 or header[i - 1] == " ")]


def test_leads_prints_a_header_line_over_aligned_columns(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "agent", "leads")
    assert ran.code == 0, ran.err
    header, row = ran.out.splitlines()[:2]
    # The time column names the zone its times are in: the host's, none being set.
    zone = datetime.now().astimezone().tzname()
    assert header.split() == ["Lead", "Flagged", f"({zone})", "Phone", "Tab", "Status", "Reason"]
    phone_at = column_starts(header)[3]
    assert row[phone_at:].startswith("(512) 555-0134")


def test_access_prints_a_header_line(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "access", "--all")
    assert ran.code == 0, ran.err
    header, *rows = ran.out.splitlines()
    assert header.split() == ["Login", "Access", "Why", "Name", "Role", "Notifications"]
    why_at = column_starts(header)[2]
    assert any(
        row.startswith("admin ") and row[why_at:].startswith("administrator") for row in rows
    )


def test_roles_prints_a_header_line_with_the_member_counts_under_theirs(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "roles")
    assert ran.code == 0, ran.err
    header, *rows = ran.out.splitlines()
    assert header.split() == ["Role", "View", "SCL", "Employees"]
    assert rows and all(row.rstrip()[-1].isdigit() for row in rows)
    assert {len(row.rstrip()) for row in rows} == {len(header)}  # counts end under it


def test_preferences_print_the_phone_as_every_other_verb_does(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "csr", "preferences")
    assert ran.code == 0, ran.err
    assert "(512) 555-0111" in ran.out and "+15125550111" not in ran.out


def test_classifying_a_file_that_is_no_export_stops_after_five_rows_with_one_summary(
    scl, tmp_path: Path
):
    notes = tmp_path / "notes.txt"
    notes.write_text("".join(f"call {n}: nobody answered\n" for n in range(2000)), "utf-8")
    ran = scl("classify", str(notes))
    assert ran.code == 2
    lines = ran.err.splitlines()
    assert len(lines) == 6 and all(line.startswith(f"{notes}:") for line in lines[:5])
    assert lines[-1].startswith("scl: stopped after 5 rows:")
    assert "does not look like a call export" in lines[-1]


def test_a_company_file_that_is_not_there_is_named_by_its_option(scl, tmp_path: Path):
    export = tmp_path / "calls.jsonl"
    export.write_text("", "utf-8")
    ran = scl("classify", str(export), "--company", str(tmp_path / "absent.toml"))
    assert ran.code == 2
    assert "'--company'" in one_clear_line(ran.err)
