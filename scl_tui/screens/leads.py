"""The leads screen: metrics, Open / Cold / Done, the table, the review pane, triage keys.

Every read and every action is a service call in a thread worker; the screen only
renders frozen results. The table holds one page from the database at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static, Tab, Tabs

from core.domain.metrics import PERIOD_DAYS
from core.domain.notifications import one_line
from core.domain.phones import display_phone
from core.domain.statuses import TAB_FILTERS, DismissReason, LeadStatus
from core.domain.statuses import Tab as LeadTab
from core.domain.transitions import manual_change_refusal
from core.services import review as actions
from core.services.errors import StatusRefused
from core.services.leads import get_review, list_leads, tab_counts
from core.services.metrics import metrics
from core.services.notifications import InAppNotice
from core.services.settings import get_settings
from core.services.transcription import TranscriptOrigin, transcript_origin
from core.services.views import ActionResult, Cursor, LeadReview, LeadRow, Metrics, TabCounts
from scl_tui.screens.base import AppScreen
from scl_tui.screens.choice import ChoiceModal
from scl_tui.screens.help import HelpScreen
from scl_tui.screens.note import NoteDraft, NoteModal
from scl_tui.text import (
    brief_reason,
    literal,
    local,
    span,
    use_zone,
    zone_label,
    zone_name,
)
from scl_tui.widgets.review_pane import ReviewPane

PAGE = 100
# What an agent triages by comes first (beside the review pane at 140 columns: phone,
# status, age, cold-in and most of the reason); the rest is in the review pane too.
COLUMNS = (  # label, key, width (fixed: the table never reflows as rows arrive)
    ("Phone", "phone", 14),
    ("Status", "status", 19),
    ("Age", "age", 7),
    ("Cold in", "cold", 7),
    ("Reason", "reason", 40),
    ("Customer", "customer", 16),
    ("When", "when", 12),
    ("Type", "type", 9),
    ("CSR", "csr", 13),
)
NARROW = 120  # below this width the review pane sits under the table
COMPACT_HEIGHT = 30  # up to this height (below NARROW wide) notices take a line, not a toast
TICK_SECONDS = 20.0  # Age and Cold in move on screen at least once a minute


@dataclass(frozen=True)
class Landing:
    """Where the cursor goes when the page asked for arrives: on a lead if it is there,
    else on a row. Without one, a page read again keeps the selected lead."""

    lead: int | None = None
    row: int | None = None


class LeadsScreen(AppScreen):
    CSS_PATH = "leads.tcss"
    BINDINGS = [
        # ? first: the footer cuts from the right on a narrow terminal, and ? finds the rest.
        Binding("question_mark", "help", "Keys", id="help", key_display="?", tooltip="Every key"),
        Binding("1", "show_tab('open')", "Open", id="tab_open", tooltip="The Open tab"),
        Binding("2", "show_tab('cold')", "Cold", id="tab_cold", tooltip="The Cold tab"),
        Binding("3", "show_tab('done')", "Done", id="tab_done", tooltip="The Done tab"),
        Binding("d", "dismiss_lead", "Dismiss", id="dismiss", tooltip="Dismiss with a reason"),
        Binding(
            "c",
            "call_back",
            "Call back",
            id="call_back",
            tooltip="Call the customer back (status: Call Back Attempted)",
        ),
        Binding("s", "set_status", "Status", id="set_status", tooltip="Set the status by hand"),
        Binding("n", "add_note", "Note", id="add_note", tooltip="Add a note to the lead"),
        Binding(
            "slash",
            "search",
            "Search",
            id="search",
            key_display="/",
            tooltip="Search the transcript",
        ),
        Binding(
            "space",
            "player_toggle",
            "Play",
            id="player_play",
            key_display="space",
            tooltip="Play or pause the call's recording",
        ),
        Binding(
            "comma",
            "player_skip(-5)",
            "-5s",
            id="player_back",
            show=False,  # in ? (player group): the triage keys keep the footer
            key_display=",",
            tooltip="Back 5 seconds in the recording",
        ),
        Binding(
            "full_stop",
            "player_skip(5)",
            "+5s",
            id="player_forward",
            show=False,  # in ? (player group): the triage keys keep the footer
            key_display=".",
            tooltip="Forward 5 seconds in the recording",
        ),
        Binding(
            "x",
            "player_speed",
            "Speed",
            id="player_speed",
            show=False,  # in ? (player group): the triage keys keep the footer
            tooltip="Playback speed 1×, 1.5×, 2×",
        ),
        Binding(
            "t",
            "player_jump",
            "Line",
            id="player_jump",
            show=False,  # in ? (player group): the triage keys keep the footer
            tooltip="Play from the selected transcript line (click it or find it with /)",
        ),
        Binding(
            "e",
            "player_export",
            "Export",
            id="player_export",
            show=False,  # in ? (player group): the triage keys keep the footer
            tooltip="Export the recording to a file (path copied; sent to the browser)",
        ),
        Binding(
            "right_square_bracket",
            "next_match",
            "Next match",
            id="next_match",
            key_display="]",
            show=False,
            tooltip="Next transcript match",
        ),
        Binding(
            "left_square_bracket",
            "previous_match",
            "Previous match",
            id="previous_match",
            key_display="[",
            show=False,
            tooltip="Previous transcript match",
        ),
        Binding("j", "next_lead", "Next", id="next_lead", show=False, tooltip="Next lead"),
        Binding(
            "k",
            "previous_lead",
            "Previous",
            id="previous_lead",
            show=False,
            tooltip="Previous lead",
        ),
        Binding(
            "v",
            "cycle_status_filter",
            "Filter status",
            id="status_filter",
            tooltip="Show one status of this tab, then the next, then all",
        ),
        Binding(
            "f", "filter", "Filter", id="filter", tooltip="Narrow the table by phone, CSR or text"
        ),
        Binding(
            "p", "cycle_period", "Period", id="period", tooltip="Metrics over 7, 30, 60 or 90 days"
        ),
        Binding("r", "refresh", "Refresh", id="refresh", tooltip="Read the leads again"),
        Binding(
            "enter",
            "open_review",
            "Open",
            id="open_review",
            show=False,
            tooltip="Open the selected lead's review (narrow screens)",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="back",
            show=False,
            tooltip="Close the search or the review",
        ),
        Binding(
            "g",
            "goto_new_lead",
            "Go to new lead",
            id="goto_new_lead",
            show=False,
            tooltip="Open the newest lead announced in a toast",
        ),
    ]

    class LeadsChanged(Message):
        """Leads changed elsewhere (the worker, another agent): read them again."""

        def __init__(
            self, flagged: list[tuple[int, str]], notices: Sequence[InAppNotice] = ()
        ) -> None:
            super().__init__()
            self.flagged = flagged  # (lead id, phone) of newly flagged leads
            self.notices = list(notices)  # this employee's in-app notices, taken to toast

    def __init__(self, *, open_lead: str | None = None) -> None:
        super().__init__()
        self.open_lead = open_lead
        self.tab = LeadTab.OPEN
        self.status_filter: LeadStatus | None = None
        self.text_filter = ""
        self.days = 30
        self.pages: list[Cursor | None] = [None]  # start cursor of each page seen
        self.next_cursor: Cursor | None = None
        self.rows: tuple[LeadRow, ...] = ()
        self.review: LeadReview | None = None
        # The selection is a lead, not a row: rows shift as leads arrive and leave, and
        # the review and every action must stay on the lead the agent chose.
        self.selected_id: int | None = None
        self._review_wanted: str | None = None  # the lead whose review was asked for last
        self._landing: Landing | None = None  # where the next page shown puts the cursor
        self._loads = 0  # the page asked for last: an older answer is out of date
        # The lead just called back stays in view (at its row) while the agent is on it,
        # though a status filter no longer lists it.
        self._pinned: tuple[int, LeadRow] | None = None
        self._numbers_waiting = False  # counts and metrics wait for the first review
        self._box_opening: Input | None = None  # the filter or search box asked for
        self._notice_serial = 0  # the notice line shown last (an older timer leaves it)
        self._zone = zone_name()  # the company's time zone as last read ("": the host's)

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="metrics")
        yield Tabs(*(Tab(t.display_name, id=t.value) for t in LeadTab), id="tabs")
        yield Static(id="filters")
        yield Input(
            placeholder="Filter by phone, CSR or text; Enter applies, Esc clears", id="filter-input"
        )
        with Horizontal(id="body"):
            yield DataTable(id="leads", cursor_type="row", zebra_stripes=True)
            yield ReviewPane(id="review")
        yield Static(id="notice")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#leads", DataTable)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self._layout_for(self.app.size.width)
        table.focus()  # arrows move the cursor from the first key on
        # First the page and its first review, then the counts and metrics: on a large
        # database their queries would slow what the agent needs first.
        self._numbers_waiting = True
        self._load(self.pages[-1])
        if self.open_lead:
            self.find_lead(self.open_lead)
        self.set_interval(TICK_SECONDS, self.tick)

    def on_resize(self) -> None:
        self._layout_for(self.size.width)

    def _layout_for(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    # --- reading ----------------------------------------------------------------------

    def compact(self) -> bool:
        """A small terminal (80×24): a toast would cover the rows or the review's top."""
        return self.size.width < NARROW and self.size.height <= COMPACT_HEIGHT

    def show_notice(self, message: str, title: str, severity: str, timeout: float) -> None:
        """On a small terminal notices take a line of their own above the footer, so the
        table and the review move up a line instead of being covered; the newest shows."""
        line = Text()
        if title:
            line.append(f"{title}: ", style="bold")
        line.append(" ".join(message.split()))
        notice = self.query_one("#notice", Static)
        notice.update(line)
        notice.set_class(severity == "warning", "-warning")
        notice.set_class(severity == "error", "-error")
        self.add_class("-noticing")
        self._notice_serial += 1
        serial = self._notice_serial
        self.set_timer(timeout, lambda: self._notice_over(serial))

    def _notice_over(self, serial: int) -> None:
        if serial == self._notice_serial:
            self.remove_class("-noticing")

    def action_refresh(self) -> None:
        self._load(self.pages[-1])
        self.load_numbers()

    def _load(self, start: Cursor | None, landing: Landing | None = None) -> None:
        """Ask for a page. A landing asked for stays until a page shows it: a refresh
        that overtakes the page of an action must still land where the action meant."""
        if landing is not None:
            self._landing = landing
        self._loads += 1
        self.load_leads(start, self._loads)

    @work(thread=True, exclusive=True, group="leads", exit_on_error=False)
    def load_leads(self, start: Cursor | None, token: int | None = None) -> None:
        """One page of the table: the first thing an agent needs, so it comes alone."""
        page = self._service(
            list_leads,
            self.ctx,
            self.login,
            self.tab,
            self.status_filter,
            limit=PAGE,
            after=start,
            search=self.text_filter or None,
        )
        if page is not None:
            self.app.call_from_thread(self.show_leads, page.rows, page.next_cursor, token)

    @work(thread=True, exclusive=True, group="numbers", exit_on_error=False)
    def load_numbers(self) -> None:
        """The tab counts and the metrics; tabs, filters and pages do not change them."""
        counts = self._service(tab_counts, self.ctx, self.login)
        numbers = self._service(metrics, self.ctx, self.login, self.days)
        settings = self._service(get_settings, self.ctx)
        if counts is not None and numbers is not None and settings is not None:
            self.app.call_from_thread(self._show_zone, settings.timezone)
            self.app.call_from_thread(self._show_metrics, counts, numbers, settings.enabled)

    def show_leads(
        self, rows: tuple[LeadRow, ...], next_cursor: Cursor | None, token: int | None = None
    ) -> None:
        if token is not None and token != self._loads:
            return  # a thread is not stopped when a newer page is asked for: drop its page
        before = self.rows
        landing, self._landing = self._landing, None
        self.rows = self._with_pinned(rows)
        self.next_cursor = next_cursor
        position, gone = self._landing_row(landing, before)
        now = self.ctx.clock.now()
        table = self.query_one("#leads", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row, now), key=str(row.lead_id))
        if self.rows:
            table.move_cursor(row=position, animate=False)
            self._select(self.rows[position])
        else:
            self.selected_id = None
            self.review = None
            self.query_one(ReviewPane).empty()
            self._load_waiting_numbers()  # no lead to review: nothing to wait for
        if gone is not None:
            self.tell_left(gone, self.rows[position] if self.rows else None)
        self._show_filters()

    def _with_pinned(self, rows: tuple[LeadRow, ...]) -> tuple[LeadRow, ...]:
        if self._pinned is None:
            return rows
        position, pinned = self._pinned
        if pinned.lead_id != self.selected_id:
            self._pinned = None  # the agent moved on
            return rows
        if any(row.lead_id == pinned.lead_id for row in rows):
            return rows
        return (*rows[:position], pinned, *rows[position:])

    def _landing_row(
        self, landing: Landing | None, before: tuple[LeadRow, ...]
    ) -> tuple[int, LeadRow | None]:
        """The row to select in the new page, and the selected lead if it left the list
        on its own (another agent, another process) — to be told."""
        ids = [row.lead_id for row in self.rows]
        last = max(len(ids) - 1, 0)
        if landing is not None and landing.lead in ids:
            return ids.index(landing.lead), None  # type: ignore[arg-type]
        if landing is not None and landing.row is not None:
            return min(landing.row, last), None
        if self.selected_id in ids:
            return ids.index(self.selected_id), None  # type: ignore[arg-type]
        was = next((i for i, row in enumerate(before) if row.lead_id == self.selected_id), None)
        if was is None:
            return 0, None
        # Gone: the lead that followed it takes its place (or, at the end, the one before).
        for row in (*before[was + 1 :], *reversed(before[:was])):
            if row.lead_id in ids:
                return ids.index(row.lead_id), before[was]
        return 0, before[was]

    def _select(self, row: LeadRow) -> None:
        """The agent is on this lead now: its review is read (again: it may have changed)."""
        if row.lead_id != self.selected_id:
            self.selected_id = row.lead_id
            player = self.query_one(ReviewPane).player
            if player.lead_id is not None and player.lead_id != row.lead_id:
                player.stop()  # another lead: its recording must not play on
            # Until its review arrives the pane names this lead, never the last one.
            self.query_one(ReviewPane).expect(row)
        self.load_review(str(row.lead_id))

    @work(thread=True, group="left", exit_on_error=False)
    def tell_left(self, gone: LeadRow, now_on: LeadRow | None) -> None:
        """The lead the agent was on left this list: say which, what became of it, and
        which lead is selected now (an action must never land on a lead unawares)."""
        try:
            found: LeadReview | None = get_review(self.ctx, self.login, gone.lead_id)
        except Exception:  # gone for good, or no longer ours to read: say what we know
            found = None
        what = "changed elsewhere"
        if found is not None and found.row.status is not gone.status:
            what = f"now {found.row.status.display_name}"
            if found.history:
                what += f" (by {found.history[-1].actor})"
        elif found is not None:
            what = "moved to another page as newer leads came in"
        message = f"Lead {gone.lead_id} {display_phone(gone.customer_phone)}"
        if gone.customer_name:
            message += f" {gone.customer_name}"
        message += f" left this list: {what}."
        if now_on is not None:
            message += (
                f"\nNow on lead {now_on.lead_id} {display_phone(now_on.customer_phone)}"
                + (f" {now_on.customer_name}" if now_on.customer_name else "")
                + "."
            )
        self.app.call_from_thread(
            self.notify,
            message,
            title="The lead you were on left the list",
            severity="warning",
            markup=False,
            timeout=12,
        )

    def tick(self) -> None:
        """Time moves on an open screen: Age and Cold in are redrawn from the clock, and
        a lead that has gone Cold meanwhile sends the list to be read again (the Open tab
        loses it, the Cold tab gains it; the selection follows the lead as ever)."""
        now = self.ctx.clock.now()
        table = self.query_one("#leads", DataTable)
        for row in self.rows:
            cells = self._cells(row, now)
            try:
                table.update_cell(str(row.lead_id), "age", cells[2])
                table.update_cell(str(row.lead_id), "cold", cells[3])
            except Exception:  # the table is being refilled: the new page is current
                return
        if self.tab is LeadTab.OPEN and any(
            row.cold_at is not None and row.cold_at <= now for row in self.rows
        ):
            self.action_refresh()
        else:
            self.load_numbers()  # a lead of another page may have gone Cold: the counts

    def _cells(self, row: LeadRow, now: Any) -> list[Text]:
        """Every cell a Text: DataTable parses a plain str cell as markup."""
        cold = span(row.cold_at - now) if row.cold_at and row.cold_at > now else "—"
        return [
            literal(display_phone(row.customer_phone)),
            Text(row.status.short_name),
            Text(span(now - row.flagged_at)),
            Text(cold),
            self._reason_cell(row),
            literal(row.customer_name or ""),
            Text(local(row.call_started_at)),
            literal(row.call_type or ""),
            literal(row.csr_name or ""),
        ]

    @staticmethod
    def _reason_cell(row: LeadRow) -> Text:
        """The reason; "?" before it when the classifier was unsure (check this one)."""
        cell = Text("? ", style="bold yellow") if row.uncertain else Text()
        return cell.append_text(literal(brief_reason(row.reason)))

    def _show_zone(self, timezone: str) -> None:
        """Times are shown in the company's zone, named in the header; a zone changed
        in the settings redraws the times."""
        if timezone != self._zone:
            self._zone = timezone
            use_zone(timezone)
            self.action_refresh()
        self.sub_title = f"times in {zone_label(self.ctx.clock.now())}"

    def _show_metrics(self, counts: TabCounts, numbers: Metrics, enabled: bool = True) -> None:
        bar = Text()
        bar.append(" SCLs Booked ", style="dim")
        bar.append(str(numbers.scls_booked), style="bold")
        bar.append("   % Increase ", style="dim")
        bar.append(f"{numbers.pct_increase:.2f} %", style="bold")
        bar.append(f"   last {numbers.days} days (p)", style="dim")
        bar.append("   Open ", style="dim")
        bar.append(str(counts.open), style="bold")
        bar.append("   Cold ", style="dim")
        bar.append(str(counts.cold), style="bold")
        if not enabled:  # or agents wait for leads that never come
            bar.append("   SCL is OFF: ", style="bold yellow")
            bar.append("no call is reviewed until an administrator turns it on (o)", style="yellow")
        self.query_one("#metrics", Static).update(bar)
        tabs = self.query_one(Tabs)
        for tab in LeadTab:
            tabs.query_one(
                f"#{tab.value}", Tab
            ).label = f"{tab.display_name} ({getattr(counts, tab.value)})"
        # Tabs places the underline after the next refresh, which can come before the
        # wider label is laid out (it stayed under "Open" of "Open (12)"): once more later.
        self.set_timer(0.1, self._underline_active_tab)

    def _underline_active_tab(self) -> None:
        found = self.query(Tabs)  # the timer may fire while the screen is torn down
        if not found:
            return
        tabs = found.first()
        if tabs.active_tab is not None:
            tabs.post_message(Tab.Relabelled(tabs.active_tab))

    def _show_filters(self) -> None:
        parts = [f"Showing: {self.status_filter.display_name if self.status_filter else 'all'}"]
        if self.text_filter:
            parts.append(f"filter “{self.text_filter}”")
        page = len(self.pages)
        more = " (more: ↓ past the last row)" if self.next_cursor else ""
        count = len(self.rows)
        parts.append(f"page {page}, {count} lead{'' if count == 1 else 's'}{more}")
        self.query_one("#filters", Static).update(literal("   ".join(parts), "dim"))

    @on(DataTable.RowHighlighted, "#leads")
    def lead_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Only the agent's own moves: a highlight posted while the table was refilled
        # names a row that is no longer under the cursor.
        table = event.data_table
        if event.cursor_row != table.cursor_row or not 0 <= event.cursor_row < len(self.rows):
            return
        row = self.rows[event.cursor_row]
        if str(row.lead_id) == event.row_key.value and row.lead_id != self.selected_id:
            self._select(row)

    def load_review(self, lead_ref: str) -> None:
        self._review_wanted = lead_ref
        self._fetch_review(lead_ref)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def _fetch_review(self, lead_ref: str) -> None:
        found = self._service(get_review, self.ctx, self.login, lead_ref)
        origin = None
        if found is not None:  # a machine-made transcript says by what
            origin = self._service(transcript_origin, self.ctx, found.call_id)
        self.app.call_from_thread(self._review_arrived, lead_ref, found, origin)

    def _review_arrived(
        self, lead_ref: str, found: LeadReview | None, origin: TranscriptOrigin | None = None
    ) -> None:
        # A thread is not stopped when a newer pick supersedes it: a slow answer for the
        # lead the cursor has left must not replace the review of the one it is on.
        if lead_ref != self._review_wanted:
            return
        if found is not None:
            self.show_review(found, origin)
        else:
            self._load_waiting_numbers()

    def show_review(self, found: LeadReview, origin: TranscriptOrigin | None = None) -> None:
        if found.row.lead_id != self.selected_id:
            return  # the review pane shows the lead the actions act on, or none
        self.review = found
        self.query_one(ReviewPane).show(found, origin)
        self._load_waiting_numbers()

    def _load_waiting_numbers(self) -> None:
        if self._numbers_waiting:
            self._numbers_waiting = False
            self.load_numbers()

    # --- moving around ----------------------------------------------------------------

    @on(Tabs.TabActivated, "#tabs")
    def tab_activated(self, event: Tabs.TabActivated) -> None:
        chosen = LeadTab(event.tab.id)
        if chosen is not self.tab:
            self.tab = chosen
            self.status_filter = None
            self._restart()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(Tabs).active = tab

    def action_cycle_status_filter(self) -> None:
        choices: list[LeadStatus | None] = [None, *TAB_FILTERS[self.tab]]
        self.status_filter = choices[(choices.index(self.status_filter) + 1) % len(choices)]
        self._restart()

    def action_filter(self) -> None:
        box = self.query_one("#filter-input", Input)
        box.value = self.text_filter
        self.add_class("-filtering")
        self._box_opening = box
        box.focus()

    @on(Input.Submitted, "#filter-input")
    def filter_submitted(self, event: Input.Submitted) -> None:
        self.text_filter = event.value.strip()
        self.remove_class("-filtering")
        self.query_one("#leads", DataTable).focus()
        self._restart()

    def action_cycle_period(self) -> None:
        self.set_period(PERIOD_DAYS[(PERIOD_DAYS.index(self.days) + 1) % len(PERIOD_DAYS)])

    def set_period(self, days: int) -> None:
        self.days = days
        self.load_numbers()

    def jump_to(self, row: LeadRow) -> None:
        """Show a lead found elsewhere (a notification, the command palette): its tab,
        filtered to its phone, the cursor on it."""
        self.text_filter = display_phone(row.customer_phone)
        self.status_filter = None
        self.tab = row.tab
        self.query_one(Tabs).active = row.tab.value
        self._restart(Landing(lead=row.lead_id, row=0))

    @work(thread=True, group="find", exit_on_error=False)
    def find_lead(self, lead_ref: str) -> None:
        found = self._service(get_review, self.ctx, self.login, lead_ref)
        if found is not None:
            self.app.call_from_thread(self.jump_to, found.row)

    def toast_new_leads(self, notices: list[InAppNotice], *, waiting: bool = False) -> None:
        """This employee's in-app notices (if they chose in-app), taken from the outbox by
        the app's change follower: taken means delivered, so each shows in one app once.
        Several at once (a busy night, waiting when the app opens) make one summary, not
        a stack of toasts over the review."""
        newest = notices[-1]
        if len(notices) > (1 if waiting else 3):
            since = " since you last looked" if waiting else ""
            self.notify(
                f"{len(notices)} new leads{since} — g to see them",
                title="New Second Chance Leads",
                markup=False,
                timeout=15,
            )
            self.announced_lead = None
            self.announced_many = True
            return
        for notice in notices:  # a few leads flagged just now: each is named
            who = f"{notice.customer_name} {notice.phone}" if notice.customer_name else notice.phone
            hint = "Press g to open it." if notice is newest else f"scl open {notice.lead_id}"
            self.notify(
                f"{who}\n{one_line(notice.reason or '', 120)}\n{hint}",
                title=f"New Second Chance Lead {notice.lead_id}",
                markup=False,
                timeout=15,
            )
        self.announced_lead = newest.lead_id
        self.announced_many = False

    def action_goto_new_lead(self) -> None:
        if self.announced_many:  # the Open tab's New leads, newest first
            self.announced_many = False
            self.text_filter = ""
            self.status_filter = LeadStatus.NEW
            self.tab = LeadTab.OPEN
            self.query_one(Tabs).active = LeadTab.OPEN.value
            self._restart(Landing(row=0))
            return
        if self.announced_lead is None:
            self.notify("No new lead has been announced since the app opened.", markup=False)
            return
        self.find_lead(str(self.announced_lead))

    def _restart(self, landing: Landing | None = None) -> None:
        """Another list (tab, filter): the selected lead stays selected if it is in it."""
        self.pages = [None]
        self._pinned = None
        self._load(None, landing or Landing(lead=self.selected_id, row=0))
        self._show_filters()

    def action_next_lead(self) -> None:
        table = self.query_one("#leads", DataTable)
        if table.cursor_row >= table.row_count - 1 and self.next_cursor is not None:
            self.pages.append(self.next_cursor)
            self._pinned = None
            self._load(self.next_cursor, Landing(row=0))
        else:
            table.action_cursor_down()

    def action_previous_lead(self) -> None:
        table = self.query_one("#leads", DataTable)
        if table.cursor_row == 0 and len(self.pages) > 1:
            self.pages.pop()
            self._pinned = None
            self._load(self.pages[-1], Landing(row=PAGE - 1))
        else:
            table.action_cursor_up()

    def _opening_box(self) -> Input | None:
        """The filter or search box that was just asked for but has no focus yet (once
        it had focus, keys elsewhere are keys: ] after a search steps the matches)."""
        box = self._box_opening
        if box is None:
            return None
        still = self.has_class("-filtering") or self.query_one(ReviewPane).has_class("-searching")
        if self.focused is box or not still:
            self._box_opening = None
            return None
        return box

    def on_key(self, event: Any) -> None:
        # Focus moves to a box a moment after `f` or `/`: what is typed meanwhile (tmux
        # and SSH deliver a fast typist's keys at once) goes into the box, not to the keys.
        box = self._opening_box()
        if box is not None and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            box.insert_text_at_cursor(event.character)
            return
        # Down past the last row (or up past the first) turns the page.
        table = self.query_one("#leads", DataTable)
        if (
            self.focused is table
            and event.key == "down"
            and table.row_count
            and (table.cursor_row >= table.row_count - 1 and self.next_cursor is not None)
        ):
            event.stop()
            self.action_next_lead()
        elif (
            self.focused is table
            and event.key == "up"
            and table.cursor_row == 0
            and (len(self.pages) > 1)
        ):
            event.stop()
            self.action_previous_lead()

    @on(DataTable.RowSelected, "#leads")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the table is the table's own key: it opens the review all the same.
        self.action_open_review()

    def action_open_review(self) -> None:
        pane = self.query_one(ReviewPane)
        if pane.has_class("-searching") and self.focused is pane:
            pane.step(1)  # Enter after a search: the next match, as in the box
            return
        self.add_class("-reviewing")
        pane.focus()

    def action_back(self) -> None:
        pane = self.query_one(ReviewPane)
        if pane.has_class("-searching"):
            pane.close_search()
        elif self.has_class("-filtering"):
            self.remove_class("-filtering")
            if self.text_filter:  # Esc clears, as the box says
                self.text_filter = ""
                self._restart()
        else:
            self.remove_class("-reviewing")
        self.query_one("#leads", DataTable).focus()

    # --- search -----------------------------------------------------------------------

    def action_search(self) -> None:
        if self.review is not None:
            self.add_class("-reviewing")
            pane = self.query_one(ReviewPane)
            self._box_opening = pane.query_one("#search", Input)
            pane.open_search()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        """The matches are found: the box stays in view with its count, and the keys go
        back to the review, so ] and [ step through the matches (not into the box) and
        the arrows scroll it."""
        pane = self.query_one(ReviewPane)
        pane.search(event.value)
        pane.focus()

    def action_next_match(self) -> None:
        self.query_one(ReviewPane).step(1)

    def action_previous_match(self) -> None:
        self.query_one(ReviewPane).step(-1)

    # --- actions ----------------------------------------------------------------------

    def _selected(self) -> LeadRow | None:
        row = next((r for r in self.rows if r.lead_id == self.selected_id), None)
        if row is None:
            self.notify("No lead is selected.", severity="warning")
            return None
        if self.review is not None and self.review.row.lead_id == row.lead_id:
            # The review is read after the page: its version is the one to act on.
            return max(row, self.review.row, key=lambda r: r.version)
        return row

    def action_dismiss_lead(self) -> None:
        row = self._selected()
        if row is None:
            return
        choices = [(reason, reason.display_name) for reason in DismissReason]

        def chosen(reason: DismissReason | None) -> None:
            if reason is not None:
                self.act(
                    lambda: actions.dismiss(
                        self.ctx, self.login, row.lead_id, reason, expected_version=row.version
                    ),
                    row,
                )

        self.app.push_screen(ChoiceModal("Dismiss this lead: why?", choices), chosen)

    def action_call_back(self) -> None:
        row = self._selected()
        if row is not None:
            # The agent is about to talk to this customer: stay on the lead.
            self.act(
                lambda: actions.call_back(
                    self.ctx, self.login, row.lead_id, expected_version=row.version
                ),
                row,
                stay=True,
            )

    def action_set_status(self) -> None:
        row = self._selected()
        if row is None:
            return
        allowed = (
            self.review.allowed_statuses
            if self.review is not None and self.review.row.lead_id == row.lead_id
            else ()
        )
        if self.review is None or self.review.row.lead_id != row.lead_id:
            self.notify("The lead's review is still loading: press s again in a moment.")
            return
        if not allowed:
            refusal = manual_change_refusal(row.status, row.status)  # the rules' words
            self.notify(
                refusal.message if refusal else "No status can be chosen for this lead.",
                title=StatusRefused.title,
                severity="warning",
                markup=False,
            )
            return

        def chosen(status: LeadStatus | None) -> None:
            if status is not None:
                self.act(
                    lambda: actions.set_status(
                        self.ctx, self.login, row.lead_id, status, expected_version=row.version
                    ),
                    row,
                )

        self.app.push_screen(
            ChoiceModal("Set the status to:", [(s, s.display_name) for s in allowed]), chosen
        )

    def action_add_note(self) -> None:
        row = self._selected()
        if row is None:
            return

        def written(draft: NoteDraft | None) -> None:
            if draft is not None:
                self.note(row.lead_id, draft)

        self.app.push_screen(NoteModal(), written)

    @work(thread=True, group="action", exit_on_error=False)
    def note(self, lead_id: int, draft: NoteDraft) -> None:
        saved = self._service(
            actions.add_note, self.ctx, self.login, lead_id, draft.text, copy_to=draft.copy_to
        )
        if saved is not None:
            self.app.call_from_thread(self.notify, "Note saved.")
            self.app.call_from_thread(self._note_saved, lead_id)

    def _note_saved(self, lead_id: int) -> None:
        if lead_id == self.selected_id:  # else the agent moved on: their review stays
            self.load_review(str(lead_id))

    def act(self, do: Callable[[], Any], row: LeadRow, *, stay: bool = False) -> None:
        self._act(do, row, stay)

    @work(thread=True, group="action", exit_on_error=False)
    def _act(self, do: Callable[[], Any], row: LeadRow, stay: bool) -> None:
        """Run an agent's action; either way, show the truth afterwards."""
        result = self._service(do)
        if result is not None:
            self.app.call_from_thread(
                self.notify,
                f"Lead {result.lead_id}: {result.message} → {result.status.display_name}",
                markup=False,
            )
            self.app.call_from_thread(self._after_action, row, result, stay)
        self.app.call_from_thread(self.action_refresh)

    def _after_action(self, row: LeadRow, result: ActionResult, stay: bool) -> None:
        """Where the agent lands: a call back stays on the lead being called, its number
        in the review; a dismissal or a status change moves on to the next lead."""
        if stay:
            self.query_one(ReviewPane).calling(row, result.message)
        if row.lead_id != self.selected_id:
            return  # the agent moved on while it ran: they stay where they are
        ids = [r.lead_id for r in self.rows]
        position = ids.index(row.lead_id) if row.lead_id in ids else 0
        if stay:
            fresh = replace(
                row, status=result.status, tab=result.tab, version=result.version, cold_at=None
            )
            self._pinned = (position, fresh)
            self._landing = Landing(lead=row.lead_id, row=position)
            return
        moved = result.tab is not self.tab or (
            self.status_filter is not None and result.status is not self.status_filter
        )
        after = self.rows[position + 1] if position + 1 < len(self.rows) else None
        before = self.rows[position - 1] if position > 0 else None
        target = after or (before if moved else row)
        self._landing = Landing(
            lead=target.lead_id if target else None, row=position if moved else position + 1
        )

    # --- the recording ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The player's keys are in the footer only while a recording is loaded."""
        if action.startswith("player_"):
            player = self.query_one(ReviewPane).player
            return player.can_export if action == "player_export" else player.can_play
        return True

    def action_player_toggle(self) -> None:
        self.query_one(ReviewPane).player.toggle()

    def action_player_skip(self, seconds: float) -> None:
        self.query_one(ReviewPane).player.skip(seconds)

    def action_player_speed(self) -> None:
        self.query_one(ReviewPane).player.cycle_speed()

    def action_player_jump(self) -> None:
        self.query_one(ReviewPane).jump_to_selected_line()

    def action_player_export(self) -> None:
        self.query_one(ReviewPane).player.export()

    def action_help(self) -> None:
        rows = []
        for key, active in self.app.active_bindings.items():
            binding = active.binding
            rows.append(
                (
                    binding.key_display or key,
                    binding.tooltip or binding.description,
                    binding.id or "",
                )
            )
        # A key the focused widget binds too (Enter: the table's) hides ours from
        # active_bindings: this screen's own are listed all the same.
        listed = {row[2] for row in rows}
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id and binding.id not in listed:
                    listed.add(binding.id)
                    rows.append(
                        (
                            binding.key_display or binding.key,
                            binding.tooltip or binding.description,
                            binding.id,
                        )
                    )
        self.app.push_screen(HelpScreen(sorted(rows, key=lambda r: r[2])))

    announced_lead: int | None = None  # the newest lead a toast named: `g` goes there
    announced_many = False  # a summary toast: `g` shows the new leads

    @on(LeadsChanged)
    def leads_changed(self, event: LeadsChanged) -> None:
        if event.notices:
            # Notices with no lead flagged just now waited while the app was closed.
            self.toast_new_leads(event.notices, waiting=not event.flagged)
        self.action_refresh()  # the page, then the selected lead's review, read again
