"""A new lead notifies exactly the people with the permission, on the channels each chose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.models import AuditEntry, Employee, EmployeePermission, Notification
from core.domain.notifications import NO_EMAIL, NO_PHONE, Channel, DeliveryState
from core.domain.permissions import VIEW_SCL
from core.services import notifications, preferences
from core.services.errors import PermissionDenied
from tests.builders import add_lead, seed_people


def add_person(  # type: ignore[no-untyped-def]
    ctx, login, *, grant=None, phone=None, email=None, in_app=True, sms=False, by_email=False
):
    with ctx.db.transaction() as session:
        person = Employee(
            login=login,
            name=login.title(),
            is_admin=False,
            phone=phone,
            email=email,
            created_at=ctx.clock.now(),
            notify_in_app=in_app,
            notify_sms=sms,
            notify_email=by_email,
        )
        if grant is not None:
            person.permission_overrides.append(
                EmployeePermission(permission=VIEW_SCL, granted=grant)
            )
        session.add(person)


def set_contact(ctx, login, *, phone=None, email=None):  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        person = session.scalars(select(Employee).where(Employee.login == login)).one()
        person.phone, person.email = phone, email


def outbox(ctx, lead_id):  # type: ignore[no-untyped-def]
    return {
        (n.login, n.channel.value): (n.state.value, n.last_error)
        for n in notifications.lead_notifications(ctx, lead_id)
    }


def test_a_new_lead_notifies_exactly_the_people_with_the_permission_on_their_channels(ctx):
    seed_people(ctx)  # admin, agent, agent2 (role grant); csr (no permission)
    add_person(ctx, "granted", grant=True, email="g@example.com", in_app=False, by_email=True)
    add_person(ctx, "revoked", grant=False, phone="+15125550199", sms=True)
    add_person(ctx, "nobody", phone="+15125550198", email="n@example.com", sms=True, by_email=True)
    set_contact(ctx, "agent", phone="+15125550101", email="maria@example.com")
    preferences.set_preferences(ctx, "agent", sms=True, email=True)
    preferences.set_preferences(ctx, "agent2", in_app=False, email=True)
    set_contact(ctx, "agent2", email="sam@example.com")

    lead_id = add_lead(ctx)

    pending = ("pending", None)
    assert outbox(ctx, lead_id) == {
        ("admin", "in_app"): pending,
        ("agent", "in_app"): pending,
        ("agent", "sms"): pending,
        ("agent", "email"): pending,
        ("agent2", "email"): pending,
        ("granted", "email"): pending,
    }


def test_an_employee_without_a_phone_number_gets_no_text_and_the_outbox_says_why(ctx):
    seed_people(ctx)
    preferences.set_preferences(ctx, "agent", sms=True, email=True)

    lead_id = add_lead(ctx)

    rows = outbox(ctx, lead_id)
    assert rows[("agent", "sms")] == ("skipped", NO_PHONE)
    assert rows[("agent", "email")] == ("skipped", NO_EMAIL)
    assert rows[("agent", "in_app")] == ("pending", None)


def test_the_channel_view_says_a_chosen_text_cannot_work_without_a_phone(ctx):
    seed_people(ctx)
    shown = preferences.set_preferences(ctx, "agent", sms=True)
    sms = shown.choice(Channel.SMS)
    assert sms.chosen and not sms.usable
    assert sms.why_not == NO_PHONE
    assert sms.label == f"Text ({NO_PHONE})"
    set_contact(ctx, "agent", phone="+15125550101")
    assert preferences.get_preferences(ctx, "agent").choice(Channel.SMS).usable


def test_changing_a_preference_is_audited_and_an_unchanged_one_is_not(ctx):
    seed_people(ctx)
    preferences.set_preferences(ctx, "agent", in_app=False, sms=False)
    with ctx.db.transaction() as session:
        entries = session.scalars(select(AuditEntry)).all()
        assert [(e.subject, e.old_value, e.new_value) for e in entries] == [
            ("employee agent: notify by in-app notification", "on", "off")
        ]


def test_people_without_the_permission_are_told_they_get_no_notices(ctx):
    seed_people(ctx)
    assert not preferences.get_preferences(ctx, "csr").has_access
    assert preferences.get_preferences(ctx, "agent").has_access


def test_each_lead_gets_its_outbox_rows_once(ctx):
    seed_people(ctx)
    first, second = add_lead(ctx), add_lead(ctx, phone="+15125550177")
    with ctx.db.transaction() as session:
        rows = session.scalars(select(Notification)).all()
        assert sorted((r.lead_id, r.channel) for r in rows) == [
            (first, "in_app"),
            (first, "in_app"),
            (first, "in_app"),
            (second, "in_app"),
            (second, "in_app"),
            (second, "in_app"),
        ]


def test_the_open_app_takes_its_in_app_notices_once(ctx):
    seed_people(ctx)
    lead_id = add_lead(ctx, reason="Wants a quote for a new furnace")

    [notice] = notifications.take_in_app(ctx, "agent")
    assert (notice.lead_id, notice.phone) == (lead_id, "(512) 555-0134")
    assert notice.reason == "Wants a quote for a new furnace"
    assert notifications.take_in_app(ctx, "agent") == []  # a second app shows nothing
    rows = outbox(ctx, lead_id)
    assert rows[("agent", "in_app")] == ("delivered", None)
    assert rows[("agent2", "in_app")] == ("pending", None)  # someone else's stays


def test_in_app_notices_nobody_saw_in_time_expire_with_the_reason(ctx, clock):
    seed_people(ctx)
    lead_id = add_lead(ctx)
    clock.advance(notifications.IN_APP_WINDOW + timedelta(seconds=1))
    assert notifications.take_in_app(ctx, "agent") == []
    with ctx.db.transaction() as session:
        assert notifications.expire_unseen_in_app(session, clock.now()) == 3
    assert outbox(ctx, lead_id)[("agent", "in_app")] == ("failed", notifications.NOT_SEEN)


def test_only_administrators_see_the_outbox(ctx):
    seed_people(ctx)
    add_lead(ctx)
    status = notifications.outbox_status(ctx, "admin")
    assert status.counts == {(Channel.IN_APP, DeliveryState.PENDING): 3}
    with pytest.raises(PermissionDenied):
        notifications.outbox_status(ctx, "agent")
