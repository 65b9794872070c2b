"""Editing one employee's access, and what a non-administrator sees instead of settings."""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from core.domain.permissions import VIEW_SCL, override_label
from core.domain.phones import display_phone
from core.services.views import EmployeeAccess
from scl_tui.text import literal


class AccessChange(StrEnum):
    """What the employee editor can ask for; the screen turns it into a service call."""

    GRANT = "grant"
    REVOKE = "revoke"
    ROLE = "role"
    MAKE_ADMIN = "admin"
    REMOVE_ADMIN = "not-admin"


class EmployeeAccessModal(ModalScreen[AccessChange | None]):
    """One employee: why they have access, their channels, and what can change."""

    DEFAULT_CSS = """
    EmployeeAccessModal { align: center middle; }
    EmployeeAccessModal > Vertical {
        width: 76; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    EmployeeAccessModal #facts { margin-bottom: 1; }
    EmployeeAccessModal OptionList { height: auto; max-height: 10; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="modal_cancel", tooltip="Close, change nothing"),
    ]

    def __init__(self, person: EmployeeAccess) -> None:
        super().__init__()
        self.person = person
        self.choices = self._choices(person)

    @staticmethod
    def _choices(person: EmployeeAccess) -> list[tuple[AccessChange, str]]:
        if person.is_admin:
            # An administrator has the permission whatever is stored: only the flag matters.
            return [(AccessChange.REMOVE_ADMIN, "Remove the administrator flag")]
        if person.role is None:
            role_says = "no role: no access"
        else:
            role_says = f"{person.role} {'grants' if person.role_grants else 'does not grant'} it"
        return [
            (AccessChange.GRANT, f"Grant {VIEW_SCL} individually"),
            (AccessChange.REVOKE, f"Revoke {VIEW_SCL} individually"),
            (AccessChange.ROLE, f"Follow the role ({role_says})"),
            (AccessChange.MAKE_ADMIN, "Make an administrator (every permission, settings)"),
        ]

    def compose(self) -> ComposeResult:
        p = self.person
        facts = Text()
        facts.append_text(literal(p.name, "bold"))
        facts.append_text(literal(f"  ({p.login})\n\n", "dim"))
        rows = [
            ("Role", p.role or "none"),
            ("Access", f"{'yes' if p.has_access else 'no'} — {p.source}"),
            ("Individually", override_label(p.override)),
            ("Administrator", "yes" if p.is_admin else "no"),
            ("Phone", display_phone(p.phone) if p.phone else "none"),
            ("Email", p.email or "none"),
            ("Notifications", ", ".join(p.channels) or "none chosen"),
        ]
        for label, value in rows:
            facts.append(f"{label:<15}", style="dim")
            facts.append_text(literal(value))
            facts.append("\n")
        with Vertical():
            yield Static(facts, id="facts")
            yield OptionList(
                *(
                    Option(literal(f"{n}  {label}"), id=str(n))  # a role's name is in one
                    for n, (_, label) in enumerate(self.choices, start=1)
                ),
                id="changes",
            )

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.choices):
                event.stop()
                self.dismiss(self.choices[number - 1][0])

    @on(OptionList.OptionSelected, "#changes")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class NotAdminScreen(Screen[None]):
    """Settings are for administrators: say so, say who they are, and go back."""

    DEFAULT_CSS = """
    NotAdminScreen Static#message {
        width: 72;
        padding: 1 2;
        border: heavy $warning;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="settings_back", tooltip="Back where you were"),
    ]

    def __init__(self, login: str, reason: str) -> None:
        super().__init__()
        self.login = login
        self.reason = reason

    def compose(self) -> ComposeResult:
        message = Text()
        message.append("Settings are for administrators\n\n", style="bold")
        message.append_text(literal(self.reason))
        message.append(
            "\n\nAdministrators change whether Second Chance Leads runs, the After Call "
            "Work Time, the Cold Leads and banner durations, and who has access. "
            "Press Esc to go back."
        )
        with Middle(), Center():
            yield Static(message, id="message")
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()
