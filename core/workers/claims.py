"""Claiming due calls so that several workers on several hosts review each call once.

A claim is a lease: the worker's token and an expiry written on the call in one
atomic statement. PostgreSQL picks rows with FOR UPDATE SKIP LOCKED so workers
never queue behind each other; SQLite serialises writers, so the same
conditional UPDATE is atomic there. A crashed worker's lease expires and the
call is claimed again; writing the verdict checks the token, so a late writer
whose lease was taken over changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, false, func, or_, select, update
from sqlalchemy.orm import Session

from core.db.models import Call
from core.domain.review_rules import REVIEWED_DIRECTION


class HeldCall(NamedTuple):
    customer_phone: str
    job_booked: bool


def due_condition(now: datetime, after_call_work: timedelta) -> ColumnElement[bool]:
    """Inbound, unbooked, never reviewed, past After Call Work Time, not leased now."""
    return and_(
        Call.direction == REVIEWED_DIRECTION,
        Call.job_booked == false(),
        Call.reviewed_at.is_(None),
        Call.ended_at <= now - after_call_work,
        or_(Call.review_lease_until.is_(None), Call.review_lease_until < now),
    )


def claim_due(
    session: Session,
    token: str,
    now: datetime,
    after_call_work: timedelta,
    lease: timedelta,
    limit: int,
) -> list[int]:
    """Lease up to `limit` due calls, oldest first, to `token`; their ids."""
    pick = (
        select(Call.id)
        .where(due_condition(now, after_call_work))
        .order_by(Call.ended_at, Call.id)
        .limit(limit)
    )
    claim = update(Call).values(
        review_claimed_by=token,
        review_lease_until=now + lease,
        review_attempts=Call.review_attempts + 1,
    )
    if session.get_bind().dialect.name == "postgresql":
        # A CTE is evaluated once; `IN (subquery … SKIP LOCKED)` may be re-run by the
        # planner and pick more rows than the limit.
        picked = pick.with_for_update(skip_locked=True).cte("picked")
        claim = claim.where(Call.id == picked.c.id)
    else:
        # One statement is atomic on SQLite (one writer; a stale read snapshot cannot
        # be upgraded to write), so the pick's condition needs no repeat here: repeated,
        # it led the planner to walk every due call instead of looking up the 200 ids.
        claim = claim.where(Call.id.in_(pick.scalar_subquery()))
    claimed = session.execute(claim.returning(Call.id).execution_options(synchronize_session=False))
    return sorted(claimed.scalars().all())


def held_claims(session: Session, call_ids: list[int], token: str) -> dict[int, HeldCall]:
    """Those of the calls this worker still holds a claim on, locked for writing."""
    query = select(Call.id, Call.customer_phone, Call.job_booked).where(
        *_still_held(call_ids, token)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return {row.id: HeldCall(row.customer_phone, row.job_booked) for row in session.execute(query)}


def give_back(
    session: Session,
    call_ids: list[int],
    token: str,
    *,
    until: datetime | None = None,
    error: str | None = None,
) -> None:
    """End this worker's claims on the calls it still holds: due again at once, or
    `until` a time, with the error that delayed them."""
    if not call_ids:
        return
    values: dict[str, object] = {"review_claimed_by": None, "review_lease_until": until}
    if error is not None:
        values["review_error"] = error
    session.execute(
        update(Call)
        .where(*_still_held(call_ids, token))
        .values(values)
        .execution_options(synchronize_session=False)
    )


def give_back_strays(session: Session, token: str) -> None:
    """End every claim of this worker on calls not yet reviewed: after an outage, a claim
    may have been committed although its answer was lost on the way."""
    session.execute(
        update(Call)
        .where(Call.review_claimed_by == token, Call.reviewed_at.is_(None))
        .values(review_claimed_by=None, review_lease_until=None)
        .execution_options(synchronize_session=False)
    )


def _still_held(call_ids: list[int], token: str) -> tuple[ColumnElement[bool], ...]:
    """Of these calls, those whose claim is still this worker's and not yet written."""
    return (Call.id.in_(call_ids), Call.review_claimed_by == token, Call.reviewed_at.is_(None))


def count_delayed(session: Session) -> tuple[int, str | None]:
    """Calls whose review failed and waits for another try, and the latest error."""
    waiting = and_(Call.reviewed_at.is_(None), Call.review_error.is_not(None))
    count = session.scalar(select(func.count()).select_from(Call).where(waiting)) or 0
    latest = session.scalar(
        select(Call.review_error).where(waiting).order_by(Call.review_lease_until.desc()).limit(1)
    )
    return count, latest
