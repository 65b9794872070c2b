"""Editing the company profile (brands, what each sells, where) as the TOML it is kept in.

F2 first checks the text and replays the last 30 days of calls against it, storing
nothing, to show which verdicts it would change (and whether agents agreed); F2 again
saves through the same service as `scl company import` (administrators, audited). A
refused file keeps the window open, says what is wrong and where, and puts the cursor
on that line. Nothing is half-saved.
"""

from __future__ import annotations

import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from core.classify.profile import CompanyProfile, ProfileError, parse_profile
from core.errors import SclError
from core.services.company import import_profile
from core.services.context import ServiceContext
from core.services.replay import ReplayReport, replay
from scl_tui.text import literal

SOURCE = "profile"  # how a refusal names the text: "profile:3: unknown trade 'roof'"
WHERE = re.compile(rf"^{SOURCE}:(\d+): ")
REPLAY_DAYS = 30


class ProfileEditorModal(ModalScreen[CompanyProfile | None]):
    DEFAULT_CSS = """
    ProfileEditorModal { align: center middle; }
    ProfileEditorModal > Vertical {
        width: 96; max-width: 100%; height: 90%; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    ProfileEditorModal TextArea { height: 1fr; }
    ProfileEditorModal #profile-error { color: $error; height: auto; }
    ProfileEditorModal #profile-replay { height: auto; }
    ProfileEditorModal Horizontal { height: auto; }
    ProfileEditorModal Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="profile_cancel", tooltip="Leave unsaved"),
        Binding("f2", "save", "Save", id="profile_save", tooltip="Check and save the profile"),
    ]

    def __init__(self, ctx: ServiceContext, login: str, toml: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.login = login
        self.toml = toml
        self.previewed: str | None = None  # the text whose replay is on screen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Company profile: one [[brand]] per brand — name, trades, also, not, area. "
                "F2 shows what it would change, F2 again saves; Esc leaves it unsaved."
            )
            yield TextArea(self.toml, id="profile-text", language=None, show_line_numbers=True)
            yield Static(id="profile-error")
            yield Static(id="profile-replay", markup=False)
            with Horizontal():
                yield Button("Save (F2)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if text == self.previewed:
            self.query_one("#profile-error", Static).update("Saving…")
            self._save(text)
            return
        self.query_one("#profile-replay", Static).update("")
        try:
            proposed = parse_profile(text, SOURCE)
        except ProfileError as error:
            self._refused(str(error))
            return
        self.query_one("#profile-error", Static).update(
            f"Replaying the last {REPLAY_DAYS} days of calls against this profile…"
        )
        self._replay(text, proposed)

    @work(thread=True, exclusive=True, group="profile-replay", exit_on_error=False)
    def _replay(self, text: str, proposed: CompanyProfile) -> None:
        try:
            report = replay(self.ctx, self.login, REPLAY_DAYS, profile=proposed)
        except SclError as error:
            self.app.call_from_thread(self._refused, error.message)
            return
        self.app.call_from_thread(self._show_replay, text, report)

    def _show_replay(self, text: str, report: ReplayReport) -> None:
        self.previewed = text
        self.query_one("#profile-error", Static).update("")
        self.query_one("#profile-replay", Static).update(replay_summary(report))

    @work(thread=True, exclusive=True, group="profile-save", exit_on_error=False)
    def _save(self, text: str) -> None:
        try:
            profile = import_profile(self.ctx, self.login, text, SOURCE)
        except SclError as error:
            self.app.call_from_thread(self._refused, error.message)
            return
        self.app.call_from_thread(self.dismiss, profile)

    def _refused(self, message: str) -> None:
        self.query_one("#profile-error", Static).update(literal(message))
        found = WHERE.match(message)
        if found:
            area = self.query_one(TextArea)
            area.cursor_location = (int(found.group(1)) - 1, 0)
            area.focus()

    @on(TextArea.Changed)
    def edited(self) -> None:
        if self.previewed is not None and self.query_one(TextArea).text != self.previewed:
            self.previewed = None  # what was replayed is no longer what would be saved
            self.query_one("#profile-replay", Static).update("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _n(count: int, word: str) -> str:
    """A count and its noun, plural unless one: "1 call", "2 calls"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def replay_summary(report: ReplayReport) -> str:
    """What saving would change, in words: counts first, then a few of the calls."""
    totals = report.totals()
    if not totals["changed"]:
        head = (
            f"The last {report.days} days ({_n(report.replayed, 'call')}) would be judged "
            "as before: no verdict changes."
        )
    else:
        to_lead, to_not = totals["to_lead"], totals["to_not_lead"]
        head = (
            f"Of {_n(report.replayed, 'call')} in the last {report.days} days, "
            f"{totals['changed']} would change: {to_lead} would become "
            f"{'a lead' if to_lead == 1 else 'leads'}, {to_not} would stop being "
            f"{'a lead' if to_not == 1 else 'leads'}. Where agents decided, the change "
            f"agrees with them {_n(totals['agreed_with_agents'], 'time')} and disagrees "
            f"{_n(totals['disagreed_with_agents'], 'time')}."
        )
    shown = [
        f"  {c.external_id}: {'lead' if c.was else 'not a lead'} → "
        f"{'lead' if c.now else 'not a lead'} ({c.reason})"
        for c in report.changes[:5]
    ]
    more = len(report.changes) - len(shown)
    tail = [f"  … and {more} more (scl replay --company FILE lists them all)"] if more > 0 else []
    return "\n".join([head, *shown, *tail, "F2 again saves it; go on editing to change it."])
