"""My notification preferences: in-app, text, email (the seed's Preferences page).

Each switch is saved as soon as it changes (as on the seed's page, where you set
them and close the window); a chosen channel that cannot work says why beside it.
The phone number and email address the messages go to are the employee's own to
keep: Enter in either box saves it (empty clears it).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from core.domain.notifications import Channel
from core.domain.phones import display_phone
from core.services.employees import Details, update_employee
from core.services.preferences import NotificationPreferences, get_preferences, set_preferences
from scl_tui.text import literal
from scl_tui.widgets.tickbox import TickBox

CHECKBOX_IDS = {Channel.IN_APP: "in-app", Channel.SMS: "sms", Channel.EMAIL: "email"}
KEYWORDS = {Channel.IN_APP: "in_app", Channel.SMS: "sms", Channel.EMAIL: "email"}


class PreferencesScreen(ModalScreen[None]):
    CSS_PATH = "preferences.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="preferences_close", tooltip="Close preferences"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: NotificationPreferences | None = None
        self._painting = False  # set while the screen sets the boxes itself

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with Horizontal(id="title-row"):
                yield Label("Preferences", id="title")
                yield Button("X", id="close", tooltip="Close (Esc)")
            yield Label("Second Chance Leads: how do you want to hear of a new lead?")
            for channel, box_id in CHECKBOX_IDS.items():
                yield TickBox(channel.display_name, id=box_id, disabled=True)
                yield Static(id=f"{box_id}-note", classes="note")
            with Horizontal(id="contact"):
                yield Label("Phone", classes="field")
                yield Input(id="phone", placeholder="mobile, for texts")
            with Horizontal(id="email-row"):
                yield Label("Email", classes="field")
                yield Input(id="email-address", placeholder="address, for emails")
            yield Static("Enter saves a number or address; an empty box clears it.", classes="note")
            yield Static(id="access")

    def on_mount(self) -> None:
        self.load()

    @property
    def _ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    @property
    def _login(self) -> str:
        return self.app.login  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="preferences", exit_on_error=False)
    def load(self) -> None:
        self._run(get_preferences, self._ctx, self._login)

    @work(thread=True, exclusive=True, group="preferences", exit_on_error=False)
    def save(self, channel: Channel, value: bool) -> None:
        # The boxes keep what is being typed in them: only the switches repaint.
        self._run(
            set_preferences,
            self._ctx,
            self._login,
            **{KEYWORDS[channel]: value},
            repaint_contact=False,
        )

    @work(thread=True, exclusive=True, group="preferences", exit_on_error=False)
    def save_contact(self, field: str, value: str) -> None:
        def save(ctx: Any, login: str) -> NotificationPreferences:
            update_employee(ctx, login, login, Details(**{field: value}))
            return get_preferences(ctx, login)

        self._run(save, self._ctx, self._login)

    def _run(self, call: Any, *args: Any, repaint_contact: bool = True, **kwargs: Any) -> None:
        """Call the service in this worker thread; show the result or the error."""
        try:
            shown = call(*args, **kwargs)
        except Exception as error:  # a refusal or a bug: the app shows it
            self.app.call_from_thread(self.app.show_error, error)  # type: ignore[attr-defined]
            shown = None
        self.app.call_from_thread(self.show, shown, repaint_contact)

    def show(self, shown: NotificationPreferences | None, repaint_contact: bool = True) -> None:
        """Paint the switches as stored (after a failed save too: what is saved shows)."""
        if shown is None:
            shown = self.shown
        if shown is None:
            return
        self.shown = shown
        self._painting = True
        try:
            for choice in shown.choices:
                box_id = CHECKBOX_IDS[choice.channel]
                box = self.query_one(f"#{box_id}", Checkbox)
                box.value = choice.chosen
                box.disabled = False
                note = self.query_one(f"#{box_id}-note", Static)
                note.update(literal(f"  {choice.why_not}" if choice.why_not else ""))
                note.set_class(bool(choice.why_not), "-problem")
        finally:
            self._painting = False
        if repaint_contact:
            phone = display_phone(shown.phone) if shown.phone else ""
            self.query_one("#phone", Input).value = phone
            self.query_one("#email-address", Input).value = shown.email or ""
        access = self.query_one("#access", Static)
        access.update(
            Text(
                ""
                if shown.has_access
                else "You do not have the View Second Chance Leads permission, so you "
                "are not notified at all; an administrator can grant it."
            )
        )
        access.set_class(not shown.has_access, "-problem")

    @on(Checkbox.Changed)
    def changed(self, event: Checkbox.Changed) -> None:
        if self._painting or self.shown is None:
            return
        channel = next(c for c, box_id in CHECKBOX_IDS.items() if box_id == event.checkbox.id)
        if self.shown.choice(channel).chosen != event.value:
            self.save(channel, event.value)

    @on(Input.Submitted, "#phone")
    def phone_entered(self, event: Input.Submitted) -> None:
        self.save_contact("phone", event.value)

    @on(Input.Submitted, "#email-address")
    def email_entered(self, event: Input.Submitted) -> None:
        self.save_contact("email", event.value)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
