"""The transcript of a call: speakers and times, evidence marked, searchable in memory."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widgets import Static

from core.services.views import Segment
from scl_tui.text import clock, safe


class TranscriptView(Static):
    DEFAULT_CSS = """
    TranscriptView { height: auto; }
    """

    query: reactive[str] = reactive("", init=False)
    current: reactive[int] = reactive(0, init=False)
    selected: reactive[int | None] = reactive(None, init=False)  # t jumps to its time
    playing: reactive[int | None] = reactive(None, init=False)  # the line being heard

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.segments: tuple[Segment, ...] = ()
        self.evidence: frozenset[int] = frozenset()
        self.matches: list[tuple[int, int, int]] = []  # (segment, start, end) in its text

    def show(self, segments: tuple[Segment, ...], evidence: tuple[int, ...]) -> None:
        self.segments = segments
        self.evidence = frozenset(evidence)
        self.set_reactive(TranscriptView.selected, None)
        self.set_reactive(TranscriptView.playing, None)
        self.query = ""
        self._find()
        self._render_text()

    def watch_query(self) -> None:
        self._find()
        self.current = 0
        self._render_text()

    def watch_current(self) -> None:
        self._render_text()

    def watch_selected(self) -> None:
        self._render_text()

    def watch_playing(self) -> None:
        self._render_text()

    def segment_at(self, seconds: float) -> int | None:
        """The segment being spoken at `seconds`: the last one started by then."""
        heard = [s.index for s in self.segments if s.start <= seconds]
        return heard[-1] if heard else None

    def line_of(self, index: int) -> int:
        """The first screen line of a segment, as wrapped at the current width."""
        width = max(self.content_region.width, 1)
        line = 0
        for segment in self.segments:
            if segment.index == index:
                break
            line += len(self._segment_text(segment).wrap(self.app.console, width))
        return line

    def on_click(self, event: events.Click) -> None:
        """A click selects the line under it (t then plays from there)."""
        width = max(self.content_region.width, 1)
        line = 0
        for segment in self.segments:
            line += len(self._segment_text(segment).wrap(self.app.console, width))
            if event.y < line:
                self.selected = segment.index
                return

    def step(self, by: int) -> None:
        if self.matches:
            self.current = (self.current + by) % len(self.matches)

    @property
    def status(self) -> str:
        if not self.query:
            return ""
        if not self.matches:
            return f"no match for {self.query!r}"
        return f"{self.current + 1} of {len(self.matches)} matches for {self.query!r}"

    @property
    def current_segment(self) -> int | None:
        return self.matches[self.current][0] if self.matches else None

    def _find(self) -> None:
        self.matches = []
        needle = self.query.lower()
        if not needle:
            return
        for segment in self.segments:
            haystack = segment.text.lower()
            start = haystack.find(needle)
            while start >= 0:
                self.matches.append((segment.index, start, start + len(needle)))
                start = haystack.find(needle, start + len(needle))

    def _segment_text(self, segment: Segment) -> Text:
        """One segment's line: evidence mark, time, speaker, words; the line being heard
        stands out, the selected line's time is underlined."""
        line = Text()
        marker = "▌" if segment.index in self.evidence else " "
        line.append(marker, style="bold yellow" if marker != " " else "")
        time_style = "dim"
        if segment.index == self.playing:
            time_style = "bold reverse"
        elif segment.index == self.selected:
            time_style = "bold underline"
        line.append(f"{clock(segment.start)} ", style=time_style)
        # The label is call text too; a long one still ends in a space.
        line.append(f"{safe(segment.speaker):<8} ", style="bold")
        line.append(safe(segment.text), style="bold" if segment.index == self.playing else "")
        return line

    def _render_text(self) -> None:
        out = Text()
        if not self.segments:
            out.append("No transcript for this call.", style="italic")
        prefix_of: dict[int, int] = {}
        for segment in self.segments:
            line = self._segment_text(segment)
            prefix_of[segment.index] = len(out) + len(line) - len(safe(segment.text))
            out.append_text(line)
            out.append("\n")
        for number, (index, start, end) in enumerate(self.matches):
            offset = prefix_of[index]
            style = "reverse bold" if number == self.current else "underline bold"
            out.stylize(style, offset + start, offset + end)
        self.update(out)
