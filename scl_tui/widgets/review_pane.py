"""The review pane: everything an agent needs to decide on one lead."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from core.domain.phones import display_phone
from core.services.transcription import TranscriptOrigin
from core.services.views import LeadReview, LeadRow
from scl_tui.text import literal, local, origin_line, safe
from scl_tui.widgets.player import PlayerWidget
from scl_tui.widgets.transcript import TranscriptView


class ReviewPane(VerticalScroll):
    DEFAULT_CSS = """
    ReviewPane { padding: 0 1; }
    ReviewPane .section { margin-top: 1; text-style: bold; color: $accent; }
    ReviewPane #summary-note { color: $warning; text-style: italic; }
    /* Docked: the box and its count stay in view while the transcript scrolls to a
       match (at 80x24 they scrolled away with it). */
    ReviewPane #search-bar { dock: top; height: auto; display: none; background: $surface; }
    ReviewPane.-searching #search-bar { display: block; }
    ReviewPane #search-status { color: $text-muted; height: 1; }
    ReviewPane #player { margin-top: 0; }
    ReviewPane #transcript-origin { display: none; color: $warning; text-style: italic; }
    ReviewPane.-machine-transcript #transcript-origin { display: block; }
    ReviewPane #dial { display: none; background: $success 30%; text-style: bold; }
    ReviewPane.-calling #dial { display: block; }
    ReviewPane.-loading > * { text-opacity: 40%; }
    ReviewPane.-loading > #call { text-opacity: 100%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.review: LeadReview | None = None
        self.called: tuple[int, str, str] | None = None  # (lead, phone, what the dialer said)

    def compose(self) -> ComposeResult:
        yield Static(id="dial")
        yield Static("Pick a lead to review it.", id="call")
        yield Static("AI summary", classes="section")
        yield Static("AI-generated, not reviewed by a person.", id="summary-note")
        yield Static(id="summary")
        yield Static("Recording", classes="section")
        yield PlayerWidget(id="player")
        with Vertical(id="search-bar"):
            yield Input(
                placeholder="Search the transcript (Enter: find, then ] [ next/previous, Esc)",
                id="search",
            )
            yield Static(id="search-status")
        yield Static("Transcript", classes="section")
        yield Static(id="transcript-origin")
        yield TranscriptView(id="transcript")
        yield Static("Notes", classes="section")
        yield Static(id="notes")
        yield Static("History", classes="section")
        yield Static(id="history")

    def expect(self, row: LeadRow) -> None:
        """Another lead was selected: until its review arrives, the pane names it (from
        its row) and dims the rest, so it never passes off one lead's review as another's."""
        if self.review is not None and self.review.row.lead_id == row.lead_id:
            return
        self.add_class("-loading")
        self._show_calling(row.lead_id)
        call = self._headline(row)
        call.append("\nLoading the review…", style="italic")
        self.query_one("#call", Static).update(call)

    def empty(self) -> None:
        """No lead is selected (an empty list): nothing of the last lead stays."""
        self.review = None
        self.remove_class("-loading")
        self._show_calling(None)
        self.query_one("#call", Static).update("No lead selected.")
        for part in ("#summary", "#search-status", "#notes", "#history"):
            self.query_one(part, Static).update("")
        self.query_one("#summary-note", Static).update("AI-generated, not reviewed by a person.")
        self.query_one(TranscriptView).show((), ())
        self._show_origin(None)
        self.player.stop()
        self.close_search()

    def calling(self, row: LeadRow, said: str) -> None:
        """A call back was placed: the number to dial stays at the top of this lead's
        review until the agent moves to another lead."""
        self.called = (row.lead_id, display_phone(row.customer_phone), said)
        current = self.review.row.lead_id if self.review is not None else None
        self._show_calling(current)
        if self.called is not None:
            self.scroll_home(animate=False)  # the number is at the top: in view

    def _show_calling(self, lead_id: int | None) -> None:
        if self.called is not None and self.called[0] != lead_id:
            self.called = None  # the agent moved on from the lead they called
        if self.called is None:
            self.remove_class("-calling")
            return
        _, phone, said = self.called
        line = Text("☎ Call back: ")
        line.append_text(literal(said))  # what the dialer did, e.g. "Dial (512) … on your phone"
        if phone not in said:
            line.append("  ")
            line.append(phone)
        line.highlight_words([phone], "bold reverse")
        self.query_one("#dial", Static).update(line)
        self.add_class("-calling")

    @staticmethod
    def _judged(row: LeadRow) -> Text:
        """AI-generated, and how sure the classifier was: an uncertain lead says so."""
        note = Text("AI-generated, not reviewed by a person.")
        if row.confidence is None:
            return note
        note.append(f" Flagged at {row.confidence:.0%} confidence")
        if row.uncertain:
            note.append(" — uncertain: read the transcript before you call.", style="bold")
        else:
            note.append(".")
        return note

    @staticmethod
    def _headline(row: LeadRow) -> Text:
        call = Text()
        call.append_text(literal(display_phone(row.customer_phone), "bold"))
        if row.customer_name:
            call.append("  ")
            call.append_text(literal(row.customer_name))
        call.append(f"\n{local(row.call_started_at, '%a %b %d %Y %H:%M')}  ")
        call.append_text(literal(row.call_type or "Call"))
        call.append("  CSR: ")
        call.append_text(literal(row.csr_name or "—"))
        # The table's name for the status first (the column holds only that), then the
        # full name where it differs: the agent finds in the pane what the row said.
        short, full = row.status.short_name, row.status.display_name
        status = short if short == full else f"{short} ({full})"
        call.append(f"\nStatus: {status}", style="italic")
        return call

    def show(self, review: LeadReview, origin: TranscriptOrigin | None = None) -> None:
        same_lead = self.review is not None and self.review.row.lead_id == review.row.lead_id
        if not same_lead:
            self.scroll_home(animate=False)  # another lead starts at its phone, not mid-call
        # A re-read of the same lead (a note or a status from elsewhere) keeps the
        # agent's place in its transcript: the search and the selected line stay.
        transcript = self.query_one(TranscriptView)
        keep = same_lead and transcript.segments == review.transcript
        self.review = review
        self.remove_class("-loading")
        self._show_calling(review.row.lead_id)
        row = review.row
        call = self._headline(row)
        if review.location_address:
            call.append("\nLocation: ")
            call.append_text(literal(review.location_address))
        call.append("\nCSR notes: ", style="bold")
        call.append_text(literal(review.csr_notes or "—"))
        self.query_one("#call", Static).update(call)
        self.query_one("#summary-note", Static).update(self._judged(row))
        self.query_one("#summary", Static).update(literal(review.summary or "—"))
        if not (keep and transcript.evidence == frozenset(review.evidence)):
            transcript.show(review.transcript, review.evidence)
            self.query_one("#search-status", Static).update("")
        self._show_origin(origin)
        self.player.load(review)
        self.query_one("#notes", Static).update(self._notes(review))
        self.query_one("#history", Static).update(self._history(review))

    def _show_origin(self, origin: TranscriptOrigin | None) -> None:
        """A transcript made by speech recognition says so, and by what: its words may be
        misheard, and its speakers guessed."""
        self.set_class(origin is not None, "-machine-transcript")
        line = origin_line(origin) if origin is not None else ""
        self.query_one("#transcript-origin", Static).update(literal(line))

    @staticmethod
    def _notes(review: LeadReview) -> Text:
        out = Text()
        if not review.notes:
            out.append("No notes yet (n adds one).", style="italic")
        for note in review.notes:
            out.append(f"{local(note.created_at)} ", style="dim")
            out.append_text(literal(note.author, "bold"))
            if note.copied_to:
                out.append(f" (copied to {note.copied_to} notes)", style="dim")
            out.append(": ")
            out.append(safe(note.text))
            out.append("\n")
        return out

    @staticmethod
    def _history(review: LeadReview) -> Text:
        out = Text()
        for entry in review.history:
            was = f"{entry.from_status.display_name} → " if entry.from_status else ""
            out.append(f"{local(entry.at)} ", style="dim")
            out.append(f"{was}{entry.to_status.display_name}")
            out.append(" by ")
            out.append_text(literal(entry.actor))
            if entry.why:
                out.append(" — ")
                out.append_text(literal(entry.why, "dim"))
            out.append("\n")
        for attempt in review.callbacks:
            out.append(f"{local(attempt.at)} ", style="dim")
            out.append("Called back by ")
            out.append_text(literal(attempt.employee))
            out.append("\n")
        return out

    # --- the recording ----------------------------------------------------------------

    @property
    def player(self) -> PlayerWidget:
        return self.query_one(PlayerWidget)

    def on_player_widget_position(self, message: PlayerWidget.Position) -> None:
        """While a recording plays, the line being heard is highlighted and kept in view."""
        view = self.query_one(TranscriptView)
        index = None if message.seconds is None else view.segment_at(message.seconds)
        if index != view.playing:
            view.playing = index
            if index is not None:
                self._show_line_of(index)

    def jump_to_selected_line(self) -> None:
        view = self.query_one(TranscriptView)
        chosen = view.selected if view.selected is not None else view.current_segment
        if chosen is None:
            self.app.notify(
                "Select a transcript line first: click it, or find it with /.",
                severity="warning",
            )
            return
        self.player.jump_to(view.segments[chosen].start)

    # --- transcript search ------------------------------------------------------------

    def open_search(self) -> None:
        self.add_class("-searching")
        self.query_one("#search", Input).focus()

    def close_search(self) -> None:
        self.remove_class("-searching")

    def search(self, text: str) -> None:
        view = self.query_one(TranscriptView)
        if text != view.query:
            view.query = text
        else:
            view.step(1)
        self._after_search()

    def step(self, by: int) -> None:
        self.query_one(TranscriptView).step(by)
        self._after_search()

    def _after_search(self) -> None:
        view = self.query_one(TranscriptView)
        self.query_one("#search-status", Static).update(Text(view.status))
        index = view.current_segment
        if index is not None:
            view.selected = index  # t plays from the line the search found
            self._show_line_of(index)

    def _show_line_of(self, index: int) -> None:
        view = self.query_one(TranscriptView)
        top = view.virtual_region.y + view.line_of(index)
        if not self.scrollable_content_region.height:
            return
        if not self.scroll_y <= top < self.scroll_y + self.scrollable_content_region.height - 1:
            self.scroll_to(y=max(top - 2, 0), animate=False)
