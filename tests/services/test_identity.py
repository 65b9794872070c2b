"""Who acts, on SQLite and PostgreSQL: the OS account's employee; --as only for root,
administrators and listed OS accounts; importing needs its permission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db.models import Call, Employee
from core.domain.permissions import IMPORT_CALLS
from core.services import identity, permissions
from core.services.audit import recent_entries
from core.services.booking import record_job
from core.services.errors import InvalidInput, NotFound, PermissionDenied
from core.services.importer import import_calls
from tests.builders import seed_people

EXPORT = Path(__file__).parents[2] / "data" / "examples" / "calls.jsonl"


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def _calls(ctx) -> int:
    with ctx.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Call))


def test_an_os_account_acts_as_the_employee_with_its_login(ctx, people):
    assert identity.resolve(ctx, None, os_user="agent", root=False).login == "agent"


def test_an_os_account_that_is_no_employee_is_refused_and_told_why(ctx, people):
    with pytest.raises(identity.NotAnEmployee) as refused:
        identity.resolve(ctx, None, os_user="mallory", root=False)
    assert refused.value.message == (
        "the OS user 'mallory' is no employee of Second Chance Leads; "
        "ask an administrator to add 'mallory' as an employee."
    )


def test_root_that_is_no_employee_is_told_it_may_use_as(ctx, people):
    with pytest.raises(identity.NotAnEmployee, match="may act as an employee with --as"):
        identity.resolve(ctx, None, os_user="root", root=True)


def test_as_is_refused_to_an_employee_who_is_not_an_administrator(ctx, people):
    with pytest.raises(PermissionDenied, match="'agent' may not act as another"):
        identity.resolve(ctx, "admin", os_user="agent", root=False)


def test_as_is_allowed_to_an_administrator_and_to_root(ctx, people):
    assert identity.resolve(ctx, "agent", os_user="admin", root=False).login == "agent"
    assert identity.resolve(ctx, "agent", os_user="root", root=True).login == "agent"


def test_as_an_unknown_login_is_refused(ctx, people):
    with pytest.raises(NotFound, match="'ghost' \\(given with --as\\)"):
        identity.resolve(ctx, "ghost", os_user="admin", root=False)


def test_a_listed_os_account_may_act_as_others_until_it_is_taken_off(ctx, people):
    assert identity.allow_as(ctx, "admin", "www-data") is True
    assert identity.allow_as(ctx, "admin", "www-data") is False
    assert identity.delegates(ctx, "admin") == ["www-data"]
    assert identity.resolve(ctx, "agent", os_user="www-data", root=False).login == "agent"
    assert identity.disallow_as(ctx, "admin", "www-data") is True
    with pytest.raises(PermissionDenied):
        identity.resolve(ctx, "agent", os_user="www-data", root=False)


def test_only_an_administrator_lists_os_accounts(ctx, people):
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        identity.allow_as(ctx, "agent", "agent-bot")
    with pytest.raises(InvalidInput, match="not an OS user name"):
        identity.allow_as(ctx, "admin", "two words")


def test_acting_as_another_is_audited_with_the_os_account_and_the_employee(ctx, people):
    identity.resolve(ctx, "agent", os_user="admin", root=False, doing="scl dismiss")
    entry = recent_entries(ctx, "admin", 1)[0]
    assert (entry.subject, entry.actor_login, entry.new_value) == (
        "acting as agent",
        "agent",
        "scl dismiss",
    )
    assert entry.os_user  # this process's OS account, whatever runs the tests


def test_the_list_of_os_accounts_is_not_a_company_setting(ctx, people):
    from core.services.settings import get_settings

    identity.allow_as(ctx, "admin", "www-data")
    assert "www-data" not in json.dumps(get_settings(ctx).__dict__, default=str)


def test_import_is_refused_to_an_employee_without_the_import_permission(ctx, people):
    with pytest.raises(PermissionDenied, match="may not import calls"):
        import_calls(ctx, "agent", [EXPORT])
    assert _calls(ctx) == 0


def test_import_is_refused_to_a_login_that_is_no_employee(ctx, people):
    with pytest.raises(NotFound):
        import_calls(ctx, "ghost", [EXPORT])
    assert _calls(ctx) == 0


def test_import_is_allowed_to_an_administrator_and_to_a_role_given_the_permission(ctx, people):
    assert import_calls(ctx, "admin", [EXPORT]).imported == 4
    permissions.set_role_permission(ctx, "admin", "CSR", True, IMPORT_CALLS)
    assert import_calls(ctx, "csr", [EXPORT]).already_known == 4


def test_booking_by_a_login_that_is_no_employee_stores_nothing(ctx, people):
    with pytest.raises(NotFound):
        record_job(ctx, "ghost", "(512) 555-0134")
    with ctx.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Employee)) == 4
