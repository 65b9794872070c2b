"""Plain mode's review loop: list leads one per line, read one, act on it by its keys.

Line in, lines out, so a screen reader reads every answer as it comes and nothing
moves on the screen: no box drawing, no cursor, no spinner. Every read and action is
the same core.services call the app makes; the lead acted on is the one chosen by id
(with its version, as in the app), never whatever sits at a row number later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from core.domain.statuses import TAB_FILTERS, DismissReason, LeadStatus, Tab
from core.errors import SclError
from core.services import review as actions
from core.services.leads import get_review, list_leads, tab_counts
from core.services.metrics import metrics
from core.services.settings import get_settings
from core.services.transcription import TranscriptOrigin, transcript_origin
from core.services.views import ActionResult, Cursor, LeadReview, LeadRow
from scl_tui.plain import keys, words
from scl_tui.plain.listen import PlainPlayer
from scl_tui.text import safe

if TYPE_CHECKING:
    from core.services.context import ServiceContext

PAGE = 20  # a list read aloud: twenty lines, then `more`
T = TypeVar("T")

HELP = keys.help_lines()  # `?` and `h`: one key a line, in the app's words


class PlainSession:
    def __init__(
        self,
        ctx: ServiceContext,
        login: str,
        read: TextIO,
        write: TextIO,
    ) -> None:
        self.ctx = ctx
        self.login = login
        self.read = read
        self.write = write
        self.tab = Tab.OPEN
        self.status_filter: LeadStatus | None = None
        self.text_filter = ""
        self.days = 30
        self.pages: list[Cursor | None] = [None]
        self.next_cursor: Cursor | None = None
        self.rows: tuple[LeadRow, ...] = ()
        self.current: LeadRow | None = None  # the lead actions act on, by id
        self.review: LeadReview | None = None
        self.origin: TranscriptOrigin | None = None
        self.announced_lead: int | None = None
        self.announced_many = False
        self._lock = threading.RLock()
        self._prompting = False
        # Actions and the change follower take turns, so the follower never takes the
        # agent's own change, just committed, for someone else's.
        self.acting = threading.Lock()
        self.own: set[tuple[int, int]] = set()  # (lead, version) our actions made
        self.own_notes: set[object] = set()  # ids of the notes this session added
        self.recording = PlainPlayer(self)

    # --- saying ---------------------------------------------------------------------------

    @property
    def prompt(self) -> str:
        return f"lead {self.current.lead_id}> " if self.current else "scl> "

    def say(self, *lines: str) -> None:
        with self._lock:
            for line in lines:
                self.write.write(line + "\n")
            self.write.flush()

    def announce(self, *lines: str) -> None:
        """Said from another thread while the agent may be at the prompt: on lines of
        their own, then the prompt again."""
        with self._lock:
            if self._prompting:
                self.write.write("\n")
            self.say(*lines)
            if self._prompting:
                self.write.write(self.prompt)
                self.write.flush()

    def ask(self, prompt: str, *, keep_space: bool = False) -> str | None:
        """A line typed by the agent; None at the end of input. With keep_space, a line
        of spaces alone is " " (space, Enter: the player's key), not an empty line."""
        with self._lock:
            self.write.write(prompt)
            self.write.flush()
            self._prompting = True
        try:
            line = self.read.readline()
        finally:
            with self._lock:
                self._prompting = False
        if line == "":
            return None
        if keep_space and line.strip() == "" and line.strip("\r\n"):
            return " "
        return line.strip()

    def choose(self, question: str, choices: Sequence[tuple[T, str]], typed: str = "") -> T | None:
        """One of a few choices by its number; typed already (d1) or asked for."""
        if not typed:
            self.say(question)
            self.say(*(f"{n}. {label}" for n, (_, label) in enumerate(choices, start=1)))
            typed = self.ask("Number, or Enter to cancel: ") or ""
        if typed.isdigit() and 1 <= int(typed) <= len(choices):
            return choices[int(typed) - 1][0]
        said = f"No choice {safe(typed)}" if typed else "Cancelled"
        self.say(f"{said}: nothing changed.")
        return None

    def service(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """A service call; a refusal is said as a line (what and why), never a traceback."""
        try:
            return call(*args, **kwargs)
        except SclError as error:
            self.say(f"{error.title}: {error.message}" if error.title else error.message)
            return None

    def act(
        self, call: Callable[..., ActionResult], *args: Any, **kwargs: Any
    ) -> ActionResult | None:
        with self.acting:
            result = self.service(call, *args, **kwargs)
            if result is not None:
                self.own.add((result.lead_id, result.version))
        return result

    # --- reading ----------------------------------------------------------------------

    def list_page(self, *, say_it: bool = True) -> None:
        page = self.service(
            list_leads,
            self.ctx,
            self.login,
            self.tab,
            self.status_filter,
            limit=PAGE,
            after=self.pages[-1],
            search=self.text_filter or None,
        )
        if page is None:
            return
        self.rows, self.next_cursor = page.rows, page.next_cursor
        if say_it:
            self.say_list()

    def say_list(self) -> None:
        shown = self.status_filter.display_name if self.status_filter else "all statuses"
        where = f"{self.tab.display_name} tab, {shown}"
        if self.text_filter:
            where += f", filter {safe(self.text_filter)}"
        count = words.plural(len(self.rows), "lead")
        self.say(f"{where}, page {len(self.pages)}: {count}, newest first.")
        now = self.ctx.clock.now()
        self.say(*(words.list_line(n, row, now) for n, row in enumerate(self.rows, start=1)))
        if self.next_cursor is not None:
            self.say("More leads: type more for the next page.")

    def say_counts(self) -> None:
        counts = self.service(tab_counts, self.ctx, self.login)
        numbers = self.service(metrics, self.ctx, self.login, self.days)
        settings = self.service(get_settings, self.ctx)
        if counts is not None:
            enabled = settings.enabled if settings is not None else True
            self.say(words.counts_line(counts, numbers, enabled))

    def select(self, row: LeadRow, *, read: bool = True, quiet: bool = False) -> None:
        """On this lead now; its review read and, when asked, said."""
        self.current = row
        found = self.service(get_review, self.ctx, self.login, row.lead_id)
        if found is None:
            return
        self.review = found
        self.current = found.row
        self.recording.follow(found)  # another lead: the last one's recording stops
        self.origin = self.service(transcript_origin, self.ctx, found.call_id)
        if read:
            self.say_review()
        elif not quiet:
            position = self.position()
            of = f", {position + 1} of {len(self.rows)}" if position is not None else ""
            self.say(
                f"Now on lead {found.row.lead_id}{of}: {words.who(found.row)}, "
                f"{found.row.status.display_name}. Enter reads it."
            )

    def refreshed(self, found: LeadReview) -> None:
        """A newer read of a lead (from the change follower): kept if it is the one we
        are on, so the next action acts on its latest version."""
        with self._lock:
            if self.current is not None and self.current.lead_id == found.row.lead_id:
                self.current, self.review = found.row, found

    def say_review(self) -> None:
        if self.review is None:
            self.say("No lead chosen: type its number from the list.")
            return
        lines = words.review_lines(self.review, self.origin, self.ctx.clock.now())
        self.say(*lines)
        self.say(
            f"End of lead {self.review.row.lead_id}. d dismiss, c call back, s status, "
            "n note, j next, k previous."
        )

    def position(self) -> int | None:
        if self.current is None:
            return None
        ids = [row.lead_id for row in self.rows]
        return ids.index(self.current.lead_id) if self.current.lead_id in ids else None

    # --- moving around ----------------------------------------------------------------

    def pick(self, number: int) -> None:
        if not 1 <= number <= len(self.rows):
            has = words.plural(len(self.rows), "lead")
            self.say(f"No lead {number} in this list: it has {has}.")
            return
        self.select(self.rows[number - 1])

    def step(self, by: int) -> None:
        position = self.position()
        target = 0 if position is None else position + by
        if 0 <= target < len(self.rows):
            self.select(self.rows[target])
        elif by > 0 and self.next_cursor is not None:
            self.pages.append(self.next_cursor)
            self.list_page(say_it=False)
            self.say(f"Page {len(self.pages)}.")
            if self.rows:
                self.select(self.rows[0])
        elif by < 0 and len(self.pages) > 1:
            self.pages.pop()
            self.list_page(say_it=False)
            self.say(f"Page {len(self.pages)}.")
            if self.rows:
                self.select(self.rows[-1])
        else:
            self.say("No next lead in this list." if by > 0 else "No previous lead in this list.")

    def restart(self) -> None:
        self.pages = [None]
        self.list_page()

    def show_tab(self, tab: Tab) -> None:
        self.tab, self.status_filter = tab, None
        self.restart()

    def cycle_filter(self) -> None:
        choices: list[LeadStatus | None] = [None, *TAB_FILTERS[self.tab]]
        self.status_filter = choices[(choices.index(self.status_filter) + 1) % len(choices)]
        self.restart()

    def more(self) -> None:
        if self.next_cursor is None:
            self.say("This is the last page.")
            return
        self.pages.append(self.next_cursor)
        self.list_page()

    def search(self, text: str) -> None:
        if self.review is None:
            self.say("No lead chosen: type its number from the list.")
            return
        wanted = text.casefold()
        found = [s for s in self.review.transcript if wanted and wanted in s.text.casefold()]
        count = f"{len(found)} {'match' if len(found) == 1 else 'matches'}"
        self.say(f"{count} for {safe(text)}.")
        evidence = self.review.evidence
        self.say(*(words.segment_line(s, s.index in evidence) for s in found))

    # --- acting -----------------------------------------------------------------------

    def acting_on(self) -> LeadRow | None:
        if self.current is None:
            self.say("No lead chosen: type its number from the list.")
        return self.current

    def dismiss(self, typed: str) -> None:
        row = self.acting_on()
        if row is None:
            return
        choices = [(reason, reason.display_name) for reason in DismissReason]
        reason = self.choose(f"Dismiss lead {row.lead_id}: why?", choices, typed)
        if reason is not None:
            result = self.act(
                actions.dismiss,
                self.ctx,
                self.login,
                row.lead_id,
                reason,
                expected_version=row.version,
            )
            self.after(row, result)

    def set_status(self, typed: str) -> None:
        row = self.acting_on()
        if row is None or self.review is None:
            return
        allowed = self.review.allowed_statuses
        if not allowed:
            self.say(f"Lead {row.lead_id} is {row.status.display_name}: no status can be set.")
            return
        choices = [(status, status.display_name) for status in allowed]
        status = self.choose(f"Set the status of lead {row.lead_id} to:", choices, typed)
        if status is not None:
            result = self.act(
                actions.set_status,
                self.ctx,
                self.login,
                row.lead_id,
                status,
                expected_version=row.version,
            )
            self.after(row, result)

    def call_back(self) -> None:
        row = self.acting_on()
        if row is None:
            return
        result = self.act(
            actions.call_back, self.ctx, self.login, row.lead_id, expected_version=row.version
        )
        if result is None:
            return
        self.say(
            f"Lead {result.lead_id}: called back, now {result.status.display_name}.",
            f"Dialer: {safe(result.message)}",
        )
        # The agent is about to talk to this customer: stay on the lead, its number said.
        self.list_page(say_it=False)
        self.select(row, read=False, quiet=True)
        self.say(f"The number to dial: {words.who(row)}.")

    def note(self, typed: str) -> None:
        row = self.acting_on()
        if row is None:
            return
        text = typed or self.ask("Note text, Enter alone to cancel: ") or ""
        if not text:
            self.say("Cancelled: no note added.")
            return
        where = [
            (None, "Only on the lead"),
            (actions.NoteTarget.CUSTOMER, "Copy to the customer notes too"),
            (actions.NoteTarget.LOCATION, "Copy to the location notes too"),
        ]
        self.say("Also copy it?")
        self.say(*(f"{n}. {label}" for n, (_, label) in enumerate(where, start=1)))
        answer = self.ask("Number, Enter for 1: ") or "1"
        if not (answer.isdigit() and 1 <= int(answer) <= len(where)):
            self.say(f"No choice {answer}: no note added.")
            return
        copy_to = where[int(answer) - 1][0]
        with self.acting:  # the follower must not take our own note for another's
            saved = self.service(
                actions.add_note, self.ctx, self.login, row.lead_id, text, copy_to=copy_to
            )
            if saved is not None:
                self.own_notes.add(saved.note_id)
        if saved is not None:
            self.say(f"Note saved on lead {row.lead_id}.")
            self.select(row, read=False, quiet=True)

    def after(self, row: LeadRow, result: ActionResult | None) -> None:
        """Said as a line; then, as in the app, on to the lead that followed it."""
        if result is None:
            self.say("Nothing changed. r reads the list again.")
            return
        self.say(
            f"Lead {result.lead_id}: {safe(result.message)}. Now {result.status.display_name}, "
            f"in the {result.tab.display_name} tab."
        )
        before = self.rows
        ids = [r.lead_id for r in before]
        position = ids.index(row.lead_id) if row.lead_id in ids else 0
        followers = [*before[position + 1 :], *reversed(before[:position])]
        self.list_page(say_it=False)
        still = {r.lead_id: r for r in self.rows}
        target = next((still[r.lead_id] for r in followers if r.lead_id in still), None)
        if target is None:
            self.current, self.review = None, None
            self.recording.follow(None)
            self.say("No more leads in this list.")
            return
        self.select(target, read=False)
