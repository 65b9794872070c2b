"""The administrator's settings screen, driven with Pilot on the demo data, and its
snapshots (fixed size, frozen clock, fixed data)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select
from textual.widgets import DataTable, Input, Label, Static, Switch

from core.db.models import Employee
from core.services import permissions
from core.services.audit import recent_entries
from core.services.settings import get_settings, set_setting
from scl_tui.screens.access import EmployeeAccessModal, NotAdminScreen
from scl_tui.screens.choice import ChoiceModal
from scl_tui.screens.employee_form import EmployeeFormModal
from scl_tui.screens.help import HelpScreen
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.settings import SettingsScreen
from tests.tui.conftest import make_app, press, running_app, settle


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


@asynccontextmanager
async def settings_open(ctx, login: str = "admin") -> AsyncIterator[tuple]:
    """(app, pilot, settings screen): the app started as `login`, who pressed o."""
    async with running_app(ctx, login) as (app, pilot):
        await press(app, pilot, "o")
        assert isinstance(app.screen, SettingsScreen)
        yield app, pilot, app.screen


async def flip(app, pilot, switch_id: str) -> None:
    """Enter on a switch: it flips, or asks first."""
    app.screen.query_one(f"#{switch_id}", Switch).focus()
    await press(app, pilot, "enter")


async def type_into(app, pilot, key: str, text: str) -> None:
    box = app.screen.query_one(f"#{key}", Input)
    box.cursor_blink = False  # snapshots must not catch the cursor mid-blink
    box.focus()
    box.value = ""
    await press(app, pilot, *text, "enter")


async def select_row(app, pilot, table_id: str, key: str) -> None:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await press(app, pilot, "enter")


def text_without_a_phone(ctx, login: str) -> None:
    """Someone who chose texts but has no phone number on the profile."""
    with ctx.db.transaction() as session:
        person = session.scalars(select(Employee).where(Employee.login == login)).one()
        person.phone, person.notify_sms = None, True


# --- who may -----------------------------------------------------------------------------


async def test_an_admin_pressing_o_sees_the_settings_as_stored(demo_ctx):
    async with settings_open(demo_ctx) as (app, _, screen):
        assert screen.query_one("#enabled", Switch).value is True
        assert screen.query_one("#after_call_work_minutes", Input).value == "5"
        assert screen.query_one("#cold_after_hours", Input).value == "48"
        assert screen.query_one("#banner_days", Input).value == "14"
        assert "Second Chance Leads is ON" in shown(app, "#scl-state")


async def test_an_agent_is_refused_and_told_who_the_administrators_are(demo_ctx):
    async with running_app(demo_ctx, "agent") as (app, pilot):
        await press(app, pilot, "o")
        assert isinstance(app.screen, NotAdminScreen)
        message = shown(app, "#message")
        assert "Pat Okafor (admin)" in message and "Alex Rivera (agent) is not one" in message
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LeadsScreen)


async def test_someone_without_any_access_is_refused_too(demo_ctx):
    async with running_app(demo_ctx, "jmartinez") as (app, pilot):
        await press(app, pilot, "o")
        assert isinstance(app.screen, NotAdminScreen)


# --- settings ----------------------------------------------------------------------------


async def test_a_negative_duration_is_refused_with_a_message_and_nothing_is_saved(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await type_into(app, pilot, "banner_days", "-3")
        assert "Not saved: Banner window must be between 1 and 90 days, not -3" in shown(
            app, "#form-error"
        )
        assert app.screen.query_one("#banner_days", Input).value == "-3"  # to correct
    assert get_settings(demo_ctx).banner_days == 14
    assert recent_entries(demo_ctx, "admin") == []


async def test_a_fraction_typed_as_cold_hours_is_refused_not_read_as_another_number(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await type_into(app, pilot, "cold_after_hours", "1.5")  # key by key, as typed
        assert "whole number of hours, not '1.5'" in shown(app, "#form-error")
    assert get_settings(demo_ctx).cold_after_hours == 48


async def test_an_absurd_after_call_work_time_is_refused(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await type_into(app, pilot, "after_call_work_minutes", "100000")
        assert "between 0 and 1440" in shown(app, "#form-error")
    assert get_settings(demo_ctx).after_call_work_minutes == 5


async def test_a_long_after_call_work_time_is_saved_audited_and_warned_about(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await type_into(app, pilot, "after_call_work_minutes", "90")
        assert "Over an hour" in shown(app, "#acw-warning")
        assert "Saved: After Call Work Time 5 minutes → 90 minutes." in toasts(app)
    assert get_settings(demo_ctx).after_call_work_minutes == 90
    entry = recent_entries(demo_ctx, "admin")[0]
    assert (entry.actor_login, entry.subject, entry.old_value, entry.new_value) == (
        "admin",
        "setting after_call_work_minutes",
        "5",
        "90",
    )


async def test_turning_scl_off_says_nothing_is_reviewed(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await flip(app, pilot, "enabled")
        assert isinstance(app.screen, ChoiceModal)
        await press(app, pilot, "1")  # Turn it off
        assert "Second Chance Leads is OFF" in shown(app, "#scl-state")
        assert "no call is reviewed" in shown(app, "#scl-state")
    assert get_settings(demo_ctx).enabled is False


async def test_turning_scl_off_asks_first_and_keeping_it_on_changes_nothing(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, screen):
        await flip(app, pilot, "enabled")
        assert isinstance(app.screen, ChoiceModal)
        await press(app, pilot, "2")  # Keep it on
        assert app.screen is screen
        assert screen.query_one("#enabled", Switch).value is True
        assert "Second Chance Leads is ON" in shown(app, "#scl-state")
    assert get_settings(demo_ctx).enabled is True


async def test_the_first_setting_has_the_keyboard_when_the_screen_opens(demo_ctx):
    async with settings_open(demo_ctx) as (app, _, screen):
        assert app.focused is screen.query_one("#enabled", Switch)


async def test_an_edit_is_marked_not_saved_until_enter_saves_it(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, screen):
        box = screen.query_one("#cold_after_hours", Input)
        box.focus()
        await press(app, pilot, "backspace", "backspace", *"24")
        assert box.has_class("-unsaved")
        assert "Not saved: Enter saves it, Esc puts back 48 hours." in shown(
            app, "#cold_after_hours-help"
        )
        assert get_settings(demo_ctx).cold_after_hours == 48
        await press(app, pilot, "enter")
        assert not box.has_class("-unsaved")
        assert "Not saved" not in shown(app, "#cold_after_hours-help")
    assert get_settings(demo_ctx).cold_after_hours == 24


async def test_escape_in_a_box_leaves_the_box_not_the_screen(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, screen):
        box = screen.query_one("#banner_days", Input)
        box.focus()
        await pilot.press("9")
        await press(app, pilot, "escape")
        assert app.screen is screen
        assert app.focused is not box
        assert box.value == "14" and not box.has_class("-unsaved")
        await press(app, pilot, "escape")  # out of the box, Esc goes back to the leads
        assert isinstance(app.screen, LeadsScreen)
    assert get_settings(demo_ctx).banner_days == 14


async def test_leaving_with_an_unsaved_edit_says_it_was_not_saved(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, screen):
        box = screen.query_one("#banner_days", Input)
        box.focus()
        await press(app, pilot, "backspace", "backspace", *"30", "tab")
        await pilot.press("o")  # not a box now: keys are the screen's again
        screen.action_back()
        await settle(app, pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert any("Not saved: Banner window (typed '30')" in t for t in toasts(app))
    assert get_settings(demo_ctx).banner_days == 14


async def test_the_audit_names_a_setting_by_its_label_and_unit(demo_ctx):
    set_setting(demo_ctx, "admin", "after_call_work_minutes", "90")
    set_setting(demo_ctx, "admin", "enabled", "false")
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "4")
        table = app.screen.query_one("#audit", DataTable)
        rows = [str(table.get_row_at(n)[2]) for n in range(2)]
        assert rows == [
            "setting: SCL enabled\non → off",
            "setting: After Call Work Time\n5 minutes → 90 minutes",
        ]


# --- employees with access ---------------------------------------------------------------


async def test_the_employees_tab_lists_those_with_access_and_why(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "2")
        table = app.screen.query_one("#employees", DataTable)
        rows = {str(k.value): table.get_row(k) for k in table.rows}
        assert set(rows) == {"admin", "agent", "lthompson", "kbrooks"}
        assert str(rows["kbrooks"][4]) == "individual grant"
        assert str(rows["admin"][4]) == "administrator"
        await press(app, pilot, "a")
        assert table.row_count == 10


async def test_a_text_chosen_without_a_phone_number_is_flagged(demo_ctx):
    text_without_a_phone(demo_ctx, "kbrooks")
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "2")
        table = app.screen.query_one("#employees", DataTable)
        channels = str(table.get_row("kbrooks")[5])
        assert "text (no phone number on the profile: no texts)" in channels


async def test_the_editor_grants_an_employee_individually(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "2", "a")
        await select_row(app, pilot, "employees", "jmartinez")
        assert isinstance(app.screen, EmployeeAccessModal)
        await press(app, pilot, "1")
        assert isinstance(app.screen, SettingsScreen)
        assert any("Jordan Martinez: has access — individual grant" in t for t in toasts(app))
        table = app.screen.query_one("#employees", DataTable)
        assert str(table.get_row("jmartinez")[4]) == "individual grant"
    assert permissions.can_view_scl(demo_ctx, "jmartinez")
    assert recent_entries(demo_ctx, "admin")[0].subject == (
        "employee jmartinez: View Second Chance Leads"
    )


async def test_the_editor_sends_an_employee_back_to_the_role(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "2", "a")
        await select_row(app, pilot, "employees", "rwilson")
        await press(app, pilot, "3")
    assert permissions.can_view_scl(demo_ctx, "rwilson")  # Call Center Agent grants it


async def test_the_last_administrator_cannot_remove_their_own_flag(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "2")
        await select_row(app, pilot, "employees", "admin")
        await press(app, pilot, "1")  # the only choice for an administrator: remove the flag
        assert any("only administrator" in t for t in toasts(app))
        assert isinstance(app.screen, SettingsScreen)
    assert permissions.employee_access(demo_ctx, "admin", "admin").is_admin


# --- roles and audit ---------------------------------------------------------------------


async def test_the_role_editor_grants_the_permission_to_everyone_in_a_role(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "3")
        await select_row(app, pilot, "roles", "CSR")
        assert isinstance(app.screen, ChoiceModal)
        await press(app, pilot, "1")
        table = app.screen.query_one("#roles", DataTable)
        assert str(table.get_row("CSR")[0]) == "granted"
    for login in ("mgarcia", "tnguyen", "dreyes", "bcole", "jmartinez"):
        assert permissions.can_view_scl(demo_ctx, login)


async def test_the_audit_tab_shows_each_change_from_and_to(demo_ctx):
    permissions.set_role_permission(demo_ctx, "admin", "CSR", True)
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "4")
        table = app.screen.query_one("#audit", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1:] == [
            "Pat Okafor",
            "role CSR: View Second Chance Leads\nnot granted → granted",
        ]


async def test_the_help_key_lists_the_screens_keys(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row[2] for row in app.screen.rows}
        assert {"settings_back", "settings_all_employees", "settings_audit", "settings"} <= ids


async def test_escape_goes_back_to_the_leads(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LeadsScreen)


async def test_an_administrator_who_steps_down_leaves_the_settings(demo_ctx):
    permissions.set_admin(demo_ctx, "admin", "lthompson", True)
    async with settings_open(demo_ctx) as (app, pilot, _):
        await press(app, pilot, "2")
        await select_row(app, pilot, "employees", "admin")
        await press(app, pilot, "1")
        assert isinstance(app.screen, LeadsScreen)
    assert not permissions.employee_access(demo_ctx, "lthompson", "admin").is_admin


# --- snapshots ---------------------------------------------------------------------------

WIDE = (140, 40)


def after(app, *keys: str, then=None):
    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await press(app, pilot, "o")
        for key in keys:
            await press(app, pilot, key)
        if then is not None:
            await then(pilot)
            await settle(app, pilot)

    return run_before


class TestSettingsSnapshots:
    def test_settings_form(self, snap_compare, demo_ctx):
        """You should see SCL on, the three durations with their advice, nothing wrong."""
        app = make_app(demo_ctx, "admin")
        assert snap_compare(app, terminal_size=WIDE, run_before=after(app))

    def test_settings_form_with_scl_off(self, snap_compare, demo_ctx):
        """You should see the OFF line saying nothing is reviewed, and the durations
        with a warning that 2 minutes is too short."""
        set_setting(demo_ctx, "admin", "enabled", "false")
        set_setting(demo_ctx, "admin", "after_call_work_minutes", "2")
        app = make_app(demo_ctx, "admin")
        assert snap_compare(app, terminal_size=WIDE, run_before=after(app))

    def test_bad_value_refused(self, snap_compare, demo_ctx):
        """You should see -3 still in the banner box and a red 'Not saved' line."""
        app = make_app(demo_ctx, "admin")

        async def bad(pilot) -> None:
            await type_into(app, pilot, "banner_days", "-3")

        assert snap_compare(app, terminal_size=WIDE, run_before=after(app, then=bad))

    def test_employees_with_access(self, snap_compare, demo_ctx):
        """You should see the four employees with access, why, and their channels,
        Kayla's text flagged for want of a phone number."""
        text_without_a_phone(demo_ctx, "kbrooks")
        app = make_app(demo_ctx, "admin")
        assert snap_compare(app, terminal_size=WIDE, run_before=after(app, "2"))

    def test_employee_editor(self, snap_compare, demo_ctx):
        """You should see Kayla Brooks' facts and the four changes an admin can make."""
        text_without_a_phone(demo_ctx, "kbrooks")
        app = make_app(demo_ctx, "admin")

        async def edit(pilot) -> None:
            await select_row(app, pilot, "employees", "kbrooks")

        assert snap_compare(app, terminal_size=WIDE, run_before=after(app, "2", then=edit))

    def test_role_editor(self, snap_compare, demo_ctx):
        """You should see the roles, and the grant/revoke choice for the CSR role."""
        app = make_app(demo_ctx, "admin")

        async def edit(pilot) -> None:
            await select_row(app, pilot, "roles", "CSR")

        assert snap_compare(app, terminal_size=WIDE, run_before=after(app, "3", then=edit))

    def test_audit(self, snap_compare, demo_ctx):
        """You should see two changes, newest first, with who, when, from and to."""
        permissions.set_role_permission(demo_ctx, "admin", "CSR", True)
        permissions.set_employee_override(demo_ctx, "admin", "rwilson", None)
        app = make_app(demo_ctx, "admin")
        assert snap_compare(app, terminal_size=WIDE, run_before=after(app, "4"))

    def test_not_an_administrator(self, snap_compare, demo_ctx):
        """You should see why the agent cannot open settings and whom to ask."""
        app = make_app(demo_ctx, "agent")
        assert snap_compare(app, terminal_size=WIDE, run_before=after(app))


# --- adding an employee -------------------------------------------------------------------


async def fill_new_employee(app, pilot, **values: str) -> None:
    await press(app, pilot, "2")
    await press(app, pilot, "n")
    assert isinstance(app.screen, EmployeeFormModal)
    for field_id, text in values.items():
        app.screen.query_one(f"#{field_id}", Input).value = text
    await press(app, pilot, "f2")


async def test_n_adds_an_employee_who_then_shows_in_the_list(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await fill_new_employee(
            app,
            pilot,
            login="hmoreno",
            name="Hana Moreno",
            role="call center agent",
            phone="512 555 0166",
        )
        assert isinstance(app.screen, SettingsScreen)
        table = app.screen.query_one("#employees", DataTable)
        assert str(table.get_row("hmoreno")[0]) == "Hana Moreno"
        assert any("Added Hana Moreno (hmoreno)" in t for t in toasts(app))
    added = permissions.employee_access(demo_ctx, "admin", "hmoreno")
    assert (added.phone, added.has_access) == ("+15125550166", True)


async def test_a_refused_new_employee_keeps_the_form_and_says_why(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, _):
        await fill_new_employee(app, pilot, login="agent", name="Someone Else")
        assert isinstance(app.screen, EmployeeFormModal)
        assert "Not added: 'agent' is already an employee" in shown(app, "#error")
        assert app.screen.query_one("#name", Input).value == "Someone Else"
        await press(app, pilot, "escape")
        assert isinstance(app.screen, SettingsScreen)


# --- transcription -----------------------------------------------------------------------


async def test_the_transcribe_switch_says_recordings_leave_the_host_only_while_it_is_on(
    demo_ctx,
):
    async with settings_open(demo_ctx) as (_, _, screen):
        switch = screen.query_one("#transcribe", Switch)
        assert switch.value is False
        row = " ".join(str(s.render()) for s in switch.parent.query(Static))
        assert "Transcribe recordings" in str(switch.parent.query_one(Label).render())
        assert "Recordings leave this host only while this is on" in row
        assert "([transcription] base_url; unset: OpenAI)" in row  # literally, not markup


async def test_turning_transcription_on_asks_first_then_saves_and_audits_it(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, screen):
        await flip(app, pilot, "transcribe")
        assert isinstance(app.screen, ChoiceModal)
        assert "leave this host" in app.screen.title_text
        await press(app, pilot, "1")  # Turn it on
        assert screen.query_one("#transcribe", Switch).value is True
        assert "Saved: Transcribe recordings off → on." in toasts(app)
        assert "recordings without a transcript leave this host" in shown(app, "#scl-state")
    assert get_settings(demo_ctx).transcribe is True
    entry = recent_entries(demo_ctx, "admin")[0]
    assert (entry.subject, entry.old_value, entry.new_value) == (
        "setting transcribe",
        "false",
        "true",
    )


async def test_keeping_transcription_off_sends_nothing_anywhere(demo_ctx):
    async with settings_open(demo_ctx) as (app, pilot, screen):
        await flip(app, pilot, "transcribe")
        await press(app, pilot, "2")  # Keep it off
        assert screen.query_one("#transcribe", Switch).value is False
    assert get_settings(demo_ctx).transcribe is False
    assert recent_entries(demo_ctx, "admin") == []


async def test_turning_transcription_off_takes_effect_at_once(demo_ctx):
    set_setting(demo_ctx, "admin", "transcribe", "true")
    async with settings_open(demo_ctx) as (app, pilot, screen):
        switch = screen.query_one("#transcribe", Switch)
        assert switch.value is True
        switch.focus()
        await press(app, pilot, "enter")
        assert app.screen is screen
        assert "Saved: Transcribe recordings on → off." in toasts(app)
    assert get_settings(demo_ctx).transcribe is False
