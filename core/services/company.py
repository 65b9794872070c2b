"""The company profile: stored once for the whole call center, changed by administrators.

It is kept as the TOML an administrator imported (comments and all) in the settings
table, so `scl company show --toml` gives back what was imported, and every change is in
the audit log with the old and the new text.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.classify.profile import CompanyProfile, ProfileError, default_profile, parse_profile
from core.db.models import Setting
from core.services import audit, permissions
from core.services.context import ServiceContext
from core.services.errors import InvalidInput
from core.services.settings import store_row

PROFILE_KEY = "company_profile"


def read_profile(session: Session) -> CompanyProfile:
    """The stored profile, or the built-in one (every trade, anywhere) when none is."""
    row = session.get(Setting, PROFILE_KEY)
    if row is None or not row.value.get("toml"):
        return default_profile()
    return parse_profile(row.value["toml"], "the stored company profile")


def get_profile(ctx: ServiceContext) -> CompanyProfile:
    with ctx.db.transaction() as session:
        return read_profile(session)


def profile_is_stored(ctx: ServiceContext) -> bool:
    with ctx.db.transaction() as session:
        return session.get(Setting, PROFILE_KEY) is not None


def import_profile(
    ctx: ServiceContext, actor_login: str, text: str, filename: str
) -> CompanyProfile:
    """Check the whole file, then store it; a bad file is refused and nothing changes."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        person = permissions.require_admin_in(session, actor_login, "change the company profile")
        try:
            profile = parse_profile(text, filename)
        except ProfileError as error:
            raise InvalidInput(str(error)) from None
        row = session.get(Setting, PROFILE_KEY)
        old = row.value.get("toml") if row is not None else None
        store_row(session, PROFILE_KEY, {"toml": text}, now, person)
        if old != text:
            audit.record(session, now, person, "company profile", old, text)
        session.flush()
        return profile
