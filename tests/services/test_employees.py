"""Adding employees and keeping their details; the first administrator of a new company."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.models import AuditEntry, Employee
from core.services.employees import Details, add_employee, update_employee
from core.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.builders import seed_people


def audited(ctx) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(r.subject, r.old_value, r.new_value) for r in rows]


def test_a_new_company_starts_by_adding_its_first_administrator(ctx):
    added = add_employee(ctx, "whoever", "pat", Details(name="Pat Okafor"), admin=True)
    assert (added.login, added.is_admin, added.has_access) == ("pat", True, True)
    assert audited(ctx) == [("employee pat", None, "added as the first administrator")]


def test_while_there_is_no_administrator_only_an_administrator_can_be_added(ctx):
    with pytest.raises(PermissionDenied, match="no administrator yet"):
        add_employee(ctx, "whoever", "maria", Details(name="Maria Lopez"))


def test_once_there_is_an_administrator_only_administrators_add_employees(ctx):
    seed_people(ctx)
    with pytest.raises(PermissionDenied, match="Pat Okafor"):
        add_employee(ctx, "agent", "newbie", Details(name="New Agent"))
    added = add_employee(
        ctx, "admin", "newbie", Details(name="New Agent", role="call center agent")
    )
    assert (added.role, added.has_access, added.source) == ("Call Center Agent", True, "role")


def test_a_login_already_in_use_is_refused_saying_how_to_change_that_employee(ctx):
    seed_people(ctx)
    with pytest.raises(InvalidInput, match=r"already an employee .*scl employee set agent"):
        add_employee(ctx, "admin", "agent", Details(name="Someone Else"))


@pytest.mark.parametrize(
    ("login", "details", "says"),
    [
        ("has space", Details(name="X"), "login"),
        ("ok", Details(name="   "), "name"),
        ("ok", Details(name="X", phone="12"), r"phone: '12' is not a possible phone number"),
        ("ok", Details(name="X", email="x@"), "email: 'x@' is not an email address"),
        ("ok", Details(name="X", role="Plumbers"), "the roles are: Call Center Agent, CSR"),
        ("ok", Details(), "needs a name"),
    ],
)
def test_a_bad_detail_is_refused_naming_the_field_and_nothing_is_added(ctx, login, details, says):
    seed_people(ctx)
    with pytest.raises(InvalidInput, match=says):
        add_employee(ctx, "admin", login, details)
    with ctx.db.transaction() as session:
        assert session.scalars(select(Employee).where(Employee.login == login)).first() is None


def test_phone_and_email_are_kept_in_one_form_so_texts_and_emails_reach_them(ctx):
    seed_people(ctx)
    added = add_employee(
        ctx, "admin", "sam", Details(name="Sam", phone="(512) 555-0199", email="Sam@Example.COM")
    )
    assert (added.phone, added.email) == ("+15125550199", "Sam@example.com")


def test_an_employee_keeps_their_own_phone_and_email_and_each_change_is_audited(ctx):
    seed_people(ctx)
    person, changed = update_employee(
        ctx, "agent", "agent", Details(phone="512 555 0101", email="maria@hvac.example")
    )
    assert (person.phone, changed) == ("+15125550101", ["phone", "email"])
    assert audited(ctx)[-2:] == [
        ("employee agent: phone", None, "+15125550101"),
        ("employee agent: email", None, "maria@hvac.example"),
    ]
    _, again = update_employee(ctx, "agent", "agent", Details(phone="+1 512 555 0101"))
    assert again == []


def test_an_empty_value_clears_a_phone_number(ctx):
    seed_people(ctx)
    person, changed = update_employee(ctx, "admin", "csr", Details(phone=""))
    assert (person.phone, changed) == (None, ["phone"])


def test_only_administrators_change_names_roles_or_someone_elses_details(ctx):
    seed_people(ctx)
    with pytest.raises(PermissionDenied):
        update_employee(ctx, "agent", "agent", Details(role="CSR"))
    with pytest.raises(PermissionDenied):
        update_employee(ctx, "agent", "agent2", Details(phone="512 555 0102"))
    person, changed = update_employee(ctx, "admin", "agent", Details(role="CSR"))
    assert (person.role, person.has_access, changed) == ("CSR", False, ["role"])


def test_changing_an_unknown_employee_says_so(ctx):
    seed_people(ctx)
    with pytest.raises(NotFound):
        update_employee(ctx, "admin", "ghost", Details(name="Ghost"))
