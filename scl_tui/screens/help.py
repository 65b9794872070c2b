"""Every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from scl_tui.text import literal


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; height: 80%; border: thick $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding(
            "escape,q,question_mark", "close", "Close", id="help_close", tooltip="Back to the leads"
        ),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id", style="dim")
        for key, does, binding_id in self.rows:
            table.add_row(literal(key), literal(does), literal(binding_id))
        with VerticalScroll():
            yield Static(table)
            yield Static(
                "Rebind any key in the [keymap] table of the config file, by binding id, "
                'e.g.  dismiss = "x".  Ctrl+P opens the command palette: jump to a lead by '
                "phone number, switch the period, change the theme.",
                markup=False,
            )

    def action_close(self) -> None:
        self.dismiss(None)
