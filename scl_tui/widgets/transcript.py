"""The transcript of a call: speakers and times, evidence marked, searchable in memory."""

from __future__ import annotations

from rich.text import Text
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.segments: tuple[Segment, ...] = ()
        self.evidence: frozenset[int] = frozenset()
        self.matches: list[tuple[int, int, int]] = []  # (segment, start, end) in its text

    def show(self, segments: tuple[Segment, ...], evidence: tuple[int, ...]) -> None:
        self.segments = segments
        self.evidence = frozenset(evidence)
        self.query = ""
        self._find()
        self._render_text()

    def watch_query(self) -> None:
        self._find()
        self.current = 0
        self._render_text()

    def watch_current(self) -> None:
        self._render_text()

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

    def _render_text(self) -> None:
        out = Text()
        if not self.segments:
            out.append("No transcript for this call.", style="italic")
        prefix_of: dict[int, int] = {}
        for segment in self.segments:
            marker = "▌" if segment.index in self.evidence else " "
            out.append(marker, style="bold yellow" if marker != " " else "")
            out.append(f"{clock(segment.start)} ", style="dim")
            out.append(f"{segment.speaker:<9}", style="bold")
            prefix_of[segment.index] = len(out)
            out.append(safe(segment.text))
            out.append("\n")
        for number, (index, start, end) in enumerate(self.matches):
            offset = prefix_of[index]
            style = "reverse bold" if number == self.current else "underline bold"
            out.stylize(style, offset + start, offset + end)
        self.update(out)
