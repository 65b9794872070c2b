"""The numbers of the metrics header, `scl metrics` and the metrics screen: one service."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.db.models import Call, Job, Lead
from core.domain.metrics import pct_increase, period_buckets, validate_period
from core.domain.statuses import LeadStatus
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput
from core.services.leads import count_tabs
from core.services.settings import read_settings
from core.services.views import Metrics, MetricsDetail, PeriodBucket


def metrics(ctx: ServiceContext, actor_login: str, days: int = 30) -> Metrics:
    """SCLs Booked and % Increase over the last `days`, with the open and cold counts."""
    since, now = period(ctx, days)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        return _header(session, days, since, now)


def metrics_detail(ctx: ServiceContext, actor_login: str, days: int = 30) -> MetricsDetail:
    """The metrics screen: the header's numbers (the very same as `metrics`), the leads
    flagged in the period by their status now, and the period in bars (a day each for
    7 days, a week each otherwise) whose counts add up to the header's."""
    since, now = period(ctx, days)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        header = _header(session, days, since, now)
        flagged = dict(
            session.execute(
                select(Lead.status, func.count())
                .where(_within(Lead.flagged_at, since, now))
                .group_by(Lead.status)
            ).all()
        )
        by_status = tuple((status, flagged.get(status.value, 0)) for status in LeadStatus)
        edges = period_buckets(now, days)
        calls = session.execute(
            select(*(func.count().filter(_bucket(Call.started_at, e, now)) for e in edges)).where(
                inbound_within(since, now)
            )
        ).one()
        leads = session.execute(
            select(*(func.count().filter(_bucket(Lead.flagged_at, e, now)) for e in edges)).where(
                _within(Lead.flagged_at, since, now)
            )
        ).one()
        booked = session.execute(
            select(*(func.count().filter(_bucket(Job.booked_at, e, now)) for e in edges))
            .select_from(Lead)
            .join(Job, Lead.job_id == Job.id)
            .where(scl_booked_within(since, now))
        ).one()
    buckets = tuple(
        PeriodBucket(lo, hi, calls[i], leads[i], booked[i]) for i, (lo, hi) in enumerate(edges)
    )
    return MetricsDetail(header, sum(flagged.values()), by_status, buckets)


def period(ctx: ServiceContext, days: int) -> tuple[datetime, datetime]:
    """The last `days` (a period the metrics offer), ending now."""
    try:
        validate_period(days)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    now = ctx.clock.now()
    return now - timedelta(days=days), now


def _header(session: Session, days: int, since: datetime, now: datetime) -> Metrics:
    inbound = (
        session.scalar(select(func.count()).select_from(Call).where(inbound_within(since, now)))
        or 0
    )
    booked = (
        session.scalar(
            select(func.count())
            .select_from(Lead)
            .join(Job, Lead.job_id == Job.id)
            .where(scl_booked_within(since, now))
        )
        or 0
    )
    counts = count_tabs(session, now, read_settings(session))
    return Metrics(
        days=days,
        inbound_calls=inbound,
        scls_booked=booked,
        pct_increase=pct_increase(booked, inbound),
        open=counts.open,
        cold=counts.cold,
    )


def _within(
    column: InstrumentedAttribute[datetime], since: datetime, now: datetime
) -> ColumnElement[bool]:
    """The period, both ends included (a call at exactly `now` counts)."""
    return and_(column >= since, column <= now)


def inbound_within(since: datetime, now: datetime) -> ColumnElement[bool]:
    """Inbound calls of the period, by when they started."""
    return and_(Call.direction == "inbound", _within(Call.started_at, since, now))


def scl_booked_within(since: datetime, now: datetime) -> ColumnElement[bool]:
    """SCLs Booked: leads whose job came from an SCL call-back, by when it was booked
    (join Job on Lead.job_id)."""
    return and_(Lead.status == LeadStatus.BOOKED_BY_SCL.value, _within(Job.booked_at, since, now))


def _bucket(
    column: InstrumentedAttribute[datetime], edges: tuple[datetime, datetime], now: datetime
) -> ColumnElement[bool]:
    lo, hi = edges
    return and_(column >= lo, column <= hi) if hi == now else and_(column >= lo, column < hi)
