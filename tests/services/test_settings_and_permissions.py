"""Company settings and who may view Second Chance Leads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.models import AuditEntry
from core.services import permissions
from core.services.errors import InvalidInput, PermissionDenied
from core.services.settings import get_settings, set_setting
from tests.builders import seed_people


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def test_settings_start_at_the_spec_defaults(ctx, people):
    settings = get_settings(ctx)
    assert (
        settings.enabled,
        settings.after_call_work_minutes,
        settings.cold_after_hours,
        settings.banner_days,
    ) == (False, 5, 48, 14)


def test_an_admin_changes_a_setting_and_the_change_is_audited(ctx, people):
    assert set_setting(ctx, "admin", "after_call_work_minutes", "10").after_call_work_minutes == 10
    assert get_settings(ctx).after_call_work_minutes == 10
    with ctx.db.transaction() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.subject, entry.old_value, entry.new_value) == (
            "setting after_call_work_minutes",
            "5",
            "10",
        )


def test_only_an_admin_changes_settings(ctx, people):
    with pytest.raises(PermissionDenied, match="administrator"):
        set_setting(ctx, "agent", "enabled", "true")
    assert get_settings(ctx).enabled is False


def test_a_bad_setting_value_is_refused_and_nothing_is_saved(ctx, people):
    with pytest.raises(InvalidInput, match="between"):
        set_setting(ctx, "admin", "banner_days", "-3")
    assert get_settings(ctx).banner_days == 14


def test_the_access_list_says_why_each_employee_has_access(ctx, people):
    rows = {r.login: r for r in permissions.access_list(ctx, "admin")}
    assert (rows["admin"].source, rows["admin"].has_access) == ("administrator", True)
    assert (rows["agent"].source, rows["agent"].has_access) == ("role", True)
    assert (rows["csr"].source, rows["csr"].has_access) == ("no access", False)
    only = permissions.access_list(ctx, "admin", only_with_access=True)
    assert {r.login for r in only} == {"admin", "agent", "agent2"}


def test_granting_an_employee_individually_gives_access(ctx, people):
    permissions.set_employee_override(ctx, "admin", "csr", True)
    assert permissions.can_view_scl(ctx, "csr")


def test_revoking_an_employee_individually_beats_their_role(ctx, people):
    permissions.set_employee_override(ctx, "admin", "agent", False)
    assert not permissions.can_view_scl(ctx, "agent")
    permissions.set_employee_override(ctx, "admin", "agent", None)
    assert permissions.can_view_scl(ctx, "agent")


def test_granting_a_role_gives_access_to_everyone_in_it(ctx, people):
    permissions.set_role_permission(ctx, "admin", "CSR", True)
    assert permissions.can_view_scl(ctx, "csr")
    permissions.set_role_permission(ctx, "admin", "CSR", False)
    assert not permissions.can_view_scl(ctx, "csr")


def test_only_an_admin_changes_permissions(ctx, people):
    with pytest.raises(PermissionDenied):
        permissions.set_employee_override(ctx, "agent", "csr", True)
    with pytest.raises(PermissionDenied):
        permissions.set_role_permission(ctx, "agent", "CSR", True)
    assert not permissions.can_view_scl(ctx, "csr")


def test_an_absurd_duration_is_refused_with_its_range(ctx, people):
    with pytest.raises(InvalidInput, match="between 1 and 2160 hours, not 100000"):
        set_setting(ctx, "admin", "cold_after_hours", "100000")
    with pytest.raises(InvalidInput, match="whole number"):
        set_setting(ctx, "admin", "after_call_work_minutes", "five")
    assert get_settings(ctx).cold_after_hours == 48


def test_a_non_admin_learns_who_the_administrators_are(ctx, people):
    with pytest.raises(PermissionDenied, match=r"Ask an administrator — Pat Okafor \(admin\)"):
        set_setting(ctx, "agent", "banner_days", "-1")


def test_turning_scl_on_is_audited_as_false_to_true(ctx, people):
    set_setting(ctx, "admin", "enabled", "on")
    with ctx.db.transaction() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.subject, entry.old_value, entry.new_value) == (
            "setting enabled",
            "false",
            "true",
        )
