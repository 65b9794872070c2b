"""Small builders for service tests: people, calls and leads in a few lines each."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.classify.base import Verdict
from core.db.models import Call, Employee, Role, RolePermission
from core.domain.permissions import VIEW_SCL
from core.services.context import ServiceContext
from core.services.flagging import record_verdict

_ids = itertools.count(1)


@dataclass(frozen=True)
class People:
    admin: str = "admin"
    agent: str = "agent"
    agent2: str = "agent2"
    csr: str = "csr"  # no permission


def seed_people(ctx: ServiceContext) -> People:
    """An admin, two agents with the permission by role, a CSR without it."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        agents = Role(name="Call Center Agent", permissions=[RolePermission(permission=VIEW_SCL)])
        csrs = Role(name="CSR")
        session.add_all([agents, csrs])
        session.add_all(
            [
                Employee(login="admin", name="Pat Okafor", is_admin=True, created_at=now),
                Employee(login="agent", name="Maria Lopez", role=agents, created_at=now),
                Employee(login="agent2", name="Sam Reed", role=agents, created_at=now),
                Employee(
                    login="csr",
                    name="Jo Martinez",
                    role=csrs,
                    created_at=now,
                    phone="+15125550111",
                ),
            ]
        )
    return People()


def add_call(
    ctx: ServiceContext,
    *,
    phone: str = "+15125550134",
    ended: datetime | None = None,
    direction: str = "inbound",
    booked: bool = False,
    csr_login: str | None = "csr",
) -> int:
    ended = ended or ctx.clock.now() - timedelta(minutes=10)
    with ctx.db.transaction() as session:
        csr = session.query(Employee).filter_by(login=csr_login).one() if csr_login else None
        call = Call(
            external_id=f"PBX-TEST-{next(_ids):06d}",
            direction=direction,
            customer_phone=phone,
            started_at=ended - timedelta(minutes=4),
            ended_at=ended,
            call_type="Service",
            csr_id=csr.id if csr else None,
            job_booked=booked,
            imported_at=ended,
        )
        session.add(call)
        session.flush()
        return call.id


def add_lead(
    ctx: ServiceContext,
    *,
    phone: str = "+15125550134",
    flagged: datetime | None = None,
    reason: str = "Caller needs AC repair; asked to think about the price",
    csr_login: str | None = "csr",
    confidence: float = 0.9,
) -> int:
    """A call flagged as a lead in status New at `flagged` (default: now)."""
    flagged = flagged or ctx.clock.now()
    call_id = add_call(ctx, phone=phone, ended=flagged - timedelta(minutes=5), csr_login=csr_login)
    with ctx.db.transaction() as session:
        lead = record_verdict(
            session,
            session.get(Call, call_id),
            Verdict(True, confidence, reason, (1,), "Dana needs her AC looked at."),
            flagged,
        )
        assert lead is not None
        session.flush()
        return lead.id
