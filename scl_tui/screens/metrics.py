"""Metrics and reports for supervisors: the period's numbers with a bar per week,
Call Center Performance by CSR, and the Calls report (paged from the database),
each sortable and exportable as CSV.

The services refuse anyone without View Second Chance Leads; the screen then says so
in place of the numbers.
"""

from __future__ import annotations

import textwrap
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from core.domain.metrics import PERIOD_DAYS
from core.domain.phones import display_phone
from core.errors import SclError
from core.services.accuracy import VersionAccuracy, accuracy
from core.services.errors import PermissionDenied
from core.services.hand_flag import flag_call
from core.services.metrics import metrics_detail
from core.services.reports import COLUMNS, Order, Report, calls_page, csr_report, export_to_file
from core.services.views import CallsPage, CsrRow, MetricsDetail, PeriodBucket
from scl_tui.screens.base import AppScreen
from scl_tui.screens.choice import ChoiceModal
from scl_tui.screens.leads import LeadsScreen
from scl_tui.text import literal, local

PAGE = 100
BAR = 24  # widest bar, in cells
EIGHTHS = " ▏▎▍▌▋▊▉"
# The Calls table at 140 columns: the end time stays in the CSV; long text is cut.
HIDDEN = {"ended_at"}
WIDTHS = {"customer_name": 16, "call_type": 10, "csr": 9, "external_id": 16}
CSR_HEADER_WIDTH = 9  # a header line, in cells: seven columns fit in 80


class MetricsScreen(AppScreen):
    CSS_PATH = "metrics.tcss"
    TITLE = "Metrics and reports"
    BINDINGS = [
        Binding(
            "1", "show('overview')", "Metrics", id="metrics_tab", tooltip="The period's numbers"
        ),
        Binding("2", "show('csr')", "By CSR", id="csr_tab", tooltip="Performance by CSR"),
        Binding("3", "show('calls')", "Calls", id="calls_tab", tooltip="Every call"),
        Binding("p", "cycle_period", "Period", id="report_period", tooltip="7, 30, 60 or 90 days"),
        Binding("s", "sort", "Sort", id="report_sort", tooltip="Sort the report by a column"),
        Binding("e", "export", "Export CSV", id="report_export", tooltip="Save the report as CSV"),
        Binding(
            "right_square_bracket",
            "page(1)",
            "Next page",
            id="calls_next_page",
            key_display="]",
            tooltip="The next page of calls",
        ),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Previous page",
            id="calls_previous_page",
            key_display="[",
            show=False,
            tooltip="The previous page of calls",
        ),
        Binding(
            "l",
            "flag_by_hand",
            "Flag as lead",
            id="calls_flag",
            tooltip="Make the call under the cursor a lead by hand (the classifier missed it)",
        ),
        Binding("r", "refresh", "Refresh", id="report_refresh", tooltip="Read everything again"),
        Binding("escape", "leave", "Back", id="report_back", tooltip="Back to the previous screen"),
    ]

    def __init__(self, days: int = 30) -> None:
        super().__init__()
        self.days = days
        self.orders = {report: Order.default(report) for report in Report}
        self.calls_offset = 0
        self.csr_rows: list[CsrRow] = []
        self.calls: CallsPage | None = None
        self.detail: MetricsDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="period")
        yield Static(id="refusal")
        with TabbedContent(id="reports"):
            with TabPane("Metrics", id="overview"), VerticalScroll():
                yield Static(id="numbers")
                yield Static(id="chart")
                yield Static(id="statuses")
                yield Static(id="accuracy")
            with TabPane("Performance by CSR", id="csr"):
                yield DataTable(
                    id="csr-table", cursor_type="row", zebra_stripes=True, header_height=3
                )
            with TabPane("Calls", id="calls"):
                yield DataTable(id="calls-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="calls-page")
        yield Static(id="exported")
        yield Footer()

    def on_mount(self) -> None:
        for report, table_id in ((Report.CSR, "#csr-table"), (Report.CALLS, "#calls-table")):
            table = self.query_one(table_id, DataTable)
            for column in COLUMNS[report]:
                if column.key not in HIDDEN:
                    table.add_column(
                        self._label(report, column.label),
                        key=column.key,
                        width=WIDTHS.get(column.key),
                    )
        self.action_refresh()

    def service_failed(self, error: Exception) -> None:
        """A refusal of the permission takes the screen's place; any other failure is a
        toast."""
        if isinstance(error, PermissionDenied):
            self.refuse(error.message)
        else:
            super().service_failed(error)

    def refuse(self, message: str) -> None:
        self.add_class("-refused")
        text = Text("Metrics and reports are not open to you\n\n", style="bold")
        text.append_text(literal(message))
        text.append("\n\nPress Escape to go back.")
        self.query_one("#refusal", Static).update(text)

    # --- reading ----------------------------------------------------------------------

    def action_refresh(self) -> None:
        self._show_period()
        self.load_metrics()
        self.load_accuracy()
        self.load_csr()
        self.load_calls()

    @work(thread=True, exclusive=True, group="metrics", exit_on_error=False)
    def load_metrics(self) -> None:
        detail = self._service(metrics_detail, self.ctx, self.login, self.days)
        if detail is not None:
            self.app.call_from_thread(self.show_metrics, detail)

    @work(thread=True, exclusive=True, group="accuracy", exit_on_error=False)
    def load_accuracy(self) -> None:
        versions = self._service(accuracy, self.ctx, self.login, self.days)
        if versions is not None:
            self.app.call_from_thread(self.show_accuracy, versions)

    def show_accuracy(self, versions: list[VersionAccuracy]) -> None:
        self.query_one("#accuracy", Static).update(accuracy_panel(versions, self.days))

    @work(thread=True, exclusive=True, group="csr-report", exit_on_error=False)
    def load_csr(self) -> None:
        rows = self._service(csr_report, self.ctx, self.login, self.days, self.orders[Report.CSR])
        if rows is not None:
            self.app.call_from_thread(self.show_csr, rows)

    @work(thread=True, exclusive=True, group="calls-report", exit_on_error=False)
    def load_calls(self) -> None:
        page = self._service(
            calls_page,
            self.ctx,
            self.login,
            self.days,
            self.orders[Report.CALLS],
            offset=self.calls_offset,
            limit=PAGE,
        )
        if page is not None:
            self.app.call_from_thread(self.show_calls, page)

    def show_metrics(self, detail: MetricsDetail) -> None:
        self.detail = detail
        header = detail.header
        numbers = Text()
        for label, value in (
            ("SCLs Booked", str(header.scls_booked)),
            ("% Increase", f"{header.pct_increase:.2f} %"),
            ("Inbound calls", f"{header.inbound_calls:,}"),
            ("Leads flagged", f"{detail.leads_flagged:,}"),
            ("Open", str(header.open)),
            ("Cold", str(header.cold)),
        ):
            numbers.append(f" {label} ", style="dim")
            numbers.append(value, style="bold")
            numbers.append("  ")
        numbers.append(
            "\n % Increase = SCLs booked / (inbound calls + SCLs booked); Open and Cold "
            "are the queue now.",
            style="dim",
        )
        self.query_one("#numbers", Static).update(numbers)
        self.query_one("#chart", Static).update(chart(detail.buckets, self.days))
        table = Table(title="Leads flagged in the period by status now", title_justify="left")
        table.add_column("Status", min_width=34)
        table.add_column("Leads", justify="right")
        for status, count in detail.by_status:
            table.add_row(Text(status.display_name), Text(str(count)))
        self.query_one("#statuses", Static).update(table)

    def show_csr(self, rows: list[CsrRow]) -> None:
        self.csr_rows = rows
        table = self.query_one("#csr-table", DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                literal(row.login or "—"),
                literal(row.name),
                Text(str(row.inbound_calls)),
                Text(str(row.booked)),
                Text(f"{row.booking_rate:.1f}"),
                Text(str(row.second_chance_leads)),
                Text(str(row.scls_booked)),
            )
        self._label_sorted(Report.CSR, table)

    def show_calls(self, page: CallsPage) -> None:
        self.calls = page
        table = self.query_one("#calls-table", DataTable)
        table.clear()
        for row in page.rows:
            table.add_row(
                literal(row.external_id),
                Text(local(row.started_at, "%m-%d %H:%M")),
                literal(row.direction),
                literal(display_phone(row.customer_phone)),
                literal(row.customer_name or ""),
                literal(row.call_type or ""),
                literal(row.csr or ""),
                Text("yes" if row.job_booked else "no"),
                Text("yes" if row.lead_id is not None else "no"),
                Text(row.scl_status.display_name if row.scl_status else ""),
            )
        self._label_sorted(Report.CALLS, table)
        if page.total:
            first, last = page.offset + 1, page.offset + len(page.rows)
            where = f"Calls {first:,}–{last:,} of {page.total:,}"
        else:
            where = "No calls in this period"
        self.query_one("#calls-page", Static).update(
            Text(f"{where}   ] next page, [ previous", style="dim")
        )

    def action_flag_by_hand(self) -> None:
        """The call under the cursor of the Calls report becomes a lead (status New)."""
        table = self.query_one("#calls-table", DataTable)
        if self.query_one(TabbedContent).active != "calls" or not self.calls or not table.row_count:
            self.notify("Open the Calls report (3) and pick a call first.", markup=False)
            return
        row = self.calls.rows[table.cursor_row]
        if row.lead_id is not None:
            self.notify(f"{row.external_id} is a lead already.", markup=False)
            return
        self._flag(row.external_id)

    @work(thread=True, group="flag", exit_on_error=False)
    def _flag(self, external_id: str) -> None:
        try:
            flag_call(self.ctx, self.login, external_id, None)
        except SclError as error:
            self.app.call_from_thread(
                self.notify, error.message, title=error.title, severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify,
            f"{external_id} is now a lead (New), flagged by hand.",
            title="Flagged",
            markup=False,
        )
        self.app.call_from_thread(self.action_refresh)

    def _label_sorted(self, report: Report, table: DataTable[Any]) -> None:
        order = self.orders[report]
        for column in COLUMNS[report]:
            if column.key in HIDDEN:
                continue
            mark = (" ↓" if order.descending else " ↑") if column.key == order.column else ""
            label = self._label(report, column.label + mark)
            table.columns[column.key].label = Text(label)  # type: ignore[index]
        table.refresh()

    @staticmethod
    def _label(report: Report, label: str) -> str:
        """By CSR, long headers stack their words (\"Second / Chance / Leads\"): side by
        side, the last columns were cut off at 80 columns."""
        if report is not Report.CSR:
            return label
        return "\n".join(textwrap.wrap(label, CSR_HEADER_WIDTH, break_long_words=False))

    def _show_period(self) -> None:
        text = Text(f" Last {self.days} days", style="bold")
        text.append("   p: 7 / 30 / 60 / 90 days   s: sort   e: export CSV", style="dim")
        self.query_one("#period", Static).update(text)

    # --- choosing ---------------------------------------------------------------------

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_cycle_period(self) -> None:
        self.set_period(PERIOD_DAYS[(PERIOD_DAYS.index(self.days) + 1) % len(PERIOD_DAYS)])

    def set_period(self, days: int) -> None:
        self.days = days
        self.calls_offset = 0
        self.action_refresh()

    def action_page(self, step: int) -> None:
        if self.calls is None:
            return
        wanted = self.calls_offset + step * PAGE
        if wanted < 0 or wanted >= max(self.calls.total, 1):
            return
        self.calls_offset = wanted
        self.load_calls()

    def _report_shown(self) -> Report | None:
        active = self.query_one(TabbedContent).active
        return Report(active) if active in (r.value for r in Report) else None

    def action_sort(self) -> None:
        report = self._report_shown()
        if report is None:
            self.notify("Sorting is for the reports: press 2 or 3 first.", severity="warning")
            return
        order = self.orders[report]
        choices = []
        for column in COLUMNS[report]:
            arrow = ""
            if column.key == order.column:
                arrow = "  (now; again to reverse)"
            choices.append((column.key, column.label + arrow))

        def chosen(key: str | None) -> None:
            if key is not None:
                self.sort_by(report, key)

        self.app.push_screen(ChoiceModal(f"Sort {report.title} by:", choices), chosen)

    @on(DataTable.HeaderSelected)
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        report = Report.CSR if event.data_table.id == "csr-table" else Report.CALLS
        if event.column_key.value is not None:
            self.sort_by(report, event.column_key.value)

    def sort_by(self, report: Report, key: str) -> None:
        """The column chosen again turns the order round; another starts in its own
        natural direction (largest numbers and newest times first, text from A)."""
        current = self.orders[report]
        if key == current.column:
            self.orders[report] = Order(key, not current.descending)
        else:
            self.orders[report] = Order.parse(report, key)
        if report is Report.CSR:
            self.load_csr()
        else:
            self.calls_offset = 0
            self.load_calls()

    # --- export -----------------------------------------------------------------------

    def action_export(self) -> None:
        report = self._report_shown()
        if report is None:
            self.notify("Export is for the reports: press 2 or 3 first.", severity="warning")
            return
        self.notify(f"Exporting {report.title}…", markup=False)
        self.export(report, self.days, self.orders[report])

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, report: Report, days: int, order: Order) -> None:
        saved = self._service(export_to_file, self.ctx, self.login, report, days, order)
        if saved is not None:
            path, count = saved
            self.app.call_from_thread(self.show_exported, report, path, count)

    def show_exported(self, report: Report, path: Any, count: int) -> None:
        message = f"{report.title}: {count:,} row{'' if count == 1 else 's'} saved to {path}"
        self.query_one("#exported", Static).update(literal(message))
        self.notify(message, title="Exported", markup=False, timeout=10)

    def action_leave(self) -> None:
        self.app.pop_screen()
        # The leads underneath missed what changed meanwhile (a booking closes leads).
        below = self.app.screen
        if isinstance(below, LeadsScreen):
            below.post_message(LeadsScreen.LeadsChanged([]))


def chart(buckets: tuple[PeriodBucket, ...], days: int) -> Text:
    """One line per bar of the period: inbound calls, leads flagged, SCLs booked, each
    scaled to its own largest bar so a quiet week still shows."""
    text = Text(f"By {'day' if days <= 7 else 'week'}\n", style="bold")
    series = (
        ("calls", [b.inbound_calls for b in buckets], "cyan"),
        ("leads", [b.leads_flagged for b in buckets], "yellow"),
        ("SCLs booked", [b.scls_booked for b in buckets], "green"),
    )
    for i, bucket in enumerate(buckets):
        text.append(f"{local(bucket.start, '%b %d')}–{local(bucket.end, '%b %d')} ", style="dim")
        for name, values, colour in series:
            text.append(bar(values[i], max(values), BAR if name == "calls" else BAR // 2), colour)
            text.append(f" {values[i]:>5} {name}  ")
        text.append("\n")
    return text


def bar(value: int, largest: int, width: int) -> str:
    """A bar `width` cells long at `largest`, in eighths of a cell; any non-zero value
    shows at least a sliver."""
    if largest <= 0 or value <= 0:
        return " " * width
    eighths = max(1, round(value * width * 8 / largest))
    full, part = divmod(eighths, 8)
    drawn = "█" * full + (EIGHTHS[part] if part else "")
    return drawn.ljust(width)


def accuracy_panel(versions: list[VersionAccuracy], days: int) -> Text:
    """How right each classifier version has been, as agents decided, and the leads it
    missed; a bar per week for the trend."""
    text = Text(f"\nClassifier accuracy, last {days} days (as agents decided)\n", style="bold")
    if not versions:
        return text.append("No reviewed calls in this period.", style="dim")
    for v in versions:
        c = v.counts
        name = f"{v.classifier} {v.version}" if v.version else v.classifier
        precision = f"{c.precision:.0%}" if c.precision is not None else "—"
        text.append(f"{name}: ", style="bold")
        text.append(
            f"{c.flagged} flagged, {c.decided} decided by agents ({c.confirmed} confirmed, "
            f"{c.rejected} not a lead): precision {precision}; "
            f"{c.missed} missed lead{'s' if c.missed != 1 else ''} found\n"
        )
        for week in v.weeks:
            w = week.counts
            shown = f"{w.precision:.0%}" if w.precision is not None else "—"
            text.append(
                f"  week of {local(week.start, '%b %d')}: {w.flagged:3} flagged, "
                f"{w.decided:3} decided, precision {shown:>4}, {w.missed} missed\n",
                style="dim",
            )
    return text
