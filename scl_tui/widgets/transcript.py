"""The transcript of a call: speakers and times, evidence marked, searchable in memory.

Drawn line by line (Textual's Line API): a four-hour call of 250,000 characters must
open at once, so only the lines in view are ever styled and rendered. What is kept for
the whole call is where each line breaks (a list of offsets per segment, worked out once
per width with the same word wrap Textual uses), never the styled text.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

from rich._wrap import divide_line
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from core.services.views import Segment
from scl_tui.text import clock, safe

EMPTY = "No transcript for this call."


class TranscriptView(Widget):
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
        self._matches_in: dict[int, list[int]] = {}  # segment -> numbers of its matches
        self.lines_drawn: set[int] = set()  # which lines of this call were drawn
        self._starts_at: list[float] = []  # each segment's start time, for the player
        self._in_order = True  # starts ascending: the player's line is found by bisection
        self._width = 0
        self._first_line: list[int] = []  # per segment, its first line at _width
        self._spans: list[list[tuple[int, int]]] = []  # per segment, (from, to) per line
        self._line_count = 1

    # --- what is shown ------------------------------------------------------------------

    def show(self, segments: tuple[Segment, ...], evidence: tuple[int, ...]) -> None:
        self.segments = segments
        self.evidence = frozenset(evidence)
        self._starts_at = [s.start for s in segments]
        self._in_order = self._starts_at == sorted(self._starts_at)
        self._width = 0  # wrap again
        self.lines_drawn = set()
        self.set_reactive(TranscriptView.selected, None)
        self.set_reactive(TranscriptView.playing, None)
        self.set_reactive(TranscriptView.current, 0)
        self.set_reactive(TranscriptView.query, "")
        self.matches, self._matches_in = [], {}
        self.refresh(layout=True)

    def watch_query(self) -> None:
        self._find()
        self.current = 0
        self.refresh()

    def watch_current(self) -> None:
        self.refresh()

    def watch_selected(self) -> None:
        self.refresh()

    def watch_playing(self) -> None:
        self.refresh()

    def plain(self) -> str:
        """The whole transcript as text (for tests and copying), drawn nowhere."""
        if not self.segments:
            return EMPTY
        return "\n".join(self._styled(s).plain for s in self.segments)

    def segment_at(self, seconds: float) -> int | None:
        """The segment being spoken at `seconds`: the last one started by then."""
        if not self._in_order:  # an export with its turns out of order: look at each
            heard = [s.index for s in self.segments if s.start <= seconds]
            return heard[-1] if heard else None
        position = bisect_right(self._starts_at, seconds)
        return self.segments[position - 1].index if position else None

    def line_of(self, index: int) -> int:
        """The first screen line of a segment, as wrapped at the current width."""
        self._wrap(self._content_width())
        for position, segment in enumerate(self.segments):
            if segment.index == index:
                return self._first_line[position]
        return 0

    def on_click(self, event: events.Click) -> None:
        """A click selects the line under it (t then plays from there)."""
        self._wrap(self._content_width())
        position = bisect_right(self._first_line, event.y) - 1
        if 0 <= position < len(self.segments):
            self.selected = self.segments[position].index

    def step(self, by: int) -> None:
        if self.matches:
            self.current = (self.current + by) % len(self.matches)

    @property
    def status(self) -> str:
        if not self.query:
            return ""
        if not self.matches:
            return f"no match for {self.query!r}"
        count = len(self.matches)
        matches = "match" if count == 1 else "matches"
        return f"{self.current + 1} of {count} {matches} for {self.query!r}"

    @property
    def current_segment(self) -> int | None:
        return self.matches[self.current][0] if self.matches else None

    def _find(self) -> None:
        self.matches, self._matches_in = [], {}
        needle = self.query.lower()
        if not needle:
            return
        for segment in self.segments:
            haystack = segment.text.lower()
            start = haystack.find(needle)
            while start >= 0:
                self._matches_in.setdefault(segment.index, []).append(len(self.matches))
                self.matches.append((segment.index, start, start + len(needle)))
                start = haystack.find(needle, start + len(needle))

    # --- layout: where the lines break ------------------------------------------------

    def _content_width(self) -> int:
        return max(self.content_region.width or self.size.width, 1)

    @staticmethod
    def _prefix(segment: Segment) -> str:
        # Evidence mark, time, speaker (call text too: a long one still ends in a space).
        return f" {clock(segment.start)} {safe(segment.speaker):<8} "

    def _line_string(self, segment: Segment) -> str:
        # Tabs and newlines are drawn as spaces: one character for one, so the
        # search offsets still line up and a segment stays one paragraph.
        return (self._prefix(segment) + safe(segment.text)).replace("\t", " ").replace("\n", " ")

    def _wrap(self, width: int) -> None:
        """Where every segment's lines break at `width`: word wrap as Textual does it,
        no styled text kept (a 250,000-character call keeps only offsets)."""
        if width == self._width:
            return
        self._width = width
        self._first_line, self._spans = [], []
        self.lines_drawn = set()
        line = 0
        for segment in self.segments:
            text = self._line_string(segment)
            cuts = [0, *divide_line(text, width), len(text)]
            spans = [(a, b) for a, b in pairwise(cuts) if b > a] or [(0, 0)]
            self._first_line.append(line)
            self._spans.append(spans)
            line += len(spans)
        self._line_count = line or 1

    @property
    def line_count(self) -> int:
        """How many lines the whole transcript takes at the current width."""
        self._wrap(self._content_width())
        return self._line_count

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._wrap(max(width, 1))
        return self._line_count

    # --- drawing: only the lines asked for ----------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self._content_width()
        self._wrap(width)
        self.lines_drawn.add(y)
        style = self.rich_style
        if not self.segments:
            text = Text(EMPTY, style="italic") if y == 0 else Text()
        else:
            position = bisect_right(self._first_line, y) - 1
            if position < 0 or y >= self._line_count:
                return Strip.blank(width, style)
            spans = self._spans[position]
            start, end = spans[y - self._first_line[position]]
            text = self._styled(self.segments[position])[start:end]
            text.rstrip()
        text.stylize_before(style)
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.crop_extend(0, width, style)

    def _styled(self, segment: Segment) -> Text:
        """One segment's styled line: evidence mark, time, speaker, words, matches; the
        line being heard stands out, the selected line's time is underlined."""
        plain = self._line_string(segment)
        line = Text(plain)
        if segment.index in self.evidence:
            line = Text("▌" + plain[1:])
            line.stylize("bold yellow", 0, 1)
        time_end = 1 + len(clock(segment.start)) + 1  # the time and its space
        if segment.index == self.playing:
            line.stylize("bold reverse", 1, time_end)
        elif segment.index == self.selected:
            line.stylize("bold underline", 1, time_end)
        else:
            line.stylize("dim", 1, time_end)
        offset = len(self._prefix(segment))
        line.stylize("bold", time_end, offset)
        if segment.index == self.playing:
            line.stylize("bold", offset, len(plain))
        for number in self._matches_in.get(segment.index, ()):
            _, start, end = self.matches[number]
            style = "reverse bold" if number == self.current else "underline bold"
            line.stylize(style, offset + start, offset + end)
        return line
