"""Importing exported calls: good rows in, bad rows reported by place, re-runs safe."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from core.db.models import Call, Customer, Employee, Job, TranscriptSegment
from core.domain.statuses import LeadStatus
from core.services import ingest, review
from core.services.importer import BATCH, import_files
from core.services.ingest import (
    MAX_CALL_SECONDS,
    MAX_FIELD_CHARS,
    MAX_SEGMENT_CHARS,
    MAX_SEGMENTS,
    MAX_TRANSCRIPT_CHARS,
)
from core.services.leads import get_review
from tests.builders import add_lead, seed_people

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"


def good_row(**changes):
    row = json.loads((EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row.update(changes)
    return row


def write_jsonl(path: Path, rows) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


def counts(ctx):
    with ctx.db.transaction() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(m))
            for m in (Call, TranscriptSegment, Customer, Employee, Job)
        )


def test_the_example_jsonl_file_imports_every_row(ctx):
    report = import_files(ctx, [EXAMPLES / "calls.jsonl"])
    assert (report.read, report.imported, report.rejected) == (4, 4, [])
    with ctx.db.transaction() as session:
        call = session.scalars(select(Call).where(Call.external_id == "PBX-2026-000123")).one()
        assert call.customer_phone == "+15125550134"
        assert [s.speaker for s in call.segments] == ["agent", "customer", "agent", "customer"]
        assert call.customer.name == "Dana Whitfield"


def test_importing_the_same_file_again_changes_nothing(ctx):
    import_files(ctx, [EXAMPLES / "calls.jsonl"])
    before = counts(ctx)
    again = import_files(ctx, [EXAMPLES / "calls.jsonl"])
    assert (again.imported, again.already_known) == (0, 4)
    assert counts(ctx) == before


def test_the_csv_export_imports_the_same_calls_as_the_jsonl_one(ctx, sqlite_ctx):
    import_files(ctx, [EXAMPLES / "calls.jsonl"])
    import_files(sqlite_ctx, [EXAMPLES / "calls.csv"])
    assert counts(ctx) == counts(sqlite_ctx)
    assert import_files(ctx, [EXAMPLES / "calls.csv"]).already_known == 4


def test_calls_from_one_phone_in_any_format_are_one_customer(ctx):
    import_files(ctx, [EXAMPLES / "calls.jsonl"])
    with ctx.db.transaction() as session:
        dana = session.scalars(
            select(Call.customer_id).where(Call.customer_phone == "+15125550134")
        ).all()
    assert len(dana) == 2 and len(set(dana)) == 1


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        (good_row(external_id="A1", started_at=None), "started_at", "required"),
        (good_row(external_id="A2", ended_at="yesterday"), "ended_at", "ISO 8601"),
        (good_row(external_id="A3", ended_at="2026-11-20T14:07:52"), "ended_at", "UTC offset"),
        (good_row(external_id="A4", direction="sideways"), "direction", "inbound or outbound"),
        (good_row(external_id="A5", customer_phone="n/a"), "customer_phone", "not a phone"),
        (good_row(external_id="A6", job_booked="maybe"), "job_booked", "true or false"),
        (good_row(external_id="A7", transcript="hello"), "transcript", "list of segments"),
        (
            good_row(
                external_id="A8",
                transcript=[{"speaker": "agent", "start": 3, "end": 1, "text": "x"}],
            ),
            "transcript[0]",
            "out of order",
        ),
        (
            good_row(
                external_id="A9",
                transcript=[{"speaker": "agent", "start": 0, "end": 1, "text": "x"}]
                * (MAX_SEGMENTS + 1),
            ),
            "transcript",
            "the most is",
        ),
        (
            good_row(external_id="A10", ended_at="2026-11-20T13:00:00-06:00"),
            "ended_at",
            "before started_at",
        ),
        ('{"external_id": "A11", "direction": ', None, "not valid JSON"),
        ("[1, 2]", None, "one JSON object"),
    ],
)
def test_a_bad_row_is_reported_with_file_line_and_field(ctx, tmp_path, row, field, words):
    path = write_jsonl(
        tmp_path / "calls.jsonl", [good_row(external_id="OK1"), row, good_row(external_id="OK2")]
    )
    report = import_files(ctx, [path])
    assert report.imported == 2
    (problem,) = report.rejected
    assert (problem.file, problem.line, problem.field) == (str(path), 2, field)
    assert words in problem.message
    assert str(problem).startswith(f"{path}:2:")


def test_an_unknown_csr_is_added_without_permissions_and_reported_once(ctx, tmp_path):
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [good_row(external_id="B1", csr="newbie"), good_row(external_id="B2", csr="newbie")],
    )
    report = import_files(ctx, [path])
    assert report.imported == 2 and report.rejected == []
    (warning,) = report.warnings
    assert (warning.line, warning.field) == (1, "csr") and "'newbie'" in warning.message
    from core.services.permissions import can_view_scl

    assert not can_view_scl(ctx, "newbie")


def test_unknown_extra_fields_are_ignored(ctx, tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [good_row(external_id="C1", mood="grumpy")])
    assert import_files(ctx, [path]).imported == 1


def test_importing_a_later_booked_call_for_an_open_leads_phone_books_it_elsewhere(
    ctx, clock, tmp_path
):
    seed_people(ctx)
    lead = add_lead(ctx, phone="+15125550134", flagged=clock.now() - timedelta(days=1))
    later = clock.now() - timedelta(hours=2)
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            good_row(
                external_id="D1",
                job_booked=True,
                started_at=(later - timedelta(minutes=5)).isoformat(),
                ended_at=later.isoformat(),
            )
        ],
    )
    import_files(ctx, [path])
    assert get_review(ctx, "agent", lead).row.status is LeadStatus.BOOKED_ELSEWHERE
    import_files(ctx, [path])
    assert len(get_review(ctx, "agent", lead).history) == 2


def test_importing_a_booked_call_after_an_scl_call_back_books_it_by_scl(ctx, clock, tmp_path):
    seed_people(ctx)
    lead = add_lead(ctx, phone="+15125550134", flagged=clock.now() - timedelta(days=1))
    clock.advance(timedelta(hours=-20))
    review.call_back(ctx, "agent", lead)
    clock.advance(timedelta(hours=20))
    later = clock.now() - timedelta(hours=1)
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            good_row(
                external_id="E1",
                job_booked=True,
                started_at=(later - timedelta(minutes=5)).isoformat(),
                ended_at=later.isoformat(),
            )
        ],
    )
    import_files(ctx, [path])
    assert get_review(ctx, "agent", lead).row.status is LeadStatus.BOOKED_BY_SCL


def bad_line(**changes) -> str:
    """A good row's JSON with `changes` written in raw, as a broken exporter would."""
    row = good_row(external_id="BAD")
    for name in changes:
        row.pop(name, None)
    text = json.dumps(row)[:-1]
    return text + "".join(f', "{name}": {raw}' for name, raw in changes.items()) + "}"


def segment(start="0", end="1", text='"hello"', speaker='"agent"') -> str:
    return f'[{{"speaker": {speaker}, "start": {start}, "end": {end}, "text": {text}}}]'


TEN_MB = json.dumps("5" * 10_000_000)
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        pytest.param(bad_line(transcript=DEEP), "transcript", "nested too deeply", id="deep"),
        pytest.param(
            bad_line(transcript=segment(start="NaN")), "transcript[0].start", "finite", id="nan"
        ),
        pytest.param(
            bad_line(transcript=segment(end="Infinity")), "transcript[0].end", "finite", id="inf"
        ),
        pytest.param(
            bad_line(transcript=segment(end="1" + "0" * 400)),
            "transcript[0]",
            "numbers of seconds",
            id="huge-seconds",
        ),
        pytest.param(
            bad_line(job_booked="1" * 5_000), "job_booked", "5,000-digit number", id="huge-int"
        ),
        pytest.param(
            bad_line(started_at='"0001-01-01T00:00:00+05:00"'),
            "started_at",
            "between the years",
            id="year-1-before-utc",
        ),
        pytest.param(
            bad_line(ended_at='"9999-12-31T23:59:59-05:00"'),
            "ended_at",
            "between the years",
            id="year-9999-past-utc",
        ),
        pytest.param(
            bad_line(started_at='"1900-11-20T14:03:11-06:00"'),
            "started_at",
            "between the years",
            id="year-1900",
        ),
        pytest.param(
            bad_line(started_at='"0000-11-20T14:03:11-06:00"'),
            "started_at",
            "year 0 is out of range",
            id="year-0",
        ),
        pytest.param(
            bad_line(started_at='"99999-11-20T14:03:11-06:00"'),
            "started_at",
            "year 99999 is not between 1970 and 2999",
            id="year-99999",
        ),
        pytest.param(
            bad_line(started_at='"2026-13-20T14:03:11-06:00"'),
            "started_at",
            "month must be in 1..12",
            id="month-13",
        ),
        pytest.param(
            bad_line(customer_name='"Dana\\u0000"'), "customer_name", "NUL", id="nul-name"
        ),
        pytest.param(
            bad_line(transcript=segment(text='"hi\\u0000there"')),
            "transcript[0].text",
            "NUL",
            id="nul-segment",
        ),
        pytest.param(bad_line(csr='"j\\u0000m"'), "csr", "NUL", id="nul-csr"),
        pytest.param(
            bad_line(transcript=segment(speaker='"ag\\u0000ent"')),
            "transcript[0].speaker",
            "NUL",
            id="nul-speaker",
        ),
        pytest.param(
            bad_line(customer_name='"\\ud800"'), "customer_name", "lone surrogate", id="surrogate"
        ),
        pytest.param(
            bad_line(customer_phone="5125550134"),
            "customer_phone",
            "must be text, not a number",
            id="number-for-phone",
        ),
        pytest.param(
            bad_line(transcript=segment(speaker="42")),
            "transcript[0].speaker",
            "must be text, not a number",
            id="number-for-speaker",
        ),
        pytest.param(
            bad_line(customer_phone=TEN_MB), "customer_phone", "the most is 64", id="10mb-phone"
        ),
        pytest.param(bad_line(started_at=TEN_MB), "started_at", "the most is 64", id="10mb-time"),
    ],
)
def test_a_row_the_database_would_refuse_costs_none_of_the_good_ones(
    ctx, tmp_path, line, field, words
):
    path = write_jsonl(
        tmp_path / "calls.jsonl", [good_row(external_id="OK1"), line, good_row(external_id="OK2")]
    )
    report = import_files(ctx, [path])
    assert report.imported == 2
    (problem,) = report.rejected
    assert (problem.line, problem.field) == (2, field)
    assert words in problem.message
    assert str(problem).startswith(f"{path}:2: field {field!r}: error:")
    assert len(str(problem)) < 300  # one line, whatever the row held
    before = counts(ctx)
    again = import_files(ctx, [path])
    assert (again.imported, again.already_known, len(again.rejected)) == (0, 2, 1)
    assert counts(ctx) == before


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        pytest.param(
            bad_line(ended_at='"2026-11-20T18:03:12-06:00"'),
            "ended_at",
            "at most 4 hours",
            id="call-over-4-hours",
        ),
        pytest.param(
            bad_line(transcript=segment(end="14401")),
            "transcript[0].end",
            "at most 14,400 seconds",
            id="segment-past-4-hours",
        ),
        pytest.param(
            bad_line(
                transcript=json.dumps(
                    [
                        {"speaker": "agent", "start": i, "end": i + 1, "text": "x" * 10_000}
                        for i in range(26)
                    ]
                )
            ),
            "transcript",
            "250,000 characters",
            id="text-over-250000",
        ),
    ],
)
def test_a_call_longer_than_a_long_real_call_is_refused(ctx, tmp_path, line, field, words):
    path = write_jsonl(tmp_path / "calls.jsonl", [good_row(external_id="OK1"), line])
    report = import_files(ctx, [path])
    assert report.imported == 1
    (problem,) = report.rejected
    assert (problem.line, problem.field) == (2, field)
    assert words in problem.message


def test_a_call_at_the_limits_goes_in(ctx, tmp_path):
    text = "x" * 10_000
    row = good_row(
        external_id="LONG",
        started_at="2026-11-20T14:00:00-06:00",
        ended_at="2026-11-20T18:00:00-06:00",
        transcript=[
            {"speaker": "agent", "start": i * 500, "end": (i + 1) * 500, "text": text}
            for i in range(25)
        ]
        + [{"speaker": "agent", "start": 12_500, "end": 14_400, "text": ""}],
    )
    report = import_files(ctx, [write_jsonl(tmp_path / "c.jsonl", [row])])
    assert (report.imported, report.rejected) == (1, [])


def test_a_nul_in_one_row_of_a_full_batch_costs_none_of_the_others(ctx, tmp_path):
    rows = [good_row(external_id=f"G{i}") for i in range(BATCH + 10)]
    rows[5] = bad_line(csr_notes='"a\\u0000b"')
    path = write_jsonl(tmp_path / "calls.jsonl", rows)
    report = import_files(ctx, [path])
    assert report.imported == BATCH + 9
    assert [(p.line, p.field) for p in report.rejected] == [(6, "csr_notes")]
    assert import_files(ctx, [path]).imported == 0


def test_a_row_the_database_refuses_anyway_is_reported_and_its_batch_goes_in(ctx, tmp_path):
    # A rule of the database's own that validation cannot know: the last resort.
    with ctx.db.transaction() as session:
        if session.bind.dialect.name == "postgresql":
            session.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.name = 'Refuse Me' THEN RAISE EXCEPTION 'no Refuse Me'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            session.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON customers "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
        else:
            session.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON customers "
                    "WHEN NEW.name = 'Refuse Me' BEGIN SELECT RAISE(ABORT, 'no Refuse Me'); END"
                )
            )
    rows = [
        good_row(external_id=f"T{i}", customer_phone=f"512555{i:04d}", customer_name=f"N{i}")
        for i in range(7)
    ]
    rows[4]["customer_name"] = "Refuse Me"
    path = write_jsonl(tmp_path / "calls.jsonl", rows)
    report = import_files(ctx, [path])
    assert report.imported == 6
    (problem,) = report.rejected
    assert (problem.line, problem.field) == (5, None)
    assert "database refused" in problem.message and "no Refuse Me" in problem.message
    again = import_files(ctx, [path])
    assert (again.imported, again.already_known) == (0, 6)


def test_a_csv_cell_of_10_mb_is_reported_by_its_column(ctx, tmp_path):
    csv_path = tmp_path / "calls.csv"
    lines = (EXAMPLES / "calls.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert "csr_notes" in header
    huge = lines[1].replace("quoted diag fee", "n" * 10_000_000)
    assert huge != lines[1]
    csv_path.write_text("\n".join([lines[0], huge, lines[2]]) + "\n", encoding="utf-8")
    report = import_files(ctx, [csv_path])
    assert report.imported == 1
    (problem,) = report.rejected
    assert (problem.line, problem.field) == (2, "csr_notes")


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_standard_input_is_read_once_and_reported_as_stdin(ctx, name):
    lines = [json.dumps(good_row(external_id="S1")), bad_line(direction='"up"')]
    stdin = io.BytesIO(("\n".join(lines) + "\n").encode())
    report = import_files(ctx, [Path(name)], stdin=stdin)
    assert report.imported == 1
    (problem,) = report.rejected
    assert str(problem).startswith("<stdin>:2: field 'direction': error:")


def test_standard_input_starting_with_a_csv_header_is_read_as_csv(ctx):
    stdin = io.BytesIO((EXAMPLES / "calls.csv").read_bytes())
    report = import_files(ctx, [Path("-")], stdin=stdin)
    assert (report.imported, report.rejected) == (4, [])


def test_the_readme_states_the_limits_the_import_applies():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## Importing calls")[1].split("\n## ")[0].split())
    for name, most in MAX_FIELD_CHARS.items():
        if name not in ("direction", "started_at", "ended_at"):  # words and times, not text
            assert f"`{name}` {most:,}" in section, name
    for number in (MAX_SEGMENTS, MAX_SEGMENT_CHARS, MAX_TRANSCRIPT_CHARS):
        assert f"{number:,}" in section
    assert f"at most {MAX_CALL_SECONDS // 3600} hours" in section


def test_a_line_too_long_to_read_is_skipped_and_the_next_rows_go_in(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_LINE_CHARS", 5_000)  # 64 MB in real life
    path = write_jsonl(
        tmp_path / "calls.jsonl",
        [good_row(external_id="L1"), bad_line(csr_notes=json.dumps("n" * 20_000)), good_row()],
    )
    report = import_files(ctx, [path])
    assert report.imported == 2
    (problem,) = report.rejected
    assert problem.line == 2 and "line is longer than 5,000 characters" in problem.message
