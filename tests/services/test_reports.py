"""Call Center Performance by CSR and the Calls report over the hand-counted month
(tests/services/period_fixture.py); sorting, the period, CSV, refusals."""

from __future__ import annotations

import csv
import io

import pytest

from core.domain.statuses import LeadStatus
from core.services.errors import InvalidInput, PermissionDenied
from core.services.metrics import metrics
from core.services.reports import (
    CALL_COLUMNS,
    NO_CSR,
    Order,
    Report,
    call_csv_row,
    calls_page,
    csr_report,
    export_to_file,
    iter_calls,
    write_csv,
)
from core.services.settings import set_setting
from tests.services.period_fixture import build_month


@pytest.fixture
def month(ctx, clock):
    return build_month(ctx, clock)


def rows_by_name(rows):
    return {r.name: r for r in rows}


def test_one_row_per_csr_with_calls_bookings_and_second_chance_leads(ctx, month):
    rows = rows_by_name(csr_report(ctx, "agent", 30))
    jo, sam, maria, nobody = (
        rows["Jo Martinez"],
        rows["Sam Reed"],
        rows["Maria Lopez"],
        rows[NO_CSR],
    )
    assert set(rows) == {"Jo Martinez", "Sam Reed", "Maria Lopez", NO_CSR}
    assert (jo.login, jo.inbound_calls, jo.booked, jo.second_chance_leads, jo.scls_booked) == (
        "csr", 5, 1, 3, 0,
    )  # fmt: skip
    assert jo.booking_rate == pytest.approx(20.0)
    assert (sam.inbound_calls, sam.booked, sam.booking_rate, sam.second_chance_leads) == (
        2, 1, 50.0, 1,
    )  # fmt: skip
    # Maria took no calls but booked the job her call-back saved.
    assert (maria.inbound_calls, maria.booking_rate, maria.scls_booked) == (0, 0.0, 1)
    assert (nobody.login, nobody.inbound_calls, nobody.second_chance_leads) == (None, 1, 0)


def test_the_csr_columns_add_up_to_the_metrics_of_the_same_period(ctx, month):
    for days in (7, 30, 60, 90):
        rows = csr_report(ctx, "agent", days)
        header = metrics(ctx, "agent", days)
        assert sum(r.inbound_calls for r in rows) == header.inbound_calls
        assert sum(r.scls_booked for r in rows) == header.scls_booked


def test_the_period_filter_narrows_the_csr_report(ctx, month):
    week = rows_by_name(csr_report(ctx, "agent", 7))
    assert week["Jo Martinez"].inbound_calls == 3  # L1, L2, C150
    quarter = rows_by_name(csr_report(ctx, "agent", 90))
    assert quarter["Jo Martinez"].inbound_calls == 6  # + C155, 50 days ago
    assert quarter["Sam Reed"].second_chance_leads == 2  # + L4, 40 days ago


def test_the_csr_report_sorts_by_inbound_calls_most_first_by_default(ctx, month):
    names = [r.name for r in csr_report(ctx, "agent", 30)]
    assert names == ["Jo Martinez", "Sam Reed", NO_CSR, "Maria Lopez"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("name", [NO_CSR, "Jo Martinez", "Maria Lopez", "Sam Reed"]),
        ("-name", ["Sam Reed", "Maria Lopez", "Jo Martinez", NO_CSR]),
        ("booking_rate", ["Sam Reed", "Jo Martinez", NO_CSR, "Maria Lopez"]),  # ties: by name
        ("+booking_rate", [NO_CSR, "Maria Lopez", "Jo Martinez", "Sam Reed"]),
        ("scls_booked", ["Maria Lopez", NO_CSR, "Jo Martinez", "Sam Reed"]),
        ("csr", [NO_CSR, "Maria Lopez", "Sam Reed", "Jo Martinez"]),  # by login: agent, agent2, csr
        ("-csr", ["Jo Martinez", "Sam Reed", "Maria Lopez", NO_CSR]),
        ("second_chance_leads", ["Jo Martinez", "Sam Reed", NO_CSR, "Maria Lopez"]),
    ],
)
def test_the_csr_report_sorts_by_any_column(ctx, month, order, expected):
    rows = csr_report(ctx, "agent", 30, Order.parse(Report.CSR, order))
    assert [r.name for r in rows] == expected


def test_the_calls_report_lists_every_call_of_the_period_with_its_scl_column(ctx, month):
    page = calls_page(ctx, "agent", 30)
    assert page.total == 9 and len(page.rows) == 9  # 8 inbound + 1 outbound
    by_phone = {r.customer_phone: r for r in page.rows}
    assert by_phone["+15125550101"].scl_status is LeadStatus.BOOKED_BY_SCL
    assert by_phone["+15125550101"].lead_id == month.l1
    assert by_phone["+15125550103"].scl_status is LeadStatus.NEW
    assert by_phone["+15125550150"].lead_id is None and by_phone["+15125550150"].job_booked
    assert by_phone["+15125550152"].direction == "outbound"
    assert by_phone["+15125550154"].csr is None
    assert "+15125550104" not in by_phone  # 40 days ago
    started = [r.started_at for r in page.rows]
    assert started == sorted(started, reverse=True)


def test_the_calls_report_pages_by_offset_with_the_total(ctx, month):
    first = calls_page(ctx, "agent", 90, offset=0, limit=4)
    second = calls_page(ctx, "agent", 90, offset=4, limit=4)
    third = calls_page(ctx, "agent", 90, offset=8, limit=4)
    assert first.total == second.total == third.total == 11
    ids = [r.call_id for p in (first, second, third) for r in p.rows]
    assert len(ids) == len(set(ids)) == 11
    assert ids == [r.call_id for r in iter_calls(ctx, "agent", 90)]


@pytest.mark.parametrize("order", [c.key for c in CALL_COLUMNS] + ["-csr", "+started_at"])
def test_the_calls_report_sorts_by_any_column_the_same_on_every_engine(ctx, month, order):
    parsed = Order.parse(Report.CALLS, order)
    rows = calls_page(ctx, "agent", 90, parsed).rows
    attribute = {"second_chance_lead": "lead_id", "scl_status": "scl_status"}.get(
        parsed.column, parsed.column
    )

    def key(row):
        value = getattr(row, attribute)
        if parsed.column == "second_chance_lead":
            value = value is not None
        return (value is not None, value)

    values = [key(r) for r in rows]
    assert values == sorted(values, reverse=parsed.descending)


def test_an_unknown_sort_column_is_refused_naming_the_known_ones(ctx, month):
    with pytest.raises(InvalidInput, match=r"no column 'revenue'.*external_id"):
        Order.parse(Report.CALLS, "revenue")


def test_csv_of_the_calls_report_holds_the_service_rows(ctx, month):
    out = io.StringIO()
    assert write_csv(ctx, "agent", Report.CALLS, out, 30) == 9
    read = list(csv.reader(io.StringIO(out.getvalue())))
    assert read[0] == [c.key for c in CALL_COLUMNS]
    expected = [[str(v) for v in call_csv_row(r)] for r in calls_page(ctx, "agent", 30).rows]
    assert read[1:] == expected


def test_the_screen_export_writes_a_named_file_and_leaves_no_partial(ctx, month, tmp_path):
    path, count = export_to_file(ctx, "agent", Report.CSR, 30, directory=tmp_path / "exports")
    assert path.name == "scl-csr-30d-20261120-180000.csv" and count == 4
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert next(csv.DictReader(path.open()))["name"] == "Jo Martinez"


def test_the_exported_files_name_gives_the_time_on_the_companys_clock(ctx, month, tmp_path):
    set_setting(ctx, "admin", "timezone", "America/Chicago")
    path, _ = export_to_file(ctx, "agent", Report.CSR, 30, directory=tmp_path / "exports")
    assert path.name == "scl-csr-30d-20261120-120000.csv"  # 18:00 UTC is noon in Chicago


@pytest.mark.parametrize(
    "read",
    [
        lambda ctx: csr_report(ctx, "csr", 30),
        lambda ctx: calls_page(ctx, "csr", 30),
        lambda ctx: iter_calls(ctx, "csr", 30),
        lambda ctx: write_csv(ctx, "csr", Report.CALLS, io.StringIO(), 30),
    ],
)
def test_someone_without_the_permission_is_refused_every_report(ctx, month, read):
    with pytest.raises(PermissionDenied, match="View Second Chance Leads"):
        read(ctx)


def test_a_refused_export_writes_no_file(ctx, month, tmp_path):
    with pytest.raises(PermissionDenied):
        export_to_file(ctx, "csr", Report.CALLS, 30, directory=tmp_path / "exports")
    assert not (tmp_path / "exports").exists() or not list((tmp_path / "exports").iterdir())
