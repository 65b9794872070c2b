"""Writing an SCL note: confirm to save, optionally copy to the customer or location."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, TextArea

from core.services.review import NoteTarget


@dataclass(frozen=True)
class NoteDraft:
    text: str
    copy_to: NoteTarget | None


class NoteModal(ModalScreen[NoteDraft | None]):
    DEFAULT_CSS = """
    NoteModal { align: center middle; }
    NoteModal > Vertical {
        width: 72; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    NoteModal TextArea { height: 6; }
    /* One choice a line: side by side, at 80 columns their names were cut off. */
    NoteModal RadioSet { height: auto; margin: 1 0; }
    NoteModal Horizontal { height: auto; }
    NoteModal Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="note_cancel", tooltip="Discard the note"),
        Binding("f2", "save", "Save", id="note_save", tooltip="Save the note"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a note to this lead (F2 or Save to confirm)")
            yield TextArea(id="text")
            with RadioSet(id="copy"):
                yield RadioButton("Only on the lead", value=True, id="none")
                yield RadioButton("Also Customer notes", id="customer")
                yield RadioButton("Also Location notes", id="location")
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.notify("Write the note first.", severity="warning")
            return
        pressed = self.query_one(RadioSet).pressed_button
        target = pressed.id if pressed is not None else "none"
        self.dismiss(NoteDraft(text, None if target == "none" else NoteTarget(target)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
