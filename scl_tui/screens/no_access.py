"""What someone without the permission sees instead of the leads."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from core.domain.permissions import VIEW_SCL
from scl_tui.text import literal


class NoAccessScreen(Screen[None]):
    DEFAULT_CSS = """
    NoAccessScreen Static#message {
        width: 64;
        padding: 1 2;
        border: heavy $error;
    }
    """

    def __init__(self, login: str) -> None:
        super().__init__()
        self.login = login

    def compose(self) -> ComposeResult:
        message = Text()
        message.append("You cannot see Second Chance Leads\n\n", style="bold")
        message.append("You are signed in as ")
        message.append_text(literal(self.login, "bold"))  # --as takes any text
        message.append(
            f", who does not have the {VIEW_SCL!r} permission (or is not an employee "
            "here yet).\n\nAsk an administrator to grant the permission to your role or to "
            "you. You can still book a job (b); q leaves."
        )
        with Middle(), Center():
            yield Static(message, id="message")
        yield Footer()
