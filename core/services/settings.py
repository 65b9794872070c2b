"""Company settings: read by every use case, changed only by administrators."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Employee, Setting
from core.domain.settings import SETTING_SPECS, CompanySettings, format_setting, parse_setting
from core.services import audit, permissions
from core.services.context import ServiceContext
from core.services.errors import InvalidInput


def read_settings(session: Session) -> CompanySettings:
    # Other rows (the company profile, recording sources) keep their own shapes.
    rows = session.scalars(select(Setting).where(Setting.key.in_(list(SETTING_SPECS))))
    known = {s.key: s.value["value"] for s in rows}
    return dataclasses.replace(CompanySettings(), **known)


def store_row(
    session: Session, key: str, value: dict[str, Any], at: datetime, person: Employee | None
) -> None:
    """Write one row of the settings table (company settings, the profile, recording
    sources…), saying who changed it and when; the caller audits the change."""
    row = session.get(Setting, key)
    if row is None:
        person_id = person.id if person is not None else None
        session.add(Setting(key=key, value=value, updated_at=at, updated_by_id=person_id))
    else:
        row.value = value
        row.updated_at = at
        row.updated_by_id = person.id if person is not None else None


def get_settings(ctx: ServiceContext) -> CompanySettings:
    with ctx.db.transaction() as session:
        return read_settings(session)


def set_setting(
    ctx: ServiceContext, actor_login: str, key: str, value: str | bool | int
) -> CompanySettings:
    """Validate and store one setting, auditing who changed it from what to what.

    Who may comes first: a non-administrator learns that, not whether the value was good.
    """
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        person = permissions.require_admin_in(session, actor_login, "change the company settings")
        try:
            parsed = parse_setting(key, value)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
        old = getattr(read_settings(session), key)
        store_row(session, key, {"value": parsed}, now, person)
        if old != parsed:
            audit.record(
                session, now, person, f"setting {key}", format_setting(old), format_setting(parsed)
            )
        session.flush()
        return read_settings(session)
