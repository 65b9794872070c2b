"""Every key of the screen underneath, with what it does: this app's keys first, in the
groups the README's table uses (triage, navigation, player, screens), then Textual's."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from scl_tui.text import literal

# binding id → group; the README's key tables list the same ids (a test holds them to it).
GROUPS: dict[str, tuple[str, ...]] = {
    "Triage": ("dismiss", "call_back", "set_status", "add_note", "goto_new_lead"),
    "Navigation": (
        "tab_open",
        "tab_cold",
        "tab_done",
        "next_lead",
        "previous_lead",
        "open_review",
        "back",
        "search",
        "next_match",
        "previous_match",
        "status_filter",
        "filter",
        "period",
        "refresh",
        "help",
    ),
    "Player": (
        "player_play",
        "player_back",
        "player_forward",
        "player_speed",
        "player_jump",
        "player_export",
    ),
    "Screens": ("book_job", "metrics", "preferences", "settings", "quit"),
}
OTHER = "More keys"

Row = tuple[str, str, str]  # key, what it does, binding id


def grouped(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """The rows in this app's groups, in each group's order; the rest last, by key."""
    by_id = {binding_id: row for row in rows for binding_id in [row[2]] if binding_id}
    out: list[tuple[str, list[Row]]] = []
    placed: set[int] = set()
    for title, ids in GROUPS.items():
        found = [by_id[i] for i in ids if i in by_id]
        placed.update(id(row) for row in found)
        if found:
            out.append((title, found))
    rest = sorted((row for row in rows if id(row) not in placed), key=lambda r: (r[2], r[0]))
    if rest:
        out.append((OTHER, rest))
    return out


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: 80%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding(
            "escape,q,question_mark", "close", "Close", id="help_close", tooltip="Back to the leads"
        ),
    ]

    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows
        self.groups = grouped(rows)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for title, rows in self.groups:
                table = Table(title=title, title_justify="left", expand=True, show_edge=False)
                table.add_column("Key", style="bold", no_wrap=True, width=10)
                table.add_column("Does")
                table.add_column("Binding id", style="dim", width=16)
                for key, does, binding_id in rows:
                    table.add_row(literal(key), literal(does), literal(binding_id))
                yield Static(table)
            yield Static(
                "Rebind any key in the [keymap] table of the config file, by binding id, "
                'e.g.  dismiss = "x".  Ctrl+P opens the command palette: jump to a lead by '
                "phone number, switch the period, change the theme.",
                markup=False,
            )

    def action_close(self) -> None:
        self.dismiss(None)
