"""Loading the demo data set (core/demo, shipped as package data): employees, ~200 calls,
their leads and history.

Times in the files end at a fixed moment; they are shifted so the newest call
ended a little before "now" on the given clock, so the queue always looks live.
Everything goes in one transaction, and a second load changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.classify.base import Classifier
from core.classify.embedded import EmbeddedClassifier
from core.clock import FrozenClock
from core.db.models import (
    Call,
    Employee,
    EmployeePermission,
    Lead,
    Role,
    RolePermission,
    Setting,
)
from core.domain.permissions import VIEW_SCL
from core.domain.phones import normalise_phone
from core.domain.settings import CompanySettings
from core.domain.statuses import DismissReason, LeadStatus
from core.errors import SclError
from core.services import booking, review
from core.services.company import PROFILE_KEY, read_profile
from core.services.context import ServiceContext
from core.services.errors import NotFound
from core.services.flagging import record_verdict
from core.services.ingest import CallRecord, parse_call, read_rows, store_call
from core.services.settings import read_settings
from core.workers.review_worker import stored_call_for_review

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"  # package data: ships in the wheel
# The newest demo call ends this long before "now", so its review is already done.
NEWEST_CALL_AGE = timedelta(minutes=15)


@dataclass(frozen=True)
class DemoCounts:
    employees: int
    calls: int
    leads: int
    added_calls: int


def load_demo(ctx: ServiceContext, directory: Path = DEMO_DIR) -> DemoCounts:
    calls_file = directory / "calls.jsonl"
    people_file = directory / "employees.json"
    for needed in (calls_file, people_file):
        if not needed.is_file():
            raise SclError(f"the demo data is missing: {needed} not found", "Demo data missing")
    people = json.loads(people_file.read_text(encoding="utf-8"))
    records = []
    for number, raw in read_rows(calls_file):
        if isinstance(raw, Exception):
            raise SclError(f"{calls_file}:{number}: {raw}")
        records.append((parse_call(raw), raw.get("demo") or {}))
    now = ctx.clock.now()
    newest = max(record.ended_at for record, _ in records)
    shift = now - NEWEST_CALL_AGE - newest

    with ctx.db.transaction() as session:
        _employees(session, people, now)
        _enable_scl(session, now, directory)
        steps = _timeline(session, ctx, records, shift, now)
        for _when, _order, _seq, step in sorted(steps, key=lambda s: s[:3]):
            step()
        session.flush()
        return DemoCounts(
            employees=session.scalar(select(func.count()).select_from(Employee)) or 0,
            calls=session.scalar(select(func.count()).select_from(Call)) or 0,
            leads=session.scalar(select(func.count()).select_from(Lead)) or 0,
            added_calls=sum(1 for s in steps if s[1] == 0),
        )


Step = tuple[datetime, int, int, Callable[[], None]]


def _timeline(
    session: Session,
    ctx: ServiceContext,
    records: list[tuple[CallRecord, dict[str, Any]]],
    shift: timedelta,
    now: datetime,
) -> list[Step]:
    """Every import, review and agent action of calls not loaded yet, in time order."""
    classifier = EmbeddedClassifier(read_profile(session))
    known = set(session.scalars(select(Call.external_id)))
    settings = read_settings(session)
    steps: list[Step] = []
    for record, demo in records:
        if record.external_id in known:
            continue
        moved = _shifted(record, shift)
        seq = len(steps)
        steps.append((moved.ended_at, 0, seq, _importer(session, moved, demo, settings)))
        if moved.direction != "inbound" or moved.job_booked:
            continue
        reviewed_at = moved.ended_at + settings.after_call_work
        steps.append(
            (reviewed_at, 1, seq, _reviewer(session, classifier, moved.external_id, reviewed_at))
        )
        for action in demo.get("actions", []):
            # An action never precedes the review, whatever After Call Work Time is set to.
            at = max(
                moved.ended_at + timedelta(minutes=int(action["after_minutes"])),
                reviewed_at + timedelta(minutes=1),
            )
            if at <= now:
                steps.append((at, 2, len(steps), _actor(session, ctx, moved, action, at)))
    return steps


def _shifted(record: CallRecord, shift: timedelta) -> CallRecord:
    return replace(record, started_at=record.started_at + shift, ended_at=record.ended_at + shift)


def _importer(
    session: Session, record: CallRecord, demo: dict[str, Any], settings: CompanySettings
) -> Callable[[], None]:
    def run() -> None:
        store_call(session, record, record.ended_at, settings, address=demo.get("customer_address"))

    return run


def _reviewer(
    session: Session, classifier: Classifier, external_id: str, at: datetime
) -> Callable[[], None]:
    """The real review of one call, at the moment the worker would have made it."""

    def run() -> None:
        call = session.scalars(
            select(Call)
            .where(Call.external_id == external_id)
            .options(selectinload(Call.segments), selectinload(Call.customer))
        ).one()
        verdict = classifier.classify(stored_call_for_review(call))
        # History being replayed: nobody is told of leads flagged days ago.
        record_verdict(session, call, verdict, at, recipients=())

    return run


def _actor(
    session: Session, ctx: ServiceContext, record: CallRecord, action: dict[str, Any], at: datetime
) -> Callable[[], None]:
    """An agent's scripted action, run through the real use case at its own time."""

    def run() -> None:
        step_ctx = ServiceContext(_SharedSession(session), FrozenClock(at), ctx.dialer)
        who, what, ref = action["actor"], action["action"], record.external_id
        try:
            _perform(step_ctx, who, what, ref, record, action, at)
        except NotFound:
            # The script was written for a lead; the real review did not flag this call.
            log.info("demo action %s on %s skipped: the call is not a lead", what, ref)

    return run


def _perform(
    ctx: ServiceContext,
    who: str,
    what: str,
    ref: str,
    record: CallRecord,
    action: dict[str, Any],
    at: datetime,
) -> None:
    if what == "callback":
        review.call_back(ctx, who, ref)
    elif what.startswith("dismiss:"):
        review.dismiss(ctx, who, ref, DismissReason(what.split(":", 1)[1]))
    elif what.startswith("status:"):
        review.set_status(ctx, who, ref, LeadStatus(what.split(":", 1)[1]))
    elif what == "note":
        review.add_note(ctx, who, ref, action["text"])
    elif what == "book":
        booking.record_job(ctx, who, record.customer_phone, booked_at=at)
    else:
        raise SclError(f"unknown demo action {what!r} for {ref}")


class _SharedSession:
    """A Database stand-in whose units of work are savepoints of one outer transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._session.begin_nested():
            yield self._session


def _employees(session: Session, people: dict[str, Any], now: datetime) -> None:
    roles = {r.name: r for r in session.scalars(select(Role))}
    for spec in people["roles"]:
        if spec["name"] not in roles:
            role = Role(
                name=spec["name"],
                permissions=[RolePermission(permission=p) for p in spec["permissions"]],
            )
            session.add(role)
            roles[role.name] = role
    session.flush()
    logins = set(session.scalars(select(Employee.login)))
    for spec in people["employees"]:
        if spec["login"] in logins:
            continue
        person = Employee(
            login=spec["login"],
            name=spec["name"],
            role=roles.get(spec.get("role") or ""),
            is_admin=bool(spec.get("is_admin")),
            phone=normalise_phone(spec["phone"]) if spec.get("phone") else None,
            email=spec.get("email"),
            created_at=now,
            notify_in_app=spec.get("notify", {}).get("in_app", True),
            notify_sms=spec.get("notify", {}).get("sms", False),
            notify_email=spec.get("notify", {}).get("email", False),
        )
        session.add(person)
        session.flush()
        if spec.get("permission_override") is not None:
            person.permission_overrides.append(
                EmployeePermission(permission=VIEW_SCL, granted=spec["permission_override"])
            )
    session.flush()


def _enable_scl(session: Session, now: datetime, directory: Path = DEMO_DIR) -> None:
    """The demo shows SCL at work, for its own company (profile.toml); a site's own
    choices, once made, are left alone."""
    if session.get(Setting, "enabled") is None:
        session.add(Setting(key="enabled", value={"value": True}, updated_at=now))
    profile = directory / "profile.toml"
    if session.get(Setting, PROFILE_KEY) is None and profile.exists():
        text = profile.read_text(encoding="utf-8")
        session.add(Setting(key=PROFILE_KEY, value={"toml": text}, updated_at=now))
        session.flush()
