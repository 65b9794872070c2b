"""Editing the company profile (brands, what each sells, where) as the TOML it is kept in.

F2 checks and saves through the same service as `scl company import` (administrators,
audited); a refused file keeps the window open, says what is wrong and where, and puts
the cursor on that line. Nothing is half-saved.
"""

from __future__ import annotations

import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from core.classify.profile import CompanyProfile
from core.errors import SclError
from core.services.company import import_profile
from core.services.context import ServiceContext
from scl_tui.text import literal

SOURCE = "profile"  # how a refusal names the text: "profile:3: unknown trade 'roof'"
WHERE = re.compile(rf"^{SOURCE}:(\d+): ")


class ProfileEditorModal(ModalScreen[CompanyProfile | None]):
    DEFAULT_CSS = """
    ProfileEditorModal { align: center middle; }
    ProfileEditorModal > Vertical {
        width: 96; max-width: 100%; height: 90%; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    ProfileEditorModal TextArea { height: 1fr; }
    ProfileEditorModal #profile-error { color: $error; height: auto; }
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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Company profile: one [[brand]] per brand — name, trades, also, not, area. "
                "F2 saves, Esc leaves it unsaved."
            )
            yield TextArea(self.toml, id="profile-text", language=None, show_line_numbers=True)
            yield Static(id="profile-error")
            with Horizontal():
                yield Button("Save (F2)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.query_one("#profile-error", Static).update("Checking…")
        self._save(self.query_one(TextArea).text)

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

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
