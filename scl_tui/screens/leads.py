"""The leads screen: metrics line, Open / Cold / Done tabs, the selected lead's review."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from core.domain.phones import display_phone
from core.domain.statuses import Tab
from core.services.leads import get_review, list_leads, tab_counts
from core.services.metrics import metrics
from core.services.views import LeadReview, LeadRow, Metrics, TabCounts

PAGE = 200


class LeadsScreen(Screen[None]):
    CSS_PATH = "leads.tcss"
    BINDINGS = [
        Binding("1", "show_tab('open')", "Open", id="tab_open", tooltip="The Open tab"),
        Binding("2", "show_tab('cold')", "Cold", id="tab_cold", tooltip="The Cold tab"),
        Binding("3", "show_tab('done')", "Done", id="tab_done", tooltip="The Done tab"),
        Binding("r", "refresh", "Refresh", id="refresh", tooltip="Read the leads again"),
    ]

    def __init__(self, *, open_lead: str | None = None) -> None:
        super().__init__()
        self.open_lead = open_lead
        self.rows: dict[Tab, list[LeadRow]] = {tab: [] for tab in Tab}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="metrics")
        with Horizontal():
            with TabbedContent(id="tabs"):
                for tab in Tab:
                    with TabPane(tab.display_name, id=f"tab-{tab.value}"):
                        yield DataTable(id=f"table-{tab.value}", cursor_type="row")
            with VerticalScroll(id="review"):
                yield Static("Pick a lead to review it.", id="review-body")
        yield Footer()

    def on_mount(self) -> None:
        for tab in Tab:
            table = self.query_one(f"#table-{tab.value}", DataTable)
            table.add_columns("Phone", "Customer", "Flagged", "Status", "Reason")
        self.action_refresh()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"

    def action_refresh(self) -> None:
        self.load_leads()
        if self.open_lead:
            self.load_review(self.open_lead)

    @work(thread=True, exclusive=True, group="leads", exit_on_error=False)
    def load_leads(self) -> None:
        app = self.app
        ctx, login = app.ctx, app.login  # type: ignore[attr-defined]
        try:
            counts = tab_counts(ctx, login)
            numbers = metrics(ctx, login, 30)
            pages = {tab: list_leads(ctx, login, tab, limit=PAGE).rows for tab in Tab}
        except Exception as error:  # shown, never raised into the UI
            app.call_from_thread(app.show_error, error)  # type: ignore[attr-defined]
            return
        app.call_from_thread(self.show_leads, counts, numbers, pages)

    def show_leads(
        self, counts: TabCounts, numbers: Metrics, pages: dict[Tab, list[LeadRow]]
    ) -> None:
        self.query_one("#metrics", Static).update(
            Text(
                f" SCLs booked (30 days): {numbers.scls_booked}   "
                f"% Increase: {numbers.pct_increase:.2f} %   "
                f"Inbound calls: {numbers.inbound_calls}   "
                f"Open: {counts.open}   Cold: {counts.cold}   Done: {counts.done}"
            )
        )
        tabs = self.query_one(TabbedContent)
        for tab in Tab:
            self.rows[tab] = pages[tab]
            tabs.get_tab(
                f"tab-{tab.value}"
            ).label = f"{tab.display_name} ({getattr(counts, tab.value)})"
            table = self.query_one(f"#table-{tab.value}", DataTable)
            table.clear()
            for row in pages[tab]:
                table.add_row(
                    display_phone(row.customer_phone),
                    Text(row.customer_name or ""),
                    row.flagged_at.astimezone().strftime("%b %d %H:%M"),
                    row.status.display_name,
                    Text(row.reason or ""),
                    key=str(row.lead_id),
                )

    def active_table(self) -> DataTable:
        pane = self.query_one(TabbedContent).active  # "tab-open" …
        return self.query_one(f"#table-{pane.removeprefix('tab-')}", DataTable)

    @on(DataTable.RowHighlighted)
    def lead_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Filling the hidden tabs highlights their rows too: follow the visible one only.
        if event.data_table is self.active_table() and event.row_key.value is not None:
            self.load_review(event.row_key.value)

    @on(TabbedContent.TabActivated)
    def tab_switched(self) -> None:
        table = self.active_table()
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.load_review(key)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load_review(self, lead_ref: str) -> None:
        app = self.app
        try:
            review = get_review(app.ctx, app.login, lead_ref)  # type: ignore[attr-defined]
        except Exception as error:
            app.call_from_thread(app.show_error, error)  # type: ignore[attr-defined]
            return
        app.call_from_thread(self.show_review, review)

    def show_review(self, review: LeadReview) -> None:
        self.query_one("#review-body", Static).update(render_review(review))


def render_review(review: LeadReview) -> Text:
    """The review as plain Text: call text is appended literally, never parsed as markup."""
    row = review.row
    out = Text()
    out.append(f"{display_phone(row.customer_phone)}", style="bold")
    if row.customer_name:
        out.append("  ")
        out.append(row.customer_name)
    out.append(f"\n{row.call_started_at.astimezone():%a %b %d %Y %H:%M}  ")
    out.append(row.call_type or "")
    out.append(f"  CSR: {row.csr_name or '—'}\n")
    out.append(f"Status: {row.status.display_name}\n\n", style="italic")
    out.append("CSR notes: ", style="bold")
    out.append(f"{review.csr_notes or '—'}\n\n")
    out.append("AI summary (AI-generated, not reviewed by a person)\n", style="bold")
    out.append(f"{review.summary or '—'}\n\n")
    out.append("Transcript\n", style="bold")
    for segment in review.transcript:
        marker = "▌" if segment.index in review.evidence else " "
        minutes, seconds = divmod(int(segment.start), 60)
        out.append(f"{marker}{minutes:02d}:{seconds:02d} {segment.speaker:<8} ")
        out.append(f"{segment.text}\n")
    if review.notes:
        out.append("\nNotes\n", style="bold")
        for note in review.notes:
            out.append(f"{note.created_at.astimezone():%b %d %H:%M} {note.author}: ")
            out.append(f"{note.text}\n")
    return out
