"""What someone without the permission sees instead of the leads: why, and whom to ask."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from core.domain.permissions import VIEW_SCL
from scl_tui.text import literal


def administrators(admins: list[tuple[str, str]]) -> Text:
    """ "an administrator — Ann Lee (alee) or Bo Chu (bchu) —", as the refusals of
    administrators' work name them, or how the first is made when there is none yet."""
    if not admins:
        return Text(
            "an administrator (none yet: the first is added with `scl employee add LOGIN --admin`)"
        )
    out = Text("an administrator — ")
    for n, (name, login) in enumerate(admins):
        if n:
            out.append(", " if n < len(admins) - 1 else " or ")
        out.append_text(literal(name, "bold"))
        out.append_text(literal(f" ({login})"))
    out.append(" —")
    return out


class NoAccessScreen(Screen[None]):
    DEFAULT_CSS = """
    NoAccessScreen Static#message {
        width: 72;
        max-width: 100%;
        padding: 1 2;
        border: heavy $error;
    }
    """

    def __init__(
        self, login: str, *, employee: bool = True, admins: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__()
        self.login = login
        self.employee = employee
        self.admins = admins or []

    def compose(self) -> ComposeResult:
        message = Text()
        message.append("You cannot see Second Chance Leads\n\n", style="bold")
        who = literal(self.login, "bold")  # --as takes any text
        if self.employee:
            message.append("You are signed in as ")
            message.append_text(who)
            message.append(f", who does not have the {VIEW_SCL!r} permission.\n\nAsk ")
            message.append_text(administrators(self.admins))
            message.append(" to grant it to your role or to you.")
        else:
            message.append("The OS user ")
            message.append_text(who)
            message.append(" is no employee of Second Chance Leads.\n\nAsk ")
            message.append_text(administrators(self.admins))
            message.append(" to add you (")
            message.append_text(literal(f"scl employee add {self.login}"))
            message.append(
                "). If you have an employee login of your own, `scl --as LOGIN` opens "
                "it — allowed to root, administrators and the OS accounts an "
                "administrator lists."
            )
        message.append("\n\nYou can still book a job (b); q leaves.")
        with Middle(), Center():
            yield Static(message, id="message")
        yield Footer()
