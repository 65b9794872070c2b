"""`scl report csr|calls` and `scl metrics --json` over the hand-counted month."""

from __future__ import annotations

import csv
import io
import json

import pytest

from core.clock import FrozenClock, SystemClock
from core.db.engine import open_database
from core.services.context import ServiceContext
from core.services.reports import Order, Report, call_csv_row, calls_page, csr_csv_row, csr_report
from tests.services.period_fixture import build_month


@pytest.fixture
def month_db(tmp_path):
    """The month's data, built around the real time as the commands run on the real
    clock; the checks use the 90-day period, which holds all of it either way."""
    url = f"sqlite:///{tmp_path / 'month.db'}"
    start = SystemClock().now()
    clock = FrozenClock(start)
    ctx = ServiceContext(open_database(url), clock)
    build_month(ctx, clock)
    clock.set(start)
    yield url, ctx
    ctx.db.dispose()


def service_rows(ctx, report: Report):
    if report is Report.CSR:
        return [[str(v) for v in csr_csv_row(r)] for r in csr_report(ctx, "agent", 90)]
    return [[str(v) for v in call_csv_row(r)] for r in calls_page(ctx, "agent", 90).rows]


@pytest.mark.parametrize("report", list(Report))
def test_csv_written_by_the_command_reads_back_as_the_service_rows(scl, month_db, tmp_path, report):
    url, ctx = month_db
    target = tmp_path / f"{report.value}.csv"
    ran = scl(
        "--db", url, "--as", "agent", "report", report.value, "--days", "90", "--csv", str(target)
    )
    assert ran.code == 0, ran.err
    assert str(target) in ran.out
    with target.open(newline="", encoding="utf-8") as handle:
        read = list(csv.reader(handle))
    assert read[1:] == service_rows(ctx, report) and len(read) > 3


def test_csv_to_stdout_with_a_sort_order(scl, month_db):
    url, ctx = month_db
    ran = scl(
        "--db",
        url,
        "--as",
        "agent",
        "report",
        "csr",
        "--days",
        "90",
        "--csv",
        "-",
        "--sort",
        "name",
    )
    assert ran.code == 0, ran.err
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    names = [r["name"] for r in rows]
    assert names == sorted(names, key=str.casefold)
    expected = csr_report(ctx, "agent", 90, Order.parse(Report.CSR, "name"))
    assert names == [r.name for r in expected]


def test_without_csv_the_report_is_a_readable_table(scl, month_db):
    url, _ = month_db
    ran = scl("--db", url, "--as", "agent", "report", "csr", "--days", "90")
    assert ran.code == 0, ran.err
    assert "Call Center Performance by CSR" in ran.out and "Jo Martinez" in ran.out
    calls = scl("--db", url, "--as", "agent", "report", "calls", "--days", "90")
    assert "yes, Job booked by SCL" in calls.out and "11 calls in the last 90 days." in calls.out


def test_someone_without_the_permission_is_refused_and_no_file_is_left(scl, month_db, tmp_path):
    url, _ = month_db
    target = tmp_path / "calls.csv"
    ran = scl("--db", url, "--as", "csr", "report", "calls", "--csv", str(target))
    assert ran.code == 1 and "View Second Chance Leads" in ran.err
    assert "Traceback" not in ran.err
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_an_unknown_sort_column_is_a_clear_refusal(scl, month_db):
    url, _ = month_db
    ran = scl("--db", url, "--as", "agent", "report", "calls", "--sort", "revenue")
    assert ran.code == 1 and "no column 'revenue'" in ran.err


def test_a_period_outside_7_30_60_90_is_a_usage_error(scl, month_db):
    url, _ = month_db
    ran = scl("--db", url, "--as", "agent", "report", "calls", "--days", "45")
    assert ran.code == 2


def test_metrics_json_keeps_exactly_the_contract_fields(scl, month_db):
    url, _ = month_db
    ran = scl("--db", url, "--as", "agent", "metrics", "--days", "90", "--json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    assert list(data) == ["days", "inbound_calls", "scls_booked", "pct_increase", "open", "cold"]
    assert (data["days"], data["scls_booked"]) == (90, 1)
