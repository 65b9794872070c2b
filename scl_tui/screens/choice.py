"""A small modal that asks for one choice from a short list, by number or arrows."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from scl_tui.text import literal

T = TypeVar("T")


class ChoiceModal(ModalScreen[T | None], Generic[T]):
    DEFAULT_CSS = """
    ChoiceModal { align: center middle; }
    ChoiceModal > Vertical {
        width: 64; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    ChoiceModal Label { margin-bottom: 1; }
    ChoiceModal OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="modal_cancel", tooltip="Close, change nothing"),
    ]

    def __init__(self, title: str, choices: list[tuple[T, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            # Titles and choices may name a role or a person: never read as markup.
            yield Label(literal(self.title_text))
            yield OptionList(
                *(
                    Option(literal(f"{n}  {label}"), id=str(n))
                    for n, (_, label) in enumerate(self.choices, start=1)
                )
            )

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.choices):
                event.stop()
                self.dismiss(self.choices[number - 1][0])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
