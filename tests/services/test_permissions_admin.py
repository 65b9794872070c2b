"""Administrators editing access: employees, roles, the admin flag, and what is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.models import AuditEntry, Employee
from core.services import permissions
from core.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.builders import seed_people


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def _audit(ctx) -> list[tuple[str, str | None, str | None]]:
    with ctx.db.transaction() as session:
        return [
            (e.subject, e.old_value, e.new_value)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def _set_channels(ctx, login: str, *, sms: bool, email: bool, phone=None, address=None) -> None:
    with ctx.db.transaction() as session:
        person = session.scalars(select(Employee).where(Employee.login == login)).one()
        person.notify_sms, person.notify_email = sms, email
        person.phone, person.email = phone, address


def test_an_individual_grant_is_audited_from_and_to(ctx, people):
    assert permissions.set_employee_override(ctx, "admin", "csr", True) is True
    assert _audit(ctx) == [
        ("employee csr: View Second Chance Leads", "follows the role", "granted individually")
    ]


def test_going_back_to_the_role_is_audited(ctx, people):
    permissions.set_employee_override(ctx, "admin", "agent", False)
    permissions.set_employee_override(ctx, "admin", "agent", None)
    assert [(old, new) for _, old, new in _audit(ctx)] == [
        ("follows the role", "revoked individually"),
        ("revoked individually", "follows the role"),
    ]


def test_setting_what_is_already_so_changes_and_audits_nothing(ctx, people):
    assert permissions.set_employee_override(ctx, "admin", "agent", None) is False
    assert permissions.set_role_permission(ctx, "admin", "Call Center Agent", True) is False
    assert _audit(ctx) == []


def test_a_role_grant_is_audited_and_listed(ctx, people):
    permissions.set_role_permission(ctx, "admin", "CSR", True)
    roles = {r.name: r for r in permissions.role_list(ctx, "admin")}
    assert (roles["CSR"].granted, roles["CSR"].members) == (True, 1)
    assert (roles["Call Center Agent"].granted, roles["Call Center Agent"].members) == (True, 2)
    assert _audit(ctx) == [("role CSR: View Second Chance Leads", "not granted", "granted")]


def test_an_unknown_role_is_named_with_the_roles_there_are(ctx, people):
    with pytest.raises(NotFound, match="the roles are: CSR, Call Center Agent"):
        permissions.set_role_permission(ctx, "admin", "Dispatch", True)


def test_an_individual_revoke_beats_a_role_grant_in_the_access_list(ctx, people):
    permissions.set_employee_override(ctx, "admin", "agent", False)
    row = permissions.employee_access(ctx, "admin", "agent")
    assert (row.has_access, row.source, row.override, row.role_grants) == (
        False,
        "individually revoked",
        False,
        True,
    )


def test_an_administrators_individual_permission_is_refused_as_meaningless(ctx, people):
    with pytest.raises(InvalidInput, match="administrator flag first"):
        permissions.set_employee_override(ctx, "admin", "admin", False)
    assert permissions.can_view_scl(ctx, "admin")


def test_making_an_employee_an_administrator_gives_access_and_is_audited(ctx, people):
    assert permissions.set_admin(ctx, "admin", "csr", True)
    row = permissions.employee_access(ctx, "admin", "csr")
    assert (row.is_admin, row.has_access, row.source) == (True, True, "administrator")
    assert _audit(ctx) == [("employee csr: administrator", "not an administrator", "administrator")]


def test_the_last_administrator_cannot_be_removed(ctx, people):
    with pytest.raises(permissions.LastAdministrator, match="only administrator"):
        permissions.set_admin(ctx, "admin", "admin", False)
    assert permissions.employee_access(ctx, "admin", "admin").is_admin
    assert _audit(ctx) == []


def test_an_administrator_may_step_down_when_another_remains(ctx, people):
    permissions.set_admin(ctx, "admin", "agent", True)
    permissions.set_admin(ctx, "admin", "admin", False)
    with pytest.raises(PermissionDenied):
        permissions.require_admin(ctx, "admin")
    with pytest.raises(permissions.LastAdministrator):
        permissions.set_admin(ctx, "agent", "agent", False)


def test_a_non_administrator_is_told_who_the_administrators_are(ctx, people):
    with pytest.raises(PermissionDenied, match=r"Pat Okafor \(admin\)"):
        permissions.require_admin(ctx, "agent")
    for refused in (
        lambda: permissions.access_list(ctx, "agent"),
        lambda: permissions.role_list(ctx, "agent"),
        lambda: permissions.set_admin(ctx, "agent", "agent", True),
        lambda: permissions.employee_access(ctx, "csr", "csr"),
    ):
        with pytest.raises(PermissionDenied, match="Only an administrator"):
            refused()
    assert not permissions.employee_access(ctx, "admin", "agent").is_admin
    assert _audit(ctx) == []


def test_an_unknown_login_is_refused_by_name(ctx, people):
    with pytest.raises(NotFound, match="nobody"):
        permissions.set_employee_override(ctx, "admin", "nobody", True)
    with pytest.raises(NotFound, match="nobody"):
        permissions.require_admin(ctx, "nobody")


def test_the_access_list_shows_channels_and_a_text_without_a_phone(ctx, people):
    _set_channels(ctx, "agent", sms=True, email=True, address="maria@example.com")
    _set_channels(ctx, "agent2", sms=True, email=True, phone="+15125550100")
    rows = {r.login: r for r in permissions.access_list(ctx, "admin")}
    assert rows["agent"].channels == (
        "in-app",
        "text (no phone number on the profile: no texts)",
        "email",
    )
    assert rows["agent2"].channels == (
        "in-app",
        "text",
        "email (no email address on the profile: no emails)",
    )
    assert rows["csr"].channels == ("in-app",)


def test_two_administrators_removing_each_other_at_once_leave_one(ctx, people, monkeypatch):
    """Both read "two administrators" before either writes; one removal must lose."""
    import contextlib
    import threading

    from core.services import actors

    permissions.set_admin(ctx, "admin", "agent", True)
    both_read = threading.Barrier(2)
    find = actors.employee

    def employee_after_both_read(session, login):
        # On PostgreSQL the second waits on the row lock instead, and the barrier breaks.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=2)
        return find(session, login)

    monkeypatch.setattr(actors, "employee", employee_after_both_read)
    outcomes: dict[str, object] = {}

    def remove(actor: str, target: str) -> None:
        try:
            outcomes[actor] = permissions.set_admin(ctx, actor, target, False)
        except permissions.LastAdministrator as refused:
            outcomes[actor] = refused

    threads = [
        threading.Thread(target=remove, args=("admin", "agent")),
        threading.Thread(target=remove, args=("agent", "admin")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["LastAdministrator", "bool"]
    with ctx.db.transaction() as session:
        admins = session.scalars(select(Employee.login).where(Employee.is_admin.is_(True))).all()
    assert len(admins) == 1


def test_an_administrator_adds_a_role_that_gives_its_members_access(ctx, people):
    from core.services.employees import Details, update_employee

    permissions.add_role(ctx, "admin", "  Dispatch   Leads ", granted=True)
    assert _audit(ctx)[-1] == ("role Dispatch Leads", None, "added, granted")
    person, _ = update_employee(ctx, "admin", "csr", Details(role="dispatch leads"))
    assert (person.role, person.has_access, person.source) == ("Dispatch Leads", True, "role")


def test_a_role_name_already_taken_is_refused_whatever_its_case(ctx, people):
    with pytest.raises(InvalidInput, match="already a role"):
        permissions.add_role(ctx, "admin", "csr", granted=False)


def test_only_administrators_add_roles(ctx, people):
    with pytest.raises(PermissionDenied):
        permissions.add_role(ctx, "agent", "Night Shift", granted=True)
