"""Importing exported calls: good rows in, bad rows reported by place, re-runs safe."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db.models import Call, Customer, Employee, Job, TranscriptSegment
from core.domain.statuses import LeadStatus
from core.services import review
from core.services.importer import import_files
from core.services.ingest import MAX_SEGMENTS
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
