"""The metrics and reports screen (key m) on the demo data: numbers from the services,
period, sorting, paging, export, and the refusal."""

from __future__ import annotations

import csv

import pytest
from textual.widgets import DataTable, Static, TabbedContent
from textual.widgets.data_table import ColumnKey

from core.services.metrics import metrics
from core.services.reports import Order, calls_page, csr_report
from scl_tui.screens.choice import ChoiceModal
from scl_tui.screens.metrics import MetricsScreen, bar
from tests.tui.conftest import SIZE, make_app, settle


@pytest.fixture(autouse=True)
def export_dir(tmp_path, monkeypatch):
    where = tmp_path / "exports"
    monkeypatch.setenv("SCL_EXPORT_DIR", str(where))
    return where


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def cells(app, table_id: str, column: int) -> list[str]:
    table = app.screen.query_one(table_id, DataTable)
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def open_metrics(app, pilot, *keys: str) -> None:
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


async def test_m_opens_the_metrics_with_the_numbers_of_the_metrics_service(demo_ctx):
    header = metrics(demo_ctx, "agent", 30)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot)
        assert isinstance(app.screen, MetricsScreen)
        numbers = shown(app, "#numbers")
        assert f"SCLs Booked {header.scls_booked} " in numbers
        assert f"% Increase {header.pct_increase:.2f} %" in numbers
        assert f"Inbound calls {header.inbound_calls}" in numbers
        assert "Last 30 days" in shown(app, "#period")
        assert "By week" in shown(app, "#chart")
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, MetricsScreen)


async def test_p_switches_the_period_and_every_number_follows(demo_ctx):
    week = metrics(demo_ctx, "agent", 60)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "p")
        assert "Last 60 days" in shown(app, "#period")
        assert f"Inbound calls {week.inbound_calls}" in shown(app, "#numbers")
        assert app.screen.calls.total == calls_page(demo_ctx, "agent", 60).total


async def test_the_csr_tab_shows_the_service_rows_and_sorts_by_a_chosen_column(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "2")
        assert app.screen.query_one(TabbedContent).active == "csr"
        expected = [r.name for r in csr_report(demo_ctx, "agent", 30)]
        assert cells(app, "#csr-table", 1) == expected
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("2")  # Name
        await settle(app, pilot)
        by_name = csr_report(demo_ctx, "agent", 30, Order("name", False))
        assert cells(app, "#csr-table", 1) == [r.name for r in by_name]
        await pilot.press("s", "2")  # Name again: reversed
        await settle(app, pilot)
        assert cells(app, "#csr-table", 1) == [r.name for r in reversed(by_name)]


async def test_a_click_on_a_column_header_sorts_by_it(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "2")
        table = app.screen.query_one("#csr-table", DataTable)
        column = table.columns[ColumnKey("booking_rate")]
        index = table.get_column_index("booking_rate")
        table.post_message(DataTable.HeaderSelected(table, column.key, index, column.label))
        await settle(app, pilot)
        by_rate = csr_report(demo_ctx, "agent", 30, Order("booking_rate", True))
        assert cells(app, "#csr-table", 1) == [r.name for r in by_rate]
        label = " ".join(str(table.columns[ColumnKey("booking_rate")].label).split())
        assert "Booking rate % ↓" in label  # the header stacks its words


async def test_the_calls_tab_pages_the_report_from_the_database(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "3", "p", "p")  # 90 days: more than a page
        total = calls_page(demo_ctx, "agent", 90).total
        assert total > 100
        table = app.screen.query_one("#calls-table", DataTable)
        assert table.row_count == 100
        assert f"Calls 1–100 of {total}" in shown(app, "#calls-page")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        second = calls_page(demo_ctx, "agent", 90, offset=100).rows
        assert cells(app, "#calls-table", 0) == [r.external_id for r in second]
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert f"Calls 1–100 of {total}" in shown(app, "#calls-page")


async def test_the_calls_tab_marks_each_call_with_its_second_chance_lead(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "3")
        rows = calls_page(demo_ctx, "agent", 30).rows
        assert cells(app, "#calls-table", 8) == ["yes" if r.lead_id else "no" for r in rows]
        assert cells(app, "#calls-table", 9) == [
            r.scl_status.display_name if r.scl_status else "" for r in rows
        ]


async def test_e_exports_the_shown_report_and_says_where(demo_ctx, export_dir):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "3", "e")
        await settle(app, pilot)
        (path,) = export_dir.glob("scl-calls-30d-*.csv")
        assert str(path) in shown(app, "#exported")
    with path.open(newline="", encoding="utf-8") as handle:
        read = list(csv.DictReader(handle))
    assert [r["external_id"] for r in read] == [
        r.external_id for r in calls_page(demo_ctx, "agent", 30, limit=500).rows
    ]


async def test_export_on_the_metrics_tab_asks_for_a_report_first(demo_ctx, export_dir):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot, "e")
        assert any("press 2 or 3" in n.message for n in app._notifications)
    assert not export_dir.exists()


async def test_someone_without_the_permission_is_refused_in_place_of_the_numbers(demo_ctx):
    app = make_app(demo_ctx, "jmartinez")
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(app, pilot)
        assert app.screen.has_class("-refused")
        refusal = shown(app, "#refusal")
        assert "not open to you" in refusal and "View Second Chance Leads" in refusal
        assert app.screen.query_one("#csr-table", DataTable).row_count == 0
        assert app.screen.query_one("#numbers", Static).render().plain == ""  # type: ignore[attr-defined]


def test_a_bar_is_drawn_in_eighths_and_any_count_shows():
    assert bar(8, 8, 4) == "████"
    assert bar(1, 8, 4) == "▌   "
    assert bar(1, 1000, 4) == "▏   "
    assert bar(0, 8, 4) == "    " and bar(0, 0, 4) == "    "


class TestMetricsSnapshots:
    def test_metrics_overview(self, snap_compare, demo_ctx):
        """You should see the period's numbers, a bar per week and the leads by status."""
        app = make_app(demo_ctx)

        async def run_before(pilot) -> None:
            await open_metrics(app, pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_performance_by_csr(self, snap_compare, demo_ctx):
        """You should see one row per CSR, sorted by inbound calls (↓)."""
        app = make_app(demo_ctx)

        async def run_before(pilot) -> None:
            await open_metrics(app, pilot, "2")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_calls_report(self, snap_compare, demo_ctx):
        """You should see the newest calls first with their SCL columns and the page line."""
        app = make_app(demo_ctx)

        async def run_before(pilot) -> None:
            await open_metrics(app, pilot, "3")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_refusal(self, snap_compare, demo_ctx):
        """You should see why a CSR without the permission gets no metrics."""
        app = make_app(demo_ctx, "jmartinez")

        async def run_before(pilot) -> None:
            await open_metrics(app, pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
