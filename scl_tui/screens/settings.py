"""The administrator's settings screen: SCL on or off, the durations, who has access
and why, the role editor, and the audit log of every change.

Every read and change is a service call in a thread worker (the services check
that the user is an administrator, validate, and audit); the screen renders what
comes back and says plainly what was refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Static,
    Switch,
    TabbedContent,
    TabPane,
    Tabs,
)

from core.classify.profile import CompanyProfile
from core.domain.permissions import VIEW_SCL
from core.domain.settings import (
    SETTING_SPECS,
    CompanySettings,
    setting_warning,
)
from core.errors import SclError
from core.services import audit, permissions
from core.services.company import get_profile, profile_is_stored
from core.services.settings import get_settings, set_setting
from core.services.views import AuditView, EmployeeAccess, RoleAccess
from scl_tui.screens.access import AccessChange, EmployeeAccessModal
from scl_tui.screens.base import AppScreen
from scl_tui.screens.choice import ChoiceModal
from scl_tui.screens.employee_form import EmployeeFormModal
from scl_tui.screens.help import HelpScreen
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.profile_editor import ProfileEditorModal
from scl_tui.text import literal, local

AUDIT_ROWS = 100
# What the editor starts from when no profile is stored: one brand to fill in.
_STARTER = """\
[[brand]]
name = "Our company"                # as agents say it when they answer
trades = ["hvac", "plumbing"]       # ids from the trade catalog (README)
# also = ["smart thermostat installation"]
# not = ["window units"]
# area = ["Austin", "787"]
"""
DURATION_KEYS = [k for k, spec in SETTING_SPECS.items() if spec.kind is int]
TEXT_KEYS = [*DURATION_KEYS, "timezone"]  # the settings typed into a box


def shown_value(key: str, value: bool | int | str) -> str:
    """A setting's value as people say it: on/off, or the number and its unit."""
    spec = SETTING_SPECS[key]
    if spec.kind is bool:
        word = str(value).lower()
        return "on" if value is True or word == "true" else "off" if word == "false" else word
    if spec.kind is str:
        return str(value) or "this host's"
    return f"{value} {spec.unit}".strip()


def shown_subject(subject: str) -> str:
    """An audit entry's subject with a setting's key put as its label."""
    key = subject.removeprefix("setting ")
    if key != subject and key in SETTING_SPECS:
        return f"setting: {SETTING_SPECS[key].name}"
    return subject


@dataclass(frozen=True)
class SettingsPage:
    """Everything the screen shows, read in one go by a worker."""

    settings: CompanySettings
    people: tuple[EmployeeAccess, ...]
    roles: tuple[RoleAccess, ...]
    audit: tuple[AuditView, ...]
    profile: CompanyProfile
    profile_stored: bool


class SettingsScreen(AppScreen):
    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = "#enabled"  # the first control, not the row of section tabs
    BINDINGS = [
        Binding("escape", "back", "Back", id="settings_back", tooltip="Back to the leads"),
        Binding(
            "a",
            "toggle_everyone",
            "All employees",
            id="settings_all_employees",
            tooltip="Show every employee, or only those with access",
        ),
        Binding(
            "n",
            "new_employee",
            "New employee",
            id="settings_new_employee",
            tooltip="Add an employee (login, name, role, phone, email)",
        ),
        Binding("r", "refresh", "Refresh", id="settings_refresh", tooltip="Read it all again"),
        Binding(
            "question_mark",
            "help",
            "Keys",
            id="settings_help",
            key_display="?",
            tooltip="Every key of this screen",
        ),
        Binding("1", "section('settings')", "Settings section", id="settings_form", show=False),
        Binding(
            "2",
            "section('employees')",
            "Employees with access",
            id="settings_employees",
            show=False,
        ),
        Binding("3", "section('roles')", "Role editor", id="settings_roles", show=False),
        Binding("4", "section('audit')", "Audit log", id="settings_audit", show=False),
        Binding("5", "section('brands')", "Company profile", id="settings_profile", show=False),
        Binding(
            "e",
            "edit_profile",
            "Edit profile",
            id="settings_edit_profile",
            tooltip="Edit the company profile: brands, what each sells and where",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.everyone = False
        self.page: SettingsPage | None = None

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="scl-state")
        with TabbedContent(id="sections"):
            with TabPane("Settings", id="tab-settings"), VerticalScroll(id="form"):
                with Horizontal(classes="setting"):
                    yield Label(SETTING_SPECS["enabled"].label, classes="name")
                    yield Switch(id="enabled")
                    yield Static(SETTING_SPECS["enabled"].help, classes="help")
                for key in DURATION_KEYS:
                    spec = SETTING_SPECS[key]
                    with Horizontal(classes="setting"):
                        yield Label(spec.label, classes="name")
                        # Plain text, not type="integer": that drops a typed "." or "-"
                        # without a word ("1.5" became 15); the service says what is wrong.
                        yield Input(
                            id=key,
                            classes="value",
                            tooltip=f"{spec.minimum} to {spec.maximum}; Enter saves",
                        )
                        yield Static(self._help(key), id=f"{key}-help", classes="help")
                    if key == "after_call_work_minutes":
                        yield Static(id="acw-warning")
                with Horizontal(classes="setting"):
                    yield Label(SETTING_SPECS["transcribe"].label, classes="name")
                    yield Switch(id="transcribe")
                    yield Static(literal(SETTING_SPECS["transcribe"].help), classes="help")
                with Horizontal(classes="setting"):
                    yield Label(SETTING_SPECS["timezone"].label, classes="name")
                    yield Input(
                        id="timezone",
                        classes="value wide",
                        placeholder="this host's",
                        tooltip="An IANA zone name, e.g. America/Chicago; Enter saves",
                    )
                    yield Static(self._help("timezone"), id="timezone-help", classes="help")
                yield Static(id="form-error")
            with TabPane("Employees with access", id="tab-employees"):
                yield Static(id="employees-hint", classes="hint")
                yield DataTable(id="employees", cursor_type="row", zebra_stripes=True)
            with TabPane("Roles", id="tab-roles"):
                yield Static(
                    f"Enter on a role grants or revokes {VIEW_SCL!r} for everyone in it "
                    "(an individual grant or revoke still beats the role).",
                    classes="hint",
                )
                yield DataTable(id="roles", cursor_type="row", zebra_stripes=True)
            with TabPane("Company profile", id="tab-brands"):
                yield Static(id="brands-hint", classes="hint")
                yield DataTable(id="brands", cursor_type="row", zebra_stripes=True)
            with TabPane("Audit", id="tab-audit"):
                yield Static(
                    f"The latest {AUDIT_ROWS} changes to settings and permissions, newest "
                    "first (all of them: scl audit --limit N).",
                    classes="hint",
                )
                yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @staticmethod
    def _help(key: str) -> str:
        spec = SETTING_SPECS[key]
        if spec.kind is not int:
            return f"{spec.help} (Enter saves)"
        return f"{spec.help} ({spec.minimum}–{spec.maximum}; Enter saves)"

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        self.query_one("#employees", DataTable).add_columns(
            "Name", "Login", "Role", "Access", "Why", "Notifications"
        )
        self.query_one("#roles", DataTable).add_columns(VIEW_SCL, "Role", "Employees")
        # What changed and from → to stacked in one cell: at 80 columns a From and a To
        # column of their own were cut off.
        self.query_one("#audit", DataTable).add_columns("When", "Who", "What changed")
        self.query_one("#brands", DataTable).add_columns("Brand", "Sells", "Turns away", "Area")
        self.action_refresh()

    # --- reading ----------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="settings-load", exit_on_error=False)
    def load(self) -> None:
        settings = self._service(get_settings, self.ctx)
        people = self._service(
            permissions.access_list, self.ctx, self.login, only_with_access=not self.everyone
        )
        roles = self._service(permissions.role_list, self.ctx, self.login)
        entries = self._service(audit.recent_entries, self.ctx, self.login, AUDIT_ROWS)
        profile = self._service(get_profile, self.ctx)
        stored = self._service(profile_is_stored, self.ctx)
        if settings is None or people is None or roles is None or entries is None:
            return
        if profile is None or stored is None:
            return
        page = SettingsPage(settings, tuple(people), tuple(roles), tuple(entries), profile, stored)
        self.app.call_from_thread(self.show, page)

    def show(self, page: SettingsPage) -> None:
        self.page = page
        self._show_settings(page.settings)
        self._show_people(page.people)
        self._show_roles(page.roles)
        self._show_audit(page.audit)
        self._show_profile(page.profile, page.profile_stored)

    def _show_settings(self, settings: CompanySettings) -> None:
        state = Text()
        if settings.enabled:
            state.append(" Second Chance Leads is ON ", style="bold reverse green")
            state.append(
                f"  calls are reviewed {settings.after_call_work_minutes} min after they end; "
                f"New leads go Cold after {settings.cold_after_hours} h."
            )
        else:
            state.append(" Second Chance Leads is OFF ", style="bold reverse yellow")
            state.append(
                "  no call is reviewed and no lead is flagged until it is turned on "
                "(SCL enabled, below)."
            )
        if settings.transcribe:
            state.append("  Transcription is on: recordings without a transcript leave this host.")
        self.query_one("#scl-state", Static).update(state)
        for key in ("enabled", "transcribe"):
            switch = self.query_one(f"#{key}", Switch)
            with switch.prevent(Switch.Changed):
                switch.value = getattr(settings, key)
        for key in TEXT_KEYS:
            box = self.query_one(f"#{key}", Input)
            if not box.has_class("-unsaved"):  # a reload never drops what is being typed
                box.value = str(getattr(settings, key))
            self._mark(box)
        warning = setting_warning("after_call_work_minutes", settings.after_call_work_minutes)
        shown = self.query_one("#acw-warning", Static)
        shown.update(Text(f"⚠ {warning}", style="bold yellow") if warning else "")
        shown.set_class(warning is not None, "-shown")

    def _show_people(self, people: tuple[EmployeeAccess, ...]) -> None:
        table = self.query_one("#employees", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for p in people:
            table.add_row(
                literal(p.name),
                literal(p.login),
                literal(p.role or "—"),
                Text("yes", style="green") if p.has_access else Text("no", style="dim"),
                literal(p.source),
                self._channels(p),
                key=p.login,
            )
        if people:
            table.move_cursor(row=min(keep, len(people) - 1))
        shown = "every employee" if self.everyone else "employees with access"
        self.query_one("#employees-hint", Static).update(
            Text(
                f"Showing {shown} ({len(people)}). Enter: edit the employee's access. "
                f"a: {'only those with access' if self.everyone else 'every employee'}. "
                "n: add an employee.",
                style="dim",
            )
        )

    @staticmethod
    def _channels(p: EmployeeAccess) -> Text:
        if not p.channels:
            return Text("none chosen", style="dim")
        shown = Text()
        for n, channel in enumerate(p.channels):
            if n:
                shown.append(", ")
            blocked = "(no " in channel
            shown.append_text(literal(channel, "bold yellow" if blocked else ""))
        return shown

    def _show_roles(self, roles: tuple[RoleAccess, ...]) -> None:
        table = self.query_one("#roles", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for role in roles:
            table.add_row(
                Text("granted", style="green") if role.granted else Text("not granted", "dim"),
                literal(role.name),
                Text(str(role.members)),
                key=role.name,
            )
        if roles:
            table.move_cursor(row=min(keep, len(roles) - 1))

    def _show_audit(self, entries: tuple[AuditView, ...]) -> None:
        table = self.query_one("#audit", DataTable)
        table.clear()
        for entry in entries:
            change = literal(shown_subject(entry.subject))
            change.append("\n")
            change.append_text(literal(self._audit_value(entry.subject, entry.old_value), "dim"))
            change.append(" → ")
            change.append_text(literal(self._audit_value(entry.subject, entry.new_value), "bold"))
            table.add_row(
                Text(local(entry.at, "%Y-%m-%d %H:%M")),
                literal(entry.actor),
                change,
                height=2,
            )

    @staticmethod
    def _audit_value(subject: str, value: str | None) -> str:
        key = subject.removeprefix("setting ")
        if not value:
            return "—"
        return shown_value(key, value) if key != subject and key in SETTING_SPECS else value

    def _show_profile(self, profile: CompanyProfile, stored: bool) -> None:
        table = self.query_one("#brands", DataTable)
        table.clear()
        names = {trade.id: trade.name for trade in profile.catalog.trades}
        for brand in profile.brands:
            sells = [names.get(t, t) for t in brand.trades] + list(brand.also)
            table.add_row(
                literal(brand.name),
                literal(", ".join(sells)),
                literal(", ".join(brand.not_) or "—"),
                literal(", ".join(brand.area) or "anywhere"),
            )
        count = len(profile.brands)
        what = (
            f"{count} brand{'s' if count != 1 else ''}: each call is judged for the brand it "
            "came in on."
            if stored
            else "No profile stored: one brand that does every trade, anywhere."
        )
        self.query_one("#brands-hint", Static).update(
            Text(f"{what} e: edit it (TOML, as `scl company import` reads it).", style="dim")
        )

    def action_edit_profile(self) -> None:
        if self.page is None:
            return

        def saved(profile: CompanyProfile | None) -> None:
            if profile is None:
                return
            count = len(profile.brands)
            self.notify(
                f"Saved the company profile: {count} brand{'s' if count != 1 else ''}.",
                title="Company profile",
                markup=False,
            )
            self.load()

        toml = self.page.profile.to_toml() if self.page.profile_stored else _STARTER
        self.app.push_screen(ProfileEditorModal(self.ctx, self.login, toml), saved)

    # --- changing settings ------------------------------------------------------------

    @on(Switch.Changed, "#enabled")
    def enabled_switched(self, event: Switch.Changed) -> None:
        if event.value:
            self.save("enabled", "true")
            return
        # Off stops every review company-wide: asked first, never a slip of the space bar.
        title = (
            "Turn Second Chance Leads off?\nNo call is reviewed and no lead is flagged "
            "until it is turned on again."
        )
        choices = [(True, "Turn it off"), (False, "Keep it on")]

        def answered(off: bool | None) -> None:
            if off:
                self.save("enabled", "false")
            else:
                with event.switch.prevent(Switch.Changed):
                    event.switch.value = True

        self.app.push_screen(ChoiceModal(title, choices), answered)

    @on(Switch.Changed, "#transcribe")
    def transcribe_switched(self, event: Switch.Changed) -> None:
        if not event.value:
            self.save("transcribe", "false")
            return
        # On sends the company's recordings to another machine: asked first, never a
        # slip of the space bar.
        title = (
            "Turn transcription on?\nRecordings of calls without a transcript will leave "
            "this host: they go to the speech server in the worker's config "
            "([transcription] base_url; unset: OpenAI), which bills per minute."
        )
        choices = [(True, "Turn it on"), (False, "Keep it off")]

        def answered(on: bool | None) -> None:
            if on:
                self.save("transcribe", "true")
            else:
                with event.switch.prevent(Switch.Changed):
                    event.switch.value = False

        self.app.push_screen(ChoiceModal(title, choices), answered)

    @on(Input.Submitted, ".value")
    def duration_submitted(self, event: Input.Submitted) -> None:
        if event.input.id is not None:
            self.save(event.input.id, event.value)

    @on(Input.Changed, ".value")
    def duration_edited(self, event: Input.Changed) -> None:
        """A box whose text is not what is stored says so until Enter saves it."""
        self._mark(event.input)

    def _stored(self, key: str) -> str | None:
        return str(getattr(self.page.settings, key)) if self.page is not None else None

    def _mark(self, box: Input) -> None:
        key = box.id or ""
        stored = self._stored(key)
        unsaved = stored is not None and box.value.strip() != stored
        box.set_class(unsaved, "-unsaved")
        help_line = self.query_one(f"#{key}-help", Static)
        help_line.set_class(unsaved, "-unsaved")
        if unsaved:
            help_line.update(
                Text(
                    f"● Not saved: Enter saves it, Esc puts back {shown_value(key, stored)}.",
                    style="bold",
                )
            )
        else:
            help_line.update(self._help(key))

    def unsaved(self) -> list[Input]:
        return [box for box in self.query(".value").results(Input) if box.has_class("-unsaved")]

    @work(thread=True, group="settings-save", exit_on_error=False)
    def save(self, key: str, value: str) -> None:
        before = self.page.settings if self.page is not None else None
        try:
            after = set_setting(self.ctx, self.login, key, value)
        except SclError as error:
            self.app.call_from_thread(self._refused, key, error)
            return
        except Exception as error:
            self.app.call_from_thread(self.app.show_error, error)  # type: ignore[attr-defined]
            return
        name = SETTING_SPECS[key].name
        old = shown_value(key, getattr(before, key)) if before is not None else "?"
        new = shown_value(key, getattr(after, key))
        self.app.call_from_thread(self._saved, f"Saved: {name} {old} → {new}.")
        if key == "timezone":
            self.app.call_from_thread(self._zone_changed, after.timezone)

    def _zone_changed(self, timezone: str) -> None:
        """Every time shown moves to the new zone: the leads under this screen too."""
        for screen in self.app.screen_stack:
            if isinstance(screen, LeadsScreen):
                screen._show_zone(timezone)
        if self.page is not None:
            self._show_audit(self.page.audit)

    def _saved(self, message: str) -> None:
        self.query_one("#form-error", Static).update("")
        self.notify(message, title="Settings", markup=False)
        self.load()

    def _refused(self, key: str, error: SclError) -> None:
        """The value stays in the box to be corrected; what is saved is unchanged."""
        self.query_one("#form-error", Static).update(
            literal(f"Not saved: {error.message}", "bold red")
        )
        self.notify(
            f"Not saved: {error.message}", title=error.title, severity="error", markup=False
        )
        if key in ("enabled", "transcribe") and self.page is not None:
            self._show_settings(self.page.settings)

    # --- changing access --------------------------------------------------------------

    def action_toggle_everyone(self) -> None:
        self.everyone = not self.everyone
        self.load()

    def action_new_employee(self) -> None:
        roles = tuple(role.name for role in self.page.roles) if self.page else ()

        def added(person: EmployeeAccess | None) -> None:
            if person is None:
                return
            access = f"has access ({person.source})" if person.has_access else "has no access yet"
            self.notify(f"Added {person.name} ({person.login}): {access}.", markup=False)
            self.everyone = self.everyone or not person.has_access  # so the list shows them
            self.query_one(TabbedContent).active = "tab-employees"
            self.load()

        self.app.push_screen(EmployeeFormModal(roles), added)

    @on(DataTable.RowSelected, "#employees")
    def employee_selected(self, event: DataTable.RowSelected) -> None:
        login = event.row_key.value
        person = (
            next((p for p in self.page.people if p.login == login), None) if self.page else None
        )
        if person is None:
            return

        def chosen(change: AccessChange | None) -> None:
            if change is not None:
                self.change_access(person, change)

        self.app.push_screen(EmployeeAccessModal(person), chosen)

    @work(thread=True, group="settings-save", exit_on_error=False)
    def change_access(self, person: EmployeeAccess, change: AccessChange) -> None:
        if change in (AccessChange.MAKE_ADMIN, AccessChange.REMOVE_ADMIN):
            done = self._service(
                permissions.set_admin,
                self.ctx,
                self.login,
                person.login,
                change is AccessChange.MAKE_ADMIN,
            )
        else:
            wanted = {AccessChange.GRANT: True, AccessChange.REVOKE: False}.get(change)
            done = self._service(
                permissions.set_employee_override, self.ctx, self.login, person.login, wanted
            )
        if done is None:
            return
        after = self._service(permissions.employee_access, self.ctx, self.login, person.login)
        if after is not None:
            access = "has access" if after.has_access else "has no access"
            note = "" if done else " (it was already so)"
            self.app.call_from_thread(
                self.notify, f"{after.name}: {access} — {after.source}{note}.", markup=False
            )
        self.app.call_from_thread(self._after_access_change, person.login)

    def _after_access_change(self, login: str) -> None:
        if login == self.login:
            # Someone who removed their own administrator flag is no longer one.
            self._still_admin()
        self.load()

    @work(thread=True, group="settings-save", exit_on_error=False)
    def _still_admin(self) -> None:
        try:
            permissions.require_admin(self.ctx, self.login)
        except SclError:
            self.app.call_from_thread(self.app.pop_screen)

    @on(DataTable.RowSelected, "#roles")
    def role_selected(self, event: DataTable.RowSelected) -> None:
        name = event.row_key.value
        role = next((r for r in self.page.roles if r.name == name), None) if self.page else None
        if role is None:
            return
        people = f"{role.members} employee{'' if role.members == 1 else 's'}"
        state = "granted" if role.granted else "not granted"
        title = f"Role {role.name} ({people})\n{VIEW_SCL}: {state} now.\nFor everyone in it:"
        choices = [(True, f"Grant {VIEW_SCL}"), (False, f"Revoke {VIEW_SCL}")]

        def chosen(granted: bool | None) -> None:
            if granted is not None:
                self.change_role(role.name, granted)

        self.app.push_screen(ChoiceModal(title, choices), chosen)

    @work(thread=True, group="settings-save", exit_on_error=False)
    def change_role(self, name: str, granted: bool) -> None:
        done = self._service(permissions.set_role_permission, self.ctx, self.login, name, granted)
        if done is None:
            return
        verb = "granted to" if granted else "revoked from"
        note = "" if done else " (it was already so)"
        self.app.call_from_thread(
            self.notify, f"{VIEW_SCL} {verb} role {name}{note}.", title="Roles", markup=False
        )
        self.app.call_from_thread(self.load)

    def action_section(self, name: str) -> None:
        """Show a section and put the keyboard in it (its table, or the first setting)."""
        self.query_one(TabbedContent).active = f"tab-{name}"
        target = "#enabled" if name == "settings" else f"#{name}"
        self.query_one(target).focus()

    def action_help(self) -> None:
        rows = [
            (
                b.binding.key_display or key,
                b.binding.tooltip or b.binding.description,
                b.binding.id or "",
            )
            for key, b in self.app.active_bindings.items()
        ]
        self.app.push_screen(HelpScreen(sorted(rows, key=lambda r: r[2])))

    def action_back(self) -> None:
        """Esc in a box leaves the box (its stored value back), not the screen; Esc
        elsewhere goes back to the leads, saying which edits were left unsaved."""
        focused = self.focused
        if isinstance(focused, Input) and focused.has_class("value"):
            stored = self._stored(focused.id or "")
            if stored is not None:
                focused.value = stored
            self.query_one(Tabs).focus()
            return
        left = self.unsaved()
        if left:
            names = ", ".join(
                f"{SETTING_SPECS[box.id or ''].name} (typed {box.value!r})" for box in left
            )
            self.notify(f"Not saved: {names}.", title="Settings", severity="warning")
        self.app.pop_screen()
