"""The audit log: every change to settings and permissions, newest first, for administrators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.services import permissions
from core.services.audit import recent_entries
from core.services.errors import InvalidInput, PermissionDenied
from core.services.settings import set_setting
from tests.builders import seed_people
from tests.conftest import NOW


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def test_each_change_says_who_when_what_from_and_to(ctx, people, clock):
    set_setting(ctx, "admin", "enabled", "true")
    clock.advance(timedelta(minutes=5))
    permissions.set_role_permission(ctx, "admin", "CSR", True)
    newest, oldest = recent_entries(ctx, "admin")
    assert (newest.at, newest.actor, newest.actor_login, newest.subject) == (
        NOW + timedelta(minutes=5),
        "Pat Okafor",
        "admin",
        "role CSR: View Second Chance Leads",
    )
    assert (oldest.at, oldest.subject, oldest.old_value, oldest.new_value) == (
        NOW,
        "setting enabled",
        "false",
        "true",
    )


def test_a_refused_change_leaves_no_entry(ctx, people):
    with pytest.raises(InvalidInput):
        set_setting(ctx, "admin", "after_call_work_minutes", "-5")
    with pytest.raises(PermissionDenied):
        set_setting(ctx, "agent", "enabled", "true")
    assert recent_entries(ctx, "admin") == []


def test_the_limit_keeps_the_newest(ctx, people, clock):
    for minutes in range(1, 6):
        clock.set(NOW + timedelta(minutes=minutes))
        set_setting(ctx, "admin", "after_call_work_minutes", str(minutes + 5))
    entries = recent_entries(ctx, "admin", limit=2)
    assert [e.new_value for e in entries] == ["10", "9"]


def test_only_administrators_read_the_audit_log(ctx, people):
    with pytest.raises(PermissionDenied, match="read the audit log"):
        recent_entries(ctx, "agent")
