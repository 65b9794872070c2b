"""The numbers of the metrics header and `scl metrics`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.db.models import Call, Job, Lead
from core.domain.metrics import pct_increase, validate_period
from core.domain.statuses import LeadStatus
from core.services import actors
from core.services.context import ServiceContext
from core.services.errors import InvalidInput
from core.services.leads import count_tabs
from core.services.settings import read_settings
from core.services.views import Metrics


def metrics(ctx: ServiceContext, actor_login: str, days: int = 30) -> Metrics:
    """SCLs Booked and % Increase over the last `days`, with the open and cold counts."""
    try:
        validate_period(days)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    now = ctx.clock.now()
    since = now - timedelta(days=days)
    with ctx.db.transaction() as session:
        actors.scl_user(session, actor_login)
        inbound = (
            session.scalar(
                select(func.count())
                .select_from(Call)
                .where(
                    Call.direction == "inbound", Call.started_at >= since, Call.started_at <= now
                )
            )
            or 0
        )
        booked = (
            session.scalar(
                select(func.count())
                .select_from(Lead)
                .join(Job, Lead.job_id == Job.id)
                .where(
                    Lead.status == LeadStatus.BOOKED_BY_SCL.value,
                    Job.booked_at >= since,
                    Job.booked_at <= now,
                )
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
