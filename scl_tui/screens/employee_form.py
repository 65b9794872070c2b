"""Adding an employee from the settings screen (what `scl employee add` does).

The form saves through the service itself, so a refused value (a login in use, a
phone number that is none) is shown in the form and the rest of what was typed
stays to be corrected.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from core.errors import SclError
from core.services.employees import Details, add_employee
from core.services.views import EmployeeAccess
from scl_tui.text import literal
from scl_tui.widgets.tickbox import TickBox

FIELDS = (  # id, label, placeholder
    ("login", "Login", "the employee's OS user name, e.g. mlopez"),
    ("name", "Name", "as agents see it, e.g. Maria Lopez"),
    ("role", "Role", "a role by name, or empty for none"),
    ("phone", "Phone", "mobile, for texts (optional)"),
    ("email", "Email", "address, for emails (optional)"),
)


class EmployeeFormModal(ModalScreen[EmployeeAccess | None]):
    DEFAULT_CSS = """
    EmployeeFormModal { align: center middle; }
    EmployeeFormModal > Vertical {
        width: 76; height: auto; max-height: 100%; overflow-y: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    EmployeeFormModal Horizontal { height: auto; }
    EmployeeFormModal .field { width: 8; padding-top: 1; }
    EmployeeFormModal Input { width: 1fr; }
    EmployeeFormModal #error { color: $error; height: auto; margin: 1 0 0 0; }
    EmployeeFormModal Button { margin: 1 2 0 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="employee_form_cancel", tooltip="Add nobody"),
        Binding("f2", "save", "Add", id="employee_form_save", tooltip="Add the employee"),
    ]

    def __init__(self, roles: tuple[str, ...]) -> None:
        super().__init__()
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New employee (F2 adds, Esc cancels)")
            for field_id, label, placeholder in FIELDS:
                with Horizontal():
                    yield Label(label, classes="field")
                    yield Input(id=field_id, placeholder=placeholder)
            known = ", ".join(self.roles) or "none yet (scl roles NAME add)"
            yield Static(literal(f"Roles: {known}", "dim"))
            yield TickBox("Administrator (every permission, settings and access)", id="admin")
            yield Static(id="error")
            with Horizontal():
                yield Button("Add", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#login", Input).focus()

    @on(Input.Submitted)
    def next_field(self) -> None:
        """Enter moves on, as in a paper form; on the last box it adds."""
        if self.focused is self.query_one("#email", Input):
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values = {field_id: self.query_one(f"#{field_id}", Input).value for field_id, *_ in FIELDS}
        details = Details(
            name=values["name"],
            role=values["role"] or None,
            phone=values["phone"] or None,
            email=values["email"] or None,
        )
        self.add(values["login"], details, self.query_one("#admin", Checkbox).value)

    @work(thread=True, exclusive=True, group="employee-form", exit_on_error=False)
    def add(self, login: str, details: Details, admin: bool) -> None:
        app: Any = self.app
        try:
            added = add_employee(app.ctx, app.login, login, details, admin=admin)
        except SclError as error:
            self.app.call_from_thread(self._refused, error.message)
            return
        except Exception as error:  # a bug: the app shows it
            self.app.call_from_thread(app.show_error, error)
            return
        self.app.call_from_thread(self.dismiss, added)

    def _refused(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(f"Not added: {message}"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
